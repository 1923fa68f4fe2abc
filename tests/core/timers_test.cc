// Tests of timer sections and duration formatting.
#include "core/progress.h"
#include "core/timers.h"

#include <gtest/gtest.h>

#include <thread>

using namespace cryocycle::core;

TEST(TimerSections, AccumulatesCallsAndTimePerName)
{
  TimerSections timers;
  for (int i = 0; i < 3; ++i)
    {
      const auto scope = timers.scope("solve");
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  timers.add("fit", 2.0);
  ASSERT_EQ(timers.entries().size(), 2u);
  EXPECT_EQ(timers.entries()[0].name, "solve");
  EXPECT_EQ(timers.entries()[0].calls, 3u);
  EXPECT_GE(timers.entries()[0].seconds, 0.015);
  EXPECT_LT(timers.entries()[0].seconds, 1.0);
  const auto table = timers.summary("test", 4.0);
  EXPECT_NE(table.find("fit"), std::string::npos);
  EXPECT_NE(table.find("50.0%"), std::string::npos);  // 2 s of 4 s
}

TEST(Progress, DurationsReadLikeAHuman)
{
  EXPECT_EQ(format_duration(3.44), "3.4 s");
  EXPECT_EQ(format_duration(125.0), "2 min 05 s");
  EXPECT_EQ(format_duration(3720.0), "1 h 02 min");
  EXPECT_EQ(format_duration(-1.0), "?");
}
