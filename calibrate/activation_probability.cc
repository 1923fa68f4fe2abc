#include "calibrate/activation_probability.h"

#include "core/random_stream.h"

#include <boost/math/quadrature/gauss_kronrod.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <sstream>
#include <stdexcept>

namespace cryocycle::calibrate
{
  namespace
  {
    constexpr double infinity = std::numeric_limits<double>::infinity();
    constexpr double relative_tolerance = 1e-12;
    constexpr unsigned maximum_bisection_depth = 20;

    using Integrand = std::function<double(double)>;

    /// Adaptive 61-point Gauss–Kronrod on [a, b] (finite), returning value and error estimate.
    QuadratureResult integrate_finite(const Integrand& integrand, const double a, const double b)
    {
      QuadratureResult result;
      result.value = boost::math::quadrature::gauss_kronrod<double, 61>::integrate(
          integrand, a, b, maximum_bisection_depth, relative_tolerance, &result.error_bound);
      return result;
    }

    /// Integral of the integrand from lower (possibly -inf) to +inf, split at the breakpoints.
    /// The semi-infinite pieces are rescaled by the spread of the breakpoints so the
    /// Gauss–Kronrod map of [0, inf) sees a problem of unit scale whatever the stress unit.
    QuadratureResult integrate_to_infinity(const Integrand& integrand, const double lower,
                                           std::vector<double> breakpoints)
    {
      breakpoints.erase(
          std::remove_if(breakpoints.begin(), breakpoints.end(),
                         [lower](const double b) { return !std::isfinite(b) || !(b > lower); }),
          breakpoints.end());
      std::sort(breakpoints.begin(), breakpoints.end());
      breakpoints.erase(std::unique(breakpoints.begin(), breakpoints.end()), breakpoints.end());
      if (std::isfinite(lower))
        breakpoints.insert(breakpoints.begin(), lower);
      if (breakpoints.empty())
        breakpoints.push_back(0.0);

      double scale = breakpoints.back() - breakpoints.front();
      if (!(scale > 0.0))
        scale = std::abs(breakpoints.back());
      if (!(scale > 0.0))
        scale = 1.0;

      QuadratureResult total;
      const auto accumulate = [&total](const QuadratureResult& piece) {
        total.value += piece.value;
        total.error_bound += piece.error_bound;
      };
      if (!std::isfinite(lower))
        {
          const double first = breakpoints.front();
          accumulate(integrate_finite(
              [&](const double y) { return scale * integrand(first - scale * y); }, 0.0, infinity));
        }
      for (std::size_t i = 0; i + 1 < breakpoints.size(); ++i)
        accumulate(integrate_finite(integrand, breakpoints[i], breakpoints[i + 1]));
      const double last = breakpoints.back();
      accumulate(integrate_finite(
          [&](const double y) { return scale * integrand(last + scale * y); }, 0.0, infinity));
      return total;
    }

    void require_probability(const char* what, const double value)
    {
      if (!(value >= 0.0 && value <= 1.0))
        {
          std::ostringstream message;
          message << what << " must be a probability in [0, 1], got " << value;
          throw std::invalid_argument(message.str());
        }
    }
  } // namespace

  QuadratureResult probability_stress_exceeds_yield(const Distribution& thermal_stress,
                                                    const Distribution& yield_stress)
  {
    // F_y vanishes below the yield support, so the integral starts at the larger lower end.
    const double lower = std::max(thermal_stress.support_lower(), yield_stress.support_lower());
    const Integrand integrand = [&](const double s) {
      const double density = thermal_stress.pdf(s);
      return density == 0.0 ? 0.0 : yield_stress.cdf(s) * density;
    };
    return integrate_to_infinity(integrand, lower,
                                 {thermal_stress.quantile(0.5), yield_stress.quantile(0.5)});
  }

  QuadratureResult probability_shang2018_eq11(const double beta_GPa, const double lambda,
                                            const double gamma, const double eta_GPa)
  {
    // The constructors validate the four parameters.
    const LomaxDistribution thermal(gamma, eta_GPa);
    const HyperbolicDistribution yield(lambda, beta_GPa);
    const Integrand integrand = [&](const double s) {
      return std::exp(lambda * (1.0 - std::cosh(s / beta_GPa))) *
             std::pow(1.0 + s / eta_GPa, -gamma - 1.0);
    };
    const QuadratureResult integral =
        integrate_to_infinity(integrand, 0.0, {thermal.quantile(0.5), yield.quantile(0.5)});
    const double prefactor = gamma / eta_GPa;
    QuadratureResult result;
    result.value = 1.0 - prefactor * integral.value;
    result.error_bound =
        prefactor * integral.error_bound + 4.0 * std::numeric_limits<double>::epsilon();
    return result;
  }

  MonteCarloEstimate monte_carlo_probability(const Distribution& thermal_stress,
                                             const Distribution& yield_stress,
                                             const std::size_t samples, const std::uint64_t seed)
  {
    if (samples < 2)
      throw std::invalid_argument("monte_carlo_probability: needs at least 2 samples");
    core::RandomEngine engine = core::make_random_stream(seed, "activation_monte_carlo");
    // Welford's running mean and sum of squared deviations.
    double mean = 0.0;
    double squared_deviations = 0.0;
    for (std::size_t i = 0; i < samples; ++i)
      {
        const double conditional_probability = yield_stress.cdf(thermal_stress.sample(engine));
        const double delta = conditional_probability - mean;
        mean += delta / static_cast<double>(i + 1);
        squared_deviations += delta * (conditional_probability - mean);
      }
    const double count = static_cast<double>(samples);
    MonteCarloEstimate estimate;
    estimate.value = mean;
    estimate.standard_error = std::sqrt(squared_deviations / (count - 1.0) / count);
    estimate.samples = samples;
    return estimate;
  }

  double empirical_probability_stress_exceeds_yield(const std::vector<double>& thermal_stresses,
                                                    const std::vector<double>& yield_stresses)
  {
    if (thermal_stresses.empty() || yield_stresses.empty())
      throw std::invalid_argument(
          "empirical_probability_stress_exceeds_yield: both samples must be non-empty");
    std::vector<double> sorted_yield = yield_stresses;
    std::sort(sorted_yield.begin(), sorted_yield.end());
    double pairs_exceeding = 0.0;
    for (const double thermal : thermal_stresses)
      pairs_exceeding +=
          static_cast<double>(std::lower_bound(sorted_yield.begin(), sorted_yield.end(), thermal) -
                              sorted_yield.begin());
    return pairs_exceeding / (static_cast<double>(thermal_stresses.size()) *
                              static_cast<double>(sorted_yield.size()));
  }

  double activation_probability(const double probability_per_site, const double site_count)
  {
    require_probability("activation_probability: probability per site", probability_per_site);
    if (!(site_count >= 0.0))
      throw std::invalid_argument("activation_probability: site count must be >= 0");
    if (site_count == 0.0 || probability_per_site == 0.0)
      return 0.0;
    return -std::expm1(site_count * std::log1p(-probability_per_site));
  }

  double sites_for_activation(const double probability_per_site, const double level)
  {
    require_probability("sites_for_activation: probability per site", probability_per_site);
    require_probability("sites_for_activation: level", level);
    if (probability_per_site == 0.0 || level == 1.0)
      return infinity;
    return std::log1p(-level) / std::log1p(-probability_per_site);
  }
} // namespace cryocycle::calibrate
