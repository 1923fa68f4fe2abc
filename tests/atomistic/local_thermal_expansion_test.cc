// Local volumetric thermal expansion α(r) = ε_v(r)/ΔT (Shang et al. 2018 eq. 3).
#include "atomistic/local_thermal_expansion.h"
#include "lj_test_system.h"
#include "tests/common/mpi_environment.h"

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
  // and det(I + ∇u) − 1 is not linear); (2) Var(α) decreases with σ_cg (Shang et al. 2018 Fig. 1b).
  const auto p = lj_potential();
  const auto folder = fresh_test_folder();
  LammpsSession session(MPI_COMM_WORLD);
  MdSystem system(session, p, lj_settings(p));
  auto q = lj_quench(p, 500, 0.8, 5.0, 0.1, 0.065);
  prepare_glass(system, q, folder / "g.data", folder / "g.restart", folder / "gi.data");
  system.read_restart(folder / "g.restart", 0.0);
  auto protocol = reduced_protocol(p, 0.005, 0.065, 15.0, {1.2, 1.6, 2.2});
  // The fast-quenched glass is annealed at T* = 0.2 (below T_g* ≈ 0.45) so it no longer relaxes
  // between T1 and T2 (docs/design.md: a TEC on a reversible path).
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

namespace
{
  /// A 500-atom LJ glass quenched to T* = 0.005 and annealed at T* = 0.2 for 10 τ, so it no
  /// longer relaxes between T1 and T2: what stays in the difference of two measurements is
  /// vibration.
  void annealed_lj_glass(MdSystem &system, const PotentialModel &p, const std::filesystem::path &folder)
  {
    auto q = lj_quench(p, 500, 0.8, 5.0, 0.1, 0.005);
    prepare_glass(system, q, folder / "g.data", folder / "g.restart", folder / "gi.data");
    system.read_restart(folder / "g.restart", 0.0);
    const double k = p.units.kelvin_per_temperature(), tau = p.units.ps_per_time();
    system.ramp(0.005 * k, 0.2 * k, 3.0 * tau, Ensemble::npt, Thermostat::nose_hoover, tau, {});
    system.ramp(0.2 * k, 0.2 * k, 10.0 * tau, Ensemble::npt, Thermostat::nose_hoover, tau, {});
    system.ramp(0.2 * k, 0.005 * k, 10.0 * tau, Ensemble::npt, Thermostat::nose_hoover, tau, {});
  }

  LocalExpansionProtocol snapshot_protocol(const PotentialModel &p, const int samples)
  {
    auto e = reduced_protocol(p, 0.005, 0.065, 1.0, {1.4});
    e.mode = LocalExpansionMode::snapshots;
    e.snapshot_samples = samples;
    e.sample_interval_ps = 2.0 * p.units.ps_per_time();
    return e;
  }
} // namespace

TEST(LocalThermalExpansion, SnapshotsAreSingleConfigurationsAndGiveTheBoxExpansionAtEverySiteOfAWideKernel)
{
  // The snapshots protocol (Shang, Guan & Barrat 2018) takes one configuration per state, and
  // its α is the strain between exactly those two configurations. Reference, computed by hand
  // from the two configurations' boxes: a kernel as wide as the box weighs every atom alike
  // (the periodic sum of Gaussians of σ = 0.8 L, cut at 8σ, varies by exp(−2π²·0.64) ≈ 3e-6 over the
  // box), so the non-affine part averages out and every site's α is (V_T2/V_T1 − 1)/ΔT;
  // tolerance 1e-3 relative.
  const auto p = lj_potential();
  const auto folder = fresh_test_folder();
  LammpsSession session(MPI_COMM_WORLD);
  MdSystem system(session, p, lj_settings(p));
  annealed_lj_glass(system, p, folder);
  auto protocol = snapshot_protocol(p, 1);
  const double edge = system.session().box().high[0] - system.session().box().low[0];
  protocol.sigma_cg_native = {0.8 * edge};
  protocol.truncation_sigmas = 8.0;
  const auto r = measure_local_thermal_expansion(
    system, protocol, [](const PeriodicBox &box) { return regular_site_grid(box, {2, 2, 2}); });
  EXPECT_EQ(r.cold.samples, 1u);
  EXPECT_EQ(r.hot.samples, 1u);
  ASSERT_TRUE(r.cold_repeat.has_value());
  const double by_hand = (r.hot.box.volume() / r.cold.box.volume() - 1.0) / r.delta_temperature_K;
  EXPECT_DOUBLE_EQ(r.macroscopic_alpha_per_K, (r.hot.volume() - r.cold.volume()) / (r.cold.volume() * r.delta_temperature_K));
  for (const double alpha : r.widths.at(0).alpha_per_K)
    EXPECT_NEAR(alpha, by_hand, 1e-3 * std::abs(by_hand));
}

TEST(LocalThermalExpansion, SnapshotNoiseFallsAsOneOverTheRootOfTheSamplesAveraged)
{
  // Two measurements of the same annealed glass differ mostly by vibration: the spread of their
  // difference over sites falls as 1/√n when each state is the mean of n configurations 2 τ
  // apart (vibrations decorrelate within that). Reference: the central-limit ratio √16 = 4
  // between n = 1 and n = 16; tolerance 2.8–5.5 (125 sites estimate each spread to about 6%;
  // samples 1 τ apart gave 6.6, their vibrations being anticorrelated at that lag). The two
  // fields correlate negatively (about −0.4 at n = 1 and at n = 16 here): a local rearrangement
  // while the glass is at T2 enters the first measurement (T1 → T2) with one sign and the repeat
  // (T2 → T1) with the other, so part of the difference is not vibration and does not average out.
  const auto p = lj_potential();
  const auto folder = fresh_test_folder();
  LammpsSession session(MPI_COMM_WORLD);
  MdSystem system(session, p, lj_settings(p));
  annealed_lj_glass(system, p, folder);
  const auto grid = [](const PeriodicBox &box) { return regular_site_grid(box, {5, 5, 5}); };
  const auto single = measure_local_thermal_expansion(system, snapshot_protocol(p, 1), grid);
  const auto averaged = measure_local_thermal_expansion(system, snapshot_protocol(p, 16), grid);
  const auto &w1 = single.widths.at(0);
  const auto &w16 = averaged.widths.at(0);
  std::cout << "snapshots: difference std " << w1.heating_difference_std_per_K << " (n = 1), "
            << w16.heating_difference_std_per_K << " (n = 16); correlation " << w1.repeat_correlation << ", "
            << w16.repeat_correlation << "\n";
  const double ratio = w1.heating_difference_std_per_K / w16.heating_difference_std_per_K;
  EXPECT_GT(ratio, 2.8);
  EXPECT_LT(ratio, 5.5);
}
