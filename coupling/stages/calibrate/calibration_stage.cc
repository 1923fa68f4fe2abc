#include "coupling/stages/calibrate/calibration_stage.h"

#include "calibrate/activation_probability.h"
#include "calibrate/distribution_fit.h"
#include "calibrate/distribution_registry.h"
#include "calibrate/scaling_laws.h"
#include "continuum/spectral/periodic_grid.h"
#include "continuum/spectral/periodic_spectral_solver.h"
#include "core/csv_table.h"
#include "core/log.h"
#include "core/progress.h"
#include "coupling/stages/calibrate/calibration_results.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace cryocycle::coupling
{
  namespace
  {
    using core::ConfigRange;
    namespace fs = std::filesystem;

    // Column conventions of per-site tables (shared with the atomistic measurements).
    const std::string alpha_column = "alpha_per_K";
    const std::string bulk_column = "bulk_modulus_GPa";
    const std::string shear_column = "shear_modulus_GPa";
    const std::string yield_column = "yield_stress_GPa";
    const std::string thermal_stress_column = "von_mises_GPa";
    const std::string lowest_aic = "lowest_aic";

    /// The fit of `family`, or the successful fit with the lowest AIC for "lowest_aic".
    const calibrate::DistributionFit *model_fit(const QuantityCalibration &q, const std::string &family)
    {
      if (family != lowest_aic)
        return q.fit(family);
      const calibrate::DistributionFit *best = nullptr;
      for (const auto &f : q.fits)
        if (best == nullptr || f.aic < best->aic)
          best = &f;
      return best;
    }

    void declare(core::ConfigSection &root)
    {
      const auto families = calibrate::builtin_distribution_registry().family_names();
      auto &s = root.section("calibrate", "Fit per-site distributions and estimate p(σ_th > σ_y).");
      s.text("glass_label", "", "Free-text name of the glass the tables come from (recorded).");
      s.optional_real("glass_quench_rate_K_per_s", ConfigRange::positive(),
                      "Quench rate the glass was made with (recorded; used by state laws).");
      s.real("high_temperature_K", 300.0, ConfigRange::left_open(0.0, 5000.0),
             "Upper temperature T_a of the thermal cycle (stress-free state).");
      s.real("low_temperature_K", 200.0, ConfigRange::closed(0.0, 5000.0),
             "Lower temperature T_b; the thermal stress is computed for ΔT = T_a − T_b.");
      s.optional_real("bulk_modulus_GPa", ConfigRange::positive(),
                      "Uniform K for the Fourier thermal stress (default: mean of the moduli table).");
      s.optional_real("shear_modulus_GPa", ConfigRange::positive(),
                      "Uniform G for the Fourier thermal stress (default: mean of the moduli table).");
      s.integer("bootstrap_resamples", 200, ConfigRange::closed(0, 100000),
                "Bootstrap resamples per fit for the confidence intervals (0: none).");
      s.real("confidence_level", 0.95, {0.0, 1.0, false, false},
             "Level of the bootstrap confidence intervals.");
      s.integer("monte_carlo_samples", 1000000, ConfigRange::closed(1000, 1e10),
                "Samples of the Monte Carlo cross-check of p(σ_th > σ_y).");
      s.real_list("activation_levels", {0.5, 0.9, 0.99}, {0.0, 1.0, false, false},
                  "P_act levels for which the number of sites n is reported.");
      s.integer("histogram_bins", 40, ConfigRange::closed(5, 10000), "Bins of the histogram tables and plots.");
      s.choice_list("thermal_expansion_families", {"gaussian"}, families, "Families fitted to α.", 1);
      s.choice_list("moduli_families", {"gaussian"}, families, "Families fitted to K and G.", 1);
      s.choice_list("yield_stress_families", {"hyperbolic", "weibull", "gaussian"}, families,
                    "Families fitted to the local yield stress.", 1);
      s.choice_list("thermal_stress_families", {"lomax", "weibull", "hyperbolic"}, families,
                    "Families fitted to the von Mises thermal stress.", 1);
      auto models = families;
      models.insert(models.begin(), lowest_aic);
      s.choice("yield_stress_model", lowest_aic, models,
               "Family of σ_y used for p(σ_th > σ_y): a listed family (Shang et al. 2018: hyperbolic) or "
               "lowest_aic, the best-supported successful fit.");
      s.choice("thermal_stress_model", lowest_aic, models,
               "Family of σ_th used for p(σ_th > σ_y): a listed family (Shang et al. 2018: lomax) or "
               "lowest_aic, the best-supported successful fit.");
      auto &item = s.section_list("coarse_grainings",
                                  "Per-site tables at one coarse-graining width each.", 1);
      item.optional_real("sigma_cg_nm", ConfigRange::left_open(0.0, 100.0),
                         "Coarse-graining width σ_cg (the yield-stress radius is r_c = 2σ_cg).", true);
      item.input_file("thermal_expansion_csv",
                      "Local TEC table: column alpha_per_K (volumetric, 1/K); with x_nm,y_nm,z_nm on "
                      "a complete regular grid it also gives the Fourier thermal stress.");
      item.input_file("moduli_csv", "Local moduli table: columns bulk_modulus_GPa, shear_modulus_GPa.");
      item.input_file("yield_stress_csv", "Local yield stress table: column yield_stress_GPa.");
      item.input_file("thermal_stress_csv",
                      "Von Mises thermal stress samples (column von_mises_GPa) instead of the "
                      "Fourier solution of the α grid.");
      item.check([](const core::ConfigValues &v) {
        if (!v.has("thermal_expansion_csv") && !v.has("moduli_csv") && !v.has("yield_stress_csv") &&
            !v.has("thermal_stress_csv"))
          v.fail("sigma_cg_nm", "this coarse graining names no table");
      });
      s.check([](const core::ConfigValues &v) {
        if (v.real("low_temperature_K") >= v.real("high_temperature_K"))
          v.fail("low_temperature_K",
                 fmt::format("low_temperature_K ({} K) must be below high_temperature_K ({} K)",
                             v.real("low_temperature_K"), v.real("high_temperature_K")));
        const auto listed = [&](const std::string &list, const std::string &model) {
          const auto names = v.text_list(list);
          if (v.text(model) != lowest_aic && std::find(names.begin(), names.end(), v.text(model)) == names.end())
            v.fail(model, "'" + v.text(model) + "' must also be listed in " + list);
        };
        listed("yield_stress_families", "yield_stress_model");
        listed("thermal_stress_families", "thermal_stress_model");
        std::vector<double> widths;
        for (const auto &item_values : v.section_list("coarse_grainings"))
          widths.push_back(item_values.real("sigma_cg_nm"));
        std::sort(widths.begin(), widths.end());
        if (std::adjacent_find(widths.begin(), widths.end()) != widths.end())
          v.fail("coarse_grainings", "two coarse grainings have the same sigma_cg_nm");
      });
    }

    /// One coarse graining's inputs, read and checked in prepare().
    struct WidthInput
    {
      double sigma_cg_nm = 0.0;
      std::optional<std::vector<double>> alpha, bulk, shear, yield, thermal_stress;
      std::optional<continuum::PeriodicGrid> alpha_grid;
      std::string alpha_file, moduli_file, yield_file, thermal_stress_file;
    };

    std::vector<double> checked_column(const core::ConfigValues &item, const std::string &key,
                                       const core::CsvTable &table, const std::string &column,
                                       const bool positive)
    {
      if (!table.has_column(column))
        item.fail(key, table.file().string() + ": no column '" + column + "'");
      const auto &values = table.column(column);
      if (values.size() < calibrate::minimum_fit_sample_count)
        item.fail(key, fmt::format("{}: {} rows, at least {} are needed for a fit",
                                   table.file().string(), values.size(),
                                   calibrate::minimum_fit_sample_count));
      if (positive)
        for (std::size_t i = 0; i < values.size(); ++i)
          if (values[i] <= 0.0)
            item.fail(key, fmt::format("{}: column '{}' row {} is {} but must be positive",
                                       table.file().string(), column, i + 1, values[i]));
      return values;
    }

    core::CsvTable read_table(const core::ConfigValues &item, const std::string &key)
    {
      try
        {
          return core::CsvTable::read(item.input_file(key));
        }
      catch (const std::runtime_error &e)
        {
          item.fail(key, e.what());
        }
    }

    class CalibrationStage final : public Stage
    {
    public:
      std::vector<std::string> sections() const override { return {"calibrate"}; }

      void prepare(const core::ConfigValues &config) override
      {
        const core::ConfigValues c = config.section("calibrate");
        for (const auto &item : c.section_list("coarse_grainings"))
          {
            WidthInput in;
            in.sigma_cg_nm = item.real("sigma_cg_nm");
            if (item.has("thermal_expansion_csv"))
              {
                const auto table = read_table(item, "thermal_expansion_csv");
                in.alpha_file = table.file().string();
                in.alpha = checked_column(item, "thermal_expansion_csv", table, alpha_column, false);
                if (table.has_column("x_nm") && table.has_column("y_nm") && table.has_column("z_nm") &&
                    !item.has("thermal_stress_csv"))
                  {
                    try
                      {
                        in.alpha_grid = continuum::periodic_grid_from_points(
                          table.column("x_nm"), table.column("y_nm"), table.column("z_nm"), *in.alpha);
                      }
                    catch (const std::invalid_argument &e)
                      {
                        item.fail("thermal_expansion_csv",
                                  in.alpha_file + ": not usable for the Fourier thermal stress: " + e.what());
                      }
                  }
              }
            if (item.has("moduli_csv"))
              {
                const auto table = read_table(item, "moduli_csv");
                in.moduli_file = table.file().string();
                in.bulk = checked_column(item, "moduli_csv", table, bulk_column, true);
                in.shear = checked_column(item, "moduli_csv", table, shear_column, true);
              }
            if (item.has("yield_stress_csv"))
              {
                const auto table = read_table(item, "yield_stress_csv");
                in.yield_file = table.file().string();
                in.yield = checked_column(item, "yield_stress_csv", table, yield_column, true);
              }
            if (item.has("thermal_stress_csv"))
              {
                const auto table = read_table(item, "thermal_stress_csv");
                in.thermal_stress_file = table.file().string();
                in.thermal_stress =
                  checked_column(item, "thermal_stress_csv", table, thermal_stress_column, false);
                for (const double v : *in.thermal_stress)
                  if (v < 0.0)
                    item.fail("thermal_stress_csv", "von Mises stresses cannot be negative");
              }
            if (in.alpha_grid && !in.bulk && (!c.has("bulk_modulus_GPa") || !c.has("shear_modulus_GPa")))
              item.fail("thermal_expansion_csv",
                        "the Fourier thermal stress needs K and G: give calibrate.bulk_modulus_GPa "
                        "and calibrate.shear_modulus_GPa, or a moduli_csv for this width");
            inputs_.push_back(std::move(in));
          }
      }

      void run(RunContext &context) override
      {
        auto &log = core::Log::instance();
        const core::ConfigValues c = context.config.section("calibrate");
        CalibrationResults results;
        results.glass_label = c.text("glass_label");
        if (c.has("glass_quench_rate_K_per_s"))
          results.glass_quench_rate_K_per_s = c.real("glass_quench_rate_K_per_s");
        results.high_temperature_K = c.real("high_temperature_K");
        results.low_temperature_K = c.real("low_temperature_K");
        results.bootstrap_resamples = static_cast<std::size_t>(c.integer("bootstrap_resamples"));
        results.confidence_level = c.real("confidence_level");
        results.seed = context.seed;
        const double delta_T_K = results.high_temperature_K - results.low_temperature_K;

        for (const auto &in : inputs_)
          for (const auto &[key, file] : std::vector<std::pair<std::string, std::string>>{
                 {"thermal_expansion_csv", in.alpha_file}, {"moduli_csv", in.moduli_file},
                 {"yield_stress_csv", in.yield_file}, {"thermal_stress_csv", in.thermal_stress_file}})
            if (!file.empty())
              {
                const std::string label = fmt::format("sigma_cg_{}nm.{}", in.sigma_cg_nm, key);
                results.input_checksums.push_back(context.manifest.add_input(label, file));
                results.inputs.emplace_back(label, file);
              }

        std::size_t fit_count = 0;
        for (const auto &in : inputs_)
          fit_count += (in.alpha ? c.text_list("thermal_expansion_families").size() : 0) +
                       (in.bulk ? 2 * c.text_list("moduli_families").size() : 0) +
                       (in.yield ? c.text_list("yield_stress_families").size() : 0) +
                       ((in.alpha_grid || in.thermal_stress) ? c.text_list("thermal_stress_families").size() : 0);
        core::ProgressReporter progress("distribution fits", fit_count);

        for (const auto &in : inputs_)
          {
            CoarseGrainingCalibration width;
            width.sigma_cg_nm = in.sigma_cg_nm;
            const auto fit_all = [&](const std::string &name, const std::string &unit,
                                     const std::string &source, const std::vector<double> &samples,
                                     const std::string &families_key) {
              const auto timer = context.timers.scope("fit");
              QuantityCalibration q{name, unit, source, samples, {}, {}};
              calibrate::FitOptions options;
              options.bootstrap_resamples = results.bootstrap_resamples;
              options.confidence_level = results.confidence_level;
              options.seed = core::stream_seed(context.seed, fmt::format("calibrate:{}:{}", name, in.sigma_cg_nm));
              for (const auto &family : c.text_list(families_key))
                {
                  try
                    {
                      q.fits.push_back(calibrate::fit_distribution(family, samples, options));
                    }
                  catch (const std::exception &e)
                    {
                      q.failed_fits.emplace_back(family, e.what());
                      log.warning(fmt::format("σ_cg = {} nm: {} fit to {} failed: {}", in.sigma_cg_nm,
                                              family, name, e.what()));
                    }
                  progress.advance();
                }
              return q;
            };

            if (in.alpha)
              width.thermal_expansion = fit_all("thermal_expansion_per_K", "1/K", in.alpha_file,
                                                *in.alpha, "thermal_expansion_families");
            if (in.bulk)
              {
                width.bulk_modulus = fit_all("bulk_modulus_GPa", "GPa", in.moduli_file, *in.bulk, "moduli_families");
                width.shear_modulus = fit_all("shear_modulus_GPa", "GPa", in.moduli_file, *in.shear, "moduli_families");
              }
            if (in.yield)
              width.yield_stress = fit_all("yield_stress_GPa", "GPa", in.yield_file, *in.yield, "yield_stress_families");

            if (in.alpha_grid)
              {
                width.bulk_modulus_for_stress_GPa =
                  c.has("bulk_modulus_GPa") ? c.real("bulk_modulus_GPa") : sample_moments(*in.bulk).mean;
                width.shear_modulus_for_stress_GPa =
                  c.has("shear_modulus_GPa") ? c.real("shear_modulus_GPa") : sample_moments(*in.shear).mean;
                results.moduli_source =
                  fmt::format("K from {}, G from {}", c.has("bulk_modulus_GPa") ? "the config" : "the moduli table mean",
                              c.has("shear_modulus_GPa") ? "the config" : "the moduli table mean");
                continuum::ThermalStressField field;
                {
                  const auto timer = context.timers.scope("thermal stress (FFT)");
                  field = continuum::solve_periodic_thermal_stress(
                    *in.alpha_grid, width.bulk_modulus_for_stress_GPa, width.shear_modulus_for_stress_GPa, delta_T_K);
                }
                write_stress_grid(context, in, field);
                width.thermal_stress = fit_all("thermal_stress_GPa", "GPa",
                                               "Fourier solution (Shang et al. 2018 eq. 7) of " + in.alpha_file,
                                               field.von_mises_GPa, "thermal_stress_families");
              }
            else if (in.thermal_stress)
              width.thermal_stress = fit_all("thermal_stress_GPa", "GPa", in.thermal_stress_file,
                                             *in.thermal_stress, "thermal_stress_families");

            if (width.thermal_stress && width.yield_stress)
              {
                const auto timer = context.timers.scope("activation probability");
                width.activation = activation(c, context.seed, width);
              }
            results.widths.push_back(std::move(width));
          }
        progress.finish();

        scaling(results);
        {
          const auto timer = context.timers.scope("output");
          context.directory.write("calibration.yaml", calibration_record_yaml(results));
          write_calibration_tables(results, context.directory,
                                   static_cast<std::size_t>(c.integer("histogram_bins")));
          const std::string summary = calibration_summary(results);
          context.directory.write("summary.txt", summary);
          log.info(summary);
        }
      }

    private:
      static void write_stress_grid(RunContext &context, const WidthInput &in,
                                    const continuum::ThermalStressField &field)
      {
        core::CsvWriter csv({"x_nm", "y_nm", "z_nm", "alpha_per_K", "stress_xx_GPa", "stress_yy_GPa",
                             "stress_zz_GPa", "stress_yz_GPa", "stress_xz_GPa", "stress_xy_GPa",
                             "von_mises_GPa"});
        for (std::size_t i = 0; i < field.von_mises_GPa.size(); ++i)
          {
            const auto r = in.alpha_grid->position_nm(i);
            const auto &s = field.stress_GPa[i];
            csv.add_row({r[0], r[1], r[2], in.alpha_grid->values[i], s[0], s[1], s[2], s[3], s[4],
                         s[5], field.von_mises_GPa[i]});
          }
        context.directory.write(fmt::format("thermal_stress_sigma{}nm.csv", in.sigma_cg_nm), csv.text());
      }

      static ActivationCalibration activation(const core::ConfigValues &c, const std::uint64_t seed,
                                              const CoarseGrainingCalibration &width)
      {
        ActivationCalibration a;
        const auto *thermal_fit = model_fit(*width.thermal_stress, c.text("thermal_stress_model"));
        const auto *yield_fit = model_fit(*width.yield_stress, c.text("yield_stress_model"));
        if (thermal_fit == nullptr || yield_fit == nullptr)
          throw std::runtime_error(fmt::format(
            "σ_cg = {} nm: p(σ_th > σ_y) needs the {} fit of the thermal stress and the {} fit of the "
            "yield stress, and it failed (see the warnings above); choose another family or lowest_aic",
            width.sigma_cg_nm, c.text("thermal_stress_model"), c.text("yield_stress_model")));
        a.thermal_stress_model = thermal_fit->family;
        a.yield_stress_model = yield_fit->family;
        const auto thermal = thermal_fit->distribution();
        const auto yield = yield_fit->distribution();
        const auto quadrature = calibrate::probability_stress_exceeds_yield(*thermal, *yield);
        a.probability = quadrature.value;
        a.quadrature_error_bound = quadrature.error_bound;
        const auto mc = calibrate::monte_carlo_probability(
          *thermal, *yield, static_cast<std::size_t>(c.integer("monte_carlo_samples")),
          core::stream_seed(seed, fmt::format("calibrate:monte_carlo:{}", width.sigma_cg_nm)));
        a.probability_monte_carlo = mc.value;
        a.monte_carlo_standard_error = mc.standard_error;
        a.monte_carlo_samples = mc.samples;
        a.probability_empirical =
          calibrate::empirical_probability_stress_exceeds_yield(width.thermal_stress->samples, width.yield_stress->samples);
        a.probability_per_sigma_cg_cubed_per_nm3 = a.probability / std::pow(width.sigma_cg_nm, 3);
        for (const double level : c.real_list("activation_levels"))
          a.sites_for_level.emplace_back(level, calibrate::sites_for_activation(a.probability, level));
        return a;
      }

      static void scaling(CalibrationResults &results)
      {
        std::vector<double> sigma, variance, activation_sigma, probabilities;
        for (const auto &w : results.widths)
          {
            if (w.thermal_expansion)
              {
                sigma.push_back(w.sigma_cg_nm);
                variance.push_back(sample_moments(w.thermal_expansion->samples).variance);
              }
            if (w.activation)
              {
                activation_sigma.push_back(w.sigma_cg_nm);
                probabilities.push_back(w.activation->probability);
              }
          }
        if (sigma.size() >= 2)
          {
            const auto fit = calibrate::fit_power_law(sigma, variance);
            results.thermal_expansion_variance_scaling =
              VarianceScaling{fit.prefactor, fit.exponent, fit.exponent_standard_error, fit.r_squared};
          }
        if (probabilities.size() >= 2)
          {
            const auto ratio = calibrate::probability_per_cubed_size(activation_sigma, probabilities);
            results.probability_per_volume = std::make_pair(ratio.mean, ratio.relative_standard_deviation);
          }
      }

      std::vector<WidthInput> inputs_;
    };
  } // namespace

  StageEntry calibration_stage_entry()
  {
    return {"calibrate",
            "Fit per-site distributions (α, K, G, σ_y, σ_th) and estimate p(σ_th > σ_y) and P_act",
            declare, [] { return std::make_unique<CalibrationStage>(); }};
  }
} // namespace cryocycle::coupling
