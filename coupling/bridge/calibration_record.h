#pragma once
/// @file
/// Reading a calibration record (calibration.yaml, written by calibration_results.h) back for the
/// later stages: the glass and its quench rate, and per coarse-graining width the fitted families
/// of each local quantity with their standard errors, the sample moments and p(σ_th > σ_y).
/// Every problem is reported as "file:line: key: message".

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace cryocycle::coupling
{
  /// One fitted family of a quantity.
  struct RecordedFit
  {
    std::string family;
    std::vector<std::string> parameter_names;
    std::vector<double> estimates;        ///< in parameter_names order; scales in the quantity's unit
    std::vector<double> standard_errors;  ///< observed-information standard errors
    double aic = 0.0;
  };

  /// A measured local quantity at one width (e.g. "yield_stress_GPa").
  struct RecordedQuantity
  {
    std::string name;
    std::string unit;
    std::size_t sample_count = 0;
    double mean = 0.0;
    double standard_deviation = 0.0;
    std::vector<RecordedFit> fits;

    /// The fit of `family`, or nullptr.
    const RecordedFit *fit(const std::string &family) const;
  };

  /// Everything the record holds about one coarse-graining width.
  struct RecordedCoarseGraining
  {
    double sigma_cg_nm = 0.0;
    std::vector<RecordedQuantity> quantities;
    std::optional<double> probability;  ///< p(σ_th > σ_y) by quadrature, when computed

    /// The quantity called `name`, or nullptr.
    const RecordedQuantity *quantity(const std::string &name) const;
  };

  struct CalibrationRecord
  {
    std::filesystem::path file;
    std::string glass_label;
    std::optional<double> quench_rate_K_per_s;
    double temperature_change_K = 0.0;
    std::vector<RecordedCoarseGraining> coarse_grainings;

    /// The width equal to `sigma_cg_nm` within 1e-9 relative; throws std::runtime_error
    /// listing the widths the record has otherwise.
    const RecordedCoarseGraining &width(double sigma_cg_nm) const;
    /// The fit of `family` to `quantity` at `sigma_cg_nm`; throws std::runtime_error naming the
    /// record file and what it has instead when absent.
    const RecordedFit &fit(double sigma_cg_nm, const std::string &quantity, const std::string &family) const;
  };

  /// Reads and checks a calibration record; throws std::runtime_error "file:line: key: message"
  /// for a missing file, malformed YAML, an unknown format_version or a missing or non-numeric
  /// entry.
  CalibrationRecord read_calibration_record(const std::filesystem::path &file);
} // namespace cryocycle::coupling
