#pragma once
/// @file
/// Mode `cycles` of the continuum stage: many cryogenic cycles on the sample with athermal
/// shear-transformation events and thermal relaxation (continuum/cycling_simulation.h). The
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
/// states, the cycle table and the critical parameters (continuum/cycling_checkpoint.h); a
/// resumed run rebuilds the back-end, re-solves it from the saved ε* and continues with the next
/// cycle, giving a cycles.csv byte-identical to the uninterrupted run's (same number of MPI
/// ranks; on another number the continuation is valid but the FE round-off differs; with the
/// direct solver on several ranks a fresh MUMPS factorisation differs from the first in the last
/// bits, so there the table agrees to round-off but not byte for byte). A resume
/// whose critical parameters changed (e.g. a material grid file edited since) is refused with
/// the key named. VTU snapshots have one base name per cycle (fields/cycle_NNNN_*.pvtu) and
/// fields/cycles.pvd lists them all, so a resumed run keeps the earlier ones.

#include "continuum/cycling_checkpoint.h"
#include "continuum/elastic_backend.h"
#include "continuum/material_field.h"
#include "continuum/thermoelastic_model.h"
#include "core/config_schema.h"
#include "core/config_values.h"
#include "coupling/continuum_homogenised_cycles.h"
#include "coupling/stage.h"

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
    double equivalent_strain = 0.002;
    double site_volume_fraction = 1.0;
    double rejuvenation_per_event = 0.3;
    bool relaxation = true;
    double attempt_frequency_per_s = 1e13;
    double activation_volume_nm3 = 0.0045;
    double relaxation_per_event = 0.5;
    double stress_assisted_activation_volume_nm3 = 0.0;  ///< V_ST; 0: no stress-assisted STs
    std::string yield_family = "hyperbolic";
    std::vector<double> yield_relaxed;
    std::vector<double> yield_rejuvenated;
    double initial_state = 0.0;
    double stored_energy_relaxed_J_per_mol = 0.0;
    double stored_energy_rejuvenated_J_per_mol = 1000.0;
    std::vector<long long> vtu_cycles;
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

  /// The values a resumed run of mode cycles must share with the run that wrote the checkpoint:
  /// everything that changes the physics or the random streams (with fingerprints of the site
  /// values of α, K, G; with the homogenised resolution or heat conduction, their keys too). Not
  /// critical: `count` (a run of N cycles is the first N cycles of a longer one, the streams being
  /// keyed by cycle), vtu_cycles, the stored-energy scale (applied when the table is written) and
  /// the linear solver. Collective.
  std::vector<continuum::CriticalParameter> cycles_critical_parameters(const CyclesSettings &settings,
                                                                       const continuum::FiniteElementGeometry &geometry,
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
