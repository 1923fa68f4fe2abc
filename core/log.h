#pragma once
/// @file
/// The run log: rank 0 prints to the terminal and, once a run directory exists, to its log.txt.
/// Lines printed before the run directory is opened are kept and written to log.txt when it is
/// attached, so log.txt holds everything the run printed.

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace cryocycle::core
{
  class Log
  {
  public:
    /// The process-wide log.
    static Log &instance();

    /// A line on standard output (and in log.txt).
    void info(const std::string &line);
    /// "warning: ..." on standard error (and in log.txt).
    void warning(const std::string &line);
    /// A line for log.txt only (e.g. progress lines that a terminal shows as a bar).
    void file_only(const std::string &line);

    /// Starts writing to `file` (appending), first the lines printed so far.
    void attach_file(const std::filesystem::path &file);
    /// Stops writing to the file and forgets the buffered lines.
    void detach_file();
    /// Suppresses terminal output (log.txt still receives everything).
    void set_quiet(bool quiet) { quiet_ = quiet; }

  private:
    Log() = default;
    void to_file(const std::string &line);

    bool quiet_ = false;
    std::ofstream file_;
    std::vector<std::string> pending_;
  };

  /// Whether this process prints (MPI rank 0, or MPI not initialised).
  bool is_output_rank();
} // namespace cryocycle::core
