#pragma once
/// @file
/// What this binary is: version, commit and the versions of the libraries it was built with,
/// recorded in every run manifest.

#include <string>

namespace cryocycle::core
{
  /// cryocycle's own version (from CMakeLists.txt).
  std::string cryocycle_version();
  /// `git describe` of the source tree at build time, or "unknown" outside a git checkout.
  std::string git_commit();
  /// "name=version;name=version;..." for deal.II, LAMMPS, Eigen, Boost, yaml-cpp, FFTW, ...
  std::string dependency_versions_string();
  /// Path of gnuplot found at configure time, empty if none.
  std::string gnuplot_executable();
  /// CMake build type (Release by default).
  std::string build_type();
  /// Compiler identification.
  std::string compiler();
} // namespace cryocycle::core
