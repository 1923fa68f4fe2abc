#include "core/gnuplot_plot.h"

#include "core/build_info.h"
#include "core/log.h"

#include <fmt/format.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <fstream>
#include <vector>

extern char **environ;

namespace cryocycle::core
{
  namespace fs = std::filesystem;

  std::string gnuplot_quoted(const std::string_view text)
  {
    std::string quoted = "'";
    for (const char c : text)
      {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '\'')
          quoted += "''";
        else if (byte < 0x20 || byte == 0x7f)
          quoted += ' ';
        else
          quoted += c;
      }
    return quoted + "'";
  }

  bool is_complete_png(const fs::path &file)
  {
    static constexpr std::array<unsigned char, 8> signature{0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    // The last chunk of a PNG: length 0, type IEND, its CRC.
    static constexpr std::array<unsigned char, 12> trailer{0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82};
    std::ifstream in(file, std::ios::binary);
    std::array<char, 8> head{};
    if (!in.read(head.data(), head.size()))
      return false;
    for (std::size_t i = 0; i < signature.size(); ++i)
      if (static_cast<unsigned char>(head[i]) != signature[i])
        return false;
    std::array<char, 12> tail{};
    in.seekg(-static_cast<std::streamoff>(tail.size()), std::ios::end);
    if (!in.read(tail.data(), tail.size()))
      return false;
    for (std::size_t i = 0; i < trailer.size(); ++i)
      if (static_cast<unsigned char>(tail[i]) != trailer[i])
        return false;
    return true;
  }

  namespace
  {
    /// Runs `gnuplot script` in `working_directory` without a shell, output to /dev/null.
    /// Returns the exit status (-1 when it could not start or did not exit normally).
    int run_gnuplot(const std::string &gnuplot, const fs::path &working_directory, const fs::path &script)
    {
      posix_spawn_file_actions_t actions;
      posix_spawn_file_actions_init(&actions);
      posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
      posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
      posix_spawn_file_actions_addchdir_np(&actions, working_directory.c_str());
      std::string program = gnuplot;
      std::string argument = script.string();
      std::array<char *, 3> argv{program.data(), argument.data(), nullptr};
      pid_t pid = 0;
      const int started = posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), environ);
      posix_spawn_file_actions_destroy(&actions);
      if (started != 0)
        return -1;
      int status = 0;
      while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
          return -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
  } // namespace

  bool render_png_plot(const RunDirectory &directory, const std::string &name,
                       const std::string &script_body, const int width_px, const int height_px)
  {
    const std::string gnuplot = gnuplot_executable();
    const fs::path png = directory.file("plots/" + name + ".png");
    const fs::path temporary_png = png.parent_path() / ("." + name + ".png.tmp");
    const auto script_for = [&](const fs::path &output) {
      return fmt::format("set terminal pngcairo size {},{} enhanced font 'DejaVu Sans,11'\n"
                         "set output {}\nset datafile separator ','\nset key top right\n{}\n",
                         width_px, height_px, gnuplot_quoted(output.string()), script_body);
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
    directory.write(temporary_script, script_for(temporary_png));
    const fs::path script_file = directory.file(temporary_script);
    const int status = run_gnuplot(gnuplot, directory.path(), script_file);
    std::error_code ignored;
    fs::remove(script_file, ignored);
    if (status != 0 || !is_complete_png(temporary_png))
      {
        Log::instance().warning(fmt::format("gnuplot failed on plots/{}.gp ({}); no PNG written", name,
                                            status != 0 ? "exit status " + std::to_string(status)
                                                        : "its PNG is incomplete: disk full?"));
        fs::remove(temporary_png, ignored);
        return false;
      }
    fs::rename(temporary_png, png);
    return true;
  }
} // namespace cryocycle::core
