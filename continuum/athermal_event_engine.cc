#include "continuum/athermal_event_engine.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace cryocycle::continuum
{
  EventStatistics &EventStatistics::operator+=(const EventStatistics &other)
  {
    events += other.events;
    avalanches += other.avalanches;
    sweeps += other.sweeps;
    work_aJ += other.work_aJ;
    residual_work_aJ += other.residual_work_aJ;
    return *this;
  }

  AthermalEventEngine::AthermalEventEngine(ElasticBackend &backend,
                                           std::vector<double> initial_yield_stress_GPa,
                                           std::vector<double> initial_state,
                                           YieldStressRenewal renewal, const EventRule &rule)
    : backend_(backend)
    , yield_(std::move(initial_yield_stress_GPa))
    , events_(yield_.size(), 0)
    , state_(std::move(initial_state))
    , draws_(yield_.size(), 0)
    , renewal_(std::move(renewal))
    , rule_(rule)
  {
    if (yield_.size() != backend_.local_sites().size())
      throw std::invalid_argument(fmt::format("{} yield stresses for {} local sites", yield_.size(),
                                              backend_.local_sites().size()));
    for (const double y : yield_)
      if (!(y > 0.0) || !std::isfinite(y))
        throw std::invalid_argument(fmt::format("local yield stresses must be positive, got {} GPa", y));
    if (!(rule_.equivalent_strain > 0.0) || !(rule_.site_volume_fraction > 0.0) ||
        rule_.site_volume_fraction > 1.0)
      throw std::invalid_argument("an ST needs ε0 > 0 and a site volume fraction in (0, 1]");
    if (!renewal_)
      throw std::invalid_argument("a yield-stress renewal is needed");
    if (state_.size() != yield_.size())
      throw std::invalid_argument(fmt::format("{} structural states for {} local sites", state_.size(), yield_.size()));
    for (const double s : state_)
      if (!(s >= 0.0 && s <= 1.0))
        throw std::invalid_argument(fmt::format("structural states must lie in [0, 1], got {}", s));
    if (!(rule_.rejuvenation_per_event >= 0.0 && rule_.rejuvenation_per_event <= 1.0))
      throw std::invalid_argument("the rejuvenation per ST must lie in [0, 1]");
  }

  std::uint64_t AthermalEventEngine::relax(const std::vector<std::uint64_t> &counts,
                                           const double relaxation_per_event)
  {
    if (counts.size() != yield_.size())
      throw std::invalid_argument("one relaxation count per local site is needed");
    if (!(relaxation_per_event >= 0.0 && relaxation_per_event <= 1.0))
      throw std::invalid_argument("the relaxation per event must lie in [0, 1]");
    std::uint64_t total = 0;
    for (std::size_t i = 0; i < counts.size(); ++i)
      {
        if (counts[i] == 0)
          continue;
        total += counts[i];
        state_[i] *= std::pow(1.0 - relaxation_per_event, static_cast<double>(counts[i]));
        yield_[i] = renewal_(backend_.local_sites()[i].global_id, draws_[i]++, state_[i]);
        if (!(yield_[i] > 0.0) || !std::isfinite(yield_[i]))
          throw std::runtime_error(fmt::format("the yield-stress renewal gave {} GPa for site {}",
                                               yield_[i], backend_.local_sites()[i].global_id));
      }
    return total;
  }

  SiteStates AthermalEventEngine::save_state() const
  {
    SiteStates saved;
    for (const auto &site : backend_.local_sites())
      saved.global_id.push_back(site.global_id);
    saved.eigenstrain = backend_.eigenstrain();
    saved.yield_stress_GPa = yield_;
    saved.structural_state = state_;
    saved.draws = draws_;
    saved.events = events_;
    return saved;
  }

  void AthermalEventEngine::restore_state(const SiteStates &states)
  {
    const std::size_t n = states.size();
    if (states.eigenstrain.size() != n || states.yield_stress_GPa.size() != n ||
        states.structural_state.size() != n || states.draws.size() != n || states.events.size() != n)
      throw std::invalid_argument("saved site states: the arrays differ in length");
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(),
              [&](const std::size_t a, const std::size_t b) { return states.global_id[a] < states.global_id[b]; });
    const auto &sites = backend_.local_sites();
    std::vector<SymmetricTensor6> eigenstrain(sites.size());
    std::string missing;
    for (std::size_t i = 0; i < sites.size() && missing.empty(); ++i)
      {
        const auto found = std::lower_bound(order.begin(), order.end(), sites[i].global_id,
                                            [&](const std::size_t k, const std::uint64_t id) {
                                              return states.global_id[k] < id;
                                            });
        if (found == order.end() || states.global_id[*found] != sites[i].global_id)
          {
            missing = fmt::format("the saved site states have no site with global id {}", sites[i].global_id);
            break;
          }
        const std::size_t k = *found;
        if (!(states.yield_stress_GPa[k] > 0.0) || !(states.structural_state[k] >= 0.0 && states.structural_state[k] <= 1.0))
          missing = fmt::format("the saved state of site {} is invalid (σ_y {} GPa, s {})", sites[i].global_id,
                                states.yield_stress_GPa[k], states.structural_state[k]);
        eigenstrain[i] = states.eigenstrain[k];
        yield_[i] = states.yield_stress_GPa[k];
        state_[i] = states.structural_state[k];
        draws_[i] = states.draws[k];
        events_[i] = states.events[k];
      }
    // Every rank learns of a failure on any rank, so all throw alike.
    int failed = missing.empty() ? 0 : 1;
    MPI_Allreduce(MPI_IN_PLACE, &failed, 1, MPI_INT, MPI_MAX, backend_.communicator());
    if (failed != 0)
      throw std::runtime_error(missing.empty() ? "the saved site states do not match the sites (another rank)"
                                               : missing);
    backend_.update_eigenstrain(eigenstrain);
    backend_.resolve_from_scratch();
  }

  void AthermalEventEngine::resolve_from_scratch() { backend_.resolve_from_scratch(); }

  std::vector<SymmetricTensor6> AthermalEventEngine::stress_GPa(const double dT) const
  {
    const auto &thermal = backend_.thermal_stress_per_K_GPa();
    const auto &residual = backend_.eigenstrain_stress_GPa();
    std::vector<SymmetricTensor6> stress(thermal.size());
    for (std::size_t i = 0; i < thermal.size(); ++i)
      for (std::size_t c = 0; c < 6; ++c)
        stress[i][c] = dT * thermal[i][c] + residual[i][c];
    return stress;
  }

  double AthermalEventEngine::largest_overload_GPa(const double dT) const
  {
    double overload = -std::numeric_limits<double>::infinity();
    const auto stress = stress_GPa(dT);
    for (std::size_t i = 0; i < stress.size(); ++i)
      overload = std::max(overload, von_mises_equivalent(stress[i]) - yield_[i]);
    MPI_Allreduce(MPI_IN_PLACE, &overload, 1, MPI_DOUBLE, MPI_MAX, backend_.communicator());
    return overload;
  }

  EventStatistics AthermalEventEngine::avalanche(const double dT)
  {
    EventStatistics statistics;
    const double strain = rule_.equivalent_strain * rule_.site_volume_fraction;
    std::vector<std::size_t> flipped;
    std::vector<SymmetricTensor6> before;
    std::vector<SymmetricTensor6> increment;
    for (std::size_t sweep = 0;; ++sweep)
      {
        const auto stress = stress_GPa(dT);
        flipped.clear();
        before.clear();
        increment.clear();
        std::vector<SymmetricTensor6> eigenstrain = backend_.eigenstrain();
        for (std::size_t i = 0; i < stress.size(); ++i)
          {
            const double sigma_eq = von_mises_equivalent(stress[i]);
            if (sigma_eq < yield_[i] * (1.0 - rule_.trigger_tolerance) || sigma_eq <= 0.0)
              continue;
            const SymmetricTensor6 d = shear_transformation_increment(stress[i], strain);
            for (std::size_t c = 0; c < 6; ++c)
              eigenstrain[i][c] += d[c];
            flipped.push_back(i);
            before.push_back(stress[i]);
            increment.push_back(d);
            state_[i] += rule_.rejuvenation_per_event * (1.0 - state_[i]);
            yield_[i] = renewal_(backend_.local_sites()[i].global_id, draws_[i]++, state_[i]);
            ++events_[i];
            if (!(yield_[i] > 0.0) || !std::isfinite(yield_[i]))
              throw std::runtime_error(fmt::format("the yield-stress renewal gave {} GPa for site {}",
                                                   yield_[i], backend_.local_sites()[i].global_id));
          }
        std::uint64_t count = flipped.size();
        MPI_Allreduce(MPI_IN_PLACE, &count, 1, MPI_UINT64_T, MPI_SUM, backend_.communicator());
        if (count == 0)
          break;
        if (sweep >= rule_.max_sweeps)
          throw std::runtime_error(fmt::format("the avalanche at ΔT = {} K did not end after {} sweeps",
                                               dT, rule_.max_sweeps));
        backend_.update_eigenstrain(eigenstrain);
        const auto after = stress_GPa(dT);
        double work[2] = {0.0, 0.0};  // total, against the residual stress
        const auto &thermal = backend_.thermal_stress_per_K_GPa();
        for (std::size_t f = 0; f < flipped.size(); ++f)
          {
            const std::size_t i = flipped[f];
            SymmetricTensor6 mean{};
            SymmetricTensor6 residual{};
            for (std::size_t c = 0; c < 6; ++c)
              {
                mean[c] = 0.5 * (before[f][c] + after[i][c]);
                residual[c] = mean[c] - dT * thermal[i][c];
              }
            work[0] += backend_.local_sites()[i].volume_nm3 * double_contraction(mean, increment[f]);
            work[1] += backend_.local_sites()[i].volume_nm3 * double_contraction(residual, increment[f]);
          }
        MPI_Allreduce(MPI_IN_PLACE, work, 2, MPI_DOUBLE, MPI_SUM, backend_.communicator());
        statistics.events += count;
        statistics.sweeps += 1;
        statistics.work_aJ += work[0];
        statistics.residual_work_aJ += work[1];
      }
    if (statistics.events > 0)
      statistics.avalanches = 1;
    return statistics;
  }

  EventStatistics AthermalEventEngine::ramp(const double from_K, const double to_K)
  {
    EventStatistics statistics = avalanche(from_K);
    if (from_K == to_K)
      return statistics;
    const double direction = to_K > from_K ? 1.0 : -1.0;
    double current = from_K;
    std::size_t idle_steps = 0;
    while (true)
      {
        // The first trigger along the ramp, as a distance from `current` (minimised over ranks).
        double nearest = std::numeric_limits<double>::infinity();
        const auto &thermal = backend_.thermal_stress_per_K_GPa();
        const auto residual = stress_GPa(0.0);
        for (std::size_t i = 0; i < yield_.size(); ++i)
          if (const auto trigger = first_yield_temperature_change(thermal[i], residual[i], yield_[i], current, to_K))
            nearest = std::min(nearest, direction * (*trigger - current));
        MPI_Allreduce(MPI_IN_PLACE, &nearest, 1, MPI_DOUBLE, MPI_MIN, backend_.communicator());
        if (!std::isfinite(nearest))
          break;
        current = nearest > 0.0 ? current + direction * nearest : current;
        const EventStatistics step = avalanche(current);
        statistics += step;
        // A trigger without a flip can only be round-off at the threshold; it must not repeat.
        idle_steps = step.events == 0 ? idle_steps + 1 : 0;
        if (idle_steps > 3)
          throw std::logic_error(fmt::format("the event search stalled at ΔT = {} K", current));
      }
    return statistics;
  }
} // namespace cryocycle::continuum
