// End-to-end tests of the frozen-matrix local yield stress task of `cryocycle atomistic`
// (local_yield): a tiny LJ glass through the executable, its per-site table read by
// `cryocycle calibrate` as written, and bad input refused before any work.
#include "tests/common/cli_runner.h"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <cmath>
#include <fstream>
#include <sstream>

using namespace cryocycle::testing;
namespace fs = std::filesystem;

namespace
{
  /// A 1500-atom Wahnström glass (box ≈ 10.5 σ) quenched fast; σ_cg = 4 Å → r_c = 8 Å = 2.5 σ,
  /// shell 2.5 σ (the cut-off), so one cluster is 10 σ wide. 12 random sites (a fit needs 10),
  /// one simple shear given as an extra strain direction (simple_shears off), minimised at
  /// fixed box, to keep the run short.
  std::string tiny_config(const std::string &tasks, const std::string &yield_extra = "", const int atoms = 1500,
                          const int sites = 12)
  {
    return "seed: 4\n"
           "atomistic:\n"
           "  tasks: [" + tasks + "]\n"
           "  potential: {name: wahnstrom_lj}\n"
           "  prepare:\n"
           "    atoms: " + std::to_string(atoms) + "\n"
           "    melt_temperature_K: 9284\n"
           "    melt_time_ps: 1\n"
           "    quench_rate_K_per_s: 5.0e15\n"
           "    final_temperature_K: 580\n"
           "  local:\n"
           "    coarse_graining:\n"
           "      sigma_cg_A: [4.0]\n"
           "      sites_per_edge: 3\n"
           "    yield_stress:\n"
           "      sites: random\n"
           "      random_sites: " + std::to_string(sites) + "\n"
           "      relax_box: false\n"
           "      simple_shears: false\n"
           "      extra_modes:\n"
           "        - {name: shear_xy, strain_direction: [0, 0, 0, 0, 0, 0.5]}\n"
           "      strain_step: 4.0e-3\n"
           "      max_strain: 0.3\n" +
           yield_extra;
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

TEST(LocalYield, PrintConfigDocumentsTheYieldStressKeys)
{
  const auto r = run_cryocycle("atomistic --print-config");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  for (const std::string key : {"local_yield", "yield_stress", "radius_per_sigma_cg", "strain_step", "max_strain",
                                "strain_precision", "drop_tolerance_GPa", "shell_thickness_A", "extra_modes",
                                "sites_per_batch", "kick_amplitude_A"})
    EXPECT_NE(r.output.find(key), std::string::npos) << key;
}

TEST(LocalYield, LjGlassYieldStressTableFeedsTheCalibrationDirectly)
{
  // Reference: the definition of the outputs. Every site appears once, either in the σ_y table
  // (with σ_y > 0 and the calibration's column yield_stress_GPa) or in the not-yielded table;
  // the per-mode table has one row per site and mode; local_yield.yaml names the mode and
  // counts the sites; calibrate_local.yaml names the table and `cryocycle calibrate` fits it
  // (hyperbolic, Weibull, Gaussian) as written. LJ stresses carry GPa through ε/σ³ = 4.89 GPa:
  // yield_stress_GPa / yield_stress_lj must be that factor.
  const fs::path folder = test_folder();
  fs::remove_all(folder);
  write_text(folder / "config.yaml", tiny_config("prepare, local_yield"));
  const auto r = run_cryocycle("atomistic " + (folder / "config.yaml").string() + " --output-dir " +
                               (folder / "run").string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const fs::path run = folder / "run";
  const fs::path table = run / "local_yield/yield_stress_sigma_cg_4A.csv";
  for (const fs::path &file : {table, run / "local_yield/modes_sigma_cg_4A.csv", run / "local_yield.yaml",
                              run / "calibrate_local.yaml"})
    EXPECT_TRUE(fs::exists(file)) << file;
  const auto columns = header(table);
  for (const std::string c : {"x_nm", "y_nm", "z_nm", "yield_stress_GPa", "weakest_mode", "yield_strain",
                              "resolved_drop_GPa", "yield_stress_lj"})
    EXPECT_NE(std::find(columns.begin(), columns.end(), c), columns.end()) << c;
  const std::size_t yielded = data_rows(table);
  const fs::path not_yielded = run / "local_yield/not_yielded_sigma_cg_4A.csv";
  const std::size_t unyielded = fs::exists(not_yielded) ? data_rows(not_yielded) : 0;
  EXPECT_EQ(yielded + unyielded, 12u);
  EXPECT_EQ(data_rows(run / "local_yield/modes_sigma_cg_4A.csv"), 12u);
  ASSERT_GE(yielded, 10u) << "too few yielded sites for a fit";

  std::ifstream in(table);
  std::string line;
  std::getline(in, line);
  const auto column = [&](const std::string &name) {
    return static_cast<std::size_t>(std::find(columns.begin(), columns.end(), name) - columns.begin());
  };
  while (std::getline(in, line))
    {
      std::vector<double> v;
      std::stringstream fields(line);
      for (std::string f; std::getline(fields, f, ',');)
        v.push_back(std::stod(f));
      EXPECT_GT(v[column("yield_stress_GPa")], 0.0);
      EXPECT_NEAR(v[column("yield_stress_GPa")] / v[column("yield_stress_lj")], 160.21766 / std::pow(3.2, 3),
                  1e-4);
    }

  const YAML::Node summary = YAML::LoadFile((run / "local_yield.yaml").string());
  EXPECT_EQ(summary["modes"][0]["name"].as<std::string>(), "shear_xy");
  EXPECT_EQ(summary["widths"][0]["sites"].as<std::size_t>(), 12u);
  EXPECT_NEAR(summary["widths"][0]["inner_radius_A"].as<double>(), 8.0, 1e-12);
  EXPECT_NE(r.output.find("local_yield:"), std::string::npos) << r.output;

  const auto calibration = run_cryocycle("calibrate " + (run / "calibrate_local.yaml").string() +
                                         " --output-dir " + (folder / "calibration").string());
  ASSERT_EQ(calibration.exit_code, 0) << calibration.output << "\n" << read_text(run / "calibrate_local.yaml");
}

TEST(LocalYield, BadSettingsAreRefusedBeforeAnyWork)
{
  // Without the prepare task local_yield needs its initial_data_file; a width not among the
  // coarse-graining widths, a bracket wider than the step, the in-house relaxer where it does not
  // apply and a zero extra mode are config errors naming the key; no run directory content is written.
  const fs::path folder = test_folder();
  fs::remove_all(folder);
  const std::vector<std::pair<std::string, std::string>> cases{
    {tiny_config("local_yield"), "initial_data_file"},
    {tiny_config("prepare, local_yield", "      sigma_cg_A: [5.0]\n"), "sigma_cg_A"},
    {tiny_config("prepare, local_yield", "      strain_precision: 1.0e-2\n"), "strain_precision"},
    // The in-house relaxation needs carved clusters and an EAM potential (the tiny config is LJ).
    {tiny_config("prepare, local_yield", "      relaxer: frozen_density\n      carve: false\n"), "carve: true"},
    {tiny_config("prepare, local_yield", "      relaxer: frozen_density\n"), "eam/fs"},
  };
  for (std::size_t i = 0; i < cases.size(); ++i)
    {
      const auto file = folder / ("bad_" + std::to_string(i) + ".yaml");
      write_text(file, cases[i].first);
      const auto r = run_cryocycle("atomistic " + file.string() + " --output-dir " + (folder / "run").string());
      EXPECT_NE(r.exit_code, 0) << cases[i].first;
      EXPECT_NE(r.output.find("atomistic.local.yield_stress"), std::string::npos) << r.output;
      EXPECT_NE(r.output.find(cases[i].second), std::string::npos) << r.output;
      EXPECT_FALSE(fs::exists(folder / "run" / "local_yield.yaml"));
    }
  std::string zero = tiny_config("prepare, local_yield");
  zero.replace(zero.find("[0, 0, 0, 0, 0, 0.5]"), 20, "[0, 0, 0, 0, 0, 0]");
  write_text(folder / "zero.yaml", zero);
  const auto r = run_cryocycle("atomistic " + (folder / "zero.yaml").string() + " --output-dir " +
                               (folder / "run").string());
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.output.find("strain_direction"), std::string::npos) << r.output;
}

TEST(LocalYield, WholeBoxMeasuresWhereACarvedClusterDoesNotFit)
{
  // Reference: the geometry of the two ways. A 1000-atom glass of the tiny config is ≈ 9.2 σ
  // wide. A carved cluster, sphere r_c = 2.5 σ plus a frozen shell of one cut-off 2.5 σ, needs
  // 2 (r_c + shell) = 10 σ and does not fit: the width is skipped with a warning that points to
  // carve: false. In the whole box the sphere only has to stay one interaction range away from
  // its own periodic image, 2 r_c + shell = 7.5 σ, so every site is measured. The whole-box run
  // measures the glass the carved run prepared.
  const fs::path folder = test_folder();
  fs::remove_all(folder);
  for (const bool carve : {true, false})
    {
      const fs::path run = folder / (carve ? "carved" : "whole");
      const fs::path config = folder / (carve ? "carved.yaml" : "whole.yaml");
      write_text(config, carve ? tiny_config("prepare, local_yield", "", 1000, 3)
                               : tiny_config("local_yield",
                                             "      carve: false\n      initial_data_file: " +
                                               (folder / "carved" / "glass.data").string() + "\n",
                                             1000, 3));
      const auto r = run_cryocycle("atomistic " + config.string() + " --output-dir " + run.string());
      ASSERT_EQ(r.exit_code, 0) << r.output;
      const fs::path modes = run / "local_yield/modes_sigma_cg_4A.csv";
      if (carve)
        {
          EXPECT_FALSE(fs::exists(modes));
          EXPECT_NE(r.output.find("does not fit"), std::string::npos) << r.output;
          EXPECT_NE(r.output.find("carve: false"), std::string::npos) << r.output;
        }
      else
        {
          ASSERT_TRUE(fs::exists(modes)) << r.output;
          EXPECT_EQ(data_rows(modes), 3u);
          EXPECT_EQ(r.output.find("does not fit"), std::string::npos) << r.output;
        }
    }
}
