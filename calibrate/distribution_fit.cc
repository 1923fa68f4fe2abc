#include "calibrate/distribution_fit.h"

#include "calibrate/distribution_registry.h"
#include "calibrate/goodness_of_fit.h"
#include "calibrate/maximum_likelihood.h"
#include "core/random_stream.h"

#include <boost/math/special_functions/erf.hpp>
#include <boost/random/uniform_int_distribution.hpp>

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>

namespace cryocycle::calibrate
{
  namespace
  {
    /// Quantile of sorted values with linear interpolation between order statistics
    /// (Hyndman & Fan type 7, the default of R and NumPy).
    double interpolated_quantile(const std::vector<double>& sorted_values, const double probability)
    {
      const double position = probability * static_cast<double>(sorted_values.size() - 1);
      const auto below = static_cast<std::size_t>(std::floor(position));
      const std::size_t above = std::min(below + 1, sorted_values.size() - 1);
      const double fraction = position - static_cast<double>(below);
      return sorted_values[below] + fraction * (sorted_values[above] - sorted_values[below]);
    }

    void validate_options(const FitOptions& options)
    {
      if (!(options.confidence_level > 0.0 && options.confidence_level < 1.0))
        {
          std::ostringstream message;
          message << "fit options: confidence_level must lie in (0, 1), got "
                  << options.confidence_level;
          throw std::invalid_argument(message.str());
        }
    }

    /// Percentile intervals from bootstrap refits; resample i uses its own stream, so the
    /// result does not depend on the order in which resamples are processed.
    void add_bootstrap_intervals(const DistributionFamily& family,
                                 const std::vector<double>& samples, const FitOptions& options,
                                 DistributionFit& fit)
    {
      const std::size_t parameter_count = fit.estimates.size();
      std::vector<std::vector<double>> replicates(parameter_count);
      std::vector<double> resample(samples.size());
      boost::random::uniform_int_distribution<std::size_t> pick_index(0, samples.size() - 1);
      for (std::size_t resample_index = 0; resample_index < options.bootstrap_resamples;
           ++resample_index)
        {
          core::RandomEngine engine =
              core::make_random_stream(options.seed, "bootstrap:" + family.name, resample_index);
          for (double& value : resample)
            value = samples[pick_index(engine)];
          try
            {
              const MaximumLikelihoodEstimate estimate = family.fit_maximum_likelihood(resample);
              for (std::size_t p = 0; p < parameter_count; ++p)
                replicates[p].push_back(estimate.estimates[p]);
            }
          catch (const FitError&)
            {
              ++fit.bootstrap_failures;
            }
        }
      if (2 * fit.bootstrap_failures > options.bootstrap_resamples)
        {
          std::ostringstream message;
          message << family.name << " fit: " << fit.bootstrap_failures << " of "
                  << options.bootstrap_resamples
                  << " bootstrap resamples have no finite maximum-likelihood estimate; "
                     "the confidence intervals would be meaningless";
          throw FitError(message.str());
        }
      const double tail = 0.5 * (1.0 - options.confidence_level);
      for (std::size_t p = 0; p < parameter_count; ++p)
        {
          std::sort(replicates[p].begin(), replicates[p].end());
          fit.ci_lower[p] = interpolated_quantile(replicates[p], tail);
          fit.ci_upper[p] = interpolated_quantile(replicates[p], 1.0 - tail);
        }
    }
  } // namespace

  std::unique_ptr<Distribution> DistributionFit::distribution() const
  {
    return make_distribution(family, estimates);
  }

  DistributionFit fit_distribution(const std::string_view family_name,
                                   const std::vector<double>& samples, const FitOptions& options)
  {
    validate_options(options);
    const DistributionFamily& family = builtin_distribution_registry().family(family_name);
    validate_samples(samples, family.support, family.name);

    const MaximumLikelihoodEstimate estimate = family.fit_maximum_likelihood(samples);
    DistributionFit fit;
    fit.family = family.name;
    fit.parameter_names = family.parameter_names;
    fit.estimates = estimate.estimates;
    fit.standard_errors = estimate.standard_errors;
    fit.log_likelihood = estimate.log_likelihood;
    fit.aic = 2.0 * static_cast<double>(fit.estimates.size()) - 2.0 * fit.log_likelihood;
    fit.sample_count = samples.size();
    fit.bootstrap_resamples = options.bootstrap_resamples;

    const std::unique_ptr<Distribution> fitted = family.make(fit.estimates);
    std::vector<double> sorted_samples = samples;
    std::sort(sorted_samples.begin(), sorted_samples.end());
    fit.ks_statistic = ks_statistic(sorted_samples, *fitted);
    fit.ks_p_value = kolmogorov_p_value(fit.ks_statistic, samples.size());

    fit.ci_lower.assign(fit.estimates.size(), 0.0);
    fit.ci_upper.assign(fit.estimates.size(), 0.0);
    if (options.bootstrap_resamples > 0)
      add_bootstrap_intervals(family, samples, options, fit);
    else
      {
        // Wald interval: z = Phi^-1((1 + level)/2) = sqrt(2) erf^-1(level).
        const double z = std::sqrt(2.0) * boost::math::erf_inv(options.confidence_level);
        for (std::size_t p = 0; p < fit.estimates.size(); ++p)
          {
            fit.ci_lower[p] = fit.estimates[p] - z * fit.standard_errors[p];
            fit.ci_upper[p] = fit.estimates[p] + z * fit.standard_errors[p];
          }
      }
    return fit;
  }
} // namespace cryocycle::calibrate
