#pragma once
/// @file
/// PNG plots with gnuplot (Debian's gnuplot-nox). The script is kept next to the picture
/// (plots/<name>.gp) so a user can restyle it; the PNG is written to a temporary name, checked to
/// be a whole PNG and only then renamed. gnuplot runs without a shell (posix_spawn with an
/// argument vector), so no path or text of a config can become a command.

#include "core/run_directory.h"

#include <filesystem>
#include <string>
#include <string_view>

namespace cryocycle::core
{
  /// `text` as a single-quoted gnuplot string literal, safe anywhere gnuplot takes a string:
  /// `'` is doubled (gnuplot's only escape inside single quotes, where backslashes and backquotes
  /// are plain characters) and every control character, newline included, becomes a space, so
  /// the text can neither end the string nor the command line.
  std::string gnuplot_quoted(std::string_view text);

  /// Whether `file` is a whole PNG: the signature at the start and the IEND chunk at the end
  /// (a full disk or a killed gnuplot leaves a truncated file behind an exit status of 0).
  bool is_complete_png(const std::filesystem::path &file);

  /// Renders `script_body` (gnuplot commands after `set terminal` / `set output`, with data
  /// files named relative to the run directory) into plots/<name>.png. Every string from a config
  /// or an input file must enter `script_body` through gnuplot_quoted(). Returns false and logs a
  /// warning when gnuplot is missing or fails; a missing plot never fails a run.
  bool render_png_plot(const RunDirectory &directory, const std::string &name,
                       const std::string &script_body, int width_px = 900, int height_px = 600);
} // namespace cryocycle::core
