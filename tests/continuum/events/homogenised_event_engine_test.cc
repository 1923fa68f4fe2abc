// The homogenised event engine on the periodic Fourier back-end: with one site per cell it is
// the explicit-site engine event for event; homogenised cells stay quiet without a thermal
// mismatch, end every avalanche stable, and a load path reproduces the uniform ramp.
#include "continuum/events/athermal_event_engine.h"
#include "continuum/events/homogenised_event_engine.h"
#include "continuum/physics/activation.h"
#include "continuum/physics/thermal_relaxation.h"
#include "core/random_stream.h"
#include "tests/common/truncated_normal_thresholds.h"

#include <boost/random/normal_distribution.hpp>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

using namespace cryocycle;
using namespace cryocycle::continuum;

namespace
{
  constexpr double K = 108.92;
  constexpr double G = 26.47;
  constexpr std::size_t n = 8;
  constexpr std::uint64_t seed = 17;

  std::vector<double> alpha_field(const double spread)
  {
    std::vector<double> alpha(n * n * n);
    for (std::size_t p = 0; p < alpha.size(); ++p)
      {
        auto stream = cryocycle::core::make_random_stream(4, "alpha", p);
        alpha[p] = 3e-5 + spread * boost::random::normal_distribution<double>(0.0, 1.0)(stream);
      }
    return alpha;
  }

  ThresholdDistribution thresholds() { return test_support::truncated_normal_thresholds(); }

  EventRule rule()
  {
    EventRule r;
    r.equivalent_strain = 0.002;
    r.rejuvenation_per_event = 0.3;
    return r;
  }

  /// The same 8³ RVE as explicit sites and as cells of one site each, given the same thresholds
  /// σ_y = quantile(s, homogenised_threshold_uniform(seed, id, draw)). Both back-ends solve by
  /// FFT after every sweep (no superposed point responses), so that the stresses do not depend
  /// on how each engine hands over its increments.
  struct OneSiteTwins
  {
    ThresholdDistribution d = thresholds();
    PeriodicFourierBackend explicit_backend{MPI_COMM_WORLD, {n, n, n}, 1.0, K, G, alpha_field(3e-5),
                                            PointUpdatePolicy{0, 1000, 0}};
    PeriodicFourierBackend cell_backend{MPI_COMM_WORLD, {n, n, n}, 1.0, K, G, alpha_field(3e-5),
                                        PointUpdatePolicy{0, 1000, 0}};
    std::size_t count = explicit_backend.local_sites().size();
    AthermalEventEngine sites{explicit_backend, first_yield(), std::vector<double>(count, 0.0),
                              [this](std::uint64_t id, std::uint64_t draw, double state) {
                                return d.quantile_GPa(state, homogenised_threshold_uniform(seed, id, draw + 1));
                              },
                              rule()};
    HomogenisedEventEngine cells{cell_backend, d, std::vector<double>(count, 0.0), rule(), HomogenisedCellRule{1.0, 1e-3},
                                 seed};

    std::vector<double> first_yield() const
    {
      std::vector<double> yield(count);
      for (std::size_t i = 0; i < count; ++i)
        yield[i] = d.quantile_GPa(0.0, homogenised_threshold_uniform(seed, explicit_backend.local_sites()[i].global_id, 0));
      return yield;
    }

    /// Events, thresholds, states and eigenstrains of every site equal, bit for bit.
    void expect_same_sites() const
    {
      for (std::size_t i = 0; i < count; ++i)
        {
          EXPECT_EQ(static_cast<double>(sites.event_count()[i]), cells.cells()[i].transformed_sites());
          EXPECT_EQ(sites.yield_stress_GPa()[i], cells.cells()[i].trigger_stress_GPa());
          EXPECT_EQ(sites.structural_state()[i], cells.cells()[i].state());
          EXPECT_EQ(explicit_backend.eigenstrain()[i], cell_backend.eigenstrain()[i]);
        }
    }
  };
} // namespace

TEST(HomogenisedEventEngine, OneSitePerCellIsTheExplicitEngine)
{
  // Independent method: the explicit-site engine given the same thresholds,
  // σ_y = quantile(s, homogenised_threshold_uniform(seed, id, draw)). Two cycles of ±250 K on
  // the same α field: the same events per site, eigenstrains, thresholds, states and work
  // (bit for bit: the same arithmetic in the same order).
  OneSiteTwins twins;
  auto &sites = twins.sites;
  auto &cells = twins.cells;
  std::uint64_t total = 0;
  for (int cycle = 0; cycle < 2; ++cycle)
    for (const auto &[from, to] : {std::pair{0.0, -250.0}, std::pair{-250.0, 0.0}})
      {
        const EventStatistics a = sites.ramp(from, to);
        const EventStatistics b = cells.ramp(from, to);
        EXPECT_EQ(a.events, b.events);
        EXPECT_EQ(a.sweeps, b.sweeps);
        EXPECT_EQ(a.avalanches, b.avalanches);
        EXPECT_EQ(a.work_aJ, b.work_aJ);
        total += a.events;
      }
  EXPECT_GT(total, 10u);
  twins.expect_same_sites();
}

TEST(HomogenisedEventEngine, OneSitePerCellActivatesAsTheExplicitEngine)
{
  // Stress-assisted STs with one site per cell. Independent method: the explicit sites' draw
  // (draw_stress_assisted_events) and AthermalEventEngine::activate. After a cooling to −200 K,
  // a 60 s hold at 200 K with V_ST = 0.05 nm³: each cell decides from the explicit sites'
  // stream with the same barrier, so the same sites activate; activating them (with the
  // avalanche that follows) gives the same events, eigenstrains, thresholds and states, bit for
  // bit.
  OneSiteTwins twins;
  auto &sites = twins.sites;
  auto &cells = twins.cells;
  const auto &d = twins.d;
  const std::size_t count = twins.count;
  const double dT = -200.0;
  EXPECT_EQ(sites.ramp(0.0, dT).events, cells.ramp(0.0, dT).events);

  ThermalRelaxationModel model;
  model.attempt_frequency_per_s = 1e13;
  model.st_activation_volume_nm3 = 0.05;
  model.relaxation_per_event = 0.1;
  const std::vector<double> bulk(count, K);
  const std::vector<double> shear(count, G);
  const auto stress = sites.stress_GPa(dT);
  std::vector<double> von_mises(count);
  for (std::size_t i = 0; i < count; ++i)
    von_mises[i] = von_mises_equivalent(stress[i]);
  const double hold_K = 300.0 + dT;
  const auto flags = draw_stress_assisted_events(twins.explicit_backend.local_sites(), bulk, shear, von_mises,
                                                 sites.yield_stress_GPa(), model, hold_K, hold_K, 60.0, seed, 7);
  const double barrier0 = shoving_barrier_eV(K, G, model.st_activation_volume_nm3);
  const auto cell_stress = cells.stress_GPa(dT);
  std::vector<double> counts(count, 0.0);
  std::size_t activated = 0;
  for (std::size_t i = 0; i < count; ++i)
    {
      const double sigma_eq = von_mises_equivalent(cell_stress[i]);
      EXPECT_EQ(sigma_eq, von_mises[i]);
      const auto probability = [&](const double e) {
        return -std::expm1(-expected_activations(model.attempt_frequency_per_s,
                                                 stress_assisted_barrier_eV(barrier0, sigma_eq, e), hold_K, hold_K,
                                                 60.0));
      };
      auto stream = cryocycle::core::make_random_stream(seed, "stress-assisted activation",
                                                        cells.cells()[i].id(), 7);
      counts[i] = cells.cells()[i].stress_assisted_sites(sigma_eq, probability, stream, d);
      EXPECT_EQ(counts[i], flags[i] ? 1.0 : 0.0) << "site " << i;
      activated += flags[i] ? 1 : 0;
    }
  std::printf("%zu of %zu sites activated\n", activated, count);
  EXPECT_GT(activated, 5u);
  EXPECT_LT(activated, count / 2);
  const EventStatistics a = sites.activate(flags, dT);
  const EventStatistics b = cells.activate(counts, dT);
  EXPECT_EQ(a.events, b.events);
  EXPECT_EQ(a.sweeps, b.sweeps);
  EXPECT_EQ(a.work_aJ, b.work_aJ);
  EXPECT_GE(a.events, activated);
  twins.expect_same_sites();
}

TEST(HomogenisedEventEngine, UniformSampleStaysQuietOverManyCycles)
{
  // Crystal control (Shang et al. 2021) in homogenised mode: uniform α, no thermal stress, thresholds
  // far above zero — no event in five cycles of 300 K ↔ 77 K.
  PeriodicFourierBackend backend(MPI_COMM_WORLD, {n, n, n}, 1.0, K, G, alpha_field(0.0));
  HomogenisedEventEngine engine(backend, thresholds(), std::vector<double>(n * n * n, 0.0), rule(),
                                HomogenisedCellRule{1e12, 1e-4}, seed);
  for (int cycle = 0; cycle < 5; ++cycle)
    {
      EXPECT_EQ(engine.ramp(0.0, -223.0).events, 0u);
      EXPECT_EQ(engine.ramp(-223.0, 0.0).events, 0u);
    }
  EXPECT_EQ(backend.solve_count(), 1u);
}

TEST(HomogenisedEventEngine, LargeCellsEndStableAndScaleTheirEigenstrain)
{
  // Cells of 1e9 sites, quanta of 2e-2 (each quantum is a trigger and a solve): every ramp ends with all cells below their next
  // trigger; the plastic strain of a cell is bounded by its transformed fraction times f ε0
  // (every increment is (m/n) f ε0 in equivalent strain).
  PeriodicFourierBackend backend(MPI_COMM_WORLD, {n, n, n}, 1.0, K, G, alpha_field(3e-5));
  HomogenisedEventEngine engine(backend, thresholds(), std::vector<double>(n * n * n, 0.0), rule(),
                                HomogenisedCellRule{1e9, 2e-2}, seed);
  const EventStatistics cooling = engine.ramp(0.0, -250.0);
  EXPECT_LT(engine.largest_overload_GPa(-250.0), 1e-9);
  const EventStatistics heating = engine.ramp(-250.0, 0.0);
  EXPECT_LT(engine.largest_overload_GPa(0.0), 1e-9);
  EXPECT_GT(cooling.events, 0u);
  EXPECT_GT(cooling.work_aJ, 0.0);
  double sites = 0.0;
  for (std::size_t i = 0; i < engine.cells().size(); ++i)
    {
      const auto &cell = engine.cells()[i];
      sites += cell.transformed_sites();
      EXPECT_LE(equivalent_strain(backend.eigenstrain()[i]),
                0.002 * cell.transformed_sites() / cell.site_count() * (1.0 + 1e-12));
      EXPECT_GE(cell.state(), 0.0);
      EXPECT_LE(cell.state(), 1.0);
    }
  EXPECT_NEAR(sites, static_cast<double>(cooling.events + heating.events), static_cast<double>(engine.cells().size()));
}

TEST(HomogenisedEventEngine, LoadPathOfUniformTemperatureIsTheRamp)
{
  // A load path whose ends are ΔT0 S_T and ΔT1 S_T is the uniform ramp from ΔT0 to ΔT1
  // (parameterised by x in [0, 1] instead of ΔT): the same events and work (relative 1e-9 —
  // the roots are found in a different parameter).
  PeriodicFourierBackend first(MPI_COMM_WORLD, {n, n, n}, 1.0, K, G, alpha_field(3e-5));
  PeriodicFourierBackend second(MPI_COMM_WORLD, {n, n, n}, 1.0, K, G, alpha_field(3e-5));
  const HomogenisedCellRule cells{1.0, 1e-3};
  HomogenisedEventEngine by_ramp(first, thresholds(), std::vector<double>(n * n * n, 0.0), rule(), cells, seed);
  HomogenisedEventEngine by_path(second, thresholds(), std::vector<double>(n * n * n, 0.0), rule(), cells, seed);
  const auto load = [&](double dT) {
    auto l = second.thermal_stress_per_K_GPa();
    for (auto &s : l)
      for (auto &c : s)
        c *= dT;
    return l;
  };
  const EventStatistics a = by_ramp.ramp(-20.0, -250.0);
  const EventStatistics b = by_path.ramp_load(load(-20.0), load(-250.0));
  ASSERT_GT(a.events, 0u);
  EXPECT_EQ(a.events, b.events);
  EXPECT_NEAR(a.work_aJ, b.work_aJ, 1e-9 * a.work_aJ);
  EXPECT_EQ(by_path.avalanche_at_load(load(-250.0)).events, 0u);
}

TEST(HomogenisedEventEngine, AvalancheWorkEqualsTheReleasedElasticEnergy)
{
  // Energy bookkeeping with fractional flips: the elastic energy released at fixed ΔT equals the
  // work Σ V ½(σ_before + σ_after) : Δε* (linear elasticity; 1e-9 relative, round-off of the
  // Fourier solution), and the energy at ΔT = 0 falls by the residual part of that work.
  PeriodicFourierBackend backend(MPI_COMM_WORLD, {n, n, n}, 1.0, K, G, alpha_field(3e-5));
  HomogenisedEventEngine engine(backend, thresholds(), std::vector<double>(n * n * n, 0.0), rule(),
                                HomogenisedCellRule{1e9, 5e-2, 0.0}, seed);
  const double dT = -250.0;
  const double before = backend.elastic_energy_aJ(dT);
  const double before_at_zero = backend.elastic_energy_aJ(0.0);
  const EventStatistics avalanche = engine.avalanche(dT);
  ASSERT_GT(avalanche.events, 0u);
  EXPECT_NEAR(before - backend.elastic_energy_aJ(dT), avalanche.work_aJ, 1e-9 * avalanche.work_aJ);
  EXPECT_NEAR(before_at_zero - backend.elastic_energy_aJ(0.0), avalanche.residual_work_aJ, 1e-9 * avalanche.work_aJ);
  EXPECT_LT(engine.largest_overload_GPa(dT), 1e-9);
}

TEST(HomogenisedEventEngine, CellsHoldTheirVolumeOverTheSiteVolume)
{
  // With a site volume, a cell of V nm³ holds round(V / V_site) sites (here 1 nm³ / 0.008 nm³).
  PeriodicFourierBackend backend(MPI_COMM_WORLD, {n, n, n}, 1.0, K, G, alpha_field(3e-5));
  HomogenisedEventEngine engine(backend, thresholds(), std::vector<double>(n * n * n, 0.0), rule(),
                                HomogenisedCellRule{1.0, 1e-3, 0.008}, seed);
  for (const auto &cell : engine.cells())
    EXPECT_EQ(cell.site_count(), 125.0);
}

TEST(HomogenisedEventEngine, SiteThermalStressTransformsCellsAtZeroStress)
{
  // Uniform α: no cell stress at any temperature. With the sites' own thermal-mismatch stress
  // (Lomax γ = 8.15, η = 0.72 GPa at 100 K, Shang et al. 2018 Table I) a cooling of 100 K transforms in each
  // cell the fraction F_eff(0) = P(σ_th > σ_y) of its sites, plus the renewed sites that draw a
  // threshold below zero again (p² + p³ + ... down to the quantum): events / sites lies in
  // [p, p / (1 − p)] (tolerance 0.1% for the rounding of counts; η_ST = 0 keeps p fixed, as
  // rejuvenation would lower the thresholds on the way). Those flips leave no cell-scale
  // eigenstrain (random directions) and need no re-solve.
  PeriodicFourierBackend backend(MPI_COMM_WORLD, {n, n, n}, 1.0, K, G, alpha_field(0.0));
  EventRule fixed_state = rule();
  fixed_state.rejuvenation_per_event = 0.0;
  auto d = thresholds();
  d.site_thermal_stress =
    std::make_shared<const SiteThermalStress>([](double u) { return 0.72 * (std::pow(1.0 - u, -1.0 / 8.15) - 1.0); }, 100.0);
  const double sites_per_cell = 1e12;
  HomogenisedEventEngine engine(backend, d, std::vector<double>(n * n * n, 0.0), fixed_state,
                                HomogenisedCellRule{sites_per_cell, 1e-6}, seed);
  ASSERT_TRUE(engine.has_site_thermal_stress());
  EXPECT_EQ(engine.ramp(0.0, -100.0).events, 0u);  // the mismatch follows set_site_temperature_change only
  engine.set_site_temperature_change(-100.0);
  const double p = d.effective_cdf(0.0, 1.0, 0.0);
  ASSERT_GT(p, 1e-3);
  const double total = sites_per_cell * static_cast<double>(n * n * n);
  const EventStatistics first = engine.avalanche(-100.0);
  EXPECT_GE(static_cast<double>(first.events), p * total * (1.0 - 1e-3));
  EXPECT_LE(static_cast<double>(first.events), p / (1.0 - p) * total * (1.0 + 1e-3));
  for (const auto &eigenstrain : backend.eigenstrain())
    EXPECT_EQ(eigenstrain, SymmetricTensor6{});
  EXPECT_EQ(backend.solve_count(), 1u);
  for (const auto &cell : engine.cells())
    EXPECT_GT(cell.trigger_stress_GPa(d), 0.0);  // the avalanche ends stable

  // Warming back transforms nothing; the next cooling finds only the renewed sites (training).
  engine.set_site_temperature_change(0.0);
  EXPECT_EQ(engine.avalanche(0.0).events, 0u);
  engine.set_site_temperature_change(-100.0);
  const EventStatistics second = engine.avalanche(-100.0);
  EXPECT_LT(static_cast<double>(second.events), 0.1 * static_cast<double>(first.events));

  // Without the mismatch the same sample stays quiet (the crystal control above).
  PeriodicFourierBackend quiet_backend(MPI_COMM_WORLD, {n, n, n}, 1.0, K, G, alpha_field(0.0));
  HomogenisedEventEngine quiet(quiet_backend, thresholds(), std::vector<double>(n * n * n, 0.0), rule(),
                               HomogenisedCellRule{sites_per_cell, 1e-6}, seed);
  quiet.set_site_temperature_change(-100.0);
  EXPECT_EQ(quiet.avalanche(-100.0).events, 0u);
}

TEST(HomogenisedEventEngine, CollectedIncrementsBookTheirWorkWhenFlushed)
{
  // Energy bookkeeping with the sites' thermal-mismatch stress, whose small increments are
  // collected until the largest reaches the deferred-strain tolerance: the work of the avalanche
  // plus that of flush() equals the elastic energy released (linear elasticity; 1e-9 relative,
  // round-off of the Fourier solution), and flush() must have had increments to apply.
  // A milder sample than above (α spread 1e-5 /K, Lomax η = 0.3 GPa, η_ST = 0), so that the
  // re-flip cascade of renewed sites stays short.
  PeriodicFourierBackend backend(MPI_COMM_WORLD, {n, n, n}, 1.0, K, G, alpha_field(1e-5));
  EventRule fixed_state = rule();
  fixed_state.rejuvenation_per_event = 0.0;
  auto d = thresholds();
  d.site_thermal_stress =
    std::make_shared<const SiteThermalStress>([](double u) { return 0.3 * (std::pow(1.0 - u, -1.0 / 8.15) - 1.0); }, 100.0);
  HomogenisedCellRule cells{1e12, 1e-6};  // quanta far below P(σ_th > σ_y), as in the test above
  cells.deferred_strain_tolerance = 1e-2;  // far above any increment: all stay collected
  HomogenisedEventEngine engine(backend, d, std::vector<double>(n * n * n, 0.0), fixed_state, cells, seed);
  const double dT = -100.0;
  const double before = backend.elastic_energy_aJ(dT);
  engine.set_site_temperature_change(dT);
  const EventStatistics avalanche = engine.avalanche(dT);
  ASSERT_GT(avalanche.events, 0u);
  const auto eigenstrain_before_flush = backend.eigenstrain();
  const EventStatistics flushed = engine.flush(nullptr, dT);
  EXPECT_NE(backend.eigenstrain(), eigenstrain_before_flush);
  EXPECT_NE(flushed.work_aJ, 0.0);
  EXPECT_EQ(flushed.events, 0u);
  const double work = avalanche.work_aJ + flushed.work_aJ;
  EXPECT_NEAR(before - backend.elastic_energy_aJ(dT), work, 1e-9 * std::abs(work));
  // Nothing is left to flush.
  EXPECT_EQ(engine.flush(nullptr, dT).work_aJ, 0.0);
}
