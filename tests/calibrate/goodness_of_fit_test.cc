// Tests of calibrate/goodness_of_fit.h. References: closed forms of the exact distribution of
// D_n for small n and in its tails, tabulated values of Kolmogorov's limit distribution,
// Monte Carlo simulation of D_n, and the exact method for the accuracy of the asymptotic one.

#include "calibrate/goodness_of_fit.h"

#include "core/random_stream.h"

#include <boost/random/uniform_01.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace cryocycle::calibrate
{
  namespace
  {
    /// Stephens-corrected asymptotic p-value, the large-n branch of kolmogorov_p_value.
    double stephens_p_value(const double d, const std::size_t n)
    {
      const double root_n = std::sqrt(static_cast<double>(n));
      return kolmogorov_limit_survival((root_n + 0.12 + 0.11 / root_n) * d);
    }
  } // namespace

  // Reference: hand-checkable cases with an exponential (Weibull k = 1) model.
  TEST(GoodnessOfFit, KsStatisticOfSmallSamples)
  {
    const WeibullDistribution exponential(1.0, 1.0);
    EXPECT_NEAR(ks_statistic({exponential.quantile(0.3)}, exponential), 0.7, 1e-14);
    EXPECT_NEAR(ks_statistic({exponential.quantile(0.2), exponential.quantile(0.9)}, exponential),
                0.4, 1e-14);
    EXPECT_THROW(ks_statistic({2.0, 1.0}, exponential), std::invalid_argument);
    EXPECT_THROW(ks_statistic({}, exponential), std::invalid_argument);
  }

  // Reference: exact closed forms. n = 1: P(D >= d) = 2 - 2d on [1/2, 1].
  // n = 2: P(D < d) = 2 (2d - 1/2)^2 on [1/4, 1/2] and 1 - 2 (1 - d)^2 on [1/2, 1].
  // Any n: P(D < 1/(2n) + v) = n! (2v)^n for 0 <= v <= 1/(2n), and P(D >= d) = 2 (1 - d)^n for
  // d >= max(1/2, 1 - 1/n). Tolerance 1e-13 absolute.
  TEST(GoodnessOfFit, ExactDistributionMatchesClosedForms)
  {
    for (const double d : {0.55, 0.7, 0.9})
      EXPECT_NEAR(kolmogorov_p_value(d, 1), 2.0 - 2.0 * d, 1e-13);
    EXPECT_NEAR(kolmogorov_p_value(0.4, 1), 1.0, 1e-13);
    for (const double d : {0.3, 0.4, 0.49})
      EXPECT_NEAR(kolmogorov_exact_cdf(d, 2), 2.0 * std::pow(2.0 * d - 0.5, 2), 1e-13);
    for (const double d : {0.6, 0.8})
      EXPECT_NEAR(kolmogorov_exact_cdf(d, 2), 1.0 - 2.0 * std::pow(1.0 - d, 2), 1e-13);
    EXPECT_NEAR(kolmogorov_exact_cdf(0.1 + 0.05, 5), 120.0 * std::pow(0.1, 5), 1e-15);
    EXPECT_NEAR(kolmogorov_p_value(0.7, 3), 2.0 * std::pow(0.3, 3), 1e-13);
    EXPECT_NEAR(kolmogorov_p_value(0.93, 20), 2.0 * std::pow(0.07, 20), 1e-15);
  }

  // Reference: Marsaglia, Tsang & Wang (2003) quote K(10, 0.274) = 0.6284796154565043 as their
  // worked example. Tolerance 1e-13.
  TEST(GoodnessOfFit, ExactDistributionMatchesPublishedExample)
  {
    EXPECT_NEAR(kolmogorov_exact_cdf(0.274, 10), 0.6284796154565043, 1e-13);
  }

  // Reference: Monte Carlo simulation of D_20 for uniform samples, 1e5 replications;
  // agreement within 4 binomial standard errors.
  TEST(GoodnessOfFit, ExactDistributionMatchesSimulation)
  {
    const std::size_t n = 20;
    const std::size_t replications = 100000;
    const std::vector<double> thresholds = {0.15, 0.2, 0.25, 0.3, 0.4};
    std::vector<std::size_t> exceedances(thresholds.size(), 0);
    auto engine = core::make_random_stream(5, "goodness_of_fit_test");
    boost::random::uniform_01<double> uniform;
    std::vector<double> u(n);
    for (std::size_t r = 0; r < replications; ++r)
      {
        for (double& value : u)
          value = uniform(engine);
        std::sort(u.begin(), u.end());
        double d = 0.0;
        for (std::size_t i = 0; i < n; ++i)
          d = std::max({d, (static_cast<double>(i) + 1.0) / static_cast<double>(n) - u[i],
                        u[i] - static_cast<double>(i) / static_cast<double>(n)});
        for (std::size_t t = 0; t < thresholds.size(); ++t)
          exceedances[t] += (d >= thresholds[t]) ? 1U : 0U;
      }
    for (std::size_t t = 0; t < thresholds.size(); ++t)
      {
        const double p = kolmogorov_p_value(thresholds[t], n);
        const double trials = static_cast<double>(replications);
        const double frequency = static_cast<double>(exceedances[t]) / trials;
        EXPECT_NEAR(frequency, p, 4.0 * std::sqrt(p * (1.0 - p) / trials) + 1e-6)
            << "d = " << thresholds[t];
      }
  }

  // Reference: Kolmogorov's limit distribution as tabulated by Smirnov (1948):
  // K(0.5) = 0.036055, K(1.0) = 0.730000, K(1.5) = 0.977782, K(2.0) = 0.999329, and the usual
  // critical values Q(1.2238) = 0.10, Q(1.3581) = 0.05, Q(1.6276) = 0.01.
  // Tolerance: 1e-6 for the table, 1e-4 for the four-digit critical values.
  TEST(GoodnessOfFit, LimitDistributionMatchesTables)
  {
    EXPECT_NEAR(1.0 - kolmogorov_limit_survival(0.5), 0.036055, 1e-6);
    EXPECT_NEAR(1.0 - kolmogorov_limit_survival(1.0), 0.730000, 1e-6);
    EXPECT_NEAR(kolmogorov_limit_survival(1.0), 0.26999967167735456, 1e-14);
    EXPECT_NEAR(1.0 - kolmogorov_limit_survival(1.5), 0.977782, 1e-6);
    EXPECT_NEAR(1.0 - kolmogorov_limit_survival(2.0), 0.999329, 1e-6);
    EXPECT_NEAR(kolmogorov_limit_survival(1.2238), 0.10, 1e-4);
    EXPECT_NEAR(kolmogorov_limit_survival(1.3581), 0.05, 1e-4);
    EXPECT_NEAR(kolmogorov_limit_survival(1.6276), 0.01, 1e-4);
    // The two series join continuously at t = 1.18.
    EXPECT_NEAR(kolmogorov_limit_survival(1.18 - 1e-12), kolmogorov_limit_survival(1.18), 1e-11);
    EXPECT_EQ(kolmogorov_limit_survival(0.0), 1.0);
  }

  // Reference: the exact distribution. Where kolmogorov_p_value switches to the
  // Stephens-corrected asymptotic form (n D > 100 or n > 16000), the two differ by less than
  // 1e-3 absolute and 2% relative: checked at n = 5000 in the upper tail and at n = 20000 in
  // the bulk (the accuracy documented in goodness_of_fit.h). In the bulk at n = 1000, where
  // the exact method is used instead, the asymptotic form would be off by more than 2e-3.
  TEST(GoodnessOfFit, StephensApproximationAccuracy)
  {
    const std::vector<std::pair<std::size_t, double>> cases = {
        {5000, 1.45}, {5000, 1.8}, {5000, 2.2}, {20000, 0.8}, {20000, 1.0}, {20000, 1.3}};
    for (const auto& [n, t] : cases)
      {
        const double d = t / std::sqrt(static_cast<double>(n));
        const double exact = 1.0 - kolmogorov_exact_cdf(d, n);
        const double asymptotic = stephens_p_value(d, n);
        EXPECT_EQ(kolmogorov_p_value(d, n), asymptotic) << "n = " << n << ", t = " << t;
        EXPECT_LT(std::abs(exact - asymptotic), 1e-3) << "n = " << n << ", t = " << t;
        EXPECT_LT(std::abs(exact - asymptotic), 0.02 * exact) << "n = " << n << ", t = " << t;
      }
    const double bulk_d = 0.7 / std::sqrt(1000.0);
    EXPECT_GT(std::abs(stephens_p_value(bulk_d, 1000) - (1.0 - kolmogorov_exact_cdf(bulk_d, 1000))),
              2e-3);
    EXPECT_EQ(kolmogorov_p_value(bulk_d, 1000), 1.0 - kolmogorov_exact_cdf(bulk_d, 1000));
  }

  TEST(GoodnessOfFit, PValueBranchesAndLimits)
  {
    EXPECT_EQ(kolmogorov_p_value(0.0, 50), 1.0);
    EXPECT_EQ(kolmogorov_p_value(1.0, 50), 0.0);
    EXPECT_THROW(kolmogorov_p_value(1.2, 50), std::invalid_argument);
    EXPECT_THROW(kolmogorov_p_value(0.1, 0), std::invalid_argument);
    // Large n uses the asymptotic branch; the p-value decreases with D.
    double previous = 1.0;
    for (double d = 0.001; d < 0.05; d += 0.001)
      {
        const double p = kolmogorov_p_value(d, 5000);
        EXPECT_LE(p, previous);
        previous = p;
      }
    EXPECT_NEAR(kolmogorov_p_value(1.3581 / std::sqrt(5000.0), 5000), 0.05, 2e-3);
  }
} // namespace cryocycle::calibrate
