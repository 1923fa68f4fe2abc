#include "continuum/fields/periodic_random_field.h"

#include "continuum/spectral/fftw_support.h"
#include "core/random_stream.h"

#include <boost/math/constants/constants.hpp>
#include <boost/random/normal_distribution.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace cryocycle::continuum
{
  namespace
  {
    constexpr std::array<const char*, 3> axis_names{"x", "y", "z"};

    void validate(const std::array<std::size_t, 3>& point_count,
                  const std::array<double, 3>& spacing_nm, const GaussianRandomFieldSpec& spec)
    {
      for (std::size_t axis = 0; axis < 3; ++axis)
        {
          if (point_count[axis] == 0)
            throw std::invalid_argument(fmt::format(
              "grid point count along {} must be at least 1, got 0", axis_names[axis]));
          if (!(std::isfinite(spacing_nm[axis]) && spacing_nm[axis] > 0.0))
            throw std::invalid_argument(
              fmt::format("grid spacing along {} must be positive and finite, got {:g} nm",
                          axis_names[axis], spacing_nm[axis]));
        }
      if (!std::isfinite(spec.mean))
        throw std::invalid_argument(
          fmt::format("random field mean must be finite, got {}", spec.mean));
      if (!(std::isfinite(spec.standard_deviation) && spec.standard_deviation >= 0.0))
        throw std::invalid_argument(
          fmt::format("random field standard deviation must be finite and >= 0, got {:g}",
                      spec.standard_deviation));
      if (!(std::isfinite(spec.correlation_length_nm) && spec.correlation_length_nm >= 0.0))
        throw std::invalid_argument(
          fmt::format("random field correlation length must be finite and >= 0, got {:g} nm",
                      spec.correlation_length_nm));
    }

    /// Square root of the 1-D spectrum of the periodic covariance: sqrt(sum_x c(x) e^{-ikx}).
    /// The spectrum of a sampled, periodised Gaussian is a sum of aliased Gaussians, hence
    /// positive; round-off can leave tiny negative values, which are clipped to zero.
    std::vector<double> filter_amplitude(const std::size_t point_count, const double spacing_nm,
                                         const double correlation_length_nm)
    {
      const std::vector<double> correlation =
        periodic_gaussian_correlation(point_count, spacing_nm, correlation_length_nm);
      const double angle_step =
        boost::math::constants::two_pi<double>() / static_cast<double>(point_count);
      std::vector<double> amplitude(point_count);
      for (std::size_t m = 0; m < point_count; ++m)
        {
          double spectrum = 0.0;
          for (std::size_t x = 0; x < point_count; ++x)
            // (m x) mod n keeps the cosine argument small and exact for large grids.
            spectrum += correlation[x] * std::cos(angle_step * static_cast<double>((m * x) %
                                                                                   point_count));
          amplitude[m] = std::sqrt(std::max(spectrum, 0.0));
        }
      return amplitude;
    }
  } // namespace

  std::vector<double> periodic_gaussian_correlation(const std::size_t point_count,
                                                    const double spacing_nm,
                                                    const double correlation_length_nm)
  {
    if (point_count == 0 || !(spacing_nm > 0.0) || !(correlation_length_nm >= 0.0))
      throw std::invalid_argument(fmt::format(
        "periodic correlation needs n >= 1, spacing > 0 and correlation length >= 0, got n = {}, "
        "h = {:g} nm, l = {:g} nm",
        point_count, spacing_nm, correlation_length_nm));
    std::vector<double> correlation(point_count, 0.0);
    if (correlation_length_nm == 0.0)
      {
        correlation[0] = 1.0;
        return correlation;
      }
    const double box_length = static_cast<double>(point_count) * spacing_nm;
    // Images beyond 9 l contribute below exp(-40) relative to the central term.
    const long image_count =
      2 + static_cast<long>(std::ceil(9.0 * correlation_length_nm / box_length));
    const double inverse_two_l_squared =
      1.0 / (2.0 * correlation_length_nm * correlation_length_nm);
    for (std::size_t m = 0; m < point_count; ++m)
      {
        const double offset = static_cast<double>(m) * spacing_nm;
        double sum = 0.0;
        for (long image = -image_count; image <= image_count; ++image)
          {
            const double distance = offset + static_cast<double>(image) * box_length;
            sum += std::exp(-distance * distance * inverse_two_l_squared);
          }
        correlation[m] = sum;
      }
    const double at_zero = correlation[0];
    for (double& value : correlation)
      value /= at_zero;
    return correlation;
  }

  std::vector<double> periodic_gaussian_random_field(const std::array<std::size_t, 3>& point_count,
                                                     const std::array<double, 3>& spacing_nm,
                                                     const GaussianRandomFieldSpec& spec)
  {
    validate(point_count, spacing_nm, spec);
    const std::size_t total = point_count[0] * point_count[1] * point_count[2];

    std::vector<double> field(total);
    boost::random::normal_distribution<double> standard_normal(0.0, 1.0);
    for (std::size_t p = 0; p < total; ++p)
      {
        core::RandomEngine stream = core::make_random_stream(spec.seed, spec.stream_purpose, p);
        standard_normal.reset();
        field[p] = standard_normal(stream);
      }

    if (spec.correlation_length_nm > 0.0)
      {
        std::array<std::vector<double>, 3> amplitude;
        for (std::size_t axis = 0; axis < 3; ++axis)
          amplitude[axis] =
            filter_amplitude(point_count[axis], spacing_nm[axis], spec.correlation_length_nm);

        const std::size_t spectrum_size = detail::half_spectrum_size(point_count);
        auto real = detail::allocate_fftw_array<double>(total);
        auto spectrum = detail::allocate_fftw_array<std::complex<double>>(spectrum_size);
        const detail::FftwPlan forward =
          detail::make_forward_plan(point_count, real.get(), spectrum.get());
        const detail::FftwPlan inverse =
          detail::make_inverse_plan(point_count, spectrum.get(), real.get());

        std::copy(field.begin(), field.end(), real.get());
        fftw_execute(forward.get());
        const std::size_t nx_half = point_count[0] / 2 + 1;
        const double normalisation = 1.0 / static_cast<double>(total);
        for (std::size_t c = 0; c < point_count[2]; ++c)
          for (std::size_t b = 0; b < point_count[1]; ++b)
            {
              const double amplitude_yz = amplitude[1][b] * amplitude[2][c] * normalisation;
              for (std::size_t a = 0; a < nx_half; ++a)
                spectrum[a + nx_half * (b + point_count[1] * c)] *= amplitude[0][a] * amplitude_yz;
            }
        fftw_execute(inverse.get());
        std::copy(real.get(), real.get() + total, field.begin());
      }

    for (double& value : field)
      value = spec.mean + spec.standard_deviation * value;
    return field;
  }

  PeriodicGrid periodic_gaussian_random_grid(const std::array<std::size_t, 3>& point_count,
                                             const std::array<double, 3>& spacing_nm,
                                             const GaussianRandomFieldSpec& spec,
                                             const std::array<double, 3>& origin_nm)
  {
    PeriodicGrid grid = make_periodic_grid(point_count, spacing_nm, origin_nm);
    grid.values = periodic_gaussian_random_field(point_count, spacing_nm, spec);
    return grid;
  }
} // namespace cryocycle::continuum
