// Tests of the run directory: atomic writes, refusal to overwrite, checksums.
#include "core/run_directory.h"
#include "core/run_manifest.h"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <fstream>

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

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
    files += entry.is_regular_file() && entry.path().filename() != RunDirectory::outputs_list_name &&
                 entry.path().filename() != RunDirectory::lock_name
               ? 1
               : 0;
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

TEST(RunDirectory, OverwriteRemovesTheRunsOwnOutputsAndRefusesAnythingElse)
{
  const auto dir = fresh("cryocycle_run_dir_own_outputs");
  {
    const RunDirectory run(dir, false);
    run.write("result.csv", "a\n1\n");
    run.write("plots/a.gp", "plot x\n");
    // A tool writing inside a folder the run made (deal.II, LAMMPS) is covered by the folder.
    std::ofstream(run.file("fields/cycles.pvd").parent_path() / "piece_0.vtu") << "<VTKFile/>";
    EXPECT_EQ(run.outputs(), (std::vector<std::string>{"fields/", "plots/", "result.csv"}));
  }
  // A temporary of a killed atomic write belongs to the run as well.
  std::ofstream(dir / ".result.csv.tmp12345") << "half";
  std::ofstream(dir / "notes.txt") << "mine";
  try
    {
      RunDirectory::check_usable(dir, true);
      FAIL() << "a foreign file must stop --overwrite";
    }
  catch (const std::runtime_error &e)
    {
      EXPECT_NE(std::string(e.what()).find("holds notes.txt"), std::string::npos) << e.what();
    }
  EXPECT_THROW(RunDirectory(dir, true), std::runtime_error);
  EXPECT_TRUE(fs::exists(dir / "result.csv"));
  EXPECT_TRUE(fs::exists(dir / "fields" / "piece_0.vtu"));
  fs::remove(dir / "notes.txt");
  const RunDirectory again(dir, true);
  EXPECT_FALSE(fs::exists(dir / "result.csv"));
  EXPECT_FALSE(fs::exists(dir / "fields"));
  EXPECT_FALSE(fs::exists(dir / ".result.csv.tmp12345"));
  EXPECT_TRUE(again.outputs().empty());
  fs::remove_all(dir);
}

TEST(RunDirectory, AFolderWithoutARecordOfOutputsIsNeverDeleted)
{
  const auto dir = fresh("cryocycle_run_dir_no_record");
  fs::create_directories(dir);
  // What an older run, or a user's folder holding a manifest.yaml, looks like.
  std::ofstream(dir / "manifest.yaml") << "status: completed\n";
  std::ofstream(dir / "input.yaml") << "seed: 1\n";
  EXPECT_THROW(RunDirectory::check_usable(dir, true), std::runtime_error);
  EXPECT_THROW(RunDirectory(dir, true), std::runtime_error);
  EXPECT_TRUE(fs::exists(dir / "input.yaml"));
  fs::remove_all(dir);
}

TEST(RunDirectory, WritesStayInsideAndNeverGoThroughALink)
{
  const auto dir = fresh("cryocycle_run_dir_inside");
  const auto outside = fresh("cryocycle_run_dir_outside");
  fs::create_directories(outside);
  const RunDirectory run(dir, false);
  EXPECT_THROW(run.file("../escape.csv"), std::runtime_error);
  EXPECT_THROW(run.file("plots/../../escape.csv"), std::runtime_error);
  EXPECT_THROW(run.file("/tmp/escape.csv"), std::runtime_error);
  fs::create_directory_symlink(outside, dir / "checkpoints");
  EXPECT_THROW(run.write("checkpoints/state.bin", "x"), std::runtime_error);
  fs::create_symlink(outside / "target.csv", dir / "table.csv");
  EXPECT_THROW(run.write("table.csv", "x"), std::runtime_error);
  EXPECT_TRUE(fs::is_empty(outside));
  fs::remove_all(dir);
  fs::remove_all(outside);
}

TEST(RunDirectory, ASecondRunIsRefusedWhileTheFirstHoldsTheLock)
{
  const auto dir = fresh("cryocycle_run_dir_lock");
  {
    const RunDirectory first(dir, false);
    first.write("manifest.yaml", "status: running\n");
    const std::string pid = std::to_string(getpid());
    for (const bool overwrite : {false, true})
      try
        {
          RunDirectory::check_usable(dir, overwrite);
          FAIL() << "a directory in use must be refused";
        }
      catch (const std::runtime_error &e)
        {
          EXPECT_NE(std::string(e.what()).find("in use by another cryocycle run (PID " + pid + ")"),
                    std::string::npos)
            << e.what();
        }
    EXPECT_THROW(RunDirectory::check_resumable(dir, ""), std::runtime_error);
    EXPECT_THROW(RunDirectory::open_existing(dir, true), std::runtime_error);
  }
  // Released with the last copy of the first run's directory.
  EXPECT_NO_THROW(RunDirectory::check_usable(dir, true));
  fs::remove_all(dir);
}

TEST(RunDirectory, AFailedWriteNamesTheFileAndTheReasonAndLeavesNoFile)
{
  // A file size limit stands in for a full disk: the write fails part-way, as with ENOSPC.
  const auto dir = fresh("cryocycle_run_dir_full");
  fs::create_directories(dir);
  const pid_t pid = fork();
  if (pid == 0)
    {
      signal(SIGXFSZ, SIG_IGN);
      const rlimit limit{4096, 4096};
      setrlimit(RLIMIT_FSIZE, &limit);
      try
        {
          write_file_atomically(dir / "big.csv", std::string(100000, 'x'));
          _exit(3);
        }
      catch (const std::runtime_error &e)
        {
          const std::string message = e.what();
          const bool named = message.find((dir / "big.csv").string()) != std::string::npos &&
                             message.find("File too large") != std::string::npos;
          _exit(named ? 0 : 4);
        }
    }
  int status = 0;
  waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "status " << status;
  EXPECT_TRUE(fs::is_empty(dir)) << "no final file and no temporary may remain";
  fs::remove_all(dir);
}

TEST(RunManifest, ListsOutputsAndHasAnInterruptedForm)
{
  RunManifest manifest("cryocycle calibrate c.yaml");
  manifest.set_outputs({"config.yaml", "plots/"});
  const YAML::Node m = YAML::Load(manifest.yaml());
  EXPECT_EQ(m["outputs"].as<std::vector<std::string>>(), (std::vector<std::string>{"config.yaml", "plots/"}));
  EXPECT_EQ(m["status"].as<std::string>(), "running");
  EXPECT_EQ(YAML::Load(manifest.interrupted_yaml())["status"].as<std::string>(), "interrupted");
}
