// Many cycles on a small periodic RVE (Fourier back-end): the crystal control, rejuvenation
// competing with ageing, the widening σ_y distribution, and reproducibility.
#include "continuum/cycling_simulation.h"
#include "core/random_stream.h"

#include <boost/random/normal_distribution.hpp>
#include <gtest/gtest.h>

#include <algorithm>

using namespace cryocycle::continuum;

namespace
{
  constexpr std::size_t n = 8;
  constexpr double K = 108.92;
  constexpr double G = 26.47;

  /// σ_y ~ N(0.25 (1 − 0.3 s), 0.05) GPa, at least 0.05: rejuvenated sites are weaker.
  double yield_of(const std::uint64_t id, const std::uint64_t draw, const double state)
  {
    auto stream = cryocycle::core::make_random_stream(8, "yield", id, draw);
    const double z = boost::random::normal_distribution<double>(0.0, 1.0)(stream);
    return std::max(0.05, 0.25 * (1.0 - 0.3 * state) + 0.05 * z);
  }

  std::vector<CycleObservables> cycles(const double alpha_spread, const bool relaxation, const std::size_t count)
  {
    std::vector<double> alpha(n * n * n);
    std::vector<double> yield(n * n * n);
    for (std::size_t p = 0; p < alpha.size(); ++p)
      {
        auto stream = cryocycle::core::make_random_stream(4, "alpha", p);
        alpha[p] = 3e-5 + alpha_spread * boost::random::normal_distribution<double>(0.0, 1.0)(stream);
        yield[p] = yield_of(p, 1000000, 0.0);
      }
    PeriodicFourierBackend backend(MPI_COMM_WORLD, {n, n, n}, 1.0, K, G, alpha);
    EventRule rule;
    rule.equivalent_strain = 0.002;
    rule.rejuvenation_per_event = 0.3;
    AthermalEventEngine engine(backend, yield, std::vector<double>(alpha.size(), 0.0), yield_of, rule);
    ThermalCycleProtocol protocol;  // 300 K -> 77 K at 10 K/s, 60 s holds
    protocol.cycles = count;
    CyclingOptions options;
    options.seed = 21;
    if (relaxation)
      {
        ThermalRelaxationModel model;
        model.activation_volume_nm3 = 0.0045;  // ΔF ≈ 0.95 eV: ~1e-3 relaxations per site and s at 300 K
        model.relaxation_per_event = 0.5;
        options.relaxation = model;
      }
    CyclingSimulation simulation(engine, ThermalCycleSchedule(protocol), std::vector<double>(alpha.size(), K),
                                 std::vector<double>(alpha.size(), G), options);
    std::vector<CycleObservables> out{simulation.observe(0)};
    for (std::size_t c = 0; c < count; ++c)
      out.push_back(simulation.run_cycle(c));
    return out;
  }
} // namespace

TEST(CyclingSimulation, UniformExpansionNeverYieldsOverManyCycles)
{
  // Crystal control of seed 001: no thermal-expansion heterogeneity, no events, no change.
  const auto run = cycles(0.0, false, 5);
  for (const auto &c : run)
    {
      EXPECT_EQ(c.events_cooling + c.events_heating + c.events_holds, 0u);
      EXPECT_EQ(c.mean_state, 0.0);
    }
}

TEST(CyclingSimulation, RejuvenationCompetesWithAgeing)
{
  const auto run = cycles(3e-5, true, 10);
  ASSERT_EQ(run.size(), 11u);
  // Cooling triggers events in the first cycle and the state rises.
  EXPECT_GT(run[1].events_cooling, 0u);
  EXPECT_GT(run[1].mean_state, run[0].mean_state);
  std::uint64_t relaxations = 0;
  for (const auto &c : run)
    relaxations += c.relaxations;
  EXPECT_GT(relaxations, 0u);
  // Rejuvenation slows down as ageing catches up: the rise over the last three cycles is less
  // than over the first three.
  const double early = run[3].mean_state - run[0].mean_state;
  const double late = run[10].mean_state - run[7].mean_state;
  EXPECT_LT(late, early);
  // Shakedown: the first cooling, on the as-prepared stresses, triggers by far the most events
  // (measured 236, then 29, 15, ... for this RVE); later cycles keep a smaller steady activity.
  EXPECT_GT(run[1].events_cooling, 3 * run[2].events_cooling);
  EXPECT_GT(run[10].events_cooling + run[10].events_heating, 0u);
  EXPECT_GT(run[10].mean_plastic_strain, run[1].mean_plastic_strain);
  // Same seed, same cycles.
  const auto again = cycles(3e-5, true, 3);
  for (std::size_t c = 0; c < again.size(); ++c)
    {
      EXPECT_EQ(again[c].events_cooling, run[c].events_cooling);
      EXPECT_EQ(again[c].relaxations, run[c].relaxations);
      EXPECT_EQ(again[c].mean_state, run[c].mean_state);
    }
}
