#pragma once
/// @file
/// Kolmogorov–Smirnov goodness of fit: the two-sided statistic D_n = sup |F_n(x) - F(x)| of a
/// sample against a distribution and its p-value P(D_n >= D).
///
/// p-value method and accuracy:
/// - n <= kolmogorov_exact_max_sample_count and n D <= kolmogorov_exact_max_n_statistic:
///   the exact distribution of D_n by the matrix method of Marsaglia, Tsang & Wang (2003),
///   "Evaluating Kolmogorov's distribution", J. Stat. Softw. 8(18), in double precision with
///   binary exponent tracking; absolute error of the p-value ~1e-14 (p = 1 - P(D_n < D)).
/// - otherwise: the Kolmogorov limit Q_KS(t) = 2 sum_{j>=1} (-1)^(j-1) exp(-2 j^2 t^2) with
///   Stephens' (1970) small-sample correction t = (sqrt(n) + 0.12 + 0.11/sqrt(n)) D.
///   Against the exact values its absolute error is below 1e-3 for n >= 100 and below 2e-4
///   for n >= 1000 (measured in tests/calibrate/goodness_of_fit_test.cc).
///
/// When the distribution's parameters were fitted to the same sample, the p-value is
/// conservative (too large; Lilliefors 1967): a small value is still evidence against the fit.

#include "calibrate/distribution.h"

#include <cstddef>
#include <vector>

namespace cryocycle::calibrate
{
  /// Largest sample count for which kolmogorov_p_value uses the exact distribution.
  inline constexpr std::size_t kolmogorov_exact_max_sample_count = 1000;
  /// Largest n D for which the exact method is used (its matrix has order 2 floor(n D) + 1).
  inline constexpr double kolmogorov_exact_max_n_statistic = 100.0;

  /// Two-sided KS statistic of ascending samples against a distribution's cdf.
  /// Throws std::invalid_argument for an empty or unsorted vector.
  double ks_statistic(const std::vector<double>& sorted_samples, const Distribution& distribution);

  /// P(D_n >= statistic) for n samples from a continuous distribution (method above).
  double kolmogorov_p_value(double statistic, std::size_t sample_count);

  /// Exact P(D_n < statistic) (Marsaglia–Tsang–Wang 2003); cost O(m^3 log n), m = 2 floor(n d)+1.
  double kolmogorov_exact_cdf(double statistic, std::size_t sample_count);

  /// Kolmogorov's limiting survival function Q_KS(t) = lim P(sqrt(n) D_n > t).
  double kolmogorov_limit_survival(double t);
} // namespace cryocycle::calibrate
