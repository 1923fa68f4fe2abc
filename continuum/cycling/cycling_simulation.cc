#include "continuum/cycling/cycling_simulation.h"

#include "core/mpi_reduction.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace cryocycle::continuum
{
  namespace
  {
    constexpr std::uint64_t intervals_per_cycle = std::uint64_t{1} << 20U;
  } // namespace

  CyclingSimulation::CyclingSimulation(AthermalEventEngine &engine, ThermalCycleSchedule schedule,
                                       std::vector<double> bulk_modulus_GPa,
                                       std::vector<double> shear_modulus_GPa, const CyclingOptions &options)
    : engine_(engine)
    , schedule_(std::move(schedule))
    , bulk_(std::move(bulk_modulus_GPa))
    , shear_(std::move(shear_modulus_GPa))
    , options_(options)
    , reference_K_(options.reference_temperature_K.value_or(schedule_.protocol().high_temperature_K))
  {
    const std::size_t sites = engine_.backend().local_sites().size();
    if (bulk_.size() != sites || shear_.size() != sites)
      throw std::invalid_argument("one bulk and one shear modulus per local site are needed");
    if (!(options_.relaxation_substep_K > 0.0))
      throw std::invalid_argument("the relaxation sub-step must be positive (K)");
  }

  void CyclingSimulation::relax_interval(const double start_K, const double end_K, const double duration_s,
                                         const std::uint64_t interval, CycleObservables &observables)
  {
    if (!options_.relaxation || duration_s <= 0.0)
      return;
    const auto counts = draw_relaxation_counts(engine_.backend().local_sites(), bulk_, shear_,
                                               *options_.relaxation, start_K, end_K, duration_s,
                                               options_.seed, interval);
    std::uint64_t relaxations = engine_.relax(counts, options_.relaxation->relaxation_per_event);
    MPI_Allreduce(MPI_IN_PLACE, &relaxations, 1, MPI_UINT64_T, MPI_SUM, engine_.backend().communicator());
    observables.relaxations += relaxations;
    std::vector<char> activated;
    if (options_.relaxation->st_activation_volume_nm3 > 0.0)
      {
        // Stress-assisted STs at the stress of this state (after the sub-ramp's events and the
        // relaxations, with the σ_y they renewed).
        const auto stress = engine_.stress_GPa(delta_T(end_K));
        std::vector<double> von_mises(stress.size());
        for (std::size_t i = 0; i < stress.size(); ++i)
          von_mises[i] = von_mises_equivalent(stress[i]);
        activated = draw_stress_assisted_events(engine_.backend().local_sites(), bulk_, shear_, von_mises,
                                                engine_.yield_stress_GPa(), *options_.relaxation, start_K, end_K,
                                                duration_s, options_.seed, interval);
      }
    const EventStatistics triggered =
      activated.empty() ? engine_.avalanche(delta_T(end_K)) : engine_.activate(activated, delta_T(end_K));
    observables.events_holds += triggered.events;
    observables.work_aJ += triggered.work_aJ;
    observables.residual_work_aJ += triggered.residual_work_aJ;
  }

  CycleObservables CyclingSimulation::run_cycle(const std::size_t cycle)
  {
    if (cycle >= schedule_.protocol().cycles)
      throw std::out_of_range(fmt::format("cycle {} of a {}-cycle schedule", cycle + 1, schedule_.protocol().cycles));
    CycleObservables observables;
    std::uint64_t interval = cycle * intervals_per_cycle;
    for (const ScheduleSegment &segment : schedule_.cycle_segments(cycle))
      {
        if (segment.start_K == segment.end_K)
          {
            relax_interval(segment.start_K, segment.end_K, segment.duration_s(), interval++, observables);
            continue;
          }
        const double swing = std::abs(segment.end_K - segment.start_K);
        const auto steps = static_cast<std::size_t>(std::ceil(swing / options_.relaxation_substep_K - 1e-12));
        double from_K = segment.start_K;
        for (std::size_t step = 1; step <= steps; ++step)
          {
            const double to_K = step == steps ? segment.end_K
                                              : segment.start_K + (segment.end_K - segment.start_K) *
                                                                    static_cast<double>(step) / static_cast<double>(steps);
            const EventStatistics ramp = engine_.ramp(delta_T(from_K), delta_T(to_K));
            (segment.phase == CyclePhase::cooling ? observables.events_cooling : observables.events_heating) += ramp.events;
            observables.work_aJ += ramp.work_aJ;
            observables.residual_work_aJ += ramp.residual_work_aJ;
            relax_interval(from_K, to_K, segment.duration_s() / static_cast<double>(steps), interval++, observables);
            from_K = to_K;
          }
      }
    // The state a checkpoint of this cycle restores: no warm starts, no incremental right-hand
    // sides carried into the next cycle.
    engine_.resolve_from_scratch();
    const CycleObservables state = observe(cycle + 1);
    observables.cycle = cycle + 1;
    observables.mean_state = state.mean_state;
    observables.yield_median_GPa = state.yield_median_GPa;
    observables.yield_decile_width = state.yield_decile_width;
    observables.residual_von_mises_mean_GPa = state.residual_von_mises_mean_GPa;
    observables.residual_von_mises_std_GPa = state.residual_von_mises_std_GPa;
    observables.mean_plastic_strain = state.mean_plastic_strain;
    observables.elastic_energy_aJ = state.elastic_energy_aJ;
    return observables;
  }

  CycleObservables CyclingSimulation::observe(const std::size_t cycle_number) const
  {
    CycleObservables o;
    o.cycle = cycle_number;
    const MPI_Comm communicator = engine_.backend().communicator();
    const double at_high = delta_T(schedule_.protocol().high_temperature_K);
    const auto stress = engine_.stress_GPa(at_high);
    // Sums over sites: count, state, von Mises, von Mises², plastic strain.
    double sums[5] = {static_cast<double>(stress.size()), 0.0, 0.0, 0.0, 0.0};
    for (std::size_t i = 0; i < stress.size(); ++i)
      {
        const double vm = von_mises_equivalent(stress[i]);
        sums[1] += engine_.structural_state()[i];
        sums[2] += vm;
        sums[3] += vm * vm;
        sums[4] += equivalent_strain(engine_.backend().eigenstrain()[i]);
      }
    MPI_Allreduce(MPI_IN_PLACE, sums, 5, MPI_DOUBLE, MPI_SUM, communicator);
    const double n = sums[0];
    o.mean_state = sums[1] / n;
    o.residual_von_mises_mean_GPa = sums[2] / n;
    o.residual_von_mises_std_GPa =
      n > 1.0 ? std::sqrt(std::max(0.0, (sums[3] - n * o.residual_von_mises_mean_GPa * o.residual_von_mises_mean_GPa) / (n - 1.0))) : 0.0;
    o.mean_plastic_strain = sums[4] / n;
    o.elastic_energy_aJ = engine_.backend().elastic_energy_aJ(at_high);

    std::vector<double> yield = core::gather_to_root(communicator, engine_.yield_stress_GPa());
    double quantiles[3] = {0.0, 0.0, 0.0};
    if (!yield.empty())
      {
        std::sort(yield.begin(), yield.end());
        quantiles[0] = core::quantile_of_sorted(yield, 0.5);
        quantiles[1] = core::quantile_of_sorted(yield, 0.1);
        quantiles[2] = core::quantile_of_sorted(yield, 0.9);
      }
    MPI_Bcast(quantiles, 3, MPI_DOUBLE, 0, communicator);
    o.yield_median_GPa = quantiles[0];
    o.yield_decile_width = quantiles[0] > 0.0 ? (quantiles[2] - quantiles[1]) / quantiles[0] : 0.0;
    return o;
  }
} // namespace cryocycle::continuum
