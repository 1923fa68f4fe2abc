// The Debian LAMMPS library cryocycle links must offer what the atomistic stage needs.
#include "atomistic/lammps_installation.h"

#include <gtest/gtest.h>

#include <algorithm>

using namespace cryocycle::atomistic;

TEST(LammpsInstallation, OffersMpiAndThePackagesOfBothPotentials)
{
  const auto info = lammps_installation();
  EXPECT_FALSE(info.version.empty());
  EXPECT_TRUE(info.mpi_support) << "the atomistic stage runs under mpirun";
  // eam/fs (Cu–Zr Mendelev) lives in MANYBODY; the LJ pair style is in the core of LAMMPS.
  EXPECT_TRUE(lammps_has_package("MANYBODY"));
  EXPECT_NE(std::find(info.packages.begin(), info.packages.end(), "MANYBODY"), info.packages.end());
  EXPECT_FALSE(lammps_has_package("NO_SUCH_PACKAGE"));
}

TEST(LammpsInstallation, ShipsTheCuZrPotentialFile)
{
  EXPECT_TRUE(std::filesystem::exists(default_potential_directory() / "CuZr_mm.eam.fs"));
}
