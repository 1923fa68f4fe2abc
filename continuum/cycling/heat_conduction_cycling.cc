#include "continuum/cycling/heat_conduction_cycling.h"

#include "continuum/physics/activation.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace cryocycle::continuum
{
  namespace
  {
    constexpr std::uint64_t intervals_per_cycle = std::uint64_t{1} << 20U;

    bool is_cooling(const CyclePhase phase)
    {
      return phase == CyclePhase::cooling || phase == CyclePhase::low_hold;
    }
  } // namespace

  HomogenisedCyclingSimulation::HomogenisedCyclingSimulation(HomogenisedEventEngine &engine,
                                                             ThermalCycleSchedule schedule,
                                                             std::vector<double> bulk_modulus_GPa,
                                                             std::vector<double> shear_modulus_GPa,
                                                             const HeatConductionLoad *load,
                                                             const HomogenisedCyclingOptions &options)
    : engine_(engine)
    , schedule_(std::move(schedule))
    , load_(load)
    , options_(options)
    , reference_K_(options.reference_temperature_K.value_or(schedule_.protocol().high_temperature_K))
  {
    const std::size_t cells = engine_.cells().size();
    if (bulk_modulus_GPa.size() != cells || shear_modulus_GPa.size() != cells)
      throw std::invalid_argument("one bulk and one shear modulus per local cell are needed");
    if (!(options_.relaxation_substep_K > 0.0))
      throw std::invalid_argument("the relaxation sub-step must be positive (K)");
    if (options_.relaxation)
      {
        barrier_eV_.resize(cells);
        for (std::size_t i = 0; i < cells; ++i)
          barrier_eV_[i] = shoving_barrier_eV(bulk_modulus_GPa[i], shear_modulus_GPa[i],
                                              options_.relaxation->activation_volume_nm3);
        if (options_.relaxation->st_activation_volume_nm3 > 0.0)
          {
            st_barrier_eV_.resize(cells);
            for (std::size_t i = 0; i < cells; ++i)
              st_barrier_eV_[i] = shoving_barrier_eV(bulk_modulus_GPa[i], shear_modulus_GPa[i],
                                                     options_.relaxation->st_activation_volume_nm3);
          }
      }
    if (options_.conduction)
      {
        if (!load_)
          throw std::invalid_argument("heat conduction needs the load responses of the sample");
        if (!(options_.max_time_step_s > 0.0) || !(options_.max_surroundings_step_K > 0.0))
          throw std::invalid_argument("heat conduction needs a positive time step and surroundings step");
        HeatConductionSettings settings = *options_.conduction;
        settings.shape = load_->shape();
        settings.radius_m = load_->radius_m();
        options_.conduction = settings;
        conduction_ = std::make_unique<HeatConduction>(settings, schedule_.protocol().high_temperature_K);
        current_load_ = load_->load_stress_GPa(load_->fit(*conduction_), reference_K_);
      }
  }

  void HomogenisedCyclingSimulation::apply_relaxation(const std::vector<double> &expected,
                                                      const std::uint64_t interval,
                                                      const std::vector<SymmetricTensor6> *load,
                                                      const double uniform_K,
                                                      const std::function<double(std::size_t, double)> &activations,
                                                      CycleObservables &o)
  {
    const auto &cells = engine_.cells();
    std::vector<double> counts(cells.size(), 0.0);
    for (std::size_t i = 0; i < cells.size(); ++i)
      {
        auto stream = core::make_random_stream(options_.seed, "homogenised relaxation", cells[i].id(), interval);
        counts[i] = draw_poisson(cells[i].site_count() * expected[i], stream);
      }
    double relaxations = engine_.relax(counts, options_.relaxation->relaxation_per_event);
    MPI_Allreduce(MPI_IN_PLACE, &relaxations, 1, MPI_DOUBLE, MPI_SUM, engine_.backend().communicator());
    o.relaxations += static_cast<std::uint64_t>(std::llround(relaxations));
    std::vector<double> activated;
    if (!st_barrier_eV_.empty())
      {
        // Stress-assisted STs at the stress of this state (after the relaxations, with the
        // thresholds they renewed), as for explicit sites.
        const auto stress = load ? engine_.stress_under_load_GPa(*load) : engine_.stress_GPa(delta_T(uniform_K));
        activated.assign(cells.size(), 0.0);
        for (std::size_t i = 0; i < cells.size(); ++i)
          {
            const double sigma_eq = von_mises_equivalent(stress[i]);
            if (!(sigma_eq > 0.0))
              continue;
            const auto probability = [&](const double threshold_GPa) {
              if (!(threshold_GPa > sigma_eq))
                return 1.0;  // at or below the load: no barrier left
              const double barrier = stress_assisted_barrier_eV(st_barrier_eV_[i], sigma_eq, threshold_GPa);
              return -std::expm1(-activations(i, barrier));
            };
            auto stream = core::make_random_stream(options_.seed, "stress-assisted activation", cells[i].id(), interval);
            activated[i] = cells[i].stress_assisted_sites(sigma_eq, probability, stream, engine_.thresholds());
          }
      }
    EventStatistics triggered;
    if (activated.empty())
      triggered = load ? engine_.avalanche_at_load(*load) : engine_.avalanche(delta_T(uniform_K));
    else
      triggered = load ? engine_.activate_at_load(activated, *load) : engine_.activate(activated, delta_T(uniform_K));
    o.events_holds += triggered.events;
    o.work_aJ += triggered.work_aJ;
    o.residual_work_aJ += triggered.residual_work_aJ;
  }

  void HomogenisedCyclingSimulation::run_uniform_segment(const ScheduleSegment &segment, std::uint64_t &interval,
                                                         CycleObservables &o)
  {
    const auto relax_over = [&](const double start_K, const double end_K, const double duration_s) {
      if (!options_.relaxation || duration_s <= 0.0)
        return;
      std::vector<double> expected(barrier_eV_.size());
      for (std::size_t i = 0; i < expected.size(); ++i)
        expected[i] = expected_activations(options_.relaxation->attempt_frequency_per_s, barrier_eV_[i], start_K,
                                           end_K, duration_s);
      const double frequency = options_.relaxation->attempt_frequency_per_s;
      apply_relaxation(
        expected, interval, nullptr, end_K,
        [&](std::size_t, const double barrier) {
          return expected_activations(frequency, barrier, start_K, end_K, duration_s);
        },
        o);
    };
    if (segment.start_K == segment.end_K)
      {
        relax_over(segment.start_K, segment.end_K, segment.duration_s());
        ++interval;
        return;
      }
    const double swing = std::abs(segment.end_K - segment.start_K);
    const auto steps = static_cast<std::size_t>(std::ceil(swing / options_.relaxation_substep_K - 1e-12));
    double from_K = segment.start_K;
    for (std::size_t step = 1; step <= steps; ++step)
      {
        const double to_K = step == steps ? segment.end_K
                                          : segment.start_K + (segment.end_K - segment.start_K) *
                                                                static_cast<double>(step) / static_cast<double>(steps);
        EventStatistics ramp = engine_.ramp(delta_T(from_K), delta_T(to_K));
        if (engine_.has_site_thermal_stress())
          {
            engine_.set_site_temperature_change(delta_T(to_K));
            ramp += engine_.avalanche(delta_T(to_K));
          }
        (is_cooling(segment.phase) ? o.events_cooling : o.events_heating) += ramp.events;
        o.work_aJ += ramp.work_aJ;
        o.residual_work_aJ += ramp.residual_work_aJ;
        relax_over(from_K, to_K, segment.duration_s() / static_cast<double>(steps));
        ++interval;
        from_K = to_K;
      }
  }

  void HomogenisedCyclingSimulation::run_conducting_segment(const ScheduleSegment &segment,
                                                            std::uint64_t &interval, CycleObservables &o)
  {
    const double duration = segment.duration_s();
    if (!(duration > 0.0))
      return;
    const double swing = std::abs(segment.end_K - segment.start_K);
    const auto steps = static_cast<std::size_t>(std::max(
      {1.0, std::ceil(duration / options_.max_time_step_s - 1e-12), std::ceil(swing / options_.max_surroundings_step_K - 1e-12)}));
    const double dt = duration / static_cast<double>(steps);
    const MPI_Comm communicator = engine_.backend().communicator();
    const std::size_t cells = engine_.cells().size();
    std::vector<double> expected(cells, 0.0);
    std::vector<double> temperature_before;
    std::vector<double> rate_before, rate_after;  // relaxation rates at the ends of the step
    if (options_.relaxation)
      {
        temperature_before = load_->site_temperature_K(*conduction_);
        rate_before.resize(cells);
        for (std::size_t i = 0; i < cells; ++i)
          rate_before[i] = arrhenius_rate_per_s(options_.relaxation->attempt_frequency_per_s, barrier_eV_[i],
                                                temperature_before[i]);
        rate_after.resize(cells);
      }
    // Stress-assisted STs: the cells' temperatures at the time steps of the current relaxation
    // interval, (time, per cell).
    std::vector<std::pair<double, std::vector<double>>> trace;
    if (!st_barrier_eV_.empty())
      trace.emplace_back(segment.start_s, temperature_before);
    const bool mismatch = engine_.has_site_thermal_stress();
    double mean_at_last_relaxation = conduction_->mean_temperature_K();
    for (std::size_t step = 0; step < steps; ++step)
      {
        const double t0 = segment.start_s + dt * static_cast<double>(step);
        const double t1 = step + 1 == steps ? segment.end_s : t0 + dt;
        conduction_->step(t1 - t0, segment.temperature_K(t0), segment.temperature_K(t1), options_.surface);
        auto next_load = load_->load_stress_GPa(load_->fit(*conduction_), reference_K_);
        const EventStatistics events = engine_.ramp_load(current_load_, next_load);
        (is_cooling(segment.phase) ? o.events_cooling : o.events_heating) += events.events;
        o.work_aJ += events.work_aJ;
        o.residual_work_aJ += events.residual_work_aJ;
        current_load_ = std::move(next_load);

        ++report_.time_steps;
        report_.history.push_back({t1, segment.temperature_K(t1), conduction_->temperature_K(0.0),
                                   conduction_->surface_temperature_K(), conduction_->mean_temperature_K(),
                                   conduction_->last_heat_transfer_W_per_m2K()});
        report_.largest_centre_surface_difference_K =
          std::max(report_.largest_centre_surface_difference_K,
                   std::abs(conduction_->temperature_K(0.0) - conduction_->surface_temperature_K()));
        report_.lowest_surface_temperature_K =
          std::min(report_.lowest_surface_temperature_K, conduction_->surface_temperature_K());
        for (const auto &s : current_load_)
          report_.largest_load_von_mises_GPa = std::max(report_.largest_load_von_mises_GPa, von_mises_equivalent(s));

        if (!options_.relaxation && !mismatch)
          continue;
        const auto temperature_after = load_->site_temperature_K(*conduction_);
        if (!st_barrier_eV_.empty())
          trace.emplace_back(t1, temperature_after);
        if (options_.relaxation)
          {
            const auto &model = *options_.relaxation;
            for (std::size_t i = 0; i < cells; ++i)
              {
                rate_after[i] = arrhenius_rate_per_s(model.attempt_frequency_per_s, barrier_eV_[i], temperature_after[i]);
                expected[i] += log_linear_activations(rate_before[i], rate_after[i], t1 - t0);
              }
            rate_before.swap(rate_after);
          }
        const double mean = conduction_->mean_temperature_K();
        if (step + 1 == steps || std::abs(mean - mean_at_last_relaxation) >= options_.relaxation_substep_K)
          {
            if (mismatch)
              {
                // The sites' mismatch stresses follow their cells' temperatures.
                std::vector<double> change(cells);
                for (std::size_t i = 0; i < cells; ++i)
                  change[i] = delta_T(temperature_after[i]);
                engine_.set_site_temperature_change(change);
                const EventStatistics mismatch_events = engine_.avalanche_at_load(current_load_);
                (is_cooling(segment.phase) ? o.events_cooling : o.events_heating) += mismatch_events.events;
                o.work_aJ += mismatch_events.work_aJ;
                o.residual_work_aJ += mismatch_events.residual_work_aJ;
              }
            if (options_.relaxation)
              {
                const double frequency = options_.relaxation->attempt_frequency_per_s;
                apply_relaxation(
                  expected, interval++, &current_load_, mean,
                  [&](const std::size_t i, const double barrier) {
                    double sum = 0.0;
                    for (std::size_t k = 1; k < trace.size(); ++k)
                      sum += log_linear_activations(arrhenius_rate_per_s(frequency, barrier, trace[k - 1].second[i]),
                                                    arrhenius_rate_per_s(frequency, barrier, trace[k].second[i]),
                                                    trace[k].first - trace[k - 1].first);
                    return sum;
                  },
                  o);
                std::fill(expected.begin(), expected.end(), 0.0);
                if (!trace.empty())
                  trace.erase(trace.begin(), trace.end() - 1);
              }
            mean_at_last_relaxation = mean;
          }
        temperature_before = temperature_after;
      }
    (void)communicator;
  }

  CycleObservables HomogenisedCyclingSimulation::run_cycle(const std::size_t cycle)
  {
    if (cycle >= schedule_.protocol().cycles)
      throw std::out_of_range(fmt::format("cycle {} of a {}-cycle schedule", cycle + 1, schedule_.protocol().cycles));
    CycleObservables o;
    report_ = ConductionCycleReport{};
    report_.lowest_surface_temperature_K = std::numeric_limits<double>::infinity();
    std::uint64_t interval = cycle * intervals_per_cycle;
    double end_K = reference_K_;
    for (const ScheduleSegment &segment : schedule_.cycle_segments(cycle))
      {
        if (conduction_)
          run_conducting_segment(segment, interval, o);
        else
          run_uniform_segment(segment, interval, o);
        end_K = segment.end_K;
      }
    // The increments still collected do their work at the cycle's end state.
    const EventStatistics flushed = engine_.flush(conduction_ ? &current_load_ : nullptr, delta_T(end_K));
    o.work_aJ += flushed.work_aJ;
    o.residual_work_aJ += flushed.residual_work_aJ;
    if (conduction_)
      {
        double largest = report_.largest_load_von_mises_GPa;
        MPI_Allreduce(MPI_IN_PLACE, &largest, 1, MPI_DOUBLE, MPI_MAX, engine_.backend().communicator());
        report_.largest_load_von_mises_GPa = largest;
        report_.end_mean_temperature_K = conduction_->mean_temperature_K();
      }
    // The state after a cycle must not depend on how the back-end got there (warm starts,
    // incremental updates), so that a resumed run continues bit-identically.
    engine_.resolve_from_scratch();
    const CycleObservables state = observe(cycle + 1);
    o.cycle = cycle + 1;
    o.mean_state = state.mean_state;
    o.yield_median_GPa = state.yield_median_GPa;
    o.yield_decile_width = state.yield_decile_width;
    o.residual_von_mises_mean_GPa = state.residual_von_mises_mean_GPa;
    o.residual_von_mises_std_GPa = state.residual_von_mises_std_GPa;
    o.mean_plastic_strain = state.mean_plastic_strain;
    o.elastic_energy_aJ = state.elastic_energy_aJ;
    return o;
  }

  std::vector<double> HomogenisedCyclingSimulation::run_state() const
  {
    return conduction_ ? conduction_->save_state() : std::vector<double>{};
  }

  void HomogenisedCyclingSimulation::restore(const SiteStates &cells, const std::vector<double> &run_state)
  {
    if (conduction_)
      {
        conduction_->restore_state(run_state);
        current_load_ = load_->load_stress_GPa(load_->fit(*conduction_), reference_K_);
      }
    else if (!run_state.empty())
      throw std::invalid_argument("a saved heat conduction state for a run at uniform temperature");
    engine_.restore_state(cells);
  }

  CycleObservables HomogenisedCyclingSimulation::observe(const std::size_t cycle_number) const
  {
    CycleObservables o;
    o.cycle = cycle_number;
    const MPI_Comm communicator = engine_.backend().communicator();
    const double at_high = delta_T(schedule_.protocol().high_temperature_K);
    const auto stress = engine_.stress_GPa(at_high);
    const auto &cells = engine_.cells();
    // Sums over cells: count, site-weighted state, von Mises, von Mises², plastic strain, sites.
    double sums[6] = {static_cast<double>(stress.size()), 0.0, 0.0, 0.0, 0.0, 0.0};
    double upper = 0.0;
    const auto &thresholds = engine_.thresholds();
    for (std::size_t i = 0; i < stress.size(); ++i)
      {
        const double vm = von_mises_equivalent(stress[i]);
        sums[1] += cells[i].site_count() * cells[i].state();
        sums[5] += cells[i].site_count();
        sums[2] += vm;
        sums[3] += vm * vm;
        sums[4] += equivalent_strain(engine_.backend().eigenstrain()[i]);
        upper = std::max(upper, thresholds.quantile_GPa(cells[i].state(), 1.0 - 1e-9));
      }
    MPI_Allreduce(MPI_IN_PLACE, sums, 6, MPI_DOUBLE, MPI_SUM, communicator);
    MPI_Allreduce(MPI_IN_PLACE, &upper, 1, MPI_DOUBLE, MPI_MAX, communicator);
    const double n = sums[0];
    const double site_total = sums[5];
    o.mean_state = sums[1] / site_total;
    o.residual_von_mises_mean_GPa = sums[2] / n;
    o.residual_von_mises_std_GPa =
      n > 1.0 ? std::sqrt(std::max(0.0, (sums[3] - n * o.residual_von_mises_mean_GPa * o.residual_von_mises_mean_GPa) /
                                          (n - 1.0)))
              : 0.0;
    o.mean_plastic_strain = sums[4] / n;
    o.elastic_energy_aJ = engine_.backend().elastic_energy_aJ(at_high);

    // Quantiles of the thresholds of all sites: H(σ) = Σ_c n_c G_c(F_{s_c}(σ)) / Σ_c n_c;
    // bisection (60 halvings of [0, upper]).
    const auto quantile = [&](const double q) {
      double low = 0.0;
      double high = upper;
      for (int iteration = 0; iteration < 60; ++iteration)
        {
          const double middle = 0.5 * (low + high);
          double h = 0.0;
          for (const auto &cell : cells)
            h += cell.site_count() * cell.pool().fraction_below(thresholds.cdf(cell.state(), middle));
          MPI_Allreduce(MPI_IN_PLACE, &h, 1, MPI_DOUBLE, MPI_SUM, communicator);
          (h / site_total < q ? low : high) = middle;
        }
      return 0.5 * (low + high);
    };
    o.yield_median_GPa = quantile(0.5);
    o.yield_decile_width = o.yield_median_GPa > 0.0 ? (quantile(0.9) - quantile(0.1)) / o.yield_median_GPa : 0.0;
    return o;
  }
} // namespace cryocycle::continuum
