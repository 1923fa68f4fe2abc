#include "coupling/stages/continuum/continuum_cycles.h"

#include "calibrate/distribution_registry.h"
#include "continuum/cycling/cycling_checkpoint.h"
#include "continuum/cycling/cycling_simulation.h"
#include "continuum/events/elastic_backend.h"
#include "core/csv_table.h"
#include "core/gnuplot_plot.h"
#include "core/log.h"
#include "core/progress.h"
#include "core/random_stream.h"

#include <boost/random/uniform_01.hpp>
#include <fmt/format.h>
#include <mpi.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <memory>
#include <regex>

namespace cryocycle::coupling
{
  std::vector<double> CyclesSettings::yield_parameters_at(const double state) const
  {
    std::vector<double> p(yield_relaxed.size());
    for (std::size_t i = 0; i < p.size(); ++i)
      p[i] = (1.0 - state) * yield_relaxed[i] + state * yield_rejuvenated[i];
    return p;
  }

  double CyclesSettings::stored_energy_J_per_mol(const double mean_state) const
  {
    return stored_energy_relaxed_J_per_mol +
           mean_state * (stored_energy_rejuvenated_J_per_mol - stored_energy_relaxed_J_per_mol);
  }

  namespace
  {
    using core::ConfigRange;


    /// A draw of σ_y at state s from the stream (seed, purpose, id, draw), by inversion of the
    /// distribution truncated to positive values (a Gaussian σ_y would otherwise give negatives).
    double draw_yield(const CyclesSettings &s, const std::uint64_t seed, const std::string &purpose,
                      const std::uint64_t id, const std::uint64_t draw, const double state)
    {
      const auto distribution = calibrate::make_distribution(s.yield_family, s.yield_parameters_at(state));
      auto stream = core::make_random_stream(seed, purpose, id, draw);
      const double below_zero = distribution->cdf(0.0);
      const double u = below_zero + (1.0 - below_zero) * boost::random::uniform_01<double>()(stream);
      return std::max(distribution->quantile(std::clamp(u, 1e-12, 1.0 - 1e-12)), 1e-6);
    }

    void write_cycle_table(const core::RunDirectory &directory, const CyclesSettings &s,
                           const std::vector<continuum::CycleObservables> &rows)
    {
      core::CsvWriter csv({"cycle", "events_cooling", "events_heating", "events_relaxation", "relaxations",
                           "work_aJ", "mean_state", "stored_energy_J_per_mol",
                           "stored_energy_change_J_per_mol", "yield_median_GPa", "yield_decile_width",
                           "residual_von_mises_mean_GPa", "residual_von_mises_std_GPa",
                           "mean_plastic_strain", "elastic_energy_aJ", "residual_work_aJ"});
      const double initial = s.stored_energy_J_per_mol(rows.front().mean_state);
      for (const auto &r : rows)
        csv.add_row({static_cast<double>(r.cycle), static_cast<double>(r.events_cooling),
                     static_cast<double>(r.events_heating), static_cast<double>(r.events_holds),
                     static_cast<double>(r.relaxations), r.work_aJ, r.mean_state,
                     s.stored_energy_J_per_mol(r.mean_state), s.stored_energy_J_per_mol(r.mean_state) - initial,
                     r.yield_median_GPa, r.yield_decile_width, r.residual_von_mises_mean_GPa,
                     r.residual_von_mises_std_GPa, r.mean_plastic_strain, r.elastic_energy_aJ,
                     r.residual_work_aJ});
      directory.write("cycles.csv", csv.text());
    }

    /// fields/cycles.pvd listing the snapshot of every cycle written so far (rank 0). Each
    /// snapshot has its own base name, so a resumed run neither overwrites earlier ones nor
    /// loses them from the record.
    void write_snapshot_record(const core::RunDirectory &directory)
    {
      const std::filesystem::path folder = directory.file("fields/cycles.pvd").parent_path();
      const std::regex pattern(R"(cycle_(\d+)_\d+\.pvtu)");
      std::vector<std::pair<long long, std::string>> snapshots;
      for (const auto &entry : std::filesystem::directory_iterator(folder))
        {
          std::smatch match;
          const std::string name = entry.path().filename().string();
          if (std::regex_match(name, match, pattern))
            snapshots.emplace_back(std::stoll(match[1].str()), name);
        }
      std::sort(snapshots.begin(), snapshots.end());
      std::string pvd = "<?xml version=\"1.0\"?>\n<VTKFile type=\"Collection\" version=\"0.1\" "
                        "byte_order=\"LittleEndian\">\n  <Collection>\n";
      for (const auto &[cycle, name] : snapshots)
        pvd += fmt::format("    <DataSet timestep=\"{}\" group=\"\" part=\"0\" file=\"{}\"/>\n", cycle, name);
      pvd += "  </Collection>\n</VTKFile>\n";
      directory.write("fields/cycles.pvd", pvd);
    }
  } // namespace

  std::vector<continuum::CriticalParameter> cycles_critical_parameters(const CyclesSettings &s,
                                                                       const std::uint64_t seed,
                                                                       const CyclesSample &sample)
  {
    const auto &local = sample.backend->local_sites();
    std::uint64_t sites = local.size();
    MPI_Allreduce(MPI_IN_PLACE, &sites, 1, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD);
    std::vector<std::uint64_t> ids(local.size());
    for (std::size_t i = 0; i < local.size(); ++i)
      ids[i] = local[i].global_id;
    std::vector<std::string> field_fingerprints;
    for (const auto *values : {&sample.alpha_per_K, &sample.bulk_modulus_GPa, &sample.shear_modulus_GPa})
      field_fingerprints.push_back(continuum::site_field_fingerprint(MPI_COMM_WORLD, ids, *values));
    std::vector<continuum::CriticalParameter> p;
    const auto add = [&p](const std::string &key, const std::string &value) { p.push_back({key, value}); };
    add("seed", fmt::format("{}", seed));
    add("continuum.backend (resolved)", s.backend);
    add("number of sites", fmt::format("{}", sites));
    // Every key of the continuum section but those declared resume_may_change.
    for (const auto &[key, value] : s.config.critical_values())
      add(key, value);
    const char *fields[3] = {"thermal_expansion_volumetric_per_K", "bulk_modulus_GPa", "shear_modulus_GPa"};
    for (std::size_t f = 0; f < 3; ++f)
      add(fmt::format("continuum.materials.{} (site values, fingerprint)", fields[f]), field_fingerprints[f]);
    return p;
  }

  std::optional<continuum::CyclingCheckpoint> read_resumable_checkpoint(const RunContext &context,
                                                                        const std::filesystem::path &file,
                                                                        const std::vector<continuum::CriticalParameter> &critical,
                                                                        const std::size_t cycle_count)
  {
    if (!context.resume || !std::filesystem::exists(file))
      return std::nullopt;
    continuum::CyclingCheckpoint checkpoint = continuum::read_cycling_checkpoint(file);
    continuum::require_same_critical_parameters(checkpoint.critical_parameters, critical);
    if (checkpoint.rows.size() > cycle_count + 1)
      throw std::runtime_error(fmt::format("--resume: the checkpoint holds {} cycles, more than count = {}",
                                           checkpoint.rows.size() - 1, cycle_count));
    return checkpoint;
  }

  void write_cycles_snapshot(RunContext &context, const CyclesSettings &s, continuum::ThermoelasticModel *model,
                             const long long cycle)
  {
    if (!model)
      return;
    const bool wanted = std::find(s.vtu_cycles.begin(), s.vtu_cycles.end(), cycle) != s.vtu_cycles.end() ||
                        (cycle == static_cast<long long>(s.cycle_count) &&
                         std::find(s.vtu_cycles.begin(), s.vtu_cycles.end(), -1) != s.vtu_cycles.end());
    if (!wanted)
      return;
    const std::filesystem::path folder = context.directory.file("fields/cycles.pvd").parent_path();
    const std::string basename = fmt::format("cycle_{:04d}", cycle);
    // A snapshot of this cycle left by an interrupted attempt is replaced, not duplicated.
    if (core::is_output_rank())
      for (const auto &entry : std::filesystem::directory_iterator(folder))
        if (entry.path().filename().string().rfind(basename + "_", 0) == 0)
          std::filesystem::remove(entry.path());
    MPI_Barrier(MPI_COMM_WORLD);
    model->write_vtu(folder.string(), basename, 0.0, static_cast<double>(cycle));
    if (core::is_output_rank())
      {
        std::filesystem::remove(folder / (basename + ".pvd"));
        write_snapshot_record(context.directory);
      }
  }

  void declare_cycles_config(core::ConfigSection &continuum)
  {
    continuum.choice("backend", "auto", {"auto", "finite_elements", "fourier"},
                     "Elastic back-end of mode cycles: finite_elements (any sample), fourier (periodic "
                     "cube of constant moduli, exact and far faster); auto picks fourier where it applies.");
    continuum.choice("fourier_green_operator", "q1_hexahedra", {"q1_hexahedra", "continuous"},
                     "Green's operator of the fourier back-end: q1_hexahedra solves the finite-element "
                     "problem of the finite_elements back-end on the same grid (trilinear cells, cell-average "
                     "stress), so both back-ends give the same stresses; continuous uses the continuous wave "
                     "numbers cut at the grid's Nyquist limit, whose response to a single site rings along "
                     "the grid axes and overstates the stress fluctuations of site fields.");
    auto &c = continuum.section("cycles", "mode cycles: cryogenic thermal cycling with ST events and relaxation.");
    c.real("high_temperature_K", 300.0, ConfigRange::left_open(0.0, 5000.0), "T_a: start, end and upper hold of every cycle.");
    c.real("low_temperature_K", 77.0, ConfigRange::closed(0.0, 5000.0), "T_b: the cryogenic hold.");
    // Physical bounds: a ramp slower than 1e-6 K/s or a hold longer than a century is a typo,
    // and either would make the cycle schedule impossibly long.
    c.real("cooling_rate_K_per_s", 10.0, ConfigRange::closed(1e-6, 1e16), "Q_b.");
    c.real("heating_rate_K_per_s", 10.0, ConfigRange::closed(1e-6, 1e16), "Q_a.");
    c.real("low_hold_s", 60.0, ConfigRange::closed(0.0, 3.2e9), "t_b (at most a century).");
    c.real("high_hold_s", 60.0, ConfigRange::closed(0.0, 3.2e9), "t_a (at most a century).");
    c.integer("count", 10, ConfigRange::closed(1, 1e6), "Number of cycles N.");
    c.real("relaxation_substep_K", 10.0, ConfigRange::positive(),
           "Largest temperature step of a ramp between relaxation updates (and, with homogenised "
           "cells, updates of the sites' thermal-mismatch stress).");
    continuum::EventRule::declare(c);
    c.boolean("relaxation", true, "Thermally activated relaxation (ageing) during the whole history.");
    continuum::ThermalRelaxationModel::declare(c);
    c.choice("yield_stress_family", "hyperbolic", calibrate::builtin_distribution_registry().family_names(),
             "Family of the local yield stress σ_y (Shang et al. 2018: hyperbolic).");
    c.real_list("yield_stress_relaxed", {0.05, 1.56}, ConfigRange::positive(),
                "Parameters of σ_y in the relaxed state s = 0, in the family's order, scales in GPa "
                "(hyperbolic: shape_lambda, scale_beta_GPa; Shang et al. (2018) Table I, 1e9 K/s).", 1);
    c.real_list("yield_stress_rejuvenated", {0.10, 1.61}, ConfigRange::positive(),
                "Parameters of σ_y in the rejuvenated state s = 1 (Shang et al. 2018 Table I, 1e13 K/s: softer and "
                "relatively wider than the relaxed state, which lets the σ_y distribution widen with cycling).", 1);
    c.real("initial_state", 0.0, ConfigRange::closed(0.0, 1.0), "Structural state s of every site at the start.");
    c.real("stored_energy_relaxed_J_per_mol", 0.0, ConfigRange::any(), "Stored energy of the relaxed state.");
    c.real("stored_energy_rejuvenated_J_per_mol", 1000.0, ConfigRange::any(),
           "Stored energy of the rejuvenated state (e.g. the difference of the as-quenched energies).");
    c.real_list("vtu_cycles", {0, -1}, ConfigRange::any(),
                "Cycles after which fields are written (finite_elements back-end; 0: before cycling, -1: last).");
    declare_homogenised_config(continuum, c);
    // A run of N cycles is the first N cycles of a longer one (the streams are keyed by cycle),
    // and the stored-energy scale is applied when the table is written: a --resume may change these.
    c.resume_may_change({"count", "vtu_cycles", "stored_energy_relaxed_J_per_mol", "stored_energy_rejuvenated_J_per_mol"});
    c.check([](const core::ConfigValues &v) {
      if (v.real("low_temperature_K") >= v.real("high_temperature_K"))
        v.fail("low_temperature_K", "low_temperature_K must be below high_temperature_K");
      const auto family = calibrate::builtin_distribution_registry().family(v.text("yield_stress_family"));
      for (const char *key : {"yield_stress_relaxed", "yield_stress_rejuvenated"})
        if (v.real_list(key).size() != family.parameter_names.size())
          v.fail(key, fmt::format("{} takes {} parameters ({})", v.text("yield_stress_family"),
                                  family.parameter_names.size(), fmt::join(family.parameter_names, ", ")));
    });
  }

  CyclesSettings read_cycles_settings(const core::ConfigValues &continuum, const bool uniform_periodic)
  {
    CyclesSettings s;
    s.config = continuum;
    s.backend = continuum.text("backend");
    s.fourier_green_operator = continuum.text("fourier_green_operator") == "continuous"
                                 ? continuum::FourierDiscretisation::continuous
                                 : continuum::FourierDiscretisation::q1_hexahedra;
    if (s.backend == "auto")
      s.backend = uniform_periodic ? "fourier" : "finite_elements";
    if (s.backend == "fourier" && !uniform_periodic)
      continuum.fail("backend", "the fourier back-end needs a periodic_cube with constant bulk and shear "
                                "moduli and zero mean stress; use finite_elements");
    const auto c = continuum.section("cycles");
    s.high_temperature_K = c.real("high_temperature_K");
    s.low_temperature_K = c.real("low_temperature_K");
    s.cooling_rate_K_per_s = c.real("cooling_rate_K_per_s");
    s.heating_rate_K_per_s = c.real("heating_rate_K_per_s");
    s.low_hold_s = c.real("low_hold_s");
    s.high_hold_s = c.real("high_hold_s");
    s.cycle_count = static_cast<std::size_t>(c.integer("count"));
    s.relaxation_substep_K = c.real("relaxation_substep_K");
    s.rule = continuum::EventRule::parse(c);
    s.relaxation = c.boolean("relaxation");
    s.relaxation_model = continuum::ThermalRelaxationModel::parse(c);
    if (s.relaxation_model.st_activation_volume_nm3 > 0.0 && !s.relaxation)
      c.fail("stress_assisted_activation_volume_nm3", "stress-assisted STs need relaxation: true (ν0 and the "
                                                      "relaxation intervals)");
    s.yield_family = c.text("yield_stress_family");
    s.yield_relaxed = c.real_list("yield_stress_relaxed");
    s.yield_rejuvenated = c.real_list("yield_stress_rejuvenated");
    for (const char *key : {"yield_stress_relaxed", "yield_stress_rejuvenated"})
      try
        {
          calibrate::make_distribution(s.yield_family, c.real_list(key));
        }
      catch (const std::exception &e)
        {
          c.fail(key, e.what());
        }
    s.initial_state = c.real("initial_state");
    s.stored_energy_relaxed_J_per_mol = c.real("stored_energy_relaxed_J_per_mol");
    s.stored_energy_rejuvenated_J_per_mol = c.real("stored_energy_rejuvenated_J_per_mol");
    for (const double v : c.real_list("vtu_cycles"))
      s.vtu_cycles.push_back(std::llround(v));
    s.homogenised = read_homogenised_settings(continuum, uniform_periodic);
    return s;
  }

  CyclesSample build_cycles_sample(const std::string &backend, const continuum::FourierDiscretisation green_operator,
                                   const continuum::FiniteElementGeometry &geometry,
                                   const continuum::LinearSolverSettings &solver,
                                   const std::vector<continuum::MaterialField> &fields,
                                   const std::function<void(continuum::ThermoelasticModel &)> &before_backend)
  {
    CyclesSample sample;
    if (backend == "fourier")
      {
        std::array<std::size_t, 3> count{};
        for (std::size_t a = 0; a < 3; ++a)
          count[a] = static_cast<std::size_t>(std::llround(geometry.box_size_nm[a] / geometry.element_size_nm));
        const double h = geometry.box_size_nm[0] / static_cast<double>(count[0]);
        std::vector<double> alpha(count[0] * count[1] * count[2]);
        for (std::size_t p = 0; p < alpha.size(); ++p)
          {
            const std::array<double, 3> centre{(static_cast<double>(p % count[0]) + 0.5) * h,
                                               (static_cast<double>((p / count[0]) % count[1]) + 0.5) * h,
                                               (static_cast<double>(p / (count[0] * count[1])) + 0.5) * h};
            alpha[p] = fields[0].at(centre, p);
          }
        const double K = fields[1].at({0, 0, 0}, 0);
        const double G = fields[2].at({0, 0, 0}, 0);
        sample.backend = std::make_unique<continuum::PeriodicFourierBackend>(
          MPI_COMM_WORLD, count, h, K, G, alpha, continuum::PointUpdatePolicy{}, green_operator);
        const auto &sites = sample.backend->local_sites();
        sample.bulk_modulus_GPa.assign(sites.size(), K);
        sample.shear_modulus_GPa.assign(sites.size(), G);
        for (const auto &site : sites)
          sample.alpha_per_K.push_back(alpha[site.global_id]);
        return sample;
      }
    sample.model = std::make_unique<continuum::ThermoelasticModel>(MPI_COMM_WORLD, geometry, solver);
    const auto &sites = sample.model->local_sites();
    sample.alpha_per_K.resize(sites.size());
    sample.bulk_modulus_GPa.resize(sites.size());
    sample.shear_modulus_GPa.resize(sites.size());
    for (std::size_t i = 0; i < sites.size(); ++i)
      {
        sample.alpha_per_K[i] = fields[0].at(sites[i].centre_nm, sites[i].global_id);
        sample.bulk_modulus_GPa[i] = fields[1].at(sites[i].centre_nm, sites[i].global_id);
        sample.shear_modulus_GPa[i] = fields[2].at(sites[i].centre_nm, sites[i].global_id);
      }
    sample.model->set_thermal_expansion_per_K(sample.alpha_per_K);
    sample.model->set_moduli_GPa(sample.bulk_modulus_GPa, sample.shear_modulus_GPa);
    if (before_backend)
      before_backend(*sample.model);
    // A periodic cube of uniform moduli is translation invariant: avalanche sweeps of a few sites
    // superpose unit responses instead of solving (elastic_backend.h), as on the Fourier back-end.
    // A resynchronising solve costs seconds here and superposition rounding stays ~1e-16 of the
    // stress per update, so only the cycle-end solve and sweeps of many sites solve.
    continuum::PointUpdatePolicy policy;
    policy.resynchronise_after = 100000;
    if (!continuum::FiniteElementBackend::translation_invariance_problem(*sample.model, MPI_COMM_WORLD).empty())
      policy.max_sites = 0;
    sample.backend = std::make_unique<continuum::FiniteElementBackend>(*sample.model, MPI_COMM_WORLD, policy);
    return sample;
  }

  void run_cycles(RunContext &context, const CyclesSettings &s, const continuum::FiniteElementGeometry &geometry,
                  const continuum::LinearSolverSettings &solver,
                  const std::vector<continuum::MaterialField> &fields)
  {
    if (s.homogenised.active())
      {
        run_homogenised_cycles(context, s, geometry, solver, fields);
        return;
      }
    auto &log = core::Log::instance();
    CyclesSample sample;
    {
      const auto timer = context.timers.scope("mesh");
      sample = build_cycles_sample(s.backend, s.fourier_green_operator, geometry, solver, fields);
    }
    const auto &model = sample.model;
    const auto &backend = sample.backend;
    const std::vector<double> &bulk = sample.bulk_modulus_GPa;
    const std::vector<double> &shear = sample.shear_modulus_GPa;
    std::uint64_t site_total = backend->local_sites().size();
    MPI_Allreduce(MPI_IN_PLACE, &site_total, 1, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD);
    log.info(fmt::format("cycles: {} sites on the {} back-end; {} cycles {} K ↔ {} K", site_total, backend->name(),
                         s.cycle_count, s.high_temperature_K, s.low_temperature_K));

    const std::uint64_t seed = context.seed;
    const auto &sites = backend->local_sites();
    const auto critical = cycles_critical_parameters(s, seed, sample);

    std::vector<double> yield(sites.size());
    for (std::size_t i = 0; i < sites.size(); ++i)
      yield[i] = draw_yield(s, seed, "initial yield stress", sites[i].global_id, 0, s.initial_state);
    continuum::EventRule rule = s.rule;
    const auto renewal = [&s, seed](std::uint64_t id, std::uint64_t draw, double state) {
      return draw_yield(s, seed, "yield stress", id, draw, state);
    };
    continuum::AthermalEventEngine engine(*backend, yield, std::vector<double>(sites.size(), s.initial_state),
                                          renewal, rule);
    continuum::ThermalCycleProtocol protocol{s.high_temperature_K, s.low_temperature_K, s.cooling_rate_K_per_s,
                                             s.heating_rate_K_per_s, s.low_hold_s,     s.high_hold_s,
                                             s.cycle_count};
    continuum::CyclingOptions options;
    options.seed = seed;
    options.relaxation_substep_K = s.relaxation_substep_K;
    if (s.relaxation)
      options.relaxation = s.relaxation_model;
    continuum::CyclingSimulation simulation(engine, continuum::ThermalCycleSchedule(protocol), bulk, shear, options);

    const auto write_fields = [&](const long long cycle) { write_cycles_snapshot(context, s, model.get(), cycle); };

    // Checkpoint after every cycle; --resume continues from the last one.
    const std::filesystem::path checkpoint_file = context.directory.file("checkpoints/continuum_cycles.bin");
    std::vector<continuum::CycleObservables> rows;
    if (auto checkpoint = read_resumable_checkpoint(context, checkpoint_file, critical, s.cycle_count))
      {
        engine.restore_state(checkpoint->sites);
        rows = std::move(checkpoint->rows);
        log.info(fmt::format("cycles: resuming after cycle {} from {}", rows.back().cycle, checkpoint_file.string()));
      }
    else
      {
        if (context.resume)
          log.info("cycles: the interrupted run left no checkpoint; starting from cycle 1");
        rows.push_back(simulation.observe(0));
        write_fields(0);
      }
    write_cycle_table(context.directory, s, rows);
    core::ProgressReporter progress("cycles", s.cycle_count);
    if (rows.size() > 1)
      progress.advance(rows.size() - 1);
    for (std::size_t c = rows.size() - 1; c < s.cycle_count; ++c)
      {
        {
          const auto timer = context.timers.scope("events");
          rows.push_back(simulation.run_cycle(c));
        }
        const auto &r = rows.back();
        log.file_only(fmt::format("cycle {}: {} events on cooling, {} on heating, {} after relaxation, {} "
                                  "relaxations, mean state {:.4f}",
                                  r.cycle, r.events_cooling, r.events_heating, r.events_holds, r.relaxations,
                                  r.mean_state));
        const auto timer = context.timers.scope("output");
        write_fields(static_cast<long long>(c + 1));
        // The checkpoint commits the cycle; the table follows it (a resume rewrites it anyway).
        continuum::CyclingCheckpoint checkpoint;
        checkpoint.sites = continuum::gather_site_states(MPI_COMM_WORLD, engine.save_state());
        if (core::is_output_rank())
          {
            checkpoint.critical_parameters = critical;
            checkpoint.rows = rows;
            continuum::write_cycling_checkpoint(checkpoint_file, checkpoint);
          }
        write_cycle_table(context.directory, s, rows);
        progress.advance();
      }
    progress.finish();
    if (!core::is_output_rank())
      return;
    core::render_png_plot(context.directory, "cycle_events",
                          "set xlabel 'cycle'\nset ylabel 'ST events per cycle'\nset key top right\n"
                          "plot 'cycles.csv' skip 2 using 1:2 with linespoints title 'cooling', "
                          "'' skip 2 using 1:3 with linespoints title 'heating', "
                          "'' skip 2 using 1:4 with linespoints title 'after relaxation'");
    core::render_png_plot(context.directory, "cycle_stored_energy",
                          "set xlabel 'cycle'\nset ylabel 'stored energy change (J/mol)'\nset key off\n"
                          "plot 'cycles.csv' skip 1 using 1:9 with linespoints lw 2");
    core::render_png_plot(context.directory, "cycle_yield_stress",
                          "set xlabel 'cycle'\nset ylabel 'σ_y decile width (σ_{90%} − σ_{10%}) / median'\n"
                          "set y2label 'σ_y median (GPa)'\nset ytics nomirror\nset y2tics\nset key bottom right\n"
                          "plot 'cycles.csv' skip 1 using 1:11 with linespoints lw 2 title 'decile width', "
                          "'' skip 1 using 1:10 axes x1y2 with linespoints title 'median'");
    const auto &last = rows.back();
    std::uint64_t events = 0;
    for (const auto &r : rows)
      events += r.events_cooling + r.events_heating + r.events_holds;
    const std::string summary = fmt::format(
      "{} cycles {} K ↔ {} K on {} sites ({} back-end): {} ST events in all, {} in the last cycle\n"
      "  stored energy change {:+.4g} J/mol (mean state {:.4f} → {:.4f}); σ_y median {:.4g} GPa, decile "
      "width {:.3f} → {:.3f}\n",
      s.cycle_count, s.high_temperature_K, s.low_temperature_K, site_total, backend->name(), events,
      last.events_cooling + last.events_heating + last.events_holds,
      s.stored_energy_J_per_mol(last.mean_state) - s.stored_energy_J_per_mol(rows.front().mean_state), rows.front().mean_state,
      last.mean_state, last.yield_median_GPa, rows.front().yield_decile_width, last.yield_decile_width);
    context.directory.write("summary.txt", summary);
    log.info(summary);
  }
} // namespace cryocycle::coupling
