#pragma once
/// @file
/// The local measurements of the atomistic stage (Shang et al. 2018): the config section
/// `atomistic.local`, its shared `coarse_graining` sub-section (widths σ_cg, kernel truncation,
/// the grid or list of sites — reused by every local measurement), and the sites in a box.
///
///   atomistic:
///     tasks: [prepare, local_expansion, local_moduli]
///     local:
///       coarse_graining:
///         sigma_cg_A: [4, 5, 7]     # widths of one pass (Shang et al. 2018: 5 Å; r_c = 2 σ_cg)
///         truncation_sigmas: 3      # kernel cut-off in units of σ_cg
///         sites_per_edge: 10        # or site_spacing_A, or site_file
///       expansion: {low_temperature_K: 1, high_temperature_K: 100, averaging_ps: 20, ...}
///       moduli: {strain_amplitude: 1.0e-4, strain_measure: local, ...}
///
/// Per-site tables carry the column names `cryocycle calibrate` reads (x_nm, y_nm, z_nm,
/// alpha_per_K; bulk_modulus_GPa, shear_modulus_GPa), one file per width, and the run writes
/// calibrate_local.yaml naming them.
/// Lengths in the config are physical (Å, nm); the LAMMPS side works in native lengths
/// (Å in metal units, σ in LJ units): site_points() and sigma_cg_native() convert once.

#include "atomistic/coarse_graining.h"
#include "atomistic/md_system.h"
#include "atomistic/unit_system.h"
#include "core/config_schema.h"
#include "core/config_values.h"
#include "coupling/pipeline/stage.h"

#include <array>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace cryocycle::coupling
{
  /// Declares `local` (and its `coarse_graining` sub-section) inside the `atomistic` section.
  /// Returns the `local` section so other measurements can declare their sub-sections in it.
  core::ConfigSection &declare_local_measurements(core::ConfigSection &atomistic);

  /// Cross-key rules of the local tasks (called from the `atomistic` section's check): a task
  /// without the prepare task needs its initial_data_file.
  void check_local_tasks(const core::ConfigValues &atomistic);

  /// The resolved `atomistic.local.coarse_graining` settings.
  struct CoarseGrainingSettings
  {
    /// Widths σ_cg in Å, in the order given.
    std::vector<double> sigma_cg_A;
    /// Kernel cut-off r_cut = truncation_sigmas · σ_cg.
    double truncation_sigmas = 3.0;
    /// Regular grid: sites per box edge (used when neither a spacing nor a site list is given).
    int sites_per_edge = 10;
    /// Regular grid with this spacing (Å): round(edge / spacing) sites per edge.
    std::optional<double> site_spacing_A;
    /// Explicit sites (nm), from site_file; empty when a grid is used.
    std::vector<atomistic::Vector3> site_list_nm;
    std::string site_file;

    /// Whether the sites form a complete regular grid of the box (the Fourier thermal stress
    /// of `cryocycle calibrate` needs one).
    bool regular_grid() const { return site_list_nm.empty(); }
    /// The sites in native lengths of `box` (native lengths too).
    std::vector<atomistic::Vector3> site_points(const atomistic::PeriodicBox &box,
                                                const atomistic::UnitSystem &units) const;
    /// σ_cg in native lengths, same order as sigma_cg_A.
    std::vector<double> sigma_cg_native(const atomistic::UnitSystem &units) const;
  };

  /// Reads `atomistic.local.coarse_graining` from the resolved `atomistic.local` values; reads
  /// and checks the site file (a ConfigError naming the key on any problem).
  CoarseGrainingSettings read_coarse_graining_settings(const core::ConfigValues &local);

  /// File-name tag of a width: "5A", "4.5A".
  std::string sigma_cg_tag(double sigma_cg_A);

  /// Loads the start state of a local task from its section (initial_data_file or the glass
  /// prepared in the same run).
  using StartState = std::function<void(const core::ConfigValues &section)>;

  /// Task local_expansion: local TEC per site and width (atomistic/local_thermal_expansion.h).
  /// Writes local_expansion/alpha_sigma_cg_<w>.csv (columns x_nm, y_nm, z_nm, alpha_per_K, … —
  /// the thermal_expansion_csv of `cryocycle calibrate`), local_expansion/variance.csv (Var(α)
  /// against σ_cg), local_expansion.yaml and plots/local_alpha_{variance,histogram}.png.
  void run_local_expansion(RunContext &context, atomistic::MdSystem &system, const StartState &start_state);
  /// Task local_moduli: local stiffness, K and G per site and width, whole-box stiffness
  /// (atomistic/local_elastic_moduli.h). Writes local_moduli/moduli_sigma_cg_<w>.csv (columns
  /// bulk_modulus_GPa, shear_modulus_GPa — the moduli_csv of `cryocycle calibrate` — and the 21
  /// stiffness components), local_moduli.yaml and plots/local_{bulk,shear}_modulus_histogram.png.
  void run_local_moduli(RunContext &context, atomistic::MdSystem &system, const StartState &start_state);
  /// calibrate_local.yaml: a `calibrate` config naming every per-site table of this run, one
  /// coarse_grainings entry per width (the files that exist: local_expansion/alpha_…,
  /// local_moduli/moduli_…, local_yield/yield_stress_sigma_cg_<w>.csv), so
  /// `cryocycle calibrate <run>/calibrate_local.yaml` fits them directly.
  void write_local_calibration_config(const core::RunDirectory &directory, const CoarseGrainingSettings &settings);
} // namespace cryocycle::coupling
