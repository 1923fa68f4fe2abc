#include "core/progress.h"

#include "core/log.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cmath>
#include <iostream>

namespace cryocycle::core
{
  std::string format_duration(const double seconds)
  {
    if (!std::isfinite(seconds) || seconds < 0.0)
      return "?";
    if (seconds < 60.0)
      return fmt::format("{:.1f} s", seconds);
    const auto total = static_cast<long long>(seconds + 0.5);
    if (total < 3600)
      return fmt::format("{} min {:02d} s", total / 60, total % 60);
    return fmt::format("{} h {:02d} min", total / 3600, (total % 3600) / 60);
  }

  bool ProgressReporter::terminal_mode()
  {
    return is_output_rank() && isatty(STDERR_FILENO) == 1;
  }

  ProgressReporter::ProgressReporter(std::string label, const std::size_t total,
                                     const double line_interval_s)
    : label_(std::move(label))
    , total_(total)
    , line_interval_s_(line_interval_s)
    , terminal_(terminal_mode())
    , start_(Clock::now())
    , last_report_(start_)
  {}

  ProgressReporter::~ProgressReporter() { finish(); }

  void ProgressReporter::advance(const std::size_t steps)
  {
    done_ += steps;
    const auto now = Clock::now();
    const double since_last = std::chrono::duration<double>(now - last_report_).count();
    if ((terminal_ && since_last >= 0.1) || (!terminal_ && since_last >= line_interval_s_))
      {
        last_report_ = now;
        report(false);
      }
  }

  void ProgressReporter::finish()
  {
    if (finished_)
      return;
    finished_ = true;
    report(true);
  }

  void ProgressReporter::report(const bool final_report)
  {
    if (!is_output_rank())
      return;
    const double elapsed = std::chrono::duration<double>(Clock::now() - start_).count();
    const double rate = elapsed > 0.0 ? static_cast<double>(done_) / elapsed : 0.0;
    const double fraction = total_ ? static_cast<double>(done_) / static_cast<double>(total_) : 1.0;
    const double remaining = rate > 0.0 ? static_cast<double>(total_ - std::min(done_, total_)) / rate : NAN;

    if (final_report)
      {
        if (terminal_)
          std::cerr << "\r\033[K" << std::flush;
        Log::instance().file_only(fmt::format("{}: {}/{} done in {} ({:.3g}/s)", label_, done_,
                                              total_, format_duration(elapsed), rate));
        return;
      }
    if (terminal_)
      {
        constexpr int width = 30;
        const int filled = static_cast<int>(fraction * width);
        std::cerr << fmt::format("\r\033[K{} [{}{}] {}/{} {:.3g}/s ETA {}", label_,
                                 std::string(static_cast<std::size_t>(filled), '#'),
                                 std::string(static_cast<std::size_t>(width - filled), '.'), done_,
                                 total_, rate, format_duration(remaining))
                  << std::flush;
      }
    else
      Log::instance().info(fmt::format("{}: {}/{} ({:.0f}%), {:.3g}/s, about {} left", label_,
                                       done_, total_, 100.0 * fraction, rate,
                                       format_duration(remaining)));
  }
} // namespace cryocycle::core
