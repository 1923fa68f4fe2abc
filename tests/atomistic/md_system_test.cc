// MD driver physics: NVE energy conservation of the Wahnström LJ glass; the perfect crystals.
#include "atomistic/md_system.h"
#include "atomistic/potential_registry.h"
#include "core/random_stream.h"
#include "lj_test_system.h"
#include "tests/common/mpi_environment.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

using namespace cryocycle::atomistic;
using namespace cryocycle::testing;

TEST(MdSystem, NveEnergyDriftOfTheLjGlassIsBelowTheVerletBound)
{
  // Reference: conservation of total energy by velocity Verlet with the Derlet & Maaß (2021) step
  // (0.002778 τ) and the energy-shifted 2.5 σ cut-off. Bound: |E(t) − E(0)| below
  // 2e-4 ε/atom over 10^4 steps at T* ≈ 0.3 (the cut-off's force jump and round-off; a step twice
  // too long or a broken integrator exceeds it by orders of magnitude).
  const auto p = lj_potential();
  LammpsSession session(MPI_COMM_WORLD);
  MdSystem system(session, p, lj_settings(p));
  const auto folder = fresh_test_folder();
  auto q = lj_quench(p, 500, 0.8, 5.0, 0.1, 0.3);
  prepare_glass(system, q, folder / "g.data", folder / "g.restart", folder / "gi.data");
  system.read_restart(folder / "g.restart", 0.0);
  const auto steps_before = system.steps_run();
  double e0 = NAN, max_drift = 0.0, final_drift = 0.0;
  system.run_nve(10000 * system.settings().timestep_ps, 100 * system.settings().timestep_ps,
                 [&](const MdObservation &o) {
                   const double e = o.potential_energy_native_per_atom +
                                    session.thermo("ke") / static_cast<double>(system.atom_count());
                   if (std::isnan(e0))
                     e0 = e;
                   final_drift = e - e0;
                   max_drift = std::max(max_drift, std::abs(e - e0));
                 });
  EXPECT_EQ(system.steps_run() - steps_before, 10000);
  EXPECT_LT(max_drift, 2e-4) << "final drift " << final_drift << " ε/atom";
  RecordProperty("nve_max_drift_eps_per_atom", std::to_string(max_drift));
  std::cout << "NVE drift over 1e4 steps: max " << max_drift << " ε/atom, final " << final_drift << "\n";
}

TEST(MdSystem, BuildsThePerfectCrystalsOfBothPotentials)
{
  LammpsSession session(MPI_COMM_WORLD);
  {
    const auto p = lj_potential();
    MdSystem system(session, p, lj_settings(p));
    system.create_crystal(500);
    EXPECT_EQ(system.atom_count(), 500);  // fcc, 5³ cells
    // Reference: the lattice sum ½ Σ_j φ(r_j) of the shifted LJ over fcc neighbours within 2.5 σ
    // at a = 1.5415 σ, summed here independently of LAMMPS.
    const double a = 1.5415;
    const auto phi = [](double r) { return 4.0 * (std::pow(r, -12) - std::pow(r, -6)); };
    double lattice_sum = 0.0;
    for (int i = -4; i <= 4; ++i)
      for (int j = -4; j <= 4; ++j)
        for (int k = -4; k <= 4; ++k)
          if ((i + j + k) % 2 == 0 && (i != 0 || j != 0 || k != 0))
            {
              const double r = 0.5 * a * std::sqrt(double(i * i + j * j + k * k));
              if (r < 2.5)
                lattice_sum += 0.5 * (phi(r) - phi(2.5));
            }
    EXPECT_NEAR(system.observe().potential_energy_native_per_atom, lattice_sum, 1e-9);
    std::cout << "fcc LJ lattice energy " << lattice_sum << " ε/atom\n";
  }
  {
    const auto p = builtin_potential_registry().create("cuzr_eam", PotentialSettings{});
    MdSettings s;
    s.timestep_ps = p.default_timestep_ps;
    MdSystem system(session, p, s);
    system.create_crystal(250);
    EXPECT_EQ(system.atom_count(), 250);  // B2, 5³ cells, Cu and Zr
    const auto types = session.gather_types();
    EXPECT_EQ(std::count(types.begin(), types.end(), 1), 125);
    // Every Cu has 8 Zr nearest neighbours and vice versa (B2): the energy lies between the
    // cohesive energies of Cu (3.49 eV) and Zr (6.25 eV), bound per atom.
    const double e = system.minimise();
    std::cout << "B2 CuZr energy " << e << " eV/atom\n";
    EXPECT_GT(e, -6.25);
    EXPECT_LT(e, -3.49);
  }
}

TEST(MdSystem, RandomCuZrLiquidIsRedrawnWhenItsOverlapRemovalCollapses)
{
  // Regression: the plain random placement of 10 000 Cu–Zr atoms from this seed (the
  // random-liquid stream of run seed 7) puts atoms almost on top of each other; the overlap
  // removal sank them into the short-range well of the tabulated eam/fs (E ≈ −3.7e7 eV/atom,
  // largest force 6.9e12 eV/Å) and the melt then blew up. Reference: a liquid of this density
  // after overlap removal has forces of order 1 eV/Å and an energy near the glass's −4.9
  // eV/atom; bounds: largest force below 1e3 eV/Å, energy between −6 and 0 eV/atom.
  const auto p = builtin_potential_registry().create("cuzr_eam", PotentialSettings{});
  MdSettings s;
  s.timestep_ps = p.default_timestep_ps;
  LammpsSession session(MPI_COMM_WORLD);
  MdSystem system(session, p, s);
  system.create_random_liquid(10000, p.liquid_number_density_per_nm3,
                              cryocycle::core::stream_seed(7, "atomistic:random-liquid"));
  EXPECT_EQ(system.atom_count(), 10000);
  EXPECT_LT(session.thermo("fmax"), 1e3);
  const double e = session.thermo("pe") / 10000.0;
  EXPECT_GT(e, -6.0);
  EXPECT_LT(e, 0.0);
  std::cout << "random Cu–Zr liquid after overlap removal: " << e << " eV/atom, largest force "
            << session.thermo("fmax") << " eV/Å\n";
}
