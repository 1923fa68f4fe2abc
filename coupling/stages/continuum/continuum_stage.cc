#include "coupling/stages/continuum/continuum_stage.h"

#include "calibrate/distribution_fit.h"
#include "calibrate/distribution_registry.h"
#include "continuum/fields/material_field.h"
#include "continuum/spectral/periodic_grid.h"
#include "continuum/spectral/periodic_spectral_solver.h"
#include "continuum/fe/thermoelastic_model.h"
#include "core/log.h"
#include "coupling/stages/continuum/continuum_cycles.h"
#include "coupling/stages/continuum/continuum_report.h"
#include "coupling/stages/continuum/continuum_results.h"

#include <fmt/format.h>
#include <mpi.h>

#include <cmath>
#include <optional>

namespace cryocycle::coupling
{
  namespace
  {
    using core::ConfigRange;
    namespace fs = std::filesystem;

    /// Largest mesh the stage accepts before any work (cells); beyond it the memory of the
    /// matrix alone exceeds what a workstation has.
    constexpr double max_cells = 5.0e7;

    /// The three material properties: config key, CSV column of grid files, stream purpose.
    struct PropertyKey
    {
      const char *key;
      const char *column;
      const char *purpose;
      double default_value;
      bool positive;
    };
    const PropertyKey properties[3] = {
      {"thermal_expansion_volumetric_per_K", "alpha_per_K", "continuum:alpha", 3.0e-5, false},
      {"bulk_modulus_GPa", "bulk_modulus_GPa", "continuum:bulk_modulus", 108.92, true},
      {"shear_modulus_GPa", "shear_modulus_GPa", "continuum:shear_modulus", 26.47, true}};

    void declare_property(core::ConfigSection &materials, const PropertyKey &p, const std::string &doc,
                          const std::string &default_source, const double default_sd,
                          const double default_correlation_nm)
    {
      auto &f = materials.section(p.key, doc + " Values in the unit of the key name.");
      f.choice("source", default_source, {"constant", "grid_file", "random"},
               "constant: `value` everywhere; grid_file: CSV x_nm,y_nm,z_nm,<column> on a regular "
               "grid, interpolated trilinearly; random: correlated Gaussian random field.");
      f.real("value", p.default_value, ConfigRange::any(), "source constant: the value.");
      f.input_file("file", "source grid_file: the CSV table.");
      f.resume_may_change({"file"});  // its content is checked by the fingerprint of the site values
      f.text("column", p.column, "source grid_file: the column holding the values.");
      f.real("mean", p.default_value, ConfigRange::any(), "source random: ensemble mean.");
      f.real("standard_deviation", default_sd, ConfigRange::non_negative(),
             "source random: ensemble standard deviation.");
      f.real("correlation_length_nm", default_correlation_nm, ConfigRange::non_negative(),
             "source random: length l of the Gaussian covariance exp(−r²/2l²); 0 draws every "
             "site independently.");
      f.check([](const core::ConfigValues &v) {
        if (v.text("source") == "grid_file" && !v.has("file"))
          v.fail("file", "source grid_file needs a file");
      });
    }

    void declare(core::ConfigSection &root)
    {
      auto &s = root.section("continuum", "Finite-element thermo-elastic model of a sample.");
      s.choice("mode", "thermal_stress", {"thermal_stress", "cycles"},
               "thermal_stress: the internal stress of one temperature change (Shang et al. 2018 §III); "
               "cycles: many cryogenic cycles with shear-transformation events and relaxation.");
      declare_cycles_config(s);

      auto &g = s.section("geometry", "Sample shape and mesh.");
      g.choice("shape", "periodic_cube", {"periodic_cube", "plate", "rod", "disc"},
               "periodic_cube: representative volume with periodic boundaries; plate (ribbon), "
               "rod (cylinder along z), disc: free, traction-free surfaces.");
      g.real_list("box_size_nm", {8.0, 8.0, 8.0}, ConfigRange::positive(),
                  "Edges Lx, Ly, Lz of periodic_cube and plate.", 3);
      g.real("diameter_nm", 16.0, ConfigRange::positive(), "Diameter of rod and disc.");
      g.real("length_nm", 32.0, ConfigRange::positive(),
             "Length along z of the rod; thickness of the disc.");
      g.real("element_size_nm", 0.5, ConfigRange::positive(),
             "Largest element edge; a site is one element, so this is also the site size.");
      g.integer("element_degree", 1, ConfigRange::closed(1, 2), "Displacement elements: 1 (Q1) or 2 (Q2).");
      g.choice("mean_strain", "zero_mean_stress", {"zero_mean_stress", "prescribed"},
               "periodic_cube: free volume (mean stress zero) or prescribed mean strain.");
      g.real_list("prescribed_mean_strain", {0, 0, 0, 0, 0, 0}, ConfigRange::closed(-0.1, 0.1),
                  "mean_strain prescribed: mean total strain, tensor components xx, yy, zz, yz, "
                  "xz, xy (dimensionless).", 6);
      g.check([](const core::ConfigValues &v) {
        if (v.real_list("box_size_nm").size() != 3)
          v.fail("box_size_nm", "box_size_nm needs three edges [Lx, Ly, Lz]");
        if (v.real_list("prescribed_mean_strain").size() != 6)
          v.fail("prescribed_mean_strain", "prescribed_mean_strain needs six components");
        const double h = v.real("element_size_nm");
        const std::string shape = v.text("shape");
        double volume = 0.0;
        if (shape == "periodic_cube" || shape == "plate")
          {
            const auto box = v.real_list("box_size_nm");
            volume = box[0] * box[1] * box[2];
            for (const double edge : box)
              if (shape == "periodic_cube" && edge < 2.0 * h)
                v.fail("element_size_nm", fmt::format("a periodic cube needs at least 2 elements per "
                                                      "edge: element_size_nm {} > half of {} nm",
                                                      h, edge));
          }
        else
          {
            const double d = v.real("diameter_nm");
            volume = 0.25 * M_PI * d * d * v.real("length_nm");
            // A mesh needs at least one element across every dimension of the body.
            if (d < h)
              v.fail("diameter_nm", fmt::format("a {} of diameter {} nm is thinner than one element "
                                                "(element_size_nm {}); use smaller elements",
                                                shape, d, h));
            if (v.real("length_nm") < h)
              v.fail("length_nm", fmt::format("a {} of length {} nm is shorter than one element "
                                              "(element_size_nm {}); use smaller elements",
                                              shape, v.real("length_nm"), h));
          }
        if (volume / (h * h * h) > max_cells)
          v.fail("element_size_nm", fmt::format("the mesh would have about {:.2g} elements (limit "
                                                "{:.2g}); use larger elements",
                                                volume / (h * h * h), max_cells));
      });

      auto &m = s.section("materials", "Per-site material properties (a site is one element).");
      declare_property(m, properties[0], "Volumetric thermal expansion coefficient α (1/K).",
                       "random", 2.0e-5, 0.5);
      declare_property(m, properties[1], "Bulk modulus K (GPa).", "constant", 6.0, 0.0);
      declare_property(m, properties[2], "Shear modulus G (GPa).", "constant", 3.0, 0.0);

      auto &l = s.section("solver", "Linear solver.");
      l.choice("method", "auto", {"auto", "iterative", "direct"},
               "iterative: CG + algebraic multigrid; direct: sparse factorisation, reused for "
               "every re-solve; auto: iterative for mode thermal_stress (one solve: the "
               "factorisation costs more than AMG at every size measured), otherwise direct up to "
               "direct_max_dofs unknowns.");
      l.real("relative_tolerance", 1e-10, ConfigRange::left_open(0.0, 1e-2),
             "CG stops at |residual| <= relative_tolerance · |right-hand side|.");
      l.integer("max_iterations", 5000, ConfigRange::closed(10, 1e7), "CG iteration limit.");
      l.integer("direct_max_dofs", 60000, ConfigRange::closed(0, 1e8),
                "auto: largest problem solved directly (degrees of freedom).");

      auto &t = s.section("thermal_stress", "mode thermal_stress.");
      t.real("reference_temperature_K", 300.0, ConfigRange::closed(0.0, 5000.0),
             "Stress-free temperature T_ref (the upper cycle temperature T_a).");
      t.real("temperature_K", 200.0, ConfigRange::closed(0.0, 5000.0),
             "Temperature T of the solution; ΔT = T − T_ref (Shang et al. 2018 used |ΔT| = 100 K).");
      t.choice_list("fit_families", {"lomax", "weibull"}, calibrate::builtin_distribution_registry().family_names(),
                    "Families fitted to the per-site von Mises stress (Shang et al. 2018: Lomax; a Gaussian α field gives a lighter tail, which Weibull follows).");
      t.integer("bootstrap_resamples", 200, ConfigRange::closed(0, 100000),
                "Bootstrap resamples per fit for the confidence intervals (0: Wald intervals).");
      t.real_list("quantile_levels", {0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99},
                  {0.0, 1.0, false, false}, "Quantiles of von Mises and pressure reported.", 1);
      t.integer("histogram_bins", 40, ConfigRange::closed(5, 10000), "Bins of the von Mises histogram.");
      t.boolean("fourier_cross_check", true,
                "periodic_cube with constant K and G: also solve the same α grid with the periodic "
                "Fourier method (Shang et al. 2018 eq. 7) and report the difference.");

      auto &o = s.section("output", "Field output.");
      o.boolean("write_vtu", true, "Write VTU/PVTU/PVD fields for ParaView under fields/.");
      o.boolean("write_site_table", true, "Write sites.csv (one row per site).");
      // Mode cycles resumes with any linear solver (it converges to the same stresses), and the
      // thermal_stress and output sections do not act on it.
      s.resume_may_change({"solver", "thermal_stress", "output"});
    }

    continuum::SampleShape shape_of(const std::string &name)
    {
      if (name == "plate")
        return continuum::SampleShape::plate;
      if (name == "rod")
        return continuum::SampleShape::rod;
      if (name == "disc")
        return continuum::SampleShape::disc;
      return continuum::SampleShape::periodic_cube;
    }

    continuum::FiniteElementGeometry geometry_of(const core::ConfigValues &g)
    {
      continuum::FiniteElementGeometry geometry;
      geometry.shape = shape_of(g.text("shape"));
      const auto box = g.real_list("box_size_nm");
      geometry.box_size_nm = {box[0], box[1], box[2]};
      geometry.radius_nm = 0.5 * g.real("diameter_nm");
      geometry.length_nm = g.real("length_nm");
      geometry.element_size_nm = g.real("element_size_nm");
      geometry.fe_degree = static_cast<unsigned int>(g.integer("element_degree"));
      geometry.mean_strain_condition = g.text("mean_strain") == "prescribed"
                                         ? continuum::PeriodicMeanStrain::prescribed
                                         : continuum::PeriodicMeanStrain::zero_mean_stress;
      const auto strain = g.real_list("prescribed_mean_strain");
      std::copy(strain.begin(), strain.end(), geometry.prescribed_mean_strain.begin());
      return geometry;
    }

    /// Bounding box of the sample as the mesh will have it (the rod and disc are centred on the
    /// z axis with z in [−L/2, L/2]).
    continuum::SampleExtent extent_of(const continuum::FiniteElementGeometry &geometry)
    {
      continuum::SampleExtent e;
      e.site_size_nm = geometry.element_size_nm;
      e.periodic = geometry.shape == continuum::SampleShape::periodic_cube;
      if (geometry.shape == continuum::SampleShape::periodic_cube ||
          geometry.shape == continuum::SampleShape::plate)
        {
          e.upper_nm = geometry.box_size_nm;
          return e;
        }
      const double r = geometry.radius_nm;
      e.lower_nm = {-r, -r, -0.5 * geometry.length_nm};
      e.upper_nm = {r, r, 0.5 * geometry.length_nm};
      return e;
    }

    continuum::MaterialField field_of(const core::ConfigValues &f, const PropertyKey &p,
                                      const continuum::SampleExtent &extent, const std::uint64_t seed)
    {
      const std::string source = f.text("source");
      try
        {
          if (source == "constant")
            {
              if (p.positive && f.real("value") <= 0.0)
                f.fail("value", fmt::format("{} must be positive, got {}", p.key, f.real("value")));
              return continuum::MaterialField::constant(f.real("value"));
            }
          if (source == "grid_file")
            return continuum::MaterialField::from_grid_file(f.input_file("file"), f.text("column"), extent,
                                                            p.positive);
          continuum::GaussianRandomFieldSpec spec;
          spec.mean = f.real("mean");
          spec.standard_deviation = f.real("standard_deviation");
          spec.correlation_length_nm = f.real("correlation_length_nm");
          spec.seed = seed;
          spec.stream_purpose = p.purpose;
          if (p.positive && spec.mean - 5.0 * spec.standard_deviation <= 0.0)
            f.fail("standard_deviation",
                   fmt::format("{}: mean {} with standard deviation {} gives non-positive values at "
                               "some sites (mean − 5 sd <= 0)",
                               p.key, spec.mean, spec.standard_deviation));
          return continuum::MaterialField::gaussian_random(spec, extent);
        }
      catch (const core::ConfigError &)
        {
          throw;
        }
      catch (const std::exception &e)
        {
          f.fail(source == "grid_file" ? "file" : "source", e.what());
        }
    }

    class ContinuumStage final : public Stage
    {
    public:
      std::vector<std::string> sections() const override { return {"continuum"}; }
      bool uses_mpi() const override { return true; }
      /// Mode cycles checkpoints every cycle (continuum_cycles.h); mode thermal_stress is one solve.
      bool supports_resume() const override { return cycles_.has_value(); }

      void prepare(const core::ConfigValues &config) override
      {
        const core::ConfigValues c = config.section("continuum");
        geometry_ = geometry_of(c.section("geometry"));
        const auto s = c.section("solver");
        // One solve only in mode thermal_stress, where a factorisation never pays off (12 s
        // against 2.3 s for CG + AMG at 4.7e4 unknowns; bench/RESULTS.md).
        const bool single_solve = c.text("mode") == "thermal_stress";
        solver_.kind = s.text("method") == "iterative" ? continuum::LinearSolverKind::iterative
                       : s.text("method") == "direct"  ? continuum::LinearSolverKind::direct
                       : single_solve                  ? continuum::LinearSolverKind::iterative
                                                       : continuum::LinearSolverKind::automatic;
        solver_.relative_tolerance = s.real("relative_tolerance");
        solver_.max_iterations = static_cast<unsigned int>(s.integer("max_iterations"));
        solver_.direct_solver_max_dofs = static_cast<std::size_t>(s.integer("direct_max_dofs"));

        const auto seed = static_cast<std::uint64_t>(config.integer("seed"));
        const auto materials = c.section("materials");
        const continuum::SampleExtent extent = extent_of(geometry_);
        fields_.clear();
        uniform_moduli_ = true;
        for (const auto &p : properties)
          {
            const auto f = materials.section(p.key);
            fields_.push_back(field_of(f, p, extent, seed));
            if (f.text("source") == "grid_file")
              inputs_.emplace_back(f.path() + ".file", f.input_file("file"));
            if (p.positive && f.text("source") != "constant")
              uniform_moduli_ = false;
          }
        const auto t = c.section("thermal_stress");
        options_.reference_temperature_K = t.real("reference_temperature_K");
        options_.temperature_K = t.real("temperature_K");
        options_.fit_families = t.text_list("fit_families");
        options_.bootstrap_resamples = static_cast<std::size_t>(t.integer("bootstrap_resamples"));
        options_.quantile_levels = t.real_list("quantile_levels");
        options_.histogram_bins = static_cast<std::size_t>(t.integer("histogram_bins"));
        options_.shape = c.section("geometry").text("shape");
        fourier_cross_check_ = t.boolean("fourier_cross_check") && uniform_moduli_ &&
                               geometry_.shape == continuum::SampleShape::periodic_cube &&
                               geometry_.mean_strain_condition ==
                                 continuum::PeriodicMeanStrain::zero_mean_stress;
        write_vtu_ = c.section("output").boolean("write_vtu");
        cycles_.reset();
        if (c.text("mode") == "cycles")
          {
            const bool uniform_periodic = uniform_moduli_ &&
                                          geometry_.shape == continuum::SampleShape::periodic_cube &&
                                          geometry_.mean_strain_condition ==
                                            continuum::PeriodicMeanStrain::zero_mean_stress;
            cycles_ = read_cycles_settings(c, uniform_periodic);
            if (cycles_->backend == "fourier")
              for (const double edge : geometry_.box_size_nm)
                {
                  const double cells = edge / geometry_.element_size_nm;
                  if (std::abs(cells - std::round(cells)) > 1e-9 * cells)
                    c.section("geometry").fail("element_size_nm",
                                               fmt::format("the fourier back-end needs box edges that are whole "
                                                           "multiples of element_size_nm ({} nm / {} nm = {})",
                                                           edge, geometry_.element_size_nm, cells));
                }
          }
        write_sites_ = c.section("output").boolean("write_site_table");
      }

      void run(RunContext &context) override
      {
        auto &log = core::Log::instance();
        for (const auto &[key, file] : inputs_)
          context.manifest.add_input(key, file);
        options_.seed = context.seed;
        if (cycles_)
          {
            run_cycles(context, *cycles_, geometry_, solver_, fields_);
            return;
          }

        std::optional<core::TimerSections::Scope> mesh_timer;
        mesh_timer.emplace(context.timers, "mesh");
        continuum::ThermoelasticModel model(MPI_COMM_WORLD, geometry_, solver_);
        log.info(fmt::format("continuum: {} sample, {} sites (elements of {} nm, Q{}), {} unknowns",
                             options_.shape, model.n_global_sites(), geometry_.element_size_nm,
                             geometry_.fe_degree, model.n_dofs()));
        for (std::size_t i = 0; i < fields_.size(); ++i)
          log.info(fmt::format("  {}: {}", properties[i].key, fields_[i].description()));
        assign_site_fields(model);
        mesh_timer.reset();

        const double delta_T = options_.temperature_K - options_.reference_temperature_K;
        {
          const auto timer = context.timers.scope("solve");
          model.solve();
        }
        const auto &report = model.last_solve_report();
        log.info(fmt::format("  solved with {}: {} linear solve(s), {} CG iterations, set-up {:.2f} s, "
                             "solve {:.2f} s",
                             report.solver, report.linear_solves, report.cg_iterations,
                             report.setup_seconds, report.solve_seconds));

        ThermalStressReport result;
        result.temperature_change_K = delta_T;
        result.n_dofs = model.n_dofs();
        result.solver = report.solver;
        result.total_volume_nm3 = model.total_volume_nm3();
        result.elastic_energy_aJ = model.elastic_energy_aJ(delta_T);
        const SiteStressTable table =
          gather_site_table(MPI_COMM_WORLD, model, model.stress_GPa(delta_T));

        if (write_vtu_)
          {
            const auto timer = context.timers.scope("output");
            model.write_vtu(context.directory.file("fields/thermal_stress.pvd").parent_path().string(),
                            "thermal_stress", delta_T, options_.temperature_K);
          }
        if (!core::is_output_rank())
          return;

        if (fourier_cross_check_)
          {
            const auto timer = context.timers.scope("Fourier cross-check");
            result.fourier = fourier_cross_check(table, delta_T);
          }
        {
          const auto timer = context.timers.scope("fit");
          fit_von_mises(table, options_, result);
        }
        const auto timer = context.timers.scope("output");
        if (write_sites_)
          write_site_table(context.directory, "sites.csv", table);
        write_thermal_stress_report(context.directory, table, options_, result);
        const std::string summary = thermal_stress_summary(table, options_, result);
        context.directory.write("summary.txt", summary);
        log.info(summary);
      }

    private:
      /// Evaluates the material fields at this rank's sites; a non-positive modulus anywhere
      /// stops every rank with the same message.
      void assign_site_fields(continuum::ThermoelasticModel &model) const
      {
        const auto &sites = model.local_sites();
        std::vector<std::vector<double>> values(3, std::vector<double>(sites.size()));
        std::string problem;
        for (std::size_t p = 0; p < 3; ++p)
          for (std::size_t i = 0; i < sites.size(); ++i)
            {
              values[p][i] = fields_[p].at(sites[i].centre_nm, sites[i].global_id);
              if (properties[p].positive && !(values[p][i] > 0.0) && problem.empty())
                problem = fmt::format("{} is {} at the site at ({}, {}, {}) nm; moduli must be positive",
                                      properties[p].key, values[p][i], sites[i].centre_nm[0],
                                      sites[i].centre_nm[1], sites[i].centre_nm[2]);
            }
        int bad = problem.empty() ? 0 : 1;
        MPI_Allreduce(MPI_IN_PLACE, &bad, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
        if (bad != 0)
          throw std::runtime_error(problem.empty() ? "a modulus field is not positive at some site "
                                                     "(reported by another rank)"
                                                   : problem);
        model.set_thermal_expansion_per_K(values[0]);
        model.set_moduli_GPa(values[1], values[2]);
      }

      /// The periodic Fourier solution (Shang et al. 2018 eq. 7) of the same site α grid, with the
      /// relative L2 difference of the von Mises fields.
      FourierCrossCheck fourier_cross_check(const SiteStressTable &table, const double delta_T) const
      {
        std::vector<double> x;
        std::vector<double> y;
        std::vector<double> z;
        for (const auto &c : table.centre_nm)
          {
            x.push_back(c[0]);
            y.push_back(c[1]);
            z.push_back(c[2]);
          }
        const continuum::PeriodicGrid grid =
          continuum::periodic_grid_from_points(x, y, z, table.alpha_per_K);
        const auto fourier = continuum::solve_periodic_thermal_stress(
          grid, table.bulk_modulus_GPa.front(), table.shear_modulus_GPa.front(), delta_T);
        double difference = 0.0;
        double norm = 0.0;
        for (std::size_t i = 0; i < table.size(); ++i)
          {
            std::array<std::size_t, 3> index{};
            for (std::size_t a = 0; a < 3; ++a)
              index[a] = static_cast<std::size_t>(std::llround(
                (table.centre_nm[i][a] - grid.origin_nm[a]) / grid.spacing_nm[a]));
            const double reference = fourier.von_mises_GPa[grid.flat_index(index[0], index[1], index[2])];
            difference += std::pow(table.von_mises_GPa[i] - reference, 2);
            norm += reference * reference;
          }
        FourierCrossCheck check;
        check.relative_l2_difference_von_mises = norm > 0.0 ? std::sqrt(difference / norm) : 0.0;
        check.mean_von_mises_GPa = 0.0;
        for (const double v : fourier.von_mises_GPa)
          check.mean_von_mises_GPa += v / static_cast<double>(fourier.von_mises_GPa.size());
        return check;
      }

      continuum::FiniteElementGeometry geometry_;
      continuum::LinearSolverSettings solver_;
      std::vector<continuum::MaterialField> fields_;
      std::vector<std::pair<std::string, fs::path>> inputs_;
      ThermalStressOptions options_;
      bool uniform_moduli_ = true;
      bool fourier_cross_check_ = false;
      bool write_vtu_ = true;
      bool write_sites_ = true;
      std::optional<CyclesSettings> cycles_;
    };
  } // namespace

  StageEntry continuum_stage_entry()
  {
    return {"continuum",
            "Finite-element thermo-elastic model of a sample: thermal internal stress of "
            "heterogeneous thermal expansion (MPI-parallel)",
            declare, [] { return std::make_unique<ContinuumStage>(); }};
  }
} // namespace cryocycle::coupling
