// Tests of reproducible random streams keyed by (seed, purpose, id, cycle).
#include "core/random_stream.h"

#include <boost/random/uniform_01.hpp>
#include <gtest/gtest.h>

#include <cmath>
#include <set>

using namespace cryocycle::core;

TEST(RandomStream, SameKeySameNumbersDifferentKeysDifferentSeeds)
{
  auto a = make_random_stream(5, "yield", 17, 3);
  auto b = make_random_stream(5, "yield", 17, 3);
  for (int i = 0; i < 100; ++i)
    EXPECT_EQ(a(), b());
  std::set<std::uint64_t> seeds;
  for (std::uint64_t id = 0; id < 1000; ++id)
    for (std::uint64_t cycle = 0; cycle < 10; ++cycle)
      seeds.insert(stream_seed(5, "yield", id, cycle));
  seeds.insert(stream_seed(6, "yield", 0, 0));
  seeds.insert(stream_seed(5, "alpha", 0, 0));
  EXPECT_EQ(seeds.size(), 10002u);
}

TEST(RandomStream, NeighbouringIdsGiveUncorrelatedFirstDraws)
{
  // Reference: for independent U(0,1) pairs the sample correlation over n pairs has standard
  // deviation 1/sqrt(n); we allow 4 of them. The mean is checked to 4 standard errors too.
  const int n = 20000;
  double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
  for (int id = 0; id < n; ++id)
    {
      auto e0 = make_random_stream(1, "site", static_cast<std::uint64_t>(id));
      auto e1 = make_random_stream(1, "site", static_cast<std::uint64_t>(id) + 1);
      boost::random::uniform_01<double> u;
      const double x = u(e0), y = u(e1);
      sx += x, sy += y, sxx += x * x, syy += y * y, sxy += x * y;
    }
  const double mx = sx / n, my = sy / n;
  const double r = (sxy / n - mx * my) / std::sqrt((sxx / n - mx * mx) * (syy / n - my * my));
  EXPECT_LT(std::abs(r), 4.0 / std::sqrt(n));
  EXPECT_NEAR(mx, 0.5, 4.0 * std::sqrt(1.0 / 12.0 / n));
}
