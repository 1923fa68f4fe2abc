#pragma once
/// @file
/// Mode cycles at the homogenised resolution and/or with heat conduction
/// (continuum/cycling/heat_conduction_cycling.h): the config keys `continuum.cycles.resolution`,
/// `site_size_nm`, `flip_quantum_fraction`, `site_thermal_stress_*` and the section `continuum.heat_conduction`, their
/// reading, and the run with its outputs (cycles.csv with the conduction columns, the plots and
/// summary of mode cycles, VTU snapshots). Explicit sites at uniform temperature stay with
/// run_cycles (continuum_cycles.h), which hands over to run_homogenised_cycles otherwise.

#include "continuum/physics/homogenised_cell.h"
#include "continuum/thermal/finite_volume_conduction.h"
#include "continuum/fields/material_field.h"
#include "continuum/fe/thermoelastic_model.h"
#include "core/config_schema.h"
#include "core/config_values.h"
#include "coupling/pipeline/stage.h"

#include <string>
#include <vector>

namespace cryocycle::coupling
{
  struct CyclesSettings;

  /// Settings of the homogenised resolution and of the heat conduction.
  struct HomogenisedSettings
  {
    std::string resolution = "sites";  ///< "sites" or "homogenised"
    double site_size_nm = 1.0;         ///< edge of one ST site: n = cell volume / site_size³
    continuum::HomogenisedCellRule cells;  ///< flip_quantum_fraction (its quantum_fraction)
    /// Site thermal-mismatch stress of the homogenised cells: "none" or a family with its
    /// parameters (GPa scales) at the temperature change site_thermal_stress_reference_K.
    std::string site_thermal_stress_family = "none";
    std::vector<double> site_thermal_stress_parameters;
    double site_thermal_stress_reference_K = 100.0;
    bool heat_conduction = false;
    continuum::HeatConductionSettings conduction;
    continuum::SurfaceHeatTransfer surface;
    double max_time_step_s = 0.1;
    double max_surroundings_step_K = 2.0;
    std::size_t basis_terms = 3;

    /// Whether run_cycles hands the run over to run_homogenised_cycles.
    bool active() const { return resolution == "homogenised" || heat_conduction; }
  };

  /// Declares `resolution`, `site_size_nm`, `flip_quantum_fraction` in `cycles` and the section
  /// `heat_conduction` in `continuum`.
  void declare_homogenised_config(core::ConfigSection &continuum, core::ConfigSection &cycles);

  /// Reads them from the continuum section. Throws core::ConfigError (heat conduction needs the
  /// finite-element back-end: a sample with a surface).
  HomogenisedSettings read_homogenised_settings(const core::ConfigValues &continuum, bool uniform_periodic);

  /// Runs the cycles (collective) and writes the results into the run directory.
  void run_homogenised_cycles(RunContext &context, const CyclesSettings &settings,
                              const continuum::FiniteElementGeometry &geometry,
                              const continuum::LinearSolverSettings &solver,
                              const std::vector<continuum::MaterialField> &fields);
} // namespace cryocycle::coupling
