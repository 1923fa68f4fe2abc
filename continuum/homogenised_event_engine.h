#pragma once
/// @file
/// Athermal shear-transformation events in homogenised cells (homogenised_cell.h), written
/// against ElasticBackend like the explicit-site engine (athermal_event_engine.h) and with the
/// same algorithm: the stress of cell i is linear in the load parameter x between events,
///   σ_i(x) = B_i + x D_i + R_i(ε*),
/// (uniform temperature: B = 0, D = S_T, x = ΔT; a non-uniform temperature field from heat
/// conduction: B and B + D the load stresses at the start and end of a time step, x in [0, 1]),
/// so the next x where some cell's σ_eq reaches its trigger stress is the exact root of a
/// quadratic (first_yield_temperature_change); there every cell at or above its trigger flips
/// (one re-solve per sweep) until the avalanche ends. A flip transforms m of the cell's n sites
/// (a quantum or more, homogenised_cell.h) and adds Δε* = (m/n) f ε0 (3/2) dev σ/σ_eq; its
/// state moves by (m/n) η_ST (1 − s). With one site per cell (n = 1) every step — trigger
/// search, sweep, increment, state, renewal — is the explicit engine's, with thresholds
/// σ_y = quantile(s, homogenised_threshold_uniform(seed, id, draw)).
///
/// Events are counted in sites (all transformations, repeats included); the work of a sweep
/// W = Σ V ½(σ_before + σ_after) : Δε* is booked as in the explicit engine.
///
/// Site thermal-mismatch stress (site_thermal_stress.h): the cells' thresholds are then their
/// sites' effective thresholds at the mismatch scale set by set_site_temperature_change, held
/// fixed between such calls so that the search above stays exact; a flip adds
/// Δε* = (m/n) f ε0 (3/2) dev σ / (σ_eq + c E[t]) (the sites' own mismatch stresses point every
/// way and average out at the cell scale), and a sweep whose flips all lie in cells at zero
/// stress changes no eigenstrain and needs no re-solve. These increments are small (the cell
/// stress is a small part of the sites' driving stress), so they are collected and applied
/// together once the largest reaches HomogenisedCellRule::deferred_strain_tolerance, and at
/// every resolve_from_scratch; save_state() includes the collected ones.

#include "continuum/athermal_event_engine.h"
#include "continuum/homogenised_cell.h"

#include <cstdint>
#include <vector>

namespace cryocycle::continuum
{
  class HomogenisedEventEngine
  {
  public:
    /// One cell per local site of the back-end, each a virgin pool in `initial_state`.
    /// `rule` gives ε0, f, η_ST, the trigger tolerance and the sweep limit.
    HomogenisedEventEngine(ElasticBackend &backend, ThresholdDistribution thresholds,
                           const std::vector<double> &initial_state, const EventRule &rule,
                           const HomogenisedCellRule &cells, std::uint64_t seed);

    /// Uniform temperature: ramps ΔT from `from_K` to `to_K` with every avalanche on the way.
    EventStatistics ramp(double from_K, double to_K);
    /// Non-uniform temperature: the load stress of every local cell goes linearly from
    /// `load_before` to `load_after` (GPa; e.g. HeatConductionLoad::load_stress_GPa at the two
    /// ends of a time step), with every avalanche on the way. Collective.
    EventStatistics ramp_load(const std::vector<SymmetricTensor6> &load_before,
                              const std::vector<SymmetricTensor6> &load_after);
    /// The avalanche at a fixed uniform ΔT / at a fixed load stress. Collective.
    EventStatistics avalanche(double temperature_change_K);
    EventStatistics avalanche_at_load(const std::vector<SymmetricTensor6> &load);

    /// Stress-assisted STs (HomogenisedCell::stress_assisted_sites): `sites[i]` sites of local
    /// cell i transform (HomogenisedCell::activate) at the uniform ΔT / under the load stress,
    /// in one sweep with the cells that yield there (a cell that yields flips instead), then the
    /// avalanche they cause — AthermalEventEngine::activate for n = 1. Collective.
    EventStatistics activate(const std::vector<double> &sites, double temperature_change_K);
    EventStatistics activate_at_load(const std::vector<double> &sites, const std::vector<SymmetricTensor6> &load);

    /// Total stress per local cell at ΔT, or under a load stress (GPa).
    std::vector<SymmetricTensor6> stress_GPa(double temperature_change_K) const;
    std::vector<SymmetricTensor6> stress_under_load_GPa(const std::vector<SymmetricTensor6> &load) const;
    /// max over cells of σ_eq − trigger stress at ΔT (GPa; negative when all are stable). Collective.
    double largest_overload_GPa(double temperature_change_K) const;

    /// With a site thermal-mismatch stress (ThresholdDistribution::site_thermal_stress): each
    /// local cell's sites now feel the mismatch of a temperature change ΔT_i from the stress-free
    /// temperature (HomogenisedCell::set_mismatch_scale). No-op without it. Does not flip; run an
    /// avalanche afterwards. The uniform form sets one ΔT for all cells.
    void set_site_temperature_change(const std::vector<double> &temperature_change_K);
    void set_site_temperature_change(double temperature_change_K);
    /// Whether the thresholds carry a site thermal-mismatch stress.
    bool has_site_thermal_stress() const { return mismatch_ != nullptr; }

    /// Thermal relaxation: cell i had `relaxations[i]` events over its sites
    /// (HomogenisedCell::relax). Does not re-solve; run an avalanche afterwards. Returns the sum
    /// on this rank.
    double relax(const std::vector<double> &relaxations, double relaxation_per_event);

    /// The cells' states for a checkpoint (gather_site_states): ε*, trigger stress, state, draws
    /// and the transformed sites (rounded) per cell, and HomogenisedCell::save() as the extra
    /// record.
    SiteStates save_state() const;
    /// Restores the cells and ε* of an engine built like the saved one, then re-solves from
    /// scratch. Throws naming the first missing or invalid cell. Collective.
    void restore_state(const SiteStates &states);
    /// Applies the deferred increments now, the cells under `load` (nullptr: the uniform thermal
    /// stress at temperature change dT), and returns the work they did (no events: they were
    /// counted when the sites flipped). Call it before resolve_from_scratch() to book that work.
    /// Collective.
    EventStatistics flush(const std::vector<SymmetricTensor6> *load, double dT);
    /// Applies the deferred increments, then the back-end's resolve_from_scratch(): after it the
    /// state depends on the cells alone. Collective.
    void resolve_from_scratch();

    const std::vector<HomogenisedCell> &cells() const { return cells_; }
    /// Trigger stress per local cell (GPa): the σ_y of a site when n = 1.
    std::vector<double> trigger_stress_GPa() const;
    std::vector<double> structural_state() const;
    const ElasticBackend &backend() const { return backend_; }
    const ThresholdDistribution &thresholds() const { return thresholds_; }

  private:
    /// σ = (base or 0) + x rate + R.
    std::vector<SymmetricTensor6> path_stress(const std::vector<SymmetricTensor6> *base,
                                              const std::vector<SymmetricTensor6> &rate, double x) const;
    /// The avalanche at x; `activated` (per cell, sites) joins the first sweep (activate()).
    EventStatistics path_avalanche(const std::vector<SymmetricTensor6> *base,
                                   const std::vector<SymmetricTensor6> &rate, double x,
                                   const std::vector<double> *activated = nullptr);
    EventStatistics path_ramp(const std::vector<SymmetricTensor6> *base,
                              const std::vector<SymmetricTensor6> &rate, double from, double to);

    ElasticBackend &backend_;
    ThresholdDistribution thresholds_;
    EventRule rule_;
    std::vector<HomogenisedCell> cells_;
    /// Site thermal-mismatch mode. The stresses change only when the deferred increments are
    /// applied, so after an avalanche without that only the cells it flipped have new triggers:
    /// the ramp keeps each cell's next trigger on the path in a heap and re-examines only those
    /// cells (all of them after an application) — the same exact event sequence as a full
    /// search, at O(flipped) per trigger instead of O(cells).
    EventStatistics deferred_ramp(const std::vector<SymmetricTensor6> *base,
                                  const std::vector<SymmetricTensor6> &rate, double from, double to);
    /// The avalanche at x examining `check` (all cells if null) in its first sweep and then the
    /// cells flipped in the previous sweep (all after an application of deferred increments).
    /// `flipped` receives every cell that flipped; `applied` whether increments were applied.
    EventStatistics deferred_avalanche(const std::vector<SymmetricTensor6> *base,
                                       const std::vector<SymmetricTensor6> &rate, double x,
                                       const std::vector<std::size_t> *check, std::vector<std::size_t> &flipped,
                                       bool &applied, const std::vector<double> *activated = nullptr);
    /// σ of local cell i on the path: (base or 0) + x rate + R.
    SymmetricTensor6 cell_stress(const std::vector<SymmetricTensor6> *base, const std::vector<SymmetricTensor6> &rate,
                                 double x, std::size_t i) const;

    /// Books W = Σ V ½(σ_before + σ_after) : Δε* of `increments` in `cells` (σ_before per entry,
    /// σ_after now) and the same against the residual stress alone into `statistics`. Collective.
    void book_work(const std::vector<SymmetricTensor6> *base, const std::vector<SymmetricTensor6> &rate, double x,
                   const std::vector<std::size_t> &cells, const std::vector<SymmetricTensor6> &before,
                   const std::vector<SymmetricTensor6> &increments, EventStatistics &statistics) const;
    /// Applies the deferred increments (if any on any rank) in one update, booking their work
    /// W = Σ V ½(σ_before + σ_after) : Δε* into `statistics`. Collective.
    void apply_deferred(const std::vector<SymmetricTensor6> *base, const std::vector<SymmetricTensor6> &rate,
                        double x, EventStatistics &statistics);

    std::vector<SymmetricTensor6> zero_rate_;
    const SiteThermalStress *mismatch_ = nullptr;  ///< thresholds_.site_thermal_stress
    double deferred_strain_tolerance_ = 1e-6;
    std::vector<SymmetricTensor6> deferred_;       ///< collected Δε* per cell (mismatch only)
  };
} // namespace cryocycle::continuum
