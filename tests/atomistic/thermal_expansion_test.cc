// Volumetric thermal expansion on a reversible path.
#include "atomistic/thermal_expansion.h"
#include "lj_test_system.h"
#include "tests/common/mpi_environment.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace cryocycle::atomistic;
using namespace cryocycle::testing;

TEST(ThermalExpansion, LogVolumeSlopeIsExactForExponentialExpansion)
{
  // Reference: V = V0 exp(α T) has d ln V / dT = α exactly.
  std::vector<double> T{50, 100, 150, 200, 250, 300}, V;
  for (const double t : T)
    V.push_back(12.5 * std::exp(3.2e-5 * t));
  const auto [alpha, error] = log_volume_slope(T, V);
  EXPECT_NEAR(alpha, 3.2e-5, 1e-15);
  EXPECT_NEAR(error, 0.0, 1e-12);
}

TEST(ThermalExpansion, LjGlassExpandsReversiblyAfterAnnealing)
{
  // A 256-atom LJ glass annealed at T* = 0.25 and measured between T* = 0.05 and 0.2.
  // References: (1) the heat–cool loop must close within 1e-3 relative volume (docs/design.md: the
  // measurement must be reversible); (2) the heating branch is an independent estimate of α:
  // the two must agree within 25% plus three standard errors; (3) α > 0 and of the order of
  // the LJ glass value, α* = d ln V/dT* ≈ 0.3–1 (between 1e-5 and 1e-4 1/K with ε = 1 eV).
  const auto p = lj_potential();
  const auto folder = fresh_test_folder();
  LammpsSession session(MPI_COMM_WORLD);
  MdSystem system(session, p, lj_settings(p));
  auto q = lj_quench(p, 256, 0.8, 5.0, 0.1, 0.25);
  prepare_glass(system, q, folder / "g.data", folder / "g.restart", folder / "gi.data");
  system.read_restart(folder / "g.restart", 0.0);
  const auto &u = p.units;
  ExpansionProtocol e;
  e.anneal_temperature_K = 0.25 * u.kelvin_per_temperature();
  e.anneal_time_ps = 20.0 * u.ps_per_time();
  e.minimum_temperature_K = 0.05 * u.kelvin_per_temperature();
  e.maximum_temperature_K = 0.20 * u.kelvin_per_temperature();
  e.temperature_points = 3;
  e.equilibration_ps = 3.0 * u.ps_per_time();
  e.averaging_ps = 12.0 * u.ps_per_time();
  e.sample_interval_ps = 0.5 * u.ps_per_time();
  e.closure_tolerance = 1e-3;
  const auto r = measure_thermal_expansion(system, e);
  std::cout << "α = " << r.alpha_volumetric_per_K << " ± " << r.alpha_volumetric_standard_error_per_K
            << " 1/K (heating " << r.alpha_volumetric_heating_per_K << "), loop closure "
            << r.loop_closure_max_relative << "\n";
  ASSERT_EQ(r.points.size(), 6u);
  EXPECT_TRUE(r.loop_closed) << r.loop_closure_max_relative;
  EXPECT_GT(r.alpha_volumetric_per_K, 1e-5);
  EXPECT_LT(r.alpha_volumetric_per_K, 1e-4);
  EXPECT_NEAR(r.alpha_volumetric_heating_per_K, r.alpha_volumetric_per_K,
              0.25 * r.alpha_volumetric_per_K + 3.0 * r.alpha_volumetric_standard_error_per_K);
}
