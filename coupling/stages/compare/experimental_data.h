#pragma once
/// @file
/// Measured data sets (configs/experiments/*.yaml) and the model observables they map to, for
/// `cryocycle compare`. A data set is a list of measured points (value with its unit in the key,
/// uncertainty where the source gives one, the conditions of the treatment) and a declaration of
/// the model observable it is compared with — or `none` with the reason the model cannot speak to
/// it. The model side is a continuum run of mode cycles (its cycles.csv and resolved config).
/// Everything here is free of I/O except reading the files named, so it is testable on its own.

#include "core/config_schema.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace cryocycle::coupling
{
  /// One model observable a data set can be compared with.
  struct ObservableInfo
  {
    std::string name;
    std::string unit;         ///< "dimensionless", "GPa", "J_per_mol", "cycle"
    bool per_cycle = true;    ///< a value at a cycle N (false: one number of the whole curve)
    std::string description;  ///< how it is computed from cycles.csv
  };

  /// Every model observable, plus "none" (the data set is recorded but not compared).
  const std::vector<ObservableInfo> &model_observables();

  /// One measured point.
  struct MeasuredPoint
  {
    std::string state;                    ///< e.g. "after a 10-min hold at 77 K"
    std::optional<long long> cycle;       ///< model cycle N the state corresponds to
    std::optional<double> low_temperature_K;
    std::optional<double> low_hold_min;
    double value = 0.0;                   ///< in the data set's unit
    std::optional<double> uncertainty;    ///< same unit; absent when the source states none
    std::string reference;                ///< figure / table / section of the source
    std::string note;
  };

  struct ExperimentalDataSet
  {
    std::string name;
    std::string quantity;
    std::string material;
    std::string reference;
    bool figure_only = false;             ///< the source gives the full curve only as a figure
    std::string figure_note;
    std::string unit;                     ///< "dimensionless", "GPa", "J_per_mol", "cycle", ...
    std::string observable;               ///< a model_observables() name or "none"
    std::optional<double> reference_J_per_mol;  ///< stored-energy ratios: 1 + ΔE / reference
    std::string mapping;                  ///< how measurement and observable correspond
    std::string uncertainty_note;
    std::string reason;                   ///< observable none: why the model cannot speak to it
    std::vector<MeasuredPoint> points;
    std::string file;
  };

  /// The schema of an experiment file (declared once; also documents the format).
  const core::ConfigSection &experimental_data_schema();

  /// Reads and checks an experiment file; throws core::ConfigError naming file, line and key
  /// (unknown observable, data set without a mapping, value key not matching the unit, ...).
  std::vector<ExperimentalDataSet> load_experimental_data(const std::filesystem::path &file);

  /// One row of cycles.csv that compare uses.
  struct ModelCycle
  {
    long long cycle = 0;
    double stored_energy_J_per_mol = 0.0;
    double yield_median_GPa = 0.0;
    double yield_decile_width = 0.0;  ///< (σ_y,90% − σ_y,10%) / median
  };

  /// A continuum run of mode cycles, as compare reads it.
  struct ModelRun
  {
    std::string label;
    std::filesystem::path directory;
    double high_temperature_K = 0.0;
    double low_temperature_K = 0.0;
    double low_hold_s = 0.0;
    long long cycle_count = 0;
    std::string config_sha256;
    std::vector<ModelCycle> cycles;
  };

  /// Reads a continuum run directory: manifest.yaml (must say completed), config.yaml (mode
  /// cycles) and cycles.csv. Throws std::runtime_error naming the file and what is wrong.
  ModelRun read_model_run(const std::filesystem::path &directory, const std::string &label);

  /// A model value for a measured point, or why there is none.
  struct ModelValue
  {
    std::optional<double> value;
    std::string not_compared;  ///< reason when value is empty
    std::string note;          ///< e.g. a hold time that differs from the measurement
  };

  /// The model's value of `set.observable` under the conditions of `point`.
  ModelValue model_value(const ExperimentalDataSet &set, const MeasuredPoint &point, const ModelRun &run);

  /// The per-cycle curve of a per-cycle observable over the whole run (for plots); empty when
  /// the observable cannot be evaluated on this run.
  std::vector<std::pair<long long, double>> model_curve(const ExperimentalDataSet &set, const ModelRun &run);

  /// Residuals of model against measurement.
  struct Residual
  {
    double absolute = 0.0;                ///< model − measured (data set unit)
    std::optional<double> relative;       ///< absolute / |measured| (absent for measured 0)
    std::optional<double> in_uncertainties;  ///< absolute / uncertainty (absent without one)
  };
  Residual residual(double model, const MeasuredPoint &point);
} // namespace cryocycle::coupling
