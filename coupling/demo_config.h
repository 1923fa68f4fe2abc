#pragma once
/// @file
/// The built-in demo: one step per stage, each with its config from configs/demo compiled in,
/// and the folder their relative paths resolve against.

#include <filesystem>
#include <string>
#include <vector>

namespace cryocycle::coupling
{
  struct DemoStep
  {
    std::string folder;       ///< sub-folder of the demo directory, e.g. "2_calibrate"
    std::string stage;        ///< stage name
    std::string config_name;  ///< file in configs/demo the text came from
    std::string config_text;  ///< the config as it was at build time
  };

  /// The demo steps in order: a small LJ quench, the calibration of the shipped data set, the FE
  /// thermal stress of a periodic cube, and ten cryogenic cycles of an RVE.
  std::vector<DemoStep> demo_steps();
  /// configs/demo of the source tree this binary was built from.
  std::filesystem::path demo_data_directory();
} // namespace cryocycle::coupling
