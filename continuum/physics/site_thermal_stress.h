#pragma once
/// @file
/// The site-scale thermal-mismatch stress inside a homogenised cell (Shang et al. 2018 §III–V).
///
/// A cell much larger than a site sees only its cell-averaged stress; the stress each of its sites
/// gets from the nm-scale heterogeneity of α is lost in the average, although it is what Shang et al. (2018)
/// finds to trigger shear transformations (p(σ_th > σ_y), eq. 10–11). This model puts it back
/// statistically: site k carries a von Mises mismatch stress σ_th,k = c t_k, where t_k follows the
/// calibrated thermal-stress distribution at a reference temperature change ΔT_ref (Shang et al. 2018:
/// Lomax at 100 K) and c = |ΔT| / ΔT_ref scales it linearly with the cell's temperature change
/// from the stress-free temperature (linear thermo-elasticity). Closure: the mismatch adds to the
/// cell's von Mises stress (aligned, the upper bound of the sum of two tensors), so site k yields
/// when σ_eq,cell >= e_k = σ_y,k − c t_k, its effective threshold, with σ_y and t independent as
/// in Shang et al. (2018) eq. 10. The effective thresholds of a cell follow
///   F_eff(e; c) = P(σ_y − c t <= e) = ∫ F_y(e + c t) dP(t),
/// and a cell at zero stress has F_eff(0; 1) = p(σ_th > σ_y) of Shang et al. (2018) eq. 10 transformed.
///
/// Quadrature: in w = −ln(1 − v), v the rank of t, so that the tail of t (where a heavy-tailed t
/// exceeds σ_y) is resolved: 8 Gauss–Legendre panels of 4 points on w in [0, 30] plus the mass
/// e^−30 beyond, weights normalised to 1. Free of any mesh and of the calibrate library.

#include <functional>
#include <vector>

namespace cryocycle::continuum
{
  class SiteThermalStress
  {
  public:
    /// @param quantile_GPa t (von Mises mismatch stress of a site at ΔT_ref, GPa, >= 0) at its rank
    ///        in (0, 1), e.g. the inverse cdf of a calibrated Lomax law
    /// @param reference_temperature_change_K ΔT_ref (> 0) at which quantile_GPa holds
    /// Throws std::invalid_argument for a negative or non-finite quantile or ΔT_ref <= 0.
    SiteThermalStress(const std::function<double(double)> &quantile_GPa, double reference_temperature_change_K);

    double reference_temperature_change_K() const { return reference_K_; }
    /// c = |ΔT| / ΔT_ref.
    double scale(double temperature_change_K) const;
    /// E[t] (GPa) by the same quadrature.
    double mean_GPa() const { return mean_GPa_; }

    /// F_eff(e; c) for the yield-stress cdf F_y of one structural state (c = 0: F_y(e)).
    double effective_cdf(const std::function<double(double)> &yield_cdf, double scale, double stress_GPa) const;
    /// The effective threshold e with F_eff(e; c) = rank (TOMS 748 to ~1e-12 relative; c = 0:
    /// yield_quantile(rank) itself), bracketed from Q_y(u) (F_eff(Q_y(u)) >= u) downwards. A
    /// function of its arguments alone (no warm start), so that when it is computed never
    /// changes a run.
    double effective_quantile(const std::function<double(double)> &yield_cdf,
                              const std::function<double(double)> &yield_quantile, double scale,
                              double rank) const;

    /// The quadrature nodes t_j (GPa) and weights (sum 1), for tests.
    const std::vector<double> &nodes_GPa() const { return nodes_GPa_; }
    const std::vector<double> &weights() const { return weights_; }

  private:
    double reference_K_;
    double mean_GPa_ = 0.0;
    std::vector<double> nodes_GPa_;
    std::vector<double> weights_;
  };
} // namespace cryocycle::continuum
