#pragma once
/// @file
/// The optional parts of `cryocycle extrapolate`'s results, each written into the run directory
/// and returned as summary lines and a Markdown section for extrapolation.md.

#include "core/run_directory.h"
#include "coupling/bridge/calibration_record.h"
#include "coupling/bridge/quench_rate_laws.h"

#include <optional>
#include <string>
#include <vector>

namespace cryocycle::coupling
{
  /// Lines for summary.txt and a section for extrapolation.md.
  struct ReportPart
  {
    std::string summary;
    std::string markdown;
  };

  /// From a calibration record: the p/σ_cg³ invariance across its widths (Shang et al. 2018 §V, needs p
  /// at two or more widths; `tolerance` on the relative spread) and, with `element_size_nm`,
  /// α, K and G carried to mesh sites of that edge: site_fields.csv and site_materials.yaml (a
  /// continuum.materials section with source random).
  ReportPart write_record_checks(const core::RunDirectory &directory, const CalibrationRecord &record,
                                 std::optional<double> element_size_nm, double tolerance);

  /// Cooling-rate trends of every parameter fitted in all glasses' records at `sigma_cg_nm` and of
  /// the as-quenched energy, carried to `rates` (quench_rate_trends.csv,
  /// quench_rate_extrapolation.csv, with p(σ_th > σ_y) from the carried parameters when both
  /// families were fitted), and with energies the state law of continuum.cycles for
  /// `yield_family` (state_law.yaml).
  ReportPart write_quench_rate_outputs(const core::RunDirectory &directory, const std::vector<GlassState> &glasses,
                                       double sigma_cg_nm, const std::vector<double> &rates, double level,
                                       const std::string &thermal_family, const std::string &yield_family);
} // namespace cryocycle::coupling
