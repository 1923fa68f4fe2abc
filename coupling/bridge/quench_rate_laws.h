#pragma once
/// @file
/// From calibrations at several quench rates to the glass of an experiment, and to the state
/// law the continuum's renewal draws use.
///
/// Cooling-rate extrapolation. MD quenches at 1e11–1e14 K/s, experiments at 1e2–1e6 K/s. Each
/// distribution parameter, and the as-quenched energy, is fitted as a straight line against
/// x = log10(Q / (K/s)) by least squares — weighted by the calibration's standard errors where
/// they are known — with the standard errors of the line and a prediction interval, and carried
/// to the experimental rate with a flag saying how many decades beyond the fitted rates that
/// is. Parameters that must be positive (scales and shapes, standard deviations) are fitted as
/// ln(parameter), i.e. as power laws in Q, so an extrapolation cannot turn them negative; means
/// and energies are fitted linearly.
///
/// State laws. Calibrations at two or more quench rates give distribution parameters and
/// as-quenched energies as functions of the structural state s: s = 0 is the lowest-energy
/// (most relaxed, slowest-quenched) glass, s = 1 the highest-energy one, and a calibration of
/// energy E lies at s = (E − E_0)/(E_1 − E_0); parameters are interpolated linearly in s between
/// neighbouring calibrations. continuum_state_law() gives the two-point law of
/// `continuum.cycles` (yield_stress_relaxed / _rejuvenated, stored energies) in one call.

#include "coupling/bridge/calibration_record.h"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace cryocycle::coupling
{
  /// 1 eV per atom in J/mol (N_A · e · 1 V).
  constexpr double joules_per_mole_per_eV_per_atom = 96485.33212;

  /// A straight line y = intercept + slope · x fitted by least squares.
  struct LinearTrend
  {
    double intercept = 0.0;
    double slope = 0.0;
    double intercept_standard_error = 0.0;
    double slope_standard_error = 0.0;
    double covariance = 0.0;  ///< cov(intercept, slope)
    /// Scatter of the points about the line, √(RSS/(n − 2)) for unweighted fits (NaN with two
    /// points); for weighted fits the square root of the Birge ratio χ²/(n − 2) (NaN with two
    /// points).
    double residual_standard_deviation = 0.0;
    double degrees_of_freedom = 0.0;  ///< n − 2
    std::size_t point_count = 0;
    /// True when the points carried standard errors: weights 1/se², covariance (XᵀWX)⁻¹,
    /// enlarged by the Birge ratio χ²/(n − 2) when that exceeds 1 (scatter beyond the stated
    /// errors).
    bool weighted = false;
    double smallest_x = 0.0;
    double largest_x = 0.0;

    double operator()(double x) const { return intercept + slope * x; }
  };

  /// Fits y against x. `y_standard_errors` empty: ordinary least squares (standard errors from
  /// the scatter, NaN with two points); otherwise one positive finite error per point. Needs
  /// two or more distinct x. Throws std::invalid_argument naming the offending entry.
  LinearTrend fit_linear_trend(const std::vector<double> &x, const std::vector<double> &y,
                               const std::vector<double> &y_standard_errors = {});

  /// The line at one x with its uncertainty.
  struct TrendPrediction
  {
    double x = 0.0;
    double value = 0.0;
    /// Standard error of the line at x: √(var a + 2x cov + x² var b).
    double standard_error = 0.0;
    /// For a new glass at x: the line's error and the scatter of points about it added in
    /// quadrature (unweighted fits); equal to standard_error for weighted fits.
    double prediction_standard_error = 0.0;
    /// Prediction interval at confidence_level: Student's t with n − 2 degrees of freedom for
    /// unweighted or Birge-scaled fits, the normal quantile for weighted fits within their
    /// errors. NaN when the error is unknown.
    double lower = 0.0;
    double upper = 0.0;
    double confidence_level = 0.0;
    /// Distance (in x) outside the fitted [smallest_x, largest_x]; 0 inside.
    double outside_fit = 0.0;
  };

  TrendPrediction predict_trend(const LinearTrend &trend, double x, double confidence_level = 0.95);

  /// How a quantity is fitted against log10 Q.
  enum class TrendScale
  {
    linear,      ///< y = a + b log10 Q
    logarithmic  ///< ln y = a + b log10 Q (y > 0: a power law in Q)
  };

  /// One quantity at several quench rates.
  struct QuenchRatePoint
  {
    double quench_rate_K_per_s = 0.0;
    double value = 0.0;
    double standard_error = 0.0;  ///< 0 or NaN: unknown (then every point's must be unknown)
  };

  /// The fitted trend of one quantity against x = log10(Q / (K/s)).
  struct QuenchRateTrend
  {
    std::string name;  ///< e.g. "yield_stress_GPa hyperbolic scale_beta"
    TrendScale scale = TrendScale::linear;
    LinearTrend fit;   ///< in x = log10 Q and y or ln y
  };

  /// Fits the trend; points need distinct positive rates (at least two). Throws
  /// std::invalid_argument naming the quantity and the offending point.
  QuenchRateTrend fit_quench_rate_trend(const std::string &name, const std::vector<QuenchRatePoint> &points,
                                        TrendScale scale);

  /// The trend carried to a quench rate, in the quantity's own scale.
  struct QuenchRatePrediction
  {
    std::string name;
    double quench_rate_K_per_s = 0.0;
    double value = 0.0;
    double lower = 0.0;  ///< prediction interval (back-transformed for logarithmic trends)
    double upper = 0.0;
    double confidence_level = 0.0;
    /// Standard error in the fitted scale (of y, or of ln y for logarithmic trends).
    double standard_error = 0.0;
    /// Decades of Q beyond the fitted rates (0 inside): how far this is an extrapolation.
    double decades_extrapolated = 0.0;
    bool extrapolated() const { return decades_extrapolated > 0.0; }
  };

  QuenchRatePrediction predict_at_quench_rate(const QuenchRateTrend &trend, double quench_rate_K_per_s,
                                              double confidence_level = 0.95);

  /// A calibrated glass: its calibration record, quench rate and as-quenched energy.
  struct GlassState
  {
    std::string label;
    double quench_rate_K_per_s = 0.0;
    /// As-quenched (e.g. inherent-structure) energy; absent when unknown.
    std::optional<double> as_quenched_energy_J_per_mol;
    double energy_standard_error_J_per_mol = 0.0;  ///< 0: unknown
    CalibrationRecord record;
  };

  /// Trends of every parameter of `family` fitted to `quantity` at `sigma_cg_nm`, one per
  /// parameter in the family's registry order; scales and shapes logarithmic, means linear.
  /// Throws std::runtime_error when a state's record lacks the fit (naming the record).
  std::vector<QuenchRateTrend> distribution_parameter_trends(const std::vector<GlassState> &states,
                                                             double sigma_cg_nm, const std::string &quantity,
                                                             const std::string &family);

  /// Trend of the as-quenched energy (J/mol, linear); throws std::invalid_argument when a state
  /// has no energy.
  QuenchRateTrend as_quenched_energy_trend(const std::vector<GlassState> &states);

  /// One calibrated glass on the state axis.
  struct StateLawPoint
  {
    double state = 0.0;  ///< s in [0, 1]
    double quench_rate_K_per_s = 0.0;
    std::optional<double> energy_J_per_mol;
    std::vector<double> parameters;  ///< the family's parameters, registry order
  };

  /// Distribution parameters and stored energy as piecewise-linear functions of s.
  class StateLaw
  {
  public:
    /// Points with distinct states covering 0 and 1, each with the family's parameter count.
    StateLaw(std::string family, std::vector<StateLawPoint> points);

    const std::string &family() const { return family_; }
    /// Sorted by state.
    const std::vector<StateLawPoint> &points() const { return points_; }
    /// Parameters at s ∈ [0, 1] (linear between neighbouring calibrations).
    std::vector<double> parameters_at(double state) const;
    /// Whether every point has an energy.
    bool has_energies() const;
    /// E(s) − E(0) in J/mol; throws std::logic_error without energies.
    double stored_energy_J_per_mol(double state) const;

  private:
    std::string family_;
    std::vector<StateLawPoint> points_;
  };

  /// The state law of `family` fitted to `quantity` at `sigma_cg_nm` from two or more glasses.
  /// With energies for all states s follows the energy; with two states and no energies the
  /// slower quench is s = 0 and the law has no stored energies. Throws std::invalid_argument for
  /// fewer than two states, more than two without energies, or equal energies.
  StateLaw make_state_law(const std::vector<GlassState> &states, double sigma_cg_nm, const std::string &quantity,
                          const std::string &family);

  /// The two-point law `continuum.cycles` takes (yield_stress_family, yield_stress_relaxed,
  /// yield_stress_rejuvenated, stored_energy_relaxed_J_per_mol, stored_energy_rejuvenated_J_per_mol).
  struct ContinuumStateLaw
  {
    std::string yield_family;
    std::vector<double> yield_relaxed;      ///< registry order, scales in GPa
    std::vector<double> yield_rejuvenated;
    double stored_energy_relaxed_J_per_mol = 0.0;
    double stored_energy_rejuvenated_J_per_mol = 0.0;
    double relaxed_quench_rate_K_per_s = 0.0;
    double rejuvenated_quench_rate_K_per_s = 0.0;
  };

  /// From the calibrations of the lowest- and highest-energy glasses: the yield-stress law at
  /// `sigma_cg_nm` and their energy difference as the stored energy of the rejuvenated state.
  /// Needs energies (throws std::invalid_argument naming the glass without one).
  ContinuumStateLaw continuum_state_law(const std::vector<GlassState> &states, double sigma_cg_nm,
                                        const std::string &yield_family = "hyperbolic");
} // namespace cryocycle::coupling
