// Tests of the athermal shear-transformation rule of one site.
#include "continuum/physics/shear_transformation.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

using namespace cryocycle;
using namespace cryocycle::continuum;

TEST(ShearTransformation, InvariantsOfSimpleStates)
{
  // Reference: pure shear τ has σ_eq = √3 τ; uniaxial σ has σ_eq = σ; pressure has none.
  EXPECT_NEAR(von_mises_equivalent({0, 0, 0, 0, 0, 2.0}), 2.0 * std::sqrt(3.0), 1e-14);
  EXPECT_NEAR(von_mises_equivalent({1.5, 0, 0, 0, 0, 0}), 1.5, 1e-14);
  EXPECT_NEAR(von_mises_equivalent({-4, -4, -4, 0, 0, 0}), 0.0, 1e-14);
  // Uniaxial strain e with lateral −e/2 (isochoric) has equivalent strain e.
  EXPECT_NEAR(equivalent_strain({0.02, -0.01, -0.01, 0, 0, 0}), 0.02, 1e-15);
}

TEST(ShearTransformation, IncrementIsDeviatoricCoaxialAndOfAmplitudeEpsilon0)
{
  std::mt19937_64 rng(3);
  std::normal_distribution<double> normal(0.0, 1.0);
  for (int trial = 0; trial < 100; ++trial)
    {
      SymmetricTensor6 sigma{};
      for (auto &s : sigma)
        s = normal(rng);
      const auto d = shear_transformation_increment(sigma, 0.05);
      EXPECT_NEAR(d[0] + d[1] + d[2], 0.0, 1e-15);
      EXPECT_NEAR(equivalent_strain(d), 0.05, 1e-14);
      // Coaxial with dev σ: the work σ : Δε* = ε0 σ_eq (maximal for the given amplitude).
      EXPECT_NEAR(double_contraction(sigma, d), 0.05 * von_mises_equivalent(sigma), 1e-12);
    }
  EXPECT_THROW(shear_transformation_increment({1, 1, 1, 0, 0, 0}, 0.05), std::invalid_argument);
}

TEST(ShearTransformation, YieldTemperatureIsTheExactCrossing)
{
  // Reference: a brute-force scan of σ_eq(ΔT) = |ΔT S + R|_vM in steps of 1e-4 K brackets the
  // crossing; the closed form must lie in that bracket and give σ_eq = σ_y to 1e-12.
  std::mt19937_64 rng(11);
  std::normal_distribution<double> normal(0.0, 1.0);
  int crossings = 0;
  for (int trial = 0; trial < 50; ++trial)
    {
      SymmetricTensor6 per_K{};
      SymmetricTensor6 residual{};
      for (std::size_t i = 0; i < 6; ++i)
        {
          per_K[i] = 2e-3 * normal(rng);
          residual[i] = 0.2 * normal(rng);
        }
      const double yield = 0.6;
      const double from = 0.0;
      const double to = trial % 2 == 0 ? -250.0 : 250.0;  // cooling or heating ramps
      const auto vm = [&](double dT) {
        SymmetricTensor6 s{};
        for (std::size_t i = 0; i < 6; ++i)
          s[i] = dT * per_K[i] + residual[i];
        return von_mises_equivalent(s);
      };
      const auto crossing = first_yield_temperature_change(per_K, residual, yield, from, to);
      const double step = (to - from) * 1e-6 * 0.4;
      double scanned = std::nan("");
      for (double dT = from; std::abs(dT - from) <= std::abs(to - from); dT += step)
        if (vm(dT) >= yield)
          {
            scanned = dT;
            break;
          }
      if (std::isnan(scanned))
        {
          EXPECT_FALSE(crossing.has_value()) << "trial " << trial;
          continue;
        }
      ASSERT_TRUE(crossing.has_value()) << "trial " << trial;
      ++crossings;
      if (scanned == from)
        EXPECT_EQ(*crossing, from);
      else
        {
          EXPECT_NEAR(vm(*crossing), yield, 1e-12);
          EXPECT_LE(std::abs(*crossing - scanned), std::abs(step));
        }
    }
  EXPECT_GT(crossings, 10);  // the random cases exercise the crossing branch
}

TEST(ShearTransformation, NoCrossingWithoutDeviatoricThermalStress)
{
  // A purely hydrostatic thermal stress never changes σ_eq: a site below σ_y stays below.
  EXPECT_FALSE(first_yield_temperature_change({1e-3, 1e-3, 1e-3, 0, 0, 0}, {0, 0, 0, 0, 0, 0.1}, 0.5, 0, -300));
  // Already above at the start: yields at once.
  EXPECT_EQ(*first_yield_temperature_change({0, 0, 0, 0, 0, 1e-3}, {0, 0, 0, 0, 0, 1.0}, 0.5, -20, -300), -20.0);
}
