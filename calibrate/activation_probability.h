#pragma once
/// @file
/// Probability that the thermal stress at a site exceeds its local yield stress, Shang et al. (2018)
/// eq. 9–11, with independent cross-checks, and the activation probability of a sample of n
/// sites (Shang et al. 2018 section V). Stresses in any one unit (GPa in Shang et al. 2018 Table I), as long as
/// both distributions use the same one.

#include "calibrate/distribution.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace cryocycle::calibrate
{
  /// A quadrature value with the quadrature's own estimate of its absolute error.
  struct QuadratureResult
  {
    double value = 0.0;
    double error_bound = 0.0;
  };

  /// A Monte Carlo estimate with its standard error.
  struct MonteCarloEstimate
  {
    double value = 0.0;
    double standard_error = 0.0;
    std::size_t samples = 0;
  };

  /// p(sigma_th > sigma_y) for independent thermal and yield stresses (Shang et al. 2018 eq. 10):
  /// p = integral F_y(s) p_th(s) ds over the thermal support, by adaptive Gauss–Kronrod (61
  /// points) quadrature on pieces split at the medians of both distributions, so the result
  /// does not depend on the stress unit. Integrating F_y p_th directly avoids the cancellation
  /// of the 1 - (...) form of eq. 11, which loses about log10(1/p) digits when p is small.
  /// error_bound is the sum of the Gauss–Kronrod error estimates of the pieces.
  QuadratureResult probability_stress_exceeds_yield(const Distribution& thermal_stress,
                                                    const Distribution& yield_stress);

  /// The literal Shang et al. (2018) eq. 11 for a Lomax thermal stress (gamma, eta) and a hyperbolic yield
  /// stress (beta, lambda): p = 1 - (gamma/eta) int_0^inf exp(lambda (1 - cosh(s/beta)))
  /// (1 + s/eta)^(-gamma-1) ds. An independent cross-check of
  /// probability_stress_exceeds_yield; its error_bound includes the cancellation (the
  /// integral's error estimate plus a few ulps of 1).
  /// @param beta_GPa, eta_GPa scales (same unit); @param lambda, gamma dimensionless shapes.
  QuadratureResult probability_shang2018_eq11(double beta_GPa, double lambda, double gamma,
                                            double eta_GPa);

  /// Monte Carlo cross-check with the conditional estimator: p = E[F_y(sigma_th)], so the
  /// estimate is the mean of F_y(sigma_th,i) over sigma_th,i drawn from the thermal
  /// distribution (stream core::make_random_stream(seed, "activation_monte_carlo")); its
  /// standard error is the sample standard deviation of F_y(sigma_th,i) over sqrt(samples).
  /// Conditioning on sigma_th removes the yield-stress sampling noise, so the variance is
  /// never larger than that of counting pairs with sigma_th > sigma_y.
  MonteCarloEstimate monte_carlo_probability(const Distribution& thermal_stress,
                                             const Distribution& yield_stress, std::size_t samples,
                                             std::uint64_t seed);

  /// Fraction of all (thermal, yield) pairs with thermal > yield from two raw samples, e.g. the
  /// stresses measured at the sites of an atomistic configuration: the two-sample estimate of
  /// eq. 9 without any fitted law. O((n + m) log m) by sorting the yield stresses.
  double empirical_probability_stress_exceeds_yield(const std::vector<double>& thermal_stresses,
                                                    const std::vector<double>& yield_stresses);

  /// Probability of at least one activated site among n independent sites,
  /// P_act = 1 - (1 - p)^n (Shang et al. 2018 section V), evaluated as -expm1(n log1p(-p)).
  double activation_probability(double probability_per_site, double site_count);

  /// Number of sites n at which P_act reaches level: n = ln(1 - level) / ln(1 - p)
  /// (Shang et al. 2018 section V: about 5e3 for level 0.9 with the 1e13 K/s parameters of Table I).
  double sites_for_activation(double probability_per_site, double level);
} // namespace cryocycle::calibrate
