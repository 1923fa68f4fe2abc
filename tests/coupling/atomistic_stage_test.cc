// End-to-end tests of `cryocycle atomistic`: small Wahnström LJ runs through the executable,
// resume after a real interruption, LAMMPS errors as cryocycle errors, 1 vs 2 MPI ranks.
#include "tests/common/cli_runner.h"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <chrono>
#include <cmath>
#include <csignal>
#include <fstream>
#include <sstream>
#include <thread>

#include <sys/types.h>

using namespace cryocycle::testing;
namespace fs = std::filesystem;

namespace
{
  // LJ units of the default mapping: T* = 1 ↔ 11604.5 K, τ = 0.31115 ps.
  constexpr double kelvin_per_T = 11604.518;
  constexpr double ps_per_tau = 0.31115;

  /// A 256-atom LJ glass quenched fast to T* = 0.25, then `cycles` short cycles T* 0.25 ↔ 0.01
  /// (ramps and holds of 2 τ).
  std::string lj_config(const std::string &tasks, int cycles, const std::string &extra_cycle_keys = "")
  {
    std::ostringstream c;
    c << "seed: 4\natomistic:\n  tasks: [" << tasks << "]\n  potential:\n    name: wahnstrom_lj\n"
      << "  prepare:\n    atoms: 256\n    melt_temperature_K: " << 0.8 * kelvin_per_T << "\n    melt_time_ps: "
      << 3 * ps_per_tau << "\n    quench_rate_K_per_s: " << 0.1 * kelvin_per_T / (ps_per_tau * 1e-12)
      << "\n    final_temperature_K: " << 0.25 * kelvin_per_T << "\n    sample_interval_ps: " << 0.25 * ps_per_tau
      << "\n  cycle:\n    cycles: " << cycles << "\n    high_temperature_K: " << 0.25 * kelvin_per_T
      << "\n    low_temperature_K: " << 0.01 * kelvin_per_T << "\n    cooling_rate_K_per_s: "
      << 0.24 * kelvin_per_T / (2 * ps_per_tau * 1e-12) << "\n    heating_rate_K_per_s: "
      << 0.24 * kelvin_per_T / (2 * ps_per_tau * 1e-12) << "\n    low_hold_ps: " << 2 * ps_per_tau
      << "\n    high_hold_ps: " << 2 * ps_per_tau << "\n" << extra_cycle_keys;
    return c.str();
  }

  std::vector<std::vector<double>> read_rows(const fs::path &csv)
  {
    std::ifstream in(csv);
    std::string line;
    std::getline(in, line);
    std::vector<std::vector<double>> rows;
    while (std::getline(in, line))
      {
        std::vector<double> row;
        std::stringstream fields(line);
        for (std::string f; std::getline(fields, f, ',');)
          row.push_back(std::stod(f));
        rows.push_back(row);
      }
    return rows;
  }

  CliResult run_command(const std::string &command)
  {
    CliResult result;
    FILE *pipe = popen((command + " 2>&1").c_str(), "r");
    std::array<char, 4096> buffer{};
    while (pipe != nullptr && fgets(buffer.data(), buffer.size(), pipe) != nullptr)
      result.output += buffer.data();
    const int status = pipe != nullptr ? pclose(pipe) : -1;
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
  }
} // namespace

TEST(AtomisticStage, PrintConfigDocumentsTheAtomisticKeys)
{
  const auto r = run_cryocycle("atomistic --print-config");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  for (const std::string key : {"quench_rate_K_per_s", "heating_thermostat", "quasi_equilibrium_start", "lj_sigma_A",
                                "closure_tolerance", "high_hold_ps"})
    EXPECT_NE(r.output.find(key), std::string::npos) << key;
}

TEST(AtomisticStage, QuenchesAndCyclesAnLjGlassEndToEnd)
{
  const fs::path folder = test_folder();
  fs::remove_all(folder);
  write_text(folder / "config.yaml", lj_config("prepare, cycle", 2));
  const auto r = run_cryocycle("atomistic " + (folder / "config.yaml").string() + " --output-dir " + (folder / "run").string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  // LAMMPS's own output stays out of cryocycle's.
  EXPECT_EQ(r.output.find("LAMMPS ("), std::string::npos) << r.output;
  for (const std::string file : {"quench.csv", "prepare.yaml", "glass.data", "glass_inherent.data", "cycles.csv",
                                 "checkpoints/cycles.csv", "log.txt"})
    EXPECT_TRUE(fs::exists(folder / "run" / file)) << file;
  const YAML::Node prepare = YAML::LoadFile((folder / "run" / "prepare.yaml").string());
  EXPECT_TRUE(prepare["glass_transition_temperature_K"]) << "T_g from the quench";
  // A glass: no long-range bond order (Q6 of a 256-atom glass: a few hundredths).
  EXPECT_LT(prepare["bond_orientational_order_q6"].as<double>(), 0.15);
  EXPECT_TRUE(prepare["amorphous"].as<bool>());
  const auto rows = read_rows(folder / "run" / "cycles.csv");
  ASSERT_EQ(rows.size(), 3u);  // E_0 and two cycles
  EXPECT_EQ(rows[0][7], 0.0);   // ΔE_0 = 0
  EXPECT_EQ(rows[2][7], rows[2][3] - rows[0][3]);  // ΔE_N = E_N − E_0
  const YAML::Node manifest = YAML::LoadFile((folder / "run" / "manifest.yaml").string());
  EXPECT_EQ(manifest["status"].as<std::string>(), "completed");
}

TEST(AtomisticStage, ResumeAfterARealInterruptionReproducesTheUninterruptedTable)
{
  // Reference: the uninterrupted run of the same config on one rank. The other run is killed
  // (SIGKILL, no chance to clean up) once its checkpoint holds cycle 1, then continued with
  // --resume; the final cycles.csv must be byte-identical.
  const fs::path folder = test_folder();
  fs::remove_all(folder);
  write_text(folder / "config.yaml", lj_config("prepare, cycle", 4));
  const std::string base = std::string(CRYOCYCLE_EXECUTABLE) + " atomistic " + (folder / "config.yaml").string();
  const auto full = run_command(base + " --output-dir " + (folder / "full").string());
  ASSERT_EQ(full.exit_code, 0) << full.output;

  const fs::path interrupted = folder / "interrupted";
  const auto started = run_command(base + " --output-dir " + interrupted.string() + " > " +
                                   (folder / "interrupted.log").string() + " 2>&1 & echo $!");
  const pid_t pid = static_cast<pid_t>(std::stol(started.output));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  std::size_t committed = 0;
  while (std::chrono::steady_clock::now() < deadline)
    {
      if (fs::exists(interrupted / "checkpoints" / "cycles.csv"))
        committed = read_rows(interrupted / "checkpoints" / "cycles.csv").size();
      if (committed >= 2)
        break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  ::kill(pid, SIGKILL);
  while (::kill(pid, 0) == 0)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  const std::size_t at_kill = read_rows(interrupted / "checkpoints" / "cycles.csv").size();
  ASSERT_GE(at_kill, 2u);
  ASSERT_LT(at_kill, 5u) << "the run finished before it could be interrupted";
  const YAML::Node killed = YAML::LoadFile((interrupted / "manifest.yaml").string());
  EXPECT_EQ(killed["status"].as<std::string>(), "running");

  const auto resumed = run_command(base + " --output-dir " + interrupted.string() + " --resume");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  EXPECT_NE(resumed.output.find("prepare: done in the interrupted run"), std::string::npos) << resumed.output;
  EXPECT_NE(resumed.output.find("cycle: resuming after cycle"), std::string::npos) << resumed.output;
  EXPECT_EQ(read_text(interrupted / "cycles.csv"), read_text(folder / "full" / "cycles.csv"))
    << "interrupted after " << at_kill - 1 << " cycle(s)";
}

TEST(AtomisticStage, LammpsErrorsBecomeCryocycleErrorsWithNonZeroExit)
{
  const fs::path folder = test_folder();
  fs::remove_all(folder);
  const std::string generic = "atomistic:\n  potential:\n    name: lammps\n    pair_style: lj/cut 2.5\n"
                              "    pair_coeff: \"1 1 1.0\"\n    species: Ar\n    masses_g_per_mol: [39.95]\n"
                              "    fractions: [1.0]\n    number_density_per_nm3: 20\n  prepare:\n    atoms: 50\n";
  // A pair_coeff line LAMMPS rejects: LAMMPS's own message, exit code 1, manifest marked failed.
  write_text(folder / "bad_coeff.yaml", generic);
  for (const int ranks : {1, 2})
    {
      const fs::path out = folder / ("coeff_" + std::to_string(ranks));
      const auto r = run_cryocycle_mpi(ranks, "atomistic " +
                                 (folder / "bad_coeff.yaml").string() + " --output-dir " + out.string());
      EXPECT_NE(r.exit_code, 0) << r.output;
      EXPECT_NE(r.output.find("error: LAMMPS: ERROR: Incorrect args for pair coefficients"), std::string::npos)
        << r.output;
      EXPECT_NE(r.output.find("Last command: pair_coeff 1 1 1.0"), std::string::npos) << r.output;
      const YAML::Node manifest = YAML::LoadFile((out / "manifest.yaml").string());
      EXPECT_EQ(manifest["status"].as<std::string>().rfind("failed: LAMMPS: ERROR: Incorrect args", 0), 0u)
        << manifest["status"].as<std::string>();
      EXPECT_NE(read_text(out / "log.txt").find("error: LAMMPS: ERROR"), std::string::npos);
    }
  // A pair style LAMMPS does not have: refused before LAMMPS runs, naming the key (exit 2).
  std::string bad_style = generic;
  bad_style.replace(bad_style.find("lj/cut"), 6, "lj/nosuch");
  write_text(folder / "bad_style.yaml", bad_style);
  auto r = run_cryocycle("atomistic " + (folder / "bad_style.yaml").string() + " --output-dir " +
                         (folder / "style").string());
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("atomistic.potential.pair_style': pair style 'lj/nosuch' is not compiled"),
            std::string::npos) << r.output;
  // A missing potential file: refused before LAMMPS runs, naming the key (exit 2).
  write_text(folder / "no_file.yaml", "atomistic:\n  potential:\n    name: cuzr_eam\n"
                                      "    potential_file: missing.eam.fs\n");
  r = run_cryocycle("atomistic " + (folder / "no_file.yaml").string() + " --output-dir " + (folder / "file").string());
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("potential_file"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("missing.eam.fs"), std::string::npos) << r.output;
}

TEST(AtomisticStage, OneAndTwoRanksAgreeWithinStatisticalTolerance)
{
  // The same glass (data file of a 1-rank quench) cycled on 1 and on 2 ranks. MD is chaotic,
  // so the trajectories separate; they must agree statistically. References and tolerances:
  // E_0 is the same state evaluated with another domain decomposition: equal to 1e-10 relative.
  // E_N and E_IS,N: within 4 standard deviations of the per-atom potential-energy fluctuation
  // of a harmonic solid, k_B T √(3/(2N)) = 0.25 ε · √(3/512) ≈ 0.019 ε, i.e. 0.077 ε (ε = 1 eV).
  const fs::path folder = test_folder();
  fs::remove_all(folder);
  write_text(folder / "prepare.yaml", lj_config("prepare", 1));
  const auto prepared = run_cryocycle("atomistic " + (folder / "prepare.yaml").string() + " --output-dir " +
                                      (folder / "glass").string());
  ASSERT_EQ(prepared.exit_code, 0) << prepared.output;
  write_text(folder / "cycle.yaml",
             lj_config("cycle", 2, "    initial_data_file: " + (folder / "glass" / "glass.data").string() + "\n"));
  std::vector<std::vector<std::vector<double>>> tables;
  for (const int ranks : {1, 2})
    {
      const fs::path out = folder / ("ranks_" + std::to_string(ranks));
      const auto r = run_cryocycle_mpi(ranks, "atomistic " +
                                 (folder / "cycle.yaml").string() + " --output-dir " + out.string());
      ASSERT_EQ(r.exit_code, 0) << r.output;
      EXPECT_NE(r.output.find(std::to_string(ranks) + " MPI rank(s)"), std::string::npos) << r.output;
      tables.push_back(read_rows(out / "cycles.csv"));
    }
  ASSERT_EQ(tables[0].size(), 3u);
  ASSERT_EQ(tables[1].size(), 3u);
  EXPECT_NEAR(tables[1][0][3], tables[0][0][3], 1e-10 * std::abs(tables[0][0][3]));
  for (std::size_t cycle = 1; cycle < 3; ++cycle)
    {
      EXPECT_NEAR(tables[1][cycle][3], tables[0][cycle][3], 0.077) << "E_N, cycle " << cycle;
      EXPECT_NEAR(tables[1][cycle][4], tables[0][cycle][4], 0.077) << "E_IS,N, cycle " << cycle;
    }
  std::cout << "1 vs 2 ranks, E_2: " << tables[0][2][3] << " vs " << tables[1][2][3] << " eV/atom\n";
}

TEST(AtomisticStage, ACrystalThatNeverMeltedIsRefusedAsAGlass)
{
  // A fcc LJ crystal "melted" at T* = 0.3, below its melting point (T* ≈ 0.7 at zero
  // pressure), stays crystalline through the quench: prepare stops with a message instead of
  // handing a crystal on as a glass. Reference: Q6 of fcc is 0.575 (Steinhardt et al. 1983),
  // a thermal crystal stays above 0.4; the limit is 0.25. The crystal itself, asked for as one,
  // is reported as such and not refused.
  const fs::path folder = test_folder();
  fs::remove_all(folder);
  std::string crystal = lj_config("prepare", 1);
  crystal.replace(crystal.find("  prepare:\n"), 11, "  prepare:\n    initial_structure: crystal\n");
  write_text(folder / "crystal.yaml", crystal);
  const auto made = run_cryocycle("atomistic " + (folder / "crystal.yaml").string() + " -o " + (folder / "crystal").string());
  ASSERT_EQ(made.exit_code, 0) << made.output;
  const YAML::Node prepared = YAML::LoadFile((folder / "crystal" / "prepare.yaml").string());
  EXPECT_GT(prepared["bond_orientational_order_q6"].as<double>(), 0.4);
  EXPECT_FALSE(prepared["amorphous"].as<bool>());

  std::ostringstream remelt;
  remelt << "seed: 4\natomistic:\n  tasks: [prepare]\n  potential:\n    name: wahnstrom_lj\n  prepare:\n"
         << "    initial_structure: data_file\n    data_file: " << (folder / "crystal" / "glass.data").string()
         << "\n    melt_temperature_K: " << 0.3 * kelvin_per_T << "\n    melt_time_ps: " << 3 * ps_per_tau
         << "\n    quench_rate_K_per_s: " << 0.1 * kelvin_per_T / (ps_per_tau * 1e-12)
         << "\n    final_temperature_K: " << 0.05 * kelvin_per_T << "\n    sample_interval_ps: " << ps_per_tau << "\n";
  write_text(folder / "remelt.yaml", remelt.str());
  const auto r = run_cryocycle("atomistic " + (folder / "remelt.yaml").string() + " -o " + (folder / "remelt").string());
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("the quenched sample is crystalline, not a glass"), std::string::npos) << r.output;
  const YAML::Node manifest = YAML::LoadFile((folder / "remelt" / "manifest.yaml").string());
  EXPECT_EQ(manifest["status"].as<std::string>().rfind("failed", 0), 0u);
}
