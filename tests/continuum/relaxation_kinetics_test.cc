// Tests of the Arrhenius rates and the rejection-free kinetic Monte Carlo.
#include "calibrate/goodness_of_fit.h"
#include "continuum/relaxation_kinetics.h"
#include "core/random_stream.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

using namespace cryocycle::continuum;

TEST(RelaxationKinetics, ShovingBarrierAndArrheniusRate)
{
  // Reference (hand computation): (10 · 26.47 + 108.92)/11 GPa · 0.02 nm³ = 373.62/11 · 0.02
  // = 0.679309 GPa nm³ = 0.679309e-18 J = 4.23991 eV.
  EXPECT_NEAR(shoving_barrier_eV(108.92, 26.47, 0.02), 4.23991, 1e-5);
  // ν0 e^{-ΔF/kT}: ΔF = 0.5 eV at 300 K gives 1e13 · exp(−19.3413) = 3.9794e4 /s.
  EXPECT_NEAR(arrhenius_rate_per_s(1e13, 0.5, 300.0), 1e13 * std::exp(-0.5 / (8.617333262e-5 * 300.0)), 1e-6);
  EXPECT_EQ(arrhenius_rate_per_s(1e13, 0.5, 0.0), 0.0);
  EXPECT_THROW(shoving_barrier_eV(100, -1, 0.02), std::invalid_argument);
}

TEST(RelaxationKinetics, FenwickTreeKeepsTheSumsOfBruteForce)
{
  // Reference: direct sums of the rates after many random updates.
  KineticMonteCarlo kmc(1000);
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::vector<double> rates(1000, 0.0);
  for (int i = 0; i < 20000; ++i)
    {
      const auto site = static_cast<std::size_t>(u(rng) * 1000.0);
      rates[site] = u(rng) < 0.2 ? 0.0 : std::pow(10.0, 6.0 * u(rng));
      kmc.set_rate(site, rates[site]);
    }
  double total = 0.0;
  for (const double r : rates)
    total += r;
  EXPECT_NEAR(kmc.total_rate(), total, 1e-12 * total);
  // find_site returns the site whose cumulative interval holds the target.
  double cumulative = 0.0;
  for (std::size_t i = 0; i < rates.size(); ++i)
    {
      if (rates[i] > 0.0)
        {
          EXPECT_EQ(kmc.find_site(cumulative + 0.5 * rates[i]), i);
        }
      cumulative += rates[i];
    }
}

TEST(RelaxationKinetics, WaitingTimesAreExponentialWithTheTotalRate)
{
  // Reference: with one process type of rate r on n sites, waiting times are Exp(n r); KS test
  // of 5000 draws at the 1% level (the test fails by chance once in 100 seeds; seed fixed).
  const double rate = 2.5e3;
  KineticMonteCarlo kmc(8);
  for (std::size_t i = 0; i < 8; ++i)
    kmc.set_rate(i, rate);
  auto engine = cryocycle::core::make_random_stream(17, "kmc-test");
  std::vector<double> waits;
  std::vector<std::size_t> counts(8, 0);
  for (int i = 0; i < 5000; ++i)
    {
      const auto event = kmc.next_event(engine);
      ASSERT_TRUE(event.has_value());
      waits.push_back(event->waiting_time_s);
      ++counts[event->site];
    }
  std::sort(waits.begin(), waits.end());
  double statistic = 0.0;
  const double n = static_cast<double>(waits.size());
  for (std::size_t i = 0; i < waits.size(); ++i)
    {
      const double cdf = 1.0 - std::exp(-8.0 * rate * waits[i]);
      statistic = std::max({statistic, cdf - static_cast<double>(i) / n, static_cast<double>(i + 1) / n - cdf});
    }
  EXPECT_GT(cryocycle::calibrate::kolmogorov_p_value(statistic, waits.size()), 0.01) << "D = " << statistic;
  // Each site is chosen 1/8 of the time: 625 ± 4 · sqrt(625 · 7/8) ≈ ± 94.
  for (const auto c : counts)
    EXPECT_NEAR(static_cast<double>(c), 625.0, 94.0);
  // A site with zero rate is never chosen; no rate at all: no event.
  kmc.set_rate(3, 0.0);
  for (int i = 0; i < 2000; ++i)
    EXPECT_NE(kmc.next_event(engine)->site, 3u);
  KineticMonteCarlo idle(4);
  EXPECT_FALSE(idle.next_event(engine).has_value());
}

TEST(RelaxationKinetics, SitesAreChosenInProportionToTheirRates)
{
  // Rates 1 : 2 : 7 → frequencies 0.1, 0.2, 0.7 of 20000 draws within 4 binomial standard errors.
  KineticMonteCarlo kmc(3);
  kmc.set_rate(0, 1.0);
  kmc.set_rate(1, 2.0);
  kmc.set_rate(2, 7.0);
  auto engine = cryocycle::core::make_random_stream(23, "kmc-test");
  std::vector<double> counts(3, 0.0);
  const int draws = 20000;
  for (int i = 0; i < draws; ++i)
    counts[kmc.next_event(engine)->site] += 1.0;
  const double expected[3] = {0.1, 0.2, 0.7};
  for (int s = 0; s < 3; ++s)
    EXPECT_NEAR(counts[s] / draws, expected[s], 4.0 * std::sqrt(expected[s] * (1 - expected[s]) / draws));
}
