#pragma once
/// @file
/// The complete record of fitting one family to a sample: maximum-likelihood estimates with
/// observed-information standard errors, bootstrap percentile confidence intervals, the
/// log-likelihood and AIC for comparing families, and the Kolmogorov–Smirnov statistic and
/// p-value (goodness_of_fit.h). This is what the calibration stage writes for each stress
/// population (thermal stress, local yield stress) of Shang et al. (2018) sections III–IV.

#include "calibrate/distribution.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace cryocycle::calibrate
{
  /// Options of fit_distribution.
  struct FitOptions
  {
    /// Number of bootstrap resamples for the confidence intervals. 0 skips the bootstrap and
    /// gives Wald intervals estimate +- z standard_error instead.
    std::size_t bootstrap_resamples = 200;
    /// Two-sided confidence level of the intervals, in (0, 1).
    double confidence_level = 0.95;
    /// Seed of the bootstrap streams; resample i of family f draws from
    /// core::make_random_stream(seed, "bootstrap:" + f, i).
    std::uint64_t seed = 1;
  };

  /// One fitted family. Vectors are in parameter_names order; units as in the family's
  /// constructor (scale parameters in the unit of the data).
  struct DistributionFit
  {
    std::string family;
    std::vector<std::string> parameter_names;
    /// Maximum-likelihood estimates.
    std::vector<double> estimates;
    /// Observed-information standard errors.
    std::vector<double> standard_errors;
    /// Lower and upper ends of the confidence intervals: bootstrap percentiles, or Wald
    /// intervals when FitOptions::bootstrap_resamples is 0.
    std::vector<double> ci_lower;
    std::vector<double> ci_upper;
    /// Log-likelihood at the estimates.
    double log_likelihood = 0.0;
    /// Akaike information criterion 2 (number of parameters) - 2 log_likelihood.
    double aic = 0.0;
    /// Kolmogorov–Smirnov statistic of the sample against the fitted distribution.
    double ks_statistic = 0.0;
    /// Its p-value (conservative, since the parameters were fitted to the same sample).
    double ks_p_value = 0.0;
    /// Number of samples fitted.
    std::size_t sample_count = 0;
    /// Bootstrap resamples requested, and how many of them had no finite maximum-likelihood
    /// estimate (FitError) and were left out of the percentile intervals.
    std::size_t bootstrap_resamples = 0;
    std::size_t bootstrap_failures = 0;

    /// The fitted distribution (built through builtin_distribution_registry()).
    std::unique_ptr<Distribution> distribution() const;
  };

  /// Fits a registered family to samples. Throws std::invalid_argument for an unknown family,
  /// bad options or invalid data (naming the offending index and value), and FitError when the
  /// family has no finite maximum-likelihood estimate for these data or when more than half
  /// of the bootstrap resamples fail. Deterministic: the same inputs give a bit-identical result.
  DistributionFit fit_distribution(std::string_view family, const std::vector<double>& samples,
                                   const FitOptions& options = {});
} // namespace cryocycle::calibrate
