#pragma once
/// @file
/// MD thermal cycling of a glass (Shang et al. 2021, Shang et al.): from a prepared state, N cycles of
/// cool at Q_b from T_a to T_b, hold t_b at T_b, heat at Q_a back to T_a, hold t_a. Per cycle:
/// the potential energy E_N at the end of the hold at T_a (Shang et al. 2021's E_N^{t_a}), the
/// inherent-structure energy of that state (conjugate-gradient minimum; under NPT with the box
/// relaxed to the set pressure, so it does not depend on the volume fluctuation at that instant),
/// the volume, and ΔE_N = E_N − E_0.
///
/// Checkpoints: after every cycle the state at the end of the hold at T_a is written as a LAMMPS
/// restart file, then the cycle table is committed (written atomically); the inherent-structure
/// energy comes from minimising the in-memory copy after the restart file is written, and the
/// next cycle starts by reading that restart file — so the minimisation never disturbs the run,
/// and a run resumed from the last checkpoint follows exactly the same path as an uninterrupted
/// one (the same table, bit for bit, on the same number of ranks).

#include "atomistic/md_system.h"

#include <filesystem>
#include <functional>
#include <vector>

namespace cryocycle::atomistic
{
  /// The cycle protocol, physical units. Cooling and both holds use the Nosé–Hoover thermostat;
  /// the heating ramp uses `heating_thermostat` (Shang et al. 2021, Supplementary Fig. 7).
  struct CycleProtocol
  {
    int cycles = 10;
    double high_temperature_K = 400.0;     ///< T_a
    double low_temperature_K = 1.0;        ///< T_b
    double cooling_rate_K_per_s = 1.0e14;  ///< Q_b
    double heating_rate_K_per_s = 1.0e14;  ///< Q_a
    double low_hold_ps = 100.0;            ///< t_b
    double high_hold_ps = 10.0;            ///< t_a
    /// Hold at T_a before E_0 is measured (use it when the start state is not at T_a).
    double initial_hold_ps = 0.0;
    Ensemble ensemble = Ensemble::npt;
    Thermostat heating_thermostat = Thermostat::nose_hoover;
    /// Shang et al. (2021)'s quasi-equilibrium start at T_b instead of the hold t_b: minimise, give the
    /// atoms kinetic energy for 2 T_b, relax under NVE for `quasi_equilibrium_nve_ps` (the
    /// kinetic energy then equals ΔE_p, equipartition).
    bool quasi_equilibrium_start = false;
    double quasi_equilibrium_nve_ps = 2.0;
    double sample_interval_ps = 1.0;
    std::uint64_t seed = 1;
  };

  /// One row of the cycle table (cycle 0: the start state, E_0).
  struct CycleRecord
  {
    int cycle = 0;
    double time_ps = 0.0;
    double temperature_K = 0.0;
    double potential_energy_eV_per_atom = 0.0;
    double inherent_structure_energy_eV_per_atom = 0.0;
    double volume_nm3 = 0.0;
    double pressure_GPa = 0.0;
    double delta_energy_eV_per_atom = 0.0;                      ///< E_N − E_0
    double delta_inherent_structure_energy_eV_per_atom = 0.0;   ///< E_IS,N − E_IS,0
  };

  /// The cycle table as CSV text, and back (the checkpoint format).
  std::string cycle_table_csv(const std::vector<CycleRecord> &records, bool reduced_units_columns,
                              const UnitSystem &units);
  std::vector<CycleRecord> read_cycle_table(const std::filesystem::path &file);

  class ThermalCycling
  {
  public:
    /// `checkpoint_folder` receives cycle_NNNN.restart and cycles.csv; it must exist on every
    /// rank's view of the file system.
    ThermalCycling(MdSystem &system, CycleProtocol protocol, std::filesystem::path checkpoint_folder);

    /// Runs the cycles. With `resume`, continues after the last cycle committed in the
    /// checkpoint folder (nothing to do when all are done); otherwise starts from the system's
    /// current state. `on_cycle` is called after each committed cycle with the table so far;
    /// `on_sample` with every sample of the MD (cycle number, observation).
    std::vector<CycleRecord> run(bool resume,
                                 const std::function<void(const std::vector<CycleRecord> &)> &on_cycle = {},
                                 const std::function<void(int, const MdObservation &)> &on_sample = {});

    /// MD time of one cycle in ps.
    double cycle_duration_ps() const;
    std::filesystem::path restart_file(int cycle) const;
    std::filesystem::path table_file() const { return folder_ / "cycles.csv"; }

  private:
    CycleRecord finish_cycle(int cycle, std::vector<CycleRecord> &table);
    void run_cycle(int cycle, const std::function<void(int, const MdObservation &)> &on_sample);

    MdSystem &system_;
    CycleProtocol protocol_;
    std::filesystem::path folder_;
  };
} // namespace cryocycle::atomistic
