// Tests of calibrate/maximum_likelihood.h. References: parameter recovery from samples of a
// known distribution (within 3 observed-information standard errors), the analytic Hessian
// against central finite differences of the log-likelihood, the score (gradient) vanishing at
// the optimum, and documented failures.

#include "calibrate/maximum_likelihood.h"

#include "calibrate/distribution_registry.h"
#include "core/random_stream.h"

#include <Eigen/Dense>
#include "draw_samples.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace cryocycle::calibrate
{
  namespace
  {
    struct RecoveryCase
    {
      std::string family;
      std::vector<double> parameters;
    };

    std::vector<double> draw(const Distribution& distribution, const std::size_t count,
                             const std::uint64_t seed)
    {
      return testing::draw_samples(distribution, count, seed, "maximum_likelihood_test");
    }

    double log_likelihood_at(const std::string& family, const std::vector<double>& parameters,
                             const std::vector<double>& samples)
    {
      return log_likelihood(*make_distribution(family, parameters), samples);
    }

    /// Observed information by central differences with relative steps h = 1e-4 (truncation
    /// error ~h^2 relative); an independent check of the analytic Hessians.
    Eigen::Matrix2d finite_difference_information(const std::string& family,
                                                  const std::vector<double>& estimate,
                                                  const std::vector<double>& samples)
    {
      Eigen::Matrix2d information;
      const double h[2] = {1e-4 * estimate[0], 1e-4 * estimate[1]};
      for (int i = 0; i < 2; ++i)
        for (int j = 0; j < 2; ++j)
          {
            const auto shifted = [&](const double di, const double dj) {
              std::vector<double> p = estimate;
              p[i] += di * h[i];
              p[j] += dj * h[j];
              return log_likelihood_at(family, p, samples);
            };
            information(i, j) =
                -(shifted(1, 1) - shifted(1, -1) - shifted(-1, 1) + shifted(-1, -1)) /
                (4.0 * h[i] * h[j]);
          }
      return information;
    }

    const std::vector<RecoveryCase>& recovery_cases()
    {
      static const std::vector<RecoveryCase> cases = {
          {"gaussian", {0.0, 1.0}},     {"gaussian", {3.2, 0.45}},
          {"lomax", {6.00, 0.411}},                                   // Shang et al. (2018) Table I, 1e9 K/s
          {"lomax", {8.15, 0.72}},                                    // Shang et al. (2018) Table I, 1e13 K/s
          {"lomax", {2.5, 1.3}},        {"hyperbolic", {0.05, 1.56}}, // Shang et al. (2018) Table I, 1e9 K/s
          {"hyperbolic", {0.10, 1.61}},                               // Shang et al. (2018) Table I, 1e13 K/s
          {"hyperbolic", {2.0, 0.8}},   {"weibull", {1.5, 2.0}},
          {"weibull", {0.7, 0.3}},      {"weibull", {5.0, 4.0}}};
      return cases;
    }

    MaximumLikelihoodEstimate fit(const std::string& family, const std::vector<double>& samples)
    {
      return builtin_distribution_registry().family(family).fit_maximum_likelihood(samples);
    }
  } // namespace

  // Reference: the true parameters. 5000 samples, 4 seeds per case; each estimate within
  // 3 standard errors of the truth (about a 0.3% chance per comparison if the standard
  // errors are right), and the standard errors themselves below 25% of the parameter (the
  // Lomax shape is the least determined: about 12% at gamma = 6 with 5000 samples; 0.05 absolute
  // for a zero mean).
  TEST(MaximumLikelihood, RecoversParametersWithinThreeStandardErrors)
  {
    for (const RecoveryCase& test_case : recovery_cases())
      for (const std::uint64_t seed : {11U, 12U, 13U, 14U})
        {
          const auto truth = make_distribution(test_case.family, test_case.parameters);
          const std::vector<double> samples = draw(*truth, 5000, seed);
          const MaximumLikelihoodEstimate estimate = fit(test_case.family, samples);
          ASSERT_EQ(estimate.estimates.size(), 2U);
          for (std::size_t p = 0; p < 2; ++p)
            {
              EXPECT_NEAR(estimate.estimates[p], test_case.parameters[p],
                          3.0 * estimate.standard_errors[p])
                  << test_case.family << " parameter " << p << " seed " << seed;
              EXPECT_LT(estimate.standard_errors[p],
                        0.25 * std::abs(test_case.parameters[p]) + 0.05)
                  << test_case.family << " parameter " << p;
            }
          EXPECT_NEAR(estimate.log_likelihood,
                      log_likelihood_at(test_case.family, estimate.estimates, samples),
                      1e-9 * std::abs(estimate.log_likelihood));
        }
  }

  // Reference: at the maximum the log-likelihood does not increase in any direction: moving
  // each parameter by +-1e-3 relative lowers it (or leaves it within rounding).
  TEST(MaximumLikelihood, EstimateIsALocalMaximum)
  {
    for (const RecoveryCase& test_case : recovery_cases())
      {
        const auto truth = make_distribution(test_case.family, test_case.parameters);
        const std::vector<double> samples = draw(*truth, 2000, 99);
        const MaximumLikelihoodEstimate estimate = fit(test_case.family, samples);
        const double best = estimate.log_likelihood;
        for (std::size_t p = 0; p < 2; ++p)
          for (const double factor : {1.0 - 1e-3, 1.0 + 1e-3})
            {
              std::vector<double> moved = estimate.estimates;
              moved[p] *= factor;
              EXPECT_LE(log_likelihood_at(test_case.family, moved, samples),
                        best + 1e-9 * std::abs(best))
                  << test_case.family << " parameter " << p;
            }
      }
  }

  // Reference: central finite-difference Hessian of the log-likelihood (independent of the
  // analytic formulas); standard errors agree within 1%.
  TEST(MaximumLikelihood, StandardErrorsMatchFiniteDifferenceInformation)
  {
    for (const RecoveryCase& test_case : recovery_cases())
      {
        const auto truth = make_distribution(test_case.family, test_case.parameters);
        const std::vector<double> samples = draw(*truth, 3000, 5);
        const MaximumLikelihoodEstimate estimate = fit(test_case.family, samples);
        const Eigen::Matrix2d covariance =
            finite_difference_information(test_case.family, estimate.estimates, samples).inverse();
        for (int p = 0; p < 2; ++p)
          EXPECT_NEAR(estimate.standard_errors[static_cast<std::size_t>(p)] /
                          std::sqrt(covariance(p, p)),
                      1.0, 1e-2)
              << test_case.family << " parameter " << p;
      }
  }

  // Exponential data are the gamma -> inf limit of the Lomax law: no finite maximum, and the
  // fitter must say so instead of returning a huge gamma.
  TEST(MaximumLikelihood, LomaxOnExponentialDataReportsFailure)
  {
    const std::vector<double> samples = draw(WeibullDistribution(1.0, 0.5), 5000, 21);
    try
      {
        fit_lomax(samples);
        FAIL() << "no exception";
      }
    catch (const FitError& error)
      {
        EXPECT_NE(std::string(error.what()).find("exponential"), std::string::npos) << error.what();
      }
    // Rayleigh data (Weibull k = 2) are the lambda -> inf limit of the hyperbolic law.
    const std::vector<double> rayleigh = draw(WeibullDistribution(2.0, 1.0), 5000, 22);
    EXPECT_THROW(fit_hyperbolic(rayleigh), FitError);
  }

  TEST(MaximumLikelihood, InvalidDataNamesIndexAndValue)
  {
    std::vector<double> samples = draw(LomaxDistribution(6.0, 0.411), 50, 1);
    samples[17] = -0.25;
    try
      {
        fit_lomax(samples);
        FAIL() << "no exception";
      }
    catch (const std::invalid_argument& error)
      {
        const std::string message = error.what();
        EXPECT_NE(message.find("sample 17"), std::string::npos) << message;
        EXPECT_NE(message.find("-0.25"), std::string::npos) << message;
      }
    samples[17] = std::numeric_limits<double>::quiet_NaN();
    EXPECT_THROW(fit_gaussian(samples), std::invalid_argument);
    samples[17] = 0.0; // allowed for Lomax, not for hyperbolic or Weibull
    EXPECT_NO_THROW(fit_lomax(samples));
    EXPECT_THROW(fit_hyperbolic(samples), std::invalid_argument);
    EXPECT_THROW(fit_weibull(samples), std::invalid_argument);
    EXPECT_THROW(fit_gaussian(std::vector<double>(9, 1.0)), std::invalid_argument);
    EXPECT_THROW(fit_gaussian(std::vector<double>(20, 1.0)), FitError); // no spread
  }

  // Reference: fitting is equivariant under a change of stress unit (GPa -> MPa): shapes are
  // unchanged and scales multiply by 1000 (relative 1e-6, the optimiser's tolerance).
  TEST(MaximumLikelihood, ScaleEquivariance)
  {
    for (const std::string family : {"lomax", "hyperbolic", "weibull"})
      {
        const RecoveryCase* test_case = nullptr;
        for (const auto& c : recovery_cases())
          if (c.family == family)
            {
              test_case = &c;
              break;
            }
        const auto truth = make_distribution(family, test_case->parameters);
        const std::vector<double> samples_GPa = draw(*truth, 1000, 8);
        std::vector<double> samples_MPa = samples_GPa;
        for (double& x : samples_MPa)
          x *= 1000.0;
        const auto in_GPa = fit(family, samples_GPa);
        const auto in_MPa = fit(family, samples_MPa);
        EXPECT_NEAR(in_MPa.estimates[0] / in_GPa.estimates[0], 1.0, 1e-6) << family;
        EXPECT_NEAR(in_MPa.estimates[1] / in_GPa.estimates[1], 1000.0, 1e-3) << family;
      }
  }
} // namespace cryocycle::calibrate
