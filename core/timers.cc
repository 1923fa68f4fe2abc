#include "core/timers.h"

#include <fmt/format.h>

namespace cryocycle::core
{
  TimerSections::Scope::Scope(TimerSections &owner, std::string name)
    : owner_(owner)
    , name_(std::move(name))
    , start_(std::chrono::steady_clock::now())
  {}

  TimerSections::Scope::~Scope()
  {
    owner_.add(name_, std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count());
  }

  void TimerSections::add(const std::string &name, const double seconds)
  {
    for (auto &entry : entries_)
      if (entry.name == name)
        {
          entry.seconds += seconds;
          ++entry.calls;
          return;
        }
    entries_.push_back({name, seconds, 1});
  }

  std::string TimerSections::summary(const std::string &title, const double total_seconds) const
  {
    std::string out = fmt::format("+-{:-<24}-+-------+------------+--------+\n", "");
    out += fmt::format("| {:<24} | calls | wall (s)   | share  |\n", title);
    out += fmt::format("+-{:-<24}-+-------+------------+--------+\n", "");
    for (const auto &entry : entries_)
      out += fmt::format("| {:<24} | {:>5} | {:>10.3f} | {:>5.1f}% |\n", entry.name, entry.calls,
                         entry.seconds,
                         total_seconds > 0.0 ? 100.0 * entry.seconds / total_seconds : 0.0);
    out += fmt::format("+-{:-<24}-+-------+------------+--------+\n", "");
    out += fmt::format("| {:<24} |       | {:>10.3f} |        |\n", "total wall time", total_seconds);
    out += fmt::format("+-{:-<24}-+-------+------------+--------+", "");
    return out;
  }
} // namespace cryocycle::core
