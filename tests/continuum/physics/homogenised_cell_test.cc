// The homogenised cell without any mesh: its rank pool, the activation probability of n sites
// (Shang et al. 2018 §V), and the transformed fraction under a monotonic stress ramp.
#include "continuum/physics/homogenised_cell.h"
#include "tests/common/truncated_normal_thresholds.h"

#include <boost/math/quadrature/gauss_kronrod.hpp>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

using namespace cryocycle::continuum;

namespace
{
  ThresholdDistribution gaussian_thresholds() { return test_support::truncated_normal_thresholds(); }
} // namespace

TEST(ThresholdRankPool, KeepsItsMassAndInvertsItsFraction)
{
  ThresholdRankPool pool;
  EXPECT_DOUBLE_EQ(pool.fraction_below(0.3), 0.3);
  pool.transform(0.2, 0.2);  // the sites below rank 0.2 transform and draw new ranks
  // Left: 0.8 uniform on (0.2, 1) and 0.2 uniform on (0, 1).
  EXPECT_NEAR(pool.fraction_below(0.2), 0.2 * 0.2, 1e-15);
  EXPECT_NEAR(pool.fraction_below(0.6), 0.8 * 0.5 + 0.2 * 0.6, 1e-15);
  EXPECT_NEAR(pool.fraction_below(1.0), 1.0, 1e-15);
  pool.renew(0.5);
  for (const double g : {0.0, 0.01, 0.3, 0.77, 1.0})
    EXPECT_NEAR(pool.fraction_below(pool.rank_of_fraction(g)), g, 1e-14) << g;
  double total = 0.0;
  for (const auto &[c, w] : pool.components())
    total += w;
  EXPECT_NEAR(total, 1.0, 1e-15);
}

TEST(HomogenisedCell, ActivationProbabilityOfNSites)
{
  // Shang et al. (2018) §V: the probability that at least one of n independent sites, each yielding with
  // probability p, has yielded is P_act = 1 − (1 − p)^n. A virgin cell's first trigger (flip
  // quantum one site) lies below rank p with exactly that probability; counted over 20 000
  // cells, within 4 binomial standard deviations.
  const auto thresholds = gaussian_thresholds();
  const double sigma = 0.17;  // GPa
  const double p = thresholds.cdf(0.0, sigma);
  for (const double n : {1.0, 10.0, 300.0})
    {
      HomogenisedCellRule rule{n, 1e-12};
      const std::size_t cells = 20000;
      std::size_t active = 0;
      for (std::size_t id = 0; id < cells; ++id)
        {
          const HomogenisedCell cell(id, 0.0, rule, thresholds, 5);
          EXPECT_EQ(cell.quantum_sites(), 1.0);
          active += cell.trigger_stress_GPa() <= sigma ? 1 : 0;
        }
      const double expected = 1.0 - std::pow(1.0 - p, n);
      const double standard_deviation = std::sqrt(expected * (1.0 - expected) / cells);
      EXPECT_NEAR(static_cast<double>(active) / cells, expected, 4.0 * standard_deviation + 1e-12) << "n = " << n;
    }
}

TEST(HomogenisedCell, TransformedFractionFollowsTheThresholdDistribution)
{
  // Reference: under a monotonic ramp of σ_eq the sites with σ_y <= σ have transformed, so the
  // fraction transformed at least once is F(σ) (analytic: the Gaussian cdf); each transformed
  // site draws a new threshold (rank uniform on (0, 1)) and transforms again if it is below the
  // load: the density of ranks just above the load grows as ρ(F) = 1/(1 − F), so all
  // transformations per site add up to ∫ ρ dF/(1 − F) = F/(1 − F) in the continuum limit. A cell of 1e9
  // sites flipping in quanta of 1e-5: tolerances 2e-4 absolute and 1% relative.
  const auto thresholds = gaussian_thresholds();
  HomogenisedCell cell(3, 0.0, HomogenisedCellRule{1e9, 1e-5}, thresholds, 11);
  std::size_t flips = 0;
  for (double sigma = 0.05; sigma <= 0.3 + 1e-12; sigma += 0.0005)
    {
      while (cell.trigger_stress_GPa() <= sigma)
        {
          cell.flip(sigma, 0.0, thresholds);
          ++flips;
        }
      const double f = thresholds.cdf(0.0, sigma);
      if (f < 1e-3)
        continue;
      EXPECT_NEAR(1.0 - cell.virgin_fraction(), f, 2e-4) << "σ = " << sigma;
      EXPECT_NEAR(cell.transformed_sites() / cell.site_count(), f / (1.0 - f), 0.01 * f / (1.0 - f))
        << "σ = " << sigma;
    }
  EXPECT_GT(flips, 1000u);
}

TEST(HomogenisedCell, OneSiteIsTheExplicitSite)
{
  // n = 1: the trigger is the site's threshold by inversion of the stream's uniform number, a
  // flip transforms the whole cell and draws the next threshold from the new state.
  const auto thresholds = gaussian_thresholds();
  HomogenisedCell cell(42, 0.0, HomogenisedCellRule{1.0, 0.5}, thresholds, 9);
  EXPECT_EQ(cell.trigger_stress_GPa(), thresholds.quantile_GPa(0.0, homogenised_threshold_uniform(9, 42, 0)));
  EXPECT_EQ(cell.flip(1.0, 0.3, thresholds), 1.0);
  EXPECT_DOUBLE_EQ(cell.state(), 0.3);
  EXPECT_EQ(cell.virgin_fraction(), 0.0);
  EXPECT_EQ(cell.trigger_stress_GPa(), thresholds.quantile_GPa(0.3, homogenised_threshold_uniform(9, 42, 1)));
  cell.relax(2.0, 0.5, thresholds);
  EXPECT_DOUBLE_EQ(cell.state(), 0.3 * 0.25);
  EXPECT_EQ(cell.trigger_stress_GPa(), thresholds.quantile_GPa(0.075, homogenised_threshold_uniform(9, 42, 2)));
  cell.relax(0.0, 0.5, thresholds);  // no relaxation: nothing changes, no draw
  EXPECT_DOUBLE_EQ(cell.state(), 0.075);
}

TEST(HomogenisedCell, StressAssistedSitesFollowTheThresholdIntegral)
{
  // A cell of 1e12 sites loaded to σ_eq = 0.18 GPa (athermal flips in quanta of 1e-6, no
  // rejuvenation), then held 60 s at 77 K: a site of threshold e > σ transforms with probability
  // P(e) = 1 − exp(−ν0 t e^{−ΔF0 (1 − σ/e)^{3/2} / k_B T}), ν0 = 1e13 /s, ΔF0 = 1 eV (only sites
  // within ~1.6 σ of the load have a barrier low enough). Independent method: the expected
  // count n Σ_j w_j/(1 − c_j) ∫_{max(c_j, u_σ)}^1 P(Q(u)) du over the pool's components, in rank
  // space with the quantile Q and adaptive Gauss–Kronrod (1e-10), against the cell's trapezoidal
  // rule in the barrier fraction over F_eff: measured 3e-4 apart; asserted 2e-3 (the binomial
  // draw adds ~1e-6). activate() then transforms that many sites and the sub-quantum rest
  // below the load, and moves the state by the transformed fraction.
  const auto thresholds = gaussian_thresholds();
  HomogenisedCell cell(5, 0.0, HomogenisedCellRule{1e12, 1e-6}, thresholds, 13);
  const double sigma = 0.18;
  for (double load = 0.05; load <= sigma + 1e-12; load += 0.001)
    while (cell.trigger_stress_GPa() <= load)
      cell.flip(load, 0.0, thresholds);
  const double kT = 8.617333262e-5 * 77.0;  // eV
  const auto probability = [&](const double e) {
    if (!(e > sigma))
      return 1.0;
    const double b = std::isfinite(e) ? std::pow(1.0 - sigma / e, 1.5) : 1.0;
    return -std::expm1(-1e13 * 60.0 * std::exp(-1.0 * b / kT));
  };
  const double load_rank = thresholds.cdf(0.0, sigma);
  double reference = 0.0;
  for (const auto &[c, w] : cell.pool().components())
    {
      const double from = std::max(c, load_rank);
      if (from >= 1.0)
        continue;
      reference += w / (1.0 - c) *
                   boost::math::quadrature::gauss_kronrod<double, 31>::integrate(
                     [&](const double u) { return probability(thresholds.quantile_GPa(0.0, u)); }, from, 1.0, 15,
                     1e-10);
    }
  auto stream = cryocycle::core::make_random_stream(1, "test", 0);
  const double sites = cell.stress_assisted_sites(sigma, probability, stream, thresholds);
  std::printf("stress-assisted fraction %.6e, reference %.6e\n", sites / cell.site_count(), reference);
  ASSERT_GT(reference, 0.1);
  EXPECT_NEAR(sites / cell.site_count(), reference, 2e-3 * reference);

  const double below_load = cell.pool().fraction_below(load_rank);
  EXPECT_LT(below_load, 2e-6);  // the rest of the last quantum at most
  const double fraction = cell.activate(sigma, sites, 0.5, thresholds);
  EXPECT_NEAR(fraction, below_load + sites / cell.site_count(), 1e-12);
  EXPECT_NEAR(cell.state(), 0.5 * fraction, 1e-12);
  EXPECT_THROW(cell.activate(sigma, 0.0, 0.5, thresholds), std::invalid_argument);
  // No stress, no direction to shear: nothing transforms.
  EXPECT_EQ(cell.stress_assisted_sites(0.0, probability, stream, thresholds), 0.0);
}

TEST(HomogenisedCell, LargeCellsRelaxInTheMean)
{
  // N relaxations over n sites: s → s (1 − η)^(N/n); the distinct relaxed fraction
  // 1 − (1 − 1/n)^N draws new ranks.
  const auto thresholds = gaussian_thresholds();
  HomogenisedCell cell(1, 0.8, HomogenisedCellRule{1e6, 1e-3}, thresholds, 2);
  cell.relax(5e5, 0.5, thresholds);
  EXPECT_NEAR(cell.state(), 0.8 * std::pow(0.5, 0.5), 1e-12);
  EXPECT_NEAR(cell.virgin_fraction(), std::pow(1.0 - 1e-6, 5e5), 1e-9);
  EXPECT_THROW(HomogenisedCell(1, 0.0, HomogenisedCellRule{0.5, 1e-3}, thresholds, 2), std::invalid_argument);
}
