// Thermal relaxation applied by the event engine: ageing alone lowers the structural state.
#include "continuum/events/athermal_event_engine.h"
#include "continuum/physics/thermal_relaxation.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

using namespace cryocycle::continuum;

TEST(ThermalRelaxation, AgeingAloneLowersTheStoredEnergyMonotonically)
{
  // Without stress-driven events the structural state (the stored energy is linear in it) can
  // only fall: after every hold the mean state is at most the previous one, and it falls overall.
  int initialized = 0;
  MPI_Initialized(&initialized);
  ASSERT_TRUE(initialized);
  const std::size_t n = 6;
  PeriodicFourierBackend backend(MPI_COMM_WORLD, {n, n, n}, 1.0, 108.92, 26.47,
                                 std::vector<double>(n * n * n, 3e-5));
  const auto renewal = [](std::uint64_t, std::uint64_t, double state) { return 1.0 + 0.5 * state; };
  EventRule rule;
  rule.equivalent_strain = 0.05;
  rule.rejuvenation_per_event = 0.0;
  AthermalEventEngine engine(backend, std::vector<double>(n * n * n, 1.5), std::vector<double>(n * n * n, 1.0),
                             renewal, rule);
  ThermalRelaxationModel model;
  model.activation_volume_nm3 = 0.005;  // ΔF ≈ 1.06 eV: about 0.5 relaxations per site and second at 400 K
  model.relaxation_per_event = 0.1;
  const std::vector<double> bulk(n * n * n, 108.92);
  const std::vector<double> shear(n * n * n, 26.47);
  const auto mean_state = [&] {
    double s = 0.0;
    for (const double v : engine.structural_state())
      s += v;
    return s / static_cast<double>(engine.structural_state().size());
  };
  double previous = mean_state();
  const double first = previous;
  for (std::uint64_t hold = 0; hold < 20; ++hold)
    {
      const auto counts = draw_relaxation_counts(backend.local_sites(), bulk, shear, model, 400.0, 400.0, 1.0, 3, hold);
      engine.relax(counts, model.relaxation_per_event);
      EXPECT_EQ(engine.avalanche(0.0).events, 0u);  // relaxed sites are stronger here
      const double now = mean_state();
      EXPECT_LE(now, previous);
      previous = now;
    }
  EXPECT_LT(previous, 0.9 * first);
}
