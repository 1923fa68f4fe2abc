// The scale bridge without LAMMPS or a mesh: site geometry round trips, variances carried with
// the fitted power law (checked against an independent regression formula and by the coverage
// of its intervals), the cell's event probability 1 − (1 − p)^n, and the p/σ³ invariance check.
#include "coupling/bridge/scale_bridge.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

using namespace cryocycle::coupling;

TEST(ScaleBridge, SiteGeometryRoundTrips)
{
  for (const double sigma : {0.25, 0.4, 0.5, 0.7, 3.0})
    {
      EXPECT_DOUBLE_EQ(frozen_matrix_radius_nm(sigma), 2.0 * sigma);
      EXPECT_NEAR(sigma_cg_from_frozen_matrix_radius_nm(frozen_matrix_radius_nm(sigma)), sigma, 1e-15 * sigma);
      EXPECT_NEAR(sigma_cg_from_site_volume_nm(site_volume_nm3(sigma)), sigma, 1e-14 * sigma);
      EXPECT_NEAR(sigma_cg_for_element_size_nm(element_size_for_sigma_cg_nm(sigma)), sigma, 1e-14 * sigma);
      // V_site is the sphere of diameter r_c.
      EXPECT_NEAR(site_volume_nm3(sigma), M_PI / 6.0 * std::pow(frozen_matrix_radius_nm(sigma), 3), 1e-13);
    }
  EXPECT_NEAR(element_size_for_sigma_cg_nm(1.0), std::cbrt(4.0 * M_PI / 3.0), 1e-15);
  EXPECT_THROW(site_volume_nm3(0.0), std::invalid_argument);
  EXPECT_THROW(sites_in_volume(-1.0, 0.5), std::invalid_argument);
}

TEST(ScaleBridge, SeedZeroSiteCounts)
{
  // Shang et al. (2018) §II: σ = 5 Å holds "around 30 atoms"; §V: a box of a few thousand atoms holds "a few
  // hundred" sites. At a Cu50Zr50 number density of about 58.6 nm⁻³ (an estimate, ±3%):
  const double density_per_nm3 = 58.6;
  EXPECT_NEAR(site_volume_nm3(0.5) * density_per_nm3, 30.0, 1.5);
  const double box_sites = sites_in_volume(8000.0 / density_per_nm3, 0.5);
  EXPECT_GT(box_sites, 200.0);
  EXPECT_LT(box_sites, 400.0);
}

TEST(ScaleBridge, VarianceOnAnExactPowerLawIsCarriedExactly)
{
  // Var = A σ^b with A = 4e-10 K⁻² nm³, b = −3 (volume averaging); the law at any width.
  const std::vector<double> sigma{0.4, 0.5, 0.7};
  std::vector<double> variance;
  for (const double s : sigma)
    variance.push_back(4e-10 * std::pow(s, -3.0));
  const VarianceLaw law = fit_variance_law(sigma, variance);
  EXPECT_NEAR(law.fit.exponent, -3.0, 1e-12);
  for (const double target : {0.3, 0.62, 1.0, 5.0})
    {
      const CarriedVariance c = carry_variance(law, target);
      EXPECT_NEAR(c.variance / (4e-10 * std::pow(target, -3.0)), 1.0, 1e-12) << target;
      EXPECT_NEAR(c.standard_deviation, std::sqrt(c.variance), 1e-25);
      EXPECT_LT(c.log_standard_error, 1e-6);
    }
  EXPECT_DOUBLE_EQ(carry_variance(law, 0.6).decades_outside_fit, 0.0);
  EXPECT_NEAR(carry_variance(law, 7.0).decades_outside_fit, 1.0, 1e-12);
  EXPECT_NEAR(carry_variance(law, 0.04).decades_outside_fit, 1.0, 1e-12);
}

TEST(ScaleBridge, CarriedVarianceUncertaintyMatchesTheRegressionFormula)
{
  // Independent reference: the prediction variance of ordinary least squares,
  // x0ᵀ (XᵀX)⁻¹ x0 s², with X = [1, ln σ] — written out here without the centred form.
  const std::vector<double> sigma{0.3, 0.4, 0.5, 0.7, 1.0};
  const std::vector<double> variance{1.6e-8, 6.1e-9, 3.4e-9, 1.1e-9, 4.3e-10};
  const VarianceLaw law = fit_variance_law(sigma, variance);
  double s0 = 0, s1 = 0, s2 = 0;
  for (const double s : sigma)
    {
      s0 += 1;
      s1 += std::log(s);
      s2 += std::log(s) * std::log(s);
    }
  double rss = 0;
  const double log_a = std::log(law.fit.prefactor);
  for (std::size_t i = 0; i < sigma.size(); ++i)
    rss += std::pow(std::log(variance[i]) - log_a - law.fit.exponent * std::log(sigma[i]), 2);
  const double s_squared = rss / (s0 - 2);
  const double det = s0 * s2 - s1 * s1;
  for (const double target : {0.2, 0.55, 3.0})
    {
      const double x = std::log(target);
      const double var_prediction = s_squared * (s2 - 2 * x * s1 + x * x * s0) / det;
      const CarriedVariance c = carry_variance(law, target, 0.9);
      EXPECT_NEAR(c.log_standard_error, std::sqrt(var_prediction), 1e-10) << target;
      // t(3 dof) two-sided 90%: 2.353363.
      EXPECT_NEAR(std::log(c.upper / c.variance), 2.353363 * c.log_standard_error, 1e-5);
      EXPECT_NEAR(std::log(c.variance / c.lower), 2.353363 * c.log_standard_error, 1e-5);
    }
}

TEST(ScaleBridge, RescaledVariancesFollowTheFittedLawWithinTheirIntervals)
{
  // Variances measured with log-normal scatter around Var = A σ^b (b = −2.6): the carried
  // variance at the mesh site size covers the true law at the stated 95% level (2000 data sets;
  // binomial standard error of the coverage 0.5%, tolerance 3 of them).
  std::mt19937_64 engine(7);
  std::normal_distribution<double> noise(0.0, 0.15);
  const std::vector<double> sigma{0.35, 0.4, 0.5, 0.6, 0.7};
  const double target = sigma_cg_for_element_size_nm(1.0);
  const double truth = 2e-10 * std::pow(target, -2.6);
  int covered = 0;
  const int trials = 2000;
  for (int trial = 0; trial < trials; ++trial)
    {
      std::vector<double> variance;
      for (const double s : sigma)
        variance.push_back(2e-10 * std::pow(s, -2.6) * std::exp(noise(engine)));
      const CarriedVariance c = carry_variance(fit_variance_law(sigma, variance), target);
      covered += c.lower <= truth && truth <= c.upper;
    }
  EXPECT_NEAR(covered / static_cast<double>(trials), 0.95, 0.015);
}

TEST(ScaleBridge, OneWidthAssumesVolumeAveraging)
{
  const VarianceLaw law = fit_variance_law({0.5}, {2.5e-9});
  EXPECT_TRUE(law.assumed_exponent);
  const CarriedVariance c = carry_variance(law, 1.0);
  EXPECT_NEAR(c.variance, 2.5e-9 / 8.0, 1e-22);
  EXPECT_TRUE(std::isnan(c.log_standard_error));
  // Two widths: the law, but no residual degrees of freedom for an uncertainty.
  const CarriedVariance two = carry_variance(fit_variance_law({0.4, 0.8}, {4e-9, 1e-9}), 0.6);
  EXPECT_NEAR(two.variance, 4e-9 * std::pow(1.5, -2.0), 1e-20);
  EXPECT_TRUE(std::isnan(two.upper));
  EXPECT_THROW(fit_variance_law({0.4, 0.8}, {4e-9}), std::invalid_argument);
  EXPECT_THROW(fit_variance_law({0.4, 0.8}, {4e-9, -1.0}), std::invalid_argument);
}

TEST(ScaleBridge, CellProbabilityIsOneMinusOneMinusPToTheN)
{
  const double sigma = 0.5;
  for (const double cell_edge_nm : {1.0, 10.0, 40.0})
    {
      const double volume = std::pow(cell_edge_nm, 3);
      const CellActivation cell = cell_activation(volume, sigma, 4.58e-4);
      EXPECT_NEAR(cell.sites, volume / (4.0 * M_PI / 3.0 * 0.125), 1e-9 * cell.sites);
      EXPECT_NEAR(cell.probability, 1.0 - std::pow(1.0 - 4.58e-4, cell.sites), 1e-13);
      EXPECT_NEAR(cell.expected_events, cell.sites * 4.58e-4, 1e-12 * cell.expected_events);
    }
  // Tiny p: 1 − (1 − p)^n evaluated naively keeps only about 1 digit at p = 1e-15; the cell
  // probability must agree with the series n p − n(n−1) p²/2 to full precision.
  const double p = 1e-15;
  const CellActivation cell = cell_activation(1000.0 * site_volume_nm3(sigma), sigma, p);
  const double n = cell.sites;
  EXPECT_NEAR(cell.probability / (n * p - 0.5 * n * (n - 1) * p * p), 1.0, 1e-12);
  EXPECT_THROW(cell_activation(0.5 * site_volume_nm3(sigma), sigma, 1e-4), std::invalid_argument);
  EXPECT_THROW(cell_activation(10.0, sigma, 1.5), std::invalid_argument);
}

TEST(ScaleBridge, SizeInvarianceCheck)
{
  // Shang et al. (2018) Fig. 4d: p/σ³ ≈ 1.31e-6 Å⁻³ = 1.31e-3 nm⁻³ at σ = 4, 5, 7 Å; with p ∝ σ³ exactly the
  // expected events n p agree at every width, and so does P = 1 − (1 − p)^n up to its O(n p²)
  // departure from 1 − exp(−n p) (p ≤ 4.5e-4 here: tolerance 1e-4).
  const std::vector<double> sigma{0.4, 0.5, 0.7};
  std::vector<double> p;
  for (const double s : sigma)
    p.push_back(1.31e-3 * s * s * s);
  const SizeInvarianceCheck check = check_size_invariance(sigma, p, 1000.0, 0.1);
  EXPECT_TRUE(check.consistent);
  EXPECT_NEAR(check.ratios.mean, 1.31e-3, 1e-15);
  for (std::size_t i = 1; i < sigma.size(); ++i)
    {
      EXPECT_NEAR(check.expected_events[i], check.expected_events[0], 1e-12);
      EXPECT_NEAR(check.cell_probabilities[i], check.cell_probabilities[0], 1e-4);
    }
  EXPECT_NEAR(check.expected_events[0], 1000.0 * 1.31e-3 * 3.0 / (4.0 * M_PI), 1e-12);
  // The same p at every width breaks the invariance: n p changes by (0.7/0.4)³ ≈ 5.4.
  const SizeInvarianceCheck broken = check_size_invariance(sigma, {1e-4, 1e-4, 1e-4}, 1000.0, 0.1);
  EXPECT_FALSE(broken.consistent);
  EXPECT_NEAR(broken.expected_events[0] / broken.expected_events[2], std::pow(0.7 / 0.4, 3), 1e-12);
}

TEST(ScaleBridge, RecordPropertiesCarriedToMeshSites)
{
  // α measured at three widths with sd ∝ σ^-1.5 (Var ∝ σ⁻³), K at one width: on 1 nm elements
  // (σ_cg = 0.6204 nm of equal volume) sd(α) follows the law, sd(K) the assumed volume average.
  CalibrationRecord record;
  for (const double s : {0.4, 0.5, 0.7})
    {
      RecordedCoarseGraining w;
      w.sigma_cg_nm = s;
      RecordedQuantity alpha;
      alpha.name = "thermal_expansion_per_K";
      alpha.mean = 3e-5;
      alpha.standard_deviation = 1e-5 * std::pow(s / 0.5, -1.5);
      w.quantities.push_back(alpha);
      if (s == 0.5)
        {
          RecordedQuantity bulk;
          bulk.name = "bulk_modulus_GPa";
          bulk.mean = 108.9;
          bulk.standard_deviation = 6.0;
          w.quantities.push_back(bulk);
        }
      record.coarse_grainings.push_back(w);
    }
  const auto fields = site_fields_from_record(record, 1.0);
  ASSERT_EQ(fields.size(), 2u);
  const double sigma = sigma_cg_for_element_size_nm(1.0);
  EXPECT_NEAR(sigma, 0.62035, 1e-5);
  EXPECT_EQ(fields[0].quantity, "thermal_expansion_per_K");
  EXPECT_NEAR(fields[0].mean, 3e-5, 1e-20);
  EXPECT_NEAR(fields[0].variance.standard_deviation / (1e-5 * std::pow(sigma / 0.5, -1.5)), 1.0, 1e-12);
  EXPECT_FALSE(fields[0].law.assumed_exponent);
  EXPECT_EQ(fields[1].quantity, "bulk_modulus_GPa");
  EXPECT_TRUE(fields[1].law.assumed_exponent);
  EXPECT_NEAR(fields[1].variance.standard_deviation, 6.0 * std::pow(sigma / 0.5, -1.5), 1e-12);
  EXPECT_THROW(carry_to_element_size("x", {0.5}, {1.0, 2.0}, {1.0}, 1.0), std::invalid_argument);
}
