// Many cycles on a small periodic RVE (Fourier back-end): the crystal control, rejuvenation
// competing with ageing, the widening σ_y distribution, reproducibility, and the energy
// bookkeeping of whole cycles.
#include "continuum/cycling/cycling_simulation.h"
#include "continuum/physics/activation.h"
#include "core/random_stream.h"

#include <boost/random/normal_distribution.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <optional>

using namespace cryocycle;
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

  /// `count` cycles (300 K → 77 K at 10 K/s, 60 s holds, seed 21) of an n³ periodic RVE on the
  /// Fourier back-end: α = 3e-5 /K + alpha_spread · N(0, 1) per site, σ_y from `yield` (initial
  /// draw 1000000), ε0 = 0.002, η_ST as given; the observables before and after every cycle.
  std::vector<CycleObservables> run_rve(const double alpha_spread, const YieldStressRenewal &yield,
                                        const double rejuvenation_per_event,
                                        const std::optional<ThermalRelaxationModel> &relaxation,
                                        const std::size_t count)
  {
    std::vector<double> alpha(n * n * n);
    std::vector<double> initial_yield(n * n * n);
    for (std::size_t p = 0; p < alpha.size(); ++p)
      {
        auto stream = cryocycle::core::make_random_stream(4, "alpha", p);
        alpha[p] = 3e-5 + alpha_spread * boost::random::normal_distribution<double>(0.0, 1.0)(stream);
        initial_yield[p] = yield(p, 1000000, 0.0);
      }
    PeriodicFourierBackend backend(MPI_COMM_WORLD, {n, n, n}, 1.0, K, G, alpha);
    EventRule rule;
    rule.equivalent_strain = 0.002;
    rule.rejuvenation_per_event = rejuvenation_per_event;
    AthermalEventEngine engine(backend, initial_yield, std::vector<double>(alpha.size(), 0.0), yield, rule);
    ThermalCycleProtocol protocol;  // 300 K -> 77 K at 10 K/s, 60 s holds
    protocol.cycles = count;
    CyclingOptions options;
    options.seed = 21;
    options.relaxation = relaxation;
    CyclingSimulation simulation(engine, ThermalCycleSchedule(protocol), std::vector<double>(alpha.size(), K),
                                 std::vector<double>(alpha.size(), G), options);
    std::vector<CycleObservables> out{simulation.observe(0)};
    for (std::size_t c = 0; c < count; ++c)
      out.push_back(simulation.run_cycle(c));
    return out;
  }

  /// Relaxation with ΔF ≈ 0.95 eV: ~1e-3 relaxations per site and s at 300 K.
  ThermalRelaxationModel ageing()
  {
    ThermalRelaxationModel model;
    model.activation_volume_nm3 = 0.0045;
    model.relaxation_per_event = 0.5;
    return model;
  }

  std::vector<CycleObservables> cycles(const double alpha_spread, const bool relaxation, const std::size_t count)
  {
    return run_rve(alpha_spread, yield_of, 0.3,
                   relaxation ? std::optional<ThermalRelaxationModel>(ageing()) : std::nullopt, count);
  }
} // namespace

TEST(CyclingSimulation, UniformExpansionNeverYieldsOverManyCycles)
{
  // Crystal control of Shang et al. (2021): no thermal-expansion heterogeneity, no events, no change.
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

namespace
{
  /// State law of the behaviour test: σ_y ~ N(0.25 − 0.07 s, 0.025 + 0.035 s) GPa, at least
  /// 0.02 — the relaxed glass strong and narrow, the rejuvenated one softer and wider, as both
  /// Shang et al. (2018) (Table I: the fast quench has the larger λ, a wider relative spread, and the lower
  /// median) and Ketov et al. (2015) (yield pressure ±7% as cast, ±15% after cycling) have it.
  double contrasting_yield(const std::uint64_t id, const std::uint64_t draw, const double state)
  {
    auto stream = cryocycle::core::make_random_stream(9, "yield", id, draw);
    const double z = boost::random::normal_distribution<double>(0.0, 1.0)(stream);
    return std::max(0.02, 0.25 - 0.07 * state + (0.025 + 0.035 * state) * z);
  }

  /// An ST leaves its zone in the rejuvenated state (η_ST = 1), with ageing.
  std::vector<CycleObservables> contrasting_cycles(const std::size_t count)
  {
    return run_rve(3e-5, contrasting_yield, 1.0, ageing(), count);
  }
} // namespace

TEST(CyclingSimulation, StoredEnergyRisesThenAgeingCatchesUpAndTheYieldStressDistributionWidens)
{
  // The expected behaviour of cycling (Ketov et al. 2015: rejuvenation by cycling, widened yield-pressure
  // distribution). With events and relaxation both active on an 8³ RVE:
  //  - the mean structural state (the stored energy is linear in it) rises in the first cycles
  //    and then levels off or falls: its maximum lies after cycle 1, and the last three cycles
  //    add less than a quarter of what the first three added (or take it away);
  //  - the σ_y decile width grows with cycling: above the as-quenched width after every cycle,
  //    and its maximum at least 10% above it.
  // Why the state law matters: every ramp ends with σ_y > σ_eq at every site, so events cut the
  // low tail of σ_y (a stability filter); only when the rejuvenated distribution is softer and
  // wider than the relaxed one do the sites an ST renews widen it more than the cut narrows it.
  const auto run = contrasting_cycles(10);
  ASSERT_EQ(run.size(), 11u);
  for (std::size_t c = 1; c <= 10; ++c)
    std::printf("cycle %zu: events %llu + %llu, relaxations %llu, mean state %.4f, σ_y median %.4f, decile width %.4f\n",
                c, static_cast<unsigned long long>(run[c].events_cooling),
                static_cast<unsigned long long>(run[c].events_heating),
                static_cast<unsigned long long>(run[c].relaxations), run[c].mean_state, run[c].yield_median_GPa,
                run[c].yield_decile_width);
  EXPECT_GT(run[1].mean_state, run[0].mean_state);
  std::size_t peak = 0;
  double widest = 0.0;
  for (std::size_t c = 0; c <= 10; ++c)
    {
      if (run[c].mean_state > run[peak].mean_state)
        peak = c;
      widest = std::max(widest, run[c].yield_decile_width);
    }
  EXPECT_GT(peak, 1u) << "the state should keep rising after the first cycle";
  EXPECT_LT(run[10].mean_state - run[7].mean_state, 0.25 * (run[3].mean_state - run[0].mean_state))
    << "the state should level off or fall as ageing catches up";
  for (std::size_t c = 1; c <= 10; ++c)
    EXPECT_GT(run[c].yield_decile_width, run[0].yield_decile_width) << "cycle " << c;
  EXPECT_GT(widest, 1.1 * run[0].yield_decile_width);
  // Rejuvenated sites are softer: the first cycles lower the median (Ketov et al. 2015: cycling lowers
  // the yield pressure); ageing brings it back later.
  EXPECT_LT(run[1].yield_median_GPa, run[0].yield_median_GPa);
}

TEST(CyclingSimulation, ElasticEnergyChangePerCycleEqualsTheWorkAgainstTheResidualStress)
{
  // Energy bookkeeping over whole cycles (linear elasticity, Mura: E(0, ε*) = −½⟨ε*, L ε*⟩ with
  // L symmetric): relaxation changes no eigenstrain, so the elastic energy at T_a = T_ref falls
  // over a cycle by exactly the work of its eigenstrain increments against the residual stress,
  // Σ V ½(R_before + R_after) : Δε*, summed over every sweep at whatever temperature it ran.
  // The rest of the work, Σ V ΔT S_T : Δε*, is done against the thermal stress and is not stored
  // at T_a. Tolerance 1e-9 of the cycle's largest energy term (Fourier round-off, including the
  // superposition path of the back-end).
  const auto run = cycles(3e-5, true, 5);
  for (std::size_t c = 1; c < run.size(); ++c)
    {
      const double change = run[c].elastic_energy_aJ - run[c - 1].elastic_energy_aJ;
      const double scale = std::max({std::abs(run[c].work_aJ), std::abs(run[c].elastic_energy_aJ), 1e-12});
      EXPECT_NEAR(change, -run[c].residual_work_aJ, 1e-9 * scale) << "cycle " << c;
      if (c == 1)
        {
          EXPECT_GT(run[c].work_aJ, 0.0);
          EXPECT_NE(run[c].work_aJ, run[c].residual_work_aJ) << "the thermal part must not vanish";
        }
    }
}

TEST(CyclingSimulation, StressAssistedTransformationsHappenBelowTheThreshold)
{
  // Thresholds ~5 GPa lie far above the thermal stresses (~0.25 GPa at 77 K): no athermal event.
  // With stress-assisted STs (ΔF0 = (10G + K)/11 · V_ST = 0.9 eV, lowered by the stress) sites
  // transform during the cycles anyway, mostly near room temperature — counted with the
  // thermally caused events — and the structural state rises; with V_ST = 0 nothing happens (the
  // reference), and a higher barrier (1.0 eV) gives fewer events (Arrhenius).
  const auto strong = [](const std::uint64_t id, const std::uint64_t draw, const double state) {
    return 20.0 * yield_of(id, draw, state);
  };
  const auto run = [&](const double st_volume_nm3) {
    ThermalRelaxationModel model;
    model.activation_volume_nm3 = 0.1;  // relaxation frozen out (ΔF ≈ 21 eV)
    model.relaxation_per_event = 0.1;
    model.st_activation_volume_nm3 = st_volume_nm3;
    return run_rve(3e-5, strong, 0.3, model, 2);
  };
  for (const auto &c : run(0.0))
    {
      EXPECT_EQ(c.events_cooling + c.events_heating + c.events_holds + c.relaxations, 0u);
      EXPECT_EQ(c.mean_state, 0.0);
    }
  const auto count = [&](const double barrier_eV) {
    const auto assisted = run(barrier_eV / shoving_barrier_eV(K, G, 1.0));
    std::uint64_t activated = 0;
    for (const auto &c : assisted)
      {
        EXPECT_EQ(c.relaxations, 0u);
        activated += c.events_holds;
      }
    std::printf("ΔF0 = %.2f eV: %llu stress-assisted STs in 2 cycles on %zu sites, mean state %.4g\n", barrier_eV,
                static_cast<unsigned long long>(activated), n * n * n, assisted.back().mean_state);
    return std::pair{activated, assisted.back().mean_state};
  };
  const auto [low, state] = count(0.9);
  EXPECT_GT(low, 10u);
  EXPECT_GT(state, 0.0);
  EXPECT_LT(count(1.0).first, low);
}
