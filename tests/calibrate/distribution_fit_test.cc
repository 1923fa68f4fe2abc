// Tests of calibrate/distribution_fit.h: the full fit record (estimates, bootstrap intervals,
// AIC, Kolmogorov–Smirnov test), its reproducibility, and its error reporting.

#include "calibrate/distribution_fit.h"

#include "calibrate/distribution_registry.h"
#include "calibrate/goodness_of_fit.h"
#include "calibrate/maximum_likelihood.h"
#include "core/random_stream.h"

#include "draw_samples.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace cryocycle::calibrate
{
  namespace
  {
    std::vector<double> draw(const Distribution& distribution, const std::size_t count,
                             const std::uint64_t seed)
    {
      return testing::draw_samples(distribution, count, seed, "distribution_fit_test");
    }

    FitOptions quick_options(const std::uint64_t seed = 1)
    {
      FitOptions options;
      options.bootstrap_resamples = 60;
      options.seed = seed;
      return options;
    }
  } // namespace

  // Same inputs and seed => bit-identical record, bootstrap intervals included; another seed
  // changes only the intervals.
  TEST(DistributionFit, SameSeedGivesIdenticalFit)
  {
    const std::vector<double> samples = draw(HyperbolicDistribution(0.10, 1.61), 2000, 3);
    const DistributionFit first = fit_distribution("hyperbolic", samples, quick_options(7));
    const DistributionFit second = fit_distribution("hyperbolic", samples, quick_options(7));
    EXPECT_EQ(first.estimates, second.estimates);
    EXPECT_EQ(first.standard_errors, second.standard_errors);
    EXPECT_EQ(first.ci_lower, second.ci_lower);
    EXPECT_EQ(first.ci_upper, second.ci_upper);
    EXPECT_EQ(first.log_likelihood, second.log_likelihood);
    EXPECT_EQ(first.ks_statistic, second.ks_statistic);
    EXPECT_EQ(first.ks_p_value, second.ks_p_value);

    const DistributionFit other_seed = fit_distribution("hyperbolic", samples, quick_options(8));
    EXPECT_EQ(other_seed.estimates, first.estimates);
    EXPECT_NE(other_seed.ci_lower, first.ci_lower);
  }

  // Reference: the observed-information standard errors. For 5000 Lomax samples (Shang et al. 2018
  // Table I, 1e9 K/s) the 95% bootstrap interval contains the estimate and the truth, and its
  // width is within 30% of the Wald width 2 x 1.96 SE (bootstrap noise with 200 resamples
  // is about 10%).
  TEST(DistributionFit, BootstrapIntervalsAgreeWithStandardErrors)
  {
    const std::vector<double> truth = {6.00, 0.411};
    const std::vector<double> samples = draw(LomaxDistribution(truth[0], truth[1]), 5000, 4);
    FitOptions options;
    options.bootstrap_resamples = 200;
    const DistributionFit fit = fit_distribution("lomax", samples, options);
    EXPECT_EQ(fit.family, "lomax");
    EXPECT_EQ(fit.parameter_names, (std::vector<std::string>{"shape_gamma", "scale_eta"}));
    EXPECT_EQ(fit.sample_count, 5000U);
    EXPECT_EQ(fit.bootstrap_resamples, 200U);
    EXPECT_EQ(fit.bootstrap_failures, 0U);
    for (std::size_t p = 0; p < 2; ++p)
      {
        EXPECT_LT(fit.ci_lower[p], fit.estimates[p]);
        EXPECT_GT(fit.ci_upper[p], fit.estimates[p]);
        EXPECT_LT(fit.ci_lower[p], truth[p]);
        EXPECT_GT(fit.ci_upper[p], truth[p]);
        const double wald_width = 2.0 * 1.959964 * fit.standard_errors[p];
        EXPECT_NEAR((fit.ci_upper[p] - fit.ci_lower[p]) / wald_width, 1.0, 0.3) << p;
      }
    EXPECT_NEAR(fit.aic, 4.0 - 2.0 * fit.log_likelihood, 1e-9);
    const auto fitted = fit.distribution();
    EXPECT_EQ(fitted->family(), "lomax");
    EXPECT_EQ(fitted->parameters(), fit.estimates);
  }

  // Reference: Wald interval estimate +- 1.959964 SE when the bootstrap is switched off.
  TEST(DistributionFit, WaldIntervalsWithoutBootstrap)
  {
    const std::vector<double> samples = draw(WeibullDistribution(1.5, 2.0), 1000, 2);
    FitOptions options;
    options.bootstrap_resamples = 0;
    const DistributionFit fit = fit_distribution("weibull", samples, options);
    for (std::size_t p = 0; p < 2; ++p)
      EXPECT_NEAR(fit.ci_upper[p] - fit.estimates[p], 1.959964 * fit.standard_errors[p],
                  1e-6 * fit.standard_errors[p]);
  }

  // Reference: the KS test at the 1% level. The true family on its own data (5000 samples,
  // three seeds per family) is not rejected: p > 0.01.
  TEST(DistributionFit, KsTestAcceptsTheTrueFamily)
  {
    const std::vector<std::pair<std::string, std::vector<double>>> cases = {
        {"gaussian", {0.0, 1.0}},
        {"lomax", {6.00, 0.411}},
        {"hyperbolic", {0.05, 1.56}},
        {"weibull", {1.5, 2.0}}};
    for (const auto& [family, parameters] : cases)
      for (const std::uint64_t seed : {31U, 32U, 33U})
        {
          const std::vector<double> samples =
              draw(*make_distribution(family, parameters), 5000, seed);
          FitOptions options;
          options.bootstrap_resamples = 0;
          const DistributionFit fit = fit_distribution(family, samples, options);
          EXPECT_GT(fit.ks_p_value, 0.01) << family << " seed " << seed;
        }
  }

  // Reference: the KS test at the 1% level rejects a wrong family of clearly different shape.
  // Hyperbolic yield-stress data (Shang et al. 2018 Table I, 1e13 K/s; coefficient of variation 0.35)
  // have a faster than exponential tail, so the Lomax likelihood has no finite maximum: it
  // keeps rising towards the exponential limit (gamma, eta -> inf). The fit reports that
  // (FitError) instead of returning a huge gamma, and KS rejects that limit, the best any
  // Lomax law can do, with p < 0.01. Likewise the hyperbolic likelihood of Lomax thermal-stress
  // data (Table I, 1e9 K/s) only rises towards its Rayleigh limit. Where the wrong fit does
  // exist, KS rejects it: Lomax on Weibull k = 0.6 data, Weibull on hyperbolic data and
  // Weibull on Lomax gamma = 2 data (5000 samples each).
  TEST(DistributionFit, KsTestRejectsAWrongFamily)
  {
    FitOptions options;
    options.bootstrap_resamples = 0;
    const std::vector<double> yield_stress = draw(HyperbolicDistribution(0.10, 1.61), 5000, 41);
    EXPECT_THROW(fit_distribution("lomax", yield_stress, options), FitError);
    double mean = 0.0;
    for (const double x : yield_stress)
      mean += x / static_cast<double>(yield_stress.size());
    std::vector<double> sorted = yield_stress;
    std::sort(sorted.begin(), sorted.end());
    const double exponential_statistic = ks_statistic(sorted, WeibullDistribution(1.0, mean));
    EXPECT_LT(kolmogorov_p_value(exponential_statistic, sorted.size()), 0.01);

    const std::vector<double> thermal_stress = draw(LomaxDistribution(6.00, 0.411), 5000, 42);
    EXPECT_THROW(fit_distribution("hyperbolic", thermal_stress, options), FitError);

    const std::vector<double> weibull_data = draw(WeibullDistribution(0.6, 1.0), 5000, 43);
    EXPECT_LT(fit_distribution("lomax", weibull_data, options).ks_p_value, 0.01);
    const DistributionFit weibull_on_hyperbolic =
        fit_distribution("weibull", yield_stress, options);
    EXPECT_LT(weibull_on_hyperbolic.ks_p_value, 0.01);
    const std::vector<double> heavy_tail = draw(LomaxDistribution(2.0, 1.0), 5000, 44);
    EXPECT_LT(fit_distribution("weibull", heavy_tail, options).ks_p_value, 0.01);

    // AIC prefers the true family.
    const DistributionFit true_family = fit_distribution("hyperbolic", yield_stress, options);
    EXPECT_LT(true_family.aic, weibull_on_hyperbolic.aic);
    EXPECT_GT(true_family.ks_p_value, 0.01);
  }

  TEST(DistributionFit, BadInputIsReported)
  {
    std::vector<double> samples = draw(LomaxDistribution(8.15, 0.72), 100, 9);
    samples[42] = std::numeric_limits<double>::quiet_NaN();
    try
      {
        fit_distribution("lomax", samples, quick_options());
        FAIL() << "no exception";
      }
    catch (const std::invalid_argument& error)
      {
        EXPECT_NE(std::string(error.what()).find("sample 42"), std::string::npos) << error.what();
      }
    samples[42] = -1.5;
    try
      {
        fit_distribution("lomax", samples, quick_options());
        FAIL() << "no exception";
      }
    catch (const std::invalid_argument& error)
      {
        const std::string message = error.what();
        EXPECT_NE(message.find("sample 42"), std::string::npos) << message;
        EXPECT_NE(message.find("-1.5"), std::string::npos) << message;
      }
    samples[42] = 0.3;
    EXPECT_THROW(fit_distribution("pareto", samples, quick_options()), std::invalid_argument);
    FitOptions bad_level = quick_options();
    bad_level.confidence_level = 1.0;
    EXPECT_THROW(fit_distribution("lomax", samples, bad_level), std::invalid_argument);
  }
} // namespace cryocycle::calibrate
