#pragma once
/// @file
/// Kolmogorov–Smirnov goodness of fit: the two-sided statistic D_n = sup |F_n(x) - F(x)| of a
/// sample against a distribution and its p-value P(D_n >= D).
///
/// p-value method and accuracy:
/// - n <= kolmogorov_exact_max_sample_count and n D <= kolmogorov_exact_max_n_statistic:
///   the exact distribution of D_n by the matrix method of Marsaglia, Tsang & Wang (2003),
///   "Evaluating Kolmogorov's distribution", J. Stat. Softw. 8(18), in double precision with
///   binary exponent tracking (they report 13–15 correct digits for n up to 16000); the
///   p-value 1 - P(D_n < D) thus has an absolute error ~1e-13. This covers every D for
///   n <= 100 and, for larger n, the bulk of the distribution (sqrt(n) D <= 100/sqrt(n)).
/// - otherwise: the Kolmogorov limit Q_KS(t) = 2 sum_{j>=1} (-1)^(j-1) exp(-2 j^2 t^2) with
///   Stephens' (1970) small-sample correction t = (sqrt(n) + 0.12 + 0.11/sqrt(n)) D.
///   Wherever this branch is used its error against the exact values is below 1e-3 absolute
///   and 2% relative (measured for n = 5000, 16000 and 30000; see goodness_of_fit_test.cc).
///   In the bulk at moderate n it would be worse (0.01 absolute at n = 100, 0.004 at
///   n = 1000), which is why the exact method is preferred there.
///
/// When the distribution's parameters were fitted to the same sample, the p-value is
/// conservative (too large; Lilliefors 1967): a small value is still evidence against the fit.

#include "calibrate/distribution.h"

#include <cstddef>
#include <vector>

namespace cryocycle::calibrate
{
  /// Largest sample count for which kolmogorov_p_value uses the exact distribution.
  inline constexpr std::size_t kolmogorov_exact_max_sample_count = 16000;
  /// Largest n D for which the exact method is used: its matrix has order 2 floor(n D) + 1,
  /// so this bounds the cost at about 30 products of 201 x 201 matrices (~0.05 s).
  inline constexpr double kolmogorov_exact_max_n_statistic = 100.0;

  /// Two-sided KS statistic of ascending samples against a distribution's cdf.
  /// Throws std::invalid_argument for an empty or unsorted vector.
  double ks_statistic(const std::vector<double>& sorted_samples, const Distribution& distribution);

  /// P(D_n >= statistic) for n samples from a continuous distribution (method above).
  double kolmogorov_p_value(double statistic, std::size_t sample_count);

  /// Exact P(D_n < statistic) (Marsaglia–Tsang–Wang 2003); cost O(m^3 log n) with
  /// m = 2 floor(n d) + 1.
  double kolmogorov_exact_cdf(double statistic, std::size_t sample_count);

  /// Kolmogorov's limiting survival function Q_KS(t) = lim P(sqrt(n) D_n > t).
  double kolmogorov_limit_survival(double t);
} // namespace cryocycle::calibrate
