#pragma once
/// @file
/// The built-in demo config (configs/demo/calibrate.yaml, compiled in) and the folder its
/// relative paths resolve against.

#include <filesystem>
#include <string>

namespace cryocycle::coupling
{
  /// Text of configs/demo/calibrate.yaml at build time.
  std::string demo_calibration_config();
  /// configs/demo of the source tree this binary was built from.
  std::filesystem::path demo_data_directory();
} // namespace cryocycle::coupling
