// Tests of the series solutions of convective cooling and the cylinder surface thermal stress.
#include "continuum/thermal/series_conduction.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace cryocycle::continuum;

TEST(TransientConduction, FirstEigenvaluesMatchTheTabulatedOnes)
{
  // Reference: the one-term coefficients tabulated in heat-transfer texts (Incropera & DeWitt,
  // Table 5.1), 4 to 5 significant digits: tolerance 1e-4.
  struct Row
  {
    ConductionShape shape;
    double biot, lambda, c;
  };
  const Row rows[] = {{ConductionShape::plate, 1.0, 0.8603, 1.1191},
                      {ConductionShape::cylinder, 1.0, 1.2558, 1.2071},
                      {ConductionShape::sphere, 1.0, 1.5708, 1.2732},
                      {ConductionShape::plate, 10.0, 1.4289, 1.2620},
                      {ConductionShape::cylinder, 10.0, 2.1795, 1.5677},
                      {ConductionShape::sphere, 10.0, 2.8363, 1.9249},
                      {ConductionShape::cylinder, 0.1, 0.4417, 1.0246}};
  for (const auto &row : rows)
    {
      const ConvectiveCooling series(row.shape, row.biot, 5);
      EXPECT_NEAR(series.eigenvalues()[0], row.lambda, 1e-4) << "Bi " << row.biot;
      EXPECT_NEAR(series.coefficients()[0], row.c, 1e-4) << "Bi " << row.biot;
      for (std::size_t n = 1; n < 5; ++n)
        EXPECT_GT(series.eigenvalues()[n], series.eigenvalues()[n - 1]);
    }
}

TEST(TransientConduction, HeatLeavesOnlyThroughTheSurface)
{
  // Conservation of energy: d(mean θ)/dFo = −(A R / V) Bi θ(surface), with A R/V = 1, 2, 3 for
  // plate, cylinder, sphere. Central differences in Fo, relative tolerance 1e-6.
  const std::pair<ConductionShape, double> shapes[] = {
    {ConductionShape::plate, 1.0}, {ConductionShape::cylinder, 2.0}, {ConductionShape::sphere, 3.0}};
  for (const auto &[shape, area_ratio] : shapes)
    {
      const ConvectiveCooling series(shape, 2.5, 400);
      for (const double fo : {0.01, 0.1, 0.5, 2.0})
        {
          const double d = 1e-5 * fo;
          const double rate = (series.mean_temperature_ratio(fo + d) - series.mean_temperature_ratio(fo - d)) / (2 * d);
          const double flux = -area_ratio * 2.5 * series.temperature_ratio(1.0, fo);
          EXPECT_NEAR(rate, flux, 1e-6 * std::abs(flux)) << "Fo " << fo;
        }
      // Early on the centre has not felt the bath yet; late, everything approaches it.
      EXPECT_NEAR(series.temperature_ratio(0.0, 2e-3), 1.0, 1e-9);
      EXPECT_LT(series.temperature_ratio(0.0, 20.0), 1e-6);
      EXPECT_THROW(series.temperature_ratio(0.5, 1e-7), std::domain_error);
    }
}

TEST(TransientConduction, SmallBiotIsNewtonianCooling)
{
  // Reference: for Bi << 1 the body stays uniform and cools as exp(−(A R/V) Bi Fo) (lumped
  // capacitance); at Bi = 0.01 the centre–surface difference is below 1% (Bi/2 for a cylinder).
  const ConvectiveCooling rod(ConductionShape::cylinder, 0.01);
  for (const double fo : {1.0, 10.0, 50.0})
    {
      EXPECT_NEAR(rod.mean_temperature_ratio(fo), std::exp(-2.0 * 0.01 * fo), 0.01 * std::exp(-2.0 * 0.01 * fo));
      EXPECT_LT(rod.temperature_ratio(0.0, fo) - rod.temperature_ratio(1.0, fo), 0.01 * rod.temperature_ratio(0.0, fo));
    }
}

TEST(TransientConduction, BiotNumbersOfKetov2015AndSurfaceStress)
{
  // Ketov et al. (2015): film boiling h = 148 W m⁻² K⁻¹, κ = 4 W m⁻¹ K⁻¹; a 2 mm rod (R = 1 mm) has the
  // V/A length R/2 = 0.5 mm, so Bi = 148 · 5e-4 / 4 = 0.0185; in nucleate boiling (1355) 0.169.
  EXPECT_NEAR(volume_to_area_biot(ConductionShape::cylinder, 148.0, 1e-3, 4.0), 0.0185, 1e-12);
  EXPECT_NEAR(volume_to_area_biot(ConductionShape::cylinder, 1355.0, 1e-3, 4.0), 0.169375, 1e-12);
  EXPECT_NEAR(fourier_number(4.0, 3.0e6, 1e-3, 1.5), 2.0, 1e-12);
  // E = 9KG/(3K + G) = 73.459 GPa and ν = (3K − 2G)/(2(3K + G)) = 0.38760 for K = 108.92,
  // G = 26.47 GPa: E/(1 − ν) = 119.96 GPa; α = 3e-5 (α_lin = 1e-5), T_mean − T_s = 10 K →
  // 0.011996 GPa.
  EXPECT_NEAR(cylinder_surface_thermal_stress_GPa(3e-5, 108.92, 26.47, 87.0, 77.0), 0.011996, 2e-6);
  EXPECT_THROW(ConvectiveCooling(ConductionShape::plate, 0.0), std::invalid_argument);
}
