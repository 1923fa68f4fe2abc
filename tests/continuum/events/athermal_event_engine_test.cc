// The athermal ST event engine on the periodic Fourier back-end: crystal control, stability
// after every ramp, monotone response to the cycle amplitude and to the spread of α, and the
// energy balance of every avalanche.
#include "continuum/events/athermal_event_engine.h"
#include "core/random_stream.h"

#include <boost/random/normal_distribution.hpp>
#include <gtest/gtest.h>

#include <cmath>

using namespace cryocycle;
using namespace cryocycle::continuum;

namespace
{
  constexpr double K = 108.92;
  constexpr double G = 26.47;
  constexpr std::size_t n = 10;

  /// Per-site α: mean 3e-5 /K, standard deviation `spread`, independent per site (seeded).
  std::vector<double> alpha_field(const double spread, const std::uint64_t seed = 4)
  {
    std::vector<double> alpha(n * n * n);
    for (std::size_t p = 0; p < alpha.size(); ++p)
      {
        auto stream = cryocycle::core::make_random_stream(seed, "alpha", p);
        alpha[p] = 3e-5 + spread * boost::random::normal_distribution<double>(0.0, 1.0)(stream);
      }
    return alpha;
  }

  /// σ_y ~ N(0.25, 0.05) GPa truncated at 0.05 GPa: low enough for a 1 nm site cooled by 200 K
  /// with α spread 2e-5 (thermal stress ~0.1 GPa) to trigger some sites.
  double yield_draw(const std::uint64_t id, const std::uint64_t event, const double = 0.0)
  {
    auto stream = cryocycle::core::make_random_stream(8, "yield", id, event + 1);
    return std::max(0.05, 0.25 + 0.05 * boost::random::normal_distribution<double>(0.0, 1.0)(stream));
  }

  std::vector<double> initial_yield()
  {
    std::vector<double> y(n * n * n);
    for (std::size_t p = 0; p < y.size(); ++p)
      {
        auto stream = cryocycle::core::make_random_stream(8, "yield", p, 0);
        y[p] = std::max(0.05, 0.25 + 0.05 * boost::random::normal_distribution<double>(0.0, 1.0)(stream));
      }
    return y;
  }

  struct CycleRun
  {
    EventStatistics cooling;
    EventStatistics heating;
    double overload_after_cooling = 0.0;
    double overload_after_heating = 0.0;
  };

  /// One cycle 0 → −amplitude → 0 K of temperature change.
  CycleRun one_cycle(const double alpha_spread, const double amplitude_K, const std::vector<double> &yield)
  {
    PeriodicFourierBackend backend(MPI_COMM_WORLD, {n, n, n}, 1.0, K, G, alpha_field(alpha_spread));
    EventRule rule;
    rule.equivalent_strain = 0.002;
    rule.rejuvenation_per_event = 0.0;
    AthermalEventEngine engine(backend, yield, std::vector<double>(yield.size(), 0.0), yield_draw, rule);
    CycleRun run;
    run.cooling = engine.ramp(0.0, -amplitude_K);
    run.overload_after_cooling = engine.largest_overload_GPa(-amplitude_K);
    run.heating = engine.ramp(-amplitude_K, 0.0);
    run.overload_after_heating = engine.largest_overload_GPa(0.0);
    return run;
  }
} // namespace

TEST(AthermalEventEngine, UniformExpansionTriggersNothing)
{
  // Crystal control (Shang et al. 2021): uniform α gives no thermal stress, so no site ever yields.
  std::vector<double> strong(n * n * n, 0.1);
  const CycleRun run = one_cycle(0.0, 300.0, strong);
  EXPECT_EQ(run.cooling.events + run.heating.events, 0u);
}

TEST(AthermalEventEngine, RampsEndStableAndRespondToAmplitudeAndSpread)
{
  const auto yield = initial_yield();
  const CycleRun base = one_cycle(2e-5, 200.0, yield);
  EXPECT_GT(base.cooling.events, 0u);
  // Every avalanche ends with all sites below their thresholds.
  EXPECT_LT(base.overload_after_cooling, 1e-9);
  EXPECT_LT(base.overload_after_heating, 1e-9);
  // Larger cycle amplitude and larger α spread give more events (same sites, same σ_y draws).
  const CycleRun deeper = one_cycle(2e-5, 300.0, yield);
  const CycleRun wider = one_cycle(3e-5, 200.0, yield);
  EXPECT_GT(deeper.cooling.events, base.cooling.events);
  EXPECT_GT(wider.cooling.events, base.cooling.events);
  // The same inputs give the same events.
  const CycleRun again = one_cycle(2e-5, 200.0, yield);
  EXPECT_EQ(again.cooling.events, base.cooling.events);
  EXPECT_EQ(again.heating.events, base.heating.events);
  EXPECT_EQ(again.cooling.work_aJ, base.cooling.work_aJ);
}

TEST(AthermalEventEngine, AvalancheWorkEqualsTheReleasedElasticEnergy)
{
  // Reference: linear elasticity. The elastic energy released by eigenstrain increments at fixed
  // ΔT equals the work Σ V ½(σ_before + σ_after) : Δε*, to round-off of the Fourier solution
  // (tolerance 1e-9 relative).
  PeriodicFourierBackend backend(MPI_COMM_WORLD, {n, n, n}, 1.0, K, G, alpha_field(3e-5));
  EventRule rule;
  rule.equivalent_strain = 0.002;
  rule.rejuvenation_per_event = 0.0;
  AthermalEventEngine engine(backend, initial_yield(), std::vector<double>(n * n * n, 0.0), yield_draw, rule);
  const double dT = -250.0;
  const double before = backend.elastic_energy_aJ(dT);
  const EventStatistics avalanche = engine.avalanche(dT);
  const double after = backend.elastic_energy_aJ(dT);
  ASSERT_GT(avalanche.events, 0u);
  EXPECT_GT(avalanche.work_aJ, 0.0);
  EXPECT_NEAR(before - after, avalanche.work_aJ, 1e-9 * avalanche.work_aJ);
  EXPECT_LT(engine.largest_overload_GPa(dT), 1e-9);
}

TEST(AthermalEventEngine, FiniteElementBackendBooksTheSameEnergyBalance)
{
  // The same identity on the deal.II back-end (Galerkin: the discrete energy is the quadratic
  // form of the symmetric stiffness, so it holds to the solver tolerance; 1e-6 relative here),
  // and stability after the avalanche.
  FiniteElementGeometry geometry;
  geometry.shape = SampleShape::periodic_cube;
  geometry.box_size_nm = {6.0, 6.0, 6.0};
  geometry.element_size_nm = 1.0;
  LinearSolverSettings solver;
  solver.kind = LinearSolverKind::iterative;
  solver.relative_tolerance = 1e-12;
  ThermoelasticModel model(MPI_COMM_WORLD, geometry, solver);
  const auto &sites = model.local_sites();
  std::vector<double> alpha(sites.size());
  std::vector<double> yield(sites.size());
  for (std::size_t i = 0; i < sites.size(); ++i)
    {
      auto stream = cryocycle::core::make_random_stream(4, "alpha", sites[i].global_id);
      alpha[i] = 3e-5 + 3e-5 * boost::random::normal_distribution<double>(0.0, 1.0)(stream);
      yield[i] = yield_draw(sites[i].global_id, 0);
    }
  model.set_thermal_expansion_per_K(alpha);
  model.set_moduli_GPa(std::vector<double>(sites.size(), K), std::vector<double>(sites.size(), G));
  FiniteElementBackend backend(model, MPI_COMM_WORLD);
  EventRule rule;
  rule.equivalent_strain = 0.002;
  rule.rejuvenation_per_event = 0.0;
  AthermalEventEngine engine(backend, yield, std::vector<double>(yield.size(), 0.0), yield_draw, rule);
  const double dT = -250.0;
  const double before = backend.elastic_energy_aJ(dT);
  const EventStatistics avalanche = engine.avalanche(dT);
  const double after = backend.elastic_energy_aJ(dT);
  ASSERT_GT(avalanche.events, 0u);
  EXPECT_NEAR(before - after, avalanche.work_aJ, 1e-6 * avalanche.work_aJ);
  EXPECT_LT(engine.largest_overload_GPa(dT), 1e-9);
  EXPECT_EQ(backend.solve_count(), 1 + avalanche.sweeps);
}

TEST(AthermalEventEngine, ShearTransformationsRejuvenateTheirSites)
{
  // From the relaxed state s = 0, a site that sheared k times with η_ST = 0.3 is at
  // s = 1 − 0.7^k; the renewal sees that state (here σ_y falls as the site rejuvenates).
  PeriodicFourierBackend backend(MPI_COMM_WORLD, {n, n, n}, 1.0, K, G, alpha_field(3e-5));
  EventRule rule;
  rule.equivalent_strain = 0.002;
  rule.rejuvenation_per_event = 0.3;
  const auto softening = [](std::uint64_t id, std::uint64_t draw, double state) {
    return yield_draw(id, draw) * (1.0 - 0.2 * state);
  };
  AthermalEventEngine engine(backend, initial_yield(), std::vector<double>(n * n * n, 0.0), softening, rule);
  const EventStatistics cycle = engine.ramp(0.0, -250.0);
  ASSERT_GT(cycle.events, 0u);
  for (std::size_t i = 0; i < n * n * n; ++i)
    EXPECT_NEAR(engine.structural_state()[i], 1.0 - std::pow(0.7, static_cast<double>(engine.event_count()[i])), 1e-12);
}
