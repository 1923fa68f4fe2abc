#include "calibrate/scaling_laws.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>

namespace cryocycle::calibrate
{
  namespace
  {
    void require_positive_entries(const char* function, const char* name,
                                  const std::vector<double>& values)
    {
      for (std::size_t i = 0; i < values.size(); ++i)
        if (!(std::isfinite(values[i]) && values[i] > 0.0))
          {
            std::ostringstream message;
            message.precision(17);
            message << function << ": " << name << "[" << i << "] must be finite and > 0, got "
                    << values[i];
            throw std::invalid_argument(message.str());
          }
    }
  } // namespace

  double PowerLawFit::operator()(const double x) const
  {
    return prefactor * std::pow(x, exponent);
  }

  PowerLawFit fit_power_law(const std::vector<double>& x, const std::vector<double>& y)
  {
    if (x.size() != y.size())
      throw std::invalid_argument("fit_power_law: x and y differ in length (" +
                                  std::to_string(x.size()) + " and " + std::to_string(y.size()) +
                                  ")");
    require_positive_entries("fit_power_law", "x", x);
    require_positive_entries("fit_power_law", "y", y);
    const auto [smallest, largest] = std::minmax_element(x.begin(), x.end());
    if (x.size() < 2 || !(*largest > *smallest))
      throw std::invalid_argument("fit_power_law: needs at least 2 distinct sizes");

    const std::size_t count = x.size();
    const double n = static_cast<double>(count);
    std::vector<double> log_x(count);
    std::vector<double> log_y(count);
    double mean_log_x = 0.0;
    double mean_log_y = 0.0;
    for (std::size_t i = 0; i < count; ++i)
      {
        log_x[i] = std::log(x[i]);
        log_y[i] = std::log(y[i]);
        mean_log_x += log_x[i] / n;
        mean_log_y += log_y[i] / n;
      }
    double sxx = 0.0;
    double sxy = 0.0;
    double syy = 0.0;
    for (std::size_t i = 0; i < count; ++i)
      {
        const double dx = log_x[i] - mean_log_x;
        const double dy = log_y[i] - mean_log_y;
        sxx += dx * dx;
        sxy += dx * dy;
        syy += dy * dy;
      }

    PowerLawFit fit;
    fit.point_count = count;
    fit.exponent = sxy / sxx;
    const double log_prefactor = mean_log_y - fit.exponent * mean_log_x;
    fit.prefactor = std::exp(log_prefactor);
    double residual_sum = 0.0;
    for (std::size_t i = 0; i < count; ++i)
      {
        const double residual = log_y[i] - (log_prefactor + fit.exponent * log_x[i]);
        residual_sum += residual * residual;
      }
    // All y equal: a flat line explains everything there is to explain.
    fit.r_squared = syy > 0.0 ? 1.0 - residual_sum / syy : 1.0;
    if (count >= 3)
      {
        const double residual_variance = residual_sum / (n - 2.0);
        fit.exponent_standard_error = std::sqrt(residual_variance / sxx);
        fit.log_prefactor_standard_error =
            std::sqrt(residual_variance * (1.0 / n + mean_log_x * mean_log_x / sxx));
      }
    else
      {
        fit.exponent_standard_error = std::numeric_limits<double>::quiet_NaN();
        fit.log_prefactor_standard_error = std::numeric_limits<double>::quiet_NaN();
      }
    return fit;
  }

  SizeNormalisedProbability probability_per_cubed_size(const std::vector<double>& sigma_cg,
                                                       const std::vector<double>& probabilities)
  {
    if (sigma_cg.empty() || sigma_cg.size() != probabilities.size())
      throw std::invalid_argument(
          "probability_per_cubed_size: sizes and probabilities must have the same non-zero length");
    require_positive_entries("probability_per_cubed_size", "sigma_cg", sigma_cg);
    for (std::size_t i = 0; i < probabilities.size(); ++i)
      if (!(probabilities[i] >= 0.0 && probabilities[i] <= 1.0))
        {
          std::ostringstream message;
          message << "probability_per_cubed_size: probabilities[" << i
                  << "] must lie in [0, 1], got " << probabilities[i];
          throw std::invalid_argument(message.str());
        }

    SizeNormalisedProbability result;
    const double n = static_cast<double>(sigma_cg.size());
    for (std::size_t i = 0; i < sigma_cg.size(); ++i)
      result.ratios.push_back(probabilities[i] / (sigma_cg[i] * sigma_cg[i] * sigma_cg[i]));
    for (const double ratio : result.ratios)
      result.mean += ratio / n;
    if (result.ratios.size() >= 2 && result.mean > 0.0)
      {
        double squared_deviations = 0.0;
        for (const double ratio : result.ratios)
          squared_deviations += (ratio - result.mean) * (ratio - result.mean);
        result.relative_standard_deviation =
            std::sqrt(squared_deviations / (n - 1.0)) / result.mean;
        const auto [smallest, largest] =
            std::minmax_element(result.ratios.begin(), result.ratios.end());
        result.relative_range = (*largest - *smallest) / result.mean;
      }
    return result;
  }
} // namespace cryocycle::calibrate
