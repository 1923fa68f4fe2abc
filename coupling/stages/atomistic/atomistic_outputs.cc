#include "coupling/stages/atomistic/atomistic_outputs.h"

#include "atomistic/bond_order.h"

#include "core/csv_table.h"
#include "core/gnuplot_plot.h"
#include "core/log.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

namespace cryocycle::coupling
{
  namespace md = cryocycle::atomistic;

  namespace
  {
    void emit_fit(YAML::Emitter &y, const std::string &name, const std::optional<md::TwoLineFit> &fit,
                  const std::string &unit)
    {
      if (!fit)
        return;
      y << YAML::Key << name << YAML::Value << YAML::BeginMap;
      y << YAML::Key << "break_temperature_K" << YAML::Value << fit->break_temperature;
      y << YAML::Key << ("glass_slope_" + unit + "_per_K") << YAML::Value << fit->low_slope;
      y << YAML::Key << ("liquid_slope_" + unit + "_per_K") << YAML::Value << fit->high_slope;
      y << YAML::Key << ("rms_residual_" + unit) << YAML::Value << fit->rms_residual;
      y << YAML::Key << ("single_line_rms_residual_" + unit) << YAML::Value << fit->single_line_rms_residual;
      y << YAML::EndMap;
    }
  } // namespace

  void write_preparation_outputs(const core::RunDirectory &dir, const md::PotentialModel &potential,
                                 const md::QuenchProtocol &protocol, const md::QuenchResult &r, const std::int64_t atoms)
  {
    const auto &u = potential.units;
    std::vector<std::string> columns{"time_ps", "target_temperature_K", "temperature_K", "potential_energy_eV_per_atom",
                                     "volume_nm3", "volume_per_atom_nm3", "pressure_GPa"};
    if (u.reduced())
      columns.insert(columns.end(), {"target_temperature_lj", "temperature_lj", "potential_energy_lj_per_atom",
                                     "volume_per_atom_lj", "pressure_lj"});
    core::CsvWriter csv(columns);
    const double n = static_cast<double>(atoms);
    for (const auto &o : r.quench)
      {
        std::vector<double> row{o.time_ps, o.target_temperature_K, o.temperature_K, o.potential_energy_eV_per_atom,
                                o.volume_nm3, o.volume_nm3 / n, o.pressure_GPa};
        if (u.reduced())
          row.insert(row.end(), {o.target_temperature_K / u.kelvin_per_temperature(), o.temperature_native,
                                 o.potential_energy_native_per_atom, o.volume_native / n, o.pressure_native});
        csv.add_row(row);
      }
    dir.write("quench.csv", csv.text());

    YAML::Emitter y;
    y << YAML::BeginMap;
    y << YAML::Key << "potential" << YAML::Value << potential.name;
    y << YAML::Key << "atoms" << YAML::Value << atoms;
    y << YAML::Key << "quench_rate_K_per_s" << YAML::Value << protocol.quench_rate_K_per_s;
    y << YAML::Key << "ensemble" << YAML::Value << (protocol.ensemble == md::Ensemble::npt ? "npt" : "nvt");
    if (r.glass_transition_K)
      {
        y << YAML::Key << "glass_transition_temperature_K" << YAML::Value << *r.glass_transition_K;
        y << YAML::Key << "glass_transition_from" << YAML::Value
          << (protocol.ensemble == md::Ensemble::npt ? "volume" : "potential energy");
        if (u.reduced())
          y << YAML::Key << "glass_transition_temperature_lj" << YAML::Value
            << *r.glass_transition_K / u.kelvin_per_temperature();
      }
    emit_fit(y, "volume_two_line_fit", r.volume_fit, "nm3");
    emit_fit(y, "energy_two_line_fit", r.energy_fit, "eV_per_atom");
    y << YAML::Key << "final_temperature_K" << YAML::Value << r.final_state.temperature_K;
    y << YAML::Key << "final_potential_energy_eV_per_atom" << YAML::Value << r.final_state.potential_energy_eV_per_atom;
    y << YAML::Key << "final_volume_nm3" << YAML::Value << r.final_state.volume_nm3;
    y << YAML::Key << "final_number_density_per_nm3" << YAML::Value << static_cast<double>(atoms) / r.final_state.volume_nm3;
    y << YAML::Key << "final_pressure_GPa" << YAML::Value << r.final_state.pressure_GPa;
    y << YAML::Key << "inherent_structure_energy_eV_per_atom" << YAML::Value << r.inherent_structure_energy_eV_per_atom;
    y << YAML::Key << "inherent_structure_volume_nm3" << YAML::Value << r.inherent_structure_volume_nm3;
    y << YAML::Key << "bond_orientational_order_q6" << YAML::Value << r.inherent_structure_q6;
    y << YAML::Key << "amorphous" << YAML::Value << (r.inherent_structure_q6 <= md::crystalline_q6_threshold);
    y << YAML::Key << "files" << YAML::Value << YAML::BeginMap;
    y << YAML::Key << "glass" << YAML::Value << "glass.data (LAMMPS data file; OVITO reads it)";
    y << YAML::Key << "restart" << YAML::Value << "glass.restart";
    y << YAML::Key << "inherent_structure" << YAML::Value << "glass_inherent.data";
    y << YAML::EndMap << YAML::EndMap;
    dir.write("prepare.yaml", std::string(y.c_str()) + "\n");

    if (core::is_output_rank() && r.volume_fit)
      {
        const auto &f = *r.volume_fit;
        core::render_png_plot(
          dir, "quench_volume",
          fmt::format("set datafile separator ','\nset xlabel 'T (K)'\nset ylabel 'V (nm^3)'\nset grid\n"
                      "Tg = {0}\nf(x) = {1} + {2}*x + ({3} - {2})*(x > Tg ? x - Tg : 0)\n"
                      "set arrow from Tg, graph 0 to Tg, graph 1 nohead dt 2\n"
                      "plot 'quench.csv' using 2:5 every ::1 with points pt 7 ps 0.4 title 'quench', "
                      "f(x) with lines lw 2 title sprintf('two-line fit, T_g = %.0f K', Tg)\n",
                      f.break_temperature, f.intercept, f.low_slope, f.high_slope));
      }
  }

  std::string preparation_summary(const md::PotentialModel &potential, const md::QuenchProtocol &protocol,
                                  const md::QuenchResult &r, const std::int64_t atoms)
  {
    const auto &u = potential.units;
    std::string s = fmt::format("prepare: {} atoms of {}, quench at {:.3g} K/s ({}); final state {:.1f} K, "
                                "E_pot = {:.6f} eV/atom, {:.4g} atoms/nm³; inherent structure {:.6f} eV/atom",
                                atoms, potential.name, protocol.quench_rate_K_per_s,
                                protocol.ensemble == md::Ensemble::npt ? "NPT" : "NVT", r.final_state.temperature_K,
                                r.final_state.potential_energy_eV_per_atom,
                                static_cast<double>(atoms) / r.final_state.volume_nm3,
                                r.inherent_structure_energy_eV_per_atom);
    if (r.glass_transition_K)
      s += fmt::format("\n  T_g = {:.1f} K{} from the slope change of {}(T)", *r.glass_transition_K,
                       u.reduced() ? fmt::format(" (T* = {:.3f})", *r.glass_transition_K / u.kelvin_per_temperature()) : "",
                       protocol.ensemble == md::Ensemble::npt ? "V" : "E_pot");
    return s;
  }

  void write_cycle_outputs(const core::RunDirectory &dir, const md::PotentialModel &potential, const md::CycleProtocol &,
                           const std::vector<md::CycleRecord> &table)
  {
    dir.write("cycles.csv", md::cycle_table_csv(table, potential.units.reduced(), potential.units));
    if (core::is_output_rank())
      core::render_png_plot(dir, "cycles",
                            "set datafile separator ','\nset xlabel 'cycle N'\nset ylabel 'ΔE (eV/atom)'\nset grid\n"
                            "set key top left\nplot 'cycles.csv' using 1:8 every ::1 with linespoints pt 7 "
                            "title 'ΔE_N = E_N − E_0 (at T_a)', '' using 1:9 every ::1 with linespoints pt 5 "
                            "title 'ΔE_{IS,N} (inherent structure)'\n");
  }

  std::string cycle_summary(const md::PotentialModel &, const md::CycleProtocol &p,
                            const std::vector<md::CycleRecord> &table)
  {
    const auto &first = table.front();
    const auto &last = table.back();
    return fmt::format("cycle: {} cycles {:.4g} K ↔ {:.4g} K (Q_b = {:.3g} K/s, t_b = {:.4g} ps, Q_a = {:.3g} K/s, "
                       "t_a = {:.4g} ps); E_0 = {:.6f} eV/atom, ΔE_N = {:+.3e} eV/atom, ΔE_IS,N = {:+.3e} eV/atom, "
                       "V_N/V_0 − 1 = {:+.3e}",
                       last.cycle, p.low_temperature_K, p.high_temperature_K, p.cooling_rate_K_per_s,
                       p.quasi_equilibrium_start ? INFINITY : p.low_hold_ps, p.heating_rate_K_per_s, p.high_hold_ps,
                       first.potential_energy_eV_per_atom, last.delta_energy_eV_per_atom,
                       last.delta_inherent_structure_energy_eV_per_atom, last.volume_nm3 / first.volume_nm3 - 1.0);
  }

  void write_expansion_outputs(const core::RunDirectory &dir, const md::ExpansionProtocol &p,
                               const md::ExpansionResult &r)
  {
    core::CsvWriter csv({"branch", "set_temperature_K", "mean_temperature_K", "mean_volume_nm3",
                         "volume_standard_error_nm3"});
    for (const auto &pt : r.points)
      csv.add_text_row({pt.branch, core::format_number(pt.set_temperature_K), core::format_number(pt.mean_temperature_K),
                        core::format_number(pt.mean_volume_nm3), core::format_number(pt.volume_standard_error_nm3)});
    dir.write("expansion.csv", csv.text());
    YAML::Emitter y;
    y << YAML::BeginMap;
    y << YAML::Key << "alpha_volumetric_per_K" << YAML::Value << r.alpha_volumetric_per_K;
    y << YAML::Key << "alpha_volumetric_standard_error_per_K" << YAML::Value << r.alpha_volumetric_standard_error_per_K;
    y << YAML::Key << "alpha_linear_per_K" << YAML::Value << r.alpha_volumetric_per_K / 3.0;
    y << YAML::Key << "measured_on" << YAML::Value << "cooling after an anneal above the range";
    y << YAML::Key << "temperature_range_K" << YAML::Value << YAML::Flow << YAML::BeginSeq << p.minimum_temperature_K
      << p.maximum_temperature_K << YAML::EndSeq;
    y << YAML::Key << "anneal" << YAML::Value << fmt::format("{} K for {} ps", p.anneal_temperature_K, p.anneal_time_ps);
    y << YAML::Key << "reversibility_check" << YAML::Value << YAML::BeginMap;
    y << YAML::Key << "alpha_volumetric_heating_per_K" << YAML::Value << r.alpha_volumetric_heating_per_K;
    y << YAML::Key << "loop_closure_max_relative_volume" << YAML::Value << r.loop_closure_max_relative;
    y << YAML::Key << "closure_tolerance" << YAML::Value << p.closure_tolerance;
    y << YAML::Key << "loop_closed" << YAML::Value << r.loop_closed;
    y << YAML::EndMap << YAML::EndMap;
    dir.write("thermal_expansion.yaml", std::string(y.c_str()) + "\n");
  }

  std::string expansion_summary(const md::ExpansionProtocol &p, const md::ExpansionResult &r)
  {
    return fmt::format("expansion: α (volumetric) = {:.4g} ± {:.2g} 1/K on cooling {:.4g}–{:.4g} K after {:.4g} ps "
                       "at {:.4g} K; heating branch {:.4g} 1/K; heat–cool loop {} (max |ΔV|/V = {:.2g}, "
                       "tolerance {:.2g})",
                       r.alpha_volumetric_per_K, r.alpha_volumetric_standard_error_per_K, p.maximum_temperature_K,
                       p.minimum_temperature_K, p.anneal_time_ps, p.anneal_temperature_K,
                       r.alpha_volumetric_heating_per_K, r.loop_closed ? "closes" : "DOES NOT close",
                       r.loop_closure_max_relative, p.closure_tolerance);
  }
} // namespace cryocycle::coupling
