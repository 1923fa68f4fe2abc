#include "coupling/stages/continuum/continuum_homogenised_cycles.h"

#include "calibrate/distribution_registry.h"
#include "continuum/events/elastic_backend.h"
#include "continuum/cycling/heat_conduction_cycling.h"
#include "core/csv_table.h"
#include "core/gnuplot_plot.h"
#include "core/log.h"
#include "core/progress.h"
#include "coupling/stages/continuum/continuum_cycles.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <mpi.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <memory>

namespace cryocycle::coupling
{
  namespace
  {
    using core::ConfigRange;

    /// The σ_y law of one structural state, truncated to positive values as the explicit sites
    /// draw it; the last state's law is kept, since a cell asks for many values at one state.
    class YieldLawCache
    {
    public:
      explicit YieldLawCache(const CyclesSettings &s)
        : s_(s)
      {}
      const calibrate::Distribution &at(const double state, double &below_zero)
      {
        if (!law_ || state != state_)
          {
            law_ = calibrate::make_distribution(s_.yield_family, s_.yield_parameters_at(state));
            below_zero_ = law_->cdf(0.0);
            state_ = state;
          }
        below_zero = below_zero_;
        return *law_;
      }

    private:
      const CyclesSettings &s_;
      std::unique_ptr<calibrate::Distribution> law_;
      double state_ = 0.0;
      double below_zero_ = 0.0;
    };

    /// The σ_y family of mode cycles (parameters interpolated in the state) as the homogenised
    /// cells' threshold distribution, with the site thermal-mismatch stress if one is configured.
    continuum::ThresholdDistribution threshold_distribution(const CyclesSettings &s)
    {
      continuum::ThresholdDistribution d;
      const auto cache = std::make_shared<YieldLawCache>(s);
      d.quantile_GPa = [cache](const double state, const double rank) {
        double below_zero = 0.0;
        const auto &law = cache->at(state, below_zero);
        const double u = below_zero + (1.0 - below_zero) * rank;
        return std::max(law.quantile(std::clamp(u, 1e-300, 1.0 - 1e-16)), 1e-6);
      };
      d.cdf = [cache](const double state, const double stress) {
        double below_zero = 0.0;
        const auto &law = cache->at(state, below_zero);
        return std::clamp((law.cdf(stress) - below_zero) / (1.0 - below_zero), 0.0, 1.0);
      };
      const HomogenisedSettings &h = s.homogenised;
      if (h.site_thermal_stress_family != "none")
        {
          const std::shared_ptr<const calibrate::Distribution> law =
            calibrate::make_distribution(h.site_thermal_stress_family, h.site_thermal_stress_parameters);
          d.site_thermal_stress = std::make_shared<const continuum::SiteThermalStress>(
            [&law](const double rank) { return std::max(law->quantile(rank), 0.0); }, h.site_thermal_stress_reference_K);
        }
      return d;
    }

    struct Row
    {
      continuum::CycleObservables observables;
      continuum::ConductionCycleReport conduction;
    };

    void write_table(const core::RunDirectory &directory, const CyclesSettings &s, const std::vector<Row> &rows)
    {
      core::CsvWriter csv({"cycle", "events_cooling", "events_heating", "events_relaxation", "relaxations",
                           "work_aJ", "mean_state", "stored_energy_J_per_mol", "stored_energy_change_J_per_mol",
                           "yield_median_GPa", "yield_decile_width", "residual_von_mises_mean_GPa",
                           "residual_von_mises_std_GPa", "mean_plastic_strain", "elastic_energy_aJ",
                           "residual_work_aJ", "largest_centre_surface_difference_K",
                           "largest_load_von_mises_GPa", "lowest_surface_temperature_K"});
      const double initial = s.stored_energy_J_per_mol(rows.front().observables.mean_state);
      for (const auto &[r, c] : rows)
        csv.add_row({static_cast<double>(r.cycle), static_cast<double>(r.events_cooling),
                     static_cast<double>(r.events_heating), static_cast<double>(r.events_holds),
                     static_cast<double>(r.relaxations), r.work_aJ, r.mean_state, s.stored_energy_J_per_mol(r.mean_state),
                     s.stored_energy_J_per_mol(r.mean_state) - initial, r.yield_median_GPa, r.yield_decile_width,
                     r.residual_von_mises_mean_GPa, r.residual_von_mises_std_GPa, r.mean_plastic_strain,
                     r.elastic_energy_aJ, r.residual_work_aJ, c.largest_centre_surface_difference_K,
                     c.largest_load_von_mises_GPa,
                     std::isfinite(c.lowest_surface_temperature_K) ? c.lowest_surface_temperature_K : 0.0});
      directory.write("cycles.csv", csv.text());
    }
  } // namespace

  void declare_homogenised_config(core::ConfigSection &continuum, core::ConfigSection &cycles)
  {
    cycles.choice("resolution", "sites", {"sites", "homogenised"},
                  "sites: every mesh cell is one ST site (cells of site size, the RVE); homogenised: a "
                  "cell carries the threshold distribution of its n = V_cell / site_size_nm³ sites and "
                  "transforms the fraction of them its stress reaches (mm samples).");
    cycles.real("site_size_nm", 1.0, ConfigRange::left_open(0.0, 1e3),
                "Edge of one ST site in resolution homogenised (Shang et al. 2018: r_c = 2σ_cg ≈ 1 nm).");
    continuum::HomogenisedCellRule::declare(cycles);
    auto families = calibrate::builtin_distribution_registry().family_names();
    families.insert(families.begin(), "none");
    cycles.choice("site_thermal_stress_family", "none", families,
                  "Resolution homogenised: law of the von Mises thermal-mismatch stress of a single site "
                  "(Shang et al. 2018 Fig. 2: lomax), which the cell average loses; it adds to the cell's stress "
                  "and scales with |T − T_a|. none: the sites feel the cell's stress only.");
    cycles.real_list("site_thermal_stress_parameters", {}, ConfigRange::positive(),
                     "Its parameters in the family's order, scales in GPa, at site_thermal_stress_reference_K "
                     "(Shang et al. 2018 Table I, 1e13 K/s: lomax shape_gamma 8.15, scale_eta_GPa 0.72 at 100 K).");
    cycles.real("site_thermal_stress_reference_K", 100.0, ConfigRange::left_open(0.0, 1e4),
                "Temperature change at which site_thermal_stress_parameters hold (Shang et al. 2018: 100 K).");
    auto &h = continuum.section("heat_conduction",
                                "mode cycles: transient heat conduction through the sample (radial in rods, "
                                "discs and spheres; through the thickness of plates); the schedule is then the "
                                "temperature of the surroundings (Ketov et al. 2015 Biot analysis).");
    h.boolean("enabled", false, "Conduct heat; off: the sample follows the schedule uniformly.");
    continuum::HeatConductionSettings::declare(h);
    continuum::SurfaceHeatTransfer::declare(h);
    h.real("max_time_step_s", 0.1, ConfigRange::positive(), "Largest conduction time step.");
    h.real("max_surroundings_step_K", 2.0, ConfigRange::positive(),
           "Largest change of the surroundings' temperature in one time step.");
    h.integer("basis_terms", 3, ConfigRange::closed(1, 6),
              "Even powers x², ..., x^(2K) of the profile fitted and turned into stress (one FE solve each).");
  }

  HomogenisedSettings read_homogenised_settings(const core::ConfigValues &continuum, const bool uniform_periodic)
  {
    HomogenisedSettings s;
    const auto c = continuum.section("cycles");
    s.resolution = c.text("resolution");
    s.site_size_nm = c.real("site_size_nm");
    s.cells = continuum::HomogenisedCellRule::parse(c);
    s.site_thermal_stress_family = c.text("site_thermal_stress_family");
    s.site_thermal_stress_parameters = c.real_list("site_thermal_stress_parameters");
    s.site_thermal_stress_reference_K = c.real("site_thermal_stress_reference_K");
    if (s.site_thermal_stress_family != "none")
      {
        if (s.resolution != "homogenised")
          c.fail("site_thermal_stress_family", "a site thermal-mismatch stress is for resolution: homogenised; "
                                               "explicit sites get theirs from the α field");
        const auto family = calibrate::builtin_distribution_registry().family(s.site_thermal_stress_family);
        if (s.site_thermal_stress_parameters.size() != family.parameter_names.size())
          c.fail("site_thermal_stress_parameters",
                 fmt::format("{} takes {} parameters ({})", s.site_thermal_stress_family, family.parameter_names.size(),
                             fmt::join(family.parameter_names, ", ")));
        try
          {
            calibrate::make_distribution(s.site_thermal_stress_family, s.site_thermal_stress_parameters);
          }
        catch (const std::exception &e)
          {
            c.fail("site_thermal_stress_parameters", e.what());
          }
      }
    else if (!s.site_thermal_stress_parameters.empty())
      c.fail("site_thermal_stress_parameters", "parameters without a site_thermal_stress_family");
    const auto h = continuum.section("heat_conduction");
    s.heat_conduction = h.boolean("enabled");
    s.conduction = continuum::HeatConductionSettings::parse(h);
    s.surface = continuum::SurfaceHeatTransfer::parse(h);
    s.max_time_step_s = h.real("max_time_step_s");
    s.max_surroundings_step_K = h.real("max_surroundings_step_K");
    s.basis_terms = static_cast<std::size_t>(h.integer("basis_terms"));
    if (s.heat_conduction)
      {
        if (continuum.section("geometry").text("shape") == "periodic_cube")
          h.fail("enabled", "heat conduction needs a sample with a surface (rod, disc, plate or sphere), "
                            "not a periodic_cube");
        if (uniform_periodic || continuum.text("backend") == "fourier")
          h.fail("enabled", "heat conduction needs the finite_elements back-end");
      }
    return s;
  }

  void run_homogenised_cycles(RunContext &context, const CyclesSettings &s,
                              const continuum::FiniteElementGeometry &geometry,
                              const continuum::LinearSolverSettings &solver,
                              const std::vector<continuum::MaterialField> &fields)
  {
    const HomogenisedSettings &h = s.homogenised;
    auto &log = core::Log::instance();
    CyclesSample sample;  // before the load, which refers to its model
    std::unique_ptr<continuum::HeatConductionLoad> load;
    {
      const auto timer = context.timers.scope("mesh");
      // The basis responses first (they solve the model and restore α), then the back-end.
      sample = build_cycles_sample(s.backend, s.fourier_green_operator, geometry, solver, fields,
                                   [&](continuum::ThermoelasticModel &m) {
        if (h.heat_conduction)
          load = std::make_unique<continuum::HeatConductionLoad>(m, h.basis_terms);
      });
    }
    const auto &model = sample.model;
    const auto &backend = sample.backend;
    const std::vector<double> &bulk = sample.bulk_modulus_GPa;
    const std::vector<double> &shear = sample.shear_modulus_GPa;

    const std::uint64_t seed = context.seed;
    const auto &sites = backend->local_sites();
    const auto critical = cycles_critical_parameters(s, seed, sample);
    const continuum::EventRule rule = s.rule;
    continuum::HomogenisedCellRule cells = h.cells;
    if (h.resolution == "homogenised")
      cells.site_volume_nm3 = h.site_size_nm * h.site_size_nm * h.site_size_nm;
    continuum::HomogenisedEventEngine engine(*backend, threshold_distribution(s),
                                             std::vector<double>(sites.size(), s.initial_state), rule, cells, seed);
    // Sites per cell over all ranks (smallest, largest, total) for the log.
    double counts[3] = {std::numeric_limits<double>::infinity(), 0.0, 0.0};
    for (const auto &cell : engine.cells())
      {
        counts[0] = std::min(counts[0], cell.site_count());
        counts[1] = std::max(counts[1], cell.site_count());
        counts[2] += cell.site_count();
      }
    MPI_Allreduce(MPI_IN_PLACE, &counts[0], 1, MPI_DOUBLE, MPI_MIN, MPI_COMM_WORLD);
    MPI_Allreduce(MPI_IN_PLACE, &counts[1], 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
    MPI_Allreduce(MPI_IN_PLACE, &counts[2], 1, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
    std::uint64_t cell_total = sites.size();
    MPI_Allreduce(MPI_IN_PLACE, &cell_total, 1, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD);
    log.info(fmt::format("cycles ({} resolution{}): {} cells on the {} back-end, {:.3g} to {:.3g} sites per cell; "
                         "{} cycles {} K ↔ {} K",
                         h.resolution, h.heat_conduction ? ", heat conduction" : "", cell_total, backend->name(),
                         counts[0], counts[1], s.cycle_count, s.high_temperature_K, s.low_temperature_K));

    continuum::ThermalCycleProtocol protocol{s.high_temperature_K, s.low_temperature_K, s.cooling_rate_K_per_s,
                                             s.heating_rate_K_per_s, s.low_hold_s,     s.high_hold_s,
                                             s.cycle_count};
    continuum::HomogenisedCyclingOptions options;
    options.seed = seed;
    options.relaxation_substep_K = s.relaxation_substep_K;
    if (s.relaxation)
      options.relaxation = s.relaxation_model;
    if (h.heat_conduction)
      {
        options.conduction = h.conduction;
        options.surface = h.surface;
        options.max_time_step_s = h.max_time_step_s;
        options.max_surroundings_step_K = h.max_surroundings_step_K;
        const double radius_m = load->radius_m();
        const double kappa = h.conduction.conductivity_W_per_mK;
        log.info(fmt::format("heat conduction: R = {:.4g} mm, Biot number (V/A length, Ketov et al. 2015) {:.3g} in film "
                             "boiling, {:.3g} in nucleate boiling, {:.3g} when warming",
                             radius_m * 1e3,
                             continuum::volume_to_area_biot(load->shape(), h.surface.film_boiling_W_per_m2K, radius_m, kappa),
                             continuum::volume_to_area_biot(load->shape(), h.surface.nucleate_boiling_W_per_m2K, radius_m, kappa),
                             continuum::volume_to_area_biot(load->shape(), h.surface.warming_W_per_m2K, radius_m, kappa)));
      }
    continuum::HomogenisedCyclingSimulation simulation(engine, continuum::ThermalCycleSchedule(protocol), bulk, shear,
                                                       load.get(), options);

    const auto write_fields = [&](const long long cycle) { write_cycles_snapshot(context, s, model.get(), cycle); };

    // Checkpoint after every cycle; --resume continues from the last one. The conduction
    // columns of the table travel as the rows' extras.
    const std::filesystem::path checkpoint_file = context.directory.file("checkpoints/continuum_cycles.bin");
    std::vector<Row> rows;
    if (auto saved = read_resumable_checkpoint(context, checkpoint_file, critical, s.cycle_count))
      {
        const continuum::CyclingCheckpoint &checkpoint = *saved;
        if (checkpoint.row_extras.size() != checkpoint.rows.size())
          throw std::runtime_error(fmt::format("--resume: {} was not written by a homogenised or heat-conducting run",
                                               checkpoint_file.string()));
        simulation.restore(checkpoint.sites, checkpoint.run_state);
        for (std::size_t i = 0; i < checkpoint.rows.size(); ++i)
          {
            const auto &extra = checkpoint.row_extras[i];
            if (extra.size() != 3)
              throw std::runtime_error(fmt::format("--resume: {} holds a row of another layout", checkpoint_file.string()));
            continuum::ConductionCycleReport report;
            report.largest_centre_surface_difference_K = extra[0];
            report.largest_load_von_mises_GPa = extra[1];
            report.lowest_surface_temperature_K = extra[2];
            rows.push_back({checkpoint.rows[i], report});
          }
        log.info(fmt::format("cycles: resuming after cycle {} from {}", rows.back().observables.cycle,
                             checkpoint_file.string()));
      }
    else
      {
        if (context.resume)
          log.info("cycles: the interrupted run left no checkpoint; starting from cycle 1");
        rows.push_back({simulation.observe(0), {}});
        write_fields(0);
      }
    write_table(context.directory, s, rows);
    const auto write_checkpoint = [&] {
      continuum::CyclingCheckpoint checkpoint;
      checkpoint.sites = continuum::gather_site_states(MPI_COMM_WORLD, engine.save_state());
      if (!core::is_output_rank())
        return;
      checkpoint.critical_parameters = critical;
      checkpoint.run_state = simulation.run_state();
      for (const auto &[r, c] : rows)
        {
          checkpoint.rows.push_back(r);
          checkpoint.row_extras.push_back(
            {c.largest_centre_surface_difference_K, c.largest_load_von_mises_GPa, c.lowest_surface_temperature_K});
        }
      continuum::write_cycling_checkpoint(checkpoint_file, checkpoint);
    };
    core::ProgressReporter progress("cycles", s.cycle_count);
    if (rows.size() > 1)
      progress.advance(rows.size() - 1);
    for (std::size_t c = rows.size() - 1; c < s.cycle_count; ++c)
      {
        {
          const auto timer = context.timers.scope("events");
          rows.push_back({simulation.run_cycle(c), simulation.last_conduction_report()});
        }
        const auto &r = rows.back().observables;
        const auto &report = rows.back().conduction;
        if (c == 0 && h.heat_conduction && core::is_output_rank())
          {
            // The cooling and warming curves of the first cycle (Ketov et al. 2015: film → nucleate boiling).
            core::CsvWriter curve({"time_s", "surroundings_K", "centre_K", "surface_K", "mean_K",
                                   "heat_transfer_W_per_m2K"});
            for (const auto &p : report.history)
              curve.add_row({p.time_s, p.surroundings_K, p.centre_K, p.surface_K, p.mean_K, p.heat_transfer_W_per_m2K});
            context.directory.write("conduction_cycle_1.csv", curve.text());
          }
        rows.back().conduction.history.clear();
        log.file_only(fmt::format("cycle {}: {} ST events on cooling, {} on heating, {} after relaxation, {} "
                                  "relaxations, mean state {:.6g}{}",
                                  r.cycle, r.events_cooling, r.events_heating, r.events_holds, r.relaxations,
                                  r.mean_state,
                                  h.heat_conduction
                                    ? fmt::format("; centre − surface up to {:.3g} K, load σ_eq up to {:.3g} GPa",
                                                  report.largest_centre_surface_difference_K,
                                                  report.largest_load_von_mises_GPa)
                                    : std::string()));
        const auto timer = context.timers.scope("output");
        write_fields(static_cast<long long>(c + 1));
        // The checkpoint commits the cycle; the table follows it (a resume rewrites it anyway).
        write_checkpoint();
        write_table(context.directory, s, rows);
        progress.advance();
      }
    progress.finish();
    if (!core::is_output_rank())
      return;
    core::render_png_plot(context.directory, "cycle_events",
                          "set xlabel 'cycle'\nset ylabel 'ST events per cycle (sites)'\nset key top right\n"
                          "plot 'cycles.csv' skip 2 using 1:2 with linespoints title 'cooling', "
                          "'' skip 2 using 1:3 with linespoints title 'heating', "
                          "'' skip 2 using 1:4 with linespoints title 'after relaxation'");
    core::render_png_plot(context.directory, "cycle_stored_energy",
                          "set xlabel 'cycle'\nset ylabel 'stored energy change (J/mol)'\nset key off\n"
                          "plot 'cycles.csv' skip 1 using 1:9 with linespoints lw 2");
    if (h.heat_conduction)
      core::render_png_plot(context.directory, "cycle_thermal_gradient",
                            "set xlabel 'cycle'\nset ylabel 'largest centre − surface difference (K)'\n"
                            "set y2label 'largest load von Mises stress (GPa)'\nset y2tics\nset key top right\n"
                            "plot 'cycles.csv' skip 2 using 1:17 with linespoints title 'centre − surface', "
                            "'' skip 2 using 1:18 axes x1y2 with linespoints title 'von Mises'");
    if (h.heat_conduction)
      core::render_png_plot(context.directory, "conduction_cycle_1",
                            "set xlabel 'time (s)'\nset ylabel 'temperature (K)'\nset y2label 'h (W m^{-2} K^{-1})'\n"
                            "set y2tics\nset ytics nomirror\nset key top right\n"
                            "plot 'conduction_cycle_1.csv' skip 1 using 1:2 with lines title 'surroundings', "
                            "'' skip 1 using 1:3 with lines lw 2 title 'centre', "
                            "'' skip 1 using 1:4 with lines lw 2 title 'surface', "
                            "'' skip 1 using 1:6 axes x1y2 with lines dt 2 title 'h'");
    const auto &last = rows.back().observables;
    std::uint64_t events = 0;
    double largest_gradient = 0.0;
    double largest_load = 0.0;
    for (const auto &[r, c] : rows)
      {
        events += r.events_cooling + r.events_heating + r.events_holds;
        largest_gradient = std::max(largest_gradient, c.largest_centre_surface_difference_K);
        largest_load = std::max(largest_load, c.largest_load_von_mises_GPa);
      }
    std::string summary = fmt::format(
      "{} cycles {} K ↔ {} K on {} cells of {:.3g}–{:.3g} sites ({} resolution, {} back-end): {} ST events in all "
      "(sites), {} in the last cycle; {:.3g} transformations per site\n"
      "  stored energy change {:+.4g} J/mol (mean state {:.6g} → {:.6g}); σ_y median {:.4g} GPa, decile width "
      "{:.3f} → {:.3f}\n",
      s.cycle_count, s.high_temperature_K, s.low_temperature_K, cell_total, counts[0], counts[1], h.resolution,
      backend->name(), events, last.events_cooling + last.events_heating + last.events_holds,
      static_cast<double>(events) / counts[2],
      s.stored_energy_J_per_mol(last.mean_state) - s.stored_energy_J_per_mol(rows.front().observables.mean_state),
      rows.front().observables.mean_state, last.mean_state, last.yield_median_GPa,
      rows.front().observables.yield_decile_width, last.yield_decile_width);
    if (h.heat_conduction)
      summary += fmt::format("  heat conduction: centre − surface up to {:.3g} K, load von Mises up to {:.3g} GPa\n",
                             largest_gradient, largest_load);
    context.directory.write("summary.txt", summary);
    log.info(summary);
  }
} // namespace cryocycle::coupling
