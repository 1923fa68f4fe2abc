// Cooling-rate trends and state laws: least squares against closed-form standard errors and a
// Monte Carlo of repeated data sets, the extrapolation flag, and the two-point law of
// continuum.cycles from Shang et al. (2018) Table I's slow and fast glasses.
#include "coupling/bridge/quench_rate_laws.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

using namespace cryocycle::coupling;

namespace
{
  /// A record holding one hyperbolic yield-stress fit at σ_cg = 0.5 nm (parameters in the
  /// record's own order, which need not be the registry's).
  GlassState glass(const std::string &label, const double rate, const double lambda, const double beta_GPa,
                   std::optional<double> energy)
  {
    GlassState g;
    g.label = label;
    g.quench_rate_K_per_s = rate;
    g.as_quenched_energy_J_per_mol = energy;
    g.record.file = label + ".yaml";
    RecordedCoarseGraining w;
    w.sigma_cg_nm = 0.5;
    RecordedQuantity q;
    q.name = "yield_stress_GPa";
    q.fits.push_back({"hyperbolic", {"scale_beta", "shape_lambda"}, {beta_GPa, lambda}, {0.02, 0.004}, 0.0});
    w.quantities.push_back(q);
    g.record.coarse_grainings.push_back(w);
    return g;
  }
} // namespace

TEST(LinearTrend, RecoversAnExactLine)
{
  const LinearTrend t = fit_linear_trend({11, 12, 13, 14}, {7.5, 8.0, 8.5, 9.0});
  EXPECT_NEAR(t.slope, 0.5, 1e-13);
  EXPECT_NEAR(t.intercept, 2.0, 1e-12);
  EXPECT_LT(t.slope_standard_error, 1e-12);
  EXPECT_DOUBLE_EQ(t.degrees_of_freedom, 2.0);
}

TEST(LinearTrend, WeightedStandardErrorsAreTheClosedForm)
{
  // Equal known errors σ = 0.1 at x = 11..14: se(slope) = σ/√Σ(x − x̄)² = 0.1/√5, and at the
  // mean x the line's error is σ/√n = 0.05 (reference: the textbook formulas). Points on the
  // line, so χ² = 0 and no Birge scaling.
  const std::vector<double> x{11, 12, 13, 14};
  const LinearTrend t = fit_linear_trend(x, {7.5, 8.0, 8.5, 9.0}, {0.1, 0.1, 0.1, 0.1});
  EXPECT_TRUE(t.weighted);
  EXPECT_NEAR(t.slope_standard_error, 0.1 / std::sqrt(5.0), 1e-12);
  const TrendPrediction centre = predict_trend(t, 12.5);
  EXPECT_NEAR(centre.standard_error, 0.05, 1e-12);
  EXPECT_NEAR(centre.upper - centre.value, 1.959964 * 0.05, 1e-6);
  // Intercept error: σ √(Σx²/(n Σ(x − x̄)²)).
  EXPECT_NEAR(t.intercept_standard_error, 0.1 * std::sqrt((121.0 + 144 + 169 + 196) / (4 * 5.0)), 1e-10);
  // Two points with known errors: the line's error is still known.
  const LinearTrend two = fit_linear_trend({9, 13}, {1.0, 2.0}, {0.1, 0.1});
  EXPECT_NEAR(two.slope_standard_error, std::sqrt(0.02) / 4.0, 1e-12);
  // Two points without errors: unknown.
  EXPECT_TRUE(std::isnan(fit_linear_trend({9, 13}, {1.0, 2.0}).slope_standard_error));
  EXPECT_THROW(fit_linear_trend({9, 9}, {1.0, 2.0}), std::invalid_argument);
  EXPECT_THROW(fit_linear_trend({9, 10}, {1.0, 2.0}, {0.1, -1.0}), std::invalid_argument);
}

TEST(LinearTrend, StandardErrorsAndPredictionIntervalsHoldOverRepeatedDataSets)
{
  // y = −4.30 − 0.012 x + N(0, 0.004²) at x = log10 Q = 11, 11.5, …, 14 (an as-quenched energy
  // in eV/atom against the MD rates). Over 4000 data sets: the slopes scatter by σ/√S_xx, the
  // estimated variance is unbiased, and the 95% prediction interval at x = 6 (1e6 K/s, five
  // decades out) covers a new observation 95% of the time (binomial s.e. 0.35%, tolerance 1%).
  const std::vector<double> x{11, 11.5, 12, 12.5, 13, 13.5, 14};
  double sxx = 0;
  for (const double xi : x)
    sxx += (xi - 12.5) * (xi - 12.5);
  const double sigma = 0.004;
  std::mt19937_64 engine(11);
  std::normal_distribution<double> noise(0.0, sigma);
  const int trials = 4000;
  double slope_sum = 0, slope_sq = 0, variance_sum = 0;
  int covered = 0;
  for (int trial = 0; trial < trials; ++trial)
    {
      std::vector<double> y;
      for (const double xi : x)
        y.push_back(-4.30 - 0.012 * xi + noise(engine));
      const LinearTrend t = fit_linear_trend(x, y);
      slope_sum += t.slope;
      slope_sq += t.slope * t.slope;
      variance_sum += t.slope_standard_error * t.slope_standard_error;
      const TrendPrediction p = predict_trend(t, 6.0);
      const double fresh = -4.30 - 0.012 * 6.0 + noise(engine);
      covered += p.lower <= fresh && fresh <= p.upper;
    }
  const double mean_slope = slope_sum / trials;
  const double slope_sd = std::sqrt(slope_sq / trials - mean_slope * mean_slope);
  EXPECT_NEAR(mean_slope, -0.012, 4.0 * sigma / std::sqrt(sxx * trials));
  EXPECT_NEAR(slope_sd / (sigma / std::sqrt(sxx)), 1.0, 0.04);
  EXPECT_NEAR(variance_sum / trials / (sigma * sigma / sxx), 1.0, 0.05);
  EXPECT_NEAR(covered / static_cast<double>(trials), 0.95, 0.01);
}

TEST(QuenchRateTrend, FlagsHowFarItExtrapolates)
{
  const std::vector<QuenchRatePoint> points{{1e11, -4.40, 0}, {1e12, -4.41, 0}, {1e13, -4.425, 0}, {1e14, -4.43, 0}};
  const QuenchRateTrend trend = fit_quench_rate_trend("energy", points, TrendScale::linear);
  EXPECT_NEAR(predict_at_quench_rate(trend, 1e6).decades_extrapolated, 5.0, 1e-12);
  EXPECT_TRUE(predict_at_quench_rate(trend, 1e2).extrapolated());
  EXPECT_NEAR(predict_at_quench_rate(trend, 1e2).decades_extrapolated, 9.0, 1e-12);
  EXPECT_FALSE(predict_at_quench_rate(trend, 3e12).extrapolated());
  EXPECT_NEAR(predict_at_quench_rate(trend, 1e16).decades_extrapolated, 2.0, 1e-12);
  // The interval widens with the distance.
  const auto near = predict_at_quench_rate(trend, 1e10);
  const auto far = predict_at_quench_rate(trend, 1e4);
  EXPECT_GT(far.upper - far.lower, near.upper - near.lower);
  EXPECT_THROW(fit_quench_rate_trend("energy", {{1e11, 1, 0}}, TrendScale::linear), std::invalid_argument);
  EXPECT_THROW(fit_quench_rate_trend("beta", {{1e11, 1, 0}, {1e12, -1, 0}}, TrendScale::logarithmic),
               std::invalid_argument);
}

TEST(QuenchRateTrend, LogarithmicTrendIsAPowerLawInTheRate)
{
  // β = 1.56 (Q / 1e9)^0.0078 passes through Shang et al. (2018)'s two β at 1e9 and 1e13 K/s (1.56, 1.61).
  const double exponent = std::log(1.61 / 1.56) / 4.0 / std::log(10.0);
  std::vector<QuenchRatePoint> points;
  for (const double q : {1e9, 1e11, 1e13})
    points.push_back({q, 1.56 * std::pow(q / 1e9, exponent), 0.0});
  const QuenchRateTrend trend = fit_quench_rate_trend("beta", points, TrendScale::logarithmic);
  const auto at = predict_at_quench_rate(trend, 1e3);
  EXPECT_NEAR(at.value, 1.56 * std::pow(1e-6, exponent), 1e-12);
  EXPECT_NEAR(at.decades_extrapolated, 6.0, 1e-12);
  EXPECT_GT(at.lower, 0.0);
}

TEST(StateLaw, TwoGlassesGiveTheContinuumLaw)
{
  // Shang et al. (2018) Table I: 1e9 K/s β = 1.56 GPa, λ = 0.05; 1e13 K/s β = 1.61 GPa, λ = 0.10. Energies
  // 1 kJ/mol apart.
  const std::vector<GlassState> states{glass("fast", 1e13, 0.10, 1.61, -4000.0),
                                       glass("slow", 1e9, 0.05, 1.56, -5000.0)};
  const ContinuumStateLaw law = continuum_state_law(states, 0.5);
  EXPECT_EQ(law.yield_family, "hyperbolic");
  // Registry order: shape_lambda, scale_beta (as continuum.cycles.yield_stress_* take them).
  EXPECT_EQ(law.yield_relaxed, (std::vector<double>{0.05, 1.56}));
  EXPECT_EQ(law.yield_rejuvenated, (std::vector<double>{0.10, 1.61}));
  EXPECT_DOUBLE_EQ(law.stored_energy_relaxed_J_per_mol, 0.0);
  EXPECT_DOUBLE_EQ(law.stored_energy_rejuvenated_J_per_mol, 1000.0);
  EXPECT_DOUBLE_EQ(law.relaxed_quench_rate_K_per_s, 1e9);
  EXPECT_DOUBLE_EQ(law.rejuvenated_quench_rate_K_per_s, 1e13);

  auto without_energy = states;
  without_energy[0].as_quenched_energy_J_per_mol.reset();
  EXPECT_THROW(continuum_state_law(without_energy, 0.5), std::invalid_argument);
  // Without energies the two-point law still orders the glasses by quench rate.
  const StateLaw plain = make_state_law(without_energy, 0.5, "yield_stress_GPa", "hyperbolic");
  EXPECT_FALSE(plain.has_energies());
  EXPECT_EQ(plain.points().front().quench_rate_K_per_s, 1e9);
  EXPECT_THROW(continuum_state_law(states, 0.7), std::runtime_error);  // no such width
}

TEST(StateLaw, ThreeGlassesPlaceTheMiddleOneByItsEnergy)
{
  const std::vector<GlassState> states{glass("slow", 1e9, 0.05, 1.56, -5000.0),
                                       glass("middle", 1e11, 0.07, 1.58, -4750.0),
                                       glass("fast", 1e13, 0.10, 1.61, -4000.0)};
  const StateLaw law = make_state_law(states, 0.5, "yield_stress_GPa", "hyperbolic");
  ASSERT_EQ(law.points().size(), 3u);
  EXPECT_DOUBLE_EQ(law.points()[1].state, 0.25);
  EXPECT_NEAR(law.parameters_at(0.25)[1], 1.58, 1e-15);
  // Half way between the middle and the fast glass.
  EXPECT_NEAR(law.parameters_at(0.625)[0], 0.085, 1e-15);
  EXPECT_NEAR(law.stored_energy_J_per_mol(0.25), 250.0, 1e-12);
  EXPECT_THROW(law.parameters_at(1.5), std::invalid_argument);

  // Parameter trends against log10 Q: weighted by the records' standard errors.
  const auto trends = distribution_parameter_trends(states, 0.5, "yield_stress_GPa", "hyperbolic");
  ASSERT_EQ(trends.size(), 2u);
  EXPECT_EQ(trends[0].name, "yield_stress_GPa hyperbolic shape_lambda");
  EXPECT_TRUE(trends[1].fit.weighted);
  const auto beta = predict_at_quench_rate(trends[1], 1e4);
  EXPECT_LT(beta.value, 1.56);
  EXPECT_NEAR(beta.decades_extrapolated, 5.0, 1e-12);
  const auto energy = predict_at_quench_rate(as_quenched_energy_trend(states), 1e4);
  EXPECT_LT(energy.value, -5000.0);
}
