// The LAMMPS session: commands, values read back through the library API, error messages.
#include "atomistic/lammps_session.h"
#include "tests/common/mpi_environment.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

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

TEST(LammpsSession, GathersPerAtomComputesScattersPositionsAndCreatesAtoms)
{
  LammpsSession session(MPI_COMM_WORLD);
  session.commands({"units lj", "atom_style atomic", "atom_modify map array", "boundary m m m",
                    "region box block -4 4 -4 4 -4 4", "create_box 2 box", "mass * 1.0"});
  // Two atoms at 2^(1/6): the LJ force vanishes there; a third far away (beyond the cut-off).
  const double r0 = std::pow(2.0, 1.0 / 6.0);
  EXPECT_EQ(session.create_atoms({1, 2, 3}, {1, 2, 1}, {0, 0, 0, r0, 0, 0, 3.0, 3.0, 3.0}), 3);
  ASSERT_EQ(session.atom_count(), 3);
  EXPECT_EQ(session.gather_types(), (std::vector<int>{1, 2, 1}));
  session.commands({"pair_style lj/cut 2.5", "pair_coeff * * 1.0 1.0", "compute s all stress/atom NULL virial",
                    "run 0 post no"});
  // Reference: the per-atom virial of a pair is −½ r f per atom; f(2^(1/6)) = 0, so zero stress.
  auto stress = session.gather_per_atom("c_s", 6);
  ASSERT_EQ(stress.size(), 18u);
  for (const double s : stress)
    EXPECT_NEAR(s, 0.0, 1e-12);
  // Move atom 2 to r = 1: f = 24 (2 − 1) = 24 (repulsive) and the xx virial of each atom of
  // the pair is ½ r f = 12 (LAMMPS's stress/atom is the negative: −12).
  auto x = session.gather_positions();
  x[3] = 1.0;
  session.scatter_positions(x);
  session.command("run 0 post no");
  EXPECT_DOUBLE_EQ(session.gather_positions()[3], 1.0);
  stress = session.gather_per_atom("c_s", 6);
  EXPECT_NEAR(stress[0], -12.0, 1e-10);
  EXPECT_NEAR(stress[6], -12.0, 1e-10);
  EXPECT_NEAR(stress[12], 0.0, 1e-12);
  EXPECT_NEAR(stress[1], 0.0, 1e-12);
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

TEST(LammpsQuoted, LammpsReadsAQuotedPathWithCommentVariableAndBlankCharactersAsOneArgument)
{
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "cryocycle lammps #quote ${x} $y";
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  if (rank == 0)
    {
      std::filesystem::remove_all(dir);
      std::filesystem::create_directories(dir);
    }
  MPI_Barrier(MPI_COMM_WORLD);
  const std::string file = (dir / "a b#c.data").string();
  LammpsSession session(MPI_COMM_WORLD);
  session.commands({"units lj", "atom_style atomic", "lattice fcc 1.0", "region box block 0 2 0 2 0 2",
                    "create_box 1 box", "create_atoms 1 box", "mass 1 1.0", "pair_style lj/cut 2.5",
                    "pair_coeff 1 1 1.0 1.0", "write_data " + lammps_quoted(file) + " nocoeff"});
  MPI_Barrier(MPI_COMM_WORLD);
  EXPECT_TRUE(std::filesystem::is_regular_file(file));
  LammpsSession reader(MPI_COMM_WORLD);
  reader.commands({"units lj", "atom_style atomic", "read_data " + lammps_quoted(file)});
  EXPECT_EQ(reader.atom_count(), 32);
  // lammps_words splits as LAMMPS does.
  EXPECT_EQ(lammps_words("read_data " + lammps_quoted(file) + " 'x y' \"z\""),
            (std::vector<std::string>{"read_data", file, "x y", "z"}));
  // What no quoting can hold is refused before it reaches LAMMPS.
  EXPECT_THROW(lammps_quoted("a\nshell touch x"), std::invalid_argument);
  EXPECT_THROW(lammps_quoted("a\"\"\"b"), std::invalid_argument);
  MPI_Barrier(MPI_COMM_WORLD);
  if (rank == 0)
    std::filesystem::remove_all(dir);
}
