// Goldhirsch–Goldenberg coarse graining (Shang et al. 2018 eq. 2): kernel, periodic neighbour search,
// exact strain of affine displacements, continuum limits.
#include "atomistic/coarse_graining.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <random>

using namespace cryocycle::atomistic;

namespace
{
  std::vector<double> random_positions(const PeriodicBox &box, std::size_t atoms, unsigned seed)
  {
    std::mt19937_64 engine(seed);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    std::vector<double> x;
    for (std::size_t i = 0; i < atoms; ++i)
      {
        const auto r = box.cartesian({unit(engine), unit(engine), unit(engine)});
        x.insert(x.end(), r.begin(), r.end());
      }
    return x;
  }

  /// Simple cubic lattice of spacing a filling n³ cells.
  std::vector<double> cubic_lattice(int n, double a)
  {
    std::vector<double> x;
    for (int k = 0; k < n; ++k)
      for (int j = 0; j < n; ++j)
        for (int i = 0; i < n; ++i)
          x.insert(x.end(), {(i + 0.25) * a, (j + 0.25) * a, (k + 0.25) * a});
    return x;
  }

  Vector3 times(const Matrix3 &m, const double *v)
  {
    return {m[0][0] * v[0] + m[0][1] * v[1] + m[0][2] * v[2], m[1][0] * v[0] + m[1][1] * v[1] + m[1][2] * v[2],
            m[2][0] * v[0] + m[2][1] * v[1] + m[2][2] * v[2]};
  }
} // namespace

TEST(CoarseGraining, KernelIsNormalisedContinuousAndItsGradientFactorIsItsDerivative)
{
  // References: ∫φ d³r = 1 by radial quadrature (Simpson, 20 000 intervals, error < 1e-12);
  // φ(r_cut) = 0; γ = φ'(s)/s against a central difference (relative 1e-6).
  for (const double t : {2.0, 3.0, 4.0})
    {
      const CoarseGrainingKernel k(1.7, t);
      const int n = 20000;
      const double h = k.cutoff() / n;
      double integral = 0.0;
      for (int i = 0; i <= n; ++i)
        {
          const double s = i * h;
          const double weight = (i == 0 || i == n) ? 1.0 : (i % 2 == 1 ? 4.0 : 2.0);
          integral += weight * 4.0 * M_PI * s * s * k.value(s * s);
        }
      integral *= h / 3.0;
      EXPECT_NEAR(integral, 1.0, 1e-10) << "truncation " << t;
      EXPECT_EQ(k.value(k.cutoff() * k.cutoff()), 0.0);
      EXPECT_NEAR(k.value(std::pow(k.cutoff() * (1 - 1e-9), 2)), 0.0, 1e-9 * k.value(0.0));
      for (const double s : {0.3, 1.0, 2.5})
        {
          const double e = 1e-5;
          const double derivative = (k.value((s + e) * (s + e)) - k.value((s - e) * (s - e))) / (2 * e);
          EXPECT_NEAR(k.gradient_factor(s * s), derivative / s, 1e-6 * std::abs(derivative / s));
        }
    }
  EXPECT_THROW(CoarseGrainingKernel(0.0), std::invalid_argument);
  EXPECT_THROW(CoarseGrainingKernel(1.0, 1.0), std::invalid_argument);
}

TEST(CoarseGraining, NeighbourSearchFindsEveryPeriodicImageLikeBruteForce)
{
  // Reference: brute force over images −3…3 in each direction. Small triclinic and
  // orthorhombic boxes whose widths are below twice the cut-off, so several images of one atom
  // are in range (the orthorhombic search also skips cells outside the sphere).
  for (const auto &box : {PeriodicBox::triclinic({-1.0, 0.5, 2.0}, {4.0, 5.0, 6.5}, 1.3, -0.8, 0.6),
                          PeriodicBox::orthorhombic({-1.0, 0.5, 2.0}, {9.0, 5.0, 6.5})})
    {
      const auto x = random_positions(box, 60, 3);
      const double cutoff = 3.1;
      const NeighbourSearch search(box, x, cutoff);
      std::mt19937_64 engine(9);
      std::uniform_real_distribution<double> unit(-0.5, 1.5);
      std::vector<Neighbour> found;
      for (int trial = 0; trial < 20; ++trial)
        {
          const Vector3 point = box.cartesian({unit(engine), unit(engine), unit(engine)});
          search.find(point, found);
          std::vector<std::pair<std::uint32_t, double>> expected, got;
          for (std::uint32_t i = 0; i < 60; ++i)
            for (int a = -3; a <= 3; ++a)
              for (int b = -3; b <= 3; ++b)
                for (int c = -3; c <= 3; ++c)
                  {
                    Vector3 d{};
                    for (int r = 0; r < 3; ++r)
                      d[r] = x[3 * i + r] + box.edges[r][0] * a + box.edges[r][1] * b + box.edges[r][2] * c - point[r];
                    const double r2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
                    if (r2 < cutoff * cutoff)
                      expected.emplace_back(i, r2);
                  }
          for (const auto &n : found)
            got.emplace_back(n.atom, n.distance2);
          std::sort(expected.begin(), expected.end());
          std::sort(got.begin(), got.end());
          ASSERT_EQ(got.size(), expected.size()) << "trial " << trial;
          for (std::size_t i = 0; i < got.size(); ++i)
            {
              EXPECT_EQ(got[i].first, expected[i].first);
              EXPECT_NEAR(got[i].second, expected[i].second, 1e-10);
            }
        }
    }
}

TEST(CoarseGraining, AffineDisplacementAcrossPeriodicBoundariesGivesTheAffineStrainAtEverySite)
{
  // Reference: the imposed displacement gradient E (not symmetric: a rotation part too) of an
  // affine deformation of box and atoms, x₂ = (I + E) x₁, with the deformed positions wrapped
  // back into the deformed box so many atoms cross a boundary. Every site of a 6³ grid, three
  // widths in one pass, orthorhombic and triclinic reference boxes: ∇u = E to 1e-10 (absolute;
  // |E| ≈ 1e-2), and the volume change det(I + E) − 1.
  const Matrix3 E{{{0.012, -0.004, 0.003}, {0.007, -0.009, 0.0025}, {-0.002, 0.005, 0.006}}};
  Matrix3 B = E;
  for (int i = 0; i < 3; ++i)
    B[i][i] += 1.0;
  const double det = B[0][0] * (B[1][1] * B[2][2] - B[1][2] * B[2][1]) -
                     B[0][1] * (B[1][0] * B[2][2] - B[1][2] * B[2][0]) + B[0][2] * (B[1][0] * B[2][1] - B[1][1] * B[2][0]);
  for (const bool triclinic : {false, true})
    {
      const auto box1 = triclinic ? PeriodicBox::triclinic({0.0, 0.0, 0.0}, {14.0, 13.0, 15.0}, 2.0, -1.5, 1.0)
                                  : PeriodicBox::orthorhombic({-3.0, 1.0, 0.0}, {11.0, 14.0, 15.0});
      const auto x1 = random_positions(box1, 2500, 5);
      PeriodicBox box2;
      box2.low = times(B, box1.low.data());
      for (int r = 0; r < 3; ++r)
        for (int c = 0; c < 3; ++c)
          for (int k = 0; k < 3; ++k)
            box2.edges[r][c] += B[r][k] * box1.edges[k][c];
      std::vector<double> x2(x1.size());
      for (std::size_t i = 0; i < x1.size() / 3; ++i)
        {
          const auto r = times(B, &x1[3 * i]);
          auto s = box2.fractional(r);
          for (auto &v : s)
            v -= std::floor(v);
          const auto wrapped = box2.cartesian(s);
          std::copy(wrapped.begin(), wrapped.end(), x2.begin() + 3 * i);
        }
      const auto split = affine_and_periodic_displacements(box1, x1, box2, x2);
      const std::vector<double> masses(x1.size() / 3, 1.0);
      const CoarseGraining cg(box1, x1, masses, {1.5, 2.0, 3.0});
      const auto sites = regular_site_grid(box1, {6, 6, 6});
      const auto fields = cg.displacement(sites, split.periodic, split.box_deformation);
      ASSERT_EQ(fields.size(), 3u);
      double worst = 0.0;
      for (const auto &width : fields)
        for (const auto &site : width)
          {
            for (int i = 0; i < 3; ++i)
              for (int j = 0; j < 3; ++j)
                worst = std::max(worst, std::abs(site.gradient[i][j] - E[i][j]));
            EXPECT_NEAR(site.volume_change(), det - 1.0, 1e-10);
            EXPECT_NEAR(site.volumetric_small_strain(), E[0][0] + E[1][1] + E[2][2], 1e-10);
          }
      EXPECT_LT(worst, 1e-10) << (triclinic ? "triclinic" : "orthorhombic");
      // The plain GG gradient is not exact on discrete atoms: E·(∂R/∂r), off by much more.
      double plain_error = 0.0;
      for (const auto &site : fields[0])
        for (int i = 0; i < 3; ++i)
          for (int j = 0; j < 3; ++j)
            plain_error = std::max(plain_error, std::abs(site.plain_gradient[i][j] - E[i][j]));
      EXPECT_GT(plain_error, 1e-6);
    }
}

TEST(CoarseGraining, DensePerfectLatticeReachesTheContinuumLimit)
{
  // References (continuum limits, checked on a simple cubic lattice of spacing a = 1 with
  // σ_cg = 2.5 a): Σφ = number density 1/a³ (to 1e-4); ∂R/∂r = I (the shifted kernel has no
  // surface term), so the plain GG gradient equals ∂u/∂R — to 1e-2 here: the kernel's kink at
  // the cut-off makes lattice sums converge slowly (5e-3 at 2.5 a, 1.2e-2 at 1.5 a);
  // the mass-weighted average of a constant field is that constant exactly; density() of the
  // per-atom volume a³ is 1.
  const int n = 12;
  const auto box = PeriodicBox::orthorhombic({0.0, 0.0, 0.0}, {12.0, 12.0, 12.0});
  const auto x = cubic_lattice(n, 1.0);
  const std::vector<double> masses(x.size() / 3, 2.0);
  const CoarseGraining cg(box, x, masses, {2.5});
  std::vector<Vector3> points{{0.1, 0.2, 0.3}, {5.5, 6.25, 7.7}, {11.9, 0.0, 3.3}};
  const std::vector<double> ones(x.size() / 3, 1.0);
  const auto density = cg.density(points, ones, 1);
  for (const double d : density[0])
    EXPECT_NEAR(d, 1.0, 1e-4) << "density";
  std::vector<double> constant;
  for (std::size_t i = 0; i < x.size() / 3; ++i)
    constant.insert(constant.end(), {3.5, -1.25});
  const auto average = cg.average(points, constant, 2);
  for (std::size_t p = 0; p < points.size(); ++p)
    {
      EXPECT_NEAR(average[0][2 * p], 3.5, 1e-13);
      EXPECT_NEAR(average[0][2 * p + 1], -1.25, 1e-13);
    }
  const std::vector<double> zero(x.size(), 0.0);
  const auto fields = cg.displacement(points, zero, identity_matrix());
  double worst = 0.0;
  for (const auto &site : fields[0])
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 3; ++j)
        {
          worst = std::max(worst, std::abs(site.position_gradient[i][j] - (i == j ? 1.0 : 0.0)));
          EXPECT_EQ(site.gradient[i][j], 0.0);
        }
  std::cout << "max |∂R/∂r − I| = " << worst << "\n";
  EXPECT_LT(worst, 1e-2);
}

TEST(CoarseGraining, SiteGridsAndSpacing)
{
  const auto box = PeriodicBox::orthorhombic({1.0, 2.0, 3.0}, {11.0, 7.0, 4.0});
  const auto grid = regular_site_grid(box, {5, 2, 1});
  ASSERT_EQ(grid.size(), 10u);
  EXPECT_DOUBLE_EQ(grid[0][0], 2.0);
  EXPECT_DOUBLE_EQ(grid[0][1], 3.25);
  EXPECT_DOUBLE_EQ(grid[0][2], 3.5);
  EXPECT_DOUBLE_EQ(grid[1][0], 4.0);  // first index fastest
  EXPECT_DOUBLE_EQ(grid[5][1], 5.75);
  const auto n = sites_per_edge_for_spacing(box, 2.4);
  EXPECT_EQ(n[0], 4);
  EXPECT_EQ(n[1], 2);
  EXPECT_EQ(n[2], 1);
  EXPECT_THROW(regular_site_grid(box, {0, 1, 1}), std::invalid_argument);
}
