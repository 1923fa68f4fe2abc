#pragma once
/// @file
/// `cryocycle run`: one YAML file drives several stages in order (by default atomistic →
/// calibrate → continuum), each in a sub-folder `<i>_<stage>` of one run directory, from the same
/// sections the single stages read. A stage hands its outputs to the later ones through
/// references in their sections, replaced before the later stage reads its config:
///
///   `${calibrate}`                    the calibrate stage's directory (absolute path)
///   `${atomistic/prepare.yaml}`       a file in it
///   `${calibrate/calibration.yaml#coarse_grainings.1.yield_stress_GPa.mean}`
///                                     a scalar of a YAML file in it (dotted keys, list indices)
///
/// A stage is skipped with `run.from.<stage>: path/to/previous/run`: its outputs are reused from
/// there and references resolve to that folder. Everything that can be checked before work
/// starts is: the `run` section, every `from:` folder (a completed run of that stage with its
/// output files), every reference (known stage, earlier in the chain, file and key present when
/// they already exist), and each stage's config (values still to be made by an earlier stage of
/// this run are checked once it has finished, with a stand-in for the keys around them). The
/// run's manifest.yaml records the chain: which stage ran where, which was taken from where
/// (with the SHA-256 of that run's config.yaml and its git commit).

#include "coupling/pipeline/pipeline.h"
#include "coupling/pipeline/stage.h"

#include <filesystem>
#include <string>

namespace cryocycle::coupling
{
  /// The `run` entry of registered_stages(): its config section and --print-config (the stage
  /// itself is driven by run_chain, not by the single-stage runner).
  StageEntry run_chain_stage_entry();

  /// Runs the chain of `config_file`. Collective: call on every MPI rank. Returns the exit code.
  int run_chain(const std::filesystem::path &config_file, const RunOptions &options);
  /// The same for a config given as text (e.g. compiled in): `display_name` names it in messages,
  /// its relative paths resolve against `base_dir`; the run directory's config.yaml holds the text.
  int run_chain_text(const std::string &config_text, const std::string &display_name,
                     const std::filesystem::path &base_dir, const RunOptions &options);

  /// Checks the chain of `config_file` as run_chain does before any work; prints the result.
  int validate_chain(const std::filesystem::path &config_file);
} // namespace cryocycle::coupling
