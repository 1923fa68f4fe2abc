// Tests of the shoving barrier and the Arrhenius rate.
#include "continuum/physics/activation.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace cryocycle::continuum;

TEST(Activation, ShovingBarrierAndArrheniusRate)
{
  // Reference (hand computation): (10 · 26.47 + 108.92)/11 GPa · 0.02 nm³ = 373.62/11 · 0.02
  // = 0.679309 GPa nm³ = 0.679309e-18 J = 4.23991 eV.
  EXPECT_NEAR(shoving_barrier_eV(108.92, 26.47, 0.02), 4.23991, 1e-5);
  // ν0 e^{-ΔF/kT}: ΔF = 0.5 eV at 300 K gives 1e13 · exp(−19.3413) = 3.9794e4 /s.
  EXPECT_NEAR(arrhenius_rate_per_s(1e13, 0.5, 300.0), 1e13 * std::exp(-0.5 / (8.617333262e-5 * 300.0)), 1e-6);
  EXPECT_EQ(arrhenius_rate_per_s(1e13, 0.5, 0.0), 0.0);
  EXPECT_THROW(shoving_barrier_eV(100, -1, 0.02), std::invalid_argument);
}
