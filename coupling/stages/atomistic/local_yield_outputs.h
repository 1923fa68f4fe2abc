#pragma once
/// @file
/// The frozen-matrix local yield stress task of the atomistic stage (`local_yield`; Shang et al. 2018
/// §IV, atomistic/frozen_matrix_yield.h): its config sub-section `atomistic.local.yield_stress`,
/// the run on the sites of `atomistic.local.coarse_graining` (or random sites) with
/// r_c = radius_per_sigma_cg · σ_cg for each width, and its result files:
///
///   local_yield/yield_stress_sigma_cg_<w>.csv   one row per yielded site: x_nm, y_nm, z_nm,
///       yield_stress_GPa (the yield_stress_csv of `cryocycle calibrate`), weakest_mode, strain
///       at yield, drops, … — every column numeric, modes by index (local_yield.yaml names them)
///   local_yield/not_yielded_sigma_cg_<w>.csv    sites whose stress fell in no mode (if any),
///       with the highest von Mises stress reached (a lower bound of σ_y)
///   local_yield/modes_sigma_cg_<w>.csv          one row per site and mode
///   local_yield/curves_sigma_cg_<w>.csv         every minimisation (write_curves: true)
///   local_yield.yaml                             settings, modes, statistics, cost
///   plots/local_yield_histogram.png
///
///   atomistic:
///     tasks: [prepare, local_yield]
///     local:
///       coarse_graining: {sigma_cg_A: [5], sites_per_edge: 4}
///       yield_stress: {sites: random, random_sites: 64, strain_step: 2.0e-3, max_strain: 0.2}

#include "atomistic/frozen_matrix_yield.h"
#include "atomistic/md_system.h"
#include "core/config_schema.h"
#include "core/config_values.h"
#include "core/run_directory.h"
#include "coupling/pipeline/stage.h"

#include <functional>
#include <string>
#include <vector>

namespace cryocycle::coupling
{
  /// Declares `yield_stress` inside `atomistic.local`.
  void declare_local_yield(core::ConfigSection &local);

  /// Cross-key rules (from the `atomistic` section's check): without the prepare task the
  /// local_yield task needs its initial_data_file.
  void check_local_yield(const core::ConfigValues &atomistic);

  /// Checks before any work that the frozen shell of `potential` is known (its interaction range,
  /// or shell_thickness_A given); a ConfigError naming shell_thickness_A otherwise.
  void prepare_local_yield(const core::ConfigValues &atomistic, const atomistic::PotentialModel &potential);

  /// The frozen-matrix settings of `atomistic.local.yield_stress` for radius `inner_radius_native`
  /// (native units of `potential`); the caller sets nothing else.
  atomistic::FrozenMatrixSettings frozen_matrix_settings(const core::ConfigValues &yield_stress,
                                                         const atomistic::PotentialModel &potential,
                                                         double inner_radius_native, std::uint64_t seed);

  /// The results of one coarse-graining width.
  struct LocalYieldWidth
  {
    double sigma_cg_A = 0.0;
    double inner_radius_A = 0.0;
    std::vector<atomistic::SiteYield> sites;
    atomistic::FrozenMatrixStatistics statistics;
  };

  /// Writes the CSV tables and the histogram of the widths, and local_yield.yaml (see the file
  /// comment). Stresses in GPa (LJ through its unit mapping; reduced columns too for LJ).
  void write_local_yield_outputs(const core::RunDirectory &directory, const atomistic::PotentialModel &potential,
                                 const atomistic::FrozenMatrixSettings &settings,
                                 const std::vector<LocalYieldWidth> &widths, const std::vector<std::string> &skipped);

  /// Per-site table file of a width: "local_yield/yield_stress_sigma_cg_5A.csv".
  std::string local_yield_file(double sigma_cg_A);

  /// Loads the start state of the task (initial_data_file or the glass prepared in the run).
  using LocalYieldStartState = std::function<void(const core::ConfigValues &section)>;

  /// Task local_yield: minimises the start state (its inherent structure), then measures every
  /// width whose cluster fits in the box; widths that do not fit are skipped with a warning.
  void run_local_yield(RunContext &context, atomistic::MdSystem &system, const LocalYieldStartState &start_state);
} // namespace cryocycle::coupling
