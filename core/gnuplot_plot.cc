#include "core/gnuplot_plot.h"

#include "core/build_info.h"
#include "core/log.h"

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>

namespace cryocycle::core
{
  namespace fs = std::filesystem;

  bool render_png_plot(const RunDirectory &directory, const std::string &name,
                       const std::string &script_body, const int width_px, const int height_px)
  {
    const std::string gnuplot = gnuplot_executable();
    const fs::path png = directory.file("plots/" + name + ".png");
    const fs::path temporary_png = png.parent_path() / ("." + name + ".png.tmp");
    const auto script_for = [&](const std::string &output) {
      return fmt::format("set terminal pngcairo size {},{} enhanced font 'DejaVu Sans,11'\n"
                         "set output '{}'\nset datafile separator ','\nset key top right\n{}\n",
                         width_px, height_px, output, script_body);
    };
    // The kept script draws into plots/<name>.png when run from the run directory; the run
    // itself draws into a temporary file first so a PNG is either whole or absent.
    directory.write("plots/" + name + ".gp", script_for("plots/" + name + ".png"));
    if (gnuplot.empty() || !fs::exists(gnuplot))
      {
        Log::instance().warning("gnuplot not found; wrote plots/" + name + ".gp without a PNG");
        return false;
      }
    const std::string temporary_script = "plots/." + name + ".gp.tmp";
    directory.write(temporary_script, script_for(temporary_png.string()));
    const fs::path script_file = directory.file(temporary_script);
    const std::string command = fmt::format("cd '{}' && '{}' '{}' > /dev/null 2>&1",
                                            directory.path().string(), gnuplot, script_file.string());
    const int status = std::system(command.c_str());
    fs::remove(script_file);
    if (status != 0 || !fs::exists(temporary_png))
      {
        Log::instance().warning("gnuplot failed on plots/" + name + ".gp");
        std::error_code ignored;
        fs::remove(temporary_png, ignored);
        return false;
      }
    fs::rename(temporary_png, png);
    return true;
  }
} // namespace cryocycle::core
