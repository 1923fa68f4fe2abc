#pragma once
/// @file
/// The entry points the `cryocycle` executable calls: print or validate a stage's config, run a
/// stage in a run directory, run the demo.

#include "core/config_schema.h"
#include "core/config_values.h"
#include "coupling/pipeline/stage.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace cryocycle::coupling
{
  /// Options from the command line.
  struct RunOptions
  {
    /// Replaces the config's `output_dir`.
    std::optional<std::filesystem::path> output_dir;
    /// Allows replacing a previous run directory.
    bool overwrite = false;
    /// Continues an interrupted run in its existing run directory (`--resume`).
    bool resume = false;
    /// The command line as typed, for the manifest.
    std::string command_line;
  };

  /// Exit codes of the executable.
  enum ExitCode : int
  {
    exit_success = 0,
    exit_runtime_error = 1,
    exit_input_error = 2
  };

  /// All stages, in pipeline order (explicit registration; see stage.h).
  const std::vector<StageEntry> &registered_stages();
  /// The full config schema: the common keys and every stage's section.
  const core::ConfigSection &config_schema();

  /// Documented YAML of the keys a stage reads, with defaults (`--print-config`).
  std::string print_config(const std::string &stage);
  /// Validates `config_file` for `stage` and checks its inputs; prints the result. Exit code.
  int validate_config(const std::string &stage, const std::filesystem::path &config_file);
  /// Runs `stage` on `config_file`. Prints errors; returns the exit code.
  int run_stage(const std::string &stage, const std::filesystem::path &config_file,
                const RunOptions &options);
  /// Runs a stage on a config given as text (embedded configs, tests); relative input paths
  /// resolve against `base_dir`.
  /// `substitutions` replace `${...}` references inside the parsed scalars (run_chain).
  int run_stage_on_text(const std::string &stage, const std::string &config_text,
                        const std::string &display_name, const std::filesystem::path &base_dir,
                        const RunOptions &options,
                        const std::vector<core::ScalarSubstitution> &substitutions = {});
  /// The built-in demo: the `cryocycle run` chain of configs/demo.yaml (compiled in, demo_config.h),
  /// then its short summary printed and written to demo_summary.txt in the demo folder.
  int run_demo(const RunOptions &options);
} // namespace cryocycle::coupling
