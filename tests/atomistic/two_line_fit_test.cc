// The two-line (hinge) fit behind T_g: reference = the exact break point of synthetic data.
#include "atomistic/two_line_fit.h"

#include <boost/random/mersenne_twister.hpp>
#include <boost/random/normal_distribution.hpp>
#include <gtest/gtest.h>

using cryocycle::atomistic::fit_two_lines;

TEST(TwoLineFit, RecoversTheBreakOfNoisyHingeData)
{
  // Glass slope 1, liquid slope 3, break at T = 0.45; noise 0.002 (≈ 1% of the range).
  boost::random::mt19937_64 engine(7);
  boost::random::normal_distribution<double> noise(0.0, 0.002);
  std::vector<double> T, y;
  for (int i = 0; i <= 300; ++i)
    {
      const double t = 0.05 + 0.75 * i / 300.0;
      T.push_back(t);
      y.push_back(0.8 + 1.0 * t + 2.0 * std::max(0.0, t - 0.45) + noise(engine));
    }
  const auto fit = fit_two_lines(T, y);
  // Tolerance: 0.01 (1.3% of the range), far above the scatter of the estimate for this noise.
  EXPECT_NEAR(fit.break_temperature, 0.45, 0.01);
  EXPECT_NEAR(fit.low_slope, 1.0, 0.05);
  EXPECT_NEAR(fit.high_slope, 3.0, 0.05);
  EXPECT_NEAR(fit.rms_residual, 0.002, 0.0005);
  EXPECT_GT(fit.single_line_rms_residual, 5.0 * fit.rms_residual);
  EXPECT_NEAR(fit.value_at(0.45), 0.8 + 0.45, 0.005);
}

TEST(TwoLineFit, AStraightLineShowsNoSlopeChange)
{
  std::vector<double> T, y;
  for (int i = 0; i < 50; ++i)
    T.push_back(i), y.push_back(2.0 - 0.5 * i);
  const auto fit = fit_two_lines(T, y);
  EXPECT_NEAR(fit.low_slope, -0.5, 1e-9);
  EXPECT_NEAR(fit.high_slope, -0.5, 1e-9);
  EXPECT_NEAR(fit.rms_residual, 0.0, 1e-9);
}

TEST(TwoLineFit, RejectsTooFewPoints)
{
  EXPECT_THROW(fit_two_lines({1, 2, 3}, {1, 2, 3}), std::invalid_argument);
  EXPECT_THROW(fit_two_lines(std::vector<double>(10, 1.0), std::vector<double>(10, 2.0)), std::invalid_argument);
}
