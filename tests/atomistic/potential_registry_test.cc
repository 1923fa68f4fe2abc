// The potential registry and the built-in potentials' parameters (Shang et al. 2021; Derlet & Maaß 2021, 2020).
#include "atomistic/lammps_installation.h"
#include "atomistic/builtin_potentials.h"
#include "atomistic/potential_registry.h"

#include "atomistic/lammps_session.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace cryocycle::atomistic;

TEST(PotentialRegistry, ListsTheBuiltInPotentialsAndNamesTheKnownOnesWhenAskedForAnother)
{
  const auto &r = builtin_potential_registry();
  EXPECT_EQ(r.names(), (std::vector<std::string>{"wahnstrom_lj", "cuzr_eam", "lammps"}));
  try
    {
      r.create("nope", PotentialSettings{});
      FAIL() << "an unknown potential must be refused";
    }
  catch (const std::invalid_argument &e)
    {
      EXPECT_NE(std::string(e.what()).find("wahnstrom_lj, cuzr_eam, lammps"), std::string::npos) << e.what();
    }
  PotentialRegistry mine;
  register_builtin_potentials(mine);
  EXPECT_THROW(mine.add("cuzr_eam", "again", &make_cuzr_eam), std::logic_error);
}

TEST(PotentialRegistry, WahnstromParametersAreThoseOfDerletAndMaass)
{
  PotentialSettings s;
  s.fraction_type_1 = 0.5;
  const auto p = builtin_potential_registry().create("wahnstrom_lj", s);
  EXPECT_EQ(p.units.lammps_style(), "lj");
  ASSERT_EQ(p.species.size(), 2u);
  EXPECT_DOUBLE_EQ(p.species[0].mass_g_per_mol / p.species[1].mass_g_per_mol, 2.0);  // m1/m2 = 2
  EXPECT_DOUBLE_EQ(p.native_mass(0), 1.0);
  EXPECT_EQ(p.pair_commands[0], "pair_style lj/cut 2.5");  // cut-off 2.5 σ11
  EXPECT_EQ(p.pair_commands[2], "pair_coeff 2 2 1.0 0.8333333333");  // σ22 = 5/6 σ11
  EXPECT_EQ(p.pair_commands[3], "pair_coeff 1 2 1.0 0.9166666667");  // σ12 = 11/12 σ11
  // dt = 0.002778 σ11 √(m1/ε).
  EXPECT_NEAR(p.default_timestep_ps / p.units.ps_per_time(), 0.002778, 1e-12);
  // Derlet & Maaß (2020)'s volume per atom 0.767 σ³.
  EXPECT_NEAR(1.0 / (p.liquid_number_density_per_nm3 * std::pow(p.units.nm_per_length(), 3)), 0.767, 1e-12);
  s.fraction_type_1 = 1.5;
  EXPECT_THROW(builtin_potential_registry().create("wahnstrom_lj", s), std::invalid_argument);
}

TEST(PotentialRegistry, CuZrUsesTheDebianMendelevFileUnlessAnotherIsGiven)
{
  PotentialSettings s;
  auto p = builtin_potential_registry().create("cuzr_eam", s);
  EXPECT_EQ(p.units.lammps_style(), "metal");
  EXPECT_EQ(p.species[0].name, "Cu");
  EXPECT_EQ(p.species[1].name, "Zr");
  EXPECT_DOUBLE_EQ(p.default_timestep_ps, 0.002);  // Shang et al. (2021): 2 fs
  ASSERT_EQ(p.required_files.size(), 1u);
  EXPECT_EQ(p.required_files[0], default_potential_directory() / "CuZr_mm.eam.fs");
  // The path is quoted for LAMMPS ('#', '$' and blanks would otherwise change the command).
  EXPECT_EQ(p.pair_commands[1], "pair_coeff * * \"\"\"" + p.required_files[0].string() + "\"\"\" Cu Zr");
  EXPECT_EQ(lammps_words(p.pair_commands[1]),
            (std::vector<std::string>{"pair_coeff", "*", "*", p.required_files[0].string(), "Cu", "Zr"}));
  s.potential_file = "/somewhere/else.eam.fs";
  p = builtin_potential_registry().create("cuzr_eam", s);
  EXPECT_EQ(p.required_files[0], "/somewhere/else.eam.fs");
}

TEST(PotentialRegistry, GenericLammpsPotentialTakesTheUsersLines)
{
  PotentialSettings s;
  s.pair_style = "eam/alloy";
  s.pair_coeff = "* * my.eam.alloy Cu Zr\n";
  s.species_names = {"Cu", "Zr"};
  s.masses_g_per_mol = {63.546, 91.224};
  s.fractions = {0.64, 0.36};
  s.number_density_per_nm3 = 60.0;
  s.timestep_fs = 1.5;
  const auto p = builtin_potential_registry().create("lammps", s);
  EXPECT_EQ(p.pair_commands, (std::vector<std::string>{"pair_style eam/alloy", "pair_coeff * * my.eam.alloy Cu Zr"}));
  EXPECT_EQ(p.required_pair_styles, std::vector<std::string>{"eam/alloy"});
  EXPECT_DOUBLE_EQ(p.default_timestep_ps, 0.0015);
  s.fractions = {0.5, 0.6};
  EXPECT_THROW(builtin_potential_registry().create("lammps", s), std::invalid_argument);
}
