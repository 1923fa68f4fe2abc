// `cryocycle extrapolate` end to end: Shang et al. (2018)'s P_act > 90% at n ≈ 5000 for the fast-quench
// Table I parameters, every listed file written, an RVE event rate carried to the samples, a
// cooling-rate trend with its state law from two calibration records, and bad configs refused
// with file, line and key and nothing written.
#include "tests/common/cli_runner.h"

#include <gtest/gtest.h>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <cmath>
#include <filesystem>
#include <regex>
#include <sstream>

using namespace cryocycle::testing;
namespace fs = std::filesystem;

namespace
{
  /// Edge (nm) of a cube holding n sites of σ_cg = 0.5 nm (V_site = 4π/3 σ³).
  double edge_for_sites(const double n) { return std::cbrt(n * 4.0 * M_PI / 3.0 * 0.125); }

  /// The rows of samples.csv by sample name: column name → text.
  std::map<std::string, std::map<std::string, std::string>> read_samples(const fs::path &file)
  {
    std::istringstream in(read_text(file));
    std::string line;
    std::getline(in, line);
    std::vector<std::string> header;
    std::stringstream hs(line);
    for (std::string f; std::getline(hs, f, ',');)
      header.push_back(f);
    std::map<std::string, std::map<std::string, std::string>> rows;
    while (std::getline(in, line))
      {
        std::stringstream ls(line);
        std::map<std::string, std::string> row;
        std::size_t i = 0;
        // The sample name is quoted; none of the names used here holds a comma.
        for (std::string f; std::getline(ls, f, ',') && i < header.size(); ++i)
          row[header[i]] = f.size() > 1 && f.front() == '"' ? f.substr(1, f.size() - 2) : f;
        rows[row["sample"]] = row;
      }
    return rows;
  }

  double number(const std::map<std::string, std::string> &row, const std::string &column)
  {
    return std::stod(row.at(column));
  }

  std::string record(const std::string &label, const double rate, const double lambda, const double beta,
                     const double gamma = 0.0, const double eta = 0.0)
  {
    std::string thermal;
    if (gamma > 0.0)
      thermal = fmt::format(R"(    thermal_stress_GPa:
      unit: GPa
      source: test
      sample_count: 500
      mean: 0.1
      standard_deviation: 0.1
      fits:
        - family: lomax
          parameters:
            shape_gamma: {{estimate: {}, standard_error: 0.2, ci_lower: 0, ci_upper: 10}}
            scale_eta: {{estimate: {}, standard_error: 0.02, ci_lower: 0, ci_upper: 1}}
          log_likelihood: -10
          aic: 24
          delta_aic: 0
          ks_statistic: 0.02
          ks_p_value: 0.9
)",
                            gamma, eta);
    return fmt::format(R"(format_version: 1
glass: {{label: "{}", quench_rate_K_per_s: {}}}
thermal_cycle: {{high_temperature_K: 300, low_temperature_K: 200, temperature_change_K: 100}}
coarse_grainings:
  - sigma_cg_nm: 0.5
    frozen_matrix_radius_nm: 1
    yield_stress_GPa:
      unit: GPa
      source: test
      sample_count: 500
      mean: 2.0
      standard_deviation: 0.5
      fits:
        - family: hyperbolic
          parameters:
            shape_lambda: {{estimate: {}, standard_error: 0.005, ci_lower: 0, ci_upper: 1}}
            scale_beta: {{estimate: {}, standard_error: 0.03, ci_lower: 0, ci_upper: 3}}
          log_likelihood: -10
          aic: 24
          delta_aic: 0
          ks_statistic: 0.02
          ks_p_value: 0.9
)",
                       label, rate, lambda, beta) +
           thermal;
  }
} // namespace

TEST(ExtrapolationStage, SeedZeroActivationAndEveryFile)
{
  const fs::path folder = test_folder();
  fs::remove_all(folder);
  write_text(folder / "config.yaml",
             fmt::format("output_dir: out\n"
                         "extrapolate:\n"
                         "  samples:\n"
                         "    - {{name: n4500, shape: cube, edge_nm: {}}}\n"
                         "    - {{name: n5000, shape: cube, edge_nm: {}}}\n"
                         "    - {{name: n5500, shape: cube, edge_nm: {}}}\n"
                         "    - {{name: md_box, shape: cube, atoms: 8000}}\n"
                         "    - {{name: rod, shape: rod, diameter_mm: 3, length_mm: 6}}\n"
                         "    - {{name: ribbon, shape: plate, thickness_um: 40, width_mm: 1, length_mm: 10}}\n",
                         edge_for_sites(4500), edge_for_sites(5000), edge_for_sites(5500)));
  const auto r = run_cryocycle("extrapolate " + (folder / "config.yaml").string() + " --output-dir " +
                               (folder / "out").string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  for (const char *file : {"config.yaml", "manifest.yaml", "log.txt", "summary.txt", "samples.csv", "extrapolation.md",
                           "activation_curve.csv", "activation_samples.csv", "plots/activation_probability.png",
                           "plots/activation_probability.gp"})
    EXPECT_TRUE(fs::exists(folder / "out" / file)) << file;

  // Shang et al. (2018) §V: with the 1e13 K/s parameters of Table I (p = 4.58e-4), P_act "becomes larger
  // than 90% for n ≈ 5000": n(0.9) = ln 0.1 / ln(1 − p) = 5026.
  std::smatch m;
  const std::string summary = read_text(folder / "out" / "summary.txt");
  ASSERT_TRUE(std::regex_search(summary, m, std::regex("P_act = 0.9 at n = ([0-9.e+]+) sites"))) << summary;
  EXPECT_NEAR(std::stod(m[1]), 5000.0, 100.0);
  ASSERT_TRUE(std::regex_search(summary, m, std::regex("p = ([0-9.e-]+) per site"))) << summary;
  EXPECT_NEAR(std::stod(m[1]), 4.58e-4, 0.01e-4);
  const auto rows = read_samples(folder / "out" / "samples.csv");
  EXPECT_NEAR(number(rows.at("n5000"), "sites"), 5000.0, 1e-6);
  EXPECT_LT(number(rows.at("n4500"), "activation_probability"), 0.9);
  EXPECT_NEAR(number(rows.at("n5000"), "activation_probability"), 0.9, 0.005);
  EXPECT_GT(number(rows.at("n5500"), "activation_probability"), 0.9);
  // An MD box of Shang et al. (2018)'s 8000 atoms holds a few hundred sites; P_act ≈ 0.1: "negligible".
  EXPECT_LT(number(rows.at("md_box"), "sites"), 400.0);
  EXPECT_LT(number(rows.at("md_box"), "activation_probability"), 0.2);
  EXPECT_GT(number(rows.at("rod"), "activation_probability"), 0.999999);
  EXPECT_GT(number(rows.at("rod"), "biot_nucleate_boiling"), 0.1);
  EXPECT_LT(number(rows.at("ribbon"), "biot_nucleate_boiling"), 0.1);
  EXPECT_GT(number(rows.at("rod"), "peak_stress_nucleate_boiling_MPa"),
            number(rows.at("ribbon"), "peak_stress_nucleate_boiling_MPa"));
  const std::string md = read_text(folder / "out" / "extrapolation.md");
  EXPECT_NE(md.find("| n5000 |"), std::string::npos) << md;
}

TEST(ExtrapolationStage, DefaultSamplesRveRateAndQuenchRateTrend)
{
  const fs::path folder = test_folder();
  fs::remove_all(folder);
  // A continuum run: 16³ nm³ periodic cube, 10 events per cycle from cycle 2 on.
  write_text(folder / "rve" / "config.yaml",
             "continuum:\n  mode: cycles\n  geometry:\n    shape: periodic_cube\n    box_size_nm: [16, 16, 16]\n");
  write_text(folder / "rve" / "cycles.csv",
             "cycle,events_cooling,events_heating,events_relaxation,relaxations\n0,0,0,0,0\n1,40,0,2,3\n2,6,2,2,1\n3,7,1,2,0\n");
  write_text(folder / "slow" / "calibration.yaml", record("slow", 1e9, 0.05, 1.56, 6.00, 0.411));
  write_text(folder / "fast" / "calibration.yaml", record("fast", 1e13, 0.10, 1.61, 8.15, 0.72));
  write_text(folder / "config.yaml", "output_dir: out\n"
                                     "extrapolate:\n"
                                     "  activation: {source: probability, probability_per_site: 1.0e-4}\n"
                                     "  rve: {cycles_csv: rve/cycles.csv, first_cycle: 2}\n"
                                     "  quench_rate:\n"
                                     "    experimental_quench_rates_K_per_s: [1.0e6]\n"
                                     "    glasses:\n"
                                     "      - {calibration_record: slow/calibration.yaml, as_quenched_energy_eV_per_atom: -5.70}\n"
                                     "      - {calibration_record: fast/calibration.yaml, as_quenched_energy_eV_per_atom: -5.66}\n");
  const auto r = run_cryocycle("extrapolate " + (folder / "config.yaml").string() + " --output-dir " +
                               (folder / "out").string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto rows = read_samples(folder / "out" / "samples.csv");
  EXPECT_EQ(rows.size(), 12u);  // 2 MD boxes, a 10 nm cube, a ribbon, 4 rods, 4 discs
  const auto &cube = rows.at("10 nm cube");
  // 10 events per cycle in 4096 nm³ → 1000 nm³ has 2.441 events per cycle.
  EXPECT_NEAR(number(cube, "rve_events_per_cycle"), 10.0 / 4096.0 * 1000.0, 1e-9);
  EXPECT_NEAR(number(cube, "activation_probability"), 1.0 - std::pow(1.0 - 1e-4, number(cube, "sites")), 1e-12);

  const std::string trends = read_text(folder / "out" / "quench_rate_extrapolation.csv");
  // 1e6 K/s is three decades below the slowest calibration.
  EXPECT_NE(trends.find("\"yield_stress_GPa hyperbolic scale_beta\",1000000,"), std::string::npos) << trends;
  EXPECT_NE(trends.find(",0.95,3\n"), std::string::npos) << trends;
  EXPECT_TRUE(fs::exists(folder / "out" / "quench_rate_trends.csv"));
  // Shang et al. (2018) Table I at 1e9 and 1e13 K/s: p = 1.8e-4 and 4.6e-4; carried three decades below the
  // slow glass every parameter keeps its trend, and p falls below the slow glass's.
  std::smatch m;
  ASSERT_TRUE(std::regex_search(trends, m, std::regex("\"p\\(sigma_th > sigma_y\\)\",1000000,([0-9.e-]+),")))
    << trends;
  EXPECT_GT(std::stod(m[1]), 0.0);
  EXPECT_LT(std::stod(m[1]), 1.75e-4);
  const YAML::Node law = YAML::LoadFile((folder / "out" / "state_law.yaml").string())["continuum"]["cycles"];
  EXPECT_EQ(law["yield_stress_family"].as<std::string>(), "hyperbolic");
  EXPECT_EQ(law["yield_stress_relaxed"].as<std::vector<double>>(), (std::vector<double>{0.05, 1.56}));
  EXPECT_EQ(law["yield_stress_rejuvenated"].as<std::vector<double>>(), (std::vector<double>{0.10, 1.61}));
  EXPECT_NEAR(law["stored_energy_rejuvenated_J_per_mol"].as<double>(), 0.04 * 96485.33212, 1e-6);
  EXPECT_NE(read_text(folder / "out" / "extrapolation.md").find("Cooling-rate extrapolation"), std::string::npos);
}

TEST(ExtrapolationStage, CalibrationRecordGivesPInvarianceAndMeshFields)
{
  // A record at σ_cg = 0.4, 0.5, 0.7 nm with p = 1.31e-3 σ³ (Shang et al. 2018 Fig. 4d's p/σ³, exactly
  // invariant) and sd(α) ∝ σ^-1.5; p at 0.5 nm is used, α carried to 1 nm elements.
  const fs::path folder = test_folder();
  fs::remove_all(folder);
  std::string text = "format_version: 1\nglass: {label: g, quench_rate_K_per_s: 1.0e9}\n"
                     "thermal_cycle: {temperature_change_K: 100}\ncoarse_grainings:\n";
  for (const double s : {0.4, 0.5, 0.7})
    text += fmt::format("  - sigma_cg_nm: {}\n    thermal_expansion_per_K: {{unit: 1/K, sample_count: 100, mean: 3.0e-5, "
                        "standard_deviation: {}, fits: []}}\n    activation: {{probability: {}}}\n",
                        s, 1e-5 * std::pow(s / 0.5, -1.5), 1.31e-3 * s * s * s);
  write_text(folder / "calibration.yaml", text);
  write_text(folder / "config.yaml", "output_dir: out\n"
                                     "extrapolate:\n"
                                     "  mesh_element_size_nm: 1.0\n"
                                     "  activation: {source: calibration_record, calibration_record: calibration.yaml}\n"
                                     "  samples: [{name: cube, shape: cube, edge_nm: 10}]\n");
  const auto r = run_cryocycle("extrapolate " + (folder / "config.yaml").string() + " --output-dir " +
                               (folder / "out").string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::string summary = read_text(folder / "out" / "summary.txt");
  EXPECT_NE(summary.find("p = 0.000163"), std::string::npos) << summary;
  EXPECT_NE(summary.find("invariant within the tolerance"), std::string::npos) << summary;
  const YAML::Node alpha =
    YAML::LoadFile((folder / "out" / "site_materials.yaml").string())["continuum"]["materials"]["thermal_expansion_volumetric_per_K"];
  EXPECT_EQ(alpha["source"].as<std::string>(), "random");
  EXPECT_NEAR(alpha["mean"].as<double>(), 3e-5, 1e-15);
  const double sigma = std::cbrt(3.0 / (4.0 * M_PI));  // σ_cg of a 1 nm element
  EXPECT_NEAR(alpha["standard_deviation"].as<double>(), 1e-5 * std::pow(sigma / 0.5, -1.5), 1e-12);
  EXPECT_TRUE(fs::exists(folder / "out" / "site_fields.csv"));
  EXPECT_NE(read_text(folder / "out" / "extrapolation.md").find("p/σ_cg³ invariance"), std::string::npos);
}

TEST(ExtrapolationStage, BadConfigsAreLocatedAndWriteNothing)
{
  const fs::path folder = test_folder();
  fs::remove_all(folder);
  write_text(folder / "one" / "calibration.yaml", record("one", 1e9, 0.05, 1.56));
  write_text(folder / "broken.csv", "cycle,events_cooling\n0,1\n");
  struct Case
  {
    std::string name;
    std::string body;  // lines after "extrapolate:", the first is line 3
    std::string location;
    std::string key;
    std::string fact;
  };
  const std::vector<Case> cases{
    {"unknown key", "  sigma_cg_mm: 0.5\n", "config.yaml:3", "extrapolate.sigma_cg_mm", "did you mean 'sigma_cg_nm'"},
    {"two units", "  samples:\n    - {name: a, shape: rod, diameter_mm: 3, diameter_um: 3000, length_mm: 6}\n",
     "config.yaml:4", "extrapolate.samples[0].diameter_mm", "given twice"},
    {"missing dimension", "  samples:\n    - {name: a, shape: rod, length_mm: 6}\n", "config.yaml:4",
     "extrapolate.samples[0].shape", "needs diameter_nm, diameter_um or diameter_mm"},
    {"dimension of another shape", "  samples:\n    - {name: a, shape: cube, edge_nm: 5, diameter_mm: 1}\n",
     "config.yaml:4", "extrapolate.samples[0].diameter_mm", "a cube has no diameter"},
    {"smaller than a site", "  samples:\n    - {name: tiny, shape: cube, edge_nm: 0.2}\n", "config.yaml:4",
     "extrapolate.samples[0].name", "smaller than one site"},
    {"probability out of range", "  activation: {source: probability, probability_per_site: 1.5}\n", "config.yaml:3",
     "extrapolate.activation.probability_per_site", "outside the allowed range"},
    {"probability missing", "  activation: {source: probability}\n", "config.yaml:3",
     "extrapolate.activation.probability_per_site", "needs probability_per_site"},
    {"wrong parameter count", "  activation: {yield_stress_parameters: [0.1]}\n", "config.yaml:3",
     "extrapolate.activation.yield_stress_parameters", "hyperbolic takes 2 parameters"},
    {"missing cycles file", "  rve: {cycles_csv: nowhere.csv}\n", "config.yaml:3", "extrapolate.rve.cycles_csv",
     "does not exist"},
    {"cycles file without events", "  rve: {cycles_csv: broken.csv}\n", "config.yaml:3", "extrapolate.rve.cycles_csv",
     "broken.csv"},
    {"one glass", "  quench_rate:\n    glasses:\n      - {calibration_record: one/calibration.yaml}\n", "config.yaml:4",
     "extrapolate.quench_rate.glasses", "two or more glasses"},
    {"bath warmer than sample", "  immersion: {bath_temperature_K: 400}\n", "config.yaml:3",
     "extrapolate.immersion.bath_temperature_K", "colder"},
  };
  for (const auto &c : cases)
    {
      SCOPED_TRACE(c.name);
      const fs::path out = folder / "out";
      fs::remove_all(out);
      write_text(folder / "config.yaml", "output_dir: out\nextrapolate:\n" + c.body);
      const auto r = run_cryocycle("extrapolate " + (folder / "config.yaml").string() + " --output-dir " + out.string());
      EXPECT_EQ(r.exit_code, 2) << r.output;
      EXPECT_NE(r.output.find(c.location), std::string::npos) << r.output;
      EXPECT_NE(r.output.find("key '" + c.key + "'"), std::string::npos) << r.output;
      EXPECT_NE(r.output.find(c.fact), std::string::npos) << r.output;
      EXPECT_NE(r.output.find("nothing was written"), std::string::npos) << r.output;
      EXPECT_FALSE(fs::exists(out));
    }
}
