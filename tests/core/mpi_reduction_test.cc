// Quantiles of sorted values (the per-site gather is covered by the 2-rank stage tests).
#include "core/mpi_reduction.h"

#include <gtest/gtest.h>

using cryocycle::core::quantile_of_sorted;

TEST(QuantileOfSorted, FollowsTheLinearRuleBetweenOrderStatistics)
{
  // Reference: Hyndman–Fan type 7 (R's default, numpy's "linear"): for 1, 2, 3, 4 the median is
  // 2.5, the 10% quantile 1.3 and the 90% quantile 3.7; the ends are the extremes.
  const std::vector<double> v{1.0, 2.0, 3.0, 4.0};
  EXPECT_DOUBLE_EQ(quantile_of_sorted(v, 0.5), 2.5);
  EXPECT_DOUBLE_EQ(quantile_of_sorted(v, 0.1), 1.3);
  EXPECT_DOUBLE_EQ(quantile_of_sorted(v, 0.9), 3.7);
  EXPECT_DOUBLE_EQ(quantile_of_sorted(v, 0.0), 1.0);
  EXPECT_DOUBLE_EQ(quantile_of_sorted(v, 1.0), 4.0);
  EXPECT_DOUBLE_EQ(quantile_of_sorted({7.0}, 0.3), 7.0);
  EXPECT_THROW(quantile_of_sorted({}, 0.5), std::invalid_argument);
}
