#pragma once
/// @file
/// What the continuum stage's thermal_stress mode reports: the record thermal_stress.yaml, the
/// fits of the per-site von Mises stress (Shang et al. 2018 Fig. 2: Lomax), the histogram table and plot,
/// and the summary text. Kept apart from the stage so the record format has one home.

#include "calibrate/distribution_fit.h"
#include "core/run_directory.h"
#include "coupling/stages/continuum/continuum_results.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace cryocycle::coupling
{
  /// Settings of mode thermal_stress (from the config).
  struct ThermalStressOptions
  {
    std::string shape;
    double reference_temperature_K = 300.0;
    double temperature_K = 200.0;
    std::vector<std::string> fit_families{"lomax"};
    std::size_t bootstrap_resamples = 200;
    std::vector<double> quantile_levels;
    std::size_t histogram_bins = 40;
    std::uint64_t seed = 1;
  };

  /// The periodic Fourier solution of the same α grid (uniform moduli only).
  struct FourierCrossCheck
  {
    double relative_l2_difference_von_mises = 0.0;  ///< ‖σ_FE − σ_FFT‖₂ / ‖σ_FFT‖₂ over sites
    double mean_von_mises_GPa = 0.0;                 ///< of the Fourier solution
  };

  struct ThermalStressReport
  {
    double temperature_change_K = 0.0;
    std::uint64_t n_dofs = 0;
    std::string solver;
    double total_volume_nm3 = 0.0;
    double elastic_energy_aJ = 0.0;  ///< 1 aJ = 1e-18 J
    std::vector<calibrate::DistributionFit> fits;
    std::vector<std::pair<std::string, std::string>> failed_fits;  ///< family, reason
    std::optional<FourierCrossCheck> fourier;
  };

  /// Fits every family of options.fit_families to the von Mises column; a family that cannot be
  /// fitted (e.g. all stresses zero under uniform α) is recorded in failed_fits with the reason.
  void fit_von_mises(const SiteStressTable &table, const ThermalStressOptions &options,
                     ThermalStressReport &report);

  /// thermal_stress.yaml (statistics, energy, fits, cross-check; no time stamps), the von Mises
  /// histogram with the fitted densities (von_mises_histogram.csv) and its plot.
  void write_thermal_stress_report(const core::RunDirectory &directory, const SiteStressTable &table,
                                   const ThermalStressOptions &options,
                                   const ThermalStressReport &report);

  /// A few lines for the terminal and summary.txt.
  std::string thermal_stress_summary(const SiteStressTable &table, const ThermalStressOptions &options,
                                     const ThermalStressReport &report);
} // namespace cryocycle::coupling
