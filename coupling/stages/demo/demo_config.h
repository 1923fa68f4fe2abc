#pragma once
/// @file
/// The built-in demo: configs/demo.yaml, a `cryocycle run` chain compiled into the executable,
/// and the folder its relative paths resolve against.

#include <filesystem>
#include <string>
#include <vector>

namespace cryocycle::coupling
{
  /// The text of configs/demo.yaml as it was at build time.
  std::string demo_config_text();
  /// configs/ of the source tree this binary was built from (the experiments of `compare`).
  std::filesystem::path demo_base_directory();

  /// The stage folders of the demo run, in order (as `cryocycle run` names them).
  std::vector<std::string> demo_stage_folders();

  /// The short summary the demo prints at its end, from the results in the run directory `root`:
  /// the fitted parameters, p(σ_th > σ_y), events per cycle of the RVE, its stored-energy curve
  /// and where the plots and the report are (coupling/stages/demo/demo_summary.cc).
  std::string demo_summary(const std::filesystem::path &root);
} // namespace cryocycle::coupling
