#include "continuum/physics/site_thermal_stress.h"

#include <boost/math/quadrature/gauss.hpp>
#include <boost/math/tools/toms748_solve.hpp>
#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <stdexcept>

namespace cryocycle::continuum
{
  namespace
  {
    constexpr int panels = 8;
    constexpr double tail_w = 30.0;  ///< e^−30 ≈ 1e-13 of the mass lies beyond
  } // namespace

  SiteThermalStress::SiteThermalStress(const std::function<double(double)> &quantile_GPa,
                                       const double reference_temperature_change_K)
    : reference_K_(reference_temperature_change_K)
  {
    if (!(reference_K_ > 0.0) || !std::isfinite(reference_K_))
      throw std::invalid_argument(fmt::format("the reference temperature change of the site thermal stress must be "
                                              "positive, got {} K",
                                              reference_K_));
    using rule = boost::math::quadrature::gauss<double, 4>;
    const double width = tail_w / panels;
    const auto add = [&](const double w, const double weight) {
      const double rank = -std::expm1(-w);
      const double t = quantile_GPa(rank);
      if (!(t >= 0.0) || !std::isfinite(t))
        throw std::invalid_argument(fmt::format("the site thermal stress at rank {} is {} GPa; it must be a finite "
                                                "von Mises stress >= 0",
                                                rank, t));
      nodes_GPa_.push_back(t);
      weights_.push_back(weight);
    };
    for (int p = 0; p < panels; ++p)
      {
        const double centre = (p + 0.5) * width;
        for (std::size_t j = 0; j < rule::abscissa().size(); ++j)
          for (const double sign : {-1.0, 1.0})
            {
              const double w = centre + sign * 0.5 * width * rule::abscissa()[j];
              add(w, 0.5 * width * rule::weights()[j] * std::exp(-w));
            }
      }
    // The mass beyond w = 30 at its lower end (its stress is the smallest of that tail).
    add(tail_w, std::exp(-tail_w));
    double total = 0.0;
    for (const double weight : weights_)
      total += weight;
    for (std::size_t j = 0; j < weights_.size(); ++j)
      {
        weights_[j] /= total;
        mean_GPa_ += weights_[j] * nodes_GPa_[j];
      }
  }

  double SiteThermalStress::scale(const double temperature_change_K) const
  {
    return std::abs(temperature_change_K) / reference_K_;
  }

  double SiteThermalStress::effective_cdf(const std::function<double(double)> &yield_cdf, const double scale,
                                          const double stress_GPa) const
  {
    if (scale == 0.0)
      return yield_cdf(stress_GPa);
    double f = 0.0;
    for (std::size_t j = 0; j < nodes_GPa_.size(); ++j)
      f += weights_[j] * yield_cdf(stress_GPa + scale * nodes_GPa_[j]);
    return std::min(f, 1.0);
  }

  double SiteThermalStress::effective_quantile(const std::function<double(double)> &yield_cdf,
                                               const std::function<double(double)> &yield_quantile,
                                               const double scale, const double rank) const
  {
    if (scale == 0.0)
      return yield_quantile(rank);
    const auto f = [&](const double e) { return effective_cdf(yield_cdf, scale, e) - rank; };
    const auto solve = [&](const double low, const double high, const double f_low, const double f_high) {
      if (f_low == 0.0)
        return low;
      if (f_high == 0.0)
        return high;
      std::uintmax_t iterations = 200;
      const auto root = boost::math::tools::toms748_solve(f, low, high, f_low, f_high,
                                                          boost::math::tools::eps_tolerance<double>(42), iterations);
      return 0.5 * (root.first + root.second);
    };
    double high = yield_quantile(rank);
    double f_high = f(high);
    double step = scale * mean_GPa_ + 1e-6 * (std::abs(high) + 1.0);
    // F_eff >= F_y, so Q_y(u) lies above the root unless the cdf and quantile disagree in the
    // last bits; then step up first.
    for (int expansion = 0; f_high < 0.0; ++expansion)
      {
        if (expansion > 200)
          throw std::runtime_error(fmt::format("no effective threshold at rank {} (thermal-stress scale {})", rank,
                                               scale));
        high += step;
        f_high = f(high);
      }
    if (f_high == 0.0)
      return high;
    double low = high - step;
    double f_low = f(low);
    for (int expansion = 0; f_low > 0.0; ++expansion)
      {
        if (expansion > 200)
          throw std::runtime_error(fmt::format("no effective threshold at rank {} (thermal-stress scale {})", rank,
                                               scale));
        step *= 2.0;
        low = high - step;
        f_low = f(low);
      }
    return solve(low, high, f_low, f_high);
  }
} // namespace cryocycle::continuum
