#pragma once
/// @file
/// What the site-scale calibration predicts for a whole sample (Shang et al. 2018 §V, Ketov et al. (2015) Methods):
/// its number of sites, the activation probability per cycle P_act = 1 − (1 − p)^n, the expected
/// events per cycle from a continuum RVE's event rate per volume, and, for immersion in liquid
/// nitrogen, the Biot number and the peak thermal-gradient stress of transient conduction.
/// Independent of the config, so it is testable on its own.
///
/// Geometry of the conduction problem: a plate (ribbon) and a thin disc are infinite plates of
/// their half-thickness, a rod an infinite cylinder of its radius (the ends are ignored, which
/// underestimates cooling at the ends only), a cube the sphere of equal volume-to-area ratio
/// (R = 3 V/A = edge/2). Ketov et al. (2015) quotes Bi with L = V/A (plate: half-thickness; cylinder: R/2).
///
/// Peak stress: at the surface of a free plate, long cylinder or sphere the tangential stresses
/// are equal and the radial one vanishes, σ_t = α_lin E/(1 − ν) (T_mean − T_surface)
/// (Timoshenko & Goodier), so the von Mises stress there is |σ_t| for every shape; it is largest
/// when T_mean − T_surface is, which the series solution gives as a function of the Fourier
/// number. For Bi ≪ 1 the profile is quasi-steady and T_mean − T_surface → Bi_R ΔT / k with
/// k = 3 (plate), 4 (cylinder), 5 (sphere).

#include "continuum/thermal/finite_volume_conduction.h"
#include "continuum/thermal/series_conduction.h"

#include <string>
#include <vector>

namespace cryocycle::coupling
{
  /// A sample of the extrapolation table. Lengths in metres.
  struct SampleGeometry
  {
    enum class Shape
    {
      cube,   ///< edge (MD box, nanocube)
      plate,  ///< thickness × width × length (melt-spun ribbon)
      rod,    ///< diameter × length (cast rod)
      disc    ///< diameter × thickness (slice of a rod)
    };
    std::string name;
    Shape shape = Shape::cube;
    double edge_m = 0.0;
    double thickness_m = 0.0;
    double width_m = 0.0;
    double diameter_m = 0.0;
    double length_m = 0.0;

    double volume_m3() const;
    double surface_area_m2() const;
    /// Conduction model of the sample (see the file comment).
    continuum::ConductionShape conduction_shape() const;
    /// Half-thickness or radius R of the conduction model.
    double conduction_radius_m() const;
    /// Ketov et al. (2015)'s characteristic length of the conduction model (V/A of the infinite body).
    double biot_length_m() const;
  };

  std::string shape_name(SampleGeometry::Shape shape);

  /// Largest difference between the mean and the surface temperature during convective cooling,
  /// as a fraction of the initial step, and when it occurs.
  struct PeakGradient
  {
    double temperature_ratio_difference = 0.0;  ///< max over Fo of θ_mean − θ_surface
    double fourier_number = 0.0;                ///< where the maximum lies
    bool quasi_steady_limit = false;            ///< Bi < 1e-6: Bi/k used instead of the series
  };

  /// Maximises θ_mean − θ_surface over the Fourier number (log-spaced scan, then Brent) with the
  /// series of continuum::ConvectiveCooling; Bi = h R/κ of the conduction radius.
  PeakGradient peak_temperature_gradient(continuum::ConductionShape shape, double biot_number);

  /// Largest T_mean − T_surface (K) during an immersion whose h switches from film to nucleate
  /// boiling at a surface temperature (continuum::HeatConduction, finite volumes, backward Euler
  /// with steps growing from 1e-4 of the diffusion time), and when it occurs. Runs until the
  /// mean temperature is within 0.1% of the step from the bath.
  struct SwitchingPeak
  {
    double temperature_difference_K = 0.0;
    double time_s = 0.0;
  };
  SwitchingPeak peak_temperature_difference_switching(continuum::ConductionShape shape, double radius_m,
                                                      double conductivity_W_per_mK, double heat_capacity_J_per_m3K,
                                                      double initial_K, double bath_K,
                                                      const continuum::SurfaceHeatTransfer &heat_transfer);

  /// Material and bath of the immersion.
  struct ImmersionSettings
  {
    double initial_temperature_K = 293.0;
    double bath_temperature_K = 77.0;
    std::vector<double> heat_transfer_W_per_m2K{148.0, 1355.0};  ///< e.g. film and nucleate boiling
    /// Surface temperature of the film → nucleate transition (Ketov et al. 2015: 100–150 K) for the
    /// switching immersion (h = the first two entries above).
    double boiling_switch_K = 125.0;
    double thermal_conductivity_W_per_mK = 4.0;
    double volumetric_heat_capacity_J_per_m3K = 2.4e6;
    double thermal_expansion_volumetric_per_K = 2.61e-5;
    double bulk_modulus_GPa = 107.25;
    double shear_modulus_GPa = 24.59;
  };

  /// Immersion of one sample at one heat-transfer coefficient.
  struct ImmersionResult
  {
    double heat_transfer_W_per_m2K = 0.0;
    double biot_number = 0.0;          ///< Ketov et al. (2015)'s: h (V/A) / κ
    double peak_stress_MPa = 0.0;      ///< von Mises at the surface, at the peak gradient
    double time_to_peak_s = 0.0;
    bool quasi_steady_limit = false;
  };

  /// Everything the table says about one sample.
  struct SampleExtrapolation
  {
    SampleGeometry geometry;
    double sites = 0.0;                  ///< V / V_site
    double activation_probability = 0.0; ///< P_act per cycle
    double expected_sites_activated = 0.0;  ///< n p
    /// From the RVE's event rate per volume (NaN when no RVE run was given).
    double rve_events_per_cycle = 0.0;
    std::vector<ImmersionResult> immersion;
    /// The immersion with h switching at boiling_switch_K (biot_number NaN: h changes).
    ImmersionResult switching;
  };

  /// The table row of one sample: sites of width σ_cg, P_act with probability p per site,
  /// events from `rve_events_per_cycle_per_nm3` (NaN: none) and the immersion results.
  SampleExtrapolation extrapolate_sample(const SampleGeometry &sample, double sigma_cg_nm,
                                         double probability_per_site, double rve_events_per_cycle_per_nm3,
                                         const ImmersionSettings &immersion);
} // namespace cryocycle::coupling
