#pragma once
// Samples of a known distribution for the fit tests, from a stream named by test and family.
#include "calibrate/distribution.h"
#include "core/random_stream.h"

#include <string>
#include <vector>

namespace cryocycle::calibrate::testing
{
  inline std::vector<double> draw_samples(const Distribution& distribution, const std::size_t count,
                                          const std::uint64_t seed, const std::string& test_name)
  {
    auto engine = core::make_random_stream(seed, test_name + ":" + distribution.family());
    std::vector<double> samples(count);
    for (double& x : samples)
      x = distribution.sample(engine);
    return samples;
  }
} // namespace cryocycle::calibrate::testing
