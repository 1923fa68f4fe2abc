#pragma once
/// @file
/// The temperature history of cryogenic thermal cycling (Shang et al. 2021 protocol; Ketov et al. (2015) experiments):
/// starting at T_a, each cycle cools at Q_b to T_b, holds t_b, heats at Q_a back to T_a and holds
/// t_a. Temperatures in K, rates in K/s, times in s. Piecewise linear, so the temperature of any
/// instant and the instant of any temperature on a ramp are exact.

#include <cstddef>
#include <string>
#include <vector>

namespace cryocycle::continuum
{
  /// Parameters of the cycling protocol.
  struct ThermalCycleProtocol
  {
    double high_temperature_K = 300.0;       ///< T_a (start, end of every cycle)
    double low_temperature_K = 77.0;         ///< T_b
    double cooling_rate_K_per_s = 10.0;      ///< Q_b > 0
    double heating_rate_K_per_s = 10.0;      ///< Q_a > 0
    double low_hold_s = 60.0;                ///< t_b >= 0
    double high_hold_s = 60.0;               ///< t_a >= 0
    std::size_t cycles = 1;                  ///< N >= 1
  };

  enum class CyclePhase
  {
    cooling,
    low_hold,
    heating,
    high_hold
  };

  /// "cooling", "low_hold", "heating", "high_hold".
  std::string phase_name(CyclePhase phase);

  /// One linear piece of the history: T goes from start_K to end_K between start_s and end_s.
  struct ScheduleSegment
  {
    std::size_t cycle = 0;  ///< 0-based cycle index
    CyclePhase phase = CyclePhase::cooling;
    double start_s = 0.0;
    double end_s = 0.0;
    double start_K = 0.0;
    double end_K = 0.0;

    double duration_s() const { return end_s - start_s; }
    /// dT/dt (K/s): −Q_b, 0, +Q_a or 0.
    double rate_K_per_s() const;
    /// Temperature at time t (clamped to the segment).
    double temperature_K(double time_s) const;
    /// Time at which the segment reaches temperature T (a ramp only; clamped to the segment).
    double time_at_temperature_s(double temperature_K) const;
  };

  /// The whole history as segments, in time order (holds of zero duration are left out).
  class ThermalCycleSchedule
  {
  public:
    /// @throws std::invalid_argument naming the bad parameter: T_b >= T_a, a negative
    ///         temperature, a non-positive rate, a negative hold, zero cycles, or non-finite values.
    explicit ThermalCycleSchedule(const ThermalCycleProtocol &protocol);

    const ThermalCycleProtocol &protocol() const { return protocol_; }
    const std::vector<ScheduleSegment> &segments() const { return segments_; }
    /// Segments of one cycle (0-based).
    std::vector<ScheduleSegment> cycle_segments(std::size_t cycle) const;
    /// Duration of one cycle (s): ΔT/Q_b + t_b + ΔT/Q_a + t_a.
    double cycle_duration_s() const;
    double total_duration_s() const { return segments_.empty() ? 0.0 : segments_.back().end_s; }
    /// Temperature at time t (K); T_a before 0 and after the end.
    double temperature_K(double time_s) const;

  private:
    ThermalCycleProtocol protocol_;
    std::vector<ScheduleSegment> segments_;
  };
} // namespace cryocycle::continuum
