// Local elastic moduli from coarse-grained stress and strain (Shang et al. 2018 appendix).
#include "atomistic/local_elastic_moduli.h"
#include "lj_test_system.h"
#include "tests/common/mpi_environment.h"

#include <gtest/gtest.h>

#include <cmath>
#include <iostream>

using namespace cryocycle::atomistic;
using namespace cryocycle::testing;

TEST(LocalElasticModuli, IsotropicProjectionAndFitAreExact)
{
  // References: an isotropic stiffness (λ + 2G on the diagonal, λ off it, G for shear) projects
  // to its own K = λ + 2G/3 and G; a cubic one to the Voigt averages K = (C11 + 2 C12)/3,
  // G = (C11 − C12 + 3 C44)/5; fit_stiffness recovers a known C and σ₀ from 13 states to 1e-10.
  const double K = 140.0, G = 35.0, lambda = K - 2.0 * G / 3.0;
  Stiffness iso{};
  for (int a = 0; a < 3; ++a)
    {
      for (int b = 0; b < 3; ++b)
        iso[a][b] = lambda + (a == b ? 2.0 * G : 0.0);
      iso[a + 3][a + 3] = G;
    }
  auto m = isotropic_projection(iso);
  EXPECT_NEAR(m.bulk, K, 1e-12);
  EXPECT_NEAR(m.shear, G, 1e-12);
  Stiffness cubic{};
  for (int a = 0; a < 3; ++a)
    {
      for (int b = 0; b < 3; ++b)
        cubic[a][b] = a == b ? 170.0 : 120.0;
      cubic[a + 3][a + 3] = 75.0;
    }
  m = isotropic_projection(cubic);
  EXPECT_NEAR(m.bulk, (170.0 + 240.0) / 3.0, 1e-12);
  EXPECT_NEAR(m.shear, (170.0 - 120.0 + 225.0) / 5.0, 1e-12);

  std::vector<std::array<double, 6>> strains{{}}, stresses;
  for (int j = 0; j < 6; ++j)
    for (const double s : {1e-4, -1.3e-4})
      {
        std::array<double, 6> e{};
        e[j] = s;
        e[(j + 1) % 6] = 0.3 * s;  // not aligned with the axes
        strains.push_back(e);
      }
  for (const auto &e : strains)
    {
      std::array<double, 6> sigma{0.5, -0.2, 0.1, 0.0, 0.03, -0.04};
      for (int a = 0; a < 6; ++a)
        for (int b = 0; b < 6; ++b)
          sigma[a] += cubic[a][b] * e[b];
      stresses.push_back(sigma);
    }
  const auto fitted = fit_stiffness(strains, stresses);
  for (int a = 0; a < 6; ++a)
    for (int b = 0; b < 6; ++b)
      EXPECT_NEAR(fitted[a][b], cubic[a][b], 1e-8);
}

TEST(LocalElasticModuli, PerfectFccCrystalLocalModuliMatchTheWholeCrystal)
{
  // A 500-atom fcc LJ crystal at T = 0. References: (1) cubic symmetry of the whole-crystal
  // stiffness, C11 = C22 = C33, C12 = C13 = C23, C44 = C55 = C66 (to 1e-3 relative), and the
  // Cauchy relation C12 = C44 of central pair forces in a centrosymmetric crystal at zero
  // stress (Born & Huang), to 1e-3 relative; (2) every
  // site's K and G equal the whole crystal's within 2% (a perfect monatomic crystal deforms
  // affinely, so local and global responses coincide; the residual is the minimisation).
  const auto p = lj_potential();
  LammpsSession session(MPI_COMM_WORLD);
  MdSystem system(session, p, lj_settings(p));
  system.create_crystal(500);
  LocalModuliProtocol protocol;
  protocol.sigma_cg_native = {1.5, 2.0};
  const auto r = measure_local_elastic_moduli(
    system, protocol, [](const PeriodicBox &box) { return regular_site_grid(box, {3, 3, 3}); });
  const auto &c = r.box_stiffness;
  std::cout << "fcc LJ: C11 = " << c[0][0] << ", C12 = " << c[0][1] << ", C44 = " << c[3][3]
            << " ε/σ³; K = " << r.box_moduli.bulk << ", G = " << r.box_moduli.shear << "\n";
  for (int a = 0; a < 3; ++a)
    {
      EXPECT_NEAR(c[a][a], c[0][0], 1e-3 * c[0][0]);
      EXPECT_NEAR(c[a + 3][a + 3], c[3][3], 1e-3 * c[3][3]);
      EXPECT_NEAR(c[a][(a + 1) % 3], c[0][1], 1e-3 * c[0][1]);
    }
  EXPECT_NEAR(c[0][1], c[3][3], 1e-3 * c[3][3]);
  EXPECT_GT(c[0][0], c[0][1]);
  EXPECT_GT(r.box_moduli.shear, 0.0);
  for (const auto &w : r.widths)
    {
      std::cout << "  σ_cg = " << w.sigma_cg_native << ": K = " << w.mean.bulk << " ± " << w.standard_deviation.bulk
                << ", G = " << w.mean.shear << " ± " << w.standard_deviation.shear << "\n";
      ASSERT_EQ(w.moduli.size(), 27u);
      for (const auto &m : w.moduli)
        {
          EXPECT_NEAR(m.bulk, r.box_moduli.bulk, 0.02 * r.box_moduli.bulk);
          EXPECT_NEAR(m.shear, r.box_moduli.shear, 0.02 * r.box_moduli.shear);
        }
    }
}

TEST(LocalElasticModuli, GlassLocalModuliHaveSaneDistributions)
{
  // A 500-atom LJ glass. References: the mean local K and G agree with the whole-box K and G of
  // the same runs within 25% (sites sample the box; the local strain includes the non-affine
  // relaxation that softens the global G of a glass, Shang et al. (2018) ref. [9]); both means positive;
  // spreads finite and positive and shrinking as σ_cg grows.
  const auto p = lj_potential();
  const auto folder = fresh_test_folder();
  LammpsSession session(MPI_COMM_WORLD);
  MdSystem system(session, p, lj_settings(p));
  auto q = lj_quench(p, 500, 0.8, 5.0, 0.1, 0.05);
  prepare_glass(system, q, folder / "g.data", folder / "g.restart", folder / "gi.data");
  system.read_restart(folder / "g.restart", 0.0);
  LocalModuliProtocol protocol;
  protocol.sigma_cg_native = {1.2, 1.6, 2.2};
  const auto r = measure_local_elastic_moduli(
    system, protocol, [](const PeriodicBox &box) { return regular_site_grid(box, {4, 4, 4}); });
  std::cout << "glass: box K = " << r.box_moduli.bulk << ", G = " << r.box_moduli.shear << " ε/σ³\n";
  double previous_spread = 1e300;
  for (const auto &w : r.widths)
    {
      std::cout << "  σ_cg = " << w.sigma_cg_native << ": K = " << w.mean.bulk << " ± " << w.standard_deviation.bulk
                << ", G = " << w.mean.shear << " ± " << w.standard_deviation.shear << "\n";
      EXPECT_GT(w.mean.bulk, 0.0);
      EXPECT_GT(w.mean.shear, 0.0);
      EXPECT_NEAR(w.mean.bulk, r.box_moduli.bulk, 0.25 * r.box_moduli.bulk);
      EXPECT_NEAR(w.mean.shear, r.box_moduli.shear, 0.25 * r.box_moduli.shear);
      EXPECT_TRUE(std::isfinite(w.standard_deviation.shear));
      EXPECT_GT(w.standard_deviation.shear, 0.0);
      EXPECT_LT(w.standard_deviation.shear, previous_spread);
      previous_spread = w.standard_deviation.shear;
    }
}
