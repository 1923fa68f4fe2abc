#pragma once
/// @file
/// Local volumetric thermal expansion coefficient α(r) = ε_v(r)/ΔT (Shang et al. 2018 eq. 3, 1/K) from
/// the coarse-grained displacement (eq. 2, coarse_graining.h) between two time-averaged states
/// at T1 < T2 (Shang et al. 2018: 1 K and 100 K in Cu50Zr50).
///
/// Protocol (NPT at the settings' pressure, Nosé–Hoover thermostat and barostat): anneal at
/// T_anneal ≥ T2; settle at T2 and average ("hot"); cool to T1, settle and average ("cold", the
/// reference); heat back to T2, settle and average again ("hot, after"). α is measured on
/// cooling (hot − cold), as docs/design.md asks of every TEC; the second hot state is the check:
/// the box volumes of the two hot states must agree within `closure_tolerance` (relative), and
/// the per-site α of the heating pair is reported beside the cooling one.
///
/// Averaging removes the vibrations: the box matrix and the fractional positions are averaged
/// separately over the window, the positions unwrapped by continuity between samples, so the
/// box fluctuation of NPT does not smear the mean positions. Displacements between two averaged
/// states are split into the box's affine change and a periodic rest (coarse_graining.h).
///
/// Local volumetric strain: ε_v = det(I + ∇u) − 1, which is tr ε of eq. 3 to first order and
/// makes a uniform expansion give the box's V₂/V₁ − 1 exactly; tr ε is reported too. The
/// macroscopic α of the same run is (V_hot − V_cold)/(V_cold ΔT) of the mean box volumes.

#include "atomistic/coarse_graining.h"
#include "atomistic/md_system.h"

#include <functional>
#include <optional>
#include <vector>

namespace cryocycle::atomistic
{
  /// A time-averaged configuration in native lengths.
  struct AveragedConfiguration
  {
    PeriodicBox box;               ///< mean box
    std::vector<double> positions; ///< mean positions (x0, y0, z0, ...), ordered by atom ID
    double mean_temperature_K = 0.0;
    std::size_t samples = 0;
    double volume() const { return box.volume(); }
  };

  /// Accumulates samples of box and positions into their time average.
  class ConfigurationAverager
  {
  public:
    /// One sample: the box and the positions as gathered (any image).
    void add(const PeriodicBox &box, const std::vector<double> &positions, double temperature_K = 0.0);
    /// The average; throws without samples.
    AveragedConfiguration average() const;
    std::size_t samples() const { return samples_; }

  private:
    std::size_t samples_ = 0;
    std::vector<double> previous_fractional_, sum_fractional_;
    Matrix3 sum_edges_{};
    Vector3 sum_low_{};
    double sum_temperature_ = 0.0;
  };

  /// How the two states of α are taken.
  enum class LocalExpansionMode
  {
    /// cryocycle's: anneal, time averages at T2, T1 (reference, on cooling) and T2 again.
    time_averaged,
    /// Shang, Guan & Barrat (2018): the glass as quenched (no anneal), instantaneous
    /// configurations at T1 and at T2 (or the mean of `snapshot_samples` of them), measured on
    /// heating; the whole measurement is made twice on the same glass (T1 → T2, then a second
    /// T2 state and back to a second T1 state), so the two α fields give the vibrational noise
    /// directly: their correlation and the spread of their difference.
    snapshots
  };

  struct LocalExpansionProtocol
  {
    LocalExpansionMode mode = LocalExpansionMode::time_averaged;
    /// snapshots: configurations averaged per state, `sample_interval_ps` apart (1: a single
    /// configuration, as in Shang, Guan & Barrat 2018).
    int snapshot_samples = 1;
    double low_temperature_K = 1.0;    ///< T1 (reference state)
    double high_temperature_K = 100.0; ///< T2
    /// Anneal temperature (default: T2) and time before the measurement.
    std::optional<double> anneal_temperature_K;
    double anneal_time_ps = 20.0;
    /// Ramp between temperatures, then settle, before each average.
    double ramp_ps = 10.0;
    double equilibration_ps = 10.0;
    double averaging_ps = 20.0;
    double sample_interval_ps = 0.1;
    /// Largest relative volume difference of the two hot states for a closed loop.
    double closure_tolerance = 1.0e-3;
    /// Coarse-graining widths (native length) and truncation.
    std::vector<double> sigma_cg_native;
    double truncation_sigmas = 3.0;
  };

  /// Per-site α for one width.
  struct LocalExpansionWidth
  {
    double sigma_cg_native = 0.0;
    std::vector<double> alpha_per_K;              ///< (det(I + ∇u) − 1)/ΔT, cooling pair
    std::vector<double> alpha_small_strain_per_K; ///< tr ε/ΔT, cooling pair
    std::vector<double> alpha_heating_per_K;      ///< the same as alpha_per_K for the heating pair
    std::vector<std::uint32_t> atoms_in_kernel;
    double mean_per_K = 0.0, standard_deviation_per_K = 0.0;
    /// Standard deviation over sites of α_heating − α: the site-to-site part of the difference
    /// of two repeats (the uniform part is the loop closure of the box volumes), so
    /// heating_difference_std_per_K / √2 is the noise of one site's α.
    double heating_difference_std_per_K = 0.0;
    /// Pearson correlation over sites of the two α fields (alpha_per_K, alpha_heating_per_K):
    /// near 1 when the structure dominates, near 0 (or below) when vibrational noise does.
    double repeat_correlation = 0.0;
  };

  struct LocalExpansionResult
  {
    std::vector<Vector3> sites;               ///< native lengths, in the reference (cold) box
    std::vector<LocalExpansionWidth> widths;  ///< in protocol order
    double delta_temperature_K = 0.0;         ///< T2 − T1 (set points)
    double macroscopic_alpha_per_K = 0.0;     ///< from the box volumes, cooling pair
    double macroscopic_alpha_heating_per_K = 0.0;
    double loop_closure_relative = 0.0;       ///< |V_hot,after − V_hot| / V_hot
    bool loop_closed = false;
    /// time_averaged: the T1 state and the T2 states before and after it. snapshots: the first
    /// measurement's T1 and T2 states (cold, hot) and the repeat's (cold_repeat, hot_after).
    AveragedConfiguration cold, hot, hot_after;
    std::optional<AveragedConfiguration> cold_repeat;
  };

  /// Pearson correlation of two equally long series (0 when either is constant).
  double pearson_correlation(const std::vector<double> &a, const std::vector<double> &b);

  /// α per site for the displacement `cold` → `hot` (reference: cold), all widths in one pass.
  /// `masses` per atom are the weights of eq. 2.
  std::vector<LocalExpansionWidth> local_expansion_between(const AveragedConfiguration &cold,
                                                           const AveragedConfiguration &hot,
                                                           const std::vector<double> &masses,
                                                           const std::vector<Vector3> &sites,
                                                           const std::vector<double> &sigma_cg_native,
                                                           double truncation_sigmas, double delta_temperature_K);

  /// Sites of a measurement chosen from the reference box (native lengths).
  using SiteChooser = std::function<std::vector<Vector3>(const PeriodicBox &)>;

  /// Runs the protocol on `system` (a glass or crystal, NPT) and measures α per site.
  LocalExpansionResult measure_local_thermal_expansion(MdSystem &system, const LocalExpansionProtocol &protocol,
                                                       const SiteChooser &sites,
                                                       const std::function<void(double)> &progress = {});
  /// MD time of the protocol in ps.
  double local_expansion_duration_ps(const LocalExpansionProtocol &protocol);

  /// The box of a LAMMPS session as a PeriodicBox.
  PeriodicBox periodic_box(const SimulationBox &box);
  /// Per-atom masses (native units) ordered by atom ID, from the types of `system`.
  std::vector<double> atom_masses(MdSystem &system);
} // namespace cryocycle::atomistic
