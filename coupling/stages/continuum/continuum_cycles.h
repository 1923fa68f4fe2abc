#pragma once
/// @file
/// Mode `cycles` of the continuum stage: many cryogenic cycles on the sample with athermal
/// shear-transformation events and thermal relaxation (continuum/cycling/cycling_simulation.h). The
/// config section `continuum.cycles`, its reading, and the run with its outputs: cycles.csv,
/// plots of events and stored energy per cycle, VTU snapshots (finite-element back-end) and
/// summary lines.
///
/// The local yield stress of a site in structural state s is drawn from one distribution family
/// with parameters interpolated linearly between a relaxed (s = 0) and a rejuvenated (s = 1) set
/// — e.g. the calibrations of a slowly and a fast quenched glass; the stored energy per mole is
/// interpolated between the two as-quenched energies the same way.
///
/// Checkpoints and `--resume`: after every cycle checkpoints/continuum_cycles.bin holds the site
/// states, the cycle table and the critical parameters (continuum/cycling/cycling_checkpoint.h); a
/// resumed run rebuilds the back-end, re-solves it from the saved ε* and continues with the next
/// cycle, giving a cycles.csv byte-identical to the uninterrupted run's. The pipeline refuses a
/// resume on another number of MPI ranks; the direct solver factorises on rank 0 alone
/// (serial_mumps.h), so a fresh factorisation is the same bits as the first. A resume whose
/// critical parameters changed (e.g. a material grid file edited since) is refused with the key
/// named. VTU snapshots have one base name per cycle (fields/cycle_NNNN_*.pvtu) and
/// fields/cycles.pvd lists them all, so a resumed run keeps the earlier ones.

#include "continuum/cycling/cycling_checkpoint.h"
#include "continuum/events/elastic_backend.h"
#include "continuum/events/event_engine.h"
#include "continuum/physics/thermal_relaxation.h"
#include "continuum/fields/material_field.h"
#include "continuum/fe/thermoelastic_model.h"
#include "core/config_schema.h"
#include "core/config_values.h"
#include "coupling/stages/continuum/continuum_homogenised_cycles.h"
#include "coupling/pipeline/stage.h"

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cryocycle::coupling
{
  /// Declares `continuum.cycles` and `continuum.backend` inside the continuum section.
  void declare_cycles_config(core::ConfigSection &continuum);

  /// Settings of mode cycles, read and checked in prepare().
  struct CyclesSettings
  {
    core::ConfigValues config;  ///< the `continuum` section these settings were read from
    std::string backend;  ///< "finite_elements" or "fourier" (auto resolved)
    /// Green's operator of the fourier back-end (periodic_eigenstrain_solver.h).
    continuum::FourierDiscretisation fourier_green_operator = continuum::FourierDiscretisation::q1_hexahedra;
    double high_temperature_K = 300.0;
    double low_temperature_K = 77.0;
    double cooling_rate_K_per_s = 10.0;
    double heating_rate_K_per_s = 10.0;
    double low_hold_s = 60.0;
    double high_hold_s = 60.0;
    std::size_t cycle_count = 10;
    double relaxation_substep_K = 10.0;
    continuum::EventRule rule;  ///< ε0, f, η_ST
    bool relaxation = true;
    continuum::ThermalRelaxationModel relaxation_model;  ///< ν0, V_act, η_relax, V_ST
    std::string yield_family = "hyperbolic";
    std::vector<double> yield_relaxed;
    std::vector<double> yield_rejuvenated;
    double initial_state = 0.0;
    double stored_energy_relaxed_J_per_mol = 0.0;
    double stored_energy_rejuvenated_J_per_mol = 1000.0;
    std::vector<long long> vtu_cycles;
    /// Parameters of the σ_y family at structural state s: linear between the relaxed (s = 0)
    /// and rejuvenated (s = 1) sets.
    std::vector<double> yield_parameters_at(double state) const;
    /// Stored energy (J/mol) of a mean structural state, linear between the two end states.
    double stored_energy_J_per_mol(double mean_state) const;
    /// Resolution homogenised and/or heat conduction: run_cycles hands over to
    /// run_homogenised_cycles (continuum_homogenised_cycles.h).
    HomogenisedSettings homogenised;
  };

  /// Reads `continuum.cycles`; `uniform_periodic` says whether the sample is a periodic cube
  /// with constant moduli (required by the Fourier back-end). Throws core::ConfigError.
  CyclesSettings read_cycles_settings(const core::ConfigValues &continuum, bool uniform_periodic);

  /// The sample of mode cycles: its elastic back-end and the α, K, G of its local sites.
  struct CyclesSample
  {
    std::unique_ptr<continuum::ThermoelasticModel> model;  ///< finite_elements back-end only
    std::unique_ptr<continuum::ElasticBackend> backend;
    std::vector<double> alpha_per_K;  ///< volumetric, per local site
    std::vector<double> bulk_modulus_GPa;
    std::vector<double> shear_modulus_GPa;
  };

  /// Builds the back-end `backend` ("fourier" or "finite_elements") with the material fields
  /// evaluated at the sites; the fourier back-end with the Green's operator `green_operator`.
  /// `before_backend` (finite elements) sees the model with α, K, G set, before the back-end
  /// solves it. Collective.
  CyclesSample build_cycles_sample(const std::string &backend, continuum::FourierDiscretisation green_operator,
                                   const continuum::FiniteElementGeometry &geometry,
                                   const continuum::LinearSolverSettings &solver,
                                   const std::vector<continuum::MaterialField> &fields,
                                   const std::function<void(continuum::ThermoelasticModel &)> &before_backend = {});

  /// The values a resumed run of mode cycles must share with the run that wrote the checkpoint,
  /// derived from the declarations: every resolved key of the `continuum` section except those
  /// declared resume_may_change (`count`, vtu_cycles, the stored-energy scale, the linear solver,
  /// the thermal_stress and output sections, material file names), plus the seed, the resolved
  /// back-end, the number of sites and fingerprints of the site values of α, K, G. Collective.
  std::vector<continuum::CriticalParameter> cycles_critical_parameters(const CyclesSettings &settings,
                                                                       std::uint64_t seed, const CyclesSample &sample);

  /// The checkpoint of an interrupted run of mode cycles, if --resume was given and one is on disk:
  /// read, its critical parameters compared with `critical` (a change is refused naming it) and
  /// its table checked against `cycle_count`. Throws std::runtime_error.
  std::optional<continuum::CyclingCheckpoint> read_resumable_checkpoint(const RunContext &context,
                                                                        const std::filesystem::path &file,
                                                                        const std::vector<continuum::CriticalParameter> &critical,
                                                                        std::size_t cycle_count);

  /// Writes fields/cycle_<cycle>_*.pvtu if `cycle` is one of vtu_cycles (-1: the last), replacing
  /// a snapshot of the same cycle left by an interrupted attempt, and lists every snapshot on
  /// disk in fields/cycles.pvd. No-op without a finite-element model. Collective.
  void write_cycles_snapshot(RunContext &context, const CyclesSettings &settings, continuum::ThermoelasticModel *model,
                             long long cycle);

  /// Runs the cycles (collective) and writes the results into the run directory.
  void run_cycles(RunContext &context, const CyclesSettings &settings,
                  const continuum::FiniteElementGeometry &geometry,
                  const continuum::LinearSolverSettings &solver,
                  const std::vector<continuum::MaterialField> &fields);
} // namespace cryocycle::coupling
