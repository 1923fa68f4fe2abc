#pragma once
/// @file
/// The scale bridge between the atomistic measurements and the continuum's sites (Shang et al. 2018):
/// coarse-graining width σ_cg ↔ frozen-matrix radius r_c = 2σ_cg ↔ site volume; the variance of
/// a local property carried from the measured widths to the site size on the mesh with a fitted
/// power law Var(σ_cg) = A σ_cg^b; sites per cell when cells are larger than sites, with the
/// cell's event probability P = 1 − (1 − p)^n (Shang et al. 2018 §V) and the p/σ_cg³ invariance as a
/// consistency check. No LAMMPS, no mesh.
///
/// Site volume. A site is one potential shear-transformation zone, and Shang et al. (2018) counts zones as
/// non-overlapping coarse-graining volumes: σ_cg = 5 Å is "a coarse graining volume that contains
/// around 30 atoms" (§II), and an 8000-atom box holds "a few hundred possible shear
/// transformations" (§V). The sphere of radius σ_cg, V_site = (4π/3) σ_cg³ = (π/6) r_c³ (the
/// sphere whose diameter is the frozen-matrix radius), holds 30.7 atoms of Cu50Zr50 at 58.6 nm⁻³
/// and gives 260 sites in 8000 atoms; it is the definition used here. (The cube (2σ_cg)³ would
/// hold 59 atoms, the sphere of radius r_c 245.) On the mesh a site is one element of edge h,
/// so the equivalent width is the σ_cg of equal volume: h³ = (4π/3) σ_cg³.

#include "calibrate/scaling_laws.h"
#include "coupling/bridge/calibration_record.h"

#include <cstddef>
#include <string>
#include <vector>

namespace cryocycle::coupling
{
  /// r_c = 2 σ_cg: the frozen-matrix radius whose second moment matches the Gaussian
  /// coarse-graining function of width σ_cg (Shang et al. 2018 §IV). nm in, nm out.
  double frozen_matrix_radius_nm(double sigma_cg_nm);
  /// σ_cg = r_c / 2.
  double sigma_cg_from_frozen_matrix_radius_nm(double radius_nm);
  /// V_site = (4π/3) σ_cg³ in nm³ (see the file comment for why this definition).
  double site_volume_nm3(double sigma_cg_nm);
  /// The σ_cg whose site volume is `volume_nm3`.
  double sigma_cg_from_site_volume_nm(double volume_nm3);
  /// Edge of a cubic element holding one site of width σ_cg: h = V_site^(1/3) ≈ 1.612 σ_cg.
  double element_size_for_sigma_cg_nm(double sigma_cg_nm);
  /// The σ_cg of a site that is one cubic element of edge h: σ_cg = h (3/4π)^(1/3) ≈ 0.620 h.
  double sigma_cg_for_element_size_nm(double element_size_nm);
  /// Number of non-overlapping sites of width σ_cg in a volume (real-valued: the expected
  /// count, V / V_site). Throws std::invalid_argument for non-positive or non-finite inputs.
  double sites_in_volume(double volume_nm3, double sigma_cg_nm);

  /// A power law Var(σ_cg) = A σ_cg^b of the variance of a local property against the
  /// coarse-graining width, with what is needed to state the uncertainty of the law at any
  /// width: the log-log regression ln Var = c + b (ln σ − m) has independent c and b, so
  /// var(ln Var(σ)) = s²/n + (ln σ − m)² se(b)², with s² = se(b)² S_xx.
  struct VarianceLaw
  {
    calibrate::PowerLawFit fit;        ///< A (unit of the variance / nm^b) and b
    double mean_log_sigma = 0.0;       ///< m: mean of ln(σ_cg / nm) over the fitted widths
    double sum_squares_log_sigma = 0.0;  ///< S_xx of ln σ_cg
    double smallest_sigma_cg_nm = 0.0;   ///< fitted range
    double largest_sigma_cg_nm = 0.0;
    /// True when b was not fitted but assumed (one width only): b = −3, the volume average of
    /// uncorrelated heterogeneity (Var ∝ 1 / V_site). The uncertainty is then unknown (NaN).
    bool assumed_exponent = false;
  };

  /// Fits the law to variances measured at two or more widths (calibrate::fit_power_law); with
  /// one width, anchors the assumed exponent b = −3 at that point. Widths in nm, distinct,
  /// variances > 0. Throws std::invalid_argument naming the offending entry.
  VarianceLaw fit_variance_law(const std::vector<double> &sigma_cg_nm, const std::vector<double> &variances);

  /// The variance at a target width with its uncertainty.
  struct CarriedVariance
  {
    double sigma_cg_nm = 0.0;
    double variance = 0.0;             ///< A σ_cg^b
    double standard_deviation = 0.0;   ///< √variance: what a random field on the mesh takes
    /// Standard error of ln Var at the target (NaN when the law has no residual degrees of
    /// freedom, i.e. two widths, or an assumed exponent).
    double log_standard_error = 0.0;
    /// Two-sided interval of the variance at `confidence_level` from Student's t with n − 2
    /// degrees of freedom on ln Var (NaN when log_standard_error is).
    double lower = 0.0;
    double upper = 0.0;
    double confidence_level = 0.0;
    /// Decades (log10 of σ) the target lies outside the fitted widths; 0 inside.
    double decades_outside_fit = 0.0;
  };

  /// Var at `target_sigma_cg_nm` from the law. Throws std::invalid_argument for a
  /// non-positive target or a confidence level outside (0, 1).
  CarriedVariance carry_variance(const VarianceLaw &law, double target_sigma_cg_nm,
                                 double confidence_level = 0.95);

  /// A local property on mesh sites: its mean (coarse graining keeps the mean) and its variance
  /// carried to the width of the site (sigma_cg_for_element_size_nm), with the law it came from.
  struct SiteFieldStatistics
  {
    std::string quantity;  ///< e.g. "thermal_expansion_per_K"
    double element_size_nm = 0.0;
    double mean = 0.0;     ///< mean of the measured means
    VarianceLaw law;
    CarriedVariance variance;
  };

  /// Carries a property measured at one or more widths (means and standard deviations at each)
  /// to cubic mesh sites of edge `element_size_nm`. Throws std::invalid_argument for mismatched
  /// or empty lists or non-positive standard deviations.
  SiteFieldStatistics carry_to_element_size(const std::string &quantity, const std::vector<double> &sigma_cg_nm,
                                            const std::vector<double> &means,
                                            const std::vector<double> &standard_deviations,
                                            double element_size_nm, double confidence_level = 0.95);

  /// α, K and G of a calibration record (each measured at every width that has it) carried to
  /// mesh sites of edge `element_size_nm`: what `continuum.materials.*` with source random takes.
  std::vector<SiteFieldStatistics> site_fields_from_record(const CalibrationRecord &record, double element_size_nm,
                                                           double confidence_level = 0.95);

  /// One cell of a homogenised mesh (cell ≫ site): its sites and its chance of an event.
  struct CellActivation
  {
    double sites = 0.0;        ///< n = V_cell / V_site
    /// 1 − (1 − p)^n, evaluated as −expm1(n log1p(−p)) so it keeps full precision for tiny p.
    double probability = 0.0;
    double expected_events = 0.0;  ///< n p: mean number of active sites per cycle
  };

  /// The cell of `cell_volume_nm3` filled with sites of width σ_cg, each active with
  /// probability p per cycle, independently (Shang et al. 2018 §V). Throws std::invalid_argument when
  /// the cell is smaller than one site (use explicit sites then) or p is outside [0, 1].
  CellActivation cell_activation(double cell_volume_nm3, double sigma_cg_nm, double probability_per_site);

  /// The p/σ_cg³ invariance of Shang et al. (2018) §V (Fig. 4d) as a consistency check: calibrations at
  /// several widths must give the same activation for the same volume, since n p ∝ p/σ_cg³.
  struct SizeInvarianceCheck
  {
    std::vector<double> sigma_cg_nm;
    std::vector<double> probabilities;            ///< p at each width
    std::vector<double> cell_probabilities;       ///< P for the reference volume at each width
    std::vector<double> expected_events;          ///< n p for the reference volume at each width
    calibrate::SizeNormalisedProbability ratios;  ///< p/σ_cg³ (nm⁻³), mean and spread
    double reference_volume_nm3 = 0.0;
    double tolerance = 0.0;  ///< largest accepted relative standard deviation of n p
    bool consistent = false;  ///< ratios.relative_standard_deviation <= tolerance
  };

  /// Checks the invariance for a reference volume (e.g. one mesh cell). Throws
  /// std::invalid_argument for empty or mismatched lists or a volume smaller than a site.
  SizeInvarianceCheck check_size_invariance(const std::vector<double> &sigma_cg_nm,
                                            const std::vector<double> &probabilities,
                                            double reference_volume_nm3, double tolerance);
} // namespace cryocycle::coupling
