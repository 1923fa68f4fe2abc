#pragma once
/// @file
/// Maximum-likelihood estimation of the distribution families of distribution.h, with standard
/// errors from the observed Fisher information (the analytic Hessian of the log-likelihood at
/// the optimum, inverted with Eigen). Two-parameter families with one parameter in closed form
/// given the other are fitted by maximising the profile log-likelihood over the logarithm of
/// the remaining scale (Brent's method, boost::math::tools::brent_find_minima) or, for the
/// Weibull shape, by solving the profile score equation (TOMS 748).

#include "calibrate/distribution.h"

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace cryocycle::calibrate
{
  /// Fewest samples any fitter accepts.
  inline constexpr std::size_t minimum_fit_sample_count = 10;

  /// A fit that cannot produce a meaningful answer for otherwise valid data: the likelihood has
  /// no finite maximum (e.g. Lomax data that look exponential, gamma -> inf), all samples are
  /// equal, or the observed information is not positive definite.
  class FitError : public std::runtime_error
  {
  public:
    using std::runtime_error::runtime_error;
  };

  /// Result of one maximum-likelihood fit; vectors are in the family's parameter order.
  struct MaximumLikelihoodEstimate
  {
    /// Parameter estimates (units as in the family's constructor).
    std::vector<double> estimates;
    /// Square roots of the diagonal of the inverse observed information matrix.
    std::vector<double> standard_errors;
    /// Log-likelihood sum_i log p(x_i) at the estimates.
    double log_likelihood = 0.0;
  };

  /// Checks data before a fit: at least minimum_fit_sample_count values, all finite and inside
  /// the support. Throws std::invalid_argument naming the family, the offending index and value.
  void validate_samples(const std::vector<double>& samples, Support support,
                        std::string_view family);

  /// Log-likelihood sum_i log p(x_i) of samples under a distribution (compensated summation).
  double log_likelihood(const Distribution& distribution, const std::vector<double>& samples);

  /// Gaussian: closed form, mean and standard deviation with the 1/n (maximum-likelihood)
  /// normalisation; standard errors sigma/sqrt(n) and sigma/sqrt(2n).
  MaximumLikelihoodEstimate fit_gaussian(const std::vector<double>& samples);

  /// Lomax (Shang et al. 2018 section III): for fixed eta the estimate of gamma is
  /// n / sum_i log1p(x_i/eta); the profile log-likelihood is maximised over log eta.
  /// Throws FitError when the profile keeps rising towards eta -> inf (the exponential limit,
  /// gamma -> inf), i.e. the data have no heavier tail than an exponential.
  MaximumLikelihoodEstimate fit_lomax(const std::vector<double>& samples);

  /// Hyperbolic (Shang et al. 2018 eq. 8): for fixed beta the estimate of lambda is
  /// n / sum_i (cosh(x_i/beta) - 1); the profile is maximised over log beta.
  /// Throws FitError when the profile keeps rising towards beta -> inf (the Rayleigh limit,
  /// lambda -> inf).
  MaximumLikelihoodEstimate fit_hyperbolic(const std::vector<double>& samples);

  /// Weibull: the shape k solves the profile score equation
  /// sum x^k log x / sum x^k - 1/k - mean(log x) = 0; then lambda = (mean x^k)^(1/k).
  MaximumLikelihoodEstimate fit_weibull(const std::vector<double>& samples);
} // namespace cryocycle::calibrate
