#include "continuum/homogenised_event_engine.h"

#include <fmt/format.h>

#include <mpi.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace cryocycle::continuum
{
  HomogenisedEventEngine::HomogenisedEventEngine(ElasticBackend &backend, ThresholdDistribution thresholds,
                                                 const std::vector<double> &initial_state, const EventRule &rule,
                                                 const HomogenisedCellRule &cells, const std::uint64_t seed)
    : backend_(backend)
    , thresholds_(std::move(thresholds))
    , rule_(rule)
  {
    const auto &sites = backend_.local_sites();
    if (initial_state.size() != sites.size())
      throw std::invalid_argument(fmt::format("{} structural states for {} local cells", initial_state.size(), sites.size()));
    if (!(rule_.equivalent_strain > 0.0) || !(rule_.site_volume_fraction > 0.0) || rule_.site_volume_fraction > 1.0)
      throw std::invalid_argument("an ST needs ε0 > 0 and a site volume fraction in (0, 1]");
    if (!(rule_.rejuvenation_per_event >= 0.0 && rule_.rejuvenation_per_event <= 1.0))
      throw std::invalid_argument("the rejuvenation per ST must lie in [0, 1]");
    cells_.reserve(sites.size());
    if (cells.site_volume_nm3 < 0.0 || !std::isfinite(cells.site_volume_nm3))
      throw std::invalid_argument(fmt::format("site volume {} nm³", cells.site_volume_nm3));
    for (std::size_t i = 0; i < sites.size(); ++i)
      {
        HomogenisedCellRule rule_of_cell = cells;
        if (cells.site_volume_nm3 > 0.0)
          rule_of_cell.sites_per_cell = std::max(1.0, std::round(sites[i].volume_nm3 / cells.site_volume_nm3));
        cells_.emplace_back(sites[i].global_id, initial_state[i], rule_of_cell, thresholds_, seed);
      }
    zero_rate_.assign(sites.size(), SymmetricTensor6{});
  }

  std::vector<double> HomogenisedEventEngine::trigger_stress_GPa() const
  {
    std::vector<double> t(cells_.size());
    for (std::size_t i = 0; i < cells_.size(); ++i)
      t[i] = cells_[i].trigger_stress_GPa();
    return t;
  }

  SiteStates HomogenisedEventEngine::save_state() const
  {
    SiteStates states;
    const auto &eigenstrain = backend_.eigenstrain();
    for (std::size_t i = 0; i < cells_.size(); ++i)
      {
        const auto &cell = cells_[i];
        auto record = cell.save();
        states.global_id.push_back(cell.id());
        states.eigenstrain.push_back(eigenstrain[i]);
        states.yield_stress_GPa.push_back(cell.trigger_stress_GPa());
        states.structural_state.push_back(cell.state());
        states.draws.push_back(static_cast<std::uint64_t>(record[1]));
        states.events.push_back(static_cast<std::uint64_t>(std::llround(std::min(cell.transformed_sites(), 1e18))));
        states.extra.push_back(std::move(record));
      }
    return states;
  }

  void HomogenisedEventEngine::restore_state(const SiteStates &states)
  {
    const std::size_t n = states.size();
    if (states.eigenstrain.size() != n || states.extra.size() != n)
      throw std::invalid_argument("saved cell states: the arrays differ in length or hold no cell records");
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(),
              [&](const std::size_t a, const std::size_t b) { return states.global_id[a] < states.global_id[b]; });
    std::vector<SymmetricTensor6> eigenstrain(cells_.size());
    std::string problem;
    for (std::size_t i = 0; i < cells_.size() && problem.empty(); ++i)
      {
        const auto found = std::lower_bound(order.begin(), order.end(), cells_[i].id(),
                                            [&](const std::size_t k, const std::uint64_t id) {
                                              return states.global_id[k] < id;
                                            });
        if (found == order.end() || states.global_id[*found] != cells_[i].id())
          {
            problem = fmt::format("the saved cell states have no cell with global id {}", cells_[i].id());
            break;
          }
        try
          {
            cells_[i].restore(states.extra[*found]);
          }
        catch (const std::invalid_argument &e)
          {
            problem = fmt::format("the saved state of cell {}: {}", cells_[i].id(), e.what());
          }
        eigenstrain[i] = states.eigenstrain[*found];
      }
    // Every rank learns of a failure on any rank, so all throw alike.
    int failed = problem.empty() ? 0 : 1;
    MPI_Allreduce(MPI_IN_PLACE, &failed, 1, MPI_INT, MPI_MAX, backend_.communicator());
    if (failed != 0)
      throw std::runtime_error(problem.empty() ? "the saved cell states do not match the cells (another rank)"
                                               : problem);
    backend_.update_eigenstrain(eigenstrain);
    backend_.resolve_from_scratch();
  }

  std::vector<double> HomogenisedEventEngine::structural_state() const
  {
    std::vector<double> s(cells_.size());
    for (std::size_t i = 0; i < cells_.size(); ++i)
      s[i] = cells_[i].state();
    return s;
  }

  std::vector<SymmetricTensor6> HomogenisedEventEngine::path_stress(const std::vector<SymmetricTensor6> *base,
                                                                    const std::vector<SymmetricTensor6> &rate,
                                                                    const double x) const
  {
    const auto &residual = backend_.eigenstrain_stress_GPa();
    std::vector<SymmetricTensor6> stress(cells_.size());
    for (std::size_t i = 0; i < cells_.size(); ++i)
      for (std::size_t c = 0; c < 6; ++c)
        stress[i][c] = x * rate[i][c] + residual[i][c] + (base ? (*base)[i][c] : 0.0);
    return stress;
  }

  std::vector<SymmetricTensor6> HomogenisedEventEngine::stress_GPa(const double dT) const
  {
    return path_stress(nullptr, backend_.thermal_stress_per_K_GPa(), dT);
  }

  std::vector<SymmetricTensor6>
  HomogenisedEventEngine::stress_under_load_GPa(const std::vector<SymmetricTensor6> &load) const
  {
    if (load.size() != cells_.size())
      throw std::invalid_argument("one load stress per local cell is needed");
    return path_stress(&load, zero_rate_, 0.0);
  }

  double HomogenisedEventEngine::largest_overload_GPa(const double dT) const
  {
    double overload = -std::numeric_limits<double>::infinity();
    const auto stress = stress_GPa(dT);
    for (std::size_t i = 0; i < stress.size(); ++i)
      overload = std::max(overload, von_mises_equivalent(stress[i]) - cells_[i].trigger_stress_GPa());
    MPI_Allreduce(MPI_IN_PLACE, &overload, 1, MPI_DOUBLE, MPI_MAX, backend_.communicator());
    return overload;
  }

  double HomogenisedEventEngine::relax(const std::vector<double> &relaxations, const double relaxation_per_event)
  {
    if (relaxations.size() != cells_.size())
      throw std::invalid_argument("one relaxation count per local cell is needed");
    if (!(relaxation_per_event >= 0.0 && relaxation_per_event <= 1.0))
      throw std::invalid_argument("the relaxation per event must lie in [0, 1]");
    double total = 0.0;
    for (std::size_t i = 0; i < cells_.size(); ++i)
      {
        cells_[i].relax(relaxations[i], relaxation_per_event, thresholds_);
        total += relaxations[i];
      }
    return total;
  }

  EventStatistics HomogenisedEventEngine::path_avalanche(const std::vector<SymmetricTensor6> *base,
                                                         const std::vector<SymmetricTensor6> &rate, const double x)
  {
    EventStatistics statistics;
    const double strain = rule_.equivalent_strain * rule_.site_volume_fraction;
    std::vector<std::size_t> flipped;
    std::vector<SymmetricTensor6> before;
    std::vector<SymmetricTensor6> increment;
    for (std::size_t sweep = 0;; ++sweep)
      {
        const auto stress = path_stress(base, rate, x);
        flipped.clear();
        before.clear();
        increment.clear();
        double sites = 0.0;
        for (std::size_t i = 0; i < stress.size(); ++i)
          {
            HomogenisedCell &cell = cells_[i];
            const double sigma_eq = von_mises_equivalent(stress[i]);
            if (sigma_eq < cell.trigger_stress_GPa() * (1.0 - rule_.trigger_tolerance) || sigma_eq <= 0.0)
              continue;
            const double before_sites = cell.transformed_sites();
            const double fraction = cell.flip(sigma_eq, rule_.rejuvenation_per_event, thresholds_);
            const SymmetricTensor6 d = shear_transformation_increment(stress[i], fraction * strain);
            flipped.push_back(i);
            before.push_back(stress[i]);
            increment.push_back(d);
            sites += cell.transformed_sites() - before_sites;
          }
        double counts[2] = {static_cast<double>(flipped.size()), sites};
        MPI_Allreduce(MPI_IN_PLACE, counts, 2, MPI_DOUBLE, MPI_SUM, backend_.communicator());
        if (counts[0] == 0.0)
          break;
        if (sweep >= rule_.max_sweeps)
          throw std::runtime_error(fmt::format("the avalanche at load parameter {} did not end after {} sweeps", x,
                                               rule_.max_sweeps));
        backend_.add_eigenstrain(flipped, increment);
        const auto after = path_stress(base, rate, x);
        double work[2] = {0.0, 0.0};  // total, against the residual (eigenstrain) stress alone
        for (std::size_t f = 0; f < flipped.size(); ++f)
          {
            const std::size_t i = flipped[f];
            SymmetricTensor6 mean{};
            SymmetricTensor6 residual{};
            for (std::size_t c = 0; c < 6; ++c)
              {
                mean[c] = 0.5 * (before[f][c] + after[i][c]);
                residual[c] = mean[c] - x * rate[i][c] - (base ? (*base)[i][c] : 0.0);
              }
            work[0] += backend_.local_sites()[i].volume_nm3 * double_contraction(mean, increment[f]);
            work[1] += backend_.local_sites()[i].volume_nm3 * double_contraction(residual, increment[f]);
          }
        MPI_Allreduce(MPI_IN_PLACE, work, 2, MPI_DOUBLE, MPI_SUM, backend_.communicator());
        statistics.events += static_cast<std::uint64_t>(std::llround(counts[1]));
        statistics.sweeps += 1;
        statistics.work_aJ += work[0];
        statistics.residual_work_aJ += work[1];
      }
    if (statistics.sweeps > 0)
      statistics.avalanches = 1;
    return statistics;
  }

  EventStatistics HomogenisedEventEngine::path_ramp(const std::vector<SymmetricTensor6> *base,
                                                    const std::vector<SymmetricTensor6> &rate, const double from,
                                                    const double to)
  {
    EventStatistics statistics = path_avalanche(base, rate, from);
    if (from == to)
      return statistics;
    const double direction = to > from ? 1.0 : -1.0;
    double current = from;
    std::size_t idle_steps = 0;
    while (true)
      {
        double nearest = std::numeric_limits<double>::infinity();
        const auto offset = path_stress(base, zero_rate_, 0.0);  // B + R
        for (std::size_t i = 0; i < cells_.size(); ++i)
          if (const auto trigger =
                first_yield_temperature_change(rate[i], offset[i], cells_[i].trigger_stress_GPa(), current, to))
            nearest = std::min(nearest, direction * (*trigger - current));
        MPI_Allreduce(MPI_IN_PLACE, &nearest, 1, MPI_DOUBLE, MPI_MIN, backend_.communicator());
        if (!std::isfinite(nearest))
          break;
        current = nearest > 0.0 ? current + direction * nearest : current;
        const EventStatistics step = path_avalanche(base, rate, current);
        statistics += step;
        idle_steps = step.sweeps == 0 ? idle_steps + 1 : 0;
        if (idle_steps > 3)
          throw std::logic_error(fmt::format("the event search stalled at load parameter {}", current));
      }
    return statistics;
  }

  EventStatistics HomogenisedEventEngine::ramp(const double from_K, const double to_K)
  {
    return path_ramp(nullptr, backend_.thermal_stress_per_K_GPa(), from_K, to_K);
  }

  EventStatistics HomogenisedEventEngine::avalanche(const double dT)
  {
    return path_avalanche(nullptr, backend_.thermal_stress_per_K_GPa(), dT);
  }

  EventStatistics HomogenisedEventEngine::avalanche_at_load(const std::vector<SymmetricTensor6> &load)
  {
    if (load.size() != cells_.size())
      throw std::invalid_argument("one load stress per local cell is needed");
    return path_avalanche(&load, zero_rate_, 0.0);
  }

  EventStatistics HomogenisedEventEngine::ramp_load(const std::vector<SymmetricTensor6> &load_before,
                                                    const std::vector<SymmetricTensor6> &load_after)
  {
    if (load_before.size() != cells_.size() || load_after.size() != cells_.size())
      throw std::invalid_argument("one load stress per local cell is needed at both ends of the path");
    std::vector<SymmetricTensor6> rate(cells_.size());
    for (std::size_t i = 0; i < cells_.size(); ++i)
      for (std::size_t c = 0; c < 6; ++c)
        rate[i][c] = load_after[i][c] - load_before[i][c];
    return path_ramp(&load_before, rate, 0.0, 1.0);
  }
} // namespace cryocycle::continuum
