#pragma once
/// @file
/// PNG plots with gnuplot (Debian's gnuplot-nox). The script is kept next to the picture
/// (plots/<name>.gp) so a user can restyle it; the PNG is written to a temporary name and renamed.

#include "core/run_directory.h"

#include <string>

namespace cryocycle::core
{
  /// Renders `script_body` (gnuplot commands after `set terminal` / `set output`, with data
  /// files named relative to the run directory) into plots/<name>.png. Returns false and logs a
  /// warning when gnuplot is missing or fails; a missing plot never fails a run.
  bool render_png_plot(const RunDirectory &directory, const std::string &name,
                       const std::string &script_body, int width_px = 900, int height_px = 600);
} // namespace cryocycle::core
