#include "continuum/spectral/periodic_eigenstrain_solver.h"

#include "continuum/spectral/fftw_support.h"

#include <fmt/format.h>

#include <cmath>
#include <complex>
#include <stdexcept>

namespace cryocycle::continuum
{
  namespace
  {
    using Complex = std::complex<double>;
    using ComplexTensor = std::array<Complex, 6>;

    /// Index of component (i, j) in Voigt order xx, yy, zz, yz, xz, xy.
    constexpr std::size_t voigt(const std::size_t i, const std::size_t j)
    {
      if (i == j)
        return i;
      return 6 - i - j;  // (1,2)->3, (0,2)->4, (0,1)->5
    }

    /// σ̂ = C : sym(ξ ⊗ w) − τ̂ with w = (1/G)(t − c ξ (ξ·t)), t = τ̂ ξ (file comment of the header).
    ComplexTensor mode_response(const std::array<double, 3> &xi, const ComplexTensor &tau,
                                const double lambda, const double shear, const double c)
    {
      std::array<Complex, 3> t{};
      for (std::size_t i = 0; i < 3; ++i)
        for (std::size_t j = 0; j < 3; ++j)
          t[i] += tau[voigt(i, j)] * xi[j];
      const Complex xi_t = xi[0] * t[0] + xi[1] * t[1] + xi[2] * t[2];
      std::array<Complex, 3> w{};
      for (std::size_t i = 0; i < 3; ++i)
        w[i] = (t[i] - c * xi_t * xi[i]) / shear;
      const Complex trace = xi[0] * w[0] + xi[1] * w[1] + xi[2] * w[2];
      ComplexTensor sigma{};
      for (std::size_t i = 0; i < 3; ++i)
        for (std::size_t j = i; j < 3; ++j)
          {
            const Complex strain = 0.5 * (xi[i] * w[j] + xi[j] * w[i]);
            sigma[voigt(i, j)] = 2.0 * shear * strain + (i == j ? lambda * trace : Complex(0.0)) -
                                 tau[voigt(i, j)];
          }
      return sigma;
    }

    /// The 1-D factors of the q1_hexahedra symbol (header) for one wave number of one axis.
    struct Q1AxisFactor
    {
      Complex gradient;  ///< D = (e^{iξ} − 1)/h
      Complex mean;      ///< M = (1 + e^{iξ})/2
      double gradient2;  ///< |D|²
      double square;     ///< Q = (2 + cos ξ)/3
      double sine;       ///< sin ξ / h
    };

    Q1AxisFactor q1_axis_factor(const double xi, const double h)
    {
      const Complex phase = std::polar(1.0, xi);
      const Complex gradient = (phase - 1.0) / h;
      return {gradient, 0.5 * (1.0 + phase), std::norm(gradient), (2.0 + std::cos(xi)) / 3.0, std::sin(xi) / h};
    }

    /// σ̂ of the q1_hexahedra discretisation for a wave vector with the factors `axis` (not zero
    /// modulo 2π).
    ComplexTensor q1_mode_response(const std::array<const Q1AxisFactor *, 3> &axis, const ComplexTensor &tau,
                                   const double lambda, const double shear)
    {
      const std::array<Complex, 3> d{axis[0]->gradient, axis[1]->gradient, axis[2]->gradient};
      const std::array<Complex, 3> mean{axis[0]->mean, axis[1]->mean, axis[2]->mean};
      const std::array<double, 3> d2{axis[0]->gradient2, axis[1]->gradient2, axis[2]->gradient2};
      const std::array<double, 3> q{axis[0]->square, axis[1]->square, axis[2]->square};
      const std::array<double, 3> s{axis[0]->sine, axis[1]->sine, axis[2]->sine};
      const std::array<Complex, 3> b{d[0] * mean[1] * mean[2], mean[0] * d[1] * mean[2], mean[0] * mean[1] * d[2]};
      // Gauss-point stiffness per axis pair: G Σ_a |D_a|² Π_{c≠a} Q_c is common to the diagonal.
      const std::array<double, 3> gradient2{d2[0] * q[1] * q[2], q[0] * d2[1] * q[2], q[0] * q[1] * d2[2]};
      const double common = shear * (gradient2[0] + gradient2[1] + gradient2[2]);
      std::array<std::array<double, 3>, 3> a{};
      for (std::size_t i = 0; i < 3; ++i)
        for (std::size_t l = 0; l < 3; ++l)
          a[i][l] = i == l ? (lambda + shear) * gradient2[i] + common
                           : (lambda + shear) * s[i] * s[l] * q[3 - i - l];
      // Inverse of the symmetric 3 × 3 by cofactors.
      const double c00 = a[1][1] * a[2][2] - a[1][2] * a[2][1];
      const double c01 = a[1][2] * a[2][0] - a[1][0] * a[2][2];
      const double c02 = a[1][0] * a[2][1] - a[1][1] * a[2][0];
      const double c11 = a[0][0] * a[2][2] - a[0][2] * a[2][0];
      const double c12 = a[0][2] * a[1][0] - a[0][0] * a[1][2];
      const double c22 = a[0][0] * a[1][1] - a[0][1] * a[1][0];
      const double det = a[0][0] * c00 + a[0][1] * c01 + a[0][2] * c02;
      const std::array<std::array<double, 3>, 3> inverse{{{c00 / det, c01 / det, c02 / det},
                                                          {c01 / det, c11 / det, c12 / det},
                                                          {c02 / det, c12 / det, c22 / det}}};
      std::array<Complex, 3> f{};
      for (std::size_t i = 0; i < 3; ++i)
        for (std::size_t j = 0; j < 3; ++j)
          f[i] += tau[voigt(i, j)] * std::conj(b[j]);
      std::array<Complex, 3> u{};
      for (std::size_t i = 0; i < 3; ++i)
        for (std::size_t l = 0; l < 3; ++l)
          u[i] += inverse[i][l] * f[l];
      const Complex trace = b[0] * u[0] + b[1] * u[1] + b[2] * u[2];
      ComplexTensor sigma{};
      for (std::size_t i = 0; i < 3; ++i)
        for (std::size_t j = i; j < 3; ++j)
          sigma[voigt(i, j)] = shear * (b[i] * u[j] + b[j] * u[i]) +
                               (i == j ? lambda * trace : Complex(0.0)) - tau[voigt(i, j)];
      return sigma;
    }
  } // namespace

  const char *to_string(const FourierDiscretisation discretisation)
  {
    return discretisation == FourierDiscretisation::q1_hexahedra ? "q1_hexahedra" : "continuous";
  }

  struct PeriodicEigenstrainSolver::Implementation
  {
    std::array<std::size_t, 3> point_count{};
    std::size_t real_size = 0;
    std::size_t spectrum_size = 0;
    double bulk = 0.0;
    double shear = 0.0;
    FourierDiscretisation discretisation = FourierDiscretisation::q1_hexahedra;
    std::array<detail::AxisWaveNumbers, 3> axes;
    std::array<std::vector<Q1AxisFactor>, 3> q1_axes;  ///< per axis and stored wave number
    std::array<detail::FftwArray<double>, 6> real;
    std::array<detail::FftwArray<Complex>, 6> spectrum;
    detail::FftwPlan forward;
    detail::FftwPlan inverse;
    /// unit_response[r][6 c + i]: stress component i at displacement r (flat grid index) from a
    /// unit eigenstrain component c at point 0; empty until add_point_responses needs it.
    std::vector<std::array<double, 36>> unit_response;
  };

  PeriodicEigenstrainSolver::PeriodicEigenstrainSolver(const std::array<std::size_t, 3> &point_count,
                                                       const std::array<double, 3> &spacing_nm,
                                                       const double bulk_modulus_GPa,
                                                       const double shear_modulus_GPa,
                                                       const FourierDiscretisation discretisation)
    : implementation_(std::make_unique<Implementation>())
  {
    for (std::size_t a = 0; a < 3; ++a)
      {
        if (point_count[a] == 0)
          throw std::invalid_argument("every grid axis needs at least one point");
        if (!(spacing_nm[a] > 0.0) || !std::isfinite(spacing_nm[a]))
          throw std::invalid_argument(fmt::format("grid spacing must be positive, got {} nm", spacing_nm[a]));
      }
    if (!(bulk_modulus_GPa > 0.0) || !(shear_modulus_GPa > 0.0) || !std::isfinite(bulk_modulus_GPa) ||
        !std::isfinite(shear_modulus_GPa))
      throw std::invalid_argument("moduli must be positive and finite (GPa)");
    Implementation &s = *implementation_;
    s.point_count = point_count;
    s.real_size = point_count[0] * point_count[1] * point_count[2];
    s.spectrum_size = detail::half_spectrum_size(point_count);
    s.bulk = bulk_modulus_GPa;
    s.shear = shear_modulus_GPa;
    s.discretisation = discretisation;
    for (std::size_t a = 0; a < 3; ++a)
      s.axes[a] = detail::axis_wave_numbers(point_count[a],
                                            static_cast<double>(point_count[a]) * spacing_nm[a], a == 0);
    for (std::size_t a = 0; a < 3; ++a)
      for (const double k : s.axes[a].wave_number_per_nm)
        s.q1_axes[a].push_back(q1_axis_factor(k * spacing_nm[a], spacing_nm[a]));
    for (std::size_t c = 0; c < 6; ++c)
      {
        s.real[c] = detail::allocate_fftw_array<double>(s.real_size);
        s.spectrum[c] = detail::allocate_fftw_array<Complex>(s.spectrum_size);
      }
    s.forward = detail::make_forward_plan(point_count, s.real[0].get(), s.spectrum[0].get());
    s.inverse = detail::make_inverse_plan(point_count, s.spectrum[0].get(), s.real[0].get());
  }

  PeriodicEigenstrainSolver::~PeriodicEigenstrainSolver() = default;
  PeriodicEigenstrainSolver::PeriodicEigenstrainSolver(PeriodicEigenstrainSolver &&) noexcept = default;
  PeriodicEigenstrainSolver &PeriodicEigenstrainSolver::operator=(PeriodicEigenstrainSolver &&) noexcept = default;

  std::size_t PeriodicEigenstrainSolver::point_total() const { return implementation_->real_size; }

  const std::array<double, 36> *PeriodicEigenstrainSolver::unit_responses()
  {
    Implementation &s = *implementation_;
    if (s.unit_response.empty())
      {
        std::vector<SymmetricTensor6> unit(s.real_size, SymmetricTensor6{});
        std::vector<SymmetricTensor6> response;
        std::vector<std::array<double, 36>> table(s.real_size);
        for (std::size_t c = 0; c < 6; ++c)
          {
            unit[0] = SymmetricTensor6{};
            unit[0][c] = 1.0;
            solve(unit, response);
            for (std::size_t r = 0; r < s.real_size; ++r)
              for (std::size_t comp = 0; comp < 6; ++comp)
                table[r][6 * c + comp] = response[r][comp];
          }
        s.unit_response = std::move(table);
      }
    return s.unit_response.data();
  }

  std::size_t PeriodicEigenstrainSolver::point_response_bytes() const
  {
    return implementation_->unit_response.size() * sizeof(std::array<double, 36>);
  }

  namespace
  {
    /// target[i] += Σ_c d_c response[i][6c + ·] for i < count (one contiguous run of a row).
    void add_response_run(SymmetricTensor6 *target, const std::array<double, 36> *response,
                          const std::size_t count, const SymmetricTensor6 &d)
    {
      for (std::size_t i = 0; i < count; ++i)
        {
          const double *g = response[i].data();
          for (std::size_t comp = 0; comp < 6; ++comp)
            target[i][comp] += d[0] * g[comp] + d[1] * g[6 + comp] + d[2] * g[12 + comp] +
                               d[3] * g[18 + comp] + d[4] * g[24 + comp] + d[5] * g[30 + comp];
        }
    }
  } // namespace

  void PeriodicEigenstrainSolver::add_point_responses(const std::vector<std::size_t> &points,
                                                      const std::vector<SymmetricTensor6> &increments,
                                                      std::vector<SymmetricTensor6> &stress)
  {
    std::vector<std::size_t> planes(implementation_->point_count[2]);
    for (std::size_t k = 0; k < planes.size(); ++k)
      planes[k] = k;
    add_point_responses(points, increments, stress, planes);
  }

  void PeriodicEigenstrainSolver::add_point_responses(const std::vector<std::size_t> &points,
                                                      const std::vector<SymmetricTensor6> &increments,
                                                      std::vector<SymmetricTensor6> &stress,
                                                      const std::vector<std::size_t> &planes)
  {
    Implementation &s = *implementation_;
    if (points.size() != increments.size())
      throw std::invalid_argument(fmt::format("{} points for {} eigenstrain increments", points.size(),
                                              increments.size()));
    const std::size_t plane = s.point_count[0] * s.point_count[1];
    if (stress.size() != planes.size() * plane)
      throw std::invalid_argument(fmt::format("{} stresses for {} planes of {} points", stress.size(), planes.size(), plane));
    for (const std::size_t k : planes)
      if (k >= s.point_count[2])
        throw std::invalid_argument(fmt::format("plane {} of {}", k, s.point_count[2]));
    for (std::size_t j = 0; j < points.size(); ++j)
      {
        if (points[j] >= s.real_size)
          throw std::invalid_argument(fmt::format("grid point {} of {}", points[j], s.real_size));
        for (const double v : increments[j])
          if (!std::isfinite(v))
            throw std::invalid_argument(fmt::format("eigenstrain increment at grid point {} is not finite", points[j]));
      }
    if (points.empty())
      return;
    unit_responses();
    const std::size_t nx = s.point_count[0];
    const std::size_t ny = s.point_count[1];
    const std::size_t nz = s.point_count[2];
    for (std::size_t j = 0; j < points.size(); ++j)
      {
        const std::size_t sx = points[j] % nx;
        const std::size_t sy = (points[j] / nx) % ny;
        const std::size_t sz = points[j] / (nx * ny);
        for (std::size_t slot = 0; slot < planes.size(); ++slot)
          {
            const std::size_t rz = (planes[slot] + nz - sz) % nz;
            for (std::size_t y = 0; y < ny; ++y)
              {
                const std::size_t ry = (y + ny - sy) % ny;
                SymmetricTensor6 *row = stress.data() + nx * (y + ny * slot);
                const std::array<double, 36> *response = s.unit_response.data() + nx * (ry + ny * rz);
                // Displacement x − sx wraps once along the row: two contiguous runs.
                add_response_run(row + sx, response, nx - sx, increments[j]);
                add_response_run(row, response + (nx - sx), sx, increments[j]);
              }
          }
      }
  }

  void PeriodicEigenstrainSolver::solve(const std::vector<SymmetricTensor6> &eigenstrain,
                                        std::vector<SymmetricTensor6> &stress,
                                        const std::optional<SymmetricTensor6> &mean_strain)
  {
    Implementation &s = *implementation_;
    if (eigenstrain.size() != s.real_size)
      throw std::invalid_argument(fmt::format("{} eigenstrains for a grid of {} points",
                                              eigenstrain.size(), s.real_size));
    const double lambda = s.bulk - 2.0 * s.shear / 3.0;
    // τ = C : ε⁰ = λ tr ε⁰ I + 2G ε⁰.
    for (std::size_t p = 0; p < s.real_size; ++p)
      {
        const SymmetricTensor6 &e = eigenstrain[p];
        for (const double v : e)
          if (!std::isfinite(v))
            throw std::invalid_argument(fmt::format("eigenstrain at grid point {} is not finite", p));
        const double trace = e[0] + e[1] + e[2];
        for (std::size_t c = 0; c < 6; ++c)
          s.real[c][p] = 2.0 * s.shear * e[c] + (c < 3 ? lambda * trace : 0.0);
      }
    for (std::size_t c = 0; c < 6; ++c)
      fftw_execute_dft_r2c(s.forward.get(), s.real[c].get(),
                           reinterpret_cast<fftw_complex *>(s.spectrum[c].get()));

    const double c_factor = (s.bulk + s.shear / 3.0) / (s.bulk + 4.0 * s.shear / 3.0);
    const std::size_t nx_half = s.point_count[0] / 2 + 1;
    const std::size_t ny = s.point_count[1];
    const std::size_t nz = s.point_count[2];
    const auto &ax = s.axes;
    for (std::size_t kz = 0; kz < nz; ++kz)
      for (std::size_t ky = 0; ky < ny; ++ky)
        for (std::size_t kx = 0; kx < nx_half; ++kx)
          {
            const std::size_t m = kx + nx_half * (ky + ny * kz);
            ComplexTensor tau{};
            for (std::size_t c = 0; c < 6; ++c)
              tau[c] = s.spectrum[c][m];
            const std::array<double, 3> k{ax[0].wave_number_per_nm[kx], ax[1].wave_number_per_nm[ky],
                                          ax[2].wave_number_per_nm[kz]};
            const double norm = std::sqrt(k[0] * k[0] + k[1] * k[1] + k[2] * k[2]);
            ComplexTensor sigma{};
            if (norm == 0.0)
              {
                // Mean: zero mean stress, or C : E − mean τ (the coefficient is N · mean).
                if (mean_strain)
                  {
                    const auto &E = *mean_strain;
                    const double n = static_cast<double>(s.real_size);
                    const double trace = E[0] + E[1] + E[2];
                    for (std::size_t c = 0; c < 6; ++c)
                      sigma[c] = n * (2.0 * s.shear * E[c] + (c < 3 ? lambda * trace : 0.0)) - tau[c];
                  }
              }
            else if (s.discretisation == FourierDiscretisation::q1_hexahedra)
              sigma = q1_mode_response({&s.q1_axes[0][kx], &s.q1_axes[1][ky], &s.q1_axes[2][kz]}, tau, lambda,
                                       s.shear);
            else
              {
                const std::array<bool, 3> nyquist{ax[0].is_nyquist[kx], ax[1].is_nyquist[ky],
                                                  ax[2].is_nyquist[kz]};
                const std::array<double, 3> xi{k[0] / norm, k[1] / norm, k[2] / norm};
                if (!nyquist[0] && !nyquist[1] && !nyquist[2])
                  sigma = mode_response(xi, tau, lambda, s.shear, c_factor);
                else
                  {
                    // Average over the signs of the Nyquist components (header).
                    int variants = 0;
                    for (unsigned flips = 0; flips < 8; ++flips)
                      {
                        bool valid = true;
                        std::array<double, 3> flipped = xi;
                        for (std::size_t a = 0; a < 3; ++a)
                          if ((flips >> a) & 1U)
                            {
                              valid = valid && nyquist[a];
                              flipped[a] = -flipped[a];
                            }
                        if (!valid)
                          continue;
                        const ComplexTensor r = mode_response(flipped, tau, lambda, s.shear, c_factor);
                        for (std::size_t c = 0; c < 6; ++c)
                          sigma[c] += r[c];
                        ++variants;
                      }
                    for (auto &v : sigma)
                      v /= static_cast<double>(variants);
                  }
              }
            for (std::size_t c = 0; c < 6; ++c)
              s.spectrum[c][m] = sigma[c];
          }

    for (std::size_t c = 0; c < 6; ++c)
      fftw_execute_dft_c2r(s.inverse.get(), reinterpret_cast<fftw_complex *>(s.spectrum[c].get()),
                           s.real[c].get());
    const double scale = 1.0 / static_cast<double>(s.real_size);
    stress.resize(s.real_size);
    for (std::size_t p = 0; p < s.real_size; ++p)
      for (std::size_t c = 0; c < 6; ++c)
        stress[p][c] = s.real[c][p] * scale;
  }
} // namespace cryocycle::continuum
