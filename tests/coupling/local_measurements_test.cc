// End-to-end tests of the local measurements of `cryocycle atomistic` (tasks local_expansion,
// local_moduli): a 300-atom variant of configs/lj_local.yaml through the executable, its
// per-site tables read by `cryocycle calibrate` as they are, and bad input refused up front.
#include "tests/common/cli_runner.h"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <regex>
#include <sstream>

using namespace cryocycle::testing;
namespace fs = std::filesystem;

namespace
{
  /// configs/lj_local.yaml with a 300-atom glass and short runs (`output_dir` removed, tasks
  /// and sites as given).
  std::string small_lj_local_config(const std::string &tasks)
  {
    std::string text = read_text(fs::path(CRYOCYCLE_SOURCE_DIR) / "configs" / "lj_local.yaml");
    const auto set = [&](const std::string &pattern, const std::string &replacement) {
      const std::regex re(pattern);
      EXPECT_TRUE(std::regex_search(text, re)) << pattern;
      text = std::regex_replace(text, re, replacement);
    };
    set("output_dir: .*\n", "");
    set("tasks: \\[.*\\]", "tasks: [" + tasks + "]");
    set("atoms: \\d+", "atoms: 300");
    set("melt_time_ps: \\d+", "melt_time_ps: 1");
    set("quench_rate_K_per_s: [0-9.e+]+", "quench_rate_K_per_s: 5.0e15");
    set("sites_per_edge: \\d+", "sites_per_edge: 4");
    set("sigma_cg_A: \\[[^\\]]*\\]", "sigma_cg_A: [5.9, 8.2]");
    set("anneal_time_ps: \\d+", "anneal_time_ps: 2");
    set("averaging_ps: \\d+", "averaging_ps: 3");
    set("ramp_ps: \\d+", "ramp_ps: 1");
    set("equilibration_ps: \\d+", "equilibration_ps: 1");
    set("sample_interval_ps: 0.1", "sample_interval_ps: 0.2");
    return text;
  }

  std::vector<std::string> header(const fs::path &csv)
  {
    std::ifstream in(csv);
    std::string line;
    std::getline(in, line);
    std::vector<std::string> names;
    std::stringstream fields(line);
    for (std::string f; std::getline(fields, f, ',');)
      names.push_back(f);
    return names;
  }

  std::size_t data_rows(const fs::path &csv)
  {
    std::ifstream in(csv);
    std::string line;
    std::size_t n = 0;
    while (std::getline(in, line))
      ++n;
    return n > 0 ? n - 1 : 0;
  }
} // namespace

TEST(LocalMeasurements, PrintConfigDocumentsTheLocalKeys)
{
  const auto r = run_cryocycle("atomistic --print-config");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  for (const std::string key : {"local_expansion", "local_moduli", "sigma_cg_A", "truncation_sigmas",
                                "sites_per_edge", "site_spacing_A", "site_file", "strain_amplitude",
                                "averaging_ps", "force_tolerance_eV_per_A"})
    EXPECT_NE(r.output.find(key), std::string::npos) << key;
}

TEST(LocalMeasurements, ShippedConfigsAreValid)
{
  for (const std::string name : {"lj_local.yaml", "cuzr_local.yaml"})
    {
      const auto r = run_cryocycle("atomistic " + (fs::path(CRYOCYCLE_SOURCE_DIR) / "configs" / name).string() +
                                   " --validate");
      EXPECT_EQ(r.exit_code, 0) << name << "\n" << r.output;
    }
}

TEST(LocalMeasurements, LjGlassLocalTablesFeedTheCalibrationDirectly)
{
  // A 300-atom LJ glass: local TEC and moduli on a 4³ grid at two widths. The tables must have
  // the calibration's column conventions, calibrate_local.yaml must name them, and
  // `cryocycle calibrate` must fit them as written (Gaussian α, K, G; Fourier thermal stress
  // of the α grid). Physics checks of the stage's records: mean local α equals the run's
  // macroscopic α within 10% (the same reference as the library test); mean local K and G
  // positive.
  const fs::path folder = test_folder();
  fs::remove_all(folder);
  write_text(folder / "config.yaml", small_lj_local_config("prepare, local_expansion, local_moduli"));
  const auto r = run_cryocycle("atomistic " + (folder / "config.yaml").string() + " --output-dir " +
                               (folder / "run").string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const fs::path run = folder / "run";
  for (const std::string file :
       {"local_expansion/alpha_sigma_cg_5.9A.csv", "local_expansion/alpha_sigma_cg_8.2A.csv",
        "local_expansion/variance.csv", "local_expansion.yaml", "local_moduli/moduli_sigma_cg_5.9A.csv",
        "local_moduli.yaml", "calibrate_local.yaml"})
    EXPECT_TRUE(fs::exists(run / file)) << file;
  const auto alpha_columns = header(run / "local_expansion/alpha_sigma_cg_5.9A.csv");
  for (const std::string c : {"x_nm", "y_nm", "z_nm", "alpha_per_K"})
    EXPECT_NE(std::find(alpha_columns.begin(), alpha_columns.end(), c), alpha_columns.end()) << c;
  EXPECT_EQ(data_rows(run / "local_expansion/alpha_sigma_cg_5.9A.csv"), 64u);
  const auto moduli_columns = header(run / "local_moduli/moduli_sigma_cg_8.2A.csv");
  for (const std::string c : {"bulk_modulus_GPa", "shear_modulus_GPa", "c11_GPa", "c66_GPa"})
    EXPECT_NE(std::find(moduli_columns.begin(), moduli_columns.end(), c), moduli_columns.end()) << c;

  const YAML::Node expansion = YAML::LoadFile((run / "local_expansion.yaml").string());
  const double macroscopic = expansion["macroscopic_alpha_per_K"].as<double>();
  EXPECT_GT(macroscopic, 0.0);
  for (const auto &w : expansion["widths"])
    EXPECT_NEAR(w["mean_alpha_per_K"].as<double>(), macroscopic, 0.1 * macroscopic);
  const YAML::Node moduli = YAML::LoadFile((run / "local_moduli.yaml").string());
  for (const auto &w : moduli["widths"])
    {
      EXPECT_GT(w["mean_bulk_modulus_GPa"].as<double>(), 0.0);
      EXPECT_GT(w["mean_shear_modulus_GPa"].as<double>(), 0.0);
    }
  EXPECT_NE(r.output.find("local_expansion: α between"), std::string::npos) << r.output;

  const auto calibration = run_cryocycle("calibrate " + (run / "calibrate_local.yaml").string() +
                                         " --output-dir " + (folder / "calibration").string());
  ASSERT_EQ(calibration.exit_code, 0) << calibration.output << "\n" << read_text(run / "calibrate_local.yaml");
}

TEST(LocalMeasurementsConfig, BadSiteFileAndMissingStartAreRefusedBeforeAnyWork)
{
  const fs::path folder = test_folder();
  fs::remove_all(folder);
  // A site file without the z_nm column: a config error naming the key, exit code 2.
  write_text(folder / "sites.csv", "x_nm,y_nm\n0.1,0.2\n");
  const std::string config = std::regex_replace(small_lj_local_config("prepare, local_expansion"),
                                                std::regex("(sites_per_edge: 4[^\n]*\n)"),
                                                "$1      site_file: sites.csv\n");
  write_text(folder / "bad_sites.yaml", config);
  auto r = run_cryocycle("atomistic " + (folder / "bad_sites.yaml").string() + " --output-dir " +
                         (folder / "run1").string());
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("site_file"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("z_nm"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(folder / "run1" / "glass.data"));
  // local_moduli without prepare and without an initial_data_file.
  write_text(folder / "no_start.yaml", small_lj_local_config("local_moduli"));
  r = run_cryocycle("atomistic " + (folder / "no_start.yaml").string() + " --output-dir " + (folder / "run2").string());
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("atomistic.local.moduli"), std::string::npos) << r.output;
}

TEST(LocalMeasurements, SnapshotProtocolIsSelectedByItsKeyAndReportsTheRepeatNoise)
{
  // protocol: snapshots (Shang, Guan & Barrat 2018): no anneal, single configurations, the
  // measurement repeated on the same glass. Its records say so, carry the repeat's α per site
  // and the two noise measures; an anneal key is refused with it, naming the key.
  const fs::path folder = test_folder();
  fs::remove_all(folder);
  std::string text = small_lj_local_config("prepare, local_expansion");
  text = std::regex_replace(text, std::regex("      anneal_temperature_K: .*\n"), "");
  text = std::regex_replace(text, std::regex("    expansion:\n"), "    expansion:\n      protocol: snapshots\n");
  write_text(folder / "config.yaml", text);
  const auto r = run_cryocycle("atomistic " + (folder / "config.yaml").string() + " --output-dir " +
                               (folder / "run").string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const YAML::Node expansion = YAML::LoadFile((folder / "run" / "local_expansion.yaml").string());
  EXPECT_EQ(expansion["protocol"].as<std::string>(), "snapshots");
  EXPECT_EQ(expansion["anneal"].as<std::string>(), "none");
  EXPECT_EQ(expansion["samples_per_average"].as<int>(), 1);
  for (const auto &w : expansion["widths"])
    {
      EXPECT_GT(w["repeat_difference_std_per_K"].as<double>(), 0.0);
      const double correlation = w["repeat_correlation"].as<double>();
      EXPECT_TRUE(correlation >= -1.0 && correlation <= 1.0) << correlation;
    }
  const auto columns = header(folder / "run" / "local_expansion/alpha_sigma_cg_5.9A.csv");
  EXPECT_NE(std::find(columns.begin(), columns.end(), "alpha_repeat_per_K"), columns.end());

  write_text(folder / "bad.yaml",
             std::regex_replace(text, std::regex("      protocol: snapshots\n"),
                                "      protocol: snapshots\n      anneal_temperature_K: 2321\n"));
  const auto bad = run_cryocycle("atomistic " + (folder / "bad.yaml").string() + " --validate");
  EXPECT_EQ(bad.exit_code, 2) << bad.output;
  EXPECT_NE(bad.output.find("key 'atomistic.local.expansion.anneal_temperature_K'"), std::string::npos) << bad.output;
  EXPECT_NE(bad.output.find("without an anneal"), std::string::npos) << bad.output;
}
