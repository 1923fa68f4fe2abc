// Under mpirun a serial stage (calibrate) runs once, on rank 0: one log, one set of results,
// the same exit code on every rank, and no hang when rank 0 refuses to start.
#include "tests/common/cli_runner.h"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <sstream>

using namespace cryocycle::testing;
namespace fs = std::filesystem;

namespace
{
  CliResult run_with_two_ranks(const std::string &arguments) { return run_cryocycle_mpi(2, arguments); }

  std::size_t count(const std::string &text, const std::string &what)
  {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
      ++n;
    return n;
  }
} // namespace

// The built-in demo (configs/demo.yaml, `make demo`) runs its whole chain under mpirun: the serial
// stages (calibrate, extrapolate, compare) once on rank 0, the parallel ones (atomistic,
// continuum) on both ranks, and every file the README's tour of the demo lists is there.
TEST(MpiSerialStage, RunsOnceOnRankZeroAndAllRanksAgreeOnTheExitCode)
{
  const fs::path out = test_folder();
  fs::remove_all(out);
  const auto r = run_with_two_ranks("demo --output-dir " + out.string() + " --overwrite");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  for (const std::string stage : {"calibrate", "extrapolate", "compare", "atomistic", "continuum"})
    EXPECT_EQ(count(r.output, stage + " finished"), 1u) << stage << "\n" << r.output;
  const std::string log = read_text(out / "2_calibrate" / "log.txt");
  EXPECT_EQ(count(log, "calibrate finished"), 1u) << log;
  const YAML::Node manifest = YAML::LoadFile((out / "2_calibrate" / "manifest.yaml").string());
  EXPECT_EQ(manifest["mpi_ranks"].as<int>(), 2);
  EXPECT_EQ(manifest["status"].as<std::string>(), "completed");

  // The chain: five stages, each run here, in the folders the README names.
  const YAML::Node chain = YAML::LoadFile((out / "manifest.yaml").string());
  EXPECT_EQ(chain["status"].as<std::string>(), "completed");
  ASSERT_EQ(chain["chain"].size(), 5u);
  const std::vector<std::string> folders{"1_atomistic", "2_calibrate", "3_continuum", "4_extrapolate", "5_compare"};
  for (std::size_t i = 0; i < folders.size(); ++i)
    {
      EXPECT_EQ(chain["chain"][i]["status"].as<std::string>(), "ran");
      EXPECT_EQ(fs::path(chain["chain"][i]["directory"].as<std::string>()).filename(), folders[i]);
    }

  // Every file of README's tour of the demo outputs.
  for (const std::string file :
       {"config.yaml", "manifest.yaml", "summary.txt", "demo_summary.txt",
        "1_atomistic/prepare.yaml", "1_atomistic/glass.data", "1_atomistic/quench.csv",
        "1_atomistic/local_expansion/alpha_sigma_cg_5.9A.csv", "1_atomistic/local_moduli/moduli_sigma_cg_5.9A.csv",
        "1_atomistic/plots/quench_volume.png", "1_atomistic/plots/local_alpha_histogram.png",
        "2_calibrate/calibration.yaml", "2_calibrate/fits.csv", "2_calibrate/fit_parameters.csv",
        "2_calibrate/thermal_stress_sigma0.59nm.csv",
        "2_calibrate/plots/histogram_thermal_expansion_per_K_sigma0.59nm.png",
        "2_calibrate/plots/histogram_thermal_stress_GPa_sigma0.59nm.png",
        "3_continuum/cycles.csv", "3_continuum/summary.txt", "3_continuum/plots/cycle_stored_energy.png",
        "3_continuum/plots/cycle_events.png",
        "4_extrapolate/samples.csv", "4_extrapolate/extrapolation.md", "4_extrapolate/activation_curve.csv",
        "4_extrapolate/plots/activation_probability.png",
        "5_compare/report.md", "5_compare/residuals.csv", "5_compare/plots/compare_hrel_ratio_ribbon_77K.png"})
    EXPECT_TRUE(fs::is_regular_file(out / file) && fs::file_size(out / file) > 0) << file;

  // The RVE of the demo has twenty cycles with shear-transformation events.
  const YAML::Node rve = YAML::LoadFile((out / "3_continuum" / "config.yaml").string());
  EXPECT_EQ(rve["continuum"]["cycles"]["count"].as<int>(), 20);
  const std::string summary = read_text(out / "demo_summary.txt");
  EXPECT_EQ(count(r.output, "cryocycle demo summary"), 1u) << r.output;
  for (const std::string part : {"thermal_expansion_per_K  gaussian", "events per cycle", "stored-energy change (J/mol)",
                                 "p = ", "report.md"})
    EXPECT_NE(summary.find(part), std::string::npos) << part << "\n" << summary;
  EXPECT_EQ(summary.find("events per cycle: 0 in cycle 1"), std::string::npos) << summary;
  // Every path the summary names exists.
  std::istringstream lines(summary);
  for (std::string line; std::getline(lines, line);)
    {
      const auto at = line.find(out.string());
      if (at != std::string::npos && line.find("summary (") == std::string::npos)
        {
          EXPECT_TRUE(fs::exists(line.substr(at))) << line;
        }
    }

  // Rank 0 refuses the now non-empty folder (without --overwrite); rank 1 must learn it rather
  // than wait forever.
  const auto refused = run_with_two_ranks("demo --output-dir " + out.string());
  EXPECT_EQ(refused.exit_code, 2) << refused.output;
  EXPECT_EQ(count(refused.output, "is not empty"), 1u) << refused.output;
}
