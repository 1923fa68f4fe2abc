// The in-house EAM relaxation of carved frozen-matrix clusters against LAMMPS (independent
// method): forces, per-atom stresses and energy differences of the relaxed atoms of a cluster
// carved from a disordered Cu–Zr sample equal LAMMPS's eam/fs ones in the periodic sample, and
// the minimum the relaxer finds is one for LAMMPS too.
#include "atomistic/eam_tables.h"
#include "atomistic/frozen_density_relaxer.h"
#include "atomistic/frozen_matrix_cluster.h"
#include "atomistic/md_system.h"
#include "atomistic/potential_registry.h"
#include "tests/common/mpi_environment.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

using namespace cryocycle::atomistic;

namespace
{
  /// bar Å³ per eV as LAMMPS's metal units round it (nktv2p; the CODATA value is 1.602176634e6).
  constexpr double bar_A3_per_eV = 1.6021765e6;

  struct CarvedSample
  {
    AtomicConfiguration sample;
    CarvedCluster cluster;
    std::vector<double> positions;  ///< the cluster's atoms, relative to the site
    std::vector<int> types;         ///< 0-based
    std::vector<std::size_t> inner;
  };

  /// A 3 456-atom B2 Cu–Zr crystal, minimised, then every atom displaced by up to 0.15 Å
  /// (forces of order 1 eV/Å everywhere); the cluster r ≤ 4 Å + a 2 cut-off shell around a site.
  CarvedSample disordered_sample(LammpsSession &session, const PotentialModel &p, const double cutoff)
  {
    MdSystem system(session, p, MdSettings::for_potential(p));
    system.create_crystal(3456);
    system.minimise(true);
    CarvedSample c;
    c.sample = capture_configuration(session);
    std::mt19937_64 engine(5);
    std::uniform_real_distribution<double> shift(-0.15, 0.15);
    for (auto &x : c.sample.positions)
      x += shift(engine);
    session.scatter_positions(c.sample.positions);
    const auto &b = c.sample.box;
    const Vector3 site{b.low[0] + 13.1, b.low[1] + 9.4, b.low[2] + 21.7};
    c.cluster = carve_cluster(c.sample, PeriodicCell(b), site, 4.0, 4.0 + 2.0 * cutoff);
    for (std::size_t a = 0; a < c.cluster.atoms.size(); ++a)
      {
        c.positions.insert(c.positions.end(), c.cluster.offsets[a].begin(), c.cluster.offsets[a].end());
        c.types.push_back(c.sample.types[c.cluster.atoms[a]] - 1);
      }
    for (std::size_t a = 0; a < c.cluster.inner_count; ++a)
      c.inner.push_back(a);
    return c;
  }
} // namespace

TEST(FrozenDensityRelaxer, ForcesStressesAndEnergiesAreLammpsEamFs)
{
  // Reference: LAMMPS eam/fs on the periodic sample (same file). Tolerances: 1e-8 eV/Å on forces
  // of order 1 eV/Å, 1e-8 of the largest per-atom stress, 1e-8 eV on an energy change of order
  // 1 eV — rounding of two implementations of the same tabulated cubics.
  const auto p = builtin_potential_registry().create("cuzr_eam", PotentialSettings{});
  const double cutoff = interaction_range(p).cutoff;
  LammpsSession session(MPI_COMM_WORLD);
  auto c = disordered_sample(session, p, cutoff);
  session.commands({"compute cc_f all property/atom fx fy fz", "compute cc_s all stress/atom NULL virial",
                    "run 0 post no"});
  const auto lammps_forces = session.gather_per_atom("c_cc_f", 3);
  const auto lammps_stress = session.gather_per_atom("c_cc_s", 6);
  const double lammps_energy = session.thermo("pe");

  const auto tables = EamTables::read(p.required_files.at(0), "eam/fs", {"Cu", "Zr"});
  EXPECT_EQ(tables.cutoff(), cutoff);
  FrozenDensityRelaxer relaxer(tables, 1.0);
  double energy = 0.0;
  const auto forces = relaxer.forces(c.positions, c.types, c.inner, energy);
  ASSERT_GE(c.inner.size(), 10u);
  double largest_force = 0.0, largest_stress = 0.0;
  for (std::size_t k = 0; k < c.inner.size(); ++k)
    for (std::size_t d = 0; d < 6; ++d)
      largest_stress = std::max(largest_stress, std::abs(lammps_stress[6 * c.cluster.atoms[k] + d]));
  for (std::size_t k = 0; k < c.inner.size(); ++k)
    {
      const std::size_t atom = c.cluster.atoms[k];
      for (std::size_t d = 0; d < 3; ++d)
        {
          largest_force = std::max(largest_force, std::abs(lammps_forces[3 * atom + d]));
          EXPECT_NEAR(forces[3 * k + d], lammps_forces[3 * atom + d], 1e-8) << "atom " << k << " component " << d;
        }
      for (std::size_t d = 0; d < 6; ++d)
        EXPECT_NEAR(bar_A3_per_eV * relaxer.mobile_stress()[k][d], lammps_stress[6 * atom + d], 1e-8 * largest_stress)
          << "atom " << k << " component " << d;
    }
  EXPECT_GT(largest_force, 0.1);  // the disorder must load the atoms

  // Move the relaxed atoms; the energy changes alike.
  std::mt19937_64 engine(9);
  std::uniform_real_distribution<double> shift(-0.1, 0.1);
  auto moved_cluster = c.positions;
  auto moved_sample = c.sample.positions;
  for (std::size_t k = 0; k < c.inner.size(); ++k)
    for (std::size_t d = 0; d < 3; ++d)
      {
        const double u = shift(engine);
        moved_cluster[3 * k + d] += u;
        moved_sample[3 * c.cluster.atoms[k] + d] += u;
      }
  double moved_energy = 0.0;
  relaxer.forces(moved_cluster, c.types, c.inner, moved_energy);
  session.scatter_positions(moved_sample);
  session.command("run 0 post no");
  const double lammps_change = session.thermo("pe") - lammps_energy;
  std::cout << "energy change: relaxer " << moved_energy - energy << " eV, LAMMPS " << lammps_change << " eV\n";
  EXPECT_GT(std::abs(lammps_change), 0.1);
  EXPECT_NEAR(moved_energy - energy, lammps_change, 1e-8);
}

TEST(FrozenDensityRelaxer, ItsMinimaAreMinimaForLammps)
{
  // Reference: LAMMPS's forces at the relaxed positions. The relaxer stops at a force 2-norm
  // below 1e-6 eV/Å; LAMMPS must find the same norm (to the 1e-8 agreement of the forces above,
  // times √(3 × inner atoms)), while the disordered start had a norm of order 1 eV/Å.
  const auto p = builtin_potential_registry().create("cuzr_eam", PotentialSettings{});
  const double cutoff = interaction_range(p).cutoff;
  LammpsSession session(MPI_COMM_WORLD);
  auto c = disordered_sample(session, p, cutoff);
  const auto tables = EamTables::read(p.required_files.at(0), "eam/fs", {"Cu", "Zr"});
  FrozenDensityRelaxer relaxer(tables, 1.0);
  // Two iterations are not enough: reported as not converged, with the norm reached.
  auto stopped = c.positions;
  const auto early = relaxer.relax(stopped, c.types, c.inner, 1e-6, 2);
  EXPECT_FALSE(early.converged);
  EXPECT_EQ(early.iterations, 2u);
  EXPECT_GT(early.force_norm, 1e-6);
  auto relaxed = c.positions;
  const auto r = relaxer.relax(relaxed, c.types, c.inner, 1e-6, 10000);
  std::cout << r.iterations << " iterations, " << r.evaluations << " evaluations, force norm " << r.force_norm
            << " eV/Å\n";
  ASSERT_TRUE(r.converged);
  EXPECT_LT(r.force_norm, 1e-6);
  // Frozen atoms did not move.
  for (std::size_t a = c.inner.size(); a < c.cluster.atoms.size(); ++a)
    for (std::size_t d = 0; d < 3; ++d)
      ASSERT_EQ(relaxed[3 * a + d], c.positions[3 * a + d]);
  auto sample = c.sample.positions;
  double moved = 0.0;
  for (std::size_t k = 0; k < c.inner.size(); ++k)
    for (std::size_t d = 0; d < 3; ++d)
      {
        const double u = relaxed[3 * k + d] - c.positions[3 * k + d];
        moved = std::max(moved, std::abs(u));
        sample[3 * c.cluster.atoms[k] + d] += u;
      }
  EXPECT_GT(moved, 0.02);
  session.scatter_positions(sample);
  session.commands({"compute cc_f all property/atom fx fy fz", "run 0 post no"});
  const auto f = session.gather_per_atom("c_cc_f", 3);
  double norm2 = 0.0;
  for (std::size_t k = 0; k < c.inner.size(); ++k)
    for (std::size_t d = 0; d < 3; ++d)
      norm2 += f[3 * c.cluster.atoms[k] + d] * f[3 * c.cluster.atoms[k] + d];
  std::cout << "LAMMPS force norm on the relaxed atoms: " << std::sqrt(norm2) << " eV/Å\n";
  EXPECT_LT(std::sqrt(norm2), 1e-6 + 1e-8 * std::sqrt(3.0 * static_cast<double>(c.inner.size())));
}
