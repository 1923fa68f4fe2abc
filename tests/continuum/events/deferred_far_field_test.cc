// The deferred-far-field event search (deferred_far_field.h) against the eager search that
// updates every site's stress after every sweep: twin engines on the same RVE over a cycle must
// flip the same sites in the same order, so events per site, σ_y draws and structural states are
// equal exactly and the stresses to round-off. The settings vary so that tiny blocks, a near zone
// of one site, frequent and rare whole-field solves and grids whose counts are not multiples of
// the block edge are all exercised.
#include "continuum/events/athermal_event_engine.h"
#include "core/random_stream.h"

#include <boost/random/normal_distribution.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>

using namespace cryocycle;
using namespace cryocycle::continuum;

namespace
{
  constexpr double K = 108.92;
  constexpr double G = 26.47;

  double yield_draw(const std::uint64_t id, const std::uint64_t draw, const double state)
  {
    auto stream = cryocycle::core::make_random_stream(8, "yield", id, draw);
    return std::max(0.05, (0.25 - 0.05 * state) + 0.05 * boost::random::normal_distribution<double>(0.0, 1.0)(stream));
  }

  struct Twins
  {
    std::uint64_t deferred_events = 0;
    std::uint64_t eager_events = 0;
    std::uint64_t deferred_sweeps = 0;
    std::uint64_t eager_sweeps = 0;
    double deferred_work_aJ = 0.0;
    double eager_work_aJ = 0.0;
    std::uint64_t refreshed = 0;
    std::uint64_t deferred_solves = 0;
  };

  /// One cycle (cooling to −230 K and back in sub-ramps, as CyclingSimulation runs it) on twin
  /// engines; compares their sites at the end.
  Twins run_twins(const std::array<std::size_t, 3> &grid, const DeferredFarFieldSettings &settings,
                  const double alpha_spread, const std::size_t steps_per_leg,
                  const FourierDiscretisation discretisation = FourierDiscretisation::q1_hexahedra)
  {
    const std::size_t total = grid[0] * grid[1] * grid[2];
    std::vector<double> alpha(total);
    std::vector<double> yield(total);
    for (std::size_t p = 0; p < total; ++p)
      {
        auto stream = cryocycle::core::make_random_stream(5, "alpha", p);
        alpha[p] = 3e-5 + alpha_spread * boost::random::normal_distribution<double>(0.0, 1.0)(stream);
        yield[p] = yield_draw(p, 1000, 0.0);
      }
    EventRule deferred_rule;
    deferred_rule.equivalent_strain = 0.002;
    deferred_rule.rejuvenation_per_event = 0.3;
    deferred_rule.deferred_far_field = settings;
    EventRule eager_rule = deferred_rule;
    eager_rule.deferred_far_field.enabled = false;
    PeriodicFourierBackend deferred_backend(MPI_COMM_WORLD, grid, 1.0, K, G, alpha, PointUpdatePolicy{},
                                            discretisation);
    PeriodicFourierBackend eager_backend(MPI_COMM_WORLD, grid, 1.0, K, G, alpha, PointUpdatePolicy{}, discretisation);
    const std::vector<double> state(total, 0.0);
    AthermalEventEngine deferred(deferred_backend, yield, state, yield_draw, deferred_rule);
    AthermalEventEngine eager(eager_backend, yield, state, yield_draw, eager_rule);
    Twins twins;
    for (const auto &[from, to] : {std::pair{0.0, -230.0}, {-230.0, 0.0}})
      for (std::size_t step = 0; step < steps_per_leg; ++step)
        {
          const double a = from + (to - from) * static_cast<double>(step) / static_cast<double>(steps_per_leg);
          const double b = from + (to - from) * static_cast<double>(step + 1) / static_cast<double>(steps_per_leg);
          const EventStatistics d = deferred.ramp(a, b);
          const EventStatistics e = eager.ramp(a, b);
          twins.deferred_events += d.events;
          twins.eager_events += e.events;
          twins.deferred_sweeps += d.sweeps;
          twins.eager_sweeps += e.sweeps;
          twins.deferred_work_aJ += d.work_aJ;
          twins.eager_work_aJ += e.work_aJ;
        }
    EXPECT_EQ(deferred.event_count(), eager.event_count());
    EXPECT_EQ(deferred.yield_stress_GPa(), eager.yield_stress_GPa());
    EXPECT_EQ(deferred.structural_state(), eager.structural_state());
    double largest = 0.0;
    for (std::size_t p = 0; p < total; ++p)
      for (std::size_t c = 0; c < 6; ++c)
        largest = std::max(largest, std::abs(deferred_backend.eigenstrain_stress_GPa()[p][c] -
                                             eager_backend.eigenstrain_stress_GPa()[p][c]));
    EXPECT_LT(largest, 1e-12) << "GPa";
    EXPECT_NE(deferred.deferred_far_field(), nullptr);
    EXPECT_EQ(eager.deferred_far_field(), nullptr);
    if (deferred.deferred_far_field() != nullptr)
      twins.refreshed = deferred.deferred_far_field()->refreshed_sites();
    twins.deferred_solves = deferred_backend.solve_count();
    return twins;
  }

  DeferredFarFieldSettings settings(const std::size_t block_edge, const std::size_t near_radius,
                                    const std::size_t events_between_solves)
  {
    DeferredFarFieldSettings s;
    s.block_edge = block_edge;
    s.near_radius = near_radius;
    s.events_between_solves = events_between_solves;
    return s;
  }

  void expect_same_cycle(const Twins &twins)
  {
    EXPECT_GT(twins.eager_events, 100u);
    EXPECT_EQ(twins.deferred_events, twins.eager_events);
    EXPECT_EQ(twins.deferred_sweeps, twins.eager_sweeps);
    // The work of a sweep is booked from the same stresses, summed in another order.
    EXPECT_NEAR(twins.deferred_work_aJ, twins.eager_work_aJ, 1e-9 * std::abs(twins.eager_work_aJ));
  }
} // namespace

TEST(DeferredFarField, TinyBlocksAndFrequentSolvesGiveTheEagerEventSequence)
{
  // The continuous Green's operator here: its point response rings along the grid axes, the
  // hardest case for the block bounds.
  expect_same_cycle(run_twins({8, 8, 8}, settings(2, 1, 7), 3e-5, 12, FourierDiscretisation::continuous));
}

TEST(DeferredFarField, DefaultsOnAGridThatIsNoMultipleOfTheBlockGiveTheEagerEventSequence)
{
  // 10 = 2 × 5 per axis: blocks of 2 along x and y (edge 4 does not divide 10), a near zone
  // of ±4; 9 along z: blocks of 3. Two long ramps per leg, a solve every 32 events (automatic).
  const Twins twins = run_twins({10, 10, 9}, DeferredFarFieldSettings{}, 3e-5, 2);
  expect_same_cycle(twins);
  // Deferred: far fewer sites brought to date than sites × events.
  EXPECT_LT(static_cast<double>(twins.refreshed), 0.1 * 900.0 * static_cast<double>(twins.eager_events));
}

TEST(DeferredFarField, WideNearZoneAndRareSolvesOnALargerRveGiveTheEagerEventSequence)
{
  expect_same_cycle(run_twins({16, 16, 16}, settings(4, 3, 200), 3e-5, 23));
}
