#pragma once
/// @file
/// Named wall-clock timer sections (md, measure, fit, assemble, solve, events, output, ...) with a
/// summary table at the end of each stage. Kept free of deal.II so stages without finite elements
/// do not pay for its headers.

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace cryocycle::core
{
  class TimerSections
  {
  public:
    /// Measures the enclosing scope under `name`; sections may nest and repeat.
    class Scope
    {
    public:
      Scope(TimerSections &owner, std::string name);
      ~Scope();
      Scope(const Scope &) = delete;
      Scope &operator=(const Scope &) = delete;

    private:
      TimerSections &owner_;
      std::string name_;
      std::chrono::steady_clock::time_point start_;
    };

    Scope scope(const std::string &name) { return Scope(*this, name); }
    void add(const std::string &name, double seconds);

    /// Total seconds and number of calls per section, in first-use order.
    struct Entry
    {
      std::string name;
      double seconds = 0.0;
      std::size_t calls = 0;
    };
    const std::vector<Entry> &entries() const { return entries_; }

    /// A table: section, calls, wall time, share of `total_seconds`.
    std::string summary(const std::string &title, double total_seconds) const;

  private:
    std::vector<Entry> entries_;
  };
} // namespace cryocycle::core
