// Tests of calibrate/distribution.h: normalisation, cdf against the integral of the pdf,
// quantile round trips, tail precision, sampling moments and parameter validation, for every
// family. References: the defining formulas (Shang et al. 2018 section III and eq. 8 for Lomax and
// hyperbolic), independent numerical integration, and closed-form moments.

#include "calibrate/distribution.h"

#include "core/random_stream.h"

#include <boost/math/quadrature/exp_sinh.hpp>
#include <boost/math/quadrature/tanh_sinh.hpp>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <vector>

namespace cryocycle::calibrate
{
  namespace
  {
    constexpr double infinity = std::numeric_limits<double>::infinity();

    std::vector<std::shared_ptr<const Distribution>> all_test_distributions()
    {
      return {std::make_shared<GaussianDistribution>(0.3, 1.7),
              std::make_shared<GaussianDistribution>(-2.0, 0.05),
              std::make_shared<LomaxDistribution>(6.00, 0.411),     // Shang et al. (2018) Table I, 1e9 K/s
              std::make_shared<LomaxDistribution>(8.15, 0.72),      // Shang et al. (2018) Table I, 1e13 K/s
              std::make_shared<LomaxDistribution>(0.8, 2.0),        // infinite mean
              std::make_shared<HyperbolicDistribution>(0.05, 1.56), // Table I, 1e9 K/s
              std::make_shared<HyperbolicDistribution>(0.10, 1.61), // Table I, 1e13 K/s
              std::make_shared<HyperbolicDistribution>(20.0, 0.3),  // near the Rayleigh limit
              std::make_shared<WeibullDistribution>(1.5, 2.0),
              std::make_shared<WeibullDistribution>(0.7, 0.3),
              std::make_shared<WeibullDistribution>(6.0, 5.0)};
    }

    /// Independent numerical integration: tanh-sinh on finite intervals (robust to the
    /// integrable endpoint singularity of a Weibull density with k < 1), exp-sinh on
    /// half-infinite ones (robust to the algebraic Lomax tail).
    double integrate(const std::function<double(double)>& f, const double a, const double b,
                     double* error)
    {
      const auto integrand = [&f](const double x) { return f(x); };
      if (std::isfinite(a) && std::isfinite(b))
        {
          boost::math::quadrature::tanh_sinh<double> tanh_sinh;
          return tanh_sinh.integrate(integrand, a, b, 1e-13, error);
        }
      boost::math::quadrature::exp_sinh<double> exp_sinh;
      return exp_sinh.integrate(integrand, a, b, 1e-13, error);
    }

    std::string label(const Distribution& distribution)
    {
      std::string text = distribution.family();
      for (const double parameter : distribution.parameters())
        text += " " + std::to_string(parameter);
      return text;
    }
  } // namespace

  // Reference: a density integrates to 1. Independent tanh-sinh / exp-sinh integration split at
  // the median; tolerance 1e-9 (the integration error estimate is far below).
  TEST(Distribution, PdfIntegratesToOne)
  {
    for (const auto& distribution : all_test_distributions())
      {
        const double median = distribution->quantile(0.5);
        const auto pdf = [&](const double x) { return distribution->pdf(x); };
        double error_low = 0.0;
        double error_high = 0.0;
        const double total = integrate(pdf, distribution->support_lower(), median, &error_low) +
                             integrate(pdf, median, infinity, &error_high);
        EXPECT_NEAR(total, 1.0, 1e-9) << label(*distribution);
      }
  }

  // Reference: cdf(x) = integral of the pdf from the lower support end; checked at the 1%,
  // 30%, 70% and 99.9% quantiles; tolerance 1e-10 absolute.
  TEST(Distribution, CdfMatchesIntegralOfPdf)
  {
    for (const auto& distribution : all_test_distributions())
      for (const double u : {0.01, 0.3, 0.7, 0.999})
        {
          const double x = distribution->quantile(u);
          // On the real line, start where the cdf is 1e-300: the part left out is negligible.
          const double start = std::isfinite(distribution->support_lower())
                                   ? distribution->support_lower()
                                   : distribution->quantile(1e-300);
          double error = 0.0;
          const double integral =
              integrate([&](const double s) { return distribution->pdf(s); }, start, x, &error);
          EXPECT_NEAR(distribution->cdf(x), integral, 1e-10) << label(*distribution) << " u=" << u;
        }
  }

  // Reference: quantile is the inverse of cdf and survival = 1 - cdf. Relative tolerance 1e-12
  // on u and on 1 - u (the survival keeps relative precision in the far tail).
  TEST(Distribution, QuantileCdfRoundTripAndSurvival)
  {
    for (const auto& distribution : all_test_distributions())
      {
        for (const double u : {1e-12, 1e-6, 0.01, 0.25, 0.5, 0.75, 0.99, 0.999999})
          {
            const double x = distribution->quantile(u);
            EXPECT_NEAR(distribution->cdf(x), u, 1e-12 * u + 1e-15) << label(*distribution);
            EXPECT_NEAR(distribution->survival(x), 1.0 - u, 1e-12 * (1.0 - u))
                << label(*distribution);
          }
        EXPECT_EQ(distribution->quantile(1.0), infinity) << label(*distribution);
        EXPECT_EQ(distribution->quantile(0.0), distribution->support_lower())
            << label(*distribution);
        EXPECT_THROW(distribution->quantile(1.5), std::invalid_argument);
        EXPECT_THROW(distribution->quantile(-0.1), std::invalid_argument);
      }
  }

  // Reference: the survival function far in the tail, where 1 - cdf would be 0 in double.
  // Lomax: (1 + x/eta)^-gamma; hyperbolic: exp(-lambda (cosh(x/beta) - 1)). Relative 1e-12.
  TEST(Distribution, SurvivalKeepsPrecisionInTheTail)
  {
    const LomaxDistribution lomax(6.0, 0.411);
    EXPECT_NEAR(lomax.survival(400.0) / std::pow(1.0 + 400.0 / 0.411, -6.0), 1.0, 1e-12);
    const HyperbolicDistribution hyperbolic(0.05, 1.56);
    const double x = 12.0;
    EXPECT_NEAR(hyperbolic.survival(x) / std::exp(-0.05 * (std::cosh(x / 1.56) - 1.0)), 1.0, 1e-12);
    EXPECT_GT(hyperbolic.survival(x), 0.0); // about 2e-24, where cdf(x) rounds to 1
  }

  // Reference: log_pdf equals log(pdf) where the pdf is representable; 1e-12 relative.
  TEST(Distribution, LogPdfMatchesPdf)
  {
    for (const auto& distribution : all_test_distributions())
      for (const double u : {0.05, 0.5, 0.95})
        {
          const double x = distribution->quantile(u);
          EXPECT_NEAR(distribution->log_pdf(x), std::log(distribution->pdf(x)),
                      1e-12 * (1.0 + std::abs(distribution->log_pdf(x))))
              << label(*distribution);
        }
    const HyperbolicDistribution hyperbolic(0.1, 1.61);
    EXPECT_EQ(hyperbolic.pdf(0.0), 0.0);
    EXPECT_EQ(hyperbolic.log_pdf(-1.0), -infinity);
    EXPECT_EQ(LomaxDistribution(6.0, 0.411).pdf(-0.1), 0.0);
  }

  // Reference: the defining formulas written out directly (Shang et al. 2018 section III and eq. 8).
  TEST(Distribution, DensitiesFollowTheirFormulas)
  {
    const double gamma = 8.15, eta = 0.72, x = 0.9;
    EXPECT_NEAR(LomaxDistribution(gamma, eta).pdf(x),
                gamma / eta * std::pow(1.0 + x / eta, -gamma - 1.0), 1e-14);
    const double lambda = 0.1, beta = 1.61, y = 4.0;
    EXPECT_NEAR(HyperbolicDistribution(lambda, beta).pdf(y),
                lambda / beta * std::sinh(y / beta) *
                    std::exp(lambda * (1.0 - std::cosh(y / beta))),
                1e-14);
    const double k = 1.5, scale = 2.0, z = 1.3;
    EXPECT_NEAR(WeibullDistribution(k, scale).pdf(z),
                k / scale * std::pow(z / scale, k - 1.0) * std::exp(-std::pow(z / scale, k)),
                1e-14);
  }

  // Reference: sample mean of 2e5 draws against the mean of the distribution (integral of the
  // survival function, or the parameter for the Gaussian): within 5 standard errors.
  TEST(Distribution, SampleMeanMatchesDistributionMean)
  {
    const std::vector<std::shared_ptr<const Distribution>> distributions = {
        std::make_shared<GaussianDistribution>(0.3, 1.7),
        std::make_shared<LomaxDistribution>(8.15, 0.72),
        std::make_shared<HyperbolicDistribution>(0.05, 1.56),
        std::make_shared<WeibullDistribution>(1.5, 2.0)};
    for (const auto& distribution : distributions)
      {
        auto engine = core::make_random_stream(7, "distribution_test:" + distribution->family());
        const std::size_t count = 200000;
        double sum = 0.0, sum_squares = 0.0;
        for (std::size_t i = 0; i < count; ++i)
          {
            const double x = distribution->sample(engine);
            sum += x;
            sum_squares += x * x;
          }
        const double mean = sum / count;
        const double standard_error = std::sqrt((sum_squares / count - mean * mean) / count);
        double expected = 0.0;
        if (distribution->family() == "gaussian")
          expected = distribution->parameters()[0];
        else
          {
            double error = 0.0;
            expected = integrate([&](const double s) { return distribution->survival(s); }, 0.0,
                                 infinity, &error);
          }
        EXPECT_NEAR(mean, expected, 5.0 * standard_error) << label(*distribution);
      }
  }

  // Same stream => same samples; one uniform per inverse-cdf sample, so the n-th Lomax sample
  // is the quantile of the n-th uniform_01 draw of the stream.
  TEST(Distribution, SamplingIsReproducible)
  {
    const LomaxDistribution lomax(6.0, 0.411);
    auto first = core::make_random_stream(3, "distribution_test");
    auto second = core::make_random_stream(3, "distribution_test");
    for (int i = 0; i < 100; ++i)
      EXPECT_EQ(lomax.sample(first), lomax.sample(second));
  }

  TEST(Distribution, ConstructorsRejectInvalidParameters)
  {
    const auto message_of = [](const auto& construct) {
      try
        {
          construct();
        }
      catch (const std::invalid_argument& error)
        {
          return std::string(error.what());
        }
      return std::string("no exception");
    };
    EXPECT_NE(message_of([] { LomaxDistribution(-1.0, 0.4); }).find("shape_gamma"),
              std::string::npos);
    EXPECT_NE(message_of([] { LomaxDistribution(6.0, 0.0); }).find("scale_eta"), std::string::npos);
    EXPECT_NE(message_of([] { HyperbolicDistribution(std::nan(""), 1.0); }).find("shape_lambda"),
              std::string::npos);
    EXPECT_NE(message_of([] { HyperbolicDistribution(0.1, -2.0); }).find("-2"), std::string::npos);
    EXPECT_NE(message_of([] { WeibullDistribution(0.0, 1.0); }).find("shape_k"), std::string::npos);
    EXPECT_NE(message_of([] { GaussianDistribution(0.0, 0.0); }).find("standard_deviation"),
              std::string::npos);
    EXPECT_NE(message_of([] { GaussianDistribution(infinity, 1.0); }).find("mean"),
              std::string::npos);
  }

  TEST(Distribution, NamesAndParameters)
  {
    const HyperbolicDistribution hyperbolic(0.05, 1.56);
    EXPECT_EQ(hyperbolic.family(), "hyperbolic");
    EXPECT_EQ(hyperbolic.parameter_names(),
              (std::vector<std::string>{"shape_lambda", "scale_beta"}));
    EXPECT_EQ(hyperbolic.parameters(), (std::vector<double>{0.05, 1.56}));
    EXPECT_EQ(hyperbolic.support(), Support::positive);
    const auto copy = hyperbolic.clone();
    EXPECT_EQ(copy->parameters(), hyperbolic.parameters());
    EXPECT_EQ(LomaxDistribution(6.0, 0.411).parameter_names(),
              (std::vector<std::string>{"shape_gamma", "scale_eta"}));
    EXPECT_EQ(WeibullDistribution(1.0, 1.0).parameter_names(),
              (std::vector<std::string>{"shape_k", "scale_lambda"}));
    EXPECT_EQ(GaussianDistribution(0.0, 1.0).support_lower(), -infinity);
  }

  // Reference: cosh(u) - 1 and log sinh(u) at small and large u against series/asymptotics.
  TEST(Distribution, StableHyperbolicHelpers)
  {
    EXPECT_NEAR(cosh_minus_one(1e-5) / (0.5e-10), 1.0, 1e-9); // u^2/2 + u^4/24
    EXPECT_DOUBLE_EQ(log_sinh(1e-8), std::log(1e-8));
    EXPECT_NEAR(log_sinh(800.0), 800.0 - std::log(2.0), 1e-12); // sinh overflows here
    EXPECT_NEAR(log_sinh(3.0), std::log(std::sinh(3.0)), 1e-14);
  }
} // namespace cryocycle::calibrate
