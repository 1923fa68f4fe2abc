// The event search of AthermalEventEngine::ramp (which computes a site's trigger root only when
// the site can reach its threshold before the best trigger found so far) against a brute-force
// search that solves every site's quadratic at every step, on twin engines over one cycle.
#include "continuum/events/athermal_event_engine.h"
#include "core/random_stream.h"

#include <boost/random/normal_distribution.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

using namespace cryocycle;
using namespace cryocycle::continuum;

namespace
{
  constexpr double K = 108.92;
  constexpr double G = 26.47;
  constexpr std::size_t n = 8;

  double yield_draw(const std::uint64_t id, const std::uint64_t draw, const double state)
  {
    auto stream = cryocycle::core::make_random_stream(8, "yield", id, draw);
    return std::max(0.05, (0.25 - 0.05 * state) + 0.05 * boost::random::normal_distribution<double>(0.0, 1.0)(stream));
  }

  /// Brute force: every site's first trigger on [current, to] by first_yield_temperature_change,
  /// the nearest one, an avalanche there; until no site triggers. Returns the events.
  std::uint64_t brute_force_ramp(AthermalEventEngine &engine, const ElasticBackend &backend, const double from_K,
                                 const double to_K)
  {
    std::uint64_t events = engine.avalanche(from_K).events;
    double current = from_K;
    const double direction = to_K > from_K ? 1.0 : -1.0;
    while (true)
      {
        double nearest = std::numeric_limits<double>::infinity();
        for (std::size_t i = 0; i < engine.yield_stress_GPa().size(); ++i)
          if (const auto t = first_yield_temperature_change(backend.thermal_stress_per_K_GPa()[i],
                                                            backend.eigenstrain_stress_GPa()[i],
                                                            engine.yield_stress_GPa()[i], current, to_K))
            nearest = std::min(nearest, direction * (*t - current));
        if (!std::isfinite(nearest))
          return events;
        current = nearest > 0.0 ? current + direction * nearest : current;
        events += engine.avalanche(current).events;
      }
  }
} // namespace

TEST(AthermalEventSearch, ScreenedSearchFindsTheTriggersOfABruteForceSearch)
{
  // Independent method: the brute-force loop above, on a back-end that solves by FFT every sweep
  // (the screened engine uses the superposition fast path). Same inputs, so the event sequences
  // must be identical: events per site, σ_y draws and states exactly; stresses to 1e-12 GPa.
  // Both discretisations of the Green's operator; the α spread gives some hundred events with
  // either (the continuous one, whose point response rings, flips about twice as many).
  for (const FourierDiscretisation discretisation :
       {FourierDiscretisation::q1_hexahedra, FourierDiscretisation::continuous})
    {
      SCOPED_TRACE(to_string(discretisation));
      std::vector<double> alpha(n * n * n);
      std::vector<double> yield(alpha.size());
      for (std::size_t p = 0; p < alpha.size(); ++p)
        {
          auto stream = cryocycle::core::make_random_stream(5, "alpha", p);
          alpha[p] = 3e-5 + 4.5e-5 * boost::random::normal_distribution<double>(0.0, 1.0)(stream);
          yield[p] = yield_draw(p, 1000, 0.0);
        }
      EventRule rule;
      rule.equivalent_strain = 0.002;
      rule.rejuvenation_per_event = 0.3;
      PeriodicFourierBackend screened_backend(MPI_COMM_WORLD, {n, n, n}, 1.0, K, G, alpha, PointUpdatePolicy{},
                                              discretisation);
      PointUpdatePolicy always_solve;
      always_solve.max_sites = 0;
      PeriodicFourierBackend brute_backend(MPI_COMM_WORLD, {n, n, n}, 1.0, K, G, alpha, always_solve, discretisation);
      const std::vector<double> state(alpha.size(), 0.0);
      AthermalEventEngine screened(screened_backend, yield, state, yield_draw, rule);
      AthermalEventEngine brute(brute_backend, yield, state, yield_draw, rule);
      // A cycle in sub-ramps as CyclingSimulation runs it (10 K steps), cooling then heating.
      std::uint64_t screened_events = 0;
      std::uint64_t brute_events = 0;
      for (const auto &[from, to] : {std::pair{0.0, -100.0}, {-100.0, -230.0}, {-230.0, -120.0}, {-120.0, 0.0}})
        for (int step = 0; step < 10; ++step)
          {
            const double a = from + (to - from) * step / 10.0;
            const double b = from + (to - from) * (step + 1) / 10.0;
            screened_events += screened.ramp(a, b).events;
            brute_events += brute_force_ramp(brute, brute_backend, a, b);
          }
      std::printf("%s: %llu events\n", to_string(discretisation), static_cast<unsigned long long>(brute_events));
      ASSERT_GT(brute_events, 100u);
      EXPECT_EQ(screened_events, brute_events);
      EXPECT_EQ(screened.event_count(), brute.event_count());
      EXPECT_EQ(screened.yield_stress_GPa(), brute.yield_stress_GPa());
      EXPECT_EQ(screened.structural_state(), brute.structural_state());
      for (std::size_t p = 0; p < alpha.size(); ++p)
        for (std::size_t c = 0; c < 6; ++c)
          EXPECT_NEAR(screened_backend.eigenstrain_stress_GPa()[p][c], brute_backend.eigenstrain_stress_GPa()[p][c],
                      1e-12);
    }
}
