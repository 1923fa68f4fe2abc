#include "continuum/athermal_event_engine.h"

#include "core/mpi_reduction.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace cryocycle::continuum
{
  namespace
  {
    // Inlined copies of deviator() and double_contraction() for the screening loops of the event
    // search, which run over every site per trigger; decisions are taken by the library versions.
    inline SymmetricTensor6 deviator_inline(const SymmetricTensor6 &a)
    {
      const double mean = (a[0] + a[1] + a[2]) / 3.0;
      return {a[0] - mean, a[1] - mean, a[2] - mean, a[3], a[4], a[5]};
    }

    inline double contraction_inline(const SymmetricTensor6 &a, const SymmetricTensor6 &b)
    {
      return a[0] * b[0] + a[1] * b[1] + a[2] * b[2] + 2.0 * (a[3] * b[3] + a[4] * b[4] + a[5] * b[5]);
    }
  } // namespace

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

  EventStatistics AthermalEventEngine::avalanche(const double dT) { return run_avalanche(dT, nullptr); }

  EventStatistics AthermalEventEngine::activate(const std::vector<char> &activated, const double dT)
  {
    if (activated.size() != yield_.size())
      throw std::invalid_argument(fmt::format("{} activation flags for {} local sites", activated.size(), yield_.size()));
    return run_avalanche(dT, &activated);
  }

  std::uint64_t AthermalEventEngine::sweep_count(const std::size_t local, const std::size_t sweep, const double dT) const
  {
    std::uint64_t count = local;
    MPI_Allreduce(MPI_IN_PLACE, &count, 1, MPI_UINT64_T, MPI_SUM, backend_.communicator());
    if (count > 0 && sweep >= rule_.max_sweeps)
      throw std::runtime_error(fmt::format("the avalanche at ΔT = {} K did not end after {} sweeps", dT,
                                           rule_.max_sweeps));
    return count;
  }

  SymmetricTensor6 AthermalEventEngine::flip(const std::size_t i, const SymmetricTensor6 &stress, const double strain)
  {
    const SymmetricTensor6 increment = shear_transformation_increment(stress, strain);
    state_[i] += rule_.rejuvenation_per_event * (1.0 - state_[i]);
    yield_[i] = renewal_(backend_.local_sites()[i].global_id, draws_[i]++, state_[i]);
    ++events_[i];
    if (!(yield_[i] > 0.0) || !std::isfinite(yield_[i]))
      throw std::runtime_error(fmt::format("the yield-stress renewal gave {} GPa for site {}", yield_[i],
                                           backend_.local_sites()[i].global_id));
    return increment;
  }

  void AthermalEventEngine::book_sweep(const double dT, const std::vector<std::size_t> &flipped,
                                       const std::vector<SymmetricTensor6> &before,
                                       const std::vector<SymmetricTensor6> &residual_after,
                                       const std::vector<SymmetricTensor6> &increment, const std::uint64_t count,
                                       EventStatistics &statistics) const
  {
    const auto &thermal = backend_.thermal_stress_per_K_GPa();
    double work[2] = {0.0, 0.0};  // total, against the residual stress
    for (std::size_t f = 0; f < flipped.size(); ++f)
      {
        const std::size_t i = flipped[f];
        SymmetricTensor6 mean{};
        SymmetricTensor6 residual{};
        for (std::size_t c = 0; c < 6; ++c)
          {
            mean[c] = 0.5 * (before[f][c] + (dT * thermal[i][c] + residual_after[f][c]));
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

  EventStatistics AthermalEventEngine::run_avalanche(const double dT, const std::vector<char> *activated)
  {
    EventStatistics statistics;
    const double strain = rule_.equivalent_strain * rule_.site_volume_fraction;
    std::vector<std::size_t> flipped;
    std::vector<SymmetricTensor6> before;
    std::vector<SymmetricTensor6> increment;
    for (std::size_t sweep = 0;; ++sweep)
      {
        flipped.clear();
        before.clear();
        increment.clear();
        {
          const auto &thermal = backend_.thermal_stress_per_K_GPa();
          const auto &residual = backend_.eigenstrain_stress_GPa();
          for (std::size_t i = 0; i < yield_.size(); ++i)
            {
              SymmetricTensor6 stress;
              for (std::size_t c = 0; c < 6; ++c)
                stress[c] = dT * thermal[i][c] + residual[i][c];
              // Most sites are far below threshold: rule them out on σ_eq² with a margin far
              // above round-off, and decide the rest exactly as below.
              const double threshold = yield_[i] * (1.0 - rule_.trigger_tolerance);
              const bool forced = sweep == 0 && activated != nullptr && (*activated)[i] != 0;
              const SymmetricTensor6 s = deviator_inline(stress);
              if (!forced && 1.5 * contraction_inline(s, s) < threshold * threshold * (1.0 - 1e-10))
                continue;
              const double sigma_eq = von_mises_equivalent(stress);
              if ((!forced && sigma_eq < threshold) || sigma_eq <= 0.0)
                continue;
              flipped.push_back(i);
              before.push_back(stress);
              increment.push_back(flip(i, stress, strain));
            }
        }
        const std::uint64_t count = sweep_count(flipped.size(), sweep, dT);
        if (count == 0)
          break;
        // Only the flipped sites are passed on: a back-end may superpose their responses.
        backend_.add_eigenstrain(flipped, increment);
        std::vector<SymmetricTensor6> after(flipped.size());
        for (std::size_t f = 0; f < flipped.size(); ++f)
          after[f] = backend_.eigenstrain_stress_GPa()[flipped[f]];
        book_sweep(dT, flipped, before, after, increment, count, statistics);
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
    if (rule_.deferred_far_field.enabled && !deferred_checked_)
      {
        deferred_checked_ = true;
        if (auto view = backend_.point_responses())
          {
            deferred_ = std::make_unique<DeferredFarField>(*view, backend_.thermal_stress_per_K_GPa(), yield_,
                                                           rule_.deferred_far_field, rule_.trigger_tolerance);
            deferred_grid_index_ = view->grid_index;
            deferred_increment_.assign(yield_.size(), SymmetricTensor6{});
          }
      }
    if (deferred_ && rule_.deferred_far_field.enabled)
      {
        statistics += ramp_deferred(from_K, to_K);
        return statistics;
      }
    const double direction = to_K > from_K ? 1.0 : -1.0;
    // σ_eq,i(ΔT)² = a_i ΔT² + 2 b_i ΔT + c_i (shear_transformation.h); dev S_T and a_i are fixed.
    const auto &thermal = backend_.thermal_stress_per_K_GPa();
    std::vector<SymmetricTensor6> thermal_deviator(thermal.size());
    std::vector<double> thermal_square(thermal.size());
    for (std::size_t i = 0; i < thermal.size(); ++i)
      {
        thermal_deviator[i] = deviator(thermal[i]);
        thermal_square[i] = 1.5 * double_contraction(thermal_deviator[i], thermal_deviator[i]);
      }
    constexpr double margin = 1.0 - 1e-10;
    double current = from_K;
    std::size_t idle_steps = 0;
    while (true)
      {
        // The first trigger along the ramp, as a distance from `current` (minimised over ranks).
        // σ_eq² is convex in ΔT: a site below its threshold at `current` and at the best trigger
        // found so far stays below it in between, so its root is computed only when σ_eq² at
        // either end comes within a relative 1e-10 of σ_y² (far above round-off) — the minimum
        // is that of the exact roots of all sites.
        double nearest = std::numeric_limits<double>::infinity();
        double best = to_K;
        const auto &residual = backend_.eigenstrain_stress_GPa();
        for (std::size_t i = 0; i < yield_.size(); ++i)
          {
            const SymmetricTensor6 r = deviator_inline(residual[i]);
            const double b = 1.5 * contraction_inline(thermal_deviator[i], r);
            const double c = 1.5 * contraction_inline(r, r);
            const double a = thermal_square[i];
            const double y2 = yield_[i] * yield_[i] * margin;
            if ((a * current + 2.0 * b) * current + c < y2 && (a * best + 2.0 * b) * best + c < y2)
              continue;
            if (const auto trigger = first_yield_temperature_change(thermal[i], residual[i], yield_[i], current, to_K))
              if (direction * (*trigger - current) < nearest)
                {
                  nearest = direction * (*trigger - current);
                  best = *trigger;
                }
          }
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

  void AthermalEventEngine::solve_deferred(const bool resume, const double current_K, const double end_K)
  {
    std::sort(deferred_changed_.begin(), deferred_changed_.end());
    deferred_changed_.erase(std::unique(deferred_changed_.begin(), deferred_changed_.end()), deferred_changed_.end());
    std::vector<SymmetricTensor6> increments(deferred_changed_.size());
    for (std::size_t j = 0; j < deferred_changed_.size(); ++j)
      {
        increments[j] = deferred_increment_[deferred_changed_[j]];
        deferred_increment_[deferred_changed_[j]] = SymmetricTensor6{};
      }
    backend_.add_eigenstrain(deferred_changed_, increments);
    deferred_changed_.clear();
    if (resume)
      deferred_->start(backend_.eigenstrain_stress_GPa(), current_K, end_K);
  }

  EventStatistics AthermalEventEngine::deferred_avalanche(const double dT)
  {
    DeferredFarField &field = *deferred_;
    EventStatistics statistics;
    const double strain = rule_.equivalent_strain * rule_.site_volume_fraction;
    const auto &thermal = backend_.thermal_stress_per_K_GPa();
    std::vector<std::size_t> flipped;
    std::vector<SymmetricTensor6> before, increment;
    std::vector<double> mine;
    for (std::size_t sweep = 0;; ++sweep)
      {
        field.unstable_sites(dT, flipped);
        const std::uint64_t count = sweep_count(flipped.size(), sweep, dT);
        if (count == 0)
          break;
        before.clear();
        increment.clear();
        mine.clear();
        for (const std::size_t i : flipped)
          {
            const SymmetricTensor6 residual = field.exact_residual(i);
            SymmetricTensor6 stress;
            for (std::size_t c = 0; c < 6; ++c)
              stress[c] = dT * thermal[i][c] + residual[c];
            before.push_back(stress);
            increment.push_back(flip(i, stress, strain));
            deferred_changed_.push_back(i);
            for (std::size_t c = 0; c < 6; ++c)
              deferred_increment_[i][c] += increment.back()[c];
            mine.push_back(static_cast<double>(deferred_grid_index_[i]));
            mine.insert(mine.end(), increment.back().begin(), increment.back().end());
          }
        // Every rank records every event of the sweep.
        const std::vector<double> all = core::gather_to_all(backend_.communicator(), mine);
        // In grid order, so that the record does not depend on the partition.
        std::vector<std::size_t> order(all.size() / 7);
        for (std::size_t e = 0; e < order.size(); ++e)
          order[e] = e;
        std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return all[7 * a] < all[7 * b]; });
        std::vector<std::size_t> points(order.size());
        std::vector<SymmetricTensor6> increments(points.size());
        for (std::size_t e = 0; e < points.size(); ++e)
          {
            const std::size_t k = order[e];
            points[e] = static_cast<std::size_t>(all[7 * k]);
            std::copy(all.begin() + static_cast<std::ptrdiff_t>(7 * k + 1), all.begin() + static_cast<std::ptrdiff_t>(7 * k + 7),
                      increments[e].begin());
          }
        field.add_events(points, increments);
        std::vector<SymmetricTensor6> after(flipped.size());
        for (std::size_t f = 0; f < flipped.size(); ++f)
          after[f] = field.exact_residual(flipped[f]);
        book_sweep(dT, flipped, before, after, increment, count, statistics);
      }
    if (statistics.events > 0)
      statistics.avalanches = 1;
    return statistics;
  }

  EventStatistics AthermalEventEngine::ramp_deferred(const double from_K, const double to_K)
  {
    DeferredFarField &field = *deferred_;
    EventStatistics statistics;
    const double direction = to_K > from_K ? 1.0 : -1.0;
    field.start(backend_.eigenstrain_stress_GPa(), from_K, to_K);
    double current = from_K;
    std::size_t idle_steps = 0;
    while (true)
      {
        // The same first trigger as the eager search below, found without visiting every site.
        const auto trigger = field.next_trigger();
        double nearest = trigger ? direction * (*trigger - current) : std::numeric_limits<double>::infinity();
        MPI_Allreduce(MPI_IN_PLACE, &nearest, 1, MPI_DOUBLE, MPI_MIN, backend_.communicator());
        if (!std::isfinite(nearest))
          break;
        current = nearest > 0.0 ? current + direction * nearest : current;
        field.advance(current);
        const EventStatistics step = deferred_avalanche(current);
        statistics += step;
        idle_steps = step.events == 0 ? idle_steps + 1 : 0;
        if (idle_steps > 3)
          throw std::logic_error(fmt::format("the event search stalled at ΔT = {} K", current));
        // Solves depend on the event count only (the same on every rank: all ranks record all
        // events), so a run is reproducible bit for bit.
        if (field.solve_due())
          solve_deferred(true, current, to_K);
      }
    // The back-end holds the ramp's eigenstrains and their exact stresses again.
    if (field.pending_events() > 0)
      solve_deferred(false, to_K, to_K);
    return statistics;
  }
} // namespace cryocycle::continuum
