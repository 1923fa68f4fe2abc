#include "core/random_stream.h"

namespace cryocycle::core
{
  namespace
  {
    std::uint64_t splitmix64(std::uint64_t x)
    {
      x += 0x9e3779b97f4a7c15ULL;
      x = (x ^ (x >> 30U)) * 0xbf58476d1ce4e5b9ULL;
      x = (x ^ (x >> 27U)) * 0x94d049bb133111ebULL;
      return x ^ (x >> 31U);
    }

    std::uint64_t fnv1a(std::string_view text)
    {
      std::uint64_t hash = 0xcbf29ce484222325ULL;
      for (const char c : text)
        {
          hash ^= static_cast<unsigned char>(c);
          hash *= 0x100000001b3ULL;
        }
      return hash;
    }
  } // namespace

  std::uint64_t stream_seed(const std::uint64_t seed, const std::string_view purpose,
                            const std::uint64_t id, const std::uint64_t cycle)
  {
    // Chained mixing: each input passes through the full avalanche of splitmix64, so streams
    // for neighbouring ids or cycles are unrelated.
    std::uint64_t h = splitmix64(seed);
    h = splitmix64(h ^ fnv1a(purpose));
    h = splitmix64(h ^ id);
    h = splitmix64(h ^ (cycle * 0xd6e8feb86659fd93ULL));
    return h;
  }

  RandomEngine make_random_stream(const std::uint64_t seed, const std::string_view purpose,
                                  const std::uint64_t id, const std::uint64_t cycle)
  {
    return RandomEngine(stream_seed(seed, purpose, id, cycle));
  }
} // namespace cryocycle::core
