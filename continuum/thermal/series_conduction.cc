#include "continuum/thermal/series_conduction.h"

#include <boost/math/special_functions/bessel.hpp>
#include <boost/math/tools/roots.hpp>
#include <fmt/format.h>

#include <cmath>
#include <stdexcept>

namespace cryocycle::continuum
{
  namespace
  {
    const double pi = std::acos(-1.0);
    /// exp(−λ² Fo) below this adds nothing at double precision to θ <= 1.
    constexpr double negligible_term = 1e-17;

    double j0(const double z) { return boost::math::cyl_bessel_j(0, z); }
    double j1(const double z) { return boost::math::cyl_bessel_j(1, z); }

    /// Root of f in (low, high), where f is increasing from negative to positive.
    template <typename F>
    double bracketed_root(F f, const double low, const double high)
    {
      // Step inside the bracket: the ends are zeros or poles of the characteristic function.
      const double width = high - low;
      double a = low + 1e-12 * width;
      double b = high - 1e-12 * width;
      std::uintmax_t iterations = 200;
      const auto result = boost::math::tools::toms748_solve(
        f, a, b, boost::math::tools::eps_tolerance<double>(52), iterations);
      return 0.5 * (result.first + result.second);
    }
  } // namespace

  ConvectiveCooling::ConvectiveCooling(const ConductionShape shape, const double biot_number,
                                       const std::size_t terms)
    : shape_(shape)
    , biot_(biot_number)
  {
    if (!(biot_number > 0.0) || !std::isfinite(biot_number))
      throw std::invalid_argument(fmt::format("the Biot number must be positive, got {}", biot_number));
    if (terms == 0)
      throw std::invalid_argument("at least one series term is needed");
    for (std::size_t n = 1; n <= terms; ++n)
      {
        const double m = static_cast<double>(n);
        double lambda = 0.0;
        double c = 0.0;
        switch (shape)
          {
            case ConductionShape::plate:
              {
                // λ tan λ rises from 0 to +∞ on ((n−1)π, (n−1)π + π/2).
                lambda = bracketed_root([&](double l) { return l * std::sin(l) - biot_number * std::cos(l); },
                                        (m - 1.0) * pi, (m - 0.5) * pi);
                c = 4.0 * std::sin(lambda) / (2.0 * lambda + std::sin(2.0 * lambda));
                break;
              }
            case ConductionShape::cylinder:
              {
                // λ J1/J0 rises from 0 (a zero of J1) to +∞ (the next zero of J0).
                const double low = n == 1 ? 0.0 : boost::math::cyl_bessel_j_zero(1.0, static_cast<int>(n - 1));
                const double high = boost::math::cyl_bessel_j_zero(0.0, static_cast<int>(n));
                lambda = bracketed_root([&](double l) { return l * j1(l) - biot_number * j0(l); }, low, high);
                const double a = j0(lambda);
                const double b = j1(lambda);
                c = 2.0 / lambda * b / (a * a + b * b);
                break;
              }
            case ConductionShape::sphere:
              {
                // 1 − λ cot λ rises from 0 (n = 1) or −∞ to +∞ on ((n−1)π, nπ); multiplied by
                // sin λ (> 0 on odd branches, < 0 on even ones) to remove the poles.
                const double sign = n % 2 == 1 ? 1.0 : -1.0;
                lambda = bracketed_root(
                  [&](double l) { return sign * ((1.0 - biot_number) * std::sin(l) - l * std::cos(l)); },
                  (m - 1.0) * pi, m * pi);
                c = 4.0 * (std::sin(lambda) - lambda * std::cos(lambda)) /
                    (2.0 * lambda - std::sin(2.0 * lambda));
                break;
              }
          }
        lambda_.push_back(lambda);
        coefficient_.push_back(c);
      }
  }

  double ConvectiveCooling::shape_function(const double z) const
  {
    switch (shape_)
      {
        case ConductionShape::plate:
          return std::cos(z);
        case ConductionShape::cylinder:
          return j0(z);
        case ConductionShape::sphere:
          return z < 1e-8 ? 1.0 - z * z / 6.0 : std::sin(z) / z;
      }
    return 0.0;
  }

  double ConvectiveCooling::mean_weight(const double lambda) const
  {
    switch (shape_)
      {
        case ConductionShape::plate:
          return std::sin(lambda) / lambda;
        case ConductionShape::cylinder:
          return 2.0 * j1(lambda) / lambda;
        case ConductionShape::sphere:
          return 3.0 * (std::sin(lambda) - lambda * std::cos(lambda)) / (lambda * lambda * lambda);
      }
    return 0.0;
  }

  void ConvectiveCooling::check_convergence(const double fourier_number) const
  {
    if (!(fourier_number > 0.0))
      throw std::domain_error("the series needs a positive Fourier number (t > 0)");
    const double last = lambda_.back();
    if (std::exp(-last * last * fourier_number) > 1e-10)
      throw std::domain_error(fmt::format("Fourier number {} is too small for {} series terms",
                                          fourier_number, lambda_.size()));
  }

  template <typename Term>
  double ConvectiveCooling::sum_series(const double fourier_number, Term term) const
  {
    check_convergence(fourier_number);
    double sum = 0.0;
    for (std::size_t n = 0; n < lambda_.size(); ++n)
      {
        const double decay = std::exp(-lambda_[n] * lambda_[n] * fourier_number);
        if (decay < negligible_term)
          break;
        sum += coefficient_[n] * decay * term(lambda_[n]);
      }
    return sum;
  }

  double ConvectiveCooling::temperature_ratio(const double x, const double fourier_number) const
  {
    if (x < 0.0 || x > 1.0)
      throw std::domain_error(fmt::format("position r/R = {} lies outside the body", x));
    return sum_series(fourier_number, [&](const double lambda) { return shape_function(lambda * x); });
  }

  double ConvectiveCooling::mean_temperature_ratio(const double fourier_number) const
  {
    return sum_series(fourier_number, [&](const double lambda) { return mean_weight(lambda); });
  }

  double biot_number(const double h, const double length_m, const double conductivity)
  {
    if (!(h > 0.0) || !(length_m > 0.0) || !(conductivity > 0.0))
      throw std::invalid_argument("the Biot number needs positive h, length and conductivity");
    return h * length_m / conductivity;
  }

  double volume_to_area_biot(const ConductionShape shape, const double h, const double radius_m,
                             const double conductivity)
  {
    const double ratio = shape == ConductionShape::plate ? 1.0 : shape == ConductionShape::cylinder ? 0.5 : 1.0 / 3.0;
    return biot_number(h, ratio * radius_m, conductivity);
  }

  double fourier_number(const double conductivity, const double heat_capacity, const double radius_m,
                        const double time_s)
  {
    if (!(conductivity > 0.0) || !(heat_capacity > 0.0) || !(radius_m > 0.0))
      throw std::invalid_argument("the Fourier number needs positive conductivity, heat capacity and size");
    return conductivity * time_s / (heat_capacity * radius_m * radius_m);
  }

  double cylinder_surface_thermal_stress_GPa(const double alpha_volumetric_per_K, const double bulk,
                                             const double shear, const double mean_K,
                                             const double surface_K)
  {
    if (!(bulk > 0.0) || !(shear > 0.0))
      throw std::invalid_argument("moduli must be positive");
    const double young = 9.0 * bulk * shear / (3.0 * bulk + shear);
    const double poisson = (3.0 * bulk - 2.0 * shear) / (2.0 * (3.0 * bulk + shear));
    return alpha_volumetric_per_K / 3.0 * young / (1.0 - poisson) * (mean_K - surface_K);
  }
} // namespace cryocycle::continuum
