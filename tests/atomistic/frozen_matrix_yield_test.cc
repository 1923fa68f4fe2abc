// Frozen-matrix local yield stress on small Lennard-Jones systems: symmetry of a perfect crystal,
// every site of a glass measured, and carved batches against the whole box; on a disordered
// Cu–Zr crystal (eam/fs), the exclusion of far pairs against the plain method.
#include "atomistic/frozen_matrix_yield.h"
#include "atomistic/md_system.h"
#include "atomistic/potential_registry.h"
#include "lj_test_system.h"
#include "tests/common/mpi_environment.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <random>

using namespace cryocycle::atomistic;
using namespace cryocycle::testing;

namespace
{
  /// Settings shared by the tests (reduced LJ units): coarse step 4e-3, drops bracketed to 1e-5,
  /// falls below 2e-3 ε/σ³ (0.01 GPa with ε = 1 eV, σ = 3.2 Å) ignored, forces relaxed to 1e-5 ε/σ,
  /// kicks of 1e-4 σ.
  FrozenMatrixSettings lj_settings_for(const double inner_radius)
  {
    FrozenMatrixSettings s;
    s.inner_radius = inner_radius;
    s.search.strain_step = 4e-3;
    s.search.max_strain = 0.25;
    s.search.strain_precision = 1e-5;
    s.search.drop_tolerance = 2e-3;
    s.force_tolerance = 1e-5;
    s.kick_amplitude = 1e-4;
    return s;
  }

  /// A 1100-atom Wahnström glass quenched at 0.1 T*/τ to T* = 0.05 and minimised (its inherent
  /// structure; box side ≈ 9.5 σ), prepared once for the tests of this file.
  const AtomicConfiguration &lj_glass()
  {
    static const AtomicConfiguration glass = [] {
      const auto p = lj_potential();
      const auto folder = std::filesystem::temp_directory_path() / "cryocycle_frozen_matrix_glass";
      std::filesystem::create_directories(folder);
      LammpsSession session(MPI_COMM_WORLD);
      MdSystem system(session, p, lj_settings(p));
      auto q = lj_quench(p, 1100, 0.8, 5.0, 0.1, 0.05);
      q.seed = 11;
      prepare_glass(system, q, folder / "g.data", folder / "g.restart", folder / "gi.data");
      system.minimise(false);
      return capture_configuration(session);
    }();
    return glass;
  }
} // namespace

TEST(FrozenMatrixYield, SymmetryEquivalentModesOfAPerfectCrystalYieldAlike)
{
  // Reference: cubic symmetry. An fcc sphere centred on an atom has the full cubic point group;
  // the cyclic permutation x→y→z maps the shear xy onto yz (and yz onto zx), the mirror x → −x
  // maps +xy onto −xy. All six simple shears are therefore equivalent, and σ_y, the strain at
  // yield and the drop must agree across them. Tolerance: 1% of σ_y (the modes differ only by the
  // random kicks that let each leave the unstable affine branch, and by the bracket 1e-5).
  const auto p = lj_potential();
  LammpsSession session(MPI_COMM_WORLD);
  MdSystem system(session, p, lj_settings(p));
  system.create_crystal(1400);  // 7³ cells
  system.minimise(false);
  const auto crystal = capture_configuration(session);
  // r_c between the 4th and 5th neighbour shells (d² = n a²/2): no atom on the sphere.
  const double a = p.crystal->lattice_constant_native;
  auto settings = lj_settings_for(std::sqrt(4.5 / 2.0) * a);
  settings.search.max_strain = 0.3;
  const Vector3 on_atom = crystal.position(0);
  FrozenMatrixYieldTest test(session, p, settings);
  const auto sites = test.measure(crystal, {on_atom});
  ASSERT_EQ(sites.size(), 1u);
  const auto &site = sites.front();
  EXPECT_EQ(site.inner_atoms, 55u);  // 1 + 12 + 6 + 24 + 12
  ASSERT_EQ(site.modes.size(), 6u);
  for (std::size_t m = 0; m < 6; ++m)
    {
      const auto &r = site.modes[m];
      std::cout << settings.modes[m].name << ": σ_vm = " << r.von_mises << " ε/σ³ at γ = " << r.strain
                << ", τ drop " << r.resolved_drop() << ", " << r.minimisations << " minimisations\n";
      ASSERT_TRUE(r.yielded) << settings.modes[m].name;
    }
  const double reference = site.modes.front().von_mises;
  EXPECT_GT(reference, 0.5);
  for (const auto &r : site.modes)
    {
      EXPECT_NEAR(r.von_mises, reference, 0.01 * reference);
      EXPECT_NEAR(r.strain, site.modes.front().strain, 1e-3);
      EXPECT_EQ(r.kind, YieldKind::drop);
      EXPECT_GT(r.resolved_drop(), 0.1 * reference);
    }
}

TEST(FrozenMatrixYield, EveryGlassSiteHasAPositiveYieldStressOrIsReportedNotYielded)
{
  // Reference: the definition of the measurement. On a glass every mode either yields within the
  // strain range — a drop (τ falls by more than the tolerance across a bracket at most the strain
  // precision wide) or a smooth peak (τ falls by more than the tolerance below its maximum) — or
  // is reported not yielded at the largest strain; σ_vm > 0 at the yield point, and the site's
  // σ_y is the minimum over the yielded modes.
  const auto p = lj_potential();
  const auto &glass = lj_glass();
  LammpsSession session(MPI_COMM_WORLD);
  const auto settings = lj_settings_for(2.0);
  FrozenMatrixYieldTest test(session, p, settings);
  const auto sites_in = random_sites(glass.box, 3, 3);
  const auto sites = test.measure(glass, sites_in);
  const auto &stats = test.statistics();
  std::cout << "3 sites × 6 modes: " << stats.wall_seconds << " s, " << stats.minimisations << " minimisations, "
            << stats.mean_cluster_atoms << " atoms per cluster\n";
  ASSERT_EQ(sites.size(), 3u);
  for (const auto &site : sites)
    {
      EXPECT_GT(site.inner_atoms, 25u);
      ASSERT_EQ(site.modes.size(), 6u);
      for (const auto &r : site.modes)
        {
          EXPECT_GT(r.von_mises, 0.0);
          if (r.yielded)
            {
              EXPECT_GT(r.resolved - r.resolved_after, settings.search.drop_tolerance);
              EXPECT_NE(r.kind, YieldKind::none);
              if (r.kind == YieldKind::drop)
                EXPECT_LE(r.strain_after - r.strain, settings.search.strain_precision * (1 + 1e-9));
              else
                EXPECT_GT(r.strain_after, r.strain);
              EXPECT_GT(r.strain, 0.0);
              EXPECT_LT(r.strain, settings.search.max_strain);
            }
          else
            {
              EXPECT_EQ(r.kind, YieldKind::none);
              EXPECT_GE(r.strain, settings.search.max_strain * (1 - 1e-12));
            }
        }
      if (site.yielded())
        {
          const double sy = site.yield_stress();
          EXPECT_GT(sy, 0.0);
          for (const auto &r : site.modes)
            EXPECT_TRUE(!r.yielded || sy <= r.von_mises) << sy << " > " << r.von_mises;
          std::cout << "site σ_y = " << sy << " ε/σ³ (" << settings.modes[site.weakest_mode()].name << ", γ = "
                    << site.modes[site.weakest_mode()].strain << "), " << site.modes_yielded() << " modes yielded\n";
        }
    }
}

TEST(FrozenMatrixYield, CarvedBatchesGiveTheWholeBoxResult)
{
  // Reference: the whole periodic box, one site at a time (independent method). The carved
  // cluster holds every atom within r_c + cut-off of the sphere at the same relative positions,
  // so the forces on the relaxed atoms are the same; in a batch the conjugate-gradient line
  // searches are shared by the clusters, so the minimiser takes other paths to the same minima.
  // Tolerances: σ_vm within 1e-3 relative (minimiser tolerance, and the micro-events below the
  // drop tolerance whose end state depends on the path); the strain at yield within the bracket
  // for a drop, within one coarse step for a smooth peak (sampled at coarse steps).
  const auto p = lj_potential();
  const auto &glass = lj_glass();
  LammpsSession session(MPI_COMM_WORLD);
  auto settings = lj_settings_for(2.0);
  settings.modes = {simple_shear_mode(1, 2, -1.0),
                    loading_mode_from_strain_direction("pure_xx_yy", {1.0, -1.0, 0.0, 0.0, 0.0, 0.0})};
  const auto sites = random_sites(glass.box, 2, 5);
  settings.carve = false;
  FrozenMatrixYieldTest whole(session, p, settings);
  const auto alone = whole.measure(glass, sites);
  const double whole_seconds = whole.statistics().wall_seconds;
  settings.carve = true;
  settings.sites_per_batch = 8;  // both sites in one minimisation
  FrozenMatrixYieldTest carved(session, p, settings);
  const auto batched = carved.measure(glass, sites);
  std::cout << "whole box " << whole_seconds << " s, carved batch " << carved.statistics().wall_seconds << " s\n";
  ASSERT_EQ(alone.size(), batched.size());
  for (std::size_t i = 0; i < alone.size(); ++i)
    {
      EXPECT_EQ(alone[i].inner_atoms, batched[i].inner_atoms);
      for (std::size_t m = 0; m < settings.modes.size(); ++m)
        {
          const auto &w = alone[i].modes[m], &c = batched[i].modes[m];
          std::cout << "site " << i << " " << settings.modes[m].name << ": whole " << w.von_mises << " at " << w.strain
                    << ", carved " << c.von_mises << " at " << c.strain << "\n";
          ASSERT_EQ(w.kind, c.kind);
          EXPECT_NEAR(c.von_mises, w.von_mises, 1e-3 * w.von_mises);
          EXPECT_NEAR(c.strain, w.strain,
                      w.kind == YieldKind::drop ? 2.0 * settings.search.strain_precision
                                                : settings.search.strain_step * (1 + 1e-9));
        }
    }
}

TEST(FrozenMatrixYield, FarPairExclusionOfAnEamPotentialLeavesTheRelaxedAtomsAlone)
{
  // Reference: the same test without the exclusion (the plain method), in the whole box and in a
  // carved cluster. With eam/fs the pairs of two atoms beyond r_c + cut-off / λ_min of the site
  // are left out of the neighbour lists; such atoms are farther than a cut-off from every relaxed
  // atom, so the forces on the relaxed atoms, and with them the minima and the sphere's stress,
  // do not change. The minimiser sees another total energy (the far pairs' share is gone), so its
  // line searches may differ in rounding. Tolerance: 1e-7 of the stress (forces relaxed to
  // 1e-6 eV/Å; a reach shortened to 0.7 cut-off shifts the stresses by 1–3e-6). The exclusion
  // must be in effect: a fifth of the energy goes with it.
  const auto p = builtin_potential_registry().create("cuzr_eam", PotentialSettings{});
  LammpsSession session(MPI_COMM_WORLD);
  const auto disordered_crystal = [&](const std::int64_t atoms) {
    MdSystem system(session, p, MdSettings::for_potential(p));
    system.create_crystal(atoms);  // B2
    system.minimise(true);
    auto sample = capture_configuration(session);
    // Disorder the frozen surroundings and the sphere's start: 0.15 Å random displacements.
    std::mt19937_64 engine(3);
    std::uniform_real_distribution<double> shift(-0.15, 0.15);
    for (auto &x : sample.positions)
      x += shift(engine);
    return sample;
  };
  FrozenMatrixSettings settings;
  settings.inner_radius = 4.0;
  settings.modes = {simple_shear_mode(0, 1, 1.0)};
  settings.search.strain_step = 5e-3;
  settings.search.strain_precision = 5e-3;
  settings.search.max_strain = 0.02;
  // Whole box: 8³ cells (≈ 26 Å ≥ 2 r_c + 2 cut-off); carved: 12³ cells (≈ 39 Å ≥ 2 (r_c + 2 cut-off)).
  for (const auto &[carve, atoms] : {std::pair{false, std::int64_t{1024}}, std::pair{true, std::int64_t{3456}}})
    {
      const auto sample = disordered_crystal(atoms);
      settings.carve = carve;
      const std::vector<Vector3> sites = {
        {sample.box.low[0] + 7.3, sample.box.low[1] + 11.1, sample.box.low[2] + 3.9}};
      const auto run = [&](const bool exclude, std::vector<double> &von_mises) {
        settings.exclude_frozen_pairs = exclude;
        settings.relaxer = ClusterRelaxer::lammps;
        FrozenMatrixYieldTest test(session, p, settings);
        test.measure(sample, sites, {},
                     [&](std::size_t, std::size_t, double, double, double vm) { von_mises.push_back(vm); });
        const auto &stats = test.statistics();
        std::cout << (carve ? "carved, " : "whole box, ") << (exclude ? "far pairs excluded: " : "plain: ")
                  << stats.wall_seconds << " s, " << stats.mean_cluster_atoms << " atoms, " << stats.mean_far_atoms
                  << " beyond " << test.far_radius() << " Å, energy " << session.thermo("pe") << " eV\n";
        return std::pair{session.thermo("pe"), stats.mean_far_atoms};
      };
      std::vector<double> plain, excluded;
      const auto [plain_energy, plain_far] = run(false, plain);
      const auto [excluded_energy, far] = run(true, excluded);
      EXPECT_EQ(plain_far, 0.0);
      EXPECT_GT(far, 0.3 * static_cast<double>(sample.size()) * (carve ? 0.4 : 1.0));
      EXPECT_GT(excluded_energy - plain_energy, 0.2 * std::abs(plain_energy));
      ASSERT_EQ(plain.size(), excluded.size());
      ASSERT_GE(plain.size(), 5u);
      for (std::size_t i = 0; i < plain.size(); ++i)
        {
          std::cout << "  σ_vm " << plain[i] << " | " << excluded[i] << " bar, relative difference "
                    << std::abs(excluded[i] - plain[i]) / plain[i] << "\n";
          EXPECT_NEAR(excluded[i], plain[i], 1e-7 * plain[i]);
        }
      if (!carve)
        continue;
      // The in-house relaxation of the carved cluster (frozen_density_relaxer.h) against the plain
      // LAMMPS method: the same forces (frozen_density_relaxer_test) minimised by another
      // minimiser to the same force norm; tolerance 1e-6 of the stress (the minima agree to the
      // force tolerance over the stiffness, and the bar per eV/Å³ factors differ by 8e-8).
      settings.relaxer = ClusterRelaxer::frozen_density;
      FrozenMatrixYieldTest in_house(session, p, settings);
      std::vector<double> relaxed;
      in_house.measure(sample, sites, {},
                       [&](std::size_t, std::size_t, double, double, double vm) { relaxed.push_back(vm); });
      std::cout << "carved, in-house relaxation: " << in_house.statistics().wall_seconds << " s, "
                << in_house.statistics().evaluations << " force evaluations\n";
      EXPECT_TRUE(in_house.relaxes_in_house());
      EXPECT_GT(in_house.statistics().evaluations, 0.0);
      ASSERT_EQ(relaxed.size(), plain.size());
      for (std::size_t i = 0; i < plain.size(); ++i)
        EXPECT_NEAR(relaxed[i], plain[i], 1e-6 * plain[i]) << "minimisation " << i;
    }
}

TEST(FrozenMatrixYield, CarvedInHouseRelaxationOfAnEamSampleGivesTheWholeBoxResult)
{
  // Reference: the whole periodic box relaxed by LAMMPS, one site at a time (independent method
  // and minimiser). The sample is a 3 456-atom B2 Cu–Zr crystal with the atoms within 3 Å of
  // each of two sites removed, sheared until the spheres turn unstable (measured: smooth peaks
  // at γ = 0.248 and 0.288, where the minimiser leaves the branch; no abrupt drop up to 0.35). The carved clusters of both sites are relaxed in-house, in
  // one batch. Tolerances as for the LJ glass above: σ_vm within 1e-3 relative, strain at yield
  // within the bracket for a drop, within a coarse step for a peak.
  const auto p = builtin_potential_registry().create("cuzr_eam", PotentialSettings{});
  LammpsSession session(MPI_COMM_WORLD);
  AtomicConfiguration crystal;
  {
    MdSystem system(session, p, MdSettings::for_potential(p));
    system.create_crystal(3456);
    system.minimise(true);
    crystal = capture_configuration(session);
  }
  const auto &b = crystal.box;
  const std::vector<Vector3> sites = {{b.low[0] + 9.1, b.low[1] + 10.3, b.low[2] + 8.2},
                                      {b.low[0] + 29.4, b.low[1] + 27.9, b.low[2] + 30.6}};
  AtomicConfiguration sample;
  sample.box = b;
  const PeriodicCell cell(b);
  for (std::size_t a = 0; a < crystal.size(); ++a)
    {
      const auto x = crystal.position(a);
      const bool in_void = std::any_of(sites.begin(), sites.end(), [&](const Vector3 &s) {
        const auto d = cell.nearest_image({x[0] - s[0], x[1] - s[1], x[2] - s[2]});
        return d[0] * d[0] + d[1] * d[1] + d[2] * d[2] < 9.0;
      });
      if (in_void)
        continue;
      sample.positions.insert(sample.positions.end(), x.begin(), x.end());
      sample.types.push_back(crystal.types[a]);
    }
  ASSERT_LT(sample.size(), crystal.size());
  FrozenMatrixSettings settings;
  settings.inner_radius = 4.0;  // carving needs 2 (r_c + 2 × 7.6 Å) ≤ the 38.8 Å box
  settings.modes = {simple_shear_mode(0, 1, 1.0)};
  settings.search.strain_step = 4e-3;
  settings.search.max_strain = 0.35;
  settings.search.strain_precision = 1e-4;
  settings.search.drop_tolerance = p.units.pressure_native(0.01);
  settings.force_tolerance = 1e-5;
  settings.kick_amplitude = 3e-4;
  settings.carve = false;
  FrozenMatrixYieldTest whole(session, p, settings);
  const auto alone = whole.measure(sample, sites);
  settings.carve = true;
  settings.sites_per_batch = 2;
  FrozenMatrixYieldTest carved(session, p, settings);
  ASSERT_TRUE(carved.relaxes_in_house());
  const auto batched = carved.measure(sample, sites);
  std::cout << crystal.size() - sample.size() << " atoms removed; whole box " << whole.statistics().wall_seconds
            << " s, carved in-house batch " << carved.statistics().wall_seconds << " s\n";
  std::size_t yielded = 0;
  for (std::size_t i = 0; i < sites.size(); ++i)
    for (std::size_t m = 0; m < settings.modes.size(); ++m)
      {
        const auto &w = alone[i].modes[m], &c = batched[i].modes[m];
        std::cout << std::setprecision(10) << "site " << i << " " << settings.modes[m].name << ": whole " << w.von_mises << " bar at "
                  << w.strain << ", carved " << c.von_mises << " bar at " << c.strain << "\n";
        ASSERT_EQ(w.kind, c.kind);
        yielded += w.yielded;
        EXPECT_NEAR(c.von_mises, w.von_mises, 1e-3 * w.von_mises);
        EXPECT_NEAR(c.strain, w.strain,
                    w.kind == YieldKind::drop ? 2.0 * settings.search.strain_precision
                                              : settings.search.strain_step * (1 + 1e-9));
      }
  EXPECT_EQ(yielded, sites.size());  // the comparison must include the instabilities
}
