// Hostile input through the cryocycle executable, as a colleague's or a paper's config could be:
// no value of a config may run a command (shell, gnuplot, LAMMPS) or make a value into config
// structure; --overwrite removes only a run's own outputs; a run directory in use is refused
// with the PID holding it; an interrupted run says so in its manifest. Every case checks the
// exit code, the message (file, line, key), that no sentinel file appeared and nothing was
// deleted. The executable is started without a shell, so the test's own arguments are literal.
#include "tests/common/cli_runner.h"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <set>
#include <sstream>
#include <csignal>
#include <thread>

using namespace cryocycle::testing;
namespace fs = std::filesystem;

namespace
{
  /// Runs the executable with `arguments` as its argv (no shell); stdout and stderr together.
  CliResult run_argv(const std::vector<std::string> &arguments, const fs::path &working_directory = {})
  {
    int pipe_fds[2];
    if (::pipe(pipe_fds) != 0)
      return {};
    const pid_t pid = ::fork();
    if (pid == 0)
      {
        ::dup2(pipe_fds[1], 1);
        ::dup2(pipe_fds[1], 2);
        ::close(pipe_fds[0]);
        if (!working_directory.empty() && ::chdir(working_directory.c_str()) != 0)
          ::_exit(126);
        std::vector<std::string> all{CRYOCYCLE_EXECUTABLE};
        all.insert(all.end(), arguments.begin(), arguments.end());
        std::vector<char *> argv;
        for (auto &a : all)
          argv.push_back(a.data());
        argv.push_back(nullptr);
        ::execv(argv[0], argv.data());
        ::_exit(127);
      }
    ::close(pipe_fds[1]);
    CliResult result;
    std::array<char, 4096> buffer{};
    for (ssize_t n; (n = ::read(pipe_fds[0], buffer.data(), buffer.size())) > 0;)
      result.output.append(buffer.data(), static_cast<std::size_t>(n));
    ::close(pipe_fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
  }

  bool contains(const std::string &text, const std::string &part) { return text.find(part) != std::string::npos; }

  /// Every regular file under `folder`, relative, sorted.
  std::set<std::string> files_under(const fs::path &folder)
  {
    std::set<std::string> files;
    for (const auto &entry : fs::recursive_directory_iterator(folder))
      if (!entry.is_directory())
        files.insert(fs::relative(entry.path(), folder).string());
    return files;
  }

  /// A small calibrate input set and its config (as in the bad-config tests): plots included.
  void write_calibrate_case(const fs::path &folder)
  {
    std::string yield = "yield_stress_GPa\n";
    std::string moduli = "bulk_modulus_GPa,shear_modulus_GPa\n";
    for (int i = 0; i < 20; ++i)
      {
        yield += std::to_string(1.0 + 0.37 * i) + "\n";
        moduli += std::to_string(100.0 + i) + "," + std::to_string(25.0 + 0.1 * i) + "\n";
      }
    write_text(folder / "yield.csv", yield);
    write_text(folder / "moduli.csv", moduli);
    write_text(folder / "config.yaml", "seed: 3\ncalibrate:\n  bootstrap_resamples: 0\n  monte_carlo_samples: 1000\n"
                                       "  coarse_grainings:\n    - sigma_cg_nm: 0.5\n      yield_stress_csv: yield.csv\n"
                                       "      moduli_csv: moduli.csv\n");
  }

  /// A finished calibrate run in a fresh test folder: its arguments and the files it wrote.
  struct FinishedRun
  {
    fs::path folder;
    fs::path out;
    std::vector<std::string> arguments;
    std::set<std::string> written;
  };

  FinishedRun finished_calibrate_run()
  {
    FinishedRun run;
    run.folder = test_folder();
    fs::remove_all(run.folder);
    write_calibrate_case(run.folder);
    run.out = run.folder / "out";
    run.arguments = {"calibrate", (run.folder / "config.yaml").string(), "-o", run.out.string()};
    const auto r = run_argv(run.arguments);
    EXPECT_EQ(r.exit_code, 0) << r.output;
    run.written = files_under(run.out);
    return run;
  }

  /// A data-set file and a finished continuum run it can be compared with.
  void write_compare_case(const fs::path &folder, const std::string &material_yaml, const std::string &label_yaml)
  {
    write_text(folder / "experiments.yaml",
               "format_version: 1\nsource: {reference: synthetic}\ndata_sets:\n  - name: ratio\n    reference: test\n"
               "    material: " + material_yaml + "\n    unit: dimensionless\n"
               "    model: {observable: stored_energy_ratio, reference_J_per_mol: 740, mapping: 1 + dE/740}\n"
               "    points:\n      - {state: as cast, cycle: 0, low_temperature_K: 77, value: 1.0, uncertainty: 0.04}\n"
               "      - {state: five, cycle: 5, low_temperature_K: 77, value: 1.3, uncertainty: 0.1}\n");
    const fs::path model = folder / "model";
    write_text(model / "manifest.yaml", "cryocycle_version: test\nstatus: completed\n");
    write_text(model / "config.yaml", "output_dir: x\nseed: 1\ncontinuum:\n  mode: cycles\n  cycles:\n"
                                      "    high_temperature_K: 300\n    low_temperature_K: 77\n    low_hold_s: 60\n"
                                      "    count: 5\n");
    std::string csv = "cycle,events_cooling,stored_energy_J_per_mol,yield_median_GPa,yield_decile_width\n";
    for (int n = 0; n <= 5; ++n)
      csv += std::to_string(n) + ",3," + std::to_string(100.0 + 44.4 * n) + ",2,0.2\n";
    write_text(model / "cycles.csv", csv);
    write_text(folder / "compare.yaml", "seed: 1\ncompare:\n  experiments:\n    - file: experiments.yaml\n"
                                        "  model_runs:\n    - label: " + label_yaml + "\n      run_directory: " +
                                          model.string() + "\n");
  }
} // namespace

TEST(Hostile, AnOutputDirectoryWithShellSyntaxRunsNoCommand)
{
  const fs::path folder = test_folder();
  fs::remove_all(folder);
  write_calibrate_case(folder);
  const fs::path sentinel = folder / "PWNED";
  const fs::path out = folder / ("run'$(touch " + sentinel.string() + ")'`touch " + sentinel.string() + "`");
  const auto r = run_argv({"calibrate", (folder / "config.yaml").string(), "-o", out.string()});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_FALSE(fs::exists(sentinel)) << "a path ran a shell command";
  // The plots were drawn all the same, by gnuplot started without a shell.
  EXPECT_TRUE(fs::exists(out / "plots" / "histogram_yield_stress_GPa_sigma0.5nm.png")) << r.output;
}

TEST(Hostile, TextReachingGnuplotCannotRunCommands)
{
  const fs::path folder = test_folder();
  fs::remove_all(folder);
  const fs::path sentinel = folder / "PWNED";
  // With a line break: refused when the file is read, naming file, line and key.
  write_compare_case(folder, "\"x'\\nsystem('touch " + sentinel.string() + "')\\n#\"", "synthetic");
  auto r = run_argv({"compare", (folder / "compare.yaml").string(), "-o", (folder / "out").string()});
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_TRUE(contains(r.output, (folder / "experiments.yaml").string() + ":6:")) << r.output;
  EXPECT_TRUE(contains(r.output, "key 'data_sets[0].material'")) << r.output;
  EXPECT_TRUE(contains(r.output, "control character")) << r.output;
  EXPECT_FALSE(fs::exists(folder / "out"));
  write_compare_case(folder, "ok", "\"a\\nb\"");
  r = run_argv({"compare", (folder / "compare.yaml").string(), "-o", (folder / "out").string()});
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_TRUE(contains(r.output, "key 'compare.model_runs[0].label'")) << r.output;

  // On one line, quotes, backquotes, backslashes and gnuplot's system() stay text in the plot.
  const std::string hostile = "x' . system('touch " + sentinel.string() + "') . '`touch " + sentinel.string() +
                              "`\\ @GPVAL_VERSION";
  std::string yaml = "'";
  for (const char c : hostile)
    yaml += c == '\'' ? std::string("''") : std::string(1, c);
  yaml += "'";
  write_compare_case(folder, yaml, yaml);
  r = run_argv({"compare", (folder / "compare.yaml").string(), "-o", (folder / "out").string()});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_FALSE(fs::exists(sentinel)) << "a plot label ran a command";
  EXPECT_TRUE(fs::exists(folder / "out" / "plots" / "compare_ratio.png")) << r.output;
  // The kept script holds the label as one quoted gnuplot string.
  const std::string script = read_text(folder / "out" / "plots" / "compare_ratio.gp");
  EXPECT_TRUE(contains(script, "'model: x'' . system(''touch ")) << script;
  EXPECT_FALSE(contains(script, "\nsystem(")) << script;
}

TEST(Hostile, AReferenceValueStaysOneScalar)
{
  // A value handed on by ${stage/file#key} that holds a line break and "key: value" text must
  // not become config keys: it stays the one (refused) scalar it replaces.
  const fs::path folder = test_folder();
  fs::remove_all(folder);
  write_compare_case(folder, "ok", "synthetic");
  const fs::path previous = folder / "previous_calibration";
  write_text(previous / "manifest.yaml", "status: completed\nstage_wall_times_s:\n  calibrate: 1.0\n");
  write_text(previous / "config.yaml", "calibrate:\n  x: 1\n");
  write_text(previous / "calibration.yaml", "glass_label: \"glass\\n  plots: false\\nseed: 666\"\n");
  write_text(folder / "chain.yaml",
             "seed: 1\nrun:\n  stages: [calibrate, compare]\n  from:\n    calibrate: " + previous.string() +
               "\ncompare:\n  experiments:\n    - file: experiments.yaml\n  model_runs:\n"
               "    - label: ${calibrate/calibration.yaml#glass_label}\n      run_directory: " +
               (folder / "model").string() + "\n");
  const auto r = run_argv({"run", (folder / "chain.yaml").string(), "-o", (folder / "out").string()});
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_TRUE(contains(r.output, "chain.yaml:10:")) << r.output;
  EXPECT_TRUE(contains(r.output, "key 'compare.model_runs[0].label'")) << r.output;
  EXPECT_TRUE(contains(r.output, "control character")) << r.output;
  EXPECT_FALSE(fs::exists(folder / "out"));

  // Without the line break, "a: b" and "[1, 2]" are plain text of the one key.
  write_text(previous / "calibration.yaml", "glass_label: \"glass: [1, 2] # not a comment\"\n");
  const auto ok = run_argv({"run", (folder / "chain.yaml").string(), "-o", (folder / "out").string()});
  EXPECT_EQ(ok.exit_code, 0) << ok.output;
  const std::string report = read_text(folder / "out" / "2_compare" / "report.md");
  EXPECT_TRUE(contains(report, "glass: [1, 2] # not a comment")) << report;
}

TEST(Hostile, OverwriteRemovesOnlyWhatTheRunWrote)
{
  const FinishedRun finished = finished_calibrate_run();
  const fs::path &folder = finished.folder;
  const fs::path &out = finished.out;
  const std::vector<std::string> &run = finished.arguments;
  const std::set<std::string> &written = finished.written;
  // The manifest lists the run's outputs.
  const YAML::Node manifest = YAML::LoadFile((out / "manifest.yaml").string());
  ASSERT_TRUE(manifest["outputs"].IsSequence());
  std::set<std::string> listed;
  for (const auto &name : manifest["outputs"])
    listed.insert(name.as<std::string>());
  EXPECT_TRUE(listed.count("calibration.yaml") && listed.count("plots/") && listed.count("config.yaml"));

  // A file of the user's next to the outputs: refused, named, nothing deleted.
  write_text(out / "my_notes.txt", "keep");
  auto with_overwrite = run;
  with_overwrite.push_back("--overwrite");
  auto r = run_argv(with_overwrite);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_TRUE(contains(r.output, "my_notes.txt")) << r.output;
  EXPECT_EQ(read_text(out / "my_notes.txt"), "keep");
  auto now = files_under(out);
  now.erase("my_notes.txt");
  EXPECT_EQ(now, written) << "a refused --overwrite deleted files";
  fs::remove(out / "my_notes.txt");

  // A symbolic link planted in the run directory is foreign too (and never followed).
  write_text(folder / "elsewhere" / "precious.txt", "keep");
  fs::create_directory_symlink(folder / "elsewhere", out / "link");
  r = run_argv(with_overwrite);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_TRUE(contains(r.output, "link (a symbolic link")) << r.output;
  EXPECT_EQ(read_text(folder / "elsewhere" / "precious.txt"), "keep");
  fs::remove(out / "link");

  // Only the run's own files: replaced.
  r = run_argv(with_overwrite);
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(files_under(out), written);

  // `-o .` in a folder holding a config and sources is never a run directory.
  write_text(folder / "src" / "main.cc", "int main() {}\n");
  r = run_argv({"calibrate", "config.yaml", "-o", ".", "--overwrite"}, folder);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_TRUE(contains(r.output, "refusing to delete anything")) << r.output;
  EXPECT_TRUE(fs::exists(folder / "src" / "main.cc"));
  EXPECT_TRUE(fs::exists(folder / "config.yaml"));
}

TEST(Hostile, ARunDirectoryInUseIsRefusedWithTheHoldersPid)
{
  const FinishedRun finished = finished_calibrate_run();
  const fs::path &out = finished.out;
  const std::vector<std::string> &run = finished.arguments;
  const std::set<std::string> &written = finished.written;
  // This process holds the lock as a running cryocycle would (PID 4242 in the file).
  const int fd = ::open((out / ".cryocycle.lock").c_str(), O_RDWR);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX | LOCK_NB), 0);
  ASSERT_EQ(::ftruncate(fd, 0), 0);
  ASSERT_EQ(::pwrite(fd, "4242\n", 5, 0), 5);
  for (const bool overwrite : {false, true})
    {
      auto arguments = run;
      if (overwrite)
        arguments.push_back("--overwrite");
      const auto r = run_argv(arguments);
      EXPECT_EQ(r.exit_code, 2) << r.output;
      EXPECT_TRUE(contains(r.output, "in use by another cryocycle run (PID 4242)")) << r.output;
      EXPECT_EQ(files_under(out), written);
    }
  ::close(fd);
  auto again = run;
  again.push_back("--overwrite");
  EXPECT_EQ(run_argv(again).exit_code, 0);
}

TEST(Hostile, RefusalsNameTheFileLineAndKey)
{
  const fs::path folder = test_folder();
  fs::remove_all(folder);
  write_calibrate_case(folder);
  ::mkfifo((folder / "fifo.csv").c_str(), 0644);
  fs::create_directories(folder / "a_folder.csv");
  struct Case
  {
    std::string name, stage, config, location, fact;
  };
  const std::string base = read_text(folder / "config.yaml");
  const std::vector<Case> cases{
    {"duplicate key", "calibrate", "seed: 3\nseed: 4\n" + base.substr(base.find('\n') + 1), "config.yaml:2:1",
     "key 'seed': key given twice in this section (first on line 1)"},
    {"alias bomb", "calibrate",
     "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b]\n",
     "config.yaml:1:", "anchors and aliases"},
    {"empty calibrate config", "calibrate", "seed: 1\n", "config.yaml", "gives no 'calibrate' section"},
    {"config of another stage", "calibrate", base + "continuum:\n  mode: cycles\n", "config.yaml:9:",
     "section 'continuum' belongs to stage continuum, not calibrate"},
    {"empty compare config", "compare", "", "config.yaml", "gives no 'compare' section"},
    {"FIFO as input", "calibrate", "calibrate:\n  coarse_grainings:\n    - sigma_cg_nm: 0.5\n      yield_stress_csv: fifo.csv\n",
     "config.yaml:4:", "is not a regular file"},
    {"folder as input", "calibrate",
     "calibrate:\n  coarse_grainings:\n    - sigma_cg_nm: 0.5\n      yield_stress_csv: a_folder.csv\n", "config.yaml:4:",
     "is a directory"},
  };
  for (const auto &c : cases)
    {
      SCOPED_TRACE(c.name);
      write_text(folder / "config.yaml", c.config);
      const auto r = run_argv({c.stage, (folder / "config.yaml").string(), "-o", (folder / "out").string()});
      EXPECT_EQ(r.exit_code, 2) << r.output;
      EXPECT_TRUE(contains(r.output, (folder / c.location).string())) << r.output;
      EXPECT_TRUE(contains(r.output, c.fact)) << r.output;
      EXPECT_FALSE(fs::exists(folder / "out"));
    }
  const auto stage = run_argv({"calibrat", "x.yaml"});
  EXPECT_EQ(stage.exit_code, 2);
  EXPECT_TRUE(contains(stage.output, "unknown stage 'calibrat'; stages are synthesize, calibrate")) << stage.output;
  const auto folder_config = run_argv({"calibrate", (folder / "a_folder.csv").string()});
  EXPECT_EQ(folder_config.exit_code, 2);
  EXPECT_TRUE(contains(folder_config.output, "the config file is a directory")) << folder_config.output;
}

namespace
{
  // LJ units of the default mapping: T* = 1 ↔ 11604.5 K, τ = 0.31115 ps.
  constexpr double kelvin_per_T = 11604.518;
  constexpr double ps_per_tau = 0.31115;

  /// A 256-atom LJ glass quenched fast (about a second), then `cycles` short thermal cycles.
  std::string tiny_lj_config(const int cycles)
  {
    std::ostringstream c;
    c << "seed: 4\natomistic:\n  tasks: [prepare" << (cycles > 0 ? ", cycle" : "") << "]\n  potential:\n"
      << "    name: wahnstrom_lj\n  prepare:\n    atoms: 256\n    melt_temperature_K: " << 0.8 * kelvin_per_T
      << "\n    melt_time_ps: " << 3 * ps_per_tau << "\n    quench_rate_K_per_s: "
      << 0.1 * kelvin_per_T / (ps_per_tau * 1e-12) << "\n    final_temperature_K: " << 0.25 * kelvin_per_T
      << "\n    sample_interval_ps: " << 0.25 * ps_per_tau << "\n";
    if (cycles > 0)
      c << "  cycle:\n    cycles: " << cycles << "\n    high_temperature_K: " << 0.25 * kelvin_per_T
        << "\n    low_temperature_K: " << 0.01 * kelvin_per_T << "\n    cooling_rate_K_per_s: "
        << 0.24 * kelvin_per_T / (2 * ps_per_tau * 1e-12) << "\n    heating_rate_K_per_s: "
        << 0.24 * kelvin_per_T / (2 * ps_per_tau * 1e-12) << "\n    low_hold_ps: " << 20 * ps_per_tau
        << "\n    high_hold_ps: " << 20 * ps_per_tau << "\n";
    return c.str();
  }
} // namespace

TEST(Hostile, PathsReachLammpsQuoted)
{
  // '#' starts a LAMMPS comment and a blank splits arguments: both must stay in the path, so
  // the glass is written inside the run directory and nowhere else.
  const fs::path folder = test_folder();
  fs::remove_all(folder);
  write_text(folder / "lj.yaml", tiny_lj_config(0));
  const fs::path out = folder / "dir#x y$HOME";
  const auto r = run_argv({"atomistic", (folder / "lj.yaml").string(), "-o", out.string()});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(fs::is_regular_file(out / "glass.data")) << r.output;
  EXPECT_TRUE(fs::is_regular_file(out / "glass.restart")) << r.output;
  std::set<std::string> top;
  for (const auto &entry : fs::directory_iterator(folder))
    top.insert(entry.path().filename().string());
  EXPECT_EQ(top, (std::set<std::string>{"dir#x y$HOME", "lj.yaml"})) << "a file was written outside the run";
}

TEST(Hostile, AnInterruptedRunSaysSoInItsManifest)
{
  const fs::path folder = test_folder();
  fs::remove_all(folder);
  write_text(folder / "lj.yaml", tiny_lj_config(50));
  const fs::path out = folder / "out";
  const pid_t pid = ::fork();
  if (pid == 0)
    {
      const int log = ::open((folder / "log").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      ::dup2(log, 1);
      ::dup2(log, 2);
      std::string program = CRYOCYCLE_EXECUTABLE;
      std::vector<std::string> arguments{program, "atomistic", (folder / "lj.yaml").string(), "-o", out.string()};
      std::vector<char *> argv;
      for (auto &a : arguments)
        argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
  // Interrupted once the cycles run (the first committed cycle), as Ctrl-C or a batch system would.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (std::chrono::steady_clock::now() < deadline && !fs::exists(out / "checkpoints" / "cycles.csv"))
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ASSERT_TRUE(fs::exists(out / "checkpoints" / "cycles.csv")) << read_text(folder / "log");
  ::kill(pid, SIGTERM);
  int status = 0;
  ::waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM) << "status " << status;
  const YAML::Node manifest = YAML::LoadFile((out / "manifest.yaml").string());
  EXPECT_EQ(manifest["status"].as<std::string>(), "interrupted");
  // Its lock went with it: the run can be resumed (refused only because it would be long here,
  // not because the directory is held).
  const auto again = run_argv({"atomistic", (folder / "lj.yaml").string(), "-o", out.string()});
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_FALSE(contains(again.output, "in use by another cryocycle run")) << again.output;
  // SIGKILL leaves no chance to write: the manifest still says running, and the next run in
  // the directory reports it as interrupted.
  std::string text = read_text(out / "manifest.yaml");
  text.replace(text.find("status: interrupted"), 19, "status: running");
  write_text(out / "manifest.yaml", text);
  write_text(folder / "short.yaml", tiny_lj_config(0));
  const auto after_kill = run_argv({"atomistic", (folder / "short.yaml").string(), "-o", out.string(), "--overwrite"});
  EXPECT_EQ(after_kill.exit_code, 0) << after_kill.output;
  EXPECT_TRUE(contains(after_kill.output, "the previous run in " + out.string() + " was interrupted")) << after_kill.output;
}

TEST(Hostile, ImpossibleValuesAndInputsAreRefusedBeforeAnyWork)
{
  // Values inside a key's type but impossible for a run, and input files that are not what they
  // claim: each refused by --validate, naming file, line and key, before LAMMPS or a mesh starts.
  const fs::path folder = test_folder();
  fs::remove_all(folder);
  write_text(folder / "not_a_data_file.data", "LAMMPS data file? no:\n\nMasses\n\n1 1.0\n");
  write_text(folder / "negative_k.csv", "x_nm,y_nm,z_nm,bulk_modulus_GPa\n# a comment line\n0,0,0,100\n1,0,0,-3\n");
  const std::string lj = tiny_lj_config(0);
  const auto with = [](std::string text, const std::string &anchor, const std::string &insert) {
    return text.replace(text.find(anchor), anchor.size(), anchor + insert);
  };
  struct Case
  {
    std::string name, stage, config, location, key, fact;
  };
  const std::string rod = "continuum:\n  geometry:\n    shape: rod\n    diameter_nm: 0.2\n    length_nm: 10\n"
                          "    element_size_nm: 0.5\n";
  const std::string cycles = "continuum:\n  mode: cycles\n  cycles:\n    low_hold_s: 1.0e300\n";
  const std::vector<Case> cases{
    {"atoms beyond memory", "atomistic", with(lj, "    atoms: 256", "000000"), "lj.yaml:7:", "atomistic.prepare.atoms",
     "more than this machine has"},
    {"a text file as a data file", "atomistic",
     with(with(lj, "  prepare:\n", "    initial_structure: data_file\n"), "  prepare:\n",
          "    data_file: not_a_data_file.data\n"),
     "lj.yaml:", "atomistic.prepare.data_file", "is not a LAMMPS data file"},
    {"an MD hold of 1e300 ps", "atomistic", with(lj, "  prepare:\n", "    final_hold_ps: 1e300\n"), "lj.yaml:7:",
     "atomistic.prepare.final_hold_ps", "outside the allowed range"},
    {"a rod thinner than an element", "continuum", rod, "lj.yaml:4:", "continuum.geometry.diameter_nm",
     "thinner than one element"},
    {"a continuum hold of 1e300 s", "continuum", cycles, "lj.yaml:4:", "continuum.cycles.low_hold_s",
     "outside the allowed range"},
    {"a negative modulus in a grid file", "continuum",
     "continuum:\n  geometry:\n    box_size_nm: [2, 2, 2]\n    element_size_nm: 1\n  materials:\n"
     "    bulk_modulus_GPa:\n      source: grid_file\n      file: negative_k.csv\n",
     "negative_k.csv:4:", "continuum.materials.bulk_modulus_GPa.file", "-3 must be positive"},
  };
  for (const auto &c : cases)
    {
      SCOPED_TRACE(c.name);
      write_text(folder / "lj.yaml", c.config);
      const auto r = run_argv({c.stage, "--validate", (folder / "lj.yaml").string()});
      EXPECT_EQ(r.exit_code, 2) << r.output;
      EXPECT_TRUE(contains(r.output, (folder / c.location).string())) << r.output;
      EXPECT_TRUE(contains(r.output, "key '" + c.key + "'")) << r.output;
      EXPECT_TRUE(contains(r.output, c.fact)) << r.output;
    }
}

TEST(Hostile, ARunIsResumedOnlyOnTheRankCountItStartedWith)
{
  // Sums over sites depend on the rank count in their last bits, so a resumed run must use the
  // count it started with: a run recorded on 2 ranks is refused on 1, naming both.
  const fs::path folder = test_folder();
  fs::remove_all(folder);
  write_text(folder / "lj.yaml", tiny_lj_config(1));
  const fs::path out = folder / "out";
  ASSERT_EQ(run_argv({"atomistic", (folder / "lj.yaml").string(), "-o", out.string()}).exit_code, 0);
  std::string manifest = read_text(out / "manifest.yaml");
  manifest.replace(manifest.find("mpi_ranks: 1"), 12, "mpi_ranks: 2");
  write_text(out / "manifest.yaml", manifest);
  const auto r = run_argv({"atomistic", (folder / "lj.yaml").string(), "-o", out.string(), "--resume"});
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_TRUE(contains(r.output, "was started on 2 MPI rank(s), this one has 1")) << r.output;
}
