// The thermal stress of a radial temperature profile in a free rod, from the precomputed basis
// responses of HeatConductionLoad, against the classical long-cylinder solution.
#include "continuum/thermal/conduction_load.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace cryocycle::continuum;

TEST(HeatConductionLoad, ParabolicProfileInALongRodIsTimoshenkosCylinder)
{
  // Reference: a long free cylinder with T(r) = T_ref + A (r/R)² (Timoshenko & Goodier §150,
  // generalised plane strain, free ends), with c = α_lin E/(1 − ν), x = r/R:
  //   σ_rr = c A (1 − x²)/4,  σ_θθ = c A (1 − 3x²)/4,  σ_zz = c A (1/2 − x²).
  // FE (Q2, cells of R/2) of a rod 6R long; cell-averaged stresses of the cells within 1.5R of
  // the middle compared at their centres: the volume-weighted RMS error within 3% of c A, and the
  // surface hoop stress of series_conduction.h (σ_θθ(R) = c (T_mean − T_s)) recovered by
  // extrapolation within 5%.
  const double K = 108.92;
  const double G = 26.47;
  const double alpha = 3e-5;
  FiniteElementGeometry geometry;
  geometry.shape = SampleShape::rod;
  geometry.radius_nm = 1.0;
  geometry.length_nm = 6.0;
  geometry.element_size_nm = 0.5;
  geometry.fe_degree = 2;
  LinearSolverSettings solver;
  solver.kind = LinearSolverKind::direct;
  ThermoelasticModel model(MPI_COMM_WORLD, geometry, solver);
  const std::size_t n = model.local_sites().size();
  model.set_thermal_expansion_per_K(std::vector<double>(n, alpha));
  model.set_moduli_GPa(std::vector<double>(n, K), std::vector<double>(n, G));
  const HeatConductionLoad load(model, 3);
  EXPECT_EQ(load.shape(), ConductionShape::cylinder);

  const double amplitude = -100.0;  // K: the surface 100 K colder than the axis
  const auto stress = load.load_stress_GPa({300.0, amplitude, 0.0, 0.0}, 300.0);
  const double young = 9.0 * K * G / (3.0 * K + G);
  const double poisson = (3.0 * K - 2.0 * G) / (2.0 * (3.0 * K + G));
  const double c = alpha / 3.0 * young / (1.0 - poisson);
  double error = 0.0;
  double volume = 0.0;
  double outer_hoop = 0.0;
  double outer_x = 0.0;
  for (std::size_t i = 0; i < n; ++i)
    {
      const auto &site = model.local_sites()[i];
      if (std::abs(site.centre_nm[2]) > 1.5)
        continue;
      const double x = load.site_position()[i];
      const double phi = std::atan2(site.centre_nm[1], site.centre_nm[0]);
      const double cs = std::cos(phi);
      const double sn = std::sin(phi);
      const auto &s = stress[i];
      const double rr = cs * cs * s[0] + sn * sn * s[1] + 2.0 * sn * cs * s[5];
      const double tt = sn * sn * s[0] + cs * cs * s[1] - 2.0 * sn * cs * s[5];
      const double zz = s[2];
      const double e_rr = rr - c * amplitude * (1.0 - x * x) / 4.0;
      const double e_tt = tt - c * amplitude * (1.0 - 3.0 * x * x) / 4.0;
      const double e_zz = zz - c * amplitude * (0.5 - x * x);
      error += site.volume_nm3 * (e_rr * e_rr + e_tt * e_tt + e_zz * e_zz) / 3.0;
      volume += site.volume_nm3;
      if (x > outer_x + 1e-9)
        {
          outer_x = x;
          outer_hoop = 0.0;
        }
      if (std::abs(x - outer_x) < 1e-9)
        outer_hoop = tt;
    }
  ASSERT_GT(volume, 0.0);
  EXPECT_LT(std::sqrt(error / volume), 0.03 * std::abs(c * amplitude));
  // Extrapolate the outermost cell's hoop stress to the surface along the analytic slope.
  const double surface_hoop = outer_hoop + c * amplitude * (-3.0 / 4.0) * (1.0 - outer_x * outer_x);
  const double expected = cylinder_surface_thermal_stress_GPa(alpha, K, G, 300.0 + amplitude / 2.0, 300.0 + amplitude);
  EXPECT_NEAR(surface_hoop, expected, 0.05 * std::abs(expected));
  // A uniform temperature change of a free body with uniform α: no stress.
  for (const auto &s : load.load_stress_GPa({250.0, 0.0, 0.0, 0.0}, 300.0))
    for (const double component : s)
      EXPECT_NEAR(component, 0.0, 1e-6 * std::abs(c * amplitude));
}

TEST(HeatConductionLoad, FitReproducesAConductionProfile)
{
  // The even polynomial of degree 6 fitted to a cooling cylinder's profile (nucleate boiling,
  // Bi = 0.34, 0.5 s in) is within 0.05 K of the finite-volume temperatures (a 100 K drop).
  HeatConductionSettings s;
  s.radius_m = 1.5e-3;
  s.cells = 64;
  HeatConduction conduction(s, 300.0);
  for (int k = 0; k < 50; ++k)
    conduction.step(0.01, 77.0, 77.0, SurfaceHeatTransfer::constant(1355.0));
  FiniteElementGeometry geometry;
  geometry.shape = SampleShape::rod;
  geometry.radius_nm = 1.0;
  geometry.length_nm = 2.0;
  geometry.element_size_nm = 0.5;
  ThermoelasticModel model(MPI_COMM_WORLD, geometry, LinearSolverSettings{});
  const std::size_t n = model.local_sites().size();
  model.set_thermal_expansion_per_K(std::vector<double>(n, 3e-5));
  const HeatConductionLoad load(model, 3);
  const auto a = load.fit(conduction);
  EXPECT_GT(conduction.temperature_K(0.0) - conduction.surface_temperature_K(), 5.0);
  EXPECT_LT(load.fit_error_K(conduction, a), 0.05);
}
