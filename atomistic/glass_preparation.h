#pragma once
/// @file
/// Glass preparation by quenching a melt (atomistic.prepare): build the starting structure
/// (random liquid, perfect crystal for control runs, or a user's data file), equilibrate the
/// melt at T_melt, quench linearly at rate Q to T_end (NPT at zero pressure with Nosé–Hoover
/// thermostat and barostat, or NVT — Shang et al. (2021) uses NPT, Derlet & Maaß (2020) NVT), hold, record
/// T, E_pot, V, P along the quench, estimate T_g from the change of slope (two_line_fit.h), and
/// write the glass as a LAMMPS data file (readable by OVITO) and a restart file, then its
/// inherent structure (conjugate-gradient minimum; box relaxed to the set pressure under NPT)
/// energy.

#include "atomistic/md_system.h"
#include "atomistic/two_line_fit.h"

#include <filesystem>
#include <functional>
#include <optional>
#include <vector>

namespace cryocycle::atomistic
{
  /// Where a preparation starts.
  enum class InitialStructure
  {
    random_liquid,
    crystal,
    data_file
  };
  InitialStructure initial_structure_from_name(const std::string &name);

  /// The quench protocol, physical units.
  struct QuenchProtocol
  {
    InitialStructure initial_structure = InitialStructure::random_liquid;
    std::int64_t atoms = 2000;
    double number_density_per_nm3 = 0.0;  ///< 0: the potential's liquid density
    std::filesystem::path data_file;
    double melt_temperature_K = 2000.0;
    double melt_time_ps = 10.0;
    double quench_rate_K_per_s = 1.0e13;
    double final_temperature_K = 300.0;
    double final_hold_ps = 0.0;
    Ensemble ensemble = Ensemble::npt;
    double sample_interval_ps = 1.0;
    std::uint64_t seed = 1;
  };

  struct QuenchResult
  {
    /// Samples of the quench ramp (the melt hold and final hold are not included).
    std::vector<MdObservation> quench;
    /// T_g from V(T) (NPT) and from E_pot(T) against the thermostat set point; absent for a crystal or a too short quench.
    std::optional<TwoLineFit> volume_fit, energy_fit;
    /// The T_g reported: the V(T) fit under NPT, the E_pot(T) fit under NVT.
    std::optional<double> glass_transition_K;
    MdObservation final_state;
    double inherent_structure_energy_eV_per_atom = 0.0;
    double inherent_structure_volume_nm3 = 0.0;
    /// Global bond-orientational order Q_6 of the inherent structure (bond_order.h): a glass
    /// has a few hundredths, a crystal ≥ 0.4 (fcc 0.575, bcc and B2 0.511).
    double inherent_structure_q6 = 0.0;
  };

  /// Runs the protocol on `system`; writes `data_file` and `restart_file` of the final state
  /// (before minimisation) and `inherent_data_file` of the minimised state. `progress` is called
  /// with the fraction of MD time done.
  QuenchResult prepare_glass(MdSystem &system, const QuenchProtocol &protocol,
                             const std::filesystem::path &data_file,
                             const std::filesystem::path &restart_file,
                             const std::filesystem::path &inherent_data_file,
                             const std::function<void(double)> &progress = {});

  /// MD time of the protocol in ps (melt, quench, hold).
  double quench_duration_ps(const QuenchProtocol &protocol);
} // namespace cryocycle::atomistic
