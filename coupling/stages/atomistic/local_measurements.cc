#include "coupling/stages/atomistic/local_measurements.h"

#include "atomistic/local_elastic_moduli.h"
#include "atomistic/local_thermal_expansion.h"
#include "core/csv_table.h"
#include "core/gnuplot_plot.h"
#include "core/log.h"
#include "core/progress.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace cryocycle::coupling
{
  namespace md = cryocycle::atomistic;
  namespace fs = std::filesystem;
  using core::ConfigRange;

  core::ConfigSection &declare_local_measurements(core::ConfigSection &atomistic)
  {
    auto &local = atomistic.section(
      "local", "Local measurements on a grid of sites (Shang et al. 2018): coarse-grained thermal expansion, elastic "
               "moduli, frozen-matrix yield stress.");
    auto &cg = local.section("coarse_graining",
                             "Goldhirsch–Goldenberg coarse graining (Shang et al. 2018 eq. 2) shared by every local measurement: "
                             "widths, kernel truncation, sites.");
    cg.real_list("sigma_cg_A", {5.0}, ConfigRange::closed(0.5, 100.0),
                 "Coarse-graining widths σ_cg, all measured in one pass (Shang et al. 2018: 5 Å, scan 4, 5, 7 Å; the "
                 "yield-stress radius is r_c = 2 σ_cg).",
                 1);
    cg.real("truncation_sigmas", 3.0, ConfigRange::closed(1.5, 10.0),
            "Kernel cut-off in units of σ_cg: the Gaussian is shifted to zero there and renormalised.");
    cg.integer("sites_per_edge", 10, ConfigRange::closed(1, 1000),
               "Regular grid of sites: this many along each box edge, at the cell centres.");
    cg.optional_real("site_spacing_A", ConfigRange::closed(0.1, 1000.0),
                     "Regular grid with this spacing instead (round(edge / spacing) sites per edge).");
    cg.input_file("site_file", "CSV of explicit sites instead of a grid: columns x_nm, y_nm, z_nm.");
    cg.check([](const core::ConfigValues &v) {
      if (v.has("site_spacing_A") && v.has("site_file"))
        v.fail("site_spacing_A", "give either site_spacing_A or site_file, not both");
      auto widths = v.real_list("sigma_cg_A");
      std::sort(widths.begin(), widths.end());
      if (std::adjacent_find(widths.begin(), widths.end()) != widths.end())
        v.fail("sigma_cg_A", "a width is listed twice");
    });

    auto &e = local.section("expansion",
                            "Local volumetric TEC α(r) = ε_v(r)/ΔT (Shang et al. 2018 eq. 3): anneal, average at T2, cool to T1 "
                            "(reference) and average, heat back to T2 and average again (reversibility check).");
    e.input_file("initial_data_file", "Glass to measure (default: the glass of the prepare task).");
    e.choice("protocol", "time_averaged", {"time_averaged", "snapshots"},
             "time_averaged: anneal, time-averaged states at T2, T1 (reference, on cooling) and T2 again; "
             "snapshots: as Shang, Guan & Barrat (2018) — the glass as given (no anneal), single configurations "
             "at T1 and T2 on heating, the whole measurement made twice so the two α fields give the vibrational "
             "noise (their correlation and the spread of their difference).");
    e.integer("snapshot_samples", 1, ConfigRange::closed(1, 100000),
              "snapshots: configurations averaged per state, sample_interval_ps apart (1: single configurations).");
    e.real("low_temperature_K", 1.0, ConfigRange::positive(),
           "T1, the reference state (Shang et al. 2018: 1 K for Cu–Zr, T_g ≈ 700 K; Wahnström LJ: the same fraction of T_g, "
           "T* ≈ 6e-4, 7.5 K with ε = 1 eV).");
    e.real("high_temperature_K", 100.0, ConfigRange::positive(),
           "T2 (Shang et al. 2018: 100 K for Cu–Zr; Wahnström LJ: T* ≈ 0.064, 746 K with ε = 1 eV).");
    e.optional_real("anneal_temperature_K", ConfigRange::positive(),
                    "Anneal temperature before the measurement, at least T2 (default: T2).");
    e.real("anneal_time_ps", 20.0, ConfigRange::non_negative(), "Anneal time.");
    e.real("ramp_ps", 10.0, ConfigRange::non_negative(), "Duration of each temperature ramp.");
    e.real("equilibration_ps", 10.0, ConfigRange::non_negative(), "Settling time at T1 and T2 before each average.");
    e.real("averaging_ps", 20.0, ConfigRange::positive(),
           "Window of the time-averaged positions (removes the vibrations) at T1 and T2.");
    e.real("sample_interval_ps", 0.1, ConfigRange::positive(), "Interval of the position samples of an average.");
    e.real("closure_tolerance", 1.0e-3, ConfigRange::positive(),
           "Largest relative volume difference of the two T2 states (time_averaged) or the two T1 states "
           "(snapshots) for a closed heat–cool loop.");
    e.check([](const core::ConfigValues &v) {
      if (v.real("low_temperature_K") >= v.real("high_temperature_K"))
        v.fail("low_temperature_K", "must be below high_temperature_K");
      if (v.has("anneal_temperature_K") && v.real("anneal_temperature_K") < v.real("high_temperature_K"))
        v.fail("anneal_temperature_K", "must not be below high_temperature_K (anneal above the range)");
      const bool snapshots = v.text("protocol") == "snapshots";
      if (!snapshots && v.real("sample_interval_ps") > v.real("averaging_ps"))
        v.fail("sample_interval_ps", "must not exceed averaging_ps");
      if (snapshots && v.given("anneal_temperature_K"))
        v.fail("anneal_temperature_K", "the snapshots protocol measures the glass as given, without an anneal");
      if (!snapshots && v.given("snapshot_samples"))
        v.fail("snapshot_samples", "used by protocol: snapshots only");
    });

    auto &m = local.section("moduli", "Local elastic moduli (Shang et al. 2018 appendix): ± strains in six directions, "
                                      "minimised; coarse-grained stress against strain per site; K and G.");
    m.input_file("initial_data_file", "Glass to measure (default: the glass of the prepare task).");
    m.real("strain_amplitude", 1.0e-4, ConfigRange::left_open(0.0, 0.01),
           "Amplitude of each ± strain (dimensionless; shear as engineering strain).");
    m.choice("strain_measure", "local", {"local", "imposed"},
             "Strain of the fit: local (of the coarse-grained displacement, non-affine relaxation included) "
             "or imposed (the box strain).");
    m.boolean("relax_box", true, "Relax the box to atomistic.pressure_GPa before straining.");
    m.real("force_tolerance_eV_per_A", 1.0e-6, ConfigRange::positive(),
           "Minimisation stops when the force norm falls below this (energy tolerance 0).");
    return local;
  }

  void check_local_tasks(const core::ConfigValues &atomistic)
  {
    const auto tasks = atomistic.text_list("tasks");
    const auto local = atomistic.section("local");
    for (const auto &[task, section] : std::vector<std::pair<std::string, std::string>>{
           {"local_expansion", "expansion"}, {"local_moduli", "moduli"}})
      if (std::find(tasks.begin(), tasks.end(), task) != tasks.end() &&
          std::find(tasks.begin(), tasks.end(), "prepare") == tasks.end() &&
          !local.section(section).has("initial_data_file"))
        local.section(section).fail("initial_data_file",
                                    "the " + task + " task needs the prepare task or an initial_data_file");
  }

  std::string sigma_cg_tag(const double sigma_cg_A) { return fmt::format("{:g}A", sigma_cg_A); }

  CoarseGrainingSettings read_coarse_graining_settings(const core::ConfigValues &local)
  {
    const auto cg = local.section("coarse_graining");
    CoarseGrainingSettings s;
    s.sigma_cg_A = cg.real_list("sigma_cg_A");
    s.truncation_sigmas = cg.real("truncation_sigmas");
    s.sites_per_edge = static_cast<int>(cg.integer("sites_per_edge"));
    if (cg.has("site_spacing_A"))
      s.site_spacing_A = cg.real("site_spacing_A");
    if (cg.has("site_file"))
      {
        s.site_file = cg.input_file("site_file").string();
        try
          {
            const auto table = core::CsvTable::read(s.site_file);
            const auto &x = table.column("x_nm"), &y = table.column("y_nm"), &z = table.column("z_nm");
            for (std::size_t i = 0; i < x.size(); ++i)
              s.site_list_nm.push_back({x[i], y[i], z[i]});
          }
        catch (const std::runtime_error &e)
          {
            cg.fail("site_file", e.what());
          }
      }
    return s;
  }

  std::vector<md::Vector3> CoarseGrainingSettings::site_points(const md::PeriodicBox &box,
                                                                const md::UnitSystem &units) const
  {
    if (!site_list_nm.empty())
      {
        std::vector<md::Vector3> points;
        for (const auto &p : site_list_nm)
          points.push_back({units.length_native(p[0]), units.length_native(p[1]), units.length_native(p[2])});
        return points;
      }
    if (site_spacing_A)
      return md::regular_site_grid(box, md::sites_per_edge_for_spacing(box, units.length_native(*site_spacing_A * 0.1)));
    return md::regular_site_grid(box, {sites_per_edge, sites_per_edge, sites_per_edge});
  }

  std::vector<double> CoarseGrainingSettings::sigma_cg_native(const md::UnitSystem &units) const
  {
    std::vector<double> native;
    for (const double s : sigma_cg_A)
      native.push_back(units.length_native(s / 10.0));
    return native;
  }
  namespace
  {
    std::string expansion_file(const double sigma_cg_A)
    {
      return "local_expansion/alpha_sigma_cg_" + sigma_cg_tag(sigma_cg_A) + ".csv";
    }
    std::string moduli_file(const double sigma_cg_A)
    {
      return "local_moduli/moduli_sigma_cg_" + sigma_cg_tag(sigma_cg_A) + ".csv";
    }
    std::string yield_file(const double sigma_cg_A)
    {
      return "local_yield/yield_stress_sigma_cg_" + sigma_cg_tag(sigma_cg_A) + ".csv";
    }

    /// Progress of a measurement fed with the fraction done.
    class FractionProgress
    {
    public:
      FractionProgress(const std::string &label, std::size_t steps) : reporter_(label, steps), total_(steps) {}
      void operator()(const double fraction)
      {
        const auto target = static_cast<std::size_t>(std::floor(std::min(1.0, fraction) * static_cast<double>(total_)));
        if (target > done_)
          reporter_.advance(target - done_), done_ = target;
      }

    private:
      core::ProgressReporter reporter_;
      std::size_t total_, done_ = 0;
    };

    /// gnuplot histograms of one column of several per-width CSV files (frequency per bin).
    std::string histogram_script(const std::vector<std::string> &files, const std::vector<double> &sigmas_A,
                                 const int column, double low, double high, const std::string &xlabel)
    {
      if (!(high > low))
        high = low + 1.0;
      const double width = (high - low) / 30.0;
      std::string plot = fmt::format("set datafile separator ','\nset xlabel '{}'\nset ylabel 'sites'\nset grid\n"
                                     "set style fill transparent solid 0.35 noborder\nw = {:.10g}\n"
                                     "bin(x) = w * floor(x / w) + w / 2\nplot ",
                                     xlabel, width);
      for (std::size_t k = 0; k < files.size(); ++k)
        plot += fmt::format("{}'{}' using (bin(${})):(1.0) every ::1 smooth freq with boxes title 'σ_{{cg}} = {:g} Å'",
                            k == 0 ? "" : ", ", files[k], column, sigmas_A[k]);
      return plot + "\n";
    }

    std::vector<double> site_coordinates_nm(const md::Vector3 &site, const md::UnitSystem &u)
    {
      return {site[0] * u.nm_per_length(), site[1] * u.nm_per_length(), site[2] * u.nm_per_length()};
    }
  } // namespace

  void run_local_expansion(RunContext &context, md::MdSystem &system, const StartState &start_state)
  {
    auto &log = core::Log::instance();
    const auto &dir = context.directory;
    const auto local = context.config.section("atomistic").section("local");
    const auto e = local.section("expansion");
    if (context.resume && fs::exists(dir.file("local_expansion.yaml")))
      {
        log.info("local_expansion: done in the interrupted run, kept");
        return;
      }
    const auto settings = read_coarse_graining_settings(local);
    const auto &units = system.potential().units;
    md::LocalExpansionProtocol p;
    const bool snapshots = e.text("protocol") == "snapshots";
    p.mode = snapshots ? md::LocalExpansionMode::snapshots : md::LocalExpansionMode::time_averaged;
    p.snapshot_samples = static_cast<int>(e.integer("snapshot_samples"));
    p.low_temperature_K = e.real("low_temperature_K");
    p.high_temperature_K = e.real("high_temperature_K");
    if (e.has("anneal_temperature_K"))
      p.anneal_temperature_K = e.real("anneal_temperature_K");
    p.anneal_time_ps = e.real("anneal_time_ps");
    p.ramp_ps = e.real("ramp_ps");
    p.equilibration_ps = e.real("equilibration_ps");
    p.averaging_ps = e.real("averaging_ps");
    p.sample_interval_ps = e.real("sample_interval_ps");
    p.closure_tolerance = e.real("closure_tolerance");
    p.sigma_cg_native = settings.sigma_cg_native(units);
    p.truncation_sigmas = settings.truncation_sigmas;

    start_state(e);
    md::LocalExpansionResult r;
    {
      const auto timer = context.timers.scope("md: local expansion");
      FractionProgress progress("local expansion (ps of MD)",
                                static_cast<std::size_t>(std::max(1.0, std::ceil(md::local_expansion_duration_ps(p)))));
      r = md::measure_local_thermal_expansion(
        system, p, [&](const md::PeriodicBox &box) { return settings.site_points(box, units); }, std::ref(progress));
    }

    const auto measure_timer = context.timers.scope("measure: local expansion output");
    core::CsvWriter variance({"sigma_cg_A", "sigma_cg_nm", "sites", "mean_atoms_in_kernel", "mean_alpha_per_K",
                              "std_alpha_per_K", "variance_alpha_per_K2", "noise_rms_per_K",
                              "macroscopic_alpha_per_K"});
    double low = 1e300, high = -1e300;
    std::vector<std::string> files;
    std::vector<double> mean_atoms;
    for (std::size_t k = 0; k < r.widths.size(); ++k)
      {
        const auto &w = r.widths[k];
        core::CsvWriter csv({"site", "x_nm", "y_nm", "z_nm", "alpha_per_K", "alpha_small_strain_per_K",
                             snapshots ? "alpha_repeat_per_K" : "alpha_heating_per_K", "atoms_in_kernel"});
        double atoms = 0.0;
        for (std::size_t i = 0; i < r.sites.size(); ++i)
          {
            auto row = site_coordinates_nm(r.sites[i], units);
            row.insert(row.begin(), static_cast<double>(i));
            row.insert(row.end(), {w.alpha_per_K[i], w.alpha_small_strain_per_K[i], w.alpha_heating_per_K[i],
                                   static_cast<double>(w.atoms_in_kernel[i])});
            csv.add_row(row);
            atoms += w.atoms_in_kernel[i] / static_cast<double>(r.sites.size());
            low = std::min(low, w.alpha_per_K[i]), high = std::max(high, w.alpha_per_K[i]);
          }
        files.push_back(expansion_file(settings.sigma_cg_A[k]));
        dir.write(files.back(), csv.text());
        mean_atoms.push_back(atoms);
      }
    // Var(α) against σ_cg in increasing σ_cg. The heating pair repeats the measurement: half the
    // variance over sites of the difference of the two is the variance of one site's noise
    // (the uniform part of the difference is the loop closure, reported apart).
    std::vector<std::size_t> order(r.widths.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return settings.sigma_cg_A[a] < settings.sigma_cg_A[b]; });
    for (const std::size_t k : order)
      {
        const auto &w = r.widths[k];
        const double sigma_cg_nm = std::stod(fmt::format("{:g}", settings.sigma_cg_A[k] / 10.0));
        variance.add_row({settings.sigma_cg_A[k], sigma_cg_nm, static_cast<double>(r.sites.size()), mean_atoms[k],
                          w.mean_per_K, w.standard_deviation_per_K,
                          w.standard_deviation_per_K * w.standard_deviation_per_K,
                          w.heating_difference_std_per_K / std::sqrt(2.0), r.macroscopic_alpha_per_K});
      }
    dir.write("local_expansion/variance.csv", variance.text());

    YAML::Emitter y;
    y << YAML::BeginMap;
    y << YAML::Key << "protocol" << YAML::Value << e.text("protocol");
    y << YAML::Key << "measured_on" << YAML::Value
      << (snapshots ? "heating T1 → T2 of the glass as given (no anneal), instantaneous configurations; reference "
                      "state T1; repeated on the same glass (second T2 state, then a second T1 state)"
                    : "cooling T2 → T1 after an anneal; reference state T1");
    y << YAML::Key << "low_temperature_K" << YAML::Value << p.low_temperature_K;
    y << YAML::Key << "high_temperature_K" << YAML::Value << p.high_temperature_K;
    y << YAML::Key << "mean_temperatures_K" << YAML::Value << YAML::Flow << YAML::BeginSeq
      << r.cold.mean_temperature_K << r.hot.mean_temperature_K << r.hot_after.mean_temperature_K << YAML::EndSeq;
    if (snapshots)
      {
        y << YAML::Key << "anneal" << YAML::Value << "none";
        y << YAML::Key << "snapshot_samples" << YAML::Value << p.snapshot_samples;
      }
    else
      {
        y << YAML::Key << "anneal" << YAML::Value
          << fmt::format("{} K for {} ps", p.anneal_temperature_K.value_or(p.high_temperature_K), p.anneal_time_ps);
        y << YAML::Key << "averaging_ps" << YAML::Value << p.averaging_ps;
      }
    y << YAML::Key << "samples_per_average" << YAML::Value << r.cold.samples;
    y << YAML::Key << "macroscopic_alpha_per_K" << YAML::Value << r.macroscopic_alpha_per_K;
    y << YAML::Key << "macroscopic_alpha_linear_per_K" << YAML::Value << r.macroscopic_alpha_per_K / 3.0;
    y << YAML::Key << "reversibility_check" << YAML::Value << YAML::BeginMap;
    y << YAML::Key << "macroscopic_alpha_heating_per_K" << YAML::Value << r.macroscopic_alpha_heating_per_K;
    y << YAML::Key << "loop_closure_relative_volume" << YAML::Value << r.loop_closure_relative;
    y << YAML::Key << "closure_tolerance" << YAML::Value << p.closure_tolerance;
    y << YAML::Key << "loop_closed" << YAML::Value << r.loop_closed << YAML::EndMap;
    y << YAML::Key << "sites" << YAML::Value << r.sites.size();
    y << YAML::Key << "regular_grid" << YAML::Value << settings.regular_grid();
    y << YAML::Key << "truncation_sigmas" << YAML::Value << settings.truncation_sigmas;
    y << YAML::Key << "widths" << YAML::Value << YAML::BeginSeq;
    for (std::size_t k = 0; k < r.widths.size(); ++k)
      {
        const auto &w = r.widths[k];
        y << YAML::BeginMap << YAML::Key << "sigma_cg_A" << YAML::Value << settings.sigma_cg_A[k];
        y << YAML::Key << "mean_alpha_per_K" << YAML::Value << w.mean_per_K;
        y << YAML::Key << "std_alpha_per_K" << YAML::Value << w.standard_deviation_per_K;
        y << YAML::Key << "noise_rms_per_K" << YAML::Value << w.heating_difference_std_per_K / std::sqrt(2.0);
        y << YAML::Key << "repeat_difference_std_per_K" << YAML::Value << w.heating_difference_std_per_K;
        y << YAML::Key << "repeat_correlation" << YAML::Value << w.repeat_correlation;
        y << YAML::Key << "table" << YAML::Value << files[k] << YAML::EndMap;
      }
    y << YAML::EndSeq << YAML::EndMap;
    dir.write("local_expansion.yaml", std::string(y.c_str()) + "\n");

    if (core::is_output_rank())
      {
        core::render_png_plot(dir, "local_alpha_variance",
                              "set datafile separator ','\nset logscale xy\nset xlabel 'σ_{cg} (Å)'\n"
                              "set ylabel 'Var(α) (1/K^2)'\nset grid\nset key top right\n"
                              "plot 'local_expansion/variance.csv' using 1:7 every ::1 with linespoints pt 7 "
                              "title 'Var(α) over sites', '' using 1:($8**2) every ::1 with linespoints pt 5 dt 2 "
                              "title 'noise (heating repeat)'\n");
        core::render_png_plot(dir, "local_alpha_histogram",
                              histogram_script(files, settings.sigma_cg_A, 5, low, high, "α (1/K, volumetric)"));
      }
    std::string summary = fmt::format(
      "local_expansion: α between {:.4g} K and {:.4g} K at {} sites; macroscopic α = {:.4g} 1/K ({} {:.4g}), "
      "heat–cool loop {} (|ΔV|/V = {:.2g}, tolerance {:.2g})",
      p.low_temperature_K, p.high_temperature_K, r.sites.size(), r.macroscopic_alpha_per_K,
      snapshots ? "repeat" : "heating",
      r.macroscopic_alpha_heating_per_K, r.loop_closed ? "closes" : "DOES NOT close", r.loop_closure_relative,
      p.closure_tolerance);
    for (std::size_t k = 0; k < r.widths.size(); ++k)
      summary += fmt::format("\n  σ_cg = {:g} Å: mean α = {:.4g} 1/K, std {:.3g} 1/K (noise {:.2g}; the repeat "
                             "correlates at {:.2f})",
                             settings.sigma_cg_A[k], r.widths[k].mean_per_K, r.widths[k].standard_deviation_per_K,
                             r.widths[k].heating_difference_std_per_K / std::sqrt(2.0), r.widths[k].repeat_correlation);
    for (std::size_t k = 0; k < r.widths.size(); ++k)
      if (r.widths[k].heating_difference_std_per_K / std::sqrt(2.0) > 0.5 * r.widths[k].standard_deviation_per_K)
        log.warning(fmt::format("local_expansion: at σ_cg = {:g} Å the repeat noise of α ({:.2g} 1/K) is more than "
                                "half its spread over sites ({:.2g} 1/K): {}",
                                settings.sigma_cg_A[k], r.widths[k].heating_difference_std_per_K / std::sqrt(2.0),
                                r.widths[k].standard_deviation_per_K,
                                snapshots ? "the spread of single-configuration α is mostly vibration (protocol "
                                            "time_averaged, or snapshot_samples, averages it out)"
                                          : "average longer (averaging_ps) or widen σ_cg"));
    if (!r.loop_closed)
      log.warning(snapshots ? "local_expansion: the two T1 states differ in volume beyond closure_tolerance: the "
                              "glass relaxed during the measurement (it is not annealed in this protocol)"
                            : "local_expansion: the two T2 states differ in volume beyond closure_tolerance: the "
                              "glass still relaxes in the range; anneal longer or higher");
    log.info(summary);
  }

  void run_local_moduli(RunContext &context, md::MdSystem &system, const StartState &start_state)
  {
    auto &log = core::Log::instance();
    const auto &dir = context.directory;
    const auto local = context.config.section("atomistic").section("local");
    const auto m = local.section("moduli");
    if (context.resume && fs::exists(dir.file("local_moduli.yaml")))
      {
        log.info("local_moduli: done in the interrupted run, kept");
        return;
      }
    const auto settings = read_coarse_graining_settings(local);
    const auto &units = system.potential().units;
    md::LocalModuliProtocol p;
    p.strain_amplitude = m.real("strain_amplitude");
    p.local_strain = m.text("strain_measure") == "local";
    p.relax_box = m.boolean("relax_box");
    // eV/Å → native force (energy / length).
    p.force_tolerance_native = m.real("force_tolerance_eV_per_A") * (10.0 * units.nm_per_length()) / units.eV_per_energy();
    p.sigma_cg_native = settings.sigma_cg_native(units);
    p.truncation_sigmas = settings.truncation_sigmas;

    start_state(m);
    md::LocalModuliResult r;
    {
      const auto timer = context.timers.scope("md: local moduli");
      FractionProgress progress("local moduli (minimisations)", 14);
      r = md::measure_local_elastic_moduli(
        system, p, [&](const md::PeriodicBox &box) { return settings.site_points(box, units); }, std::ref(progress));
    }
    const double gpa = units.GPa_per_pressure();
    std::vector<std::string> columns{"site", "x_nm", "y_nm", "z_nm", "bulk_modulus_GPa", "shear_modulus_GPa"};
    for (int a = 0; a < 6; ++a)
      for (int b = a; b < 6; ++b)
        columns.push_back(fmt::format("c{}{}_GPa", a + 1, b + 1));
    std::vector<std::string> files;
    std::array<double, 2> low{1e300, 1e300}, high{-1e300, -1e300};  // K, G
    for (std::size_t k = 0; k < r.widths.size(); ++k)
      {
        const auto &w = r.widths[k];
        core::CsvWriter csv(columns);
        for (std::size_t i = 0; i < r.sites.size(); ++i)
          {
            auto row = site_coordinates_nm(r.sites[i], units);
            row.insert(row.begin(), static_cast<double>(i));
            row.insert(row.end(), {w.moduli[i].bulk * gpa, w.moduli[i].shear * gpa});
            for (int a = 0; a < 6; ++a)
              for (int b = a; b < 6; ++b)
                row.push_back(0.5 * (w.stiffness[i][a][b] + w.stiffness[i][b][a]) * gpa);
            csv.add_row(row);
            low[0] = std::min(low[0], w.moduli[i].bulk * gpa), high[0] = std::max(high[0], w.moduli[i].bulk * gpa);
            low[1] = std::min(low[1], w.moduli[i].shear * gpa), high[1] = std::max(high[1], w.moduli[i].shear * gpa);
          }
        files.push_back(moduli_file(settings.sigma_cg_A[k]));
        dir.write(files.back(), csv.text());
      }

    YAML::Emitter y;
    y << YAML::BeginMap;
    y << YAML::Key << "strain_amplitude" << YAML::Value << p.strain_amplitude;
    y << YAML::Key << "strain_measure" << YAML::Value << (p.local_strain ? "local" : "imposed");
    y << YAML::Key << "reference_energy_eV_per_atom" << YAML::Value << r.reference_energy_eV_per_atom;
    y << YAML::Key << "reference_box_stress_GPa" << YAML::Value << YAML::Flow << YAML::BeginSeq;
    for (const double s : r.reference_box_stress)
      y << s * gpa;
    y << YAML::EndSeq;
    y << YAML::Key << "box_stiffness_GPa" << YAML::Value << YAML::BeginSeq;
    for (int a = 0; a < 6; ++a)
      {
        y << YAML::Flow << YAML::BeginSeq;
        for (int b = 0; b < 6; ++b)
          y << r.box_stiffness[a][b] * gpa;
        y << YAML::EndSeq;
      }
    y << YAML::EndSeq;
    y << YAML::Key << "box_bulk_modulus_GPa" << YAML::Value << r.box_moduli.bulk * gpa;
    y << YAML::Key << "box_shear_modulus_GPa" << YAML::Value << r.box_moduli.shear * gpa;
    y << YAML::Key << "minimisations" << YAML::Value << r.minimisations;
    y << YAML::Key << "sites" << YAML::Value << r.sites.size();
    y << YAML::Key << "widths" << YAML::Value << YAML::BeginSeq;
    std::string summary = fmt::format("local_moduli: whole box K = {:.4g} GPa, G = {:.4g} GPa ({} minimisations, "
                                      "{} sites)",
                                      r.box_moduli.bulk * gpa, r.box_moduli.shear * gpa, r.minimisations,
                                      r.sites.size());
    for (std::size_t k = 0; k < r.widths.size(); ++k)
      {
        const auto &w = r.widths[k];
        std::size_t soft = 0;
        for (const auto &x : w.moduli)
          soft += (x.bulk <= 0.0 || x.shear <= 0.0) ? 1 : 0;
        y << YAML::BeginMap << YAML::Key << "sigma_cg_A" << YAML::Value << settings.sigma_cg_A[k];
        y << YAML::Key << "mean_bulk_modulus_GPa" << YAML::Value << w.mean.bulk * gpa;
        y << YAML::Key << "std_bulk_modulus_GPa" << YAML::Value << w.standard_deviation.bulk * gpa;
        y << YAML::Key << "mean_shear_modulus_GPa" << YAML::Value << w.mean.shear * gpa;
        y << YAML::Key << "std_shear_modulus_GPa" << YAML::Value << w.standard_deviation.shear * gpa;
        y << YAML::Key << "sites_with_non_positive_modulus" << YAML::Value << soft;
        y << YAML::Key << "table" << YAML::Value << files[k] << YAML::EndMap;
        summary += fmt::format("\n  σ_cg = {:g} Å: K = {:.4g} ± {:.3g} GPa, G = {:.4g} ± {:.3g} GPa", settings.sigma_cg_A[k],
                               w.mean.bulk * gpa, w.standard_deviation.bulk * gpa, w.mean.shear * gpa,
                               w.standard_deviation.shear * gpa);
        if (soft > 0)
          log.warning(fmt::format("local_moduli: {} site(s) at σ_cg = {:g} Å have K ≤ 0 or G ≤ 0 (the calibration "
                                  "fits positive moduli only; use a wider σ_cg)",
                                  soft, settings.sigma_cg_A[k]));
      }
    y << YAML::EndSeq << YAML::EndMap;
    dir.write("local_moduli.yaml", std::string(y.c_str()) + "\n");
    if (core::is_output_rank())
      {
        core::render_png_plot(dir, "local_bulk_modulus_histogram",
                              histogram_script(files, settings.sigma_cg_A, 5, low[0], high[0], "local K (GPa)"));
        core::render_png_plot(dir, "local_shear_modulus_histogram",
                              histogram_script(files, settings.sigma_cg_A, 6, low[1], high[1], "local G (GPa)"));
      }
    log.info(summary);
  }

  void write_local_calibration_config(const core::RunDirectory &dir, const CoarseGrainingSettings &settings)
  {
    std::string text = "# cryocycle calibrate — the per-site tables of this atomistic run, one entry per\n"
                       "# coarse-graining width (written by the atomistic stage):\n"
                       "#   cryocycle calibrate calibrate_local.yaml --output-dir calibration\n"
                       "# The Fourier thermal stress of a regular α grid needs K and G: from moduli_csv, or give\n"
                       "# calibrate.bulk_modulus_GPa and calibrate.shear_modulus_GPa.\n"
                       "calibrate:\n  coarse_grainings:\n";
    bool any = false;
    for (const double s : settings.sigma_cg_A)
      {
        std::string entry;
        for (const auto &[key, file] : std::vector<std::pair<std::string, std::string>>{
               {"thermal_expansion_csv", expansion_file(s)}, {"moduli_csv", moduli_file(s)},
               {"yield_stress_csv", yield_file(s)}})
          if (fs::exists(dir.file(file)))
            entry += fmt::format("      {}: {}\n", key, file);
        if (entry.empty())
          continue;
        text += fmt::format("    - sigma_cg_nm: {:g}\n", s / 10.0) + entry;
        any = true;
      }
    if (any)
      dir.write("calibrate_local.yaml", text);
  }
} // namespace cryocycle::coupling
