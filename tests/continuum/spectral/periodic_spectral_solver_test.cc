#include "continuum/spectral/periodic_spectral_solver.h"

#include "continuum/fields/periodic_random_field.h"

#include <fftw3.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <limits>
#include <ostream>
#include <stdexcept>
#include <string>

namespace
{
  using cryocycle::continuum::PeriodicSpectralThermalStress;
  using cryocycle::continuum::ThermalStressField;
  using Shape = std::array<std::size_t, 3>;
  using Spacing = std::array<double, 3>;
  using Voigt = std::array<double, 6>;

  constexpr double pi = 3.14159265358979323846;
  /// Voigt slot -> tensor axes, order xx, yy, zz, yz, xz, xy.
  constexpr std::array<std::array<std::size_t, 2>, 6> voigt_axes{
    {{0, 0}, {1, 1}, {2, 2}, {1, 2}, {0, 2}, {0, 1}}};

  /// CuZr-like moduli (GPa), a cooling step (K) and a volumetric TEC of metallic glass (1/K).
  struct Case
  {
    double K = 110.0;
    double G = 33.0;
    double dT = -200.0;
    double mean_alpha = 3.0e-5;
    double amplitude = 2.0e-6;
    double p_wave() const { return K + 4.0 * G / 3.0; }
    /// Stress scale K a |dT| against which tolerances are relative.
    double stress_scale() const { return K * amplitude * std::abs(dT); }
  };

  std::size_t total(const Shape& n) { return n[0] * n[1] * n[2]; }

  std::array<double, 3> position(const Shape& n, const Spacing& h, const std::size_t p)
  {
    return {static_cast<double>(p % n[0]) * h[0],
            static_cast<double>((p / n[0]) % n[1]) * h[1],
            static_cast<double>(p / (n[0] * n[1])) * h[2]};
  }

  std::array<double, 3> wave_vector(const Shape& n, const Spacing& h,
                                    const std::array<int, 3>& mode)
  {
    std::array<double, 3> k{};
    for (std::size_t a = 0; a < 3; ++a)
      k[a] = 2.0 * pi * mode[a] / (static_cast<double>(n[a]) * h[a]);
    return k;
  }

  /// Closed-form stress of alpha - alpha_mean = a cos(theta), theta = k.r + phase, derived from
  /// the model: Phi = -K dT a cos(theta) / ((K + 4G/3)|k|^2) solves (K + 4G/3) lap Phi =
  /// K dT (alpha - alpha_mean); eps_ij = d_i d_j Phi = k_i k_j/|k|^2 eps_v with
  /// eps_v = K dT a cos(theta)/(K + 4G/3); sigma_ij = K (eps_v - a cos(theta) dT) delta_ij +
  /// 2G (eps_ij - delta_ij eps_v/3).
  Voigt plane_wave_stress(const Case& c, const std::array<double, 3>& k, const double amplitude,
                          const double cos_theta)
  {
    const double k_squared = k[0] * k[0] + k[1] * k[1] + k[2] * k[2];
    const double dilatation = c.K * c.dT * amplitude * cos_theta / c.p_wave();
    Voigt sigma{};
    for (std::size_t v = 0; v < 6; ++v)
      {
        const auto [i, j] = voigt_axes[v];
        const double strain = k[i] * k[j] / k_squared * dilatation;
        sigma[v] = (i == j) ? c.K * (dilatation - amplitude * cos_theta * c.dT) +
                                2.0 * c.G * (strain - dilatation / 3.0)
                            : 2.0 * c.G * strain;
      }
    return sigma;
  }

  double max_abs_difference(const std::vector<Voigt>& computed, const std::vector<Voigt>& expected)
  {
    double worst = 0.0;
    for (std::size_t p = 0; p < computed.size(); ++p)
      for (std::size_t v = 0; v < 6; ++v)
        worst = std::max(worst, std::abs(computed[p][v] - expected[p][v]));
    return worst;
  }

  double max_abs(const std::vector<Voigt>& stress)
  {
    double largest = 0.0;
    for (const Voigt& sigma : stress)
      for (const double value : sigma)
        largest = std::max(largest, std::abs(value));
    return largest;
  }

  std::vector<double> random_alpha(const Shape& n, const Spacing& h, const Case& c,
                                   const std::uint64_t seed, const double correlation_length_nm)
  {
    cryocycle::continuum::GaussianRandomFieldSpec spec;
    spec.mean = c.mean_alpha;
    spec.standard_deviation = c.amplitude;
    spec.correlation_length_nm = correlation_length_nm;
    spec.seed = seed;
    return cryocycle::continuum::periodic_gaussian_random_field(n, h, spec);
  }

  const Shape box_shape{12, 10, 8};
  const Spacing box_spacing{0.3, 0.25, 0.4};
} // namespace

// Reference: Shang et al. (2018) eq. 7 has no source for uniform alpha, so sigma = 0 and the box expands
// freely, eps_v = alpha dT. Tolerance 1e-12 relative to K alpha |dT|.
TEST(PeriodicSpectralThermalStress, UniformAlphaGivesZeroStress)
{
  const Case c;
  PeriodicSpectralThermalStress solver(box_shape, box_spacing);
  const std::vector<double> alpha(total(box_shape), 3.1e-5);
  const ThermalStressField field = solver.solve(alpha, c.K, c.G, c.dT);
  const double scale = c.K * 3.1e-5 * std::abs(c.dT);
  EXPECT_LE(max_abs(field.stress_GPa), 1e-12 * scale);
  EXPECT_NEAR(field.mean_alpha_per_K, 3.1e-5, 1e-12 * 3.1e-5);
  for (std::size_t p = 0; p < alpha.size(); ++p)
    {
      EXPECT_LE(field.von_mises_GPa[p], 1e-12 * scale);
      EXPECT_NEAR(field.volumetric_strain[p], 3.1e-5 * c.dT, 1e-12 * 3.1e-5 * std::abs(c.dT));
    }
}

struct PlaneWave
{
  Shape shape;
  Spacing spacing;
  std::array<int, 3> mode;
  double phase;
};

/// Readable test names in GoogleTest output.
void PrintTo(const PlaneWave& wave, std::ostream* out)
{
  *out << wave.shape[0] << "x" << wave.shape[1] << "x" << wave.shape[2] << " grid, mode ("
       << wave.mode[0] << ", " << wave.mode[1] << ", " << wave.mode[2] << "), phase "
       << wave.phase;
}

class SingleMode : public ::testing::TestWithParam<PlaneWave>
{};

// Reference: plane_wave_stress, the closed-form solution of eq. 7 for one Fourier mode
// (derived above), at every grid point. Tolerance 1e-10 relative to K a |dT|.
TEST_P(SingleMode, MatchesClosedFormAtEveryGridPoint)
{
  const Case c;
  const PlaneWave wave = GetParam();
  const std::array<double, 3> k = wave_vector(wave.shape, wave.spacing, wave.mode);
  std::vector<double> alpha(total(wave.shape));
  std::vector<Voigt> expected(alpha.size());
  for (std::size_t p = 0; p < alpha.size(); ++p)
    {
      const auto r = position(wave.shape, wave.spacing, p);
      const double cos_theta = std::cos(k[0] * r[0] + k[1] * r[1] + k[2] * r[2] + wave.phase);
      alpha[p] = c.mean_alpha + c.amplitude * cos_theta;
      expected[p] = plane_wave_stress(c, k, c.amplitude, cos_theta);
    }
  PeriodicSpectralThermalStress solver(wave.shape, wave.spacing);
  const ThermalStressField field = solver.solve(alpha, c.K, c.G, c.dT);
  EXPECT_LE(max_abs_difference(field.stress_GPa, expected), 1e-10 * c.stress_scale());
  for (std::size_t p = 0; p < alpha.size(); ++p)
    EXPECT_NEAR(field.von_mises_GPa[p], cryocycle::von_mises_equivalent(expected[p]),
                1e-10 * c.stress_scale());
}

INSTANTIATE_TEST_SUITE_P(
  AxisAndObliqueModes, SingleMode,
  ::testing::Values(PlaneWave{box_shape, box_spacing, {2, 0, 0}, 0.3},
                    PlaneWave{box_shape, box_spacing, {0, 3, 0}, 0.0},
                    PlaneWave{box_shape, box_spacing, {0, 0, 1}, -1.1},
                    PlaneWave{box_shape, box_spacing, {1, 2, 0}, 0.7},
                    PlaneWave{box_shape, box_spacing, {1, 1, 1}, 0.0},
                    PlaneWave{box_shape, box_spacing, {-2, 1, 3}, 2.0},
                    PlaneWave{{15, 9, 11}, {0.2, 0.35, 0.3}, {4, -3, 5}, 0.4},
                    PlaneWave{{15, 9, 11}, {0.2, 0.35, 0.3}, {7, 4, 5}, 1.3}));

// Reference: the Nyquist convention of the solver (header). A Nyquist component is the cosine
// cos(pi x / h); alpha - alpha_mean = a cos(kx x) cos(ky y) cos(kz z) is the sum of the four
// plane waves (kx, +-ky, +-kz) with amplitude a/4, whose closed-form solutions are summed and
// sampled. Odd derivatives along a Nyquist axis (sin(pi x/h) = 0 at grid points) then vanish.
// Tolerance 1e-10 relative to K a |dT|.
TEST(PeriodicSpectralThermalStress, NyquistModesFollowTheCosineInterpolant)
{
  const Case c;
  const Shape shape{8, 6, 4};
  const Spacing h{0.3, 0.25, 0.4};
  for (const std::array<int, 3> mode :
       {std::array<int, 3>{4, 1, 0}, {4, 3, 2}, {1, 3, 0}, {2, 3, 1}, {4, 0, 2}})
    {
      const std::array<double, 3> k = wave_vector(shape, h, mode);
      std::vector<double> alpha(total(shape));
      std::vector<Voigt> expected(alpha.size(), Voigt{});
      for (std::size_t p = 0; p < alpha.size(); ++p)
        {
          const auto r = position(shape, h, p);
          alpha[p] = c.mean_alpha + c.amplitude * std::cos(k[0] * r[0]) * std::cos(k[1] * r[1]) *
                                      std::cos(k[2] * r[2]);
          for (const double sign_y : {1.0, -1.0})
            for (const double sign_z : {1.0, -1.0})
              {
                const std::array<double, 3> wave{k[0], sign_y * k[1], sign_z * k[2]};
                const double theta = wave[0] * r[0] + wave[1] * r[1] + wave[2] * r[2];
                const Voigt part = plane_wave_stress(c, wave, c.amplitude / 4.0, std::cos(theta));
                for (std::size_t v = 0; v < 6; ++v)
                  expected[p][v] += part[v];
              }
        }
      PeriodicSpectralThermalStress solver(shape, h);
      const ThermalStressField field = solver.solve(alpha, c.K, c.G, c.dT);
      EXPECT_LE(max_abs_difference(field.stress_GPa, expected), 1e-10 * c.stress_scale())
        << "mode (" << mode[0] << ", " << mode[1] << ", " << mode[2] << ")";
    }
}

// Reference: independent real-space solution of a laminate alpha(x_a) with arbitrary
// (discontinuous) layer values. Only eps_aa fluctuates; d sigma_aa / dx_a = 0 and zero mean give
// sigma_aa = 0, hence eps_aa = K dT dalpha / (K + 4G/3) and the in-plane stresses
// sigma_bb = sigma_cc = (K - 2G/3) eps_aa - K dalpha dT = -6 G K / (3K + 4G) dalpha dT, no shear.
// Tolerance 1e-12 relative to K a |dT| (the spectral solution of a 1-D profile is exact).
TEST(PeriodicSpectralThermalStress, LaminateMatchesRealSpaceSolution)
{
  const Case c;
  PeriodicSpectralThermalStress solver(box_shape, box_spacing);
  for (std::size_t axis = 0; axis < 3; ++axis)
    {
      std::vector<double> alpha(total(box_shape));
      for (std::size_t p = 0; p < alpha.size(); ++p)
        {
          const std::size_t layer = axis == 0 ? p % box_shape[0]
                                              : (axis == 1 ? (p / box_shape[0]) % box_shape[1]
                                                           : p / (box_shape[0] * box_shape[1]));
          // Irregular layer values, with a jump: a layered composite, not a smooth profile.
          const double jump = layer < 3 ? 1.0 : 0.0;
          alpha[p] =
            c.mean_alpha + c.amplitude * (std::sin(7.3 * static_cast<double>(layer)) + jump);
        }
      const ThermalStressField field = solver.solve(alpha, c.K, c.G, c.dT);
      const double in_plane_factor = -6.0 * c.G * c.K / (3.0 * c.K + 4.0 * c.G);
      double worst = 0.0;
      for (std::size_t p = 0; p < alpha.size(); ++p)
        for (std::size_t v = 0; v < 6; ++v)
          {
            const double dalpha = alpha[p] - field.mean_alpha_per_K;
            const bool in_plane = v < 3 && v != axis;
            const double expected = in_plane ? in_plane_factor * dalpha * c.dT : 0.0;
            worst = std::max(worst, std::abs(field.stress_GPa[p][v] - expected));
          }
      EXPECT_LE(worst, 1e-12 * c.stress_scale()) << "laminate normal to axis " << axis;
    }
}

// Reference: the trace of eq. 7 is local, lap Phi = K dT dalpha / (K + 4G/3), so the mean
// stress is -(4G/3) K / (K + 4G/3) dalpha dT and eps_v = alpha_mean dT + lap Phi at every point,
// for any alpha. Tolerance 1e-12 relative to K a |dT|.
TEST(PeriodicSpectralThermalStress, MeanStressAndDilatationAreLocal)
{
  const Case c;
  const std::vector<double> alpha = random_alpha(box_shape, box_spacing, c, 11, 0.5);
  PeriodicSpectralThermalStress solver(box_shape, box_spacing);
  const ThermalStressField field = solver.solve(alpha, c.K, c.G, c.dT);
  for (std::size_t p = 0; p < alpha.size(); ++p)
    {
      const double dalpha = alpha[p] - field.mean_alpha_per_K;
      const Voigt& s = field.stress_GPa[p];
      EXPECT_NEAR((s[0] + s[1] + s[2]) / 3.0,
                  -(4.0 * c.G / 3.0) * c.K / c.p_wave() * dalpha * c.dT,
                  1e-12 * c.stress_scale());
      EXPECT_NEAR(field.volumetric_strain[p],
                  field.mean_alpha_per_K * c.dT + c.K * c.dT * dalpha / c.p_wave(),
                  1e-12 * c.mean_alpha * std::abs(c.dT));
    }
}

// Reference: periodicity; shifting alpha circularly by whole grid steps shifts the solution
// identically. Tolerance 1e-12 relative to max |sigma|.
TEST(PeriodicSpectralThermalStress, TranslationShiftsStressIdentically)
{
  const Case c;
  const Shape& n = box_shape;
  const std::vector<double> alpha = random_alpha(n, box_spacing, c, 3, 0.45);
  const std::array<std::size_t, 3> shift{3, 5, 2};
  std::vector<double> shifted(alpha.size());
  const auto shifted_index = [&](const std::size_t p) {
    const std::size_t i = (p % n[0] + shift[0]) % n[0];
    const std::size_t j = ((p / n[0]) % n[1] + shift[1]) % n[1];
    const std::size_t k = (p / (n[0] * n[1]) + shift[2]) % n[2];
    return i + n[0] * (j + n[1] * k);
  };
  for (std::size_t p = 0; p < alpha.size(); ++p)
    shifted[shifted_index(p)] = alpha[p];
  PeriodicSpectralThermalStress solver(n, box_spacing);
  const ThermalStressField original = solver.solve(alpha, c.K, c.G, c.dT);
  const ThermalStressField moved = solver.solve(shifted, c.K, c.G, c.dT);
  const double tolerance = 1e-12 * max_abs(original.stress_GPa);
  for (std::size_t p = 0; p < alpha.size(); ++p)
    for (std::size_t v = 0; v < 6; ++v)
      ASSERT_NEAR(moved.stress_GPa[shifted_index(p)][v], original.stress_GPa[p][v], tolerance)
        << "point " << p << " component " << v;
}

// Reference: linearity of eq. 7 in dT and in alpha - alpha_mean, and the insensitivity to a
// uniform alpha offset. Tolerance 1e-12 relative to max |sigma|.
TEST(PeriodicSpectralThermalStress, StressIsLinearInTemperatureAndAlphaFluctuation)
{
  const Case c;
  const std::vector<double> first = random_alpha(box_shape, box_spacing, c, 5, 0.5);
  const std::vector<double> second = random_alpha(box_shape, box_spacing, c, 6, 0.8);
  PeriodicSpectralThermalStress solver(box_shape, box_spacing);
  const ThermalStressField base = solver.solve(first, c.K, c.G, c.dT);
  const double tolerance = 1e-12 * max_abs(base.stress_GPa);

  const ThermalStressField tripled_dT = solver.solve(first, c.K, c.G, 3.0 * c.dT);
  std::vector<double> scaled(first.size()), offset(first.size()), sum(first.size());
  for (std::size_t p = 0; p < first.size(); ++p)
    {
      scaled[p] = c.mean_alpha + 2.5 * (first[p] - c.mean_alpha);
      offset[p] = first[p] + 4.0e-5;
      sum[p] = first[p] + second[p];
    }
  const ThermalStressField scaled_field = solver.solve(scaled, c.K, c.G, c.dT);
  const ThermalStressField offset_field = solver.solve(offset, c.K, c.G, c.dT);
  const ThermalStressField sum_field = solver.solve(sum, c.K, c.G, c.dT);
  const ThermalStressField second_field = solver.solve(second, c.K, c.G, c.dT);
  for (std::size_t p = 0; p < first.size(); ++p)
    for (std::size_t v = 0; v < 6; ++v)
      {
        const double sigma = base.stress_GPa[p][v];
        EXPECT_NEAR(tripled_dT.stress_GPa[p][v], 3.0 * sigma, 3.0 * tolerance);
        EXPECT_NEAR(scaled_field.stress_GPa[p][v], 2.5 * sigma, 2.5 * tolerance);
        EXPECT_NEAR(offset_field.stress_GPa[p][v], sigma, tolerance);
        EXPECT_NEAR(sum_field.stress_GPa[p][v], sigma + second_field.stress_GPa[p][v],
                    2.0 * tolerance);
      }
}

// Reference: zero mean stress of the periodic box (the k = 0 mode carries only the free mean
// expansion). Tolerance 1e-13 relative to max |sigma| for each component's grid average.
TEST(PeriodicSpectralThermalStress, EachStressComponentHasZeroMean)
{
  const Case c;
  const std::vector<double> alpha = random_alpha(box_shape, box_spacing, c, 9, 0.6);
  PeriodicSpectralThermalStress solver(box_shape, box_spacing);
  const ThermalStressField field = solver.solve(alpha, c.K, c.G, c.dT);
  for (std::size_t v = 0; v < 6; ++v)
    {
      double sum = 0.0;
      for (const Voigt& sigma : field.stress_GPa)
        sum += sigma[v];
      EXPECT_LE(std::abs(sum / static_cast<double>(alpha.size())),
                1e-13 * max_abs(field.stress_GPa))
        << "component " << v;
    }
}

namespace
{
  /// Largest |i k_j sigma_hat_ij(k)| over the modes and i, relative to max |k| |sigma_hat|,
  /// from the test's own FFTW transforms of the returned stress (continuous wave numbers).
  /// Modes on a Nyquist plane are skipped: their sampled odd derivative is not defined.
  double relative_divergence(const Shape& n, const Spacing& h, const std::vector<Voigt>& stress)
  {
    const std::size_t nx_half = n[0] / 2 + 1;
    const std::size_t spectrum_size = nx_half * n[1] * n[2];
    std::vector<double> real(total(n));
    std::array<std::vector<std::complex<double>>, 6> spectra;
    for (std::size_t v = 0; v < 6; ++v)
      {
        for (std::size_t p = 0; p < real.size(); ++p)
          real[p] = stress[p][v];
        spectra[v].resize(spectrum_size);
        fftw_plan plan = fftw_plan_dft_r2c_3d(
          static_cast<int>(n[2]), static_cast<int>(n[1]), static_cast<int>(n[0]), real.data(),
          reinterpret_cast<fftw_complex*>(spectra[v].data()), FFTW_ESTIMATE);
        fftw_execute(plan);
        fftw_destroy_plan(plan);
      }
    const auto signed_index = [](const std::size_t m, const std::size_t count) {
      return 2 * m <= count ? static_cast<double>(m)
                            : static_cast<double>(m) - static_cast<double>(count);
    };
    const auto is_nyquist = [](const std::size_t m, const std::size_t count) {
      return count % 2 == 0 && 2 * m == count;
    };
    double worst_divergence = 0.0;
    double scale = 0.0;
    for (std::size_t c = 0; c < n[2]; ++c)
      for (std::size_t b = 0; b < n[1]; ++b)
        for (std::size_t a = 0; a < nx_half; ++a)
          {
            if (is_nyquist(a, n[0]) || is_nyquist(b, n[1]) || is_nyquist(c, n[2]))
              continue;
            const std::size_t m = a + nx_half * (b + n[1] * c);
            const std::array<double, 3> k{
              2.0 * pi * signed_index(a, n[0]) / (static_cast<double>(n[0]) * h[0]),
              2.0 * pi * signed_index(b, n[1]) / (static_cast<double>(n[1]) * h[1]),
              2.0 * pi * signed_index(c, n[2]) / (static_cast<double>(n[2]) * h[2])};
            const double k_norm = std::sqrt(k[0] * k[0] + k[1] * k[1] + k[2] * k[2]);
            std::array<std::complex<double>, 3> divergence{};
            for (std::size_t v = 0; v < 6; ++v)
              {
                const auto [i, j] = voigt_axes[v];
                divergence[i] += k[j] * spectra[v][m];
                if (i != j)
                  divergence[j] += k[i] * spectra[v][m];
                scale = std::max(scale, k_norm * std::abs(spectra[v][m]));
              }
            for (const auto& component : divergence)
              worst_divergence = std::max(worst_divergence, std::abs(component));
          }
    return worst_divergence / scale;
  }
} // namespace

// Reference: mechanical equilibrium div sigma = 0 (Shang et al. 2018 eq. 4 with the thermal term
// included in sigma), checked spectrally with an independent FFT of the returned stress, on an
// odd grid (every mode) and an even grid (Nyquist planes excluded, see relative_divergence).
// Tolerance 1e-12 relative to max |k| |sigma_hat|.
TEST(PeriodicSpectralThermalStress, StressIsInEquilibrium)
{
  const Case c;
  for (const auto& [shape, spacing] :
       {std::pair<Shape, Spacing>{{15, 13, 11}, {0.3, 0.25, 0.35}},
        std::pair<Shape, Spacing>{box_shape, box_spacing}})
    {
      const std::vector<double> alpha = random_alpha(shape, spacing, c, 21, 0.3);
      PeriodicSpectralThermalStress solver(shape, spacing);
      const ThermalStressField field = solver.solve(alpha, c.K, c.G, c.dT);
      EXPECT_LE(relative_divergence(shape, spacing, field.stress_GPa), 1e-12)
        << "grid " << shape[0] << " x " << shape[1] << " x " << shape[2];
    }
}

// Reference: the same inputs give bit-identical results, whether the solver is reused after
// another solve or a new one is planned (FFTW_ESTIMATE plans are deterministic). Exact.
TEST(PeriodicSpectralThermalStress, ResultsAreReproducibleAndSolverIsReusable)
{
  const Case c;
  const std::vector<double> alpha = random_alpha(box_shape, box_spacing, c, 1, 0.5);
  const std::vector<double> other = random_alpha(box_shape, box_spacing, c, 2, 0.5);
  PeriodicSpectralThermalStress solver(box_shape, box_spacing);
  const ThermalStressField first = solver.solve(alpha, c.K, c.G, c.dT);
  solver.solve(other, c.K, c.G, c.dT);
  const ThermalStressField again = solver.solve(alpha, c.K, c.G, c.dT);
  PeriodicSpectralThermalStress moved_solver = std::move(solver);
  const ThermalStressField after_move = moved_solver.solve(alpha, c.K, c.G, c.dT);
  const ThermalStressField fresh =
    PeriodicSpectralThermalStress(box_shape, box_spacing).solve(alpha, c.K, c.G, c.dT);
  EXPECT_EQ(first.stress_GPa, again.stress_GPa);
  EXPECT_EQ(first.stress_GPa, after_move.stress_GPa);
  EXPECT_EQ(first.stress_GPa, fresh.stress_GPa);
  EXPECT_EQ(first.von_mises_GPa, fresh.von_mises_GPa);

  // solve_into overwrites a field left from another solve with exactly solve()'s result.
  ThermalStressField reused = moved_solver.solve(other, c.K, c.G, 2.0 * c.dT);
  moved_solver.solve_into(alpha, c.K, c.G, c.dT, reused);
  EXPECT_EQ(first.stress_GPa, reused.stress_GPa);
  EXPECT_EQ(first.von_mises_GPa, reused.von_mises_GPa);
  EXPECT_EQ(first.volumetric_strain, reused.volumetric_strain);
  EXPECT_EQ(first.mean_alpha_per_K, reused.mean_alpha_per_K);

  cryocycle::continuum::PeriodicGrid grid =
    cryocycle::continuum::make_periodic_grid(box_shape, box_spacing);
  grid.values = alpha;
  const ThermalStressField convenience =
    cryocycle::continuum::solve_periodic_thermal_stress(grid, c.K, c.G, c.dT);
  EXPECT_EQ(first.stress_GPa, convenience.stress_GPa);
}

TEST(PeriodicSpectralThermalStress, InvalidInputIsRejectedWithItsName)
{
  const Case c;
  PeriodicSpectralThermalStress solver({4, 4, 4}, {0.5, 0.5, 0.5});
  const std::vector<double> alpha(64, 3e-5);
  const auto expect_message = [&](const std::vector<double>& a, const double K, const double G,
                                  const double dT, const std::string& fragment) {
    try
      {
        solver.solve(a, K, G, dT);
        ADD_FAILURE() << "accepted; expected an error mentioning '" << fragment << "'";
      }
    catch (const std::invalid_argument& error)
      {
        EXPECT_NE(std::string(error.what()).find(fragment), std::string::npos) << error.what();
      }
  };
  expect_message(std::vector<double>(63, 3e-5), c.K, c.G, c.dT,
                 "alpha has 63 values but the 4 x 4 x 4 grid has 64 points");
  std::vector<double> with_nan = alpha;
  with_nan[17] = std::numeric_limits<double>::quiet_NaN();
  expect_message(with_nan, c.K, c.G, c.dT, "alpha at grid point 17 is not finite");
  expect_message(alpha, -1.0, c.G, c.dT, "bulk modulus K must be positive and finite, got -1 GPa");
  expect_message(alpha, c.K, 0.0, c.dT, "shear modulus G must be positive and finite, got 0 GPa");
  expect_message(alpha, c.K, c.G, std::numeric_limits<double>::infinity(),
                 "temperature change must be finite");
  EXPECT_THROW(PeriodicSpectralThermalStress({4, 0, 4}, {0.5, 0.5, 0.5}), std::invalid_argument);
  EXPECT_THROW(PeriodicSpectralThermalStress({4, 4, 4}, {0.5, 0.0, 0.5}), std::invalid_argument);
}
