#include "atomistic/thermal_cycling.h"

#include "core/csv_table.h"
#include "core/random_stream.h"
#include "core/run_directory.h"

#include <fmt/format.h>

#include <stdexcept>

namespace cryocycle::atomistic
{
  namespace
  {
    const std::vector<std::string> table_columns{
      "cycle", "time_ps", "temperature_K", "potential_energy_eV_per_atom",
      "inherent_structure_energy_eV_per_atom", "volume_nm3", "pressure_GPa", "delta_energy_eV_per_atom",
      "delta_inherent_structure_energy_eV_per_atom"};
  } // namespace

  std::string cycle_table_csv(const std::vector<CycleRecord> &records, const bool reduced_units_columns,
                              const UnitSystem &u)
  {
    auto columns = table_columns;
    if (reduced_units_columns)
      columns.insert(columns.end(), {"temperature_lj", "potential_energy_lj_per_atom",
                                     "inherent_structure_energy_lj_per_atom", "volume_lj", "delta_energy_lj_per_atom"});
    core::CsvWriter csv(columns);
    for (const auto &r : records)
      {
        std::vector<double> row{static_cast<double>(r.cycle), r.time_ps, r.temperature_K, r.potential_energy_eV_per_atom,
                                r.inherent_structure_energy_eV_per_atom, r.volume_nm3, r.pressure_GPa,
                                r.delta_energy_eV_per_atom, r.delta_inherent_structure_energy_eV_per_atom};
        if (reduced_units_columns)
          row.insert(row.end(), {r.temperature_K / u.kelvin_per_temperature(),
                                 r.potential_energy_eV_per_atom / u.eV_per_energy(),
                                 r.inherent_structure_energy_eV_per_atom / u.eV_per_energy(),
                                 r.volume_nm3 / u.volume_nm3(1.0), r.delta_energy_eV_per_atom / u.eV_per_energy()});
        csv.add_row(row);
      }
    return csv.text();
  }

  std::vector<CycleRecord> read_cycle_table(const std::filesystem::path &file)
  {
    const auto t = core::CsvTable::read(file);
    std::vector<CycleRecord> records(t.row_count());
    for (std::size_t i = 0; i < records.size(); ++i)
      {
        auto &r = records[i];
        r.cycle = static_cast<int>(t.column("cycle")[i]);
        r.time_ps = t.column("time_ps")[i];
        r.temperature_K = t.column("temperature_K")[i];
        r.potential_energy_eV_per_atom = t.column("potential_energy_eV_per_atom")[i];
        r.inherent_structure_energy_eV_per_atom = t.column("inherent_structure_energy_eV_per_atom")[i];
        r.volume_nm3 = t.column("volume_nm3")[i];
        r.pressure_GPa = t.column("pressure_GPa")[i];
        r.delta_energy_eV_per_atom = t.column("delta_energy_eV_per_atom")[i];
        r.delta_inherent_structure_energy_eV_per_atom = t.column("delta_inherent_structure_energy_eV_per_atom")[i];
      }
    return records;
  }

  ThermalCycling::ThermalCycling(MdSystem &system, CycleProtocol protocol, std::filesystem::path checkpoint_folder)
    : system_(system), protocol_(protocol), folder_(std::move(checkpoint_folder))
  {
    if (!(protocol_.high_temperature_K > protocol_.low_temperature_K))
      throw std::invalid_argument("thermal cycling needs T_a above T_b");
  }

  double ThermalCycling::cycle_duration_ps() const
  {
    const auto &p = protocol_;
    const double span = p.high_temperature_K - p.low_temperature_K;
    return span / p.cooling_rate_K_per_s * 1e12 + span / p.heating_rate_K_per_s * 1e12 + p.high_hold_ps +
           (p.quasi_equilibrium_start ? p.quasi_equilibrium_nve_ps : p.low_hold_ps);
  }

  std::filesystem::path ThermalCycling::restart_file(const int cycle) const
  {
    return folder_ / fmt::format("cycle_{:04d}.restart", cycle);
  }

  CycleRecord ThermalCycling::finish_cycle(const int cycle, std::vector<CycleRecord> &table)
  {
    const MdObservation at_high = system_.observe();
    system_.write_restart(restart_file(cycle));
    CycleRecord r;
    r.cycle = cycle;
    r.time_ps = system_.time_ps();
    r.temperature_K = at_high.temperature_K;
    r.potential_energy_eV_per_atom = at_high.potential_energy_eV_per_atom;
    r.volume_nm3 = at_high.volume_nm3;
    r.pressure_GPa = at_high.pressure_GPa;
    // The in-memory copy is minimised; the next cycle starts from the restart file.
    r.inherent_structure_energy_eV_per_atom = system_.minimise(protocol_.ensemble == Ensemble::npt);
    if (!table.empty())
      {
        r.delta_energy_eV_per_atom = r.potential_energy_eV_per_atom - table.front().potential_energy_eV_per_atom;
        r.delta_inherent_structure_energy_eV_per_atom =
          r.inherent_structure_energy_eV_per_atom - table.front().inherent_structure_energy_eV_per_atom;
      }
    table.push_back(r);
    // Commit: the table names the newest restart file, so it is written after it.
    if (system_.session().rank() == 0)
      {
        core::write_file_atomically(table_file(), cycle_table_csv(table, false, system_.potential().units));
        if (cycle >= 2)
          std::filesystem::remove(restart_file(cycle - 2));
      }
    MPI_Barrier(system_.session().communicator());
    return r;
  }

  void ThermalCycling::run_cycle(const int cycle, const std::function<void(int, const MdObservation &)> &on_sample)
  {
    const auto &p = protocol_;
    const auto sample = [&](const MdObservation &o) {
      if (on_sample)
        on_sample(cycle, o);
    };
    const double span = p.high_temperature_K - p.low_temperature_K;
    system_.ramp(p.high_temperature_K, p.low_temperature_K, span / p.cooling_rate_K_per_s * 1e12, p.ensemble,
                 Thermostat::nose_hoover, p.sample_interval_ps, sample);
    if (p.quasi_equilibrium_start)
      {
        system_.minimise();
        system_.create_velocities(2.0 * p.low_temperature_K,
                                  core::stream_seed(p.seed, "atomistic:quasi-equilibrium", 0, static_cast<std::uint64_t>(cycle)));
        system_.scale_velocities(2.0 * p.low_temperature_K);
        system_.run_nve(p.quasi_equilibrium_nve_ps, p.sample_interval_ps, sample);
      }
    else
      system_.ramp(p.low_temperature_K, p.low_temperature_K, p.low_hold_ps, p.ensemble, Thermostat::nose_hoover,
                   p.sample_interval_ps, sample);
    system_.ramp(p.low_temperature_K, p.high_temperature_K, span / p.heating_rate_K_per_s * 1e12, p.ensemble,
                 p.heating_thermostat, p.sample_interval_ps, sample,
                 core::stream_seed(p.seed, "atomistic:heating-thermostat", 0, static_cast<std::uint64_t>(cycle)));
    system_.ramp(p.high_temperature_K, p.high_temperature_K, p.high_hold_ps, p.ensemble, Thermostat::nose_hoover,
                 p.sample_interval_ps, sample);
  }

  std::vector<CycleRecord> ThermalCycling::run(const bool resume,
                                               const std::function<void(const std::vector<CycleRecord> &)> &on_cycle,
                                               const std::function<void(int, const MdObservation &)> &on_sample)
  {
    std::vector<CycleRecord> table;
    if (resume && std::filesystem::exists(table_file()))
      table = read_cycle_table(table_file());
    if (table.empty())
      {
        const auto &p = protocol_;
        // A start state without velocities (e.g. a minimised data file) is given T_a.
        if (system_.observe().temperature_K < 0.5 * p.high_temperature_K)
          system_.create_velocities(p.high_temperature_K, core::stream_seed(p.seed, "atomistic:cycle-start"));
        system_.ramp(p.high_temperature_K, p.high_temperature_K, p.initial_hold_ps, p.ensemble,
                     Thermostat::nose_hoover, p.sample_interval_ps, [&](const MdObservation &o) {
                       if (on_sample)
                         on_sample(0, o);
                     });
        finish_cycle(0, table);
        if (on_cycle)
          on_cycle(table);
      }
    for (int cycle = table.back().cycle + 1; cycle <= protocol_.cycles; ++cycle)
      {
        system_.read_restart(restart_file(cycle - 1), table.back().time_ps);
        run_cycle(cycle, on_sample);
        finish_cycle(cycle, table);
        if (on_cycle)
          on_cycle(table);
      }
    return table;
  }
} // namespace cryocycle::atomistic
