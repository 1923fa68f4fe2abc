#pragma once
/// @file
/// The homogenised resolution of the event engine (event_engine.h): one homogenised cell
/// (homogenised_cell.h) per local site of the back-end, run by the same engine as explicit
/// sites (athermal_event_engine.h) — trigger search, sweeps, load paths, work bookkeeping.
/// A cell's trigger is the stress at which its next quantum of sites yields; a flip transforms
/// m of its n sites and adds Δε* = (m/n) f ε0 (3/2) dev σ/σ_eq; its state moves by
/// (m/n) η_ST (1 − s). With one site per cell (n = 1) every step is the explicit site's, with
/// thresholds σ_y = quantile(s, homogenised_threshold_uniform(seed, id, draw)). Events are
/// counted in sites (all transformations, repeats included).
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

#include "continuum/events/event_engine.h"
#include "continuum/physics/homogenised_cell.h"

#include <cstdint>
#include <vector>

namespace cryocycle::continuum
{
  /// Homogenised cells as a site population.
  class HomogenisedCells final : public SitePopulation
  {
  public:
    /// One cell per entry of `sites` (a back-end's local sites), each a virgin pool in
    /// `initial_state`; with cells.site_volume_nm3 > 0 a cell holds round(volume / site volume)
    /// sites (at least 1).
    HomogenisedCells(const std::vector<SiteGeometry> &sites, ThresholdDistribution thresholds,
                     const std::vector<double> &initial_state, const HomogenisedCellRule &cells, std::uint64_t seed);

    std::size_t size() const override { return cells_.size(); }
    double trigger_stress_GPa(std::size_t i) const override { return cells_[i].trigger_stress_GPa(thresholds_); }
    bool yields_at(std::size_t i, double von_mises_GPa, double tolerance) const override;
    bool may_yield_below(std::size_t i, double upper_GPa) const override;
    Transformation transform(std::size_t i, double von_mises_GPa, double rejuvenation) override;
    Transformation activate(std::size_t i, double von_mises_GPa, double sites, double rejuvenation) override;
    bool collects_increments() const override { return mismatch_ != nullptr; }
    /// c E[t]: the cell's sites' mean mismatch stress at its scale.
    double driving_offset_GPa(std::size_t i) const override;
    void save(std::size_t i, SiteStates &states) const override;
    void check_saved(const SiteStates &states) const override;
    std::string restore(std::size_t i, const SiteStates &states, std::size_t k) override;

    /// HomogenisedCell::relax of every cell; returns the sum of `relaxations`.
    double relax(const std::vector<double> &relaxations, double relaxation_per_event);
    /// HomogenisedCell::set_mismatch_scale at ΔT_i (no-op without a site thermal stress).
    void set_site_temperature_change(const std::vector<double> &temperature_change_K);

    const std::vector<HomogenisedCell> &cells() const { return cells_; }
    const ThresholdDistribution &thresholds() const { return thresholds_; }
    const SiteThermalStress *site_thermal_stress() const { return mismatch_; }

  private:
    ThresholdDistribution thresholds_;
    std::vector<HomogenisedCell> cells_;
    const SiteThermalStress *mismatch_ = nullptr;  ///< thresholds_.site_thermal_stress
  };

  /// The event engine on homogenised cells.
  class HomogenisedEventEngine final : public EventEngine
  {
  public:
    /// One cell per local site of the back-end, each a virgin pool in `initial_state`.
    /// `rule` gives ε0, f, η_ST, the trigger tolerance and the sweep limit; `cells` the sites per
    /// cell, the quantum and the collected-increment tolerance.
    HomogenisedEventEngine(ElasticBackend &backend, ThresholdDistribution thresholds,
                           const std::vector<double> &initial_state, const EventRule &rule,
                           const HomogenisedCellRule &cells, std::uint64_t seed);

    /// With a site thermal-mismatch stress (ThresholdDistribution::site_thermal_stress): each
    /// local cell's sites now feel the mismatch of a temperature change ΔT_i from the stress-free
    /// temperature (HomogenisedCell::set_mismatch_scale). No-op without it. Does not flip; run an
    /// avalanche afterwards. The uniform form sets one ΔT for all cells.
    void set_site_temperature_change(const std::vector<double> &temperature_change_K);
    void set_site_temperature_change(double temperature_change_K);
    /// Whether the thresholds carry a site thermal-mismatch stress.
    bool has_site_thermal_stress() const { return population().collects_increments(); }

    /// Thermal relaxation: cell i had `relaxations[i]` events over its sites
    /// (HomogenisedCell::relax). Does not re-solve; run an avalanche afterwards. Returns the sum
    /// on this rank.
    double relax(const std::vector<double> &relaxations, double relaxation_per_event);

    const std::vector<HomogenisedCell> &cells() const { return homogenised().cells(); }
    /// Trigger stress per local cell (GPa): the σ_y of a site when n = 1.
    std::vector<double> trigger_stress_GPa() const;
    std::vector<double> structural_state() const;
    const ThresholdDistribution &thresholds() const { return homogenised().thresholds(); }

  private:
    const HomogenisedCells &homogenised() const { return static_cast<const HomogenisedCells &>(population()); }
    HomogenisedCells &homogenised() { return static_cast<HomogenisedCells &>(population()); }
  };
} // namespace cryocycle::continuum
