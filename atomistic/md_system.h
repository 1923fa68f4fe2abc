#pragma once
/// @file
/// An atomistic system in a LAMMPS session: built from a random liquid, a perfect crystal, a
/// data file or a restart file, then driven by temperature ramps and holds (NPT at a set
/// pressure with a Nosé–Hoover barostat, or NVT) with a choice of thermostat, NVE runs and
/// energy minimisation. Every LAMMPS command of the MD protocols is built here, in one place.
/// Observations come back in physical units (K, eV/atom, nm³, GPa, ps) and in native units.

#include "atomistic/lammps_session.h"
#include "atomistic/potential.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

namespace cryocycle::atomistic
{
  /// NPT (isotropic Nosé–Hoover barostat at `pressure_GPa`) or NVT.
  enum class Ensemble
  {
    npt,
    nvt
  };
  /// Temperature control of a ramp or hold (Shang et al. 2021 compares all four on heating).
  enum class Thermostat
  {
    nose_hoover,  ///< fix nvt / npt
    langevin,     ///< fix langevin (+ nve / nph)
    berendsen,    ///< fix temp/berendsen (+ nve / nph)
    rescale       ///< fix temp/rescale every step (+ nve / nph)
  };
  Ensemble ensemble_from_name(const std::string &name);
  Thermostat thermostat_from_name(const std::string &name);

  /// Integration settings in physical units.
  struct MdSettings
  {
    double timestep_ps = 0.001;
    double thermostat_damping_ps = 0.1;
    double barostat_damping_ps = 1.0;
    double pressure_GPa = 0.0;

    /// The potential's default time step with the usual dampings of the LAMMPS manual:
    /// thermostat 100 steps, barostat 1000 steps.
    static MdSettings for_potential(const PotentialModel &potential)
    {
      MdSettings s;
      s.timestep_ps = potential.default_timestep_ps;
      s.thermostat_damping_ps = 100.0 * s.timestep_ps;
      s.barostat_damping_ps = 1000.0 * s.timestep_ps;
      return s;
    }
  };

  /// One sample of the global state.
  struct MdObservation
  {
    double time_ps = 0.0;            ///< MD time since the system was built
    std::int64_t step = 0;
    double temperature_K = 0.0;         ///< instantaneous kinetic temperature
    double target_temperature_K = 0.0;  ///< thermostat set point (0 in NVE and minimisation)
    double potential_energy_eV_per_atom = 0.0;
    double volume_nm3 = 0.0;
    double pressure_GPa = 0.0;
    /// The same in the potential's native units (reduced for LJ).
    double temperature_native = 0.0, potential_energy_native_per_atom = 0.0, volume_native = 0.0,
           pressure_native = 0.0;
  };

  class MdSystem
  {
  public:
    using Sampler = std::function<void(const MdObservation &)>;

    /// Uses `session` (which must be fresh or cleared) for `potential`.
    MdSystem(LammpsSession &session, PotentialModel potential, MdSettings settings);

    /// Random positions in a cube at `number_density_per_nm3`, exact counts per species from
    /// their fractions, then a minimisation that removes the overlaps (this LAMMPS version's
    /// create_atoms has no overlap check).
    void create_random_liquid(std::int64_t atoms, double number_density_per_nm3, std::uint64_t seed);
    /// The potential's perfect crystal with n³ cubic cells, n chosen so the count is closest to
    /// `approximate_atoms`. Throws if the potential has no crystal.
    void create_crystal(std::int64_t approximate_atoms);
    /// A LAMMPS data file (velocities are read when present).
    void read_data(const std::filesystem::path &file);
    /// Clears the session and continues exactly from a restart file written by write_restart.
    void read_restart(const std::filesystem::path &file, double time_ps);
    void write_data(const std::filesystem::path &file);
    void write_restart(const std::filesystem::path &file);

    /// Gaussian velocities at `temperature_K`, zero total momentum, independent of the number
    /// of MPI ranks (loop geom).
    void create_velocities(double temperature_K, std::uint64_t seed);
    /// Scales velocities so the kinetic temperature is `temperature_K` exactly.
    void scale_velocities(double temperature_K);

    /// Linear temperature ramp from `start_K` to `end_K` over `duration_ps` (a hold when they are
    /// equal), sampled every `sample_interval_ps` (and at the end). `seed` feeds Langevin.
    void ramp(double start_K, double end_K, double duration_ps, Ensemble ensemble,
              Thermostat thermostat, double sample_interval_ps, const Sampler &sample,
              std::uint64_t seed = 1);
    /// Constant-energy, constant-volume run.
    void run_nve(double duration_ps, double sample_interval_ps, const Sampler &sample);
    /// Conjugate-gradient minimisation, at fixed box or (`relax_box`) with the box relaxed
    /// isotropically to the settings' pressure — the inherent structure of an NPT state, free of
    /// the volume fluctuation of the instant it was taken. Returns the potential energy in
    /// eV/atom. Changes the positions and box (callers checkpoint first when the run must go on
    /// from the unminimised state). The defaults stop when an iteration changes the energy by
    /// less than 1e-10 of itself or the force norm falls below 1e-6 (native force units);
    /// measurements that need the non-affine relaxation complete pass energy_tolerance 0 and
    /// a force tolerance of their own.
    double minimise(bool relax_box = false, double energy_tolerance = 1.0e-10, double force_tolerance_native = 1.0e-6);

    /// The current state (evaluates forces and energies with a zero-step run).
    MdObservation observe();
    std::int64_t atom_count() const { return atoms_; }
    /// MD steps integrated so far by this system (for throughput figures).
    std::int64_t steps_run() const { return steps_run_; }
    double time_ps() const { return time_ps_; }
    const PotentialModel &potential() const { return potential_; }
    const MdSettings &settings() const { return settings_; }
    LammpsSession &session() { return session_; }

  private:
    void begin_system();
    void finish_setup();
    MdObservation observation_after_run();
    std::int64_t steps_for(double duration_ps) const;
    void run_segment(std::int64_t steps, double sample_interval_ps, const Sampler &sample);

    LammpsSession &session_;
    PotentialModel potential_;
    MdSettings settings_;
    std::int64_t atoms_ = 0;
    // Set point of the segment being run: start + (end - start) * (step - first) / steps.
    double segment_start_K_ = 0.0, segment_end_K_ = 0.0;
    std::int64_t segment_first_step_ = 0, segment_steps_ = 0;
    std::int64_t steps_run_ = 0;
    double time_ps_ = 0.0;
  };

  /// A LAMMPS random seed (1 … 9e8) derived from a 64-bit stream seed.
  int lammps_seed(std::uint64_t stream_seed);
} // namespace cryocycle::atomistic
