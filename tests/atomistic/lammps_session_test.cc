// The LAMMPS session: commands, values read back through the library API, error messages.
#include "atomistic/lammps_session.h"
#include "mpi_environment.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace cryocycle::atomistic;

TEST(LammpsSession, RunsCommandsAndReadsBackThroughTheLibraryApi)
{
  LammpsSession session(MPI_COMM_WORLD);
  session.commands({"units lj", "atom_style atomic", "atom_modify map array", "lattice fcc 1.0",
                    "region box block 0 3 0 3 0 3", "create_box 1 box", "create_atoms 1 box", "mass 1 1.0",
                    "pair_style lj/cut 2.5", "pair_coeff 1 1 1.0 1.0", "thermo_modify norm no", "run 0"});
  EXPECT_EQ(session.atom_count(), 108);  // 4 atoms × 3³ cells
  // Reduced density 1.0 of an fcc lattice: a = 4^(1/3), box side 3a.
  const auto box = session.box();
  EXPECT_NEAR(box.high[0] - box.low[0], 3.0 * std::cbrt(4.0), 1e-12);
  EXPECT_NEAR(session.thermo("vol"), 108.0, 1e-9);
  EXPECT_LT(session.thermo("pe"), 0.0);
  const auto x = session.gather_positions();
  ASSERT_EQ(x.size(), 3u * 108u);
  EXPECT_EQ(session.gather_types(), std::vector<int>(108, 1));
  EXPECT_TRUE(session.has_style("pair", "lj/cut"));
  EXPECT_FALSE(session.has_style("pair", "no/such/style"));
  EXPECT_EQ(session.history().back(), "run 0");
}

TEST(LammpsErrorCapture, FindsTheLammpsMessageAndTheLastCommand)
{
  const std::string screen = "LAMMPS (29 Sep 2021)\nCreated orthogonal box\n"
                             "ERROR: Unrecognized pair style 'nosuch' (src/force.cpp:278)\n"
                             "Last command: pair_style nosuch 2.5\n";
  EXPECT_EQ(LammpsErrorCapture::error_message(screen),
            "ERROR: Unrecognized pair style 'nosuch' (src/force.cpp:278) (Last command: pair_style nosuch 2.5)");
  EXPECT_EQ(LammpsErrorCapture::error_message("LAMMPS (29 Sep 2021)\nTotal wall time: 0:00:00\n"), "");
}

TEST(LammpsErrorCapture, KeepsLammpsOutputOffTheTerminal)
{
  {
    LammpsSession session(MPI_COMM_WORLD);
    session.commands({"units lj", "region box block 0 2 0 2 0 2", "create_box 1 box"});
  }
  // LAMMPS's banner and messages went to the capture (flushed when the session closed), not to
  // standard output.
  EXPECT_NE(LammpsErrorCapture::instance().captured_text().find("Created orthogonal box"), std::string::npos);
}
