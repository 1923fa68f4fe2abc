// Tests of calibrate/scaling_laws.h. References: exact power laws, ordinary least squares
// written out for a three-point case, and the p / sigma^3 ratios of Shang et al. (2018) Fig. 4d.

#include "calibrate/scaling_laws.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace cryocycle::calibrate
{
  // Reference: data on an exact power law Var = 2.5e-9 sigma^-2.7 are recovered to 1e-12
  // relative, with R^2 = 1 and zero standard errors.
  TEST(ScalingLaws, RecoversAnExactPowerLaw)
  {
    const std::vector<double> sigma_nm = {0.4, 0.5, 0.7, 1.0, 1.5};
    std::vector<double> variance;
    for (const double s : sigma_nm)
      variance.push_back(2.5e-9 * std::pow(s, -2.7));
    const PowerLawFit fit = fit_power_law(sigma_nm, variance);
    EXPECT_NEAR(fit.exponent, -2.7, 1e-12);
    EXPECT_NEAR(fit.prefactor / 2.5e-9, 1.0, 1e-12);
    EXPECT_NEAR(fit.r_squared, 1.0, 1e-12);
    EXPECT_NEAR(fit.exponent_standard_error, 0.0, 1e-10);
    EXPECT_NEAR(fit.log_prefactor_standard_error, 0.0, 1e-10);
    EXPECT_EQ(fit.point_count, 5U);
    EXPECT_NEAR(fit(0.6) / (2.5e-9 * std::pow(0.6, -2.7)), 1.0, 1e-12);
  }

  // Reference: ordinary least squares by hand for log x = (0, 1, 2) (x = 1, e, e^2) and
  // log y = (0, 1.1, 1.9): slope 0.95, intercept 0.05, residuals (-0.05, 0.1, -0.05),
  // residual variance 0.015/1, SE(b) = sqrt(0.015/2), SE(log A) = sqrt(0.015 (1/3 + 1/2)).
  TEST(ScalingLaws, StandardErrorsMatchHandComputation)
  {
    const double e = std::exp(1.0);
    const PowerLawFit fit = fit_power_law({1.0, e, e * e}, {1.0, std::exp(1.1), std::exp(1.9)});
    EXPECT_NEAR(fit.exponent, 0.95, 1e-12);
    EXPECT_NEAR(std::log(fit.prefactor), 0.05, 1e-12);
    EXPECT_NEAR(fit.exponent_standard_error, std::sqrt(0.015 / 2.0), 1e-12);
    EXPECT_NEAR(fit.log_prefactor_standard_error, std::sqrt(0.015 * (1.0 / 3.0 + 0.5)), 1e-12);
    EXPECT_NEAR(fit.r_squared, 1.0 - 0.015 / 1.82, 1e-12);
  }

  TEST(ScalingLaws, TwoPointsGiveNoStandardErrors)
  {
    const PowerLawFit fit = fit_power_law({1.0, 2.0}, {3.0, 12.0});
    EXPECT_NEAR(fit.exponent, 2.0, 1e-12);
    EXPECT_NEAR(fit.prefactor, 3.0, 1e-12);
    EXPECT_TRUE(std::isnan(fit.exponent_standard_error));
    EXPECT_THROW(fit_power_law({1.0}, {3.0}), std::invalid_argument);
    EXPECT_THROW(fit_power_law({1.0, 1.0}, {3.0, 4.0}), std::invalid_argument);
    EXPECT_THROW(fit_power_law({1.0, -2.0}, {3.0, 4.0}), std::invalid_argument);
    EXPECT_THROW(fit_power_law({1.0, 2.0}, {3.0}), std::invalid_argument);
  }

  // Reference: a probability proportional to sigma^3 (the assumption of Shang et al. 2018 section V)
  // gives equal ratios, here 1.31e-6 per cubic angstrom as in Shang et al. (2018) Fig. 4d; spread zero.
  // A hand-made set (ratios 1, 2, 3) gives mean 2, relative sd 1/2, relative range 1.
  TEST(ScalingLaws, ProbabilityPerCubedSize)
  {
    const std::vector<double> sigma_angstrom = {4.0, 5.0, 7.0};
    std::vector<double> probabilities;
    for (const double s : sigma_angstrom)
      probabilities.push_back(1.31e-6 * s * s * s);
    const SizeNormalisedProbability constant =
        probability_per_cubed_size(sigma_angstrom, probabilities);
    EXPECT_NEAR(constant.mean / 1.31e-6, 1.0, 1e-12);
    EXPECT_NEAR(constant.relative_standard_deviation, 0.0, 1e-12);
    EXPECT_NEAR(constant.relative_range, 0.0, 1e-12);

    const SizeNormalisedProbability spread =
        probability_per_cubed_size({1.0, 1.0, 1.0}, {0.1, 0.2, 0.3});
    EXPECT_NEAR(spread.mean, 0.2, 1e-15);
    EXPECT_NEAR(spread.relative_standard_deviation, 0.5, 1e-12);
    EXPECT_NEAR(spread.relative_range, 1.0, 1e-12);
    EXPECT_THROW(probability_per_cubed_size({1.0}, {1.5}), std::invalid_argument);
    EXPECT_THROW(probability_per_cubed_size({}, {}), std::invalid_argument);
  }
} // namespace cryocycle::calibrate
