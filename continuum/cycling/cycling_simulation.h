#pragma once
/// @file
/// Many cryogenic cycles on one sample: the temperature schedule (thermal_cycle_schedule.h)
/// drives the athermal ST events (athermal_event_engine.h) and, when a relaxation model is given,
/// thermally activated relaxation (thermal_relaxation.h); per cycle it reports what a materials
/// scientist compares with experiment (Ketov et al. 2015): events on cooling, on heating and during holds,
/// relaxations, the mean structural state (the stored energy is linear in it), the median and
/// the 1st–9th decile width of σ_y, residual stress, plastic strain and elastic energy.
///
/// Temperatures: the stress-free reference is T_ref (default T_a); the engine works with
/// ΔT = T − T_ref. Ramps are cut into sub-steps of at most relaxation_substep_K: on each, the
/// athermal events of the sub-ramp are found exactly, then the relaxations of that sub-interval
/// are applied, the stress-assisted STs of the interval drawn (if V_ST > 0, thermal_relaxation.h)
/// and the avalanche they may cause is run. Holds are one interval each.
/// Random streams: relaxation interval j of cycle c has index c · 2^20 + j, so a cycle's draws do
/// not depend on where a run was resumed.
///
/// Checkpoints: every cycle ends with the back-end re-solved from scratch
/// (AthermalEventEngine::resolve_from_scratch), so the state after a cycle is a function of the
/// site states alone; AthermalEventEngine::save_state / restore_state then continue a run
/// bit-identically (cycling_checkpoint.h).

#include "continuum/events/athermal_event_engine.h"
#include "continuum/physics/thermal_cycle_schedule.h"
#include "continuum/physics/thermal_relaxation.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace cryocycle::continuum
{
  /// Per-cycle observables (sums and statistics over all sites and ranks).
  struct CycleObservables
  {
    std::size_t cycle = 0;                ///< 1-based
    std::uint64_t events_cooling = 0;     ///< ST events on the cooling ramp
    std::uint64_t events_heating = 0;     ///< ST events on the heating ramp
    /// ST events caused by thermal processes (holds and ramps): the avalanches after relaxations
    /// and the stress-assisted STs with theirs
    std::uint64_t events_holds = 0;
    std::uint64_t relaxations = 0;        ///< thermal relaxation events
    double work_aJ = 0.0;                 ///< Σ work of the eigenstrain increments
    /// Σ work of the eigenstrain increments against the residual stress alone; with T_ref = T_a
    /// the elastic energy at T_a falls by exactly this over the cycle (energy bookkeeping).
    double residual_work_aJ = 0.0;
    double mean_state = 0.0;              ///< mean structural state s at the end of the cycle
    double yield_median_GPa = 0.0;        ///< median σ_y at the end of the cycle
    double yield_decile_width = 0.0;      ///< (σ_y,90% − σ_y,10%) / median
    double residual_von_mises_mean_GPa = 0.0;  ///< at T_a, end of the cycle
    double residual_von_mises_std_GPa = 0.0;
    double mean_plastic_strain = 0.0;     ///< mean equivalent strain of ε*
    double elastic_energy_aJ = 0.0;       ///< at T_a, end of the cycle
  };

  struct CyclingOptions
  {
    /// Stress-free temperature (K); empty: T_a of the schedule.
    std::optional<double> reference_temperature_K;
    /// Thermal relaxation; empty: athermal events only.
    std::optional<ThermalRelaxationModel> relaxation;
    /// Largest temperature step of a ramp between relaxation updates (K).
    double relaxation_substep_K = 10.0;
    std::uint64_t seed = 1;
  };

  class CyclingSimulation
  {
  public:
    /// @param bulk_modulus_GPa, shear_modulus_GPa per local site (relaxation barriers)
    CyclingSimulation(AthermalEventEngine &engine, ThermalCycleSchedule schedule,
                      std::vector<double> bulk_modulus_GPa, std::vector<double> shear_modulus_GPa,
                      const CyclingOptions &options);

    /// Runs cycle `cycle` (0-based; cycles must run in order) and returns its observables.
    /// Collective.
    CycleObservables run_cycle(std::size_t cycle);

    /// The observables of the current state without running anything (cycle 0: as prepared).
    CycleObservables observe(std::size_t cycle_number) const;

    const ThermalCycleSchedule &schedule() const { return schedule_; }

  private:
    double delta_T(double temperature_K) const { return temperature_K - reference_K_; }
    /// Relaxation over [start_K → end_K] in duration_s, then the avalanche at end_K.
    void relax_interval(double start_K, double end_K, double duration_s, std::uint64_t interval,
                        CycleObservables &observables);

    AthermalEventEngine &engine_;
    ThermalCycleSchedule schedule_;
    std::vector<double> bulk_;
    std::vector<double> shear_;
    CyclingOptions options_;
    double reference_K_ = 0.0;
  };
} // namespace cryocycle::continuum
