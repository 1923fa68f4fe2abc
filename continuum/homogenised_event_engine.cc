#include "continuum/homogenised_event_engine.h"

#include <fmt/format.h>

#include <mpi.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <queue>
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
    mismatch_ = thresholds_.site_thermal_stress.get();
    if (!(cells.deferred_strain_tolerance >= 0.0))
      throw std::invalid_argument(fmt::format("deferred strain tolerance {}", cells.deferred_strain_tolerance));
    deferred_strain_tolerance_ = cells.deferred_strain_tolerance;
    deferred_.assign(sites.size(), SymmetricTensor6{});
  }

  void HomogenisedEventEngine::apply_deferred(const std::vector<SymmetricTensor6> *base,
                                              const std::vector<SymmetricTensor6> &rate, const double x,
                                              EventStatistics &statistics)
  {
    std::vector<std::size_t> cells;
    std::vector<SymmetricTensor6> increments;
    for (std::size_t i = 0; i < deferred_.size(); ++i)
      if (deferred_[i] != SymmetricTensor6{})
        {
          cells.push_back(i);
          increments.push_back(deferred_[i]);
          deferred_[i] = SymmetricTensor6{};
        }
    std::uint64_t count = cells.size();
    MPI_Allreduce(MPI_IN_PLACE, &count, 1, MPI_UINT64_T, MPI_SUM, backend_.communicator());
    if (count == 0)
      return;
    std::vector<SymmetricTensor6> before(cells.size());
    for (std::size_t f = 0; f < cells.size(); ++f)
      before[f] = cell_stress(base, rate, x, cells[f]);
    backend_.add_eigenstrain(cells, increments);
    book_work(base, rate, x, cells, before, increments, statistics);
  }

  void HomogenisedEventEngine::book_work(const std::vector<SymmetricTensor6> *base,
                                         const std::vector<SymmetricTensor6> &rate, const double x,
                                         const std::vector<std::size_t> &cells,
                                         const std::vector<SymmetricTensor6> &before,
                                         const std::vector<SymmetricTensor6> &increments,
                                         EventStatistics &statistics) const
  {
    double work[2] = {0.0, 0.0};  // total, against the residual (eigenstrain) stress alone
    for (std::size_t f = 0; f < cells.size(); ++f)
      {
        const std::size_t i = cells[f];
        const SymmetricTensor6 after = cell_stress(base, rate, x, i);
        SymmetricTensor6 mean{};
        SymmetricTensor6 residual{};
        for (std::size_t c = 0; c < 6; ++c)
          {
            mean[c] = 0.5 * (before[f][c] + after[c]);
            residual[c] = mean[c] - x * rate[i][c] - (base ? (*base)[i][c] : 0.0);
          }
        work[0] += backend_.local_sites()[i].volume_nm3 * double_contraction(mean, increments[f]);
        work[1] += backend_.local_sites()[i].volume_nm3 * double_contraction(residual, increments[f]);
      }
    MPI_Allreduce(MPI_IN_PLACE, work, 2, MPI_DOUBLE, MPI_SUM, backend_.communicator());
    statistics.work_aJ += work[0];
    statistics.residual_work_aJ += work[1];
  }

  EventStatistics HomogenisedEventEngine::flush(const std::vector<SymmetricTensor6> *load, const double dT)
  {
    EventStatistics statistics;
    if (load && load->size() != cells_.size())
      throw std::invalid_argument("one load stress per local cell is needed");
    if (load)
      apply_deferred(load, zero_rate_, 0.0, statistics);
    else
      apply_deferred(nullptr, backend_.thermal_stress_per_K_GPa(), dT, statistics);
    return statistics;
  }

  void HomogenisedEventEngine::resolve_from_scratch()
  {
    EventStatistics ignored;
    apply_deferred(nullptr, zero_rate_, 0.0, ignored);
    backend_.resolve_from_scratch();
  }

  void HomogenisedEventEngine::set_site_temperature_change(const std::vector<double> &temperature_change_K)
  {
    if (temperature_change_K.size() != cells_.size())
      throw std::invalid_argument("one temperature change per local cell is needed");
    if (!mismatch_)
      return;
    for (std::size_t i = 0; i < cells_.size(); ++i)
      cells_[i].set_mismatch_scale(mismatch_->scale(temperature_change_K[i]), thresholds_);
  }

  void HomogenisedEventEngine::set_site_temperature_change(const double temperature_change_K)
  {
    set_site_temperature_change(std::vector<double>(cells_.size(), temperature_change_K));
  }

  std::vector<double> HomogenisedEventEngine::trigger_stress_GPa() const
  {
    std::vector<double> t(cells_.size());
    for (std::size_t i = 0; i < cells_.size(); ++i)
      t[i] = cells_[i].trigger_stress_GPa(thresholds_);
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
        SymmetricTensor6 total = eigenstrain[i];
        for (std::size_t c = 0; c < 6; ++c)
          total[c] += deferred_[i][c];
        states.eigenstrain.push_back(total);
        // (A pending trigger is not computed here: saving must not change the cells.)
        states.yield_stress_GPa.push_back(cell.last_trigger_stress_GPa());
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
    std::fill(deferred_.begin(), deferred_.end(), SymmetricTensor6{});
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
    std::vector<SymmetricTensor6> stress(cells_.size());
    for (std::size_t i = 0; i < cells_.size(); ++i)
      stress[i] = cell_stress(base, rate, x, i);
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
      overload = std::max(overload, von_mises_equivalent(stress[i]) - cells_[i].trigger_stress_GPa(thresholds_));
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

  SymmetricTensor6 HomogenisedEventEngine::cell_stress(const std::vector<SymmetricTensor6> *base,
                                                       const std::vector<SymmetricTensor6> &rate, const double x,
                                                       const std::size_t i) const
  {
    const auto &residual = backend_.eigenstrain_stress_GPa()[i];
    SymmetricTensor6 stress{};
    for (std::size_t c = 0; c < 6; ++c)
      stress[c] = x * rate[i][c] + residual[c] + (base ? (*base)[i][c] : 0.0);
    return stress;
  }

  EventStatistics HomogenisedEventEngine::deferred_avalanche(const std::vector<SymmetricTensor6> *base,
                                                             const std::vector<SymmetricTensor6> &rate, const double x,
                                                             const std::vector<std::size_t> *check,
                                                             std::vector<std::size_t> &flipped, bool &applied,
                                                             const std::vector<double> *activated)
  {
    EventStatistics statistics;
    flipped.clear();
    applied = false;
    const double strain = rule_.equivalent_strain * rule_.site_volume_fraction;
    bool check_all = check == nullptr;
    std::vector<std::size_t> examine = check_all ? std::vector<std::size_t>{} : *check;
    std::vector<std::size_t> flipped_now;
    for (std::size_t sweep = 0;; ++sweep)
      {
        if (check_all)
          {
            examine.resize(cells_.size());
            std::iota(examine.begin(), examine.end(), std::size_t{0});
          }
        flipped_now.clear();
        double sites = 0.0;
        double largest = 0.0;  // the largest deferred equivalent strain touched in this sweep
        for (const std::size_t i : examine)
          {
            HomogenisedCell &cell = cells_[i];
            const SymmetricTensor6 stress = cell_stress(base, rate, x, i);
            const double sigma_eq = von_mises_equivalent(stress);
            const bool yields = cell.yields_at(sigma_eq, rule_.trigger_tolerance, thresholds_);
            const bool activate_now = sweep == 0 && activated != nullptr && (*activated)[i] > 0.0 && sigma_eq > 0.0;
            if (!yields && !activate_now)
              continue;
            // The stress does not change until increments are applied, so the cell's renewed
            // sites that land below it again transform at once: flip until it is stable (the
            // sweeps of an avalanche, taken in place).
            double fraction = 0.0;
            const double before_sites = cell.transformed_sites();
            if (!yields)
              fraction += cell.activate(sigma_eq, (*activated)[i], rule_.rejuvenation_per_event, thresholds_);
            for (std::size_t again = 0; cell.yields_at(sigma_eq, rule_.trigger_tolerance, thresholds_); ++again)
              {
                if (again >= rule_.max_sweeps)
                  throw std::runtime_error(fmt::format("cell {} kept flipping at load parameter {}", cell.id(), x));
                fraction += cell.flip(sigma_eq, rule_.rejuvenation_per_event, thresholds_);
              }
            sites += cell.transformed_sites() - before_sites;
            flipped_now.push_back(i);
            if (!(sigma_eq > 0.0))
              continue;
            // Δε* = (m/n) f ε0 (3/2) dev σ / (σ_eq + c E[t]), collected until applied.
            const double mismatch = cell.mismatch_scale() * mismatch_->mean_GPa();
            const SymmetricTensor6 d =
              shear_transformation_increment(stress, fraction * strain * sigma_eq / (sigma_eq + mismatch));
            auto &collected = deferred_[i];
            for (std::size_t c = 0; c < 6; ++c)
              collected[c] += d[c];
            largest = std::max(largest, equivalent_strain(collected));
          }
        double counts[3] = {sites, sites > 0.0 ? 1.0 : 0.0, largest};
        MPI_Allreduce(MPI_IN_PLACE, counts, 2, MPI_DOUBLE, MPI_SUM, backend_.communicator());
        MPI_Allreduce(MPI_IN_PLACE, &counts[2], 1, MPI_DOUBLE, MPI_MAX, backend_.communicator());
        if (counts[1] == 0.0)
          break;
        if (sweep >= rule_.max_sweeps)
          throw std::runtime_error(fmt::format("the avalanche at load parameter {} did not end after {} sweeps", x,
                                               rule_.max_sweeps));
        statistics.events += static_cast<std::uint64_t>(std::llround(counts[0]));
        statistics.sweeps += 1;
        flipped.insert(flipped.end(), flipped_now.begin(), flipped_now.end());
        if (counts[2] >= deferred_strain_tolerance_ && counts[2] > 0.0)
          {
            apply_deferred(base, rate, x, statistics);
            applied = true;
            check_all = true;
          }
        else
          {
            check_all = false;
            examine = flipped_now;
          }
      }
    if (statistics.sweeps > 0)
      statistics.avalanches = 1;
    return statistics;
  }

  EventStatistics HomogenisedEventEngine::deferred_ramp(const std::vector<SymmetricTensor6> *base,
                                                        const std::vector<SymmetricTensor6> &rate, const double from,
                                                        const double to)
  {
    std::vector<std::size_t> flipped;
    bool applied = false;
    EventStatistics statistics = deferred_avalanche(base, rate, from, nullptr, flipped, applied);
    if (from == to)
      return statistics;
    const double direction = to > from ? 1.0 : -1.0;
    const double margin = 1.0 + 2.0 * rule_.trigger_tolerance;
    // Each cell's next trigger as its distance along the path from `from`; a min-heap of them,
    // with entries that no longer match `next` skipped.
    const double infinity = std::numeric_limits<double>::infinity();
    std::vector<double> next(cells_.size(), infinity);
    using Entry = std::pair<double, std::size_t>;
    std::priority_queue<Entry, std::vector<Entry>, std::greater<>> heap;
    double current = from;
    const auto update = [&](const std::size_t i) {
      next[i] = infinity;
      const SymmetricTensor6 at_current = cell_stress(base, rate, current, i);
      const SymmetricTensor6 at_end = cell_stress(base, rate, to, i);
      // σ_eq is convex along the path: its largest value lies at an end.
      const double upper = std::max(von_mises_equivalent(at_current), von_mises_equivalent(at_end));
      if (!cells_[i].may_yield_below(upper * margin, thresholds_))
        return;
      const SymmetricTensor6 offset = cell_stress(base, rate, 0.0, i);
      if (const auto x = first_yield_temperature_change(rate[i], offset, cells_[i].trigger_stress_GPa(thresholds_),
                                                        current, to))
        {
          next[i] = direction * (*x - from);
          heap.emplace(next[i], i);
        }
    };
    const auto update_all = [&] {
      heap = decltype(heap)();
      for (std::size_t i = 0; i < cells_.size(); ++i)
        update(i);
    };
    update_all();
    std::size_t idle_steps = 0;
    std::vector<std::size_t> due;
    while (true)
      {
        while (!heap.empty() && heap.top().first != next[heap.top().second])
          heap.pop();
        double nearest = heap.empty() ? infinity : heap.top().first;
        MPI_Allreduce(MPI_IN_PLACE, &nearest, 1, MPI_DOUBLE, MPI_MIN, backend_.communicator());
        if (!std::isfinite(nearest))
          break;
        current = std::max(direction * (current - from), nearest) * direction + from;
        // The local cells due at this point (ties flip together, as in the full search).
        due.clear();
        while (!heap.empty() && heap.top().first <= nearest)
          {
            const auto [key, i] = heap.top();
            heap.pop();
            if (key == next[i])
              {
                due.push_back(i);
                next[i] = infinity;
              }
          }
        const EventStatistics step = deferred_avalanche(base, rate, current, &due, flipped, applied);
        statistics += step;
        if (applied)
          update_all();
        else
          {
            for (const std::size_t i : due)
              update(i);
            for (const std::size_t i : flipped)
              update(i);
          }
        idle_steps = step.sweeps == 0 ? idle_steps + 1 : 0;
        if (idle_steps > 3)
          throw std::logic_error(fmt::format("the event search stalled at load parameter {}", current));
      }
    return statistics;
  }

  EventStatistics HomogenisedEventEngine::path_avalanche(const std::vector<SymmetricTensor6> *base,
                                                         const std::vector<SymmetricTensor6> &rate, const double x,
                                                         const std::vector<double> *activated)
  {
    if (activated != nullptr && activated->size() != cells_.size())
      throw std::invalid_argument(fmt::format("{} stress-assisted site counts for {} local cells", activated->size(),
                                              cells_.size()));
    if (mismatch_)
      {
        std::vector<std::size_t> flipped;
        bool applied = false;
        return deferred_avalanche(base, rate, x, nullptr, flipped, applied, activated);
      }
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
            const double trigger = cell.trigger_stress_GPa();
            const bool yields = !(sigma_eq < trigger * (1.0 - rule_.trigger_tolerance) || sigma_eq <= 0.0);
            const bool activate_now = sweep == 0 && activated != nullptr && (*activated)[i] > 0.0 && sigma_eq > 0.0;
            if (!yields && !activate_now)
              continue;
            const double before_sites = cell.transformed_sites();
            const double fraction = yields ? cell.flip(sigma_eq, rule_.rejuvenation_per_event, thresholds_)
                                           : cell.activate(sigma_eq, (*activated)[i], rule_.rejuvenation_per_event,
                                                           thresholds_);
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
        statistics.events += static_cast<std::uint64_t>(std::llround(counts[1]));
        statistics.sweeps += 1;
        backend_.add_eigenstrain(flipped, increment);
        book_work(base, rate, x, flipped, before, increment, statistics);
      }
    if (statistics.sweeps > 0)
      statistics.avalanches = 1;
    return statistics;
  }

  EventStatistics HomogenisedEventEngine::path_ramp(const std::vector<SymmetricTensor6> *base,
                                                    const std::vector<SymmetricTensor6> &rate, const double from,
                                                    const double to)
  {
    if (mismatch_)
      return deferred_ramp(base, rate, from, to);
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
          {
            if (const auto trigger = first_yield_temperature_change(rate[i], offset[i],
                                                                    cells_[i].trigger_stress_GPa(), current, to))
              nearest = std::min(nearest, direction * (*trigger - current));
          }
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

  EventStatistics HomogenisedEventEngine::activate(const std::vector<double> &sites, const double dT)
  {
    return path_avalanche(nullptr, backend_.thermal_stress_per_K_GPa(), dT, &sites);
  }

  EventStatistics HomogenisedEventEngine::activate_at_load(const std::vector<double> &sites,
                                                           const std::vector<SymmetricTensor6> &load)
  {
    if (load.size() != cells_.size())
      throw std::invalid_argument("one load stress per local cell is needed");
    return path_avalanche(&load, zero_rate_, 0.0, &sites);
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
