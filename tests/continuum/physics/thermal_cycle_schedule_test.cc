// Tests of the cryogenic cycling temperature history.
#include "continuum/physics/thermal_cycle_schedule.h"

#include <gtest/gtest.h>

using namespace cryocycle::continuum;

namespace
{
  ThermalCycleProtocol ketov_like()
  {
    // Ketov et al. (2015)-like immersion cycling, slowed to round numbers: 300 K -> 77 K at 223 K/s,
    // 60 s in the bath, back at 22.3 K/s, 30 s at room temperature, 10 cycles.
    ThermalCycleProtocol p;
    p.high_temperature_K = 300.0;
    p.low_temperature_K = 77.0;
    p.cooling_rate_K_per_s = 223.0;
    p.heating_rate_K_per_s = 22.3;
    p.low_hold_s = 60.0;
    p.high_hold_s = 30.0;
    p.cycles = 10;
    return p;
  }
} // namespace

TEST(ThermalCycleSchedule, SegmentsTileTheHistoryContinuously)
{
  const ThermalCycleSchedule schedule(ketov_like());
  // Reference: one cycle lasts ΔT/Q_b + t_b + ΔT/Q_a + t_a = 1 + 60 + 10 + 30 = 101 s.
  EXPECT_NEAR(schedule.cycle_duration_s(), 101.0, 1e-12);
  EXPECT_NEAR(schedule.total_duration_s(), 1010.0, 1e-9);
  ASSERT_EQ(schedule.segments().size(), 40u);
  for (std::size_t i = 1; i < schedule.segments().size(); ++i)
    {
      const auto &before = schedule.segments()[i - 1];
      const auto &after = schedule.segments()[i];
      EXPECT_EQ(before.end_s, after.start_s);
      EXPECT_EQ(before.end_K, after.start_K);
    }
  const auto third = schedule.cycle_segments(2);
  ASSERT_EQ(third.size(), 4u);
  EXPECT_EQ(third[0].phase, CyclePhase::cooling);
  EXPECT_NEAR(third[0].rate_K_per_s(), -223.0, 1e-9);
  EXPECT_EQ(third[1].phase, CyclePhase::low_hold);
  EXPECT_EQ(third[1].rate_K_per_s(), 0.0);
  EXPECT_NEAR(third[2].rate_K_per_s(), 22.3, 1e-9);
  EXPECT_EQ(phase_name(third[3].phase), "high_hold");
}

TEST(ThermalCycleSchedule, TemperatureAndTimeAreInverseOnRamps)
{
  const ThermalCycleSchedule schedule(ketov_like());
  // Half-way down the first cooling ramp (0.5 s) and 5 s into the first heating ramp.
  EXPECT_NEAR(schedule.temperature_K(0.5), 188.5, 1e-12);
  EXPECT_NEAR(schedule.temperature_K(61.0 + 5.0), 77.0 + 22.3 * 5.0, 1e-9);
  EXPECT_EQ(schedule.temperature_K(30.0), 77.0);   // in the bath
  EXPECT_EQ(schedule.temperature_K(-1.0), 300.0);  // before and after: T_a
  EXPECT_EQ(schedule.temperature_K(2000.0), 300.0);
  const auto heating = schedule.cycle_segments(4)[2];
  EXPECT_NEAR(heating.temperature_K(heating.time_at_temperature_s(250.0)), 250.0, 1e-9);
  EXPECT_THROW(schedule.cycle_segments(0)[1].time_at_temperature_s(77.0), std::logic_error);
}

TEST(ThermalCycleSchedule, ZeroHoldsAreLeftOutAndBadProtocolsRefused)
{
  ThermalCycleProtocol p = ketov_like();
  p.low_hold_s = 0.0;
  p.high_hold_s = 0.0;
  p.cycles = 2;
  EXPECT_EQ(ThermalCycleSchedule(p).segments().size(), 4u);
  auto bad = ketov_like();
  bad.low_temperature_K = 300.0;
  EXPECT_THROW(ThermalCycleSchedule{bad}, std::invalid_argument);
  bad = ketov_like();
  bad.cooling_rate_K_per_s = 0.0;
  EXPECT_THROW(ThermalCycleSchedule{bad}, std::invalid_argument);
  bad = ketov_like();
  bad.low_hold_s = -1.0;
  EXPECT_THROW(ThermalCycleSchedule{bad}, std::invalid_argument);
  bad = ketov_like();
  bad.cycles = 0;
  EXPECT_THROW(ThermalCycleSchedule{bad}, std::invalid_argument);
}
