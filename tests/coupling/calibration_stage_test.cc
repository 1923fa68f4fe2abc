// End-to-end tests of `cryocycle synthesize` + `cryocycle calibrate`: parameters of known
// distributions are recovered, the quadrature and Monte Carlo estimates of p agree, the same
// seed gives byte-identical results, and --print-config documents every key.
#include "tests/common/cli_runner.h"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <cmath>

using namespace cryocycle::testing;
namespace fs = std::filesystem;

namespace
{

  // True parameters of the synthetic data (see the synthesize config below).
  constexpr double true_lambda = 0.10;
  constexpr double true_beta_GPa = 1.61;  // Shang et al. (2018) Table I, 1e13 K/s glass
  constexpr double true_variance_exponent = -3.0;

  /// Synthesizes the data set into this test's own folder.
  void synthesize(const fs::path &folder)
  {
    fs::remove_all(folder);
    write_text(folder / "synthesize.yaml",
               "output_dir: data\nseed: 11\nsynthesize:\n  grid_points_per_axis: 10\n"
               "  sigma_cg_nm: [0.4, 0.5, 0.7]\n  yield_stress_sites: 3000\n"
               "  yield_stress_shape_lambda: 0.10\n  yield_stress_scale_beta_GPa: 1.61\n"
               "  correlation_length_over_sigma_cg: 0.0\n"
               "  thermal_expansion_variance_exponent: -3.0\n");
    const auto r = run_cryocycle("synthesize " + (folder / "synthesize.yaml").string() +
                                 " --output-dir " + (folder / "data").string());
    ASSERT_EQ(r.exit_code, 0) << r.output;
  }

  CliResult calibrate(const fs::path &folder, const std::string &run, const int seed)
  {
    // The synthesized calibrate.yaml names its tables relative to its own folder.
    std::string config = read_text(folder / "data" / "calibrate.yaml");
    config.replace(config.find("seed: 11"), 8, "seed: " + std::to_string(seed));
    config += "  bootstrap_resamples: 40\n  monte_carlo_samples: 200000\n"
              "  high_temperature_K: 300\n  low_temperature_K: 77\n";
    write_text(folder / "data" / (run + ".yaml"), config);
    return run_cryocycle("calibrate " + (folder / "data" / (run + ".yaml")).string() + " --output-dir " +
                         (folder / run).string() + " --overwrite");
  }

  YAML::Node fit_of(const YAML::Node &quantity, const std::string &family)
  {
    for (const auto &fit : quantity["fits"])
      if (fit["family"].as<std::string>() == family)
        return fit;
    ADD_FAILURE() << "no " << family << " fit";
    return {};
  }
} // namespace

TEST(CalibrationStage, RecoversKnownParametersAndCrossChecksP)
{
  const fs::path folder = test_folder();
  synthesize(folder);
  const auto r = calibrate(folder, "run_a", 5);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const YAML::Node record = YAML::LoadFile((folder / "run_a" / "calibration.yaml").string());
  ASSERT_EQ(record["coarse_grainings"].size(), 3u);
  for (const auto &width : record["coarse_grainings"])
    {
      // Reference: maximum-likelihood estimates lie within 3 standard errors of the truth.
      const auto hyperbolic = fit_of(width["yield_stress_GPa"], "hyperbolic")["parameters"];
      EXPECT_NEAR(hyperbolic["shape_lambda"]["estimate"].as<double>(), true_lambda,
                  3.0 * hyperbolic["shape_lambda"]["standard_error"].as<double>());
      EXPECT_NEAR(hyperbolic["scale_beta"]["estimate"].as<double>(), true_beta_GPa,
                  3.0 * hyperbolic["scale_beta"]["standard_error"].as<double>());
      // Reference: the quadrature and the independent Monte Carlo estimate agree within 3 Monte
      // Carlo standard errors; the quadrature error bound is far below both.
      const auto a = width["activation"];
      const double p = a["probability"].as<double>();
      EXPECT_GT(p, 0.0);
      EXPECT_NEAR(a["probability_monte_carlo"].as<double>(), p, 3.0 * a["monte_carlo_standard_error"].as<double>());
      EXPECT_LT(a["quadrature_error_bound"].as<double>(), 1e-3 * p);
      // n for P_act = 90 % follows from p: 1 - (1 - p)^n = 0.9.
      for (const auto &level : a["sites_for_activation"])
        EXPECT_NEAR(1.0 - std::pow(1.0 - p, level["sites"].as<double>()), level["level"].as<double>(), 1e-9);
      // The Fourier thermal stress of a non-uniform α is positive somewhere and has a finite mean.
      EXPECT_GT(width["thermal_stress_GPa"]["mean"].as<double>(), 0.0);
    }
  // Reference: Var(α) of uncorrelated sites was generated ∝ σ_cg^-3; three widths of 1000 sites
  // each determine the exponent to within its standard error (about 0.1 here).
  const auto scaling = record["thermal_expansion_variance_scaling"];
  EXPECT_NEAR(scaling["exponent"].as<double>(), true_variance_exponent,
              std::max(0.3, 3.0 * scaling["exponent_standard_error"].as<double>()));
  for (const char *file : {"fits.csv", "fit_parameters.csv", "activation.csv", "activation_curve.csv",
                           "variance_scaling.csv", "thermal_stress_sigma0.5nm.csv", "summary.txt",
                           "manifest.yaml", "config.yaml", "log.txt"})
    EXPECT_TRUE(fs::exists(folder / "run_a" / file)) << file;
  const YAML::Node manifest = YAML::LoadFile((folder / "run_a" / "manifest.yaml").string());
  EXPECT_EQ(manifest["status"].as<std::string>(), "completed");
  EXPECT_EQ(manifest["inputs"].size(), 9u);
}

TEST(CalibrationStage, SameSeedGivesByteIdenticalResults)
{
  const fs::path folder = test_folder();
  synthesize(folder);
  ASSERT_EQ(calibrate(folder, "run_b", 5).exit_code, 0);
  ASSERT_EQ(calibrate(folder, "run_c", 5).exit_code, 0);
  ASSERT_EQ(calibrate(folder, "run_d", 6).exit_code, 0);
  for (const char *file : {"calibration.yaml", "fits.csv", "fit_parameters.csv", "activation.csv",
                           "activation_curve.csv", "variance_scaling.csv", "thermal_stress_sigma0.4nm.csv",
                           "histograms/histogram_yield_stress_GPa_sigma0.5nm.csv"})
    EXPECT_EQ(read_text(folder / "run_b" / file), read_text(folder / "run_c" / file)) << file;
  // A different seed changes the bootstrap intervals and the Monte Carlo estimate.
  EXPECT_NE(read_text(folder / "run_b" / "calibration.yaml"), read_text(folder / "run_d" / "calibration.yaml"));
}

TEST(CalibrationStage, PrintConfigDocumentsEveryKeyAsYaml)
{
  const auto r = run_cryocycle("calibrate --print-config");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const YAML::Node doc = YAML::Load(r.output);
  EXPECT_TRUE(doc["output_dir"].IsDefined());
  EXPECT_EQ(doc["calibrate"]["bootstrap_resamples"].as<int>(), 200);
  EXPECT_EQ(doc["calibrate"]["thermal_stress_model"].as<std::string>(), "lowest_aic");
  for (const char *key : {"glass_quench_rate_K_per_s", "sigma_cg_nm", "thermal_expansion_csv", "yield_stress_csv",
                          "moduli_csv", "thermal_stress_csv", "low_temperature_K"})
    EXPECT_NE(r.output.find(key), std::string::npos) << key;
  EXPECT_EQ(r.output.find("synthesize:"), std::string::npos) << "only the stage's own section";
}

TEST(CalibrationStage, ValidateChecksWithoutWriting)
{
  const fs::path folder = test_folder();
  synthesize(folder);
  const auto r = run_cryocycle("calibrate --validate " + (folder / "data" / "calibrate.yaml").string());
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("valid for stage calibrate"), std::string::npos);
  EXPECT_FALSE(fs::exists(folder / "data" / "calibration_run"));
}
