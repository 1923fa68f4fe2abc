#include "coupling/stages/atomistic/local_yield_outputs.h"

#include "atomistic/coarse_graining.h"
#include "core/csv_table.h"
#include "core/gnuplot_plot.h"
#include "core/log.h"
#include "core/progress.h"
#include "coupling/stages/atomistic/local_measurements.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace cryocycle::coupling
{
  namespace md = cryocycle::atomistic;
  namespace fs = std::filesystem;
  using core::ConfigRange;

  void declare_local_yield(core::ConfigSection &local)
  {
    auto &y = local.section(
      "yield_stress",
      "Frozen-matrix local yield stress (Shang et al. 2018 §IV, after Patinet et al.): a sphere of radius "
      "r_c = radius_per_sigma_cg · σ_cg relaxed inside affinely strained, frozen surroundings; σ_y = von Mises "
      "stress just before the first drop, minimum over the loading modes.");
    y.input_file("initial_data_file", "Glass to measure (default: the glass of the prepare task).");
    y.boolean("relax_box", true,
              "Minimise with the box relaxed to atomistic.pressure_GPa first (the inherent structure); false: "
              "at fixed box.");
    y.real_list("sigma_cg_A", {}, ConfigRange::closed(0.5, 100.0),
                "Widths to measure (default: every coarse_graining.sigma_cg_A); r_c follows from each.");
    y.real("radius_per_sigma_cg", 2.0, ConfigRange::closed(0.5, 10.0),
           "r_c / σ_cg: Shang et al. (2018) matches the second moments of the sphere and the Gaussian with r_c ≈ 2σ_cg "
           "(r_c = 10 Å at σ_cg = 5 Å).");
    y.choice("sites", "grid", {"grid", "random"},
             "grid: the sites of coarse_graining (its grid or site_file); random: random_sites uniform random "
             "points (from the run's seed).");
    y.integer("random_sites", 64, ConfigRange::closed(1, 1e7), "Number of random sites.");
    y.boolean("simple_shears", true, "Load along the six simple shears +xy, -xy, +xz, -xz, +yz, -yz.");
    auto &extra = y.section_list("extra_modes", "Further loading directions, each a symmetric strain direction.");
    extra.identifier("name", "", "Name of the mode (in the tables and local_yield.yaml).");
    extra.real_list("strain_direction", {}, ConfigRange::any(),
                    "Strain direction: xx, yy, zz, yz, xz, xy (tensor components; scaled to unit equivalent "
                    "shear strain).",
                    6);
    extra.check([](const core::ConfigValues &v) {
      if (v.text("name").empty())
        v.fail("name", "every extra mode needs a name");
      const auto e = v.real_list("strain_direction");
      if (e.size() != 6)
        v.fail("strain_direction", fmt::format("needs 6 components (xx, yy, zz, yz, xz, xy), got {}", e.size()));
      if (std::all_of(e.begin(), e.end(), [](double c) { return c == 0.0; }))
        v.fail("strain_direction", "must not be zero");
    });
    y.real("strain_step", 2.0e-3, ConfigRange::left_open(0.0, 0.1),
           "Coarse strain step Δγ (equivalent shear strain). Drops smaller than the elastic rise over one step "
           "(tangent modulus × Δγ) stay hidden inside it.");
    y.real("max_strain", 0.2, ConfigRange::left_open(0.0, 0.45),
           "Largest strain; a mode whose stress does not fall up to it is reported as not yielded.");
    y.real("strain_precision", 1.0e-5, ConfigRange::left_open(0.0, 0.1),
           "Width to which the step holding a drop is bisected (precision of the strain at yield).");
    y.real("drop_tolerance_GPa", 0.01, ConfigRange::positive(),
           "A fall of the resolved stress larger than this is a drop (smaller ones are noise or micro-events).");
    y.real("force_tolerance_eV_per_A", 1.0e-5, ConfigRange::positive(),
           "Minimiser stop: 2-norm of the forces on the relaxed atoms.");
    y.real("kick_amplitude_A", 3.0e-4, ConfigRange::non_negative(),
           "Random displacement of the relaxed atoms before each minimisation, so a symmetric (crystalline) "
           "sphere leaves an unstable branch; 0: none.");
    y.optional_real("shell_thickness_A", ConfigRange::non_negative(),
                    "Frozen shell around the sphere in a carved cluster (default: the potential's cut-off, twice it "
                    "for many-body potentials such as eam/fs).");
    y.boolean("carve", true,
              "Carve sphere + shell clusters and minimise many sites together (fast); false: one site at a time "
              "in the whole periodic box (the plain method).");
    y.integer("sites_per_batch", 1, ConfigRange::closed(1, 100000),
              "Sites minimised together when carving. relaxer lammps: they share the minimiser's line searches, "
              "so a batch runs as long as its slowest cluster (1 is fastest for clusters of several hundred "
              "atoms); in-house (frozen_density): each is relaxed alone and a batch is shared among the MPI "
              "ranks (use a multiple of the rank count).");
    y.boolean("exclude_frozen_pairs", true,
              "Leave out of the neighbour lists the pairs whose forces never reach a relaxed atom (no effect on "
              "results): pair potentials, every pair of frozen atoms; many-body (eam/fs), pairs of atoms both "
              "beyond r_c + cut-off (stretched for the largest strain) from the site. false: the plain method.");
    y.choice("relaxer", "auto", {"auto", "lammps", "frozen_density"},
             "Who minimises a carved cluster: frozen_density (in-house; the frozen atoms' embedding densities "
             "stored once per minimisation, so only pairs with a relaxed atom are evaluated; eam/fs and "
             "eam/alloy potentials, carve: true), lammps (LAMMPS conjugate gradients on the whole cluster), "
             "or auto (frozen_density where it applies, else lammps).");
    y.boolean("write_curves", false, "Write every minimisation's stresses (the stress–strain curves).");
    y.check([](const core::ConfigValues &v) {
      if (v.real("strain_precision") > v.real("strain_step"))
        v.fail("strain_precision", "must not exceed strain_step");
      if (v.real("strain_step") > v.real("max_strain"))
        v.fail("strain_step", "must not exceed max_strain");
      if (v.text("relaxer") == "frozen_density" && !v.boolean("carve"))
        v.fail("relaxer", "frozen_density relaxes carved clusters only: set carve: true or relaxer: lammps");
      if (!v.boolean("simple_shears") && v.section_list("extra_modes").empty())
        v.fail("simple_shears", "no loading mode: enable simple_shears or give extra_modes");
    });
  }

  void check_local_yield(const core::ConfigValues &atomistic)
  {
    const auto tasks = atomistic.text_list("tasks");
    const auto y = atomistic.section("local").section("yield_stress");
    if (std::find(tasks.begin(), tasks.end(), "local_yield") != tasks.end() &&
        std::find(tasks.begin(), tasks.end(), "prepare") == tasks.end() && !y.has("initial_data_file"))
      y.fail("initial_data_file", "the local_yield task needs the prepare task or an initial_data_file");
    // Widths named here must be among the coarse-graining widths (their sites and tag).
    const auto widths = atomistic.section("local").section("coarse_graining").real_list("sigma_cg_A");
    for (const double s : y.real_list("sigma_cg_A"))
      if (std::find(widths.begin(), widths.end(), s) == widths.end())
        y.fail("sigma_cg_A", fmt::format("{} Å is not one of coarse_graining.sigma_cg_A", s));
  }

  void prepare_local_yield(const core::ConfigValues &atomistic, const md::PotentialModel &potential)
  {
    const auto y = atomistic.section("local").section("yield_stress");
    const auto tasks = atomistic.text_list("tasks");
    if (std::find(tasks.begin(), tasks.end(), "local_yield") == tasks.end())
      return;
    const auto style = md::pair_command_words(potential).style;
    if (y.text("relaxer") == "frozen_density" &&
        (style.size() < 2 || (style[1] != "eam/fs" && style[1] != "eam/alloy")))
      y.fail("relaxer", "frozen_density needs an eam/fs or eam/alloy potential (potential '" + potential.name +
                          "' is not one): use relaxer: lammps or auto");
    if (y.has("shell_thickness_A"))
      return;
    try
      {
        md::interaction_range(potential);
      }
    catch (const std::invalid_argument &e)
      {
        y.fail("shell_thickness_A", e.what());
      }
  }

  md::FrozenMatrixSettings frozen_matrix_settings(const core::ConfigValues &y, const md::PotentialModel &potential,
                                                  const double inner_radius_native, const std::uint64_t seed)
  {
    const auto &u = potential.units;
    const double native_per_A = u.length_native(0.1);
    md::FrozenMatrixSettings s;
    s.inner_radius = inner_radius_native;
    if (y.has("shell_thickness_A"))
      s.shell_thickness = y.real("shell_thickness_A") * native_per_A;
    s.modes.clear();
    if (y.boolean("simple_shears"))
      s.modes = md::simple_shear_modes();
    for (const auto &m : y.section_list("extra_modes"))
      {
        const auto e = m.real_list("strain_direction");
        s.modes.push_back(md::loading_mode_from_strain_direction(m.text("name"), {e[0], e[1], e[2], e[3], e[4], e[5]}));
      }
    s.search.strain_step = y.real("strain_step");
    s.search.max_strain = y.real("max_strain");
    s.search.strain_precision = y.real("strain_precision");
    s.search.drop_tolerance = u.pressure_native(y.real("drop_tolerance_GPa"));
    // eV/Å → native force (energy / length).
    s.force_tolerance = y.real("force_tolerance_eV_per_A") / u.eV_per_energy() / native_per_A;
    s.kick_amplitude = y.real("kick_amplitude_A") * native_per_A;
    s.carve = y.boolean("carve");
    s.sites_per_batch = static_cast<std::size_t>(y.integer("sites_per_batch"));
    s.exclude_frozen_pairs = y.boolean("exclude_frozen_pairs");
    const auto relaxer = y.text("relaxer");
    s.relaxer = relaxer == "lammps"           ? md::ClusterRelaxer::lammps
                : relaxer == "frozen_density" ? md::ClusterRelaxer::frozen_density
                                              : md::ClusterRelaxer::automatic;
    s.seed = seed;
    return s;
  }

  std::string local_yield_file(const double sigma_cg_A)
  {
    return "local_yield/yield_stress_sigma_cg_" + sigma_cg_tag(sigma_cg_A) + ".csv";
  }

  namespace
  {
    double quantile(std::vector<double> v, const double q)
    {
      if (v.empty())
        return 0.0;
      std::sort(v.begin(), v.end());
      const double h = q * static_cast<double>(v.size() - 1);
      const auto lo = static_cast<std::size_t>(std::floor(h));
      const std::size_t hi = std::min(lo + 1, v.size() - 1);
      return v[lo] + (h - static_cast<double>(lo)) * (v[hi] - v[lo]);
    }

    int kind_code(const md::YieldKind kind)
    {
      return kind == md::YieldKind::drop ? 1 : kind == md::YieldKind::peak ? 2 : 0;
    }
  } // namespace

  void write_local_yield_outputs(const core::RunDirectory &dir, const md::PotentialModel &potential,
                                 const md::FrozenMatrixSettings &settings, const std::vector<LocalYieldWidth> &widths,
                                 const std::vector<std::string> &skipped)
  {
    const auto &u = potential.units;
    const double gpa = u.GPa_per_pressure(), nm = u.nm_per_length();
    const bool reduced = u.reduced();

    YAML::Emitter y;
    y << YAML::BeginMap;
    y << YAML::Key << "method" << YAML::Value
      << "frozen matrix (Patinet et al.): sphere relaxed, surroundings affine and frozen; σ_y = von Mises stress "
         "just before the first drop (or at a smooth maximum), minimum over the modes";
    y << YAML::Key << "way" << YAML::Value << (settings.carve ? "carved clusters, batched" : "whole box, one site at a time");
    y << YAML::Key << "strain_step" << YAML::Value << settings.search.strain_step;
    y << YAML::Key << "max_strain" << YAML::Value << settings.search.max_strain;
    y << YAML::Key << "strain_precision" << YAML::Value << settings.search.strain_precision;
    y << YAML::Key << "drop_tolerance_GPa" << YAML::Value << settings.search.drop_tolerance * gpa;
    y << YAML::Key << "kind_codes" << YAML::Value << "0: not yielded, 1: drop, 2: smooth peak";
    y << YAML::Key << "modes" << YAML::Value << YAML::BeginSeq;
    for (std::size_t m = 0; m < settings.modes.size(); ++m)
      {
        const auto &mode = settings.modes[m];
        y << YAML::BeginMap << YAML::Key << "index" << YAML::Value << m << YAML::Key << "name" << YAML::Value
          << mode.name;
        y << YAML::Key << "strain_direction_xx_yy_zz_yz_xz_xy" << YAML::Value << YAML::Flow << YAML::BeginSeq;
        for (const double c : mode.strain_direction)
          y << c;
        y << YAML::EndSeq;
        y << YAML::Key << "displacement_gradient" << YAML::Value << YAML::Flow << YAML::BeginSeq;
        for (const auto &row : mode.displacement_gradient)
          {
            y << YAML::Flow << YAML::BeginSeq;
            for (const double c : row)
              y << c;
            y << YAML::EndSeq;
          }
        y << YAML::EndSeq << YAML::EndMap;
      }
    y << YAML::EndSeq;

    std::vector<std::string> files;
    std::vector<double> radii_A;
    double low = 1e300, high = -1e300;
    y << YAML::Key << "widths" << YAML::Value << YAML::BeginSeq;
    for (const auto &w : widths)
      {
        const std::string tag = sigma_cg_tag(w.sigma_cg_A);
        std::vector<std::string> site_columns{"site", "x_nm", "y_nm", "z_nm", "yield_stress_GPa", "weakest_mode",
                                              "yield_kind", "yield_strain", "resolved_stress_GPa",
                                              "resolved_drop_GPa", "von_mises_drop_GPa", "modes_yielded",
                                              "inner_atoms"};
        if (reduced)
          site_columns.push_back("yield_stress_lj");
        core::CsvWriter per_site(site_columns);
        core::CsvWriter not_yielded({"site", "x_nm", "y_nm", "z_nm", "max_von_mises_GPa", "inner_atoms"});
        core::CsvWriter per_mode({"site", "mode", "yield_kind", "strain", "von_mises_GPa", "resolved_stress_GPa",
                                  "strain_after", "resolved_after_GPa", "von_mises_after_GPa", "max_von_mises_GPa",
                                  "stress_xx_GPa", "stress_yy_GPa", "stress_zz_GPa", "stress_yz_GPa", "stress_xz_GPa",
                                  "stress_xy_GPa", "minimisations"});
        std::vector<double> yield_GPa;
        std::size_t unyielded = 0;
        for (std::size_t i = 0; i < w.sites.size(); ++i)
          {
            const auto &s = w.sites[i];
            const std::vector<double> x{s.centre[0] * nm, s.centre[1] * nm, s.centre[2] * nm};
            for (std::size_t m = 0; m < s.modes.size(); ++m)
              {
                const auto &r = s.modes[m];
                per_mode.add_row({static_cast<double>(i), static_cast<double>(m), static_cast<double>(kind_code(r.kind)),
                                  r.strain, r.von_mises * gpa, r.resolved * gpa, r.strain_after, r.resolved_after * gpa,
                                  r.von_mises_after * gpa, r.max_von_mises * gpa, r.stress[0] * gpa, r.stress[1] * gpa,
                                  r.stress[2] * gpa, r.stress[3] * gpa, r.stress[4] * gpa, r.stress[5] * gpa,
                                  static_cast<double>(r.minimisations)});
              }
            if (!s.yielded())
              {
                ++unyielded;
                double reached = 0.0;
                for (const auto &r : s.modes)
                  reached = std::max(reached, r.max_von_mises);
                not_yielded.add_row({static_cast<double>(i), x[0], x[1], x[2], reached * gpa,
                                     static_cast<double>(s.inner_atoms)});
                continue;
              }
            const std::size_t k = s.weakest_mode();
            const auto &r = s.modes[k];
            std::vector<double> row{static_cast<double>(i), x[0], x[1], x[2], r.von_mises * gpa, static_cast<double>(k),
                                    static_cast<double>(kind_code(r.kind)), r.strain, r.resolved * gpa,
                                    r.resolved_drop() * gpa, (r.von_mises - r.von_mises_after) * gpa,
                                    static_cast<double>(s.modes_yielded()), static_cast<double>(s.inner_atoms)};
            if (reduced)
              row.push_back(r.von_mises);
            per_site.add_row(row);
            yield_GPa.push_back(r.von_mises * gpa);
            low = std::min(low, r.von_mises * gpa), high = std::max(high, r.von_mises * gpa);
          }
        files.push_back(local_yield_file(w.sigma_cg_A));
        radii_A.push_back(w.inner_radius_A);
        dir.write(files.back(), per_site.text());
        dir.write("local_yield/modes_sigma_cg_" + tag + ".csv", per_mode.text());
        if (unyielded > 0)
          dir.write("local_yield/not_yielded_sigma_cg_" + tag + ".csv", not_yielded.text());

        double mean = 0.0, variance = 0.0;
        for (const double v : yield_GPa)
          mean += v / static_cast<double>(yield_GPa.size());
        for (const double v : yield_GPa)
          variance += (v - mean) * (v - mean) / std::max<double>(1.0, static_cast<double>(yield_GPa.size()) - 1.0);
        const auto &st = w.statistics;
        const double site_hours = st.wall_seconds / 3600.0;
        y << YAML::BeginMap << YAML::Key << "sigma_cg_A" << YAML::Value << w.sigma_cg_A;
        y << YAML::Key << "inner_radius_A" << YAML::Value << w.inner_radius_A;
        y << YAML::Key << "sites" << YAML::Value << w.sites.size();
        y << YAML::Key << "sites_yielded" << YAML::Value << yield_GPa.size();
        y << YAML::Key << "sites_not_yielded" << YAML::Value << unyielded;
        y << YAML::Key << "mean_yield_stress_GPa" << YAML::Value << mean;
        y << YAML::Key << "std_yield_stress_GPa" << YAML::Value << std::sqrt(variance);
        y << YAML::Key << "median_yield_stress_GPa" << YAML::Value << quantile(yield_GPa, 0.5);
        y << YAML::Key << "decile_1_yield_stress_GPa" << YAML::Value << quantile(yield_GPa, 0.1);
        y << YAML::Key << "decile_9_yield_stress_GPa" << YAML::Value << quantile(yield_GPa, 0.9);
        y << YAML::Key << "table" << YAML::Value << files.back();
        y << YAML::Key << "cost" << YAML::Value << YAML::BeginMap;
        y << YAML::Key << "wall_seconds" << YAML::Value << st.wall_seconds;
        y << YAML::Key << "sites_per_hour" << YAML::Value
          << (site_hours > 0.0 ? static_cast<double>(w.sites.size()) / site_hours : 0.0);
        y << YAML::Key << "minimisations" << YAML::Value << st.minimisations;
        y << YAML::Key << "batches" << YAML::Value << st.batches;
        y << YAML::Key << "mean_atoms_per_cluster" << YAML::Value << st.mean_cluster_atoms << YAML::EndMap;
        y << YAML::EndMap;
      }
    y << YAML::EndSeq;
    if (!skipped.empty())
      {
        y << YAML::Key << "skipped" << YAML::Value << YAML::BeginSeq;
        for (const auto &s : skipped)
          y << s;
        y << YAML::EndSeq;
      }
    y << YAML::EndMap;
    dir.write("local_yield.yaml", std::string(y.c_str()) + "\n");

    if (core::is_output_rank() && !files.empty() && high >= low)
      {
        const double bin = std::max(1e-6, (high - low) / 25.0);
        std::string plot = fmt::format("set datafile separator ','\nset xlabel 'local yield stress σ_y (GPa)'\n"
                                       "set ylabel 'sites'\nset grid\nset style fill transparent solid 0.35 noborder\n"
                                       "w = {:.10g}\nbin(x) = w * floor(x / w) + w / 2\nplot ",
                                       bin);
        for (std::size_t k = 0; k < files.size(); ++k)
          plot += fmt::format("{}'{}' using (bin($5)):(1.0) every ::1 smooth freq with boxes title 'r_c = {:g} Å'",
                              k == 0 ? "" : ", ", files[k], radii_A[k]);
        core::render_png_plot(dir, "local_yield_histogram", plot + "\n");
      }
  }

  void run_local_yield(RunContext &context, md::MdSystem &system, const LocalYieldStartState &start_state)
  {
    auto &log = core::Log::instance();
    const auto &dir = context.directory;
    const auto local = context.config.section("atomistic").section("local");
    const auto y = local.section("yield_stress");
    if (context.resume && fs::exists(dir.file("local_yield.yaml")))
      {
        log.info("local_yield: done in the interrupted run, kept");
        return;
      }
    const auto cg = read_coarse_graining_settings(local);
    const auto &potential = system.potential();
    const auto &units = potential.units;
    std::vector<double> widths_A = y.real_list("sigma_cg_A");
    if (widths_A.empty())
      widths_A = cg.sigma_cg_A;

    start_state(y);
    {
      const auto timer = context.timers.scope("md: local yield minimise");
      system.minimise(y.boolean("relax_box"));
    }
    const auto sample = md::capture_configuration(system.session());
    const auto &b = sample.box;
    const auto box = md::PeriodicBox::triclinic(b.low, b.high, b.xy, b.xz, b.yz);
    const auto sites = y.text("sites") == "random"
                         ? md::random_sites(b, static_cast<std::size_t>(y.integer("random_sites")), context.seed)
                         : cg.site_points(box, units);
    const double min_width = md::PeriodicCell(b).minimum_width();

    std::vector<LocalYieldWidth> results;
    std::vector<std::string> skipped;
    md::FrozenMatrixSettings used;
    const double A_per_native = 1.0 / units.length_native(0.1);
    for (const double sigma_A : widths_A)
      {
        const double r_c_A = y.real("radius_per_sigma_cg") * sigma_A;
        auto settings = frozen_matrix_settings(y, potential, units.length_native(r_c_A / 10.0), context.seed);
        md::FrozenMatrixYieldTest test(system.session(), potential, settings);
        const double needed_A = test.required_width() * A_per_native;
        if (needed_A > min_width * A_per_native)
          {
            skipped.push_back(fmt::format("σ_cg = {:g} Å: {} = {:.4g} Å does not fit in the box (smallest width {:.4g} Å); "
                                          "use a larger sample{}",
                                          sigma_A,
                                          settings.carve ? "a carved cluster 2 (r_c + shell)"
                                                         : "the sphere and its periodic image, 2 r_c + shell,",
                                          needed_A, min_width * A_per_native,
                                          settings.carve && test.required_width(false) <= min_width
                                            ? " or carve: false (one site at a time in the whole box)"
                                            : ""));
            log.warning("local_yield: " + skipped.back());
            continue;
          }
        LocalYieldWidth w;
        w.sigma_cg_A = sigma_A;
        w.inner_radius_A = r_c_A;
        {
          const auto timer = context.timers.scope("measure: local yield");
          core::ProgressReporter progress(fmt::format("local yield σ_cg = {:g} Å (site-modes)", sigma_A),
                                          sites.size() * settings.modes.size());
          std::size_t reported = 0;
          core::CsvWriter curves({"site", "mode", "strain", "resolved_stress_GPa", "von_mises_GPa"});
          const double gpa = units.GPa_per_pressure();
          md::FrozenMatrixYieldTest::Trace trace;
          if (y.boolean("write_curves"))
            trace = [&](std::size_t site, std::size_t mode, double strain, double resolved, double vm) {
              curves.add_row({static_cast<double>(site), static_cast<double>(mode), strain, resolved * gpa, vm * gpa});
            };
          w.sites = test.measure(
            sample, sites,
            [&](std::size_t done, std::size_t) {
              progress.advance(done - reported);
              reported = done;
            },
            trace);
          progress.finish();
          if (trace)
            dir.write("local_yield/curves_sigma_cg_" + sigma_cg_tag(sigma_A) + ".csv", curves.text());
        }
        w.statistics = test.statistics();
        used = settings;
        results.push_back(std::move(w));
      }
    if (results.empty())
      used = frozen_matrix_settings(y, potential, 1.0, context.seed);
    write_local_yield_outputs(dir, potential, used, results, skipped);

    const bool in_house = std::any_of(results.begin(), results.end(),
                                      [](const auto &w) { return w.statistics.evaluations > 0.0; });
    std::string summary = fmt::format("local_yield: {} sites, {} loading modes, {}", sites.size(), used.modes.size(),
                                      !used.carve ? "whole box, one site at a time"
                                      : in_house  ? "carved clusters in batches, relaxed in-house"
                                                  : "carved clusters in batches");
    const double gpa = units.GPa_per_pressure();
    for (const auto &w : results)
      {
        std::vector<double> values;
        for (const auto &s : w.sites)
          if (s.yielded())
            values.push_back(s.yield_stress() * gpa);
        const double mean = values.empty() ? 0.0 : std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
        summary += fmt::format("\n  σ_cg = {:g} Å (r_c = {:g} Å): {} of {} sites yielded, mean σ_y = {:.4g} GPa; "
                               "{:.3g} s, {:.3g} sites/hour",
                               w.sigma_cg_A, w.inner_radius_A, values.size(), w.sites.size(), mean,
                               w.statistics.wall_seconds,
                               w.statistics.wall_seconds > 0 ? 3600.0 * static_cast<double>(w.sites.size()) / w.statistics.wall_seconds : 0.0);
        if (values.size() < w.sites.size())
          log.warning(fmt::format("local_yield: {} site(s) at σ_cg = {:g} Å did not yield up to max_strain {:g} "
                                  "(listed in local_yield/not_yielded_sigma_cg_{}.csv, left out of the σ_y table)",
                                  w.sites.size() - values.size(), w.sigma_cg_A, used.search.max_strain,
                                  sigma_cg_tag(w.sigma_cg_A)));
        if (w.statistics.unconverged > 0)
          log.warning(fmt::format("local_yield: {} of {} minimisations at σ_cg = {:g} Å stopped above the force "
                                  "tolerance (no further progress); their stresses were used as they are",
                                  w.statistics.unconverged, w.statistics.minimisations, w.sigma_cg_A));
      }
    log.info(summary);
  }
} // namespace cryocycle::coupling
