// The searches of EventEngine that defer updates (event_engine.h): the deferred far field of
// events on back-ends with point responses, and the collected increments of sites with a site
// thermal-mismatch stress.
#include "continuum/events/event_engine.h"

#include "core/mpi_reduction.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <queue>
#include <stdexcept>

namespace cryocycle::continuum
{
  // ---------------------------------------------------------------------------------------------
  // The deferred far field

  void EventEngine::solve_deferred(const bool resume, const double current_K, const double end_K)
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

  EventStatistics EventEngine::deferred_avalanche(const double dT)
  {
    DeferredFarField &field = *deferred_;
    EventStatistics statistics;
    const Path path{nullptr, &backend_.thermal_stress_per_K_GPa(), true};
    const auto &thermal = *path.rate;
    std::vector<std::size_t> flipped;
    std::vector<SymmetricTensor6> before, increment;
    std::vector<double> mine;
    for (std::size_t sweep = 0;; ++sweep)
      {
        field.unstable_sites(dT, flipped);
        before.clear();
        increment.clear();
        mine.clear();
        double sites = 0.0;
        for (const std::size_t i : flipped)
          {
            const SymmetricTensor6 residual = field.exact_residual(i);
            SymmetricTensor6 stress;
            for (std::size_t c = 0; c < 6; ++c)
              stress[c] = dT * thermal[i][c] + residual[c];
            before.push_back(stress);
            increment.push_back(transform(i, stress, von_mises_equivalent(stress), true, 0.0, sites));
            deferred_changed_.push_back(i);
            for (std::size_t c = 0; c < 6; ++c)
              deferred_increment_[i][c] += increment.back()[c];
            mine.push_back(static_cast<double>(deferred_grid_index_[i]));
            mine.insert(mine.end(), increment.back().begin(), increment.back().end());
          }
        const auto [total, any] = sweep_total(sites, !flipped.empty(), sweep, path.where(dT));
        if (!any)
          break;
        // Every rank records every event of the sweep.
        const std::vector<double> all = core::gather_to_all(backend_.communicator(), mine);
        // In grid order, so that the record does not depend on the partition.
        std::vector<std::size_t> order(all.size() / 7);
        std::iota(order.begin(), order.end(), std::size_t{0});
        std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return all[7 * a] < all[7 * b]; });
        std::vector<std::size_t> points(order.size());
        std::vector<SymmetricTensor6> increments(points.size());
        for (std::size_t e = 0; e < points.size(); ++e)
          {
            const std::size_t k = order[e];
            points[e] = static_cast<std::size_t>(all[7 * k]);
            std::copy(all.begin() + static_cast<std::ptrdiff_t>(7 * k + 1),
                      all.begin() + static_cast<std::ptrdiff_t>(7 * k + 7), increments[e].begin());
          }
        field.add_events(points, increments);
        statistics.events += static_cast<std::uint64_t>(std::llround(total));
        statistics.sweeps += 1;
        // σ_after: the exact stresses the deferred bookkeeping now holds (the back-end's are
        // not yet updated).
        std::vector<SymmetricTensor6> after(flipped.size());
        for (std::size_t f = 0; f < flipped.size(); ++f)
          {
            const std::size_t i = flipped[f];
            const SymmetricTensor6 residual = field.exact_residual(i);
            for (std::size_t c = 0; c < 6; ++c)
              after[f][c] = dT * thermal[i][c] + residual[c];
          }
        book_work(path, dT, flipped, before, after, increment, statistics);
      }
    if (statistics.sweeps > 0)
      statistics.avalanches = 1;
    return statistics;
  }

  EventStatistics EventEngine::ramp_deferred(const double from_K, const double to_K)
  {
    DeferredFarField &field = *deferred_;
    EventStatistics statistics;
    const double direction = to_K > from_K ? 1.0 : -1.0;
    field.start(backend_.eigenstrain_stress_GPa(), from_K, to_K);
    double current = from_K;
    std::size_t idle_steps = 0;
    while (true)
      {
        // The same first trigger as the eager search, found without visiting every site.
        const auto trigger = field.next_trigger();
        double nearest = trigger ? direction * (*trigger - current) : std::numeric_limits<double>::infinity();
        MPI_Allreduce(MPI_IN_PLACE, &nearest, 1, MPI_DOUBLE, MPI_MIN, backend_.communicator());
        if (!std::isfinite(nearest))
          break;
        current = nearest > 0.0 ? current + direction * nearest : current;
        field.advance(current);
        const EventStatistics step = deferred_avalanche(current);
        statistics += step;
        idle_steps = step.sweeps == 0 ? idle_steps + 1 : 0;
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

  // ---------------------------------------------------------------------------------------------
  // Collected increments

  void EventEngine::apply_collected(const Path &path, const double x, EventStatistics &statistics)
  {
    std::vector<std::size_t> sites;
    std::vector<SymmetricTensor6> increments;
    for (std::size_t i = 0; i < collected_.size(); ++i)
      if (collected_[i] != SymmetricTensor6{})
        {
          sites.push_back(i);
          increments.push_back(collected_[i]);
          collected_[i] = SymmetricTensor6{};
        }
    std::uint64_t count = sites.size();
    MPI_Allreduce(MPI_IN_PLACE, &count, 1, MPI_UINT64_T, MPI_SUM, backend_.communicator());
    if (count == 0)
      return;
    std::vector<SymmetricTensor6> before(sites.size());
    for (std::size_t f = 0; f < sites.size(); ++f)
      before[f] = path_stress(path, x, sites[f]);
    backend_.add_eigenstrain(sites, increments);
    book_work(path, x, sites, before, stresses_at(path, x, sites), increments, statistics);
  }

  EventStatistics EventEngine::collecting_avalanche(const Path &path, const double x,
                                                    const std::vector<std::size_t> *check,
                                                    std::vector<std::size_t> &transformed, bool &applied,
                                                    const std::vector<double> *activated)
  {
    EventStatistics statistics;
    transformed.clear();
    applied = false;
    const double strain = rule_.equivalent_strain * rule_.site_volume_fraction;
    SitePopulation &population = *population_;
    bool check_all = check == nullptr;
    std::vector<std::size_t> examine = check_all ? std::vector<std::size_t>{} : *check;
    std::vector<std::size_t> transformed_now;
    for (std::size_t sweep = 0;; ++sweep)
      {
        if (check_all)
          {
            examine.resize(collected_.size());
            std::iota(examine.begin(), examine.end(), std::size_t{0});
          }
        transformed_now.clear();
        double sites = 0.0;
        double largest = 0.0;  // the largest collected equivalent strain touched in this sweep
        for (const std::size_t i : examine)
          {
            const SymmetricTensor6 stress = path_stress(path, x, i);
            const double sigma_eq = von_mises_equivalent(stress);
            const bool yields = population.yields_at(i, sigma_eq, rule_.trigger_tolerance);
            const bool activate_now = sweep == 0 && activated != nullptr && (*activated)[i] > 0.0 && sigma_eq > 0.0;
            if (!yields && !activate_now)
              continue;
            // The stress does not change until increments are applied, so a site whose renewed
            // trigger lands below it again transforms at once: transform until it is stable (the
            // sweeps of an avalanche, taken in place).
            double fraction = 0.0;
            if (!yields)
              {
                const Transformation t = population.activate(i, sigma_eq, (*activated)[i], rule_.rejuvenation_per_event);
                fraction += t.strain_fraction;
                sites += t.sites;
              }
            for (std::size_t again = 0; population.yields_at(i, sigma_eq, rule_.trigger_tolerance); ++again)
              {
                if (again >= rule_.max_sweeps)
                  throw std::runtime_error(fmt::format("site {} kept transforming at {}",
                                                       backend_.local_sites()[i].global_id, path.where(x)));
                const Transformation t = population.transform(i, sigma_eq, rule_.rejuvenation_per_event);
                fraction += t.strain_fraction;
                sites += t.sites;
              }
            transformed_now.push_back(i);
            if (!(sigma_eq > 0.0))
              continue;
            // Δε* = (m/n) f ε0 (3/2) dev σ / (σ_eq + offset), collected until applied.
            const double offset = population.driving_offset_GPa(i);
            const SymmetricTensor6 d =
              shear_transformation_increment(stress, fraction * strain * sigma_eq / (sigma_eq + offset));
            auto &collected = collected_[i];
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
          throw std::runtime_error(fmt::format("the avalanche at {} did not end after {} sweeps", path.where(x),
                                               rule_.max_sweeps));
        statistics.events += static_cast<std::uint64_t>(std::llround(counts[0]));
        statistics.sweeps += 1;
        transformed.insert(transformed.end(), transformed_now.begin(), transformed_now.end());
        if (counts[2] >= strain_tolerance_ && counts[2] > 0.0)
          {
            apply_collected(path, x, statistics);
            applied = true;
            check_all = true;
          }
        else
          {
            check_all = false;
            examine = transformed_now;
          }
      }
    if (statistics.sweeps > 0)
      statistics.avalanches = 1;
    return statistics;
  }

  EventStatistics EventEngine::collecting_ramp(const Path &path, const double from, const double to)
  {
    std::vector<std::size_t> transformed;
    bool applied = false;
    EventStatistics statistics = collecting_avalanche(path, from, nullptr, transformed, applied, nullptr);
    if (from == to)
      return statistics;
    const SitePopulation &population = *population_;
    const std::vector<SymmetricTensor6> &rate = *path.rate;
    const double direction = to > from ? 1.0 : -1.0;
    const double margin = 1.0 + 2.0 * rule_.trigger_tolerance;
    // Each site's next trigger as its distance along the path from `from`; a min-heap of them,
    // with entries that no longer match `next` skipped.
    const double infinity = std::numeric_limits<double>::infinity();
    std::vector<double> next(collected_.size(), infinity);
    using Entry = std::pair<double, std::size_t>;
    std::priority_queue<Entry, std::vector<Entry>, std::greater<>> heap;
    double current = from;
    const auto update = [&](const std::size_t i) {
      next[i] = infinity;
      // σ_eq is convex along the path: its largest value lies at an end.
      const double upper = std::max(von_mises_equivalent(path_stress(path, current, i)),
                                    von_mises_equivalent(path_stress(path, to, i)));
      if (!population.may_yield_below(i, upper * margin))
        return;
      if (const auto x = first_yield_temperature_change(rate[i], path_stress(path, 0.0, i),
                                                        population.trigger_stress_GPa(i), current, to))
        {
          next[i] = direction * (*x - from);
          heap.emplace(next[i], i);
        }
    };
    const auto update_all = [&] {
      heap = decltype(heap)();
      for (std::size_t i = 0; i < collected_.size(); ++i)
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
        // The local sites due at this point (ties transform together, as in the full search).
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
        const EventStatistics step = collecting_avalanche(path, current, &due, transformed, applied, nullptr);
        statistics += step;
        if (applied)
          update_all();
        else
          {
            for (const std::size_t i : due)
              update(i);
            for (const std::size_t i : transformed)
              update(i);
          }
        idle_steps = step.sweeps == 0 ? idle_steps + 1 : 0;
        if (idle_steps > 3)
          throw std::logic_error(fmt::format("the event search stalled at {}", path.where(current)));
      }
    return statistics;
  }
} // namespace cryocycle::continuum
