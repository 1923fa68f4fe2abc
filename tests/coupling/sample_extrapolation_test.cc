// Samples of the extrapolation table: geometry, Ketov et al. (2015)'s Biot-number statements, the peak
// temperature gradient of the series solution against its quasi-steady small-Bi limit, the
// surface stress against the closed form, and P_act of a whole sample.
#include "coupling/bridge/sample_extrapolation.h"
#include "coupling/bridge/scale_bridge.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace cryocycle::coupling;
using Shape = SampleGeometry::Shape;
using cryocycle::continuum::ConductionShape;

namespace
{
  SampleGeometry rod(const double d_mm) { return {"rod", Shape::rod, 0, 0, 0, d_mm * 1e-3, 2 * d_mm * 1e-3}; }
  SampleGeometry disc(const double d_mm) { return {"disc", Shape::disc, 0, 0.5e-3, 0, d_mm * 1e-3, 0}; }
  const SampleGeometry ribbon{"ribbon", Shape::plate, 0, 40e-6, 1e-3, 0, 10e-3};
} // namespace

TEST(SampleExtrapolation, Geometry)
{
  const SampleGeometry r = rod(3.0);
  EXPECT_NEAR(r.volume_m3(), M_PI / 4 * 9e-6 * 6e-3, 1e-18);
  EXPECT_NEAR(r.surface_area_m2(), M_PI * 3e-3 * 6e-3 + M_PI / 2 * 9e-6, 1e-15);
  EXPECT_EQ(r.conduction_shape(), ConductionShape::cylinder);
  EXPECT_DOUBLE_EQ(r.conduction_radius_m(), 1.5e-3);
  EXPECT_DOUBLE_EQ(r.biot_length_m(), 0.75e-3);  // Ketov et al. (2015): L = R/2 for a cylinder
  EXPECT_DOUBLE_EQ(ribbon.biot_length_m(), 20e-6);  // half-thickness for a plate
  const SampleGeometry cube{"cube", Shape::cube, 10e-9};
  EXPECT_NEAR(cube.biot_length_m(), cube.volume_m3() / cube.surface_area_m2(), 1e-24);
  EXPECT_EQ(cube.conduction_shape(), ConductionShape::sphere);
}

TEST(SampleExtrapolation, SeedThreeBiotNumbers)
{
  // Ketov et al. (2015) (Methods, Extended Data Table 1): with h = 148 / 1355 W m⁻² K⁻¹ and κ = 4 W m⁻¹ K⁻¹,
  // Bi < 0.1 for nearly all cases; only the large cylinders in nucleate boiling exceed it.
  const ImmersionSettings im;
  const auto biot = [&](const SampleGeometry &s, const std::size_t regime) {
    return extrapolate_sample(s, 0.5, 1e-4, 0.0, im).immersion[regime].biot_number;
  };
  EXPECT_NEAR(biot(rod(3.0), 1), 1355.0 * 0.75e-3 / 4.0, 1e-12);
  EXPECT_GT(biot(rod(3.0), 1), 0.1);
  for (const double d : {1.5, 2.0, 2.5, 3.0})
    {
      EXPECT_LT(biot(rod(d), 0), 0.1) << d;
      EXPECT_LT(biot(disc(d), 0), 0.1) << d;
      EXPECT_LT(biot(disc(d), 1), 0.1) << d;
    }
  EXPECT_LT(biot(ribbon, 1), 0.01);
}

TEST(SampleExtrapolation, PeakGradientApproachesTheQuasiSteadyLimit)
{
  // Independent limit: for Bi ≪ 1 the profile is parabolic and T_mean − T_surface = Bi ΔT θ / k,
  // k = 3 (plate), 4 (cylinder), 5 (sphere), with θ ≈ 1 at the peak; the series must agree to
  // O(Bi) (tolerance 1% at Bi = 1e-3).
  const std::pair<ConductionShape, double> shapes[] = {
    {ConductionShape::plate, 3.0}, {ConductionShape::cylinder, 4.0}, {ConductionShape::sphere, 5.0}};
  for (const auto &[shape, k] : shapes)
    {
      const PeakGradient peak = peak_temperature_gradient(shape, 1e-3);
      EXPECT_FALSE(peak.quasi_steady_limit);
      EXPECT_NEAR(peak.temperature_ratio_difference / (1e-3 / k), 1.0, 0.01) << k;
      // The peak is a maximum: neighbouring Fourier numbers give less.
      EXPECT_GT(peak.fourier_number, 0.0);
      // Below 1e-6 the limit itself is used.
      EXPECT_TRUE(peak_temperature_gradient(shape, 1e-8).quasi_steady_limit);
      EXPECT_NEAR(peak_temperature_gradient(shape, 1e-8).temperature_ratio_difference, 1e-8 / k, 1e-20);
    }
  // The gradient grows with Bi but stays below the initial step.
  const double at_01 = peak_temperature_gradient(ConductionShape::cylinder, 0.1).temperature_ratio_difference;
  const double at_1 = peak_temperature_gradient(ConductionShape::cylinder, 1.0).temperature_ratio_difference;
  EXPECT_LT(at_01, at_1);
  EXPECT_LT(at_1, 1.0);
  EXPECT_THROW(peak_temperature_gradient(ConductionShape::plate, 0.0), std::invalid_argument);
}

TEST(SampleExtrapolation, PeakStressIsTheSurfaceStressOfThePeakGradient)
{
  // σ = α_lin E/(1 − ν) (T_mean − T_surface) with E = 9KG/(3K + G), ν = (3K − 2G)/(2(3K + G)).
  const ImmersionSettings im;
  const SampleExtrapolation row = extrapolate_sample(rod(3.0), 0.5, 1e-4, 0.0, im);
  const double K = im.bulk_modulus_GPa, G = im.shear_modulus_GPa;
  const double E = 9 * K * G / (3 * K + G);
  const double nu = (3 * K - 2 * G) / (2 * (3 * K + G));
  for (const auto &r : row.immersion)
    {
      const double bi_radius = r.heat_transfer_W_per_m2K * 1.5e-3 / im.thermal_conductivity_W_per_mK;
      const double dtheta = peak_temperature_gradient(ConductionShape::cylinder, bi_radius).temperature_ratio_difference;
      const double expected_MPa = 1e3 * im.thermal_expansion_volumetric_per_K / 3 * E / (1 - nu) * dtheta * (293.0 - 77.0);
      EXPECT_NEAR(r.peak_stress_MPa, expected_MPa, 1e-9 * expected_MPa);
      EXPECT_GT(r.time_to_peak_s, 0.0);
    }
  // Ketov et al. (2015): ΔT = 216 K at most gives a linear strain of 0.19% (α_lin 8.7e-6 /K); any real
  // gradient stress is a fraction of the unrestrained E α ΔT/(1 − ν).
  EXPECT_LT(row.immersion[1].peak_stress_MPa, 1e3 * E * 8.7e-6 * 216 / (1 - nu));
  EXPECT_GT(row.immersion[1].peak_stress_MPa, row.immersion[0].peak_stress_MPa);
}

TEST(SampleExtrapolation, SitesAndActivationOfASample)
{
  const ImmersionSettings im;
  const SampleGeometry cube{"cube", Shape::cube, 10e-9};
  const SampleExtrapolation row = extrapolate_sample(cube, 0.5, 4.58e-4, 2e-3, im);
  EXPECT_NEAR(row.sites, 1000.0 / site_volume_nm3(0.5), 1e-9);
  EXPECT_NEAR(row.activation_probability, 1.0 - std::pow(1.0 - 4.58e-4, row.sites), 1e-13);
  EXPECT_NEAR(row.expected_sites_activated, row.sites * 4.58e-4, 1e-12);
  EXPECT_NEAR(row.rve_events_per_cycle, 2.0, 1e-12);
}

TEST(SampleExtrapolation, FiniteVolumeImmersionAgreesWithTheSeriesAndBracketsTheSwitch)
{
  // Independent method: continuum::HeatConduction (finite volumes) with a constant h gives the
  // same peak T_mean − T_surface as the series maximisation (tolerance 2%: 64 cells, backward
  // Euler). With h switching from film to nucleate boiling at 125 K the peak lies between the
  // film-only and nucleate-only peaks.
  const ImmersionSettings im;
  const SampleGeometry r = rod(3.0);
  for (const double h : {148.0, 1355.0})
    {
      const double bi = h * r.conduction_radius_m() / im.thermal_conductivity_W_per_mK;
      const double series_K = peak_temperature_gradient(ConductionShape::cylinder, bi).temperature_ratio_difference * 216.0;
      const SwitchingPeak fv = peak_temperature_difference_switching(
        ConductionShape::cylinder, r.conduction_radius_m(), im.thermal_conductivity_W_per_mK,
        im.volumetric_heat_capacity_J_per_m3K, 293.0, 77.0, cryocycle::continuum::SurfaceHeatTransfer::constant(h));
      EXPECT_NEAR(fv.temperature_difference_K / series_K, 1.0, 0.02) << h;
    }
  const SampleExtrapolation row = extrapolate_sample(r, 0.5, 1e-4, 0.0, im);
  EXPECT_GT(row.switching.peak_stress_MPa, row.immersion[0].peak_stress_MPa);
  EXPECT_LT(row.switching.peak_stress_MPa, row.immersion[1].peak_stress_MPa);
  EXPECT_GT(row.switching.time_to_peak_s, row.immersion[1].time_to_peak_s);
}
