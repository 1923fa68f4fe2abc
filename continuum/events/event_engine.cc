#include "continuum/events/event_engine.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace cryocycle::continuum
{
  void EventRule::declare(core::ConfigSection &section)
  {
    using core::ConfigRange;
    const EventRule d;
    section.real("equivalent_strain", d.equivalent_strain, ConfigRange::left_open(0.0, 1.0),
                 "ε0: equivalent plastic strain of one ST of a site (keep 2G·f·ε0 well below σ_y, or the "
                 "site's own stress drop overshoots).");
    section.real("site_volume_fraction", d.site_volume_fraction, ConfigRange::left_open(0.0, 1.0),
                 "f: ST zone volume / site volume.");
    section.real("rejuvenation_per_event", d.rejuvenation_per_event, ConfigRange::closed(0.0, 1.0),
                 "η_ST: an ST moves the site's state s this fraction of the way to the rejuvenated state.");
  }

  EventRule EventRule::parse(const core::ConfigValues &section)
  {
    EventRule rule;
    rule.equivalent_strain = section.real("equivalent_strain");
    rule.site_volume_fraction = section.real("site_volume_fraction");
    rule.rejuvenation_per_event = section.real("rejuvenation_per_event");
    return rule;
  }

  std::string EventEngine::Path::where(const double x) const
  {
    return uniform ? fmt::format("ΔT = {} K", x) : fmt::format("load parameter {}", x);
  }

  EventStatistics &EventStatistics::operator+=(const EventStatistics &other)
  {
    events += other.events;
    avalanches += other.avalanches;
    sweeps += other.sweeps;
    work_aJ += other.work_aJ;
    residual_work_aJ += other.residual_work_aJ;
    return *this;
  }

  bool SitePopulation::yields_at(const std::size_t i, const double von_mises_GPa, const double tolerance) const
  {
    return von_mises_GPa > 0.0 && !(von_mises_GPa < trigger_stress_GPa(i) * (1.0 - tolerance));
  }

  bool SitePopulation::may_yield_below(const std::size_t i, const double upper_GPa) const
  {
    return upper_GPa >= trigger_stress_GPa(i);
  }

  EventEngine::EventEngine(ElasticBackend &backend, std::unique_ptr<SitePopulation> population, const EventRule &rule,
                           const double strain_tolerance)
    : backend_(backend)
    , population_(std::move(population))
    , rule_(rule)
    , strain_tolerance_(strain_tolerance)
  {
    const std::size_t n = backend_.local_sites().size();
    if (!population_ || population_->size() != n)
      throw std::invalid_argument(fmt::format("{} population sites for {} local sites of the back-end",
                                              population_ ? population_->size() : 0, n));
    if (!(rule_.equivalent_strain > 0.0) || !(rule_.site_volume_fraction > 0.0) || rule_.site_volume_fraction > 1.0)
      throw std::invalid_argument("an ST needs ε0 > 0 and a site volume fraction in (0, 1]");
    if (!(rule_.rejuvenation_per_event >= 0.0 && rule_.rejuvenation_per_event <= 1.0))
      throw std::invalid_argument("the rejuvenation per ST must lie in [0, 1]");
    if (!(strain_tolerance_ >= 0.0))
      throw std::invalid_argument(fmt::format("collected strain tolerance {}", strain_tolerance_));
    zero_rate_.assign(n, SymmetricTensor6{});
    collected_.assign(n, SymmetricTensor6{});
    trigger_.assign(n, 0.0);
    refresh_triggers();
  }

  EventEngine::~EventEngine() = default;

  void EventEngine::refresh_triggers()
  {
    if (population_->collects_increments())
      return;
    for (std::size_t i = 0; i < trigger_.size(); ++i)
      trigger_[i] = population_->trigger_stress_GPa(i);
  }

  SymmetricTensor6 EventEngine::path_stress(const Path &path, const double x, const std::size_t i) const
  {
    const auto &residual = backend_.eigenstrain_stress_GPa()[i];
    const auto &rate = (*path.rate)[i];
    SymmetricTensor6 stress;
    for (std::size_t c = 0; c < 6; ++c)
      stress[c] = x * rate[c] + residual[c];
    if (path.base)
      for (std::size_t c = 0; c < 6; ++c)
        stress[c] += (*path.base)[i][c];
    return stress;
  }

  std::vector<SymmetricTensor6> EventEngine::path_stresses(const Path &path, const double x) const
  {
    std::vector<SymmetricTensor6> stress(trigger_.size());
    for (std::size_t i = 0; i < stress.size(); ++i)
      stress[i] = path_stress(path, x, i);
    return stress;
  }

  std::vector<SymmetricTensor6> EventEngine::stress_GPa(const double dT) const
  {
    return path_stresses(Path{nullptr, &backend_.thermal_stress_per_K_GPa(), true}, dT);
  }

  std::vector<SymmetricTensor6> EventEngine::stress_under_load_GPa(const std::vector<SymmetricTensor6> &load) const
  {
    if (load.size() != trigger_.size())
      throw std::invalid_argument("one load stress per local site is needed");
    return path_stresses(Path{&load, &zero_rate_, false}, 0.0);
  }

  double EventEngine::largest_overload_GPa(const double dT) const
  {
    double overload = -std::numeric_limits<double>::infinity();
    const auto stress = stress_GPa(dT);
    for (std::size_t i = 0; i < stress.size(); ++i)
      overload = std::max(overload, von_mises_equivalent(stress[i]) - population_->trigger_stress_GPa(i));
    MPI_Allreduce(MPI_IN_PLACE, &overload, 1, MPI_DOUBLE, MPI_MAX, backend_.communicator());
    return overload;
  }

  SiteStates EventEngine::save_state() const
  {
    SiteStates states;
    const auto &eigenstrain = backend_.eigenstrain();
    for (std::size_t i = 0; i < trigger_.size(); ++i)
      {
        states.global_id.push_back(backend_.local_sites()[i].global_id);
        SymmetricTensor6 total = eigenstrain[i];
        if (population_->collects_increments())
          for (std::size_t c = 0; c < 6; ++c)
            total[c] += collected_[i][c];
        states.eigenstrain.push_back(total);
        population_->save(i, states);
      }
    return states;
  }

  void EventEngine::restore_state(const SiteStates &states)
  {
    const std::size_t n = states.size();
    if (states.eigenstrain.size() != n)
      throw std::invalid_argument("saved site states: the arrays differ in length");
    population_->check_saved(states);
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(),
              [&](const std::size_t a, const std::size_t b) { return states.global_id[a] < states.global_id[b]; });
    const auto &sites = backend_.local_sites();
    std::vector<SymmetricTensor6> eigenstrain(sites.size());
    std::string problem;
    for (std::size_t i = 0; i < sites.size() && problem.empty(); ++i)
      {
        const auto found = std::lower_bound(order.begin(), order.end(), sites[i].global_id,
                                            [&](const std::size_t k, const std::uint64_t id) {
                                              return states.global_id[k] < id;
                                            });
        if (found == order.end() || states.global_id[*found] != sites[i].global_id)
          {
            problem = fmt::format("the saved states have no site with global id {}", sites[i].global_id);
            break;
          }
        problem = population_->restore(i, states, *found);
        eigenstrain[i] = states.eigenstrain[*found];
      }
    // Every rank learns of a failure on any rank, so all throw alike.
    int failed = problem.empty() ? 0 : 1;
    MPI_Allreduce(MPI_IN_PLACE, &failed, 1, MPI_INT, MPI_MAX, backend_.communicator());
    if (failed != 0)
      throw std::runtime_error(problem.empty() ? "the saved states do not match the sites (another rank)" : problem);
    std::fill(collected_.begin(), collected_.end(), SymmetricTensor6{});
    refresh_triggers();
    backend_.update_eigenstrain(eigenstrain);
    backend_.resolve_from_scratch();
  }

  EventStatistics EventEngine::flush(const std::vector<SymmetricTensor6> *load, const double dT)
  {
    EventStatistics statistics;
    if (load && load->size() != trigger_.size())
      throw std::invalid_argument("one load stress per local site is needed");
    if (!population_->collects_increments())
      return statistics;
    if (load)
      apply_collected(Path{load, &zero_rate_, false}, 0.0, statistics);
    else
      apply_collected(Path{nullptr, &backend_.thermal_stress_per_K_GPa(), true}, dT, statistics);
    return statistics;
  }

  void EventEngine::resolve_from_scratch()
  {
    if (population_->collects_increments())
      {
        EventStatistics ignored;
        apply_collected(Path{nullptr, &zero_rate_, true}, 0.0, ignored);
      }
    backend_.resolve_from_scratch();
  }

  // ---------------------------------------------------------------------------------------------
  // Entry points

  EventStatistics EventEngine::ramp(const double from_K, const double to_K)
  {
    return path_ramp(Path{nullptr, &backend_.thermal_stress_per_K_GPa(), true}, from_K, to_K);
  }

  EventStatistics EventEngine::ramp_load(const std::vector<SymmetricTensor6> &load_before,
                                         const std::vector<SymmetricTensor6> &load_after)
  {
    if (load_before.size() != trigger_.size() || load_after.size() != trigger_.size())
      throw std::invalid_argument("one load stress per local site is needed at both ends of the path");
    std::vector<SymmetricTensor6> rate(trigger_.size());
    for (std::size_t i = 0; i < rate.size(); ++i)
      for (std::size_t c = 0; c < 6; ++c)
        rate[i][c] = load_after[i][c] - load_before[i][c];
    return path_ramp(Path{&load_before, &rate, false}, 0.0, 1.0);
  }

  EventStatistics EventEngine::avalanche(const double dT)
  {
    return path_avalanche(Path{nullptr, &backend_.thermal_stress_per_K_GPa(), true}, dT, nullptr);
  }

  EventStatistics EventEngine::avalanche_at_load(const std::vector<SymmetricTensor6> &load)
  {
    if (load.size() != trigger_.size())
      throw std::invalid_argument("one load stress per local site is needed");
    return path_avalanche(Path{&load, &zero_rate_, false}, 0.0, nullptr);
  }

  EventStatistics EventEngine::activate(const std::vector<double> &sites, const double dT)
  {
    return path_avalanche(Path{nullptr, &backend_.thermal_stress_per_K_GPa(), true}, dT, &sites);
  }

  EventStatistics EventEngine::activate_at_load(const std::vector<double> &sites,
                                                const std::vector<SymmetricTensor6> &load)
  {
    if (load.size() != trigger_.size())
      throw std::invalid_argument("one load stress per local site is needed");
    return path_avalanche(Path{&load, &zero_rate_, false}, 0.0, &sites);
  }

  // ---------------------------------------------------------------------------------------------
  // The eager search

  SymmetricTensor6 EventEngine::transform(const std::size_t i, const SymmetricTensor6 &stress, const double von_mises,
                                          const bool yields, const double activated_sites, double &sites)
  {
    const Transformation t = yields ? population_->transform(i, von_mises, rule_.rejuvenation_per_event)
                                    : population_->activate(i, von_mises, activated_sites, rule_.rejuvenation_per_event);
    trigger_[i] = population_->trigger_stress_GPa(i);
    sites += t.sites;
    return shear_transformation_increment(stress,
                                          t.strain_fraction * (rule_.equivalent_strain * rule_.site_volume_fraction));
  }

  std::pair<double, bool> EventEngine::sweep_total(const double local_sites, const bool any_local,
                                                   const std::size_t sweep, const std::string &where) const
  {
    double counts[2] = {local_sites, any_local ? 1.0 : 0.0};
    MPI_Allreduce(MPI_IN_PLACE, counts, 2, MPI_DOUBLE, MPI_SUM, backend_.communicator());
    if (counts[1] > 0.0 && sweep >= rule_.max_sweeps)
      throw std::runtime_error(fmt::format("the avalanche at {} did not end after {} sweeps", where, rule_.max_sweeps));
    return {counts[0], counts[1] > 0.0};
  }

  std::vector<SymmetricTensor6> EventEngine::stresses_at(const Path &path, const double x,
                                                         const std::vector<std::size_t> &sites) const
  {
    std::vector<SymmetricTensor6> stress(sites.size());
    for (std::size_t f = 0; f < sites.size(); ++f)
      stress[f] = path_stress(path, x, sites[f]);
    return stress;
  }

  void EventEngine::book_work(const Path &path, const double x, const std::vector<std::size_t> &sites,
                              const std::vector<SymmetricTensor6> &before, const std::vector<SymmetricTensor6> &after,
                              const std::vector<SymmetricTensor6> &increments, EventStatistics &statistics) const
  {
    double work[2] = {0.0, 0.0};  // total, against the residual (eigenstrain) stress alone
    for (std::size_t f = 0; f < sites.size(); ++f)
      {
        const std::size_t i = sites[f];
        SymmetricTensor6 mean{};
        SymmetricTensor6 residual{};
        for (std::size_t c = 0; c < 6; ++c)
          {
            mean[c] = 0.5 * (before[f][c] + after[f][c]);
            residual[c] = mean[c] - x * (*path.rate)[i][c] - (path.base ? (*path.base)[i][c] : 0.0);
          }
        work[0] += backend_.local_sites()[i].volume_nm3 * double_contraction(mean, increments[f]);
        work[1] += backend_.local_sites()[i].volume_nm3 * double_contraction(residual, increments[f]);
      }
    MPI_Allreduce(MPI_IN_PLACE, work, 2, MPI_DOUBLE, MPI_SUM, backend_.communicator());
    statistics.work_aJ += work[0];
    statistics.residual_work_aJ += work[1];
  }

  EventStatistics EventEngine::path_avalanche(const Path &path, const double x, const std::vector<double> *activated)
  {
    if (activated != nullptr && activated->size() != trigger_.size())
      throw std::invalid_argument(fmt::format("{} stress-assisted site counts for {} local sites", activated->size(),
                                              trigger_.size()));
    if (population_->collects_increments())
      {
        std::vector<std::size_t> transformed;
        bool applied = false;
        return collecting_avalanche(path, x, nullptr, transformed, applied, activated);
      }
    EventStatistics statistics;
    std::vector<std::size_t> flipped;
    std::vector<SymmetricTensor6> before;
    std::vector<SymmetricTensor6> increment;
    for (std::size_t sweep = 0;; ++sweep)
      {
        flipped.clear();
        before.clear();
        increment.clear();
        double sites = 0.0;
        // (The back-end's arrays are read once per sweep: its accessors are virtual.)
        const auto &residual = backend_.eigenstrain_stress_GPa();
        const auto &rate = *path.rate;
        for (std::size_t i = 0; i < trigger_.size(); ++i)
          {
            SymmetricTensor6 stress;
            for (std::size_t c = 0; c < 6; ++c)
              stress[c] = x * rate[i][c] + residual[i][c];
            if (path.base)
              for (std::size_t c = 0; c < 6; ++c)
                stress[c] += (*path.base)[i][c];
            // Most sites are far below their trigger: rule them out on σ_eq² with a margin far
            // above round-off, and decide the rest exactly as below.
            const double threshold = trigger_[i] * (1.0 - rule_.trigger_tolerance);
            const bool forced = sweep == 0 && activated != nullptr && (*activated)[i] > 0.0;
            const SymmetricTensor6 s = deviator(stress);
            if (!forced && threshold > 0.0 && 1.5 * double_contraction(s, s) < threshold * threshold * (1.0 - 1e-10))
              continue;
            const double sigma_eq = von_mises_equivalent(stress);
            const bool yields = !(sigma_eq < threshold);
            if ((!forced && !yields) || sigma_eq <= 0.0)
              continue;
            flipped.push_back(i);
            before.push_back(stress);
            increment.push_back(transform(i, stress, sigma_eq, yields, forced ? (*activated)[i] : 0.0, sites));
          }
        const auto [total, any] = sweep_total(sites, !flipped.empty(), sweep, path.where(x));
        if (!any)
          break;
        statistics.events += static_cast<std::uint64_t>(std::llround(total));
        statistics.sweeps += 1;
        // Only the transformed sites are passed on: a back-end may superpose their responses.
        backend_.add_eigenstrain(flipped, increment);
        book_work(path, x, flipped, before, stresses_at(path, x, flipped), increment, statistics);
      }
    if (statistics.sweeps > 0)
      statistics.avalanches = 1;
    return statistics;
  }

  EventStatistics EventEngine::path_ramp(const Path &path, const double from, const double to)
  {
    if (population_->collects_increments())
      return collecting_ramp(path, from, to);
    EventStatistics statistics = path_avalanche(path, from, nullptr);
    if (from == to)
      return statistics;
    if (path.uniform && rule_.deferred_far_field.enabled && !deferred_checked_)
      {
        deferred_checked_ = true;
        if (auto view = backend_.point_responses())
          {
            deferred_ = std::make_unique<DeferredFarField>(*view, backend_.thermal_stress_per_K_GPa(), trigger_,
                                                           rule_.deferred_far_field, rule_.trigger_tolerance);
            deferred_grid_index_ = view->grid_index;
            deferred_increment_.assign(trigger_.size(), SymmetricTensor6{});
          }
      }
    if (path.uniform && deferred_ && rule_.deferred_far_field.enabled)
      {
        statistics += ramp_deferred(from, to);
        return statistics;
      }
    const double direction = to > from ? 1.0 : -1.0;
    // σ_eq,i(x)² = a_i x² + 2 b_i x + c_i (shear_transformation.h), with the offset O = B + R and
    // the rate D; dev D and a_i are fixed along the path.
    const auto &rate = *path.rate;
    std::vector<SymmetricTensor6> rate_deviator(rate.size());
    std::vector<double> rate_square(rate.size());
    for (std::size_t i = 0; i < rate.size(); ++i)
      {
        rate_deviator[i] = deviator(rate[i]);
        rate_square[i] = 1.5 * double_contraction(rate_deviator[i], rate_deviator[i]);
      }
    constexpr double margin = 1.0 - 1e-10;
    double current = from;
    std::size_t idle_steps = 0;
    while (true)
      {
        // The first trigger along the path, as a distance from `current` (minimised over
        // ranks). σ_eq² is convex in x: a site below its trigger at `current` and at the best
        // trigger found so far stays below it in between, so its root is computed only when
        // σ_eq² at either end comes within a relative 1e-10 of the trigger² (far above
        // round-off) — the minimum is that of the exact roots of all sites.
        double nearest = std::numeric_limits<double>::infinity();
        double best = to;
        const auto &residual = backend_.eigenstrain_stress_GPa();
        for (std::size_t i = 0; i < trigger_.size(); ++i)
          {
            SymmetricTensor6 offset = residual[i];
            if (path.base)
              for (std::size_t c = 0; c < 6; ++c)
                offset[c] += (*path.base)[i][c];
            if (trigger_[i] > 0.0)
              {
                const SymmetricTensor6 r = deviator(offset);
                const double b = 1.5 * double_contraction(rate_deviator[i], r);
                const double c = 1.5 * double_contraction(r, r);
                const double a = rate_square[i];
                const double y2 = trigger_[i] * trigger_[i] * margin;
                if ((a * current + 2.0 * b) * current + c < y2 && (a * best + 2.0 * b) * best + c < y2)
                  continue;
              }
            if (const auto trigger = first_yield_temperature_change(rate[i], offset, trigger_[i], current, to))
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
        const EventStatistics step = path_avalanche(path, current, nullptr);
        statistics += step;
        // A trigger without a transformation can only be round-off at the threshold; it must
        // not repeat.
        idle_steps = step.sweeps == 0 ? idle_steps + 1 : 0;
        if (idle_steps > 3)
          throw std::logic_error(fmt::format("the event search stalled at {}", path.where(current)));
      }
    return statistics;
  }
} // namespace cryocycle::continuum
