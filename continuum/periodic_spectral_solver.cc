#include "continuum/periodic_spectral_solver.h"

#include "continuum/fftw_support.h"

#include <fmt/format.h>

#include <cmath>
#include <stdexcept>
#include <utility>

namespace cryocycle::continuum
{
  namespace
  {
    constexpr std::array<const char*, 3> axis_names{"x", "y", "z"};

    /// Voigt slot of each strain component computed by an inverse transform, with its axes.
    /// zz is not transformed: it follows from the local trace (see the file comment of the
    /// header), which saves one of six inverse transforms.
    struct TransformedComponent
    {
      std::size_t voigt;
      std::size_t first_axis;
      std::size_t second_axis;
    };
    constexpr std::array<TransformedComponent, 5> transformed_components{
      {{0, 0, 0}, {1, 1, 1}, {3, 1, 2}, {4, 0, 2}, {5, 0, 1}}};

    /// Sum with Neumaier's compensation: the mean of alpha is subtracted from every value, and
    /// an error of a few ulp in it would show as a spurious uniform alpha fluctuation.
    double compensated_sum(const std::vector<double>& values)
    {
      double sum = 0.0;
      double compensation = 0.0;
      for (const double value : values)
        {
          const double next = sum + value;
          if (std::abs(sum) >= std::abs(value))
            compensation += (sum - next) + value;
          else
            compensation += (value - next) + sum;
          sum = next;
        }
      return sum + compensation;
    }

    void require_positive_finite(const double value, const char* what, const char* unit)
    {
      if (!(std::isfinite(value) && value > 0.0))
        throw std::invalid_argument(
          fmt::format("{} must be positive and finite, got {:g} {}", what, value, unit));
    }
  } // namespace

  double von_mises_stress(const std::array<double, 6>& stress_voigt)
  {
    const double xx_yy = stress_voigt[0] - stress_voigt[1];
    const double yy_zz = stress_voigt[1] - stress_voigt[2];
    const double zz_xx = stress_voigt[2] - stress_voigt[0];
    const double shear_squared = stress_voigt[3] * stress_voigt[3] +
                                 stress_voigt[4] * stress_voigt[4] +
                                 stress_voigt[5] * stress_voigt[5];
    // 3 J2 in components; equals the principal-stress form because J2 is invariant.
    return std::sqrt(0.5 * (xx_yy * xx_yy + yy_zz * yy_zz + zz_xx * zz_xx) +
                     3.0 * shear_squared);
  }

  struct PeriodicSpectralThermalStress::Implementation
  {
    std::array<std::size_t, 3> point_count{};
    std::array<double, 3> spacing_nm{};
    std::size_t real_size = 0;
    std::size_t spectrum_size = 0;
    std::array<detail::AxisWaveNumbers, 3> axes;
    /// alpha - alpha_mean before the forward transform, one strain component after each inverse.
    detail::FftwArray<double> real;
    /// Fourier coefficients of Phi (normalised for the inverse transform).
    detail::FftwArray<std::complex<double>> potential;
    /// Spectrum of one strain component; destroyed by each inverse transform.
    detail::FftwArray<std::complex<double>> component;
    detail::FftwPlan forward;
    detail::FftwPlan inverse;
  };

  PeriodicSpectralThermalStress::PeriodicSpectralThermalStress(
    const std::array<std::size_t, 3>& point_count, const std::array<double, 3>& spacing_nm)
    : implementation_(std::make_unique<Implementation>())
  {
    for (std::size_t axis = 0; axis < 3; ++axis)
      {
        if (point_count[axis] == 0)
          throw std::invalid_argument(
            fmt::format("grid point count along {} must be at least 1, got 0", axis_names[axis]));
        if (!(std::isfinite(spacing_nm[axis]) && spacing_nm[axis] > 0.0))
          throw std::invalid_argument(
            fmt::format("grid spacing along {} must be positive and finite, got {:g} nm",
                        axis_names[axis], spacing_nm[axis]));
      }
    Implementation& state = *implementation_;
    state.point_count = point_count;
    state.spacing_nm = spacing_nm;
    state.real_size = point_count[0] * point_count[1] * point_count[2];
    state.spectrum_size = detail::half_spectrum_size(point_count);
    for (std::size_t axis = 0; axis < 3; ++axis)
      state.axes[axis] = detail::axis_wave_numbers(
        point_count[axis], static_cast<double>(point_count[axis]) * spacing_nm[axis], axis == 0);
    state.real = detail::allocate_fftw_array<double>(state.real_size);
    state.potential = detail::allocate_fftw_array<std::complex<double>>(state.spectrum_size);
    state.component = detail::allocate_fftw_array<std::complex<double>>(state.spectrum_size);
    state.forward = detail::make_forward_plan(point_count, state.real.get(), state.potential.get());
    state.inverse = detail::make_inverse_plan(point_count, state.component.get(), state.real.get());
  }

  PeriodicSpectralThermalStress::~PeriodicSpectralThermalStress() = default;
  PeriodicSpectralThermalStress::PeriodicSpectralThermalStress(
    PeriodicSpectralThermalStress&&) noexcept = default;
  PeriodicSpectralThermalStress&
  PeriodicSpectralThermalStress::operator=(PeriodicSpectralThermalStress&&) noexcept = default;

  const std::array<std::size_t, 3>& PeriodicSpectralThermalStress::point_count() const
  {
    return implementation_->point_count;
  }

  const std::array<double, 3>& PeriodicSpectralThermalStress::spacing_nm() const
  {
    return implementation_->spacing_nm;
  }

  ThermalStressField PeriodicSpectralThermalStress::solve(const std::vector<double>& alpha_per_K,
                                                          const double bulk_modulus_GPa,
                                                          const double shear_modulus_GPa,
                                                          const double temperature_change_K)
  {
    if (!implementation_)
      throw std::logic_error("PeriodicSpectralThermalStress used after being moved from");
    Implementation& state = *implementation_;
    if (alpha_per_K.size() != state.real_size)
      throw std::invalid_argument(fmt::format(
        "alpha has {} values but the {} x {} x {} grid has {} points", alpha_per_K.size(),
        state.point_count[0], state.point_count[1], state.point_count[2], state.real_size));
    for (std::size_t p = 0; p < alpha_per_K.size(); ++p)
      if (!std::isfinite(alpha_per_K[p]))
        throw std::invalid_argument(
          fmt::format("alpha at grid point {} is not finite ({} /K)", p, alpha_per_K[p]));
    require_positive_finite(bulk_modulus_GPa, "bulk modulus K", "GPa");
    require_positive_finite(shear_modulus_GPa, "shear modulus G", "GPa");
    if (!std::isfinite(temperature_change_K))
      throw std::invalid_argument(
        fmt::format("temperature change must be finite, got {} K", temperature_change_K));

    const double K = bulk_modulus_GPa;
    const double G = shear_modulus_GPa;
    const double dT = temperature_change_K;
    const double p_wave_modulus = K + 4.0 * G / 3.0;
    // Local volumetric strain per unit alpha fluctuation: the trace of eq. 7.
    const double dilatation_per_alpha = K * dT / p_wave_modulus;

    ThermalStressField field;
    field.mean_alpha_per_K = compensated_sum(alpha_per_K) / static_cast<double>(state.real_size);
    const double mean_alpha = field.mean_alpha_per_K;
    // Removing the mean before the transform keeps its round-off out of the fluctuation.
    for (std::size_t p = 0; p < state.real_size; ++p)
      state.real[p] = alpha_per_K[p] - mean_alpha;
    fftw_execute(state.forward.get());

    // Phi_hat = -K dT alpha_hat / ((K + 4G/3) |k|^2); the 1/N undoes FFTW's unnormalised
    // round trip once for all components.
    const std::size_t nx_half = state.point_count[0] / 2 + 1;
    const std::size_t ny = state.point_count[1];
    const std::size_t nz = state.point_count[2];
    const double potential_scale =
      -K * dT / (p_wave_modulus * static_cast<double>(state.real_size));
    const auto& kx = state.axes[0].wave_number_per_nm;
    const auto& ky = state.axes[1].wave_number_per_nm;
    const auto& kz = state.axes[2].wave_number_per_nm;
    for (std::size_t c = 0; c < nz; ++c)
      for (std::size_t b = 0; b < ny; ++b)
        for (std::size_t a = 0; a < nx_half; ++a)
          {
            const std::size_t m = a + nx_half * (b + ny * c);
            const double k_squared = kx[a] * kx[a] + ky[b] * ky[b] + kz[c] * kz[c];
            // k = 0 is the mean strain, carried separately (alpha_mean dT / 3 I).
            state.potential[m] =
              (k_squared > 0.0) ? state.potential[m] * (potential_scale / k_squared) : 0.0;
          }

    field.stress_GPa.assign(state.real_size, std::array<double, 6>{});
    for (const TransformedComponent& strain : transformed_components)
      {
        const detail::AxisWaveNumbers& first = state.axes[strain.first_axis];
        const detail::AxisWaveNumbers& second = state.axes[strain.second_axis];
        const bool shear = strain.first_axis != strain.second_axis;
        for (std::size_t c = 0; c < nz; ++c)
          for (std::size_t b = 0; b < ny; ++b)
            for (std::size_t a = 0; a < nx_half; ++a)
              {
                const std::array<std::size_t, 3> mode{a, b, c};
                const std::size_t i = mode[strain.first_axis];
                const std::size_t j = mode[strain.second_axis];
                const std::size_t m = a + nx_half * (b + ny * c);
                // Odd derivatives along a Nyquist axis vanish at the grid points (header).
                const bool odd_nyquist = shear && (first.is_nyquist[i] || second.is_nyquist[j]);
                state.component[m] =
                  odd_nyquist ? std::complex<double>(0.0)
                              : -(first.wave_number_per_nm[i] * second.wave_number_per_nm[j]) *
                                  state.potential[m];
              }
        fftw_execute(state.inverse.get());
        for (std::size_t p = 0; p < state.real_size; ++p)
          field.stress_GPa[p][strain.voigt] = state.real[p];
      }

    field.von_mises_GPa.resize(state.real_size);
    field.volumetric_strain.resize(state.real_size);
    for (std::size_t p = 0; p < state.real_size; ++p)
      {
        std::array<double, 6>& sigma = field.stress_GPa[p];
        const double alpha_fluctuation = alpha_per_K[p] - mean_alpha;
        const double dilatation = dilatation_per_alpha * alpha_fluctuation;
        const double strain_xx = sigma[0];
        const double strain_yy = sigma[1];
        const double strain_zz = dilatation - strain_xx - strain_yy;
        const double mean_part = K * (dilatation - alpha_fluctuation * dT) - 2.0 * G * dilatation / 3.0;
        sigma[0] = mean_part + 2.0 * G * strain_xx;
        sigma[1] = mean_part + 2.0 * G * strain_yy;
        sigma[2] = mean_part + 2.0 * G * strain_zz;
        sigma[3] *= 2.0 * G;
        sigma[4] *= 2.0 * G;
        sigma[5] *= 2.0 * G;
        field.von_mises_GPa[p] = von_mises_stress(sigma);
        field.volumetric_strain[p] = mean_alpha * dT + dilatation;
      }
    return field;
  }

  ThermalStressField solve_periodic_thermal_stress(const PeriodicGrid& alpha_per_K_grid,
                                                   const double bulk_modulus_GPa,
                                                   const double shear_modulus_GPa,
                                                   const double temperature_change_K)
  {
    PeriodicSpectralThermalStress solver(alpha_per_K_grid.point_count,
                                         alpha_per_K_grid.spacing_nm);
    return solver.solve(alpha_per_K_grid.values, bulk_modulus_GPa, shear_modulus_GPa,
                        temperature_change_K);
  }
} // namespace cryocycle::continuum
