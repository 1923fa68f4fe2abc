#pragma once
/// @file
/// Results of the calibration stage and their writers (calibration.yaml, CSV tables, plots).
/// Kept apart from the stage so the record format has one home.

#include "calibrate/distribution_fit.h"
#include "core/run_directory.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace YAML
{
  class Emitter;
}

namespace cryocycle::coupling
{
  /// Sample mean and unbiased sample variance.
  struct SampleMoments
  {
    double mean = 0.0;
    double variance = 0.0;
  };
  SampleMoments sample_moments(const std::vector<double> &samples);

  /// One measured quantity at one coarse-graining width: its samples and fits.
  struct QuantityCalibration
  {
    std::string name;  ///< with unit, e.g. "yield_stress_GPa"
    std::string unit;  ///< unit of values and of scale-like parameters, e.g. "GPa"
    std::string source;  ///< input file, or how the samples were obtained
    std::vector<double> samples;
    std::vector<calibrate::DistributionFit> fits;
    std::vector<std::pair<std::string, std::string>> failed_fits;  ///< family, reason

    const calibrate::DistributionFit *fit(const std::string &family) const;
  };

  /// p(σ_th > σ_y) and what follows from it at one σ_cg.
  struct ActivationCalibration
  {
    std::string thermal_stress_model;
    std::string yield_stress_model;
    double probability = 0.0;              ///< adaptive quadrature of ∫ F_y p_th
    double quadrature_error_bound = 0.0;
    double probability_monte_carlo = 0.0;  ///< conditional Monte Carlo cross-check
    double monte_carlo_standard_error = 0.0;
    std::size_t monte_carlo_samples = 0;
    double probability_empirical = 0.0;    ///< from the raw samples, no fit
    double probability_per_sigma_cg_cubed_per_nm3 = 0.0;
    std::vector<std::pair<double, double>> sites_for_level;  ///< (P_act level, n)
  };

  struct CoarseGrainingCalibration
  {
    double sigma_cg_nm = 0.0;
    double bulk_modulus_for_stress_GPa = 0.0;
    double shear_modulus_for_stress_GPa = 0.0;
    std::optional<QuantityCalibration> thermal_expansion;
    std::optional<QuantityCalibration> bulk_modulus;
    std::optional<QuantityCalibration> shear_modulus;
    std::optional<QuantityCalibration> yield_stress;
    std::optional<QuantityCalibration> thermal_stress;
    std::optional<ActivationCalibration> activation;
  };

  /// Var(α) = A σ_cg^b fitted across widths.
  struct VarianceScaling
  {
    double prefactor = 0.0;  ///< A in (1/K)² nm^-b
    double exponent = 0.0;   ///< b
    double exponent_standard_error = 0.0;
    double r_squared = 0.0;
  };

  struct CalibrationResults
  {
    std::string glass_label;
    std::optional<double> glass_quench_rate_K_per_s;
    double high_temperature_K = 0.0;
    double low_temperature_K = 0.0;
    std::string moduli_source;
    std::size_t bootstrap_resamples = 0;
    double confidence_level = 0.0;
    std::uint64_t seed = 0;
    std::vector<CoarseGrainingCalibration> widths;
    std::optional<VarianceScaling> thermal_expansion_variance_scaling;
    std::optional<std::pair<double, double>> probability_per_volume;  ///< mean (nm⁻³), relative std
    std::vector<std::pair<std::string, std::string>> inputs;          ///< key, path
    std::vector<std::string> input_checksums;                        ///< SHA-256, same order
  };

  /// One fit as a YAML map (family, parameters with standard errors and confidence intervals,
  /// log-likelihood, AIC and its difference from `lowest_aic`, KS statistic and p-value); shared
  /// by every record that reports fits.
  void emit_distribution_fit(YAML::Emitter &out, const calibrate::DistributionFit &fit, double lowest_aic);

  /// calibration.yaml text. Contains no time stamps, so the same inputs and seed give the same
  /// bytes.
  std::string calibration_record_yaml(const CalibrationResults &results);
  /// fits.csv, fit_parameters.csv, activation.csv, activation_curve.csv, variance_scaling.csv,
  /// histogram CSVs and PNG plots.
  void write_calibration_tables(const CalibrationResults &results, const core::RunDirectory &directory,
                                std::size_t histogram_bins);
  /// A few lines for the terminal and summary.txt.
  std::string calibration_summary(const CalibrationResults &results);
} // namespace cryocycle::coupling
