#include "coupling/stages/synthesize/synthetic_data_stage.h"

#include "calibrate/distribution.h"
#include "continuum/fields/periodic_random_field.h"
#include "core/csv_table.h"
#include "core/log.h"
#include "core/random_stream.h"

#include <fmt/format.h>

#include <cmath>

namespace cryocycle::coupling
{
  namespace
  {
    using core::ConfigRange;

    void declare(core::ConfigSection &root)
    {
      auto &s = root.section("synthesize",
                             "Synthetic per-site tables from known distributions (demo and tests).");
      s.integer("grid_points_per_axis", 12, ConfigRange::closed(4, 256),
                "Points per axis of each periodic α grid (spacing = σ_cg).");
      s.real_list("sigma_cg_nm", {0.4, 0.5, 0.7}, ConfigRange::left_open(0.0, 100.0),
                  "Coarse-graining widths σ_cg to generate tables for.", 1);
      s.real("reference_sigma_cg_nm", 0.5, ConfigRange::left_open(0.0, 100.0),
             "Width at which thermal_expansion_std_per_K applies.");
      s.real("thermal_expansion_mean_per_K", 3.0e-5, ConfigRange::closed(-1e-2, 1e-2),
             "Mean volumetric thermal expansion coefficient α (1/K).");
      s.real("thermal_expansion_std_per_K", 2.0e-5, ConfigRange::non_negative(),
             "Standard deviation of α at reference_sigma_cg_nm (1/K).");
      s.real("thermal_expansion_variance_exponent", -3.0, ConfigRange::closed(-10.0, 0.0),
             "Var(α) ∝ σ_cg^exponent (−3 for uncorrelated sites).");
      s.real("correlation_length_over_sigma_cg", 1.0, ConfigRange::closed(0.0, 10.0),
             "Correlation length of the α field in units of σ_cg (Gaussian covariance).");
      s.real("bulk_modulus_mean_GPa", 108.9, ConfigRange::positive(), "Mean local bulk modulus K.");
      s.real("bulk_modulus_std_GPa", 6.0, ConfigRange::non_negative(), "Standard deviation of K.");
      s.real("shear_modulus_mean_GPa", 26.5, ConfigRange::positive(), "Mean local shear modulus G.");
      s.real("shear_modulus_std_GPa", 3.0, ConfigRange::non_negative(), "Standard deviation of G.");
      s.integer("yield_stress_sites", 2000, ConfigRange::closed(10, 1e8),
                "Number of local yield stress samples per σ_cg.");
      s.real("yield_stress_shape_lambda", 0.05, ConfigRange::positive(),
             "Shape λ of the hyperbolic yield-stress distribution (Shang et al. 2018 eq. 8).");
      s.real("yield_stress_scale_beta_GPa", 1.56, ConfigRange::positive(),
             "Scale β of the hyperbolic yield-stress distribution.");
      s.check([](const core::ConfigValues &v) {
        // Moduli drawn from Gaussians must stay positive: keep 6 standard deviations of room.
        if (v.real("bulk_modulus_std_GPa") * 6.0 > v.real("bulk_modulus_mean_GPa"))
          v.fail("bulk_modulus_std_GPa", "must be below 1/6 of bulk_modulus_mean_GPa so K stays positive");
        if (v.real("shear_modulus_std_GPa") * 6.0 > v.real("shear_modulus_mean_GPa"))
          v.fail("shear_modulus_std_GPa", "must be below 1/6 of shear_modulus_mean_GPa so G stays positive");
      });
    }

    std::string sigma_tag(const double sigma_nm) { return fmt::format("{:.2f}nm", sigma_nm); }

    class SyntheticDataStage final : public Stage
    {
    public:
      std::vector<std::string> sections() const override { return {"synthesize"}; }

      void prepare(const core::ConfigValues &config) override { config.section("synthesize"); }

      void run(RunContext &context) override
      {
        const core::ConfigValues s = context.config.section("synthesize");
        const auto n = static_cast<std::size_t>(s.integer("grid_points_per_axis"));
        const auto sites = static_cast<std::size_t>(s.integer("yield_stress_sites"));
        const double sigma_ref = s.real("reference_sigma_cg_nm");
        const calibrate::HyperbolicDistribution yield(s.real("yield_stress_shape_lambda"),
                                                      s.real("yield_stress_scale_beta_GPa"));
        std::string calibrate_items;
        for (const double sigma : s.real_list("sigma_cg_nm"))
          {
            const auto timer = context.timers.scope("generate");
            const std::string tag = sigma_tag(sigma);
            const std::array<std::size_t, 3> count{n, n, n};
            const std::array<double, 3> spacing{sigma, sigma, sigma};
            continuum::GaussianRandomFieldSpec alpha_spec;
            alpha_spec.mean = s.real("thermal_expansion_mean_per_K");
            alpha_spec.standard_deviation =
              s.real("thermal_expansion_std_per_K") *
              std::pow(sigma / sigma_ref, 0.5 * s.real("thermal_expansion_variance_exponent"));
            alpha_spec.correlation_length_nm = s.real("correlation_length_over_sigma_cg") * sigma;
            alpha_spec.seed = context.seed;
            alpha_spec.stream_purpose = "synthesize:alpha:" + tag;
            const auto alpha = continuum::periodic_gaussian_random_grid(count, spacing, alpha_spec);

            core::CsvWriter alpha_csv({"x_nm", "y_nm", "z_nm", "alpha_per_K"});
            core::CsvWriter moduli_csv({"x_nm", "y_nm", "z_nm", "bulk_modulus_GPa", "shear_modulus_GPa"});
            const calibrate::GaussianDistribution bulk(s.real("bulk_modulus_mean_GPa"), s.real("bulk_modulus_std_GPa"));
            const calibrate::GaussianDistribution shear(s.real("shear_modulus_mean_GPa"), s.real("shear_modulus_std_GPa"));
            for (std::size_t i = 0; i < alpha.values.size(); ++i)
              {
                const auto r = alpha.position_nm(i);
                alpha_csv.add_row({r[0], r[1], r[2], alpha.values[i]});
                auto engine = core::make_random_stream(context.seed, "synthesize:moduli:" + tag, i);
                const double k = bulk.sample(engine);
                moduli_csv.add_row({r[0], r[1], r[2], k, shear.sample(engine)});
              }
            core::CsvWriter yield_csv({"site", "yield_stress_GPa"});
            for (std::size_t i = 0; i < sites; ++i)
              {
                auto engine = core::make_random_stream(context.seed, "synthesize:yield:" + tag, i);
                yield_csv.add_row({static_cast<double>(i), yield.sample(engine)});
              }
            const std::string alpha_file = "alpha_sigma" + tag + ".csv";
            const std::string moduli_file = "moduli_sigma" + tag + ".csv";
            const std::string yield_file = "yield_stress_rc" + sigma_tag(2.0 * sigma) + ".csv";
            context.directory.write(alpha_file, alpha_csv.text());
            context.directory.write(moduli_file, moduli_csv.text());
            context.directory.write(yield_file, yield_csv.text());
            calibrate_items += fmt::format("    - sigma_cg_nm: {}\n      thermal_expansion_csv: {}\n"
                                           "      moduli_csv: {}\n      yield_stress_csv: {}\n",
                                           sigma, alpha_file, moduli_file, yield_file);
            core::Log::instance().info(fmt::format(
              "σ_cg = {} nm: {}³ α grid (std {:.3g} /K), moduli, {} yield stresses", sigma, n,
              alpha_spec.standard_deviation, sites));
          }
        context.directory.write(
          "calibrate.yaml",
          fmt::format("# Calibration of the synthetic tables in this folder (written by cryocycle "
                      "synthesize).\noutput_dir: calibration_run\nseed: {}\ncalibrate:\n"
                      "  coarse_grainings:\n{}",
                      context.seed, calibrate_items));
      }
    };
  } // namespace

  StageEntry synthetic_data_stage_entry()
  {
    return {"synthesize",
            "Generate synthetic per-site tables (α grids, K, G, σ_y) from known distributions",
            declare, [] { return std::make_unique<SyntheticDataStage>(); }};
  }
} // namespace cryocycle::coupling
