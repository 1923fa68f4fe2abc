// Local volumetric thermal expansion α(r) = ε_v(r)/ΔT (seed 000 eq. 3).
#include "atomistic/local_thermal_expansion.h"
#include "lj_test_system.h"
#include "mpi_environment.h"

#include <gtest/gtest.h>

#include <cmath>
#include <iostream>

using namespace cryocycle::atomistic;
using namespace cryocycle::testing;

namespace
{
  /// The protocol in reduced units: T1*, T2*, ramps/settling/anneal of 3 τ, averages over
  /// `average_tau`.
  LocalExpansionProtocol reduced_protocol(const PotentialModel &p, double t1, double t2, double average_tau,
                                          std::vector<double> sigmas)
  {
    const auto &u = p.units;
    LocalExpansionProtocol e;
    e.low_temperature_K = t1 * u.kelvin_per_temperature();
    e.high_temperature_K = t2 * u.kelvin_per_temperature();
    e.anneal_time_ps = 3.0 * u.ps_per_time();
    e.ramp_ps = 3.0 * u.ps_per_time();
    e.equilibration_ps = 3.0 * u.ps_per_time();
    e.averaging_ps = average_tau * u.ps_per_time();
    e.sample_interval_ps = 0.25 * u.ps_per_time();
    e.closure_tolerance = 2e-3;
    e.sigma_cg_native = std::move(sigmas);
    return e;
  }
} // namespace

TEST(LocalThermalExpansion, AveragerRemovesBoxFluctuationAndUnwrapsAcrossTheBoundary)
{
  // Reference: an atom vibrating about fractional (0.999, 0.5, 0.5) — half its samples wrapped
  // to the other side — in a box whose edge fluctuates ±1% about 10: the mean box edge is 10 and
  // the mean position is 0.999 · 10 exactly, up to a periodic image (the fractional mean is
  // taken, then the mean box).
  ConfigurationAverager averager;
  for (int i = 0; i < 4; ++i)
    {
      const double edge = 10.0 * (1.0 + (i % 2 == 0 ? 0.01 : -0.01));
      const double s = 0.999 + (i % 2 == 0 ? 0.002 : -0.002);
      const auto box = PeriodicBox::orthorhombic({0, 0, 0}, {edge, edge, edge});
      const double wrapped = s >= 1.0 ? s - 1.0 : s;
      averager.add(box, {wrapped * edge, 0.5 * edge, 0.5 * edge}, 10.0);
    }
  const auto a = averager.average();
  EXPECT_NEAR(a.box.edges[0][0], 10.0, 1e-12);
  EXPECT_NEAR(a.positions[0] - 10.0 * std::floor(a.positions[0] / 10.0), 9.99, 1e-12);
  EXPECT_NEAR(a.positions[1], 5.0, 1e-12);
  EXPECT_EQ(a.samples, 4u);
}

TEST(LocalThermalExpansion, PerfectCrystalExpandsUniformly)
{
  // A 500-atom fcc LJ crystal heated from T* = 0.005 to 0.1. Reference: a perfect crystal
  // expands uniformly, so every site's α must equal the macroscopic α of the box volumes. The
  // tolerance, 3% of α at every site, covers the residual of time-averaging the vibrations
  // over 20 τ (measured: 1% over 40 τ, 1.5% over 20 τ).
  const auto p = lj_potential();
  LammpsSession session(MPI_COMM_WORLD);
  MdSystem system(session, p, lj_settings(p));
  system.create_crystal(500);
  system.minimise(true);
  system.create_velocities(0.005 * p.units.kelvin_per_temperature(), 11);
  const auto protocol = reduced_protocol(p, 0.005, 0.1, 20.0, {1.5, 2.0});
  const auto r = measure_local_thermal_expansion(
    system, protocol, [](const PeriodicBox &box) { return regular_site_grid(box, {4, 4, 4}); });
  std::cout << "crystal: macroscopic α = " << r.macroscopic_alpha_per_K << " 1/K, loop closure "
            << r.loop_closure_relative << "\n";
  EXPECT_TRUE(r.loop_closed) << r.loop_closure_relative;
  EXPECT_GT(r.macroscopic_alpha_per_K, 0.0);
  ASSERT_EQ(r.widths.size(), 2u);
  for (const auto &w : r.widths)
    {
      double worst = 0.0;
      for (const double a : w.alpha_per_K)
        worst = std::max(worst, std::abs(a / r.macroscopic_alpha_per_K - 1.0));
      std::cout << "  σ_cg = " << w.sigma_cg_native << " σ: mean α = " << w.mean_per_K << ", std "
                << w.standard_deviation_per_K << ", worst relative deviation " << worst << "\n";
      EXPECT_LT(worst, 0.03);
      ASSERT_EQ(w.alpha_per_K.size(), 64u);
    }
}

TEST(LocalThermalExpansion, GlassMeanEqualsMacroscopicAndVarianceFallsWithWidth)
{
  // A 500-atom LJ glass, α between T* = 0.005 and 0.065 (1 K and 100 K of Cu–Zr scaled by
  // T_g: T_g* ≈ 0.45 ↔ 700 K). References: (1) the mean of local α over a regular grid equals
  // the macroscopic α of the box volumes of the same run — the periodic part of the displacement
  // averages out over the box; tolerance 10% of α (the grid samples the field at 125 points,
  // and det(I + ∇u) − 1 is not linear); (2) Var(α) decreases with σ_cg (seed 000 Fig. 1b).
  const auto p = lj_potential();
  const auto folder = fresh_test_folder();
  LammpsSession session(MPI_COMM_WORLD);
  MdSystem system(session, p, lj_settings(p));
  auto q = lj_quench(p, 500, 0.8, 5.0, 0.1, 0.065);
  prepare_glass(system, q, folder / "g.data", folder / "g.restart", folder / "gi.data");
  system.read_restart(folder / "g.restart", 0.0);
  auto protocol = reduced_protocol(p, 0.005, 0.065, 15.0, {1.2, 1.6, 2.2});
  // The fast-quenched glass is annealed at T* = 0.2 (below T_g* ≈ 0.45) so it no longer relaxes
  // between T1 and T2 (DESIGN.md: a TEC on a reversible path).
  protocol.anneal_temperature_K = 0.2 * p.units.kelvin_per_temperature();
  protocol.anneal_time_ps = 10.0 * p.units.ps_per_time();
  const auto r = measure_local_thermal_expansion(
    system, protocol, [](const PeriodicBox &box) { return regular_site_grid(box, {5, 5, 5}); });
  std::cout << "glass: macroscopic α = " << r.macroscopic_alpha_per_K << " 1/K (heating "
            << r.macroscopic_alpha_heating_per_K << "), loop closure " << r.loop_closure_relative << "\n";
  EXPECT_TRUE(r.loop_closed) << r.loop_closure_relative;
  EXPECT_GT(r.macroscopic_alpha_per_K, 0.0);
  double previous_variance = 1e300;
  for (const auto &w : r.widths)
    {
      std::cout << "  σ_cg = " << w.sigma_cg_native << " σ: mean α = " << w.mean_per_K << ", std "
                << w.standard_deviation_per_K << ", heating difference std " << w.heating_difference_std_per_K
                << "\n";
      EXPECT_NEAR(w.mean_per_K, r.macroscopic_alpha_per_K, 0.1 * r.macroscopic_alpha_per_K);
      const double variance = w.standard_deviation_per_K * w.standard_deviation_per_K;
      EXPECT_LT(variance, previous_variance) << "σ_cg = " << w.sigma_cg_native;
      previous_variance = variance;
    }
}
