// The reduced ↔ physical mapping of the Lennard-Jones units and the metal units, checked against
// hand calculations with CODATA 2018 constants.
#include "atomistic/unit_system.h"

#include <gtest/gtest.h>

#include <cmath>

using cryocycle::atomistic::UnitSystem;

TEST(UnitSystem, LennardJonesMappingFollowsTheDefinitions)
{
  // ε = 1 eV, σ = 3.2 Å, m = 91.224 g/mol (the wahnstrom_lj defaults).
  const auto u = UnitSystem::lennard_jones(1.0, 3.2, 91.224);
  EXPECT_EQ(u.lammps_style(), "lj");
  // T = T* ε/k_B: 1 eV / 8.617333262e-5 eV/K = 11604.518 K.
  EXPECT_NEAR(u.kelvin_per_temperature(), 11604.518, 1e-3);
  // τ = σ √(m/ε) = 3.2e-10 m · √(91.224e-3/6.02214076e23 kg / 1.602176634e-19 J).
  const double tau_s = 3.2e-10 * std::sqrt(91.224e-3 / 6.02214076e23 / 1.602176634e-19);
  EXPECT_NEAR(u.ps_per_time(), tau_s * 1e12, 1e-12);
  EXPECT_NEAR(u.ps_per_time(), 0.31115, 1e-4);
  // ε/σ³ = 1.602176634e-19 J / (3.2e-10 m)³ = 4.8895 GPa.
  EXPECT_NEAR(u.GPa_per_pressure(), 1.602176634e-19 / std::pow(3.2e-10, 3) * 1e-9, 1e-9);
  EXPECT_NEAR(u.nm_per_length(), 0.32, 1e-15);
  EXPECT_NEAR(u.volume_nm3(1.0), 0.032768, 1e-15);
  // Round trips at the edge.
  EXPECT_NEAR(u.temperature_native(u.kelvin_per_temperature() * 0.4), 0.4, 1e-14);
  EXPECT_NEAR(u.time_native(u.ps_per_time() * 7.0), 7.0, 1e-12);
  EXPECT_THROW(UnitSystem::lennard_jones(0.0, 3.2, 1.0), std::invalid_argument);
}

TEST(UnitSystem, MetalUnitsAreKelvinPicosecondAngstromBar)
{
  const auto u = UnitSystem::metal();
  EXPECT_EQ(u.lammps_style(), "metal");
  EXPECT_DOUBLE_EQ(u.kelvin_per_temperature(), 1.0);
  EXPECT_DOUBLE_EQ(u.ps_per_time(), 1.0);
  EXPECT_DOUBLE_EQ(u.nm_per_length(), 0.1);
  EXPECT_DOUBLE_EQ(u.GPa_per_pressure(), 1e-4);  // 1 bar = 1e5 Pa
  EXPECT_NEAR(u.volume_nm3(1000.0), 1.0, 1e-12);
}
