#pragma once
/// @file
/// Coarse-graining scaling of Shang et al. (2018) section V: the power law Var(alpha) = A sigma_cg^b of
/// the variance of the local thermal expansion against the coarse-graining size (Shang et al. 2018
/// Fig. 1b), and the size-normalised triggering probability p / sigma_cg^3, which should be
/// independent of sigma_cg if the activation probability is a physical quantity
/// (Shang et al. 2018 Fig. 4d: 1.31e-6 per cubic angstrom for the 1e9 K/s sample).

#include <cstddef>
#include <vector>

namespace cryocycle::calibrate
{
  /// Least-squares fit of log y = log A + b log x.
  struct PowerLawFit
  {
    /// A, in the unit of y divided by (unit of x)^b.
    double prefactor = 0.0;
    /// b, dimensionless.
    double exponent = 0.0;
    /// Standard error of log A (natural log); NaN with only 2 points.
    double log_prefactor_standard_error = 0.0;
    /// Standard error of b; NaN with only 2 points.
    double exponent_standard_error = 0.0;
    /// Coefficient of determination of the log-log regression.
    double r_squared = 0.0;
    /// Number of (x, y) points fitted.
    std::size_t point_count = 0;

    /// A x^b.
    double operator()(double x) const;
  };

  /// Fits y = A x^b by ordinary least squares in log-log coordinates (e.g. x = sigma_cg in nm,
  /// y = Var(alpha) in 1/K^2). Needs at least 2 distinct x; all x and y finite and > 0.
  /// Standard errors assume independent, equal-variance residuals in log y (n - 2 dof).
  /// Throws std::invalid_argument naming the offending index and value.
  PowerLawFit fit_power_law(const std::vector<double>& x, const std::vector<double>& y);

  /// p / sigma_cg^3 across coarse-graining sizes.
  struct SizeNormalisedProbability
  {
    /// p_i / sigma_cg,i^3, in 1/(unit of sigma_cg)^3.
    std::vector<double> ratios;
    /// Arithmetic mean of the ratios.
    double mean = 0.0;
    /// Sample standard deviation (n - 1) of the ratios over their mean; 0 for one size.
    double relative_standard_deviation = 0.0;
    /// (largest - smallest ratio) over the mean.
    double relative_range = 0.0;
  };

  /// Ratios p_i / sigma_cg,i^3 with their mean and relative spread. Sizes finite and > 0,
  /// probabilities in [0, 1], same non-zero length; throws std::invalid_argument otherwise.
  SizeNormalisedProbability probability_per_cubed_size(const std::vector<double>& sigma_cg,
                                                       const std::vector<double>& probabilities);
} // namespace cryocycle::calibrate
