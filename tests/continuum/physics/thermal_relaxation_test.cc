// Tests of the thermally activated relaxation: integrated Arrhenius rates, Poisson counts, and the
// barrier and activation probability of stress-assisted STs. Mesh-free: links continuum_physics only.
#include "continuum/physics/activation.h"
#include "continuum/physics/thermal_relaxation.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <tuple>

using namespace cryocycle::continuum;

TEST(ThermalRelaxation, IntegratedRateOfHoldsAndRamps)
{
  const double nu = 1e13;
  const double barrier = 0.9;  // eV
  // A hold: rate × time.
  EXPECT_NEAR(expected_activations(nu, barrier, 300.0, 300.0, 60.0),
              60.0 * arrhenius_rate_per_s(nu, barrier, 300.0), 1e-12 * 60.0 * arrhenius_rate_per_s(nu, barrier, 300.0));
  // A ramp 77 K -> 300 K in 10 s against an independent composite Simpson rule with 2e5 panels
  // (relative 1e-7).
  const int panels = 200000;
  const double h = 10.0 / panels;
  double simpson = 0.0;
  for (int i = 0; i <= panels; ++i)
    {
      const double w = (i == 0 || i == panels) ? 1.0 : (i % 2 == 1 ? 4.0 : 2.0);
      simpson += w * arrhenius_rate_per_s(nu, barrier, 77.0 + 223.0 * i * h / 10.0);
    }
  simpson *= h / 3.0;
  EXPECT_NEAR(expected_activations(nu, barrier, 77.0, 300.0, 10.0), simpson, 1e-7 * simpson);
  // Cooling and heating over the same range see the same integral.
  EXPECT_NEAR(expected_activations(nu, barrier, 300.0, 77.0, 10.0), simpson, 1e-7 * simpson);
  EXPECT_EQ(expected_activations(nu, barrier, 0.0, 0.0, 5.0), 0.0);
}

TEST(ThermalRelaxation, LogLinearStepsIntegrateAConductionTraceOfARamp)
{
  // Heat conduction knows a cell's temperature only at the ends of its time steps; Λ is summed
  // over the steps with log_linear_activations. Reference: expected_activations (Gauss–Kronrod,
  // 1e-10) on the same linear ramp, cut as the rod's conduction cuts it (2 K per step), cooling
  // 293 → 77 K at 20 K/s and heating back at 5 K/s, barriers 0.3, 0.6 and 1 eV. Measured:
  // 1.2e-4 to 3.3e-4 below the reference, where the trapezoidal rule is 6e-4 to 6.4e-3 above;
  // asserted 5e-4. A hold and a step of equal rates are exact.
  const double nu = 1e13;
  for (const double barrier : {0.3, 0.6, 1.0})
    for (const auto &[from, to, rate] : {std::tuple{293.0, 77.0, 20.0}, std::tuple{77.0, 293.0, 5.0}})
      {
        const double duration = std::abs(to - from) / rate;
        const int steps = static_cast<int>(std::ceil(std::abs(to - from) / 2.0));
        const double dt = duration / steps;
        double log_linear = 0.0;
        double trapezoid = 0.0;
        for (int k = 0; k < steps; ++k)
          {
            const double r0 = arrhenius_rate_per_s(nu, barrier, from + (to - from) * k / steps);
            const double r1 = arrhenius_rate_per_s(nu, barrier, from + (to - from) * (k + 1) / steps);
            log_linear += log_linear_activations(r0, r1, dt);
            trapezoid += 0.5 * dt * (r0 + r1);
          }
        const double reference = expected_activations(nu, barrier, from, to, duration);
        EXPECT_NEAR(log_linear / reference, 1.0, 5e-4) << barrier << " eV, " << from << " → " << to << " K";
        EXPECT_LT(std::abs(log_linear / reference - 1.0), std::abs(trapezoid / reference - 1.0));
      }
  const double r = arrhenius_rate_per_s(nu, 0.9, 300.0);
  EXPECT_DOUBLE_EQ(log_linear_activations(r, r, 60.0), expected_activations(nu, 0.9, 300.0, 300.0, 60.0));
  EXPECT_DOUBLE_EQ(log_linear_activations(r, r * (1.0 + 1e-9), 1.0), r * (1.0 + 0.5e-9));
  EXPECT_EQ(log_linear_activations(0.0, 0.0, 1.0), 0.0);
}

TEST(ThermalRelaxation, CountsArePoissonAndKeyedBySite)
{
  // 20000 identical sites at a mean of 3 relaxations: sample mean and variance both 3 within
  // 4 standard errors (mean: 4·√(3/20000) = 0.049; variance: ≈ 4·√(2·9/20000) + ... use 0.2).
  std::vector<SiteGeometry> sites(20000);
  for (std::size_t i = 0; i < sites.size(); ++i)
    sites[i].global_id = i;
  const std::vector<double> bulk(sites.size(), 108.92);
  const std::vector<double> shear(sites.size(), 26.47);
  ThermalRelaxationModel model;
  model.activation_volume_nm3 = 0.004;
  const double barrier = shoving_barrier_eV(108.92, 26.47, 0.004);
  const double rate = arrhenius_rate_per_s(model.attempt_frequency_per_s, barrier, 300.0);
  const double duration = 3.0 / rate;
  const auto counts = draw_relaxation_counts(sites, bulk, shear, model, 300.0, 300.0, duration, 5, 0);
  double sum = 0.0;
  double squares = 0.0;
  for (const auto c : counts)
    {
      sum += static_cast<double>(c);
      squares += static_cast<double>(c) * static_cast<double>(c);
    }
  const double mean = sum / static_cast<double>(counts.size());
  const double variance = squares / static_cast<double>(counts.size()) - mean * mean;
  EXPECT_NEAR(mean, 3.0, 0.05);
  EXPECT_NEAR(variance, 3.0, 0.2);
  // A site's count depends only on (seed, id, interval), not on which other sites are drawn.
  const std::vector<SiteGeometry> one{sites[1234]};
  EXPECT_EQ(draw_relaxation_counts(one, {108.92}, {26.47}, model, 300.0, 300.0, duration, 5, 0)[0], counts[1234]);
  EXPECT_NE(draw_relaxation_counts(sites, bulk, shear, model, 300.0, 300.0, duration, 5, 1), counts);
}

TEST(ThermalRelaxation, StressAssistedBarrierAndActivationProbability)
{
  // Reference: the cooperative shear model ΔF_ST = ΔF0 (1 − σ/σ_y)^{3/2} (closed form), and for a
  // hold at fixed stress the probability 1 − exp(−Λ) of at least one event of a Poisson process
  // with Λ = ν0 exp(−ΔF_ST/k_B T) t. 20000 sites with Λ = 0.7 (p = 0.5034): the activated fraction
  // within 4 standard errors (4·√(p(1 − p)/20000) = 0.0141); sites without shear stress never.
  EXPECT_DOUBLE_EQ(stress_assisted_barrier_eV(1.2, 0.0, 2.0), 1.2);
  EXPECT_NEAR(stress_assisted_barrier_eV(1.2, 1.5, 2.0), 1.2 * 0.125, 1e-15);
  EXPECT_EQ(stress_assisted_barrier_eV(1.2, 2.0, 2.0), 0.0);
  EXPECT_EQ(stress_assisted_barrier_eV(1.2, 3.0, 2.0), 0.0);
  EXPECT_THROW(stress_assisted_barrier_eV(1.2, 1.0, 0.0), std::invalid_argument);

  std::vector<SiteGeometry> sites(20000);
  for (std::size_t i = 0; i < sites.size(); ++i)
    sites[i].global_id = i;
  const std::vector<double> bulk(sites.size(), 108.92);
  const std::vector<double> shear(sites.size(), 26.47);
  std::vector<double> von_mises(sites.size(), 1.0);
  const std::vector<double> yield(sites.size(), 4.0);
  for (std::size_t i = 0; i < sites.size(); i += 10)
    von_mises[i] = 0.0;
  ThermalRelaxationModel model;
  model.st_activation_volume_nm3 = 0.05;
  const double barrier = stress_assisted_barrier_eV(shoving_barrier_eV(108.92, 26.47, 0.05), 1.0, 4.0);
  const double duration = 0.7 / arrhenius_rate_per_s(model.attempt_frequency_per_s, barrier, 300.0);
  const auto activated =
    draw_stress_assisted_events(sites, bulk, shear, von_mises, yield, model, 300.0, 300.0, duration, 9, 0);
  std::size_t count = 0, stressed = 0;
  for (std::size_t i = 0; i < sites.size(); ++i)
    if (von_mises[i] > 0.0)
      {
        ++stressed;
        count += activated[i] != 0 ? 1 : 0;
      }
    else
      EXPECT_EQ(activated[i], 0) << "site " << i << " has no shear stress";
  const double p = -std::expm1(-0.7);
  EXPECT_NEAR(static_cast<double>(count) / static_cast<double>(stressed), p,
              4.0 * std::sqrt(p * (1.0 - p) / static_cast<double>(stressed)));
  // A ramp: the exact Λ by quadrature decides below the bound of the hottest temperature. A ramp
  // 77 → 300 K of the same duration has Λ < 0.7, so fewer sites are activated.
  const auto ramp =
    draw_stress_assisted_events(sites, bulk, shear, von_mises, yield, model, 77.0, 300.0, duration, 9, 0);
  const double lambda = expected_activations(model.attempt_frequency_per_s, barrier, 77.0, 300.0, duration);
  std::size_t on_ramp = 0;
  for (const char a : ramp)
    on_ramp += a != 0 ? 1 : 0;
  const double q = -std::expm1(-lambda);
  EXPECT_NEAR(static_cast<double>(on_ramp) / static_cast<double>(stressed), q,
              4.0 * std::sqrt(q * (1.0 - q) / static_cast<double>(stressed)) + 1e-4);
  // Off without V_ST.
  model.st_activation_volume_nm3 = 0.0;
  const auto none =
    draw_stress_assisted_events(sites, bulk, shear, von_mises, yield, model, 300.0, 300.0, duration, 9, 0);
  EXPECT_EQ(std::count(none.begin(), none.end(), 1), 0);
}
