#pragma once
// The threshold distribution the homogenised-cell and event-engine tests share: σ_y ~
// N(0.25 (1 − 0.3 s), 0.05) GPa truncated to positive values, s the structural state.
#include "continuum/physics/homogenised_cell.h"

#include <boost/math/special_functions/erf.hpp>

#include <algorithm>
#include <cmath>

namespace cryocycle::continuum::test_support
{
  /// Φ((x − mean) / 0.05 GPa).
  inline double threshold_normal_cdf(const double mean, const double x)
  {
    return 0.5 * std::erfc(-(x - mean) / (0.05 * std::sqrt(2.0)));
  }

  inline ThresholdDistribution truncated_normal_thresholds()
  {
    ThresholdDistribution d;
    d.quantile_GPa = [](double s, double u) {
      const double mean = 0.25 * (1.0 - 0.3 * s);
      const double below = threshold_normal_cdf(mean, 0.0);
      return mean + 0.05 * std::sqrt(2.0) * boost::math::erf_inv(2.0 * (below + (1.0 - below) * u) - 1.0);
    };
    d.cdf = [](double s, double x) {
      const double mean = 0.25 * (1.0 - 0.3 * s);
      const double below = threshold_normal_cdf(mean, 0.0);
      return std::max(0.0, (threshold_normal_cdf(mean, x) - below) / (1.0 - below));
    };
    return d;
  }
} // namespace cryocycle::continuum::test_support
