// The site thermal-mismatch stress of homogenised cells against Shang et al. (2018)'s activation probability
// (eq. 10–11, computed independently by calibrate's adaptive quadrature), its inverse, and a cell
// cooled at zero cell stress transforming that fraction of its sites.
#include "calibrate/activation_probability.h"
#include "calibrate/distribution.h"
#include "continuum/physics/homogenised_cell.h"
#include "continuum/physics/site_thermal_stress.h"

#include <gtest/gtest.h>

#include <cmath>
#include <memory>

using namespace cryocycle;
using namespace cryocycle::continuum;

namespace
{
  // Shang et al. (2018) Table I, 1e13 K/s: thermal stress Lomax (γ, η) at ΔT = 100 K, yield stress hyperbolic (λ, β).
  constexpr double gamma_shape = 8.15;
  constexpr double eta_GPa = 0.72;
  constexpr double lambda_shape = 0.10;
  constexpr double beta_GPa = 1.61;

  std::shared_ptr<const SiteThermalStress> lomax_mismatch()
  {
    const calibrate::LomaxDistribution lomax(gamma_shape, eta_GPa);
    return std::make_shared<const SiteThermalStress>([&](double u) { return lomax.quantile(u); }, 100.0);
  }

  /// The hyperbolic σ_y of every state, with the site thermal stress.
  ThresholdDistribution shang2018_thresholds()
  {
    const auto law = std::make_shared<calibrate::HyperbolicDistribution>(lambda_shape, beta_GPa);
    ThresholdDistribution d;
    d.quantile_GPa = [law](double, double u) { return law->quantile(u); };
    d.cdf = [law](double, double x) { return law->cdf(x); };
    d.site_thermal_stress = lomax_mismatch();
    return d;
  }
} // namespace

TEST(SiteThermalStress, ZeroStressActivationIsShang2018Equation11)
{
  // F_eff(0; c = 1) = P(σ_th > σ_y) at ΔT_ref. Reference: Shang et al. (2018) eq. 11 by adaptive
  // Gauss–Kronrod (calibrate), which quotes 4.6e-4. Tolerance 0.1% (fixed 33-point rule; it is
  // 7.5e-5 off).
  const auto d = shang2018_thresholds();
  const auto eq11 = calibrate::probability_shang2018_eq11(beta_GPa, lambda_shape, gamma_shape, eta_GPa);
  const double p = d.effective_cdf(0.0, 1.0, 0.0);
  EXPECT_NEAR(p, eq11.value, 1e-3 * eq11.value);
  EXPECT_NEAR(p, 4.6e-4, 0.1e-4);

  // Cooling 223 K scales the Lomax stress by 2.23, i.e. η → 2.23 η (independent quadrature of
  // eq. 10 with the scaled law).
  const calibrate::LomaxDistribution scaled(gamma_shape, 2.23 * eta_GPa);
  const calibrate::HyperbolicDistribution yield(lambda_shape, beta_GPa);
  const auto reference = calibrate::probability_stress_exceeds_yield(scaled, yield);
  EXPECT_NEAR(d.effective_cdf(0.0, d.site_thermal_stress->scale(-223.0), 0.0), reference.value,
              1e-3 * reference.value);
  // The mean of the quadrature is the Lomax mean η / (γ − 1).
  EXPECT_NEAR(d.site_thermal_stress->mean_GPa(), eta_GPa / (gamma_shape - 1.0), 1e-3 * eta_GPa / (gamma_shape - 1.0));
}

TEST(SiteThermalStress, QuantileInvertsTheEffectiveCdf)
{
  const auto d = shang2018_thresholds();
  for (const double c : {0.3, 1.0, 2.23})
    for (const double u : {1e-9, 1e-6, 1e-3, 0.1, 0.5, 0.9, 0.999})
      {
        const double e = d.effective_quantile_GPa(0.0, c, u);
        EXPECT_NEAR(d.effective_cdf(0.0, c, e), u, 1e-9 * u) << "c = " << c << ", u = " << u;
        // A mismatch only lowers the thresholds.
        EXPECT_LT(e, d.quantile_GPa(0.0, u));
      }
  // Without mismatch (c = 0) the effective threshold is σ_y itself, bit for bit.
  EXPECT_EQ(d.effective_quantile_GPa(0.0, 0.0, 0.25), d.quantile_GPa(0.0, 0.25));
  EXPECT_THROW(SiteThermalStress([](double) { return 0.1; }, 0.0), std::invalid_argument);
  EXPECT_THROW(SiteThermalStress([](double) { return -0.1; }, 100.0), std::invalid_argument);
}

TEST(SiteThermalStress, CellCooledAtZeroStressTransformsShang2018Fraction)
{
  // A virgin cell of 1e12 sites at zero cell stress cooled by 100 K: the sites whose mismatch
  // exceeds their σ_y transform, a fraction p(σ_th > σ_y) of Shang et al. (2018) eq. 11 (tolerance 0.1% of p
  // for the quadrature; the binomial spread, sqrt(p/n) = 2e-8, is far below it).
  const auto d = shang2018_thresholds();
  HomogenisedCellRule rule;
  rule.sites_per_cell = 1e12;
  rule.quantum_fraction = 1e-7;
  HomogenisedCell cell(3, 0.0, rule, d, 11);
  EXPECT_GT(cell.trigger_stress_GPa(d), 0.0);
  const double rank = cell.trigger_rank();
  cell.set_mismatch_scale(1.0, d);
  EXPECT_EQ(cell.trigger_rank(), rank);  // comonotone: no new draw
  EXPECT_LT(cell.trigger_stress_GPa(d), 0.0);
  const double fraction = cell.flip(0.0, 0.0, d);
  const double p = calibrate::probability_shang2018_eq11(beta_GPa, lambda_shape, gamma_shape, eta_GPa).value;
  EXPECT_NEAR(fraction, p, 1e-3 * p);
  // The renewed sites re-draw their ranks: a fraction p of them is again below zero stress, so the
  // next trigger (p² = 2e-7 > quantum) still lies below zero; the one after that (p³) does not.
  EXPECT_LT(cell.trigger_stress_GPa(d), 0.0);
  cell.flip(0.0, 0.0, d);
  EXPECT_GT(cell.trigger_stress_GPa(d), 0.0);
  // Warming back (c → 0) restores thresholds above zero; the record keeps the scale.
  const auto record = cell.save();
  HomogenisedCell copy(3, 0.0, rule, d, 11);
  copy.restore(record);
  EXPECT_EQ(copy.mismatch_scale(), 1.0);
  EXPECT_EQ(copy.trigger_stress_GPa(d), cell.trigger_stress_GPa(d));
  // A pending effective threshold (not yet inverted) is saved as pending and stays so.
  cell.set_mismatch_scale(1.5, d);
  EXPECT_THROW(cell.trigger_stress_GPa(), std::logic_error);
  const auto pending = cell.save();
  EXPECT_EQ(pending[8], 1.0);
  copy.restore(pending);
  EXPECT_EQ(copy.trigger_stress_GPa(d), cell.trigger_stress_GPa(d));
  cell.set_mismatch_scale(0.0, d);
  EXPECT_EQ(cell.trigger_stress_GPa(), d.quantile_GPa(cell.state(), cell.trigger_rank()));
}
