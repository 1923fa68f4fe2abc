// Tests of the periodic Fourier eigenstrain solver against closed forms and against the
// independent thermal-stress solver.
#include "continuum/periodic_eigenstrain_solver.h"
#include "continuum/periodic_spectral_solver.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

using namespace cryocycle::continuum;

namespace
{
  constexpr double K = 108.92;
  constexpr double G = 26.47;
  const double pi = std::acos(-1.0);

  /// Position of grid point p (nm) on an n³ grid of spacing h.
  std::array<double, 3> position(const std::size_t p, const std::size_t n, const double h)
  {
    return {h * static_cast<double>(p % n), h * static_cast<double>((p / n) % n),
            h * static_cast<double>(p / (n * n))};
  }
} // namespace

TEST(PeriodicEigenstrainSolver, UniformEigenstrainIsFreeOrFullyConstrained)
{
  // Reference: a uniform ε* in a free periodic volume strains without stress; with the mean
  // strain held at zero the stress is −C : ε* everywhere.
  const std::size_t n = 8;
  PeriodicEigenstrainSolver solver({n, n, n}, {0.5, 0.5, 0.5}, K, G);
  const SymmetricTensor6 e{0.01, -0.004, 0.002, 0.003, -0.001, 0.005};
  std::vector<SymmetricTensor6> eigen(n * n * n, e);
  std::vector<SymmetricTensor6> stress;
  solver.solve(eigen, stress);
  for (const auto &s : stress)
    for (const double v : s)
      EXPECT_NEAR(v, 0.0, 1e-12);
  solver.solve(eigen, stress, SymmetricTensor6{0, 0, 0, 0, 0, 0});
  const double lambda = K - 2.0 * G / 3.0;
  const double trace = e[0] + e[1] + e[2];
  for (const auto &s : stress)
    for (std::size_t c = 0; c < 6; ++c)
      EXPECT_NEAR(s[c], -(2.0 * G * e[c] + (c < 3 ? lambda * trace : 0.0)), 1e-12);
}

TEST(PeriodicEigenstrainSolver, LaminatesMatchTheirClosedForms)
{
  // References (one Fourier mode, exact on the grid):
  //  - dilatational ε* = e cos(2πx/L) I: σ_xx = 0, σ_yy = σ_zz = −6KG/(K + 4G/3) e cos(2πx/L);
  //  - shear ε*_xy = e cos(2πz/L) (incompatible): σ_xy = −2G e cos(2πz/L), all else 0;
  //  - shear ε*_xy = e cos(2πx/L) (compatible): no stress.
  const std::size_t n = 16;
  const double h = 0.25;
  const double L = static_cast<double>(n) * h;
  const double e = 0.01;
  PeriodicEigenstrainSolver solver({n, n, n}, {h, h, h}, K, G);
  std::vector<SymmetricTensor6> dilatation(n * n * n), shear_z(n * n * n), shear_x(n * n * n);
  for (std::size_t p = 0; p < n * n * n; ++p)
    {
      const auto x = position(p, n, h);
      const double cx = std::cos(2.0 * pi * x[0] / L);
      const double cz = std::cos(2.0 * pi * x[2] / L);
      dilatation[p] = {e * cx, e * cx, e * cx, 0, 0, 0};
      shear_z[p] = {0, 0, 0, 0, 0, e * cz};
      shear_x[p] = {0, 0, 0, 0, 0, e * cx};
    }
  std::vector<SymmetricTensor6> stress;
  solver.solve(dilatation, stress);
  const double lateral = -6.0 * K * G / (K + 4.0 * G / 3.0) * e;
  for (std::size_t p = 0; p < stress.size(); ++p)
    {
      const double cx = std::cos(2.0 * pi * position(p, n, h)[0] / L);
      EXPECT_NEAR(stress[p][0], 0.0, 1e-12);
      EXPECT_NEAR(stress[p][1], lateral * cx, 1e-12);
      EXPECT_NEAR(stress[p][2], lateral * cx, 1e-12);
      EXPECT_NEAR(stress[p][5], 0.0, 1e-12);
    }
  solver.solve(shear_z, stress);
  for (std::size_t p = 0; p < stress.size(); ++p)
    {
      const double cz = std::cos(2.0 * pi * position(p, n, h)[2] / L);
      for (std::size_t c = 0; c < 5; ++c)
        EXPECT_NEAR(stress[p][c], 0.0, 1e-12);
      EXPECT_NEAR(stress[p][5], -2.0 * G * e * cz, 1e-12);
    }
  solver.solve(shear_x, stress);
  for (const auto &s : stress)
    for (const double v : s)
      EXPECT_NEAR(v, 0.0, 1e-12);
}

TEST(PeriodicEigenstrainSolver, ThermalStrainAgreesWithTheThermalStressSolver)
{
  // Independent method: periodic_spectral_solver.h solves the same problem for ε⁰ = αΔT/3 I
  // through a scalar potential; on a white-noise α (every wave number, Nyquist included) the two
  // agree to round-off (1e-10 of the stress scale).
  const std::array<std::size_t, 3> n{12, 10, 8};
  const std::array<double, 3> h{0.5, 0.6, 0.7};
  const double dT = -100.0;
  std::mt19937_64 rng(9);
  std::normal_distribution<double> normal(3e-5, 2e-5);
  std::vector<double> alpha(n[0] * n[1] * n[2]);
  std::vector<SymmetricTensor6> thermal(alpha.size());
  for (std::size_t p = 0; p < alpha.size(); ++p)
    {
      alpha[p] = normal(rng);
      const double e = alpha[p] * dT / 3.0;
      thermal[p] = {e, e, e, 0, 0, 0};
    }
  PeriodicEigenstrainSolver solver(n, h, K, G);
  std::vector<SymmetricTensor6> stress;
  solver.solve(thermal, stress);
  PeriodicSpectralThermalStress reference(n, h);
  const auto expected = reference.solve(alpha, K, G, dT);
  const double scale = K * 2e-5 * 100.0;
  for (std::size_t p = 0; p < alpha.size(); ++p)
    for (std::size_t c = 0; c < 6; ++c)
      EXPECT_NEAR(stress[p][c], expected.stress_GPa[p][c], 1e-10 * scale) << "point " << p << " component " << c;
}

TEST(PeriodicEigenstrainSolver, SingleSiteShearIsSelfEquilibratedAndRejectsBadInput)
{
  // One sheared site (an ST event): the stress averages to zero over the free volume (mean
  // stress condition) and the site itself is unloaded along its shear (σ_xy < 0 for ε*_xy > 0).
  const std::size_t n = 8;
  PeriodicEigenstrainSolver solver({n, n, n}, {1, 1, 1}, K, G);
  std::vector<SymmetricTensor6> eigen(n * n * n, SymmetricTensor6{});
  eigen[100][5] = 0.02;
  std::vector<SymmetricTensor6> stress;
  solver.solve(eigen, stress);
  SymmetricTensor6 mean{};
  for (const auto &s : stress)
    for (std::size_t c = 0; c < 6; ++c)
      mean[c] += s[c] / static_cast<double>(stress.size());
  for (const double v : mean)
    EXPECT_NEAR(v, 0.0, 1e-13);
  EXPECT_LT(stress[100][5], -0.5 * 2.0 * G * 0.02);
  eigen[3][0] = std::nan("");
  EXPECT_THROW(solver.solve(eigen, stress), std::invalid_argument);
  EXPECT_THROW(solver.solve(std::vector<SymmetricTensor6>(5), stress), std::invalid_argument);
  EXPECT_THROW(PeriodicEigenstrainSolver({n, n, n}, {1, 1, 1}, K, 0.0), std::invalid_argument);
}
