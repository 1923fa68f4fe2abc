#pragma once
/// @file
/// Transient heat conduction through a plate (through the thickness), a long cylinder or a
/// sphere (radially) with a surface heat-transfer coefficient that may depend on the surface
/// temperature: liquid-nitrogen immersion starts in film boiling (h ≈ 148 W m⁻² K⁻¹) and switches
/// to nucleate boiling (h ≈ 1355 W m⁻² K⁻¹) when the surface has cooled to 100–150 K (Ketov et al. 2015,
/// Biot analysis). With such an h(T_s) the series of series_conduction.h do not apply; this is
/// a one-dimensional finite-volume solver, verified against those series for constant h.
///
/// Discretisation: N equal cells in x = r/R ∈ [0, 1] (R the half-thickness of the plate or the
/// radius), cell volumes and face areas per unit plate area / cylinder length / sphere solid
/// angle (∝ r^(d−1), d = 1, 2, 3); conductances κ A/Δr between neighbouring cells, and from the
/// outer cell to the bath a half-cell conductance in series with h. Theta time stepping (θ = 1
/// backward Euler: robust for the step of an immersion; θ = ½ Crank–Nicolson), one tridiagonal
/// solve per step. h is taken at the surface temperature at the start of the step and the
/// surroundings' temperature at its end. The heat that
/// leaves through the surface in a step is booked with the same fluxes as the update, so stored
/// heat + heat lost is conserved to round-off. SI units throughout (m, s, K, W, J).

#include "continuum/thermal/series_conduction.h"
#include "core/config_schema.h"
#include "core/config_values.h"

#include <cstddef>
#include <vector>

namespace cryocycle::continuum
{
  /// The surface heat-transfer coefficient h (W m⁻² K⁻¹) of a sample in its surroundings.
  struct SurfaceHeatTransfer
  {
    /// Surroundings colder than the surface (immersion in a boiling liquid): film boiling while the
    /// surface is warmer than boiling_switch_K, nucleate boiling below (Ketov et al. 2015, LN2 values).
    double film_boiling_W_per_m2K = 148.0;
    double nucleate_boiling_W_per_m2K = 1355.0;
    double boiling_switch_K = 125.0;
    /// Surroundings warmer than the surface (warming back, e.g. in air or a water bath).
    double warming_W_per_m2K = 60.0;

    /// One h for every condition (the case of the analytic series).
    static SurfaceHeatTransfer constant(double heat_transfer_W_per_m2K);
    /// h for a surface at surface_K in surroundings at surroundings_K.
    double coefficient(double surface_K, double surroundings_K) const;

    /// Declares film_boiling_W_per_m2K, nucleate_boiling_W_per_m2K, boiling_switch_K and
    /// warming_W_per_m2K in `section` (continuum.heat_conduction) with the member defaults.
    static void declare(core::ConfigSection &section);
    static SurfaceHeatTransfer parse(const core::ConfigValues &section);
  };

  /// Geometry, material and discretisation of the conduction problem.
  struct HeatConductionSettings
  {
    ConductionShape shape = ConductionShape::cylinder;
    double radius_m = 0.75e-3;                        ///< R: half-thickness or radius
    double conductivity_W_per_mK = 4.0;              ///< κ (Ketov et al. 2015: Vitreloy 1, ~4)
    double heat_capacity_J_per_m3K = 2.4e6;          ///< ρ c_p
    std::size_t cells = 48;                           ///< N
    double theta = 1.0;                               ///< 1: backward Euler, 0.5: Crank–Nicolson

    /// Declares conductivity_W_per_mK, heat_capacity_J_per_m3K and cells in `section`
    /// (continuum.heat_conduction) with the member defaults; shape and radius come from the
    /// sample's geometry, θ is not a config key.
    static void declare(core::ConfigSection &section);
    /// The settings with the keys of declare() read (shape, radius and θ left at their defaults).
    static HeatConductionSettings parse(const core::ConfigValues &section);
  };

  class HeatConduction
  {
  public:
    /// A body at the uniform temperature initial_K.
    /// @throws std::invalid_argument for non-positive sizes or properties, N < 2, θ ∉ [0.5, 1].
    HeatConduction(const HeatConductionSettings &settings, double initial_K);

    /// Advances by dt_s while the surroundings go linearly from surroundings_start_K to
    /// surroundings_end_K (θ-weighted like the fluxes).
    void step(double dt_s, double surroundings_start_K, double surroundings_end_K, const SurfaceHeatTransfer &h);

    const HeatConductionSettings &settings() const { return settings_; }
    double time_s() const { return time_; }
    /// Cell-centre temperatures (K) and positions x = r/R.
    const std::vector<double> &cell_temperature_K() const { return temperature_; }
    const std::vector<double> &cell_position() const { return centre_; }
    /// Cell volumes per unit plate area (m) / cylinder length (m²) / sphere (m³, whole sphere).
    const std::vector<double> &cell_volume() const { return volume_; }
    /// Temperature at x in [0, 1]: linear between cell centres, the surface value at x = 1.
    double temperature_K(double x) const;
    double surface_temperature_K() const;
    double mean_temperature_K() const;
    /// Σ ρ c_p V_i T_i (J per unit plate area / cylinder length / sphere).
    double stored_heat_J() const;
    /// Heat that has left through the surface since the start (same units; negative if gained).
    double heat_lost_J() const { return heat_lost_; }
    /// h used in the last step.
    double last_heat_transfer_W_per_m2K() const { return last_h_; }

    /// The evolving state (temperatures, time, heat lost, last h and surroundings) as numbers for
    /// a checkpoint; restore_state() on a conduction built with the same settings continues
    /// bit-identically. Throws std::invalid_argument for a record of another length.
    std::vector<double> save_state() const;
    void restore_state(const std::vector<double> &state);

  private:
    /// Heat flow out through the surface per unit time for outer-cell temperature T_out.
    double surface_conductance(double h) const;

    HeatConductionSettings settings_;
    double dr_ = 0.0;
    double surface_area_ = 0.0;
    std::vector<double> centre_;
    std::vector<double> volume_;
    std::vector<double> face_conductance_;  ///< between cell i and i+1 (W/K per unit measure)
    std::vector<double> temperature_;
    double time_ = 0.0;
    double heat_lost_ = 0.0;
    double last_h_ = 0.0;
    double last_surroundings_K_ = 0.0;
  };
} // namespace cryocycle::continuum
