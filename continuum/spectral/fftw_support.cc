#include "continuum/spectral/fftw_support.h"

#include <boost/math/constants/constants.hpp>

#include <climits>
#include <cmath>
#include <mutex>
#include <stdexcept>
#include <string>

namespace cryocycle::continuum::detail
{
  namespace
  {
    // FFTW's planner (plan creation and destruction) shares global state and is not
    // thread-safe; executing distinct plans on distinct buffers is. All continuum code plans
    // under this lock; code outside the library that calls FFTW's planner concurrently must
    // serialise itself against continuum's constructors.
    std::mutex& planner_mutex()
    {
      static std::mutex mutex;
      return mutex;
    }

    std::array<int, 3> fftw_dimensions(const std::array<std::size_t, 3>& point_count)
    {
      // FFTW takes dimensions slowest first; our flat index has x fastest, so (nz, ny, nx).
      std::array<int, 3> dimensions{};
      for (std::size_t axis = 0; axis < 3; ++axis)
        {
          if (point_count[axis] == 0 || point_count[axis] > static_cast<std::size_t>(INT_MAX))
            throw std::invalid_argument("FFT grid dimension out of range: " +
                                        std::to_string(point_count[axis]));
          dimensions[2 - axis] = static_cast<int>(point_count[axis]);
        }
      return dimensions;
    }
  } // namespace

  void FftwPlanDestroy::operator()(const fftw_plan plan) const
  {
    const std::lock_guard<std::mutex> lock(planner_mutex());
    fftw_destroy_plan(plan);
  }

  std::size_t half_spectrum_size(const std::array<std::size_t, 3>& point_count)
  {
    return (point_count[0] / 2 + 1) * point_count[1] * point_count[2];
  }

  FftwPlan make_forward_plan(const std::array<std::size_t, 3>& point_count, double* real,
                             std::complex<double>* spectrum)
  {
    const std::array<int, 3> dimensions = fftw_dimensions(point_count);
    const std::lock_guard<std::mutex> lock(planner_mutex());
    // std::complex<double> has the layout of fftw_complex (FFTW manual, "Complex numbers").
    fftw_plan plan =
      fftw_plan_dft_r2c_3d(dimensions[0], dimensions[1], dimensions[2], real,
                           reinterpret_cast<fftw_complex*>(spectrum), FFTW_ESTIMATE);
    if (plan == nullptr)
      throw std::runtime_error("FFTW could not plan the forward real-to-complex transform");
    return FftwPlan(plan);
  }

  FftwPlan make_inverse_plan(const std::array<std::size_t, 3>& point_count,
                             std::complex<double>* spectrum, double* real)
  {
    const std::array<int, 3> dimensions = fftw_dimensions(point_count);
    const std::lock_guard<std::mutex> lock(planner_mutex());
    fftw_plan plan =
      fftw_plan_dft_c2r_3d(dimensions[0], dimensions[1], dimensions[2],
                           reinterpret_cast<fftw_complex*>(spectrum), real, FFTW_ESTIMATE);
    if (plan == nullptr)
      throw std::runtime_error("FFTW could not plan the inverse complex-to-real transform");
    return FftwPlan(plan);
  }

  AxisWaveNumbers axis_wave_numbers(const std::size_t point_count, const double box_length_nm,
                                    const bool halved)
  {
    const std::size_t stored = halved ? point_count / 2 + 1 : point_count;
    AxisWaveNumbers axis;
    axis.wave_number_per_nm.resize(stored);
    axis.is_nyquist.resize(stored);
    const double fundamental = boost::math::constants::two_pi<double>() / box_length_nm;
    for (std::size_t m = 0; m < stored; ++m)
      {
        const double signed_index = (2 * m <= point_count)
                                      ? static_cast<double>(m)
                                      : static_cast<double>(m) - static_cast<double>(point_count);
        axis.wave_number_per_nm[m] = fundamental * signed_index;
        axis.is_nyquist[m] = (point_count % 2 == 0) && (2 * m == point_count);
      }
    return axis;
  }
} // namespace cryocycle::continuum::detail
