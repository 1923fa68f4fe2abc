#pragma once
/// @file
/// A homogenised cell: a cell of the mesh much larger than a shear-transformation (ST) site, which
/// carries the distribution of its n sites' yield thresholds instead of the sites themselves
/// (docs/design.md "two resolutions, one engine"; Shang et al. (2018) §V). Free of any mesh.
///
/// Mean field. Every site of the cell feels the cell's stress (plus, optionally, its own
/// thermal-mismatch stress: site_thermal_stress.h, the thresholds then being effective ones
/// σ_y − c t at the cell's mismatch scale c); site thresholds follow the
/// distribution F_s of the cell's structural state s (mean of its sites). A site is described
/// only by its rank u = F_s(σ_y) in [0, 1] (its quantile), which it keeps when s changes
/// (comonotone: a rejuvenating cell lowers all its thresholds together). The n ranks form the
/// pool; as the cell's σ_eq rises to σ, every site with u <= F_s(σ) transforms, so from a virgin
/// pool the fraction of sites transformed at least once is exactly F_s(σ), and the probability
/// that at least one of n sites has transformed is P_act = 1 − (1 − F_s(σ))^n (Shang et al. 2018 §V).
///
/// The pool is kept exactly as a mixture of uniform laws on (c_j, 1) in rank space, Σ w_j = 1
/// (fractions of n): the virgin pool is U(0, 1); conditioning on "above the load" truncates
/// components; a transformed or relaxed site draws a new threshold from F at its new state, i.e.
/// a new rank uniform on (0, 1) — unconditioned, as a site of the explicit engine draws its new
/// σ_y, so it may transform again at once if its new threshold lies below the cell's stress.
///
/// Quanta. A cell does not flip one site at a time: its next trigger is the rank at which the
/// k-th weakest untransformed site yields, k = max(1, round(quantum_fraction · n)) sites — the
/// k-th order statistic of n ranks, Beta(k, n − k + 1) in the pool's cumulative fraction. At a
/// flip under load rank q the cell transforms those k sites plus Binomial(n − k, p) more whose
/// ranks lie between the trigger and q. The eigenstrain increment and the state change scale with
/// the transformed fraction m/n. With n = 1 the trigger is the site's own threshold, drawn by
/// inversion from one uniform number, and a flip transforms the whole cell: the explicit site.

#include "continuum/physics/site_thermal_stress.h"
#include "core/config_schema.h"
#include "core/config_values.h"
#include "core/random_stream.h"

#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <vector>

namespace cryocycle::continuum
{
  /// The local yield-stress distribution of the sites as a function of the structural state s
  /// (0 relaxed .. 1 rejuvenated), e.g. a calibrated family with interpolated parameters.
  struct ThresholdDistribution
  {
    /// σ_y (GPa, > 0) at rank u in (0, 1): the inverse of cdf.
    std::function<double(double state, double rank)> quantile_GPa;
    /// F_s(σ) in [0, 1] for σ in GPa (non-decreasing in σ).
    std::function<double(double state, double stress_GPa)> cdf;
    /// Optional: the sites' thermal-mismatch stress (site_thermal_stress.h). With it, a cell's
    /// sites are ranked by their effective thresholds e = σ_y − c t at the cell's current
    /// mismatch scale c, and trigger and flip use F_eff; without it (or at c = 0) by σ_y.
    std::shared_ptr<const SiteThermalStress> site_thermal_stress;

    /// The effective threshold at rank u (σ_y at c = 0 or without site thermal stress).
    double effective_quantile_GPa(double state, double mismatch_scale, double rank) const;
    /// F_eff(σ) of the effective thresholds (F_s(σ) at c = 0 or without site thermal stress).
    double effective_cdf(double state, double mismatch_scale, double stress_GPa) const;
  };

  /// The ranks of a cell's sites: a mixture of U(c_j, 1), weights summing to 1.
  class ThresholdRankPool
  {
  public:
    /// The virgin pool U(0, 1).
    ThresholdRankPool();

    /// G(u): fraction of the cell's sites with rank below u (piecewise linear, G(1) = 1).
    double fraction_below(double rank) const;
    /// The smallest rank u with G(u) = g, g in [0, 1].
    double rank_of_fraction(double fraction) const;
    /// Sites with rank below `load_rank` transform: the pool is conditioned above it and scaled
    /// to 1 − transformed_fraction, and the transformed fraction is added back as U(0, 1).
    void transform(double load_rank, double transformed_fraction);
    /// A fraction ρ of every component draws new ranks: the pool becomes (1 − ρ) pool + ρ U(0, 1).
    void renew(double renewed_fraction);
    /// (c_j, w_j) of the mixture (for tests and checkpoints).
    const std::vector<std::pair<double, double>> &components() const { return components_; }
    /// The pool with these components (from components(); checked: c in [0, 1), w > 0, Σ w = 1
    /// to 1e-9). Throws std::invalid_argument.
    static ThresholdRankPool from_components(std::vector<std::pair<double, double>> components);

  private:
    void add_component(double lower_rank, double weight);
    std::vector<std::pair<double, double>> components_;
  };

  /// Settings of the homogenised resolution.
  struct HomogenisedCellRule
  {
    /// n: ST sites per cell (cell volume / site volume), in [1, 1e18]; 1 is the explicit-site
    /// resolution (a mm³ cell of 1 nm sites holds 1e18).
    double sites_per_cell = 1.0;
    /// Quantum of a flip as a fraction of the cell's sites (k = max(1, round(fraction · n))).
    double quantum_fraction = 1e-3;
    /// If > 0: the volume of one site (nm³); each cell of HomogenisedCells then holds
    /// n = max(1, round(cell volume / site volume)) sites and sites_per_cell is ignored.
    double site_volume_nm3 = 0.0;
    /// With a site thermal-mismatch stress only: cell eigenstrain increments are collected and
    /// applied (one re-solve) once the largest collected equivalent strain reaches this, and
    /// at every resolve_from_scratch (cycle end). The stress missed meanwhile stays below
    /// ~2G times it (0.05 MPa at 1e-6), far below thresholds of GPa.
    double deferred_strain_tolerance = 1e-6;

    /// Declares flip_quantum_fraction (quantum_fraction) in `section` (continuum.cycles) with the
    /// member default; the cell size comes from the mesh and site_size_nm of the stage.
    static void declare(core::ConfigSection &section);
    /// The rule with quantum_fraction read; the other members at their defaults.
    static HomogenisedCellRule parse(const core::ConfigValues &section);
  };

  /// Uniform number on (0, 1) of draw `draw_index` of cell `cell_id`: stream (seed,
  /// "homogenised threshold", id, draw). Exposed so that an explicit-site run can be given the
  /// same thresholds (σ_y = quantile(s, uniform)) as a homogenised run with n = 1.
  double homogenised_threshold_uniform(std::uint64_t seed, std::uint64_t cell_id, std::uint64_t draw_index);

  /// Binomial(trials, p) for trials up to ~1e18 (normal approximation where the variance exceeds
  /// 1e8, exact below), as a double.
  double draw_binomial(double trials, double probability, core::RandomEngine &engine);

  /// Poisson(mean) for means up to ~1e18 (normal approximation above 1e8), as a double.
  double draw_poisson(double mean, core::RandomEngine &engine);

  /// One homogenised cell: its pool of ranks, structural state, next trigger and counters.
  class HomogenisedCell
  {
  public:
    /// A virgin cell in state `state`; draws its first trigger (draw 0).
    HomogenisedCell(std::uint64_t id, double state, const HomogenisedCellRule &rule,
                    const ThresholdDistribution &thresholds, std::uint64_t seed);

    std::uint64_t id() const { return id_; }
    double site_count() const { return sites_; }
    double quantum_sites() const { return quantum_; }
    double state() const { return state_; }
    /// σ_eq (GPa) at which the cell flips next. With a site thermal-mismatch stress at c > 0 it is
    /// computed on first use (an inversion of F_eff), so this form throws std::logic_error while it
    /// is pending; the form with the thresholds computes and keeps it.
    double trigger_stress_GPa() const;
    double trigger_stress_GPa(const ThresholdDistribution &thresholds) const;
    /// The last computed trigger stress (for a pending one, that of an earlier rank or c), without
    /// computing anything: reading it never changes the cell.
    double last_trigger_stress_GPa() const { return trigger_stress_; }
    /// Whether the cell flips at σ_eq: σ_eq >= trigger − tolerance |trigger| (and not at σ_eq = 0 with
    /// a positive trigger); with effective thresholds (c > 0) in rank space, F_eff(σ_eq (1 + 2
    /// tolerance)) >= trigger rank, which needs no inversion.
    bool yields_at(double von_mises_GPa, double tolerance, const ThresholdDistribution &thresholds) const;
    /// False only if the cell cannot flip at any σ_eq <= `upper_GPa`: F_eff(upper) is below the
    /// trigger rank by a margin of 1e-9 of it (a cheap screen that needs no inversion).
    bool may_yield_below(double upper_GPa, const ThresholdDistribution &thresholds) const;
    /// Rank of the next trigger.
    double trigger_rank() const { return trigger_rank_; }
    /// c = |ΔT| / ΔT_ref of the site thermal-mismatch stress the thresholds are ranked at.
    double mismatch_scale() const { return mismatch_scale_; }
    /// Sets c (the cell's temperature moved): the sites keep their ranks (comonotone, as for a
    /// change of state) and the trigger stress is the effective threshold of the trigger rank at
    /// the new c (it may be <= 0: those sites yield under no cell stress). No new draw.
    void set_mismatch_scale(double mismatch_scale, const ThresholdDistribution &thresholds);
    /// Sites transformed so far (all transformations, repeats included).
    double transformed_sites() const { return transformed_; }
    /// Fraction of the sites that never transformed nor relaxed since the start.
    double virgin_fraction() const { return virgin_; }
    const ThresholdRankPool &pool() const { return pool_; }

    /// Flip under the cell's current σ_eq (>= about the trigger stress): transforms the k trigger
    /// sites and those between the trigger and the load, moves the state by
    /// (m/n) η (1 − s), draws the next trigger. Returns m/n, the transformed fraction.
    double flip(double von_mises_GPa, double rejuvenation_per_event, const ThresholdDistribution &thresholds);

    /// Stress-assisted STs of one interval (thermal_relaxation.h) at the cell's σ_eq (GPa): how
    /// many of its sites transform, when a site of effective threshold e above σ_eq does so with
    /// probability `probability(e)` (1 − e^{−Λ} for the barrier ΔF0 (1 − σ_eq/e)^{3/2},
    /// non-increasing in e; e may be +∞). Sites at or below σ_eq are the athermal events' and
    /// are not counted; none at σ_eq <= 0 (no direction to shear).
    ///  - One site (n at most a quantum): 1 or 0, one uniform number from `engine` against
    ///    probability(trigger stress) — draw_stress_assisted_events' rule for an explicit site.
    ///  - More: Binomial(N, E/N) over the N = n (1 − H(σ_eq)) sites above the load, with the
    ///    expected count E = n ∫_{e > σ_eq} P dH, H(e) = G(F_eff(e)) the fraction of the
    ///    cell's sites with effective threshold below e, by the trapezoidal rule on 64 panels
    ///    uniform in b = (1 − σ_eq/e)^{3/2} ∈ [0, 1] (the barrier's fraction; e from σ_eq to ∞),
    ///    cut where P falls below 1e-15.
    double stress_assisted_sites(double von_mises_GPa, const std::function<double(double)> &probability,
                                 core::RandomEngine &engine, const ThresholdDistribution &thresholds) const;

    /// Transforms `sites` (> 0) sites by stress-assisted activation at σ_eq: the weakest sites
    /// above the load (the barrier is lowest there), with the sub-quantum remainder below it:
    /// all sites below the rank u' with G(u') = G(F_eff(σ_eq)) + sites/n. The state moves by
    /// (m/n) η (1 − s) and a new trigger is drawn, as in flip(). One site: flip() itself.
    /// Returns the transformed fraction m/n (sites/n plus that remainder). Throws
    /// std::invalid_argument for sites <= 0.
    double activate(double von_mises_GPa, double sites, double rejuvenation_per_event,
                    const ThresholdDistribution &thresholds);

    /// Thermal relaxation: `relaxations` events spread over the n sites; the state becomes
    /// s (1 − η)^(N/n) and the distinct relaxed sites, n (1 − (1 − 1/n)^N), draw new ranks.
    /// No-op for N = 0. Draws a new trigger otherwise.
    void relax(double relaxations, double relaxation_per_event, const ThresholdDistribution &thresholds);

    /// Everything that changes as the cell evolves (state, pool, trigger, counters), as numbers
    /// for a checkpoint; restore() on a cell built with the same id, rule and seed continues
    /// bit-identically. restore() throws std::invalid_argument for a record that is not one.
    std::vector<double> save() const;
    void restore(const std::vector<double> &record);

  private:
    void draw_trigger(const ThresholdDistribution &thresholds);
    /// The sites below `rank` transform, `transformed` of them in all (the pool is conditioned
    /// above the rank, the transformed ones draw new ranks); the state moves by
    /// (m/n) η (1 − s); a new trigger is drawn. Returns m/n.
    double transform_below(double rank, double transformed, double rejuvenation_per_event,
                           const ThresholdDistribution &thresholds);
    void set_trigger_stress(const ThresholdDistribution &thresholds);

    std::uint64_t id_;
    std::uint64_t seed_;
    double sites_;
    double quantum_;
    double state_;
    ThresholdRankPool pool_;
    std::uint64_t draws_ = 0;
    double trigger_rank_ = 0.0;
    mutable double trigger_stress_ = 0.0;
    mutable bool trigger_pending_ = false;  ///< trigger_stress_ not yet computed for the current rank and c
    mutable double screened_below_GPa_ = 0.0;  ///< while pending: the trigger stress lies above this
    double transformed_ = 0.0;
    double virgin_ = 1.0;
    double virgin_rank_ = 0.0;  ///< the virgin sites are uniform on (virgin_rank_, 1)
    double mismatch_scale_ = 0.0;
  };
} // namespace cryocycle::continuum
