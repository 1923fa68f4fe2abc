#pragma once
/// @file
/// Internal to the continuum library (not part of its public headers): RAII owners for FFTW
/// buffers and plans, the lock that serialises FFTW's planner, and the wave numbers of a periodic
/// grid. Only continuum .cc files include this header, so FFTW stays a private dependency.

#include <fftw3.h>

#include <array>
#include <complex>
#include <cstddef>
#include <memory>
#include <type_traits>
#include <vector>

namespace cryocycle::continuum::detail
{
  /// Releases memory obtained from fftw_malloc.
  struct FftwFree
  {
    void operator()(void* memory) const { fftw_free(memory); }
  };

  /// An array in FFTW's SIMD-aligned memory (fftw_malloc). Aligned buffers let FFTW_ESTIMATE
  /// choose the same (SIMD) algorithm every time, so transforms are reproducible bit for bit.
  template <typename Value>
  using FftwArray = std::unique_ptr<Value[], FftwFree>;

  /// An uninitialised FftwArray of `count` values; throws std::bad_alloc when FFTW cannot
  /// allocate it.
  template <typename Value>
  FftwArray<Value> allocate_fftw_array(const std::size_t count)
  {
    static_assert(std::is_trivially_copyable_v<Value>);
    void* memory = fftw_malloc(sizeof(Value) * (count == 0 ? 1 : count));
    if (memory == nullptr)
      throw std::bad_alloc();
    return FftwArray<Value>(static_cast<Value*>(memory));
  }

  /// Destroys an FFTW plan while holding the planner lock.
  struct FftwPlanDestroy
  {
    void operator()(fftw_plan plan) const;
  };

  /// Owner of one FFTW plan.
  using FftwPlan = std::unique_ptr<std::remove_pointer_t<fftw_plan>, FftwPlanDestroy>;

  /// Number of complex coefficients stored by a 3-D real-to-complex transform of an
  /// nx x ny x nz grid (x fastest): (nx/2 + 1) ny nz. The halved axis is x.
  std::size_t half_spectrum_size(const std::array<std::size_t, 3>& point_count);

  /// Forward real-to-complex plan (FFTW_ESTIMATE, unnormalised) for real data with flat index
  /// i + nx (j + ny k) into a half spectrum with flat index i + (nx/2 + 1)(j + ny k). Takes the
  /// planner lock; FFTW's planner is not thread-safe. Throws std::runtime_error on failure.
  FftwPlan make_forward_plan(const std::array<std::size_t, 3>& point_count, double* real,
                             std::complex<double>* spectrum);

  /// Inverse complex-to-real plan (FFTW_ESTIMATE, unnormalised: the round trip multiplies by
  /// nx ny nz) for the layout of make_forward_plan. Executing it overwrites the spectrum.
  FftwPlan make_inverse_plan(const std::array<std::size_t, 3>& point_count,
                             std::complex<double>* spectrum, double* real);

  /// Wave numbers of one axis of a periodic grid in FFT order, continuous (exact spectral
  /// derivative) convention: k_m = 2 pi m / L with m in (-n/2, n/2] (1/nm).
  struct AxisWaveNumbers
  {
    /// k_m for the stored indices: all n of them, or n/2 + 1 for the halved (x) axis.
    std::vector<double> wave_number_per_nm;
    /// True for the Nyquist index m = n/2 of an even n (only cosines are visible there).
    std::vector<bool> is_nyquist;
  };

  /// Wave numbers of an axis with n points and box length L (nm); `halved` selects the n/2 + 1
  /// non-negative indices stored by a real-to-complex transform.
  AxisWaveNumbers axis_wave_numbers(std::size_t point_count, double box_length_nm, bool halved);
} // namespace cryocycle::continuum::detail
