// Tests of the run directory: atomic writes, refusal to overwrite, checksums.
#include "core/run_directory.h"
#include "core/run_manifest.h"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <fstream>

using namespace cryocycle::core;
namespace fs = std::filesystem;

namespace
{
  fs::path fresh(const std::string &name)
  {
    const fs::path p = fs::temp_directory_path() / name;
    fs::remove_all(p);
    return p;
  }
} // namespace

TEST(RunDirectory, AtomicWriteLeavesOnlyTheFinalFile)
{
  const auto dir = fresh("cryocycle_run_dir_atomic");
  const RunDirectory run(dir, false);
  run.write("tables/result.csv", "a\n1\n");
  run.write("tables/result.csv", "a\n2\n");
  std::ifstream in(dir / "tables/result.csv");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, "a\n2\n");
  std::size_t files = 0;
  for (const auto &entry : fs::recursive_directory_iterator(dir))
    files += entry.is_regular_file() ? 1 : 0;
  EXPECT_EQ(files, 1u);  // no temporary left behind
  fs::remove_all(dir);
}

TEST(RunDirectory, RefusesNonEmptyFoldersUnlessTheyAreRunsAndOverwriteIsGiven)
{
  const auto dir = fresh("cryocycle_run_dir_refuse");
  fs::create_directories(dir);
  std::ofstream(dir / "thesis.tex") << "precious";
  EXPECT_THROW(RunDirectory::check_usable(dir, false), std::runtime_error);
  // Not a run directory: never deleted, even with --overwrite.
  EXPECT_THROW(RunDirectory::check_usable(dir, true), std::runtime_error);
  EXPECT_TRUE(fs::exists(dir / "thesis.tex"));
  fs::remove(dir / "thesis.tex");
  {
    const RunDirectory run(dir, false);
    run.write("manifest.yaml", "status: completed\n");
    run.write("old.csv", "a\n1\n");
  }
  EXPECT_THROW(RunDirectory::check_usable(dir, false), std::runtime_error);
  EXPECT_NO_THROW(RunDirectory::check_usable(dir, true));
  const RunDirectory again(dir, true);
  EXPECT_FALSE(fs::exists(dir / "old.csv"));
  fs::remove_all(dir);
}

TEST(RunDirectory, Sha256MatchesTheStandardTestVector)
{
  // FIPS 180-2 test vector: SHA-256("abc").
  const auto dir = fresh("cryocycle_run_dir_sha");
  fs::create_directories(dir);
  std::ofstream(dir / "abc.txt", std::ios::binary) << "abc";
  EXPECT_EQ(sha256_of_file(dir / "abc.txt"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  fs::remove_all(dir);
}

TEST(RunManifest, RecordsVersionsSeedsInputsAndTimes)
{
  const auto dir = fresh("cryocycle_manifest");
  fs::create_directories(dir);
  std::ofstream(dir / "in.csv") << "abc";
  RunManifest manifest("cryocycle calibrate c.yaml");
  manifest.add_seed("seed", 42);
  EXPECT_EQ(manifest.add_input("table", dir / "in.csv").size(), 64u);
  manifest.add_stage_time("calibrate", 1.5);
  manifest.set_status("completed");
  const YAML::Node m = YAML::Load(manifest.yaml());
  for (const char *key : {"cryocycle_version", "git_commit", "dependencies", "host", "started_at_utc",
                          "finished_at_utc", "status", "seeds", "inputs", "stage_wall_times_s"})
    EXPECT_TRUE(m[key].IsDefined()) << key;
  EXPECT_EQ(m["seeds"]["seed"].as<int>(), 42);
  EXPECT_EQ(m["status"].as<std::string>(), "completed");
  EXPECT_TRUE(m["dependencies"]["deal.II"].IsDefined());
  EXPECT_TRUE(m["dependencies"]["LAMMPS"].IsDefined());
  EXPECT_DOUBLE_EQ(m["stage_wall_times_s"]["calibrate"].as<double>(), 1.5);
  fs::remove_all(dir);
}

TEST(RunDirectory, ResumeNeedsAPreviousRunOfTheSameConfig)
{
  const auto dir = fresh("cryocycle_run_dir_resume");
  EXPECT_THROW(RunDirectory::check_resumable(dir, "seed: 1\n"), std::runtime_error);  // missing
  {
    const RunDirectory run(dir, false);
    run.write("config.yaml", "seed: 1\nstage:\n  cycles: 3\n");
    EXPECT_THROW(RunDirectory::check_resumable(dir, "seed: 1\n"), std::runtime_error);  // no manifest
    run.write("manifest.yaml", "status: running\n");
  }
  EXPECT_NO_THROW(RunDirectory::check_resumable(dir, "seed: 1\nstage:\n  cycles: 3\n"));
  try
    {
      RunDirectory::check_resumable(dir, "seed: 1\nstage:\n  cycles: 4\n");
      FAIL() << "a changed config must not resume";
    }
  catch (const std::runtime_error &e)
    {
      const std::string message = e.what();
      EXPECT_NE(message.find("line 3"), std::string::npos) << message;
      EXPECT_NE(message.find("cycles: 4"), std::string::npos) << message;
    }
  // Reopening keeps every file.
  const RunDirectory reopened = RunDirectory::open_existing(dir);
  EXPECT_TRUE(fs::exists(reopened.file("config.yaml")));
  EXPECT_TRUE(fs::exists(reopened.file("manifest.yaml")));
  EXPECT_THROW(RunDirectory::open_existing(dir / "absent"), std::runtime_error);
  fs::remove_all(dir);
}
