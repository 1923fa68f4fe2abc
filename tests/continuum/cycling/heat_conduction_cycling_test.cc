// Cycles with homogenised cells: a mm rod plunged into liquid nitrogen with heat conduction
// (crystal control: no events, but a real thermal gradient), and a periodic RVE of homogenised
// cells where rejuvenation competes with ageing.
#include "continuum/cycling/heat_conduction_cycling.h"
#include "core/random_stream.h"
#include "tests/common/truncated_normal_thresholds.h"

#include <boost/random/normal_distribution.hpp>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <optional>

using namespace cryocycle;
using namespace cryocycle::continuum;

namespace
{
  constexpr double K = 108.92;
  constexpr double G = 26.47;

  ThresholdDistribution thresholds() { return test_support::truncated_normal_thresholds(); }

  /// A periodic RVE of 8³ homogenised cells of 1e6 sites each at uniform temperature (α ~
  /// N(3e-5, 3e-5) /K, thresholds()), cycled 300 K ↔ 77 K: the observables before cycling and
  /// after each of `cycles` cycles, with the relaxation model `relaxation` (none if empty).
  std::vector<CycleObservables> homogenised_rve_cycles(const std::optional<ThermalRelaxationModel> &relaxation,
                                                       const std::size_t cycles)
  {
    const std::size_t m = 8;
    std::vector<double> alpha(m * m * m);
    for (std::size_t p = 0; p < alpha.size(); ++p)
      {
        auto stream = cryocycle::core::make_random_stream(4, "alpha", p);
        alpha[p] = 3e-5 + 3e-5 * boost::random::normal_distribution<double>(0.0, 1.0)(stream);
      }
    PeriodicFourierBackend backend(MPI_COMM_WORLD, {m, m, m}, 1.0, K, G, alpha);
    EventRule rule;
    rule.equivalent_strain = 0.002;
    rule.rejuvenation_per_event = 0.3;
    HomogenisedEventEngine engine(backend, thresholds(), std::vector<double>(alpha.size(), 0.0), rule,
                                  HomogenisedCellRule{1e6, 5e-2}, 7);
    ThermalCycleProtocol protocol;
    protocol.cycles = cycles;
    HomogenisedCyclingOptions options;
    options.seed = 21;
    options.relaxation = relaxation;
    HomogenisedCyclingSimulation simulation(engine, ThermalCycleSchedule(protocol),
                                            std::vector<double>(alpha.size(), K), std::vector<double>(alpha.size(), G),
                                            nullptr, options);
    std::vector<CycleObservables> out{simulation.observe(0)};
    for (std::size_t c = 0; c < cycles; ++c)
      out.push_back(simulation.run_cycle(c));
    return out;
  }
} // namespace

TEST(HomogenisedCycling, MillimetreRodInLiquidNitrogenStaysQuiet)
{
  // A 1.5 mm rod (uniform α: the crystal control of Shang et al. 2021) plunged into LN2 and warmed back,
  // three cycles, with heat conduction (film → nucleate boiling, Ketov et al. 2015). Its surface reaches
  // the bath and a radial gradient of several K appears (Bi ≈ 0.13 in nucleate boiling), whose
  // stress (c ΔT ≈ 0.01 GPa) stays far below the thresholds: zero events and no event re-solve is the
  // reference. The thresholds are shifted up by 0.25 GPa (mean 0.5 GPa) so that even the weakest
  // of 1e12 sites per cell (~7 standard deviations below the mean) lies above the load.
  FiniteElementGeometry geometry;
  geometry.shape = SampleShape::rod;
  geometry.radius_nm = 0.75e6;
  geometry.length_nm = 3.0e6;
  geometry.element_size_nm = 0.5e6;
  ThermoelasticModel model(MPI_COMM_WORLD, geometry, LinearSolverSettings{});
  const std::size_t n = model.local_sites().size();
  model.set_thermal_expansion_per_K(std::vector<double>(n, 3e-5));
  model.set_moduli_GPa(std::vector<double>(n, K), std::vector<double>(n, G));
  const HeatConductionLoad load(model, 3);
  FiniteElementBackend backend(model, MPI_COMM_WORLD);
  ThresholdDistribution strong = thresholds();
  const auto base = thresholds();
  strong.quantile_GPa = [base](double s, double u) { return 0.25 + base.quantile_GPa(s, u); };
  strong.cdf = [base](double s, double x) { return base.cdf(s, x - 0.25); };
  EventRule rule;
  rule.equivalent_strain = 0.002;
  rule.rejuvenation_per_event = 0.0;
  HomogenisedEventEngine engine(backend, strong, std::vector<double>(n, 0.0), rule, HomogenisedCellRule{1e12, 1e-3}, 3);
  ThermalCycleProtocol protocol{300.0, 77.0, 1e4, 1e4, 20.0, 30.0, 3};  // immersion: the bath jumps
  HomogenisedCyclingOptions options;
  options.seed = 5;
  options.conduction = HeatConductionSettings{};
  options.conduction->cells = 32;
  options.surface.warming_W_per_m2K = 1355.0;  // warmed back in a stirred bath, for a short test
  options.max_time_step_s = 0.1;
  HomogenisedCyclingSimulation simulation(engine, ThermalCycleSchedule(protocol), std::vector<double>(n, K),
                                          std::vector<double>(n, G), &load, options);
  const std::size_t solves = backend.solve_count();
  for (std::size_t c = 0; c < 3; ++c)
    {
      const CycleObservables o = simulation.run_cycle(c);
      EXPECT_EQ(o.events_cooling + o.events_heating + o.events_holds, 0u) << "cycle " << c + 1;
      const auto &report = simulation.last_conduction_report();
      EXPECT_NEAR(report.lowest_surface_temperature_K, 77.0, 1.0);
      EXPECT_GT(report.largest_centre_surface_difference_K, 2.0);
      EXPECT_LT(report.largest_centre_surface_difference_K, 40.0);
      EXPECT_GT(report.largest_load_von_mises_GPa, 1e-4);
      EXPECT_LT(report.largest_load_von_mises_GPa, 0.05);
      EXPECT_NEAR(report.end_mean_temperature_K, 300.0, 1.0);
      EXPECT_EQ(o.mean_state, 0.0);
    }
  // No event re-solve: only the re-solve from scratch that ends every cycle (for the checkpoint).
  EXPECT_EQ(backend.solve_count(), solves + 3);
}

TEST(HomogenisedCycling, RejuvenationCompetesWithAgeingInHomogenisedCells)
{
  // A periodic RVE of 8³ cells of 1e6 sites each (uniform temperature): cooling transforms a
  // fraction of the sites and raises the state; with relaxation the state falls again during
  // the holds; the run is reproducible.
  const auto run = [](const bool relaxation) {
    return homogenised_rve_cycles(relaxation ? std::optional(ThermalRelaxationModel{1e13, 0.0045, 0.5}) : std::nullopt,
                                  3);
  };
  const auto athermal = run(false);
  EXPECT_GT(athermal[1].events_cooling, 0u);
  EXPECT_GT(athermal[1].mean_state, 0.0);
  EXPECT_GE(athermal[3].mean_state, athermal[1].mean_state);
  EXPECT_GT(athermal[1].mean_plastic_strain, 0.0);
  // The σ_y distribution of all sites: the virgin median 0.25 GPa at first; cycling removes its
  // weak tail (those sites transformed and drew anew), so it narrows and its median moves.
  EXPECT_NEAR(athermal[0].yield_median_GPa, 0.25, 1e-6);
  EXPECT_NEAR(athermal[0].yield_decile_width, 2.0 * 1.2815516 * 0.05 / 0.25, 1e-5);
  EXPECT_NE(athermal[3].yield_median_GPa, athermal[0].yield_median_GPa);
  const auto ageing = run(true);
  EXPECT_GT(ageing[1].relaxations, 0u);
  EXPECT_LT(ageing[3].mean_state, athermal[3].mean_state);
  const auto again = run(true);
  for (std::size_t c = 0; c < ageing.size(); ++c)
    {
      EXPECT_EQ(again[c].events_cooling, ageing[c].events_cooling);
      EXPECT_EQ(again[c].relaxations, ageing[c].relaxations);
      EXPECT_EQ(again[c].mean_state, ageing[c].mean_state);
    }
}

TEST(HomogenisedCycling, StressAssistedTransformationsActDuringHoldsAndAgeing)
{
  // The RVE of homogenised cells above, with relaxation, without and with stress-assisted STs
  // (V_ST = 0.05 nm³: ΔF0 ≈ 10.6 eV, so only sites within a few per cent of their threshold
  // activate in an interval). Without them no event follows a relaxation here (the renewed
  // thresholds stay above the load); with them sites near their thresholds transform after
  // every interval, which raises the state; the run is reproducible.
  const auto run = [](const double st_volume_nm3) {
    return homogenised_rve_cycles(ThermalRelaxationModel{1e13, 0.0045, 0.5, st_volume_nm3}, 2);
  };
  const auto plain = run(0.0);
  const auto assisted = run(0.05);
  std::printf("events after relaxation, cycle 1: %llu without, %llu with stress-assisted STs\n",
              static_cast<unsigned long long>(plain[1].events_holds),
              static_cast<unsigned long long>(assisted[1].events_holds));
  EXPECT_GT(assisted[1].events_holds, plain[1].events_holds + 1000);
  EXPECT_GT(assisted[1].mean_state, plain[1].mean_state);
  const auto again = run(0.05);
  for (std::size_t c = 0; c < assisted.size(); ++c)
    {
      EXPECT_EQ(again[c].events_holds, assisted[c].events_holds);
      EXPECT_EQ(again[c].events_cooling, assisted[c].events_cooling);
      EXPECT_EQ(again[c].mean_state, assisted[c].mean_state);
    }
}
