// The finite-volume heat conduction: the analytic series of series_conduction.h for constant
// h, conservation of energy, and the film → nucleate boiling switch of Ketov et al. (2015).
#include "continuum/thermal/finite_volume_conduction.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace cryocycle::continuum;

namespace
{
  /// Plunges a body at 300 K into a bath at 77 K with constant h and compares θ = (T − T_bath) /
  /// (T_0 − T_bath) at the centre, half radius, surface and in the mean with the series.
  double largest_series_error(const ConductionShape shape, const double biot, const double theta_scheme,
                              const std::size_t cells, const double fourier_step)
  {
    HeatConductionSettings s;
    s.shape = shape;
    s.radius_m = 1.5e-3;
    s.conductivity_W_per_mK = 4.0;
    s.heat_capacity_J_per_m3K = 2.4e6;
    s.cells = cells;
    s.theta = theta_scheme;
    const double h = biot * s.conductivity_W_per_mK / s.radius_m;
    const double diffusion_time = s.heat_capacity_J_per_m3K * s.radius_m * s.radius_m / s.conductivity_W_per_mK;
    HeatConduction body(s, 300.0);
    const ConvectiveCooling series(shape, biot, 400);
    const auto transfer = SurfaceHeatTransfer::constant(h);
    double error = 0.0;
    double fo = 0.0;
    for (const double target : {0.02, 0.05, 0.1, 0.2, 0.5, 1.0})
      {
        while (fo < target - 1e-12)
          {
            body.step(fourier_step * diffusion_time, 77.0, 77.0, transfer);
            fo += fourier_step;
          }
        const auto ratio = [](double t) { return (t - 77.0) / (300.0 - 77.0); };
        for (const double x : {0.0, 0.5, 1.0})
          error = std::max(error, std::abs(ratio(body.temperature_K(x)) - series.temperature_ratio(x, fo)));
        error = std::max(error, std::abs(ratio(body.mean_temperature_K()) - series.mean_temperature_ratio(fo)));
      }
    return error;
  }
} // namespace

TEST(HeatConduction, ConstantCoefficientMatchesTheSeries)
{
  // Reference: the series solutions (series_conduction.h). Crank–Nicolson on 100 cells with
  // ΔFo = 1e-4 is second order in space and time: θ within 1e-3 of the series for Bi = 0.1, 1, 10
  // in all three shapes at Fo = 0.02 ... 1 (Fo = 0.02 is still an early, steep profile).
  for (const ConductionShape shape : {ConductionShape::plate, ConductionShape::cylinder, ConductionShape::sphere})
    for (const double biot : {0.1, 1.0, 10.0})
      EXPECT_LT(largest_series_error(shape, biot, 0.5, 100, 1e-4), 1e-3)
        << "shape " << static_cast<int>(shape) << ", Bi " << biot;
  // Backward Euler (first order in time) converges to the same: within 3e-3 with ΔFo = 1e-4.
  EXPECT_LT(largest_series_error(ConductionShape::cylinder, 1.0, 1.0, 100, 1e-4), 3e-3);
}

TEST(HeatConduction, HeatLostThroughTheSurfaceIsTheStoredHeatGivenUp)
{
  // Conservation of energy: with a switching h and surroundings that ramp, cool and warm, the
  // heat that left through the surface equals the fall of the stored heat to round-off
  // (1e-12 of the stored heat).
  for (const double theta : {0.5, 1.0})
    {
      HeatConductionSettings s;
      s.radius_m = 1.5e-3;
      s.cells = 64;
      s.theta = theta;
      HeatConduction body(s, 300.0);
      const double initial = body.stored_heat_J();
      const SurfaceHeatTransfer lnitrogen{148.0, 1355.0, 125.0, 148.0};  // film, nucleate below 125 K, warming
      double bath = 300.0;
      for (int k = 0; k < 4000; ++k)
        {
          const double next = k < 1000 ? 300.0 - 0.223 * (k + 1) : k < 2500 ? 77.0 : 77.0 + 0.1 * (k - 2499);
          body.step(0.01, bath, std::min(next, 300.0), lnitrogen);
          bath = std::min(next, 300.0);
          ASSERT_NEAR(initial - body.stored_heat_J(), body.heat_lost_J(), 1e-12 * initial);
        }
    }
}

TEST(HeatConduction, FilmToNucleateBoilingSpeedsUpTheLateCooling)
{
  // Ketov et al. (2015): a 3 mm rod plunged into LN2 cools in film boiling (148 W/m²K) until its surface
  // reaches the switch (125 K here), then in nucleate boiling (1355 W/m²K). Its cooling curve
  // follows the film-only curve exactly until the switch, then falls faster; the nucleate-only
  // curve is faster throughout.
  HeatConductionSettings s;
  s.radius_m = 1.5e-3;
  s.cells = 40;
  SurfaceHeatTransfer boiling;
  HeatConduction switching(s, 300.0);
  HeatConduction film(s, 300.0);
  HeatConduction nucleate(s, 300.0);
  const auto film_only = SurfaceHeatTransfer::constant(148.0);
  const auto nucleate_only = SurfaceHeatTransfer::constant(1355.0);
  bool switched = false;
  double switch_time = 0.0;
  for (int k = 0; k < 3000; ++k)
    {
      const bool was_film = switching.surface_temperature_K() > boiling.boiling_switch_K;
      switching.step(0.01, 77.0, 77.0, boiling);
      film.step(0.01, 77.0, 77.0, film_only);
      nucleate.step(0.01, 77.0, 77.0, nucleate_only);
      EXPECT_EQ(switching.last_heat_transfer_W_per_m2K(), was_film ? 148.0 : 1355.0);
      if (was_film)
        {
          EXPECT_EQ(switching.mean_temperature_K(), film.mean_temperature_K());
        }
      else if (!switched)
        {
          switched = true;
          switch_time = switching.time_s();
        }
      if (switched)
        {
          EXPECT_LT(switching.mean_temperature_K(), film.mean_temperature_K());
        }
      EXPECT_LE(nucleate.mean_temperature_K(), switching.mean_temperature_K() + 1e-12);
    }
  ASSERT_TRUE(switched);
  // Film boiling is nearly Newtonian here (Bi = h R/2κ ≈ 0.03): the switch comes near the
  // lumped time τ ln((300 − 77)/(125 − 77)), τ = ρ c_p R/(2h) — within 5%.
  const double tau = s.heat_capacity_J_per_m3K * s.radius_m / (2.0 * 148.0);
  EXPECT_NEAR(switch_time, tau * std::log(223.0 / 48.0), 0.05 * tau * std::log(223.0 / 48.0));
  // In nucleate boiling the Biot number ≈ 0.25: the surface runs visibly ahead of the centre.
  HeatConduction probe(s, 300.0);
  probe.step(0.5, 77.0, 77.0, nucleate_only);
  EXPECT_GT(probe.temperature_K(0.0) - probe.surface_temperature_K(), 5.0);
}
