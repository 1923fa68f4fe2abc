#pragma once
/// @file
/// Progress of long loops. On a terminal: a bar with count, rate and estimated time left, redrawn
/// at most ten times a second on standard error. Otherwise (batch jobs, CI, log.txt): one line
/// every `line_interval_s` seconds. Always a final line with the total time and rate.

#include <chrono>
#include <string>

namespace cryocycle::core
{
  class ProgressReporter
  {
  public:
    /// `label` names the loop ("bootstrap resamples"); `total` is the number of steps.
    ProgressReporter(std::string label, std::size_t total, double line_interval_s = 10.0);
    ~ProgressReporter();
    ProgressReporter(const ProgressReporter &) = delete;
    ProgressReporter &operator=(const ProgressReporter &) = delete;

    /// Marks `steps` more steps done.
    void advance(std::size_t steps = 1);
    /// Prints the final line (also done by the destructor).
    void finish();

    /// Whether progress is drawn as a bar (standard error is a terminal on the output rank).
    static bool terminal_mode();

  private:
    using Clock = std::chrono::steady_clock;
    void report(bool final_report);

    std::string label_;
    std::size_t total_;
    std::size_t done_ = 0;
    double line_interval_s_;
    bool terminal_;
    bool finished_ = false;
    Clock::time_point start_;
    Clock::time_point last_report_;
  };

  /// "1 h 02 min", "3.4 s", ...
  std::string format_duration(double seconds);
} // namespace cryocycle::core
