// Under mpirun a serial stage (calibrate) runs once, on rank 0: one log, one set of results,
// the same exit code on every rank, and no hang when rank 0 refuses to start.
#include "cli_runner.h"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

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

TEST(MpiSerialStage, RunsOnceOnRankZeroAndAllRanksAgreeOnTheExitCode)
{
  const fs::path out = test_folder();
  fs::remove_all(out);
  const auto r = run_with_two_ranks("demo --output-dir " + out.string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(count(r.output, "calibrate finished"), 1u) << r.output;
  const std::string log = read_text(out / "2_calibrate" / "log.txt");
  EXPECT_EQ(count(log, "calibrate finished"), 1u) << log;
  const YAML::Node manifest = YAML::LoadFile((out / "2_calibrate" / "manifest.yaml").string());
  EXPECT_EQ(manifest["mpi_ranks"].as<int>(), 2);
  EXPECT_EQ(manifest["status"].as<std::string>(), "completed");
  // The parallel steps of the demo ran on both ranks and wrote one result set.
  EXPECT_EQ(count(r.output, "continuum finished"), 2u) << r.output;
  EXPECT_EQ(count(r.output, "atomistic finished"), 1u) << r.output;
  EXPECT_TRUE(fs::exists(out / "3_continuum_thermal_stress" / "fields" / "thermal_stress_0000.1.vtu"));
  EXPECT_EQ(YAML::LoadFile((out / "manifest.yaml").string())["status"].as<std::string>(), "completed");
  EXPECT_NE(read_text(out / "summary.txt").find("== 4_continuum_cycles"), std::string::npos);

  // Rank 0 refuses the now non-empty folder; rank 1 must learn it rather than wait forever.
  const auto refused = run_with_two_ranks("demo --output-dir " + out.string());
  EXPECT_EQ(refused.exit_code, 2) << refused.output;
  EXPECT_EQ(count(refused.output, "is not empty"), 1u) << refused.output;
}
