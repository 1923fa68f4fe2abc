// Tests of calibrate/activation_probability.h. References: Shang et al. (2018) Table I and section V,
// the literal eq. 11 as an independent quadrature, a closed form for two Gaussians, Monte Carlo
// estimates, and the two-sample estimate from raw stresses.

#include "calibrate/activation_probability.h"

#include "core/random_stream.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace cryocycle::calibrate
{
  namespace
  {
    struct TableOneRow
    {
      double beta_GPa, lambda, gamma, eta_GPa, probability;
    };

    // Shang et al. (2018) Table I (1e9 K/s and 1e13 K/s samples), with p to three digits.
    const TableOneRow slow_quench{1.56, 0.05, 6.00, 0.411, 1.75e-4};
    const TableOneRow fast_quench{1.61, 0.10, 8.15, 0.72, 4.58e-4};
  } // namespace

  // Reference: Shang et al. (2018) Table I, p = 1.75e-4 and 4.58e-4; tolerance 1% (the three printed
  // digits). Both quadrature forms agree to 1e-9 relative (both error estimates are smaller).
  TEST(ActivationProbability, ReproducesShang2018TableOne)
  {
    for (const TableOneRow& row : {slow_quench, fast_quench})
      {
        const LomaxDistribution thermal(row.gamma, row.eta_GPa);
        const HyperbolicDistribution yield(row.lambda, row.beta_GPa);
        const QuadratureResult direct = probability_stress_exceeds_yield(thermal, yield);
        const QuadratureResult literal =
            probability_shang2018_eq11(row.beta_GPa, row.lambda, row.gamma, row.eta_GPa);
        EXPECT_NEAR(direct.value, row.probability, 0.01 * row.probability);
        EXPECT_NEAR(literal.value, row.probability, 0.01 * row.probability);
        EXPECT_NEAR(direct.value, literal.value, 1e-9 * direct.value);
        EXPECT_LT(direct.error_bound, 1e-10 * direct.value);
        EXPECT_LT(literal.error_bound, 1e-9 * literal.value);
        RecordProperty(row.gamma == 6.0 ? "p_1e9_K_per_s" : "p_1e13_K_per_s",
                       std::to_string(direct.value));
      }
  }

  // Reference: Shang et al. (2018) section V, P_act > 90% for n ~ 5000 sites with the 1e13 K/s
  // parameters; tolerance 2%. Also P_act(n) at that n is 0.9 to 1e-12.
  TEST(ActivationProbability, SitesForNinetyPercentActivation)
  {
    const double p = probability_stress_exceeds_yield(
                         LomaxDistribution(fast_quench.gamma, fast_quench.eta_GPa),
                         HyperbolicDistribution(fast_quench.lambda, fast_quench.beta_GPa))
                         .value;
    const double sites = sites_for_activation(p, 0.9);
    EXPECT_NEAR(sites, 5.0e3, 0.02 * 5.0e3);
    EXPECT_NEAR(activation_probability(p, sites), 0.9, 1e-12);
  }

  // Reference: the direct evaluation 1 - (1 - p)^n where it is accurate, and n p for p n << 1
  // where it is not (p = 1e-17 is below the spacing of doubles near 1).
  TEST(ActivationProbability, ActivationProbabilityIsStable)
  {
    EXPECT_NEAR(activation_probability(0.01, 10.0), 1.0 - std::pow(0.99, 10.0), 1e-15);
    EXPECT_NEAR(activation_probability(1e-17, 1e3) / 1e-14, 1.0, 1e-12);
    EXPECT_EQ(activation_probability(0.3, 0.0), 0.0);
    EXPECT_EQ(activation_probability(1.0, 2.0), 1.0);
    EXPECT_NEAR(sites_for_activation(1e-17, 0.5) * 1e-17, std::log(2.0), 1e-12);
    EXPECT_THROW(activation_probability(1.5, 10.0), std::invalid_argument);
    EXPECT_THROW(sites_for_activation(0.1, -0.1), std::invalid_argument);
  }

  // Reference: for independent Gaussians, p(X > Y) = Phi((mu_x - mu_y)/sqrt(s_x^2 + s_y^2))
  // exactly; exercises the real-line branch of the quadrature. Tolerance 1e-10 relative.
  TEST(ActivationProbability, GaussianPairHasClosedForm)
  {
    const GaussianDistribution thermal(1.0, 0.5);
    const GaussianDistribution yield(3.0, 0.8);
    const double z = (1.0 - 3.0) / std::sqrt(0.5 * 0.5 + 0.8 * 0.8);
    const double expected = 0.5 * std::erfc(-z / std::sqrt(2.0));
    EXPECT_NEAR(probability_stress_exceeds_yield(thermal, yield).value, expected, 1e-10 * expected);
    // The same in MPa: the result does not depend on the stress unit.
    const GaussianDistribution thermal_MPa(1000.0, 500.0);
    const GaussianDistribution yield_MPa(3000.0, 800.0);
    EXPECT_NEAR(probability_stress_exceeds_yield(thermal_MPa, yield_MPa).value, expected,
                1e-10 * expected);
  }

  // Reference: Monte Carlo with the conditional estimator; quadrature and Monte Carlo agree
  // within 3 Monte Carlo standard errors (2e5 samples, two seeds per Table I row).
  TEST(ActivationProbability, MonteCarloAgreesWithQuadrature)
  {
    for (const TableOneRow& row : {slow_quench, fast_quench})
      for (const std::uint64_t seed : {1U, 2U})
        {
          const LomaxDistribution thermal(row.gamma, row.eta_GPa);
          const HyperbolicDistribution yield(row.lambda, row.beta_GPa);
          const double quadrature = probability_stress_exceeds_yield(thermal, yield).value;
          const MonteCarloEstimate estimate = monte_carlo_probability(thermal, yield, 200000, seed);
          EXPECT_EQ(estimate.samples, 200000U);
          EXPECT_GT(estimate.standard_error, 0.0);
          EXPECT_LT(estimate.standard_error, 0.1 * quadrature);
          EXPECT_NEAR(estimate.value, quadrature, 3.0 * estimate.standard_error) << "seed " << seed;
        }
    // Same seed, same estimate.
    const LomaxDistribution thermal(6.0, 0.411);
    const HyperbolicDistribution yield(0.05, 1.56);
    EXPECT_EQ(monte_carlo_probability(thermal, yield, 1000, 9).value,
              monte_carlo_probability(thermal, yield, 1000, 9).value);
  }

  // Reference: the two-sample estimate from raw stresses is unbiased for p; with a Gaussian
  // pair of p ~ 0.04 and 4000 x 4000 samples its standard error is below 0.003, so it must
  // lie within 0.01 of the closed form. Hand-checked small case: pairs (3 > 1), (3 > 2), (2 > 1)
  // out of 3 x 3 = 9 pairs gives 3/9.
  TEST(ActivationProbability, EmpiricalTwoSampleEstimate)
  {
    EXPECT_NEAR(empirical_probability_stress_exceeds_yield({1.0, 2.0, 3.0}, {1.0, 2.0, 5.0}),
                3.0 / 9.0, 1e-15);
    const GaussianDistribution thermal(1.0, 0.5);
    const GaussianDistribution yield(3.0, 0.8);
    auto engine = core::make_random_stream(3, "activation_probability_test");
    std::vector<double> thermal_samples(4000), yield_samples(4000);
    for (double& x : thermal_samples)
      x = thermal.sample(engine);
    for (double& x : yield_samples)
      x = yield.sample(engine);
    EXPECT_NEAR(empirical_probability_stress_exceeds_yield(thermal_samples, yield_samples),
                probability_stress_exceeds_yield(thermal, yield).value, 0.01);
    EXPECT_THROW(empirical_probability_stress_exceeds_yield({}, {1.0}), std::invalid_argument);
  }
} // namespace cryocycle::calibrate
