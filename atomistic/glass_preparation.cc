#include "atomistic/glass_preparation.h"

#include "atomistic/bond_order.h"
#include "atomistic/local_thermal_expansion.h"

#include "core/random_stream.h"

#include <cmath>
#include <stdexcept>

namespace cryocycle::atomistic
{
  InitialStructure initial_structure_from_name(const std::string &name)
  {
    if (name == "random_liquid")
      return InitialStructure::random_liquid;
    if (name == "crystal")
      return InitialStructure::crystal;
    if (name == "data_file")
      return InitialStructure::data_file;
    throw std::invalid_argument("unknown initial structure '" + name + "'");
  }

  double quench_duration_ps(const QuenchProtocol &p)
  {
    if (p.initial_structure == InitialStructure::crystal)
      return p.final_hold_ps;
    const double ramp_ps = std::abs(p.melt_temperature_K - p.final_temperature_K) / p.quench_rate_K_per_s * 1e12;
    return p.melt_time_ps + ramp_ps + p.final_hold_ps;
  }

  QuenchResult prepare_glass(MdSystem &system, const QuenchProtocol &p, const std::filesystem::path &data_file,
                             const std::filesystem::path &restart_file,
                             const std::filesystem::path &inherent_data_file,
                             const std::function<void(double)> &progress)
  {
    const double total_ps = std::max(quench_duration_ps(p), 1e-12);
    const double start_ps = system.time_ps();
    const auto report = [&](const MdObservation &o) {
      if (progress)
        progress(std::min(1.0, (o.time_ps - start_ps) / total_ps));
    };
    QuenchResult result;
    const double density = p.number_density_per_nm3 > 0.0 ? p.number_density_per_nm3
                                                           : system.potential().liquid_number_density_per_nm3;
    switch (p.initial_structure)
      {
      case InitialStructure::random_liquid:
        system.create_random_liquid(p.atoms, density, core::stream_seed(p.seed, "atomistic:random-liquid"));
        break;
      case InitialStructure::crystal:
        system.create_crystal(p.atoms);
        break;
      case InitialStructure::data_file:
        system.read_data(p.data_file);
        break;
      }

    if (p.initial_structure == InitialStructure::crystal)
      {
        system.minimise(p.ensemble == Ensemble::npt);
        system.create_velocities(p.final_temperature_K, core::stream_seed(p.seed, "atomistic:velocities"));
      }
    else
      {
        system.create_velocities(p.melt_temperature_K, core::stream_seed(p.seed, "atomistic:velocities"));
        system.ramp(p.melt_temperature_K, p.melt_temperature_K, p.melt_time_ps, p.ensemble, Thermostat::nose_hoover,
                    p.sample_interval_ps, report);
        const double ramp_ps = std::abs(p.melt_temperature_K - p.final_temperature_K) / p.quench_rate_K_per_s * 1e12;
        system.ramp(p.melt_temperature_K, p.final_temperature_K, ramp_ps, p.ensemble, Thermostat::nose_hoover,
                    p.sample_interval_ps, [&](const MdObservation &o) {
                      result.quench.push_back(o);
                      report(o);
                    });
      }
    system.ramp(p.final_temperature_K, p.final_temperature_K, p.final_hold_ps, p.ensemble, Thermostat::nose_hoover,
                p.sample_interval_ps, report);
    result.final_state = system.observe();

    if (result.quench.size() >= 8)
      {
        std::vector<double> T, V, E;
        for (const auto &o : result.quench)
          {
            T.push_back(o.target_temperature_K);
            V.push_back(o.volume_nm3);
            E.push_back(o.potential_energy_eV_per_atom);
          }
        result.energy_fit = fit_two_lines(T, E);
        if (p.ensemble == Ensemble::npt)
          result.volume_fit = fit_two_lines(T, V);
        result.glass_transition_K = (p.ensemble == Ensemble::npt ? result.volume_fit : result.energy_fit)->break_temperature;
      }

    system.write_data(data_file);
    system.write_restart(restart_file);
    result.inherent_structure_energy_eV_per_atom = system.minimise(p.ensemble == Ensemble::npt);
    result.inherent_structure_volume_nm3 = system.potential().units.volume_nm3(system.session().thermo("vol"));
    system.write_data(inherent_data_file);
    result.inherent_structure_q6 =
      global_bond_order(periodic_box(system.session().box()), system.session().gather_positions()).q_l;
    if (progress)
      progress(1.0);
    return result;
  }
} // namespace cryocycle::atomistic
