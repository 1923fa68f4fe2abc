#pragma once
/// @file
/// Cryogenic cycles with homogenised cells (homogenised_event_engine.h) and, optionally,
/// transient heat conduction (finite_volume_conduction.h, conduction_load.h): the resolution for
/// macroscopic samples, up to mm rods.
///
/// Uniform temperature: as CyclingSimulation — ramps cut into sub-steps of at most
/// relaxation_substep_K, the exact events of each sub-ramp, then the relaxations of the
/// interval and the avalanche they cause.
///
/// Heat conduction: the schedule is the temperature of the surroundings (the bath). Each segment
/// is cut into time steps (at most max_time_step_s, and at most max_surroundings_step_K of bath
/// change); per step the conduction advances, its profile is fitted and turned into load
/// stresses, and the engine follows the linear load path between the two ends of the step with
/// every event on the way. Relaxation: per cell, Λ = ∫ ν0 exp(−ΔF/k_B T_cell(t)) dt over the
/// steps at the cell's own temperature, the rate log-linear in time within a step
/// (log_linear_activations, thermal_relaxation.h); N ~ Poisson(n Λ) relaxations
/// per cell are applied whenever the sample's mean temperature has moved by
/// relaxation_substep_K or a segment ends, followed by the avalanche at the current load.
/// Events on the cooling ramp and the low hold count as cooling, on the heating ramp and the
/// high hold as heating (with conduction the sample still cools or warms during a hold).
///
/// Site thermal-mismatch stress (ThresholdDistribution::site_thermal_stress): the cells' mismatch
/// scale follows their temperatures at the ends of the uniform sub-ramps and, with conduction, at
/// the same points as the relaxation (every relaxation_substep_K of the mean temperature and at
/// the end of every segment), each followed by the avalanche it causes (counted as cooling or
/// heating events).
///
/// Stress-assisted STs (relaxation model with st_activation_volume_nm3 > 0): after the
/// relaxations of an interval, each cell draws the number of its sites that transform by
/// thermal activation at its present stress (HomogenisedCell::stress_assisted_sites, stream
/// (seed, "stress-assisted activation", cell id, index) — the explicit sites' stream), Λ of a
/// barrier taken over the interval's temperatures (uniform: expected_activations on the
/// sub-ramp; conduction: log_linear_activations over the time steps at the cell's own
/// temperature, as for relaxation); they transform with the avalanche that follows.
///
/// Random streams: relaxation interval j of cycle c has index c · 2^20 + j (stream (seed,
/// "homogenised relaxation", cell id, index)).
///
/// Checkpoints: every cycle ends with a re-solve from scratch, so the state after a cycle is a
/// function of the cells (HomogenisedEventEngine::save_state) and of the conduction's profile
/// (run_state()) alone; restore() continues a run bit-identically.

#include "continuum/cycling/cycling_simulation.h"
#include "continuum/thermal/conduction_load.h"
#include "continuum/events/homogenised_event_engine.h"

#include <functional>
#include <memory>
#include <optional>

namespace cryocycle::continuum
{
  struct HomogenisedCyclingOptions
  {
    std::optional<double> reference_temperature_K;      ///< stress-free T; empty: T_a
    std::optional<ThermalRelaxationModel> relaxation;   ///< empty: athermal events only
    double relaxation_substep_K = 10.0;
    std::uint64_t seed = 1;
    /// Heat conduction (needs `load`); empty: uniform temperature.
    std::optional<HeatConductionSettings> conduction;
    SurfaceHeatTransfer surface;
    double max_time_step_s = 0.1;
    double max_surroundings_step_K = 2.0;
  };

  /// The sample's temperatures at the end of one conduction time step.
  struct ConductionSample
  {
    double time_s = 0.0;
    double surroundings_K = 0.0;
    double centre_K = 0.0;
    double surface_K = 0.0;
    double mean_K = 0.0;
    double heat_transfer_W_per_m2K = 0.0;  ///< h used in the step
  };

  /// What the heat conduction did in one cycle.
  struct ConductionCycleReport
  {
    std::size_t time_steps = 0;
    double largest_centre_surface_difference_K = 0.0;  ///< max |T(0) − T(R)|
    double largest_load_von_mises_GPa = 0.0;           ///< max over cells and steps of the load's σ_eq
    double lowest_surface_temperature_K = 0.0;
    double end_mean_temperature_K = 0.0;               ///< at the end of the cycle
    std::vector<ConductionSample> history;             ///< every time step of the cycle
  };

  class HomogenisedCyclingSimulation
  {
  public:
    /// @param bulk_modulus_GPa, shear_modulus_GPa per local cell (relaxation barriers)
    /// @param load the basis responses of the FE sample; required with options.conduction
    HomogenisedCyclingSimulation(HomogenisedEventEngine &engine, ThermalCycleSchedule schedule,
                                 std::vector<double> bulk_modulus_GPa, std::vector<double> shear_modulus_GPa,
                                 const HeatConductionLoad *load, const HomogenisedCyclingOptions &options);

    /// Runs cycle `cycle` (0-based, in order). Collective.
    CycleObservables run_cycle(std::size_t cycle);
    /// Observables of the current state (σ_y quantiles of all sites: the mixture over cells of
    /// their pools' threshold distributions; residual stress at T_a, uniform). Collective.
    CycleObservables observe(std::size_t cycle_number) const;
    const ConductionCycleReport &last_conduction_report() const { return report_; }
    /// The state beyond the cells: the heat conduction's (empty at uniform temperature).
    std::vector<double> run_state() const;
    /// Restores the cells and the run state saved after a cycle. Collective.
    void restore(const SiteStates &cells, const std::vector<double> &run_state);
    const HeatConduction *conduction() const { return conduction_.get(); }

  private:
    double delta_T(double temperature_K) const { return temperature_K - reference_K_; }
    void run_uniform_segment(const ScheduleSegment &segment, std::uint64_t &interval, CycleObservables &o);
    void run_conducting_segment(const ScheduleSegment &segment, std::uint64_t &interval, CycleObservables &o);
    /// Poisson(n Λ_i) relaxations per cell, the relaxation, the stress-assisted STs (with
    /// `activations(i, barrier_eV)` = Λ of cell i over the interval for that barrier) and the
    /// avalanche under `load` (nullptr: uniform ΔT = delta_T(uniform_K)).
    void apply_relaxation(const std::vector<double> &expected_per_site, std::uint64_t interval,
                          const std::vector<SymmetricTensor6> *load, double uniform_K,
                          const std::function<double(std::size_t, double)> &activations, CycleObservables &o);

    HomogenisedEventEngine &engine_;
    ThermalCycleSchedule schedule_;
    std::vector<double> barrier_eV_;
    std::vector<double> st_barrier_eV_;  ///< ΔF0 of stress-assisted STs per cell; empty: none
    const HeatConductionLoad *load_;
    HomogenisedCyclingOptions options_;
    double reference_K_;
    std::unique_ptr<HeatConduction> conduction_;
    std::vector<SymmetricTensor6> current_load_;
    ConductionCycleReport report_;
  };
} // namespace cryocycle::continuum
