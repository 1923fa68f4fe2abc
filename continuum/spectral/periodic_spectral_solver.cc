#include "continuum/spectral/periodic_spectral_solver.h"

#include "continuum/spectral/fftw_support.h"

#include <fmt/format.h>

#include <cmath>
#include <stdexcept>
#include <utility>

namespace cryocycle::continuum
{
  namespace
  {
    constexpr std::array<const char*, 3> axis_names{"x", "y", "z"};

    /// Axes of each strain component computed by an inverse transform: xx, yy, yz, xz, xy.
    /// zz is not transformed: it follows from the local trace (see the file comment of the
    /// header), which saves one of six inverse transforms.
    struct TransformedComponent
    {
      std::size_t first_axis;
      std::size_t second_axis;
    };
    constexpr std::array<TransformedComponent, 5> transformed_components{
      {{0, 0}, {1, 1}, {1, 2}, {0, 2}, {0, 1}}};

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

  struct PeriodicSpectralThermalStress::Implementation
  {
    std::array<std::size_t, 3> point_count{};
    std::array<double, 3> spacing_nm{};
    std::size_t real_size = 0;
    std::size_t spectrum_size = 0;
    std::array<detail::AxisWaveNumbers, 3> axes;
    /// One real buffer per transformed strain component (order of transformed_components);
    /// the first also holds alpha - alpha_mean for the forward transform. Separate buffers let
    /// the stress be assembled in one pass over the output instead of one per component.
    std::array<detail::FftwArray<double>, 5> strain;
    /// Fourier coefficients of Phi (normalised for the inverse transform).
    detail::FftwArray<std::complex<double>> potential;
    /// Spectrum of one strain component; destroyed by each inverse transform.
    detail::FftwArray<std::complex<double>> component;
    detail::FftwPlan forward;
    /// Planned on (component, strain[0]) and executed on each strain buffer: all buffers come
    /// from fftw_malloc and so share the alignment, as FFTW's new-array execute requires.
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
    for (auto& buffer : state.strain)
      buffer = detail::allocate_fftw_array<double>(state.real_size);
    state.potential = detail::allocate_fftw_array<std::complex<double>>(state.spectrum_size);
    state.component = detail::allocate_fftw_array<std::complex<double>>(state.spectrum_size);
    state.forward =
      detail::make_forward_plan(point_count, state.strain[0].get(), state.potential.get());
    state.inverse =
      detail::make_inverse_plan(point_count, state.component.get(), state.strain[0].get());
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
    ThermalStressField field;
    solve_into(alpha_per_K, bulk_modulus_GPa, shear_modulus_GPa, temperature_change_K, field);
    return field;
  }

  void PeriodicSpectralThermalStress::solve_into(const std::vector<double>& alpha_per_K,
                                                 const double bulk_modulus_GPa,
                                                 const double shear_modulus_GPa,
                                                 const double temperature_change_K,
                                                 ThermalStressField& field)
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

    const double mean_alpha =
      compensated_sum(alpha_per_K) / static_cast<double>(state.real_size);
    // Removing the mean before the transform keeps its round-off out of the fluctuation.
    double* const alpha_fluctuation = state.strain[0].get();
    for (std::size_t p = 0; p < state.real_size; ++p)
      alpha_fluctuation[p] = alpha_per_K[p] - mean_alpha;
    fftw_execute(state.forward.get());

    // With u = grad Phi, div sigma = 0 reads d_i[(K + 4G/3) lap Phi - K dT alpha] = 0 (the
    // deviatoric part contributes (4G/3) d_i lap Phi), so (K + 4G/3) lap Phi = K dT (alpha -
    // alpha_mean) and Phi_hat = -K dT alpha_hat / ((K + 4G/3) |k|^2). The 1/N undoes FFTW's
    // unnormalised round trip once for all components.
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
        {
          std::complex<double>* const row = state.potential.get() + nx_half * (b + ny * c);
          const double k_squared_yz = ky[b] * ky[b] + kz[c] * kz[c];
          for (std::size_t a = 0; a < nx_half; ++a)
            {
              const double k_squared = kx[a] * kx[a] + k_squared_yz;
              // k = 0 is the mean strain, carried separately (alpha_mean dT / 3 I).
              row[a] = (k_squared > 0.0) ? row[a] * (potential_scale / k_squared) : 0.0;
            }
        }

    for (std::size_t s = 0; s < transformed_components.size(); ++s)
      {
        const TransformedComponent& strain = transformed_components[s];
        const bool shear = strain.first_axis != strain.second_axis;
        // Wave-number factor -k_i k_j of this component; odd derivatives along a Nyquist axis
        // vanish at the grid points (header), so they are zero for shear components.
        const auto factor = [&](const std::size_t axis, const std::size_t index) {
          const detail::AxisWaveNumbers& wave = state.axes[axis];
          return (shear && wave.is_nyquist[index]) ? 0.0 : wave.wave_number_per_nm[index];
        };
        const auto uses = [&](const std::size_t axis) {
          return strain.first_axis == axis || strain.second_axis == axis;
        };
        for (std::size_t c = 0; c < nz; ++c)
          for (std::size_t b = 0; b < ny; ++b)
            {
              // Product of the y and z factors of this component (1 for an axis it does not
              // use; squared for a normal component along that axis).
              double yz_factor = 1.0;
              if (uses(1))
                yz_factor *= shear ? factor(1, b) : ky[b] * ky[b];
              if (uses(2))
                yz_factor *= shear ? factor(2, c) : kz[c] * kz[c];
              const std::size_t offset = nx_half * (b + ny * c);
              const std::complex<double>* const potential_row = state.potential.get() + offset;
              std::complex<double>* const component_row = state.component.get() + offset;
              for (std::size_t a = 0; a < nx_half; ++a)
                {
                  double x_factor = 1.0;
                  if (uses(0))
                    x_factor = shear ? factor(0, a) : kx[a] * kx[a];
                  component_row[a] = -(x_factor * yz_factor) * potential_row[a];
                }
            }
        fftw_execute_dft_c2r(state.inverse.get(),
                             reinterpret_cast<fftw_complex*>(state.component.get()),
                             state.strain[s].get());
      }

    field.mean_alpha_per_K = mean_alpha;
    field.stress_GPa.resize(state.real_size);
    field.von_mises_GPa.resize(state.real_size);
    field.volumetric_strain.resize(state.real_size);
    const double* const strain_xx = state.strain[0].get();
    const double* const strain_yy = state.strain[1].get();
    const double* const strain_yz = state.strain[2].get();
    const double* const strain_xz = state.strain[3].get();
    const double* const strain_xy = state.strain[4].get();
    for (std::size_t p = 0; p < state.real_size; ++p)
      {
        const double fluctuation = alpha_per_K[p] - mean_alpha;
        const double dilatation = dilatation_per_alpha * fluctuation;
        const double strain_zz = dilatation - strain_xx[p] - strain_yy[p];
        const double mean_part =
          K * (dilatation - fluctuation * dT) - 2.0 * G * dilatation / 3.0;
        std::array<double, 6>& sigma = field.stress_GPa[p];
        sigma[0] = mean_part + 2.0 * G * strain_xx[p];
        sigma[1] = mean_part + 2.0 * G * strain_yy[p];
        sigma[2] = mean_part + 2.0 * G * strain_zz;
        sigma[3] = 2.0 * G * strain_yz[p];
        sigma[4] = 2.0 * G * strain_xz[p];
        sigma[5] = 2.0 * G * strain_xy[p];
        field.von_mises_GPa[p] = von_mises_equivalent(sigma);
        field.volumetric_strain[p] = mean_alpha * dT + dilatation;
      }
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
