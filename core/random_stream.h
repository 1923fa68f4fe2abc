#pragma once
/// @file
/// Reproducible random streams. A stream is derived from (seed, purpose, global id, cycle) and
/// never from the MPI rank, so results do not depend on the number of ranks and no generator
/// state has to be checkpointed: a resumed run re-derives the same streams.

#include <boost/random/mersenne_twister.hpp>

#include <cstdint>
#include <string_view>

namespace cryocycle::core
{
  /// The generator used everywhere. Boost.Random's engines and distributions give the same
  /// numbers on every platform and compiler, which std:: distributions do not promise.
  using RandomEngine = boost::random::mt19937_64;

  /// 64-bit seed of the stream for (seed, purpose, id, cycle): splitmix64 mixing of the four
  /// inputs (purpose hashed with FNV-1a). Distinct tuples give statistically independent streams.
  std::uint64_t stream_seed(std::uint64_t seed, std::string_view purpose, std::uint64_t id = 0,
                            std::uint64_t cycle = 0);

  /// A generator seeded with stream_seed(seed, purpose, id, cycle).
  RandomEngine make_random_stream(std::uint64_t seed, std::string_view purpose,
                                  std::uint64_t id = 0, std::uint64_t cycle = 0);
} // namespace cryocycle::core
