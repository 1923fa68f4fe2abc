#include "continuum/physics/thermal_cycle_schedule.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace cryocycle::continuum
{
  std::string phase_name(const CyclePhase phase)
  {
    switch (phase)
      {
        case CyclePhase::cooling:
          return "cooling";
        case CyclePhase::low_hold:
          return "low_hold";
        case CyclePhase::heating:
          return "heating";
        case CyclePhase::high_hold:
          return "high_hold";
      }
    return "unknown";
  }

  double ScheduleSegment::rate_K_per_s() const
  {
    const double duration = duration_s();
    return duration > 0.0 ? (end_K - start_K) / duration : 0.0;
  }

  double ScheduleSegment::temperature_K(const double time_s) const
  {
    if (time_s <= start_s)
      return start_K;
    if (time_s >= end_s)
      return end_K;
    // Interpolating from the nearer end keeps the end temperatures exact.
    const double t = (time_s - start_s) / duration_s();
    return t < 0.5 ? start_K + t * (end_K - start_K) : end_K - (1.0 - t) * (end_K - start_K);
  }

  double ScheduleSegment::time_at_temperature_s(const double temperature) const
  {
    if (start_K == end_K)
      throw std::logic_error("time_at_temperature_s: a hold has no time for a temperature");
    const double t = std::clamp((temperature - start_K) / (end_K - start_K), 0.0, 1.0);
    return start_s + t * duration_s();
  }

  ThermalCycleSchedule::ThermalCycleSchedule(const ThermalCycleProtocol &p)
    : protocol_(p)
  {
    const auto finite = [](const double v) { return std::isfinite(v); };
    if (!finite(p.high_temperature_K) || !finite(p.low_temperature_K) || p.low_temperature_K < 0.0)
      throw std::invalid_argument("cycle temperatures must be finite and non-negative (K)");
    if (!(p.low_temperature_K < p.high_temperature_K))
      throw std::invalid_argument(fmt::format("the low temperature T_b = {} K must be below the high "
                                              "temperature T_a = {} K",
                                              p.low_temperature_K, p.high_temperature_K));
    if (!(p.cooling_rate_K_per_s > 0.0) || !finite(p.cooling_rate_K_per_s))
      throw std::invalid_argument(fmt::format("the cooling rate must be positive, got {} K/s",
                                              p.cooling_rate_K_per_s));
    if (!(p.heating_rate_K_per_s > 0.0) || !finite(p.heating_rate_K_per_s))
      throw std::invalid_argument(fmt::format("the heating rate must be positive, got {} K/s",
                                              p.heating_rate_K_per_s));
    if (!(p.low_hold_s >= 0.0) || !(p.high_hold_s >= 0.0) || !finite(p.low_hold_s) ||
        !finite(p.high_hold_s))
      throw std::invalid_argument("hold times must be finite and non-negative (s)");
    if (p.cycles == 0)
      throw std::invalid_argument("at least one cycle is needed");

    const double swing = p.high_temperature_K - p.low_temperature_K;
    double now = 0.0;
    const auto add = [&](const std::size_t cycle, const CyclePhase phase, const double duration,
                         const double from_K, const double to_K) {
      if (duration <= 0.0)
        return;
      segments_.push_back({cycle, phase, now, now + duration, from_K, to_K});
      now += duration;
    };
    for (std::size_t c = 0; c < p.cycles; ++c)
      {
        add(c, CyclePhase::cooling, swing / p.cooling_rate_K_per_s, p.high_temperature_K,
            p.low_temperature_K);
        add(c, CyclePhase::low_hold, p.low_hold_s, p.low_temperature_K, p.low_temperature_K);
        add(c, CyclePhase::heating, swing / p.heating_rate_K_per_s, p.low_temperature_K,
            p.high_temperature_K);
        add(c, CyclePhase::high_hold, p.high_hold_s, p.high_temperature_K, p.high_temperature_K);
      }
  }

  std::vector<ScheduleSegment> ThermalCycleSchedule::cycle_segments(const std::size_t cycle) const
  {
    std::vector<ScheduleSegment> out;
    for (const auto &s : segments_)
      if (s.cycle == cycle)
        out.push_back(s);
    return out;
  }

  double ThermalCycleSchedule::cycle_duration_s() const
  {
    const auto &p = protocol_;
    const double swing = p.high_temperature_K - p.low_temperature_K;
    return swing / p.cooling_rate_K_per_s + p.low_hold_s + swing / p.heating_rate_K_per_s + p.high_hold_s;
  }

  double ThermalCycleSchedule::temperature_K(const double time_s) const
  {
    if (segments_.empty() || time_s <= 0.0 || time_s >= total_duration_s())
      return protocol_.high_temperature_K;
    const auto it = std::upper_bound(segments_.begin(), segments_.end(), time_s,
                                     [](const double t, const ScheduleSegment &s) { return t < s.end_s; });
    return it == segments_.end() ? protocol_.high_temperature_K : it->temperature_K(time_s);
  }
} // namespace cryocycle::continuum
