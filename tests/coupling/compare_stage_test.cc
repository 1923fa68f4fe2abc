// End-to-end tests of `cryocycle compare`: a synthetic continuum run built to equal a data set
// gives zero residuals, a shifted one gives the shift (absolute, relative, in uncertainties); the
// shipped data sets of Ketov et al. (2015) load and are reported; bad data sets are refused with file, line
// and key before anything is written.
#include "tests/common/cli_runner.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <sstream>

using namespace cryocycle::testing;
namespace fs = std::filesystem;

namespace
{
  /// A data set file whose numbers the synthetic run below reproduces exactly.
  const std::string data_sets = R"(format_version: 1
source: {reference: synthetic}
data_sets:
  - name: ratio
    reference: test
    unit: dimensionless
    model: {observable: stored_energy_ratio, reference_J_per_mol: 740, mapping: 1 + dE/740}
    points:
      - {state: as cast, cycle: 0, low_temperature_K: 77, value: 1.0, uncertainty: 0.04}
      - {state: five, cycle: 5, low_temperature_K: 77, value: 1.3, uncertainty: 0.1}
      - {state: ten, cycle: 10, low_temperature_K: 77, low_hold_min: 1, value: 1.5, uncertainty: 0.2}
      - {state: colder, cycle: 10, low_temperature_K: 195, value: 1.2}
  - name: peak
    reference: test
    unit: cycle
    model: {observable: stored_energy_peak_cycle, mapping: argmax}
    points:
      - {state: peak, low_temperature_K: 77, value_cycle: 10}
  - name: increase
    reference: test
    unit: J_per_mol
    model: {observable: maximum_stored_energy_increase_J_per_mol, mapping: max dE}
    points:
      - {state: peak, value_J_per_mol: 370, uncertainty_J_per_mol: 30}
  - name: median
    reference: test
    unit: dimensionless
    model: {observable: yield_median_ratio, mapping: median ratio}
    points:
      - {state: hold, cycle: 1, value: 0.97}
      - {state: cycled, cycle: 11, value: 0.8}
  - name: width
    reference: test
    unit: dimensionless
    model: {observable: yield_relative_half_width, mapping: half decile width}
    points:
      - {state: as cast, cycle: 0, value: 0.07}
      - {state: cycled, cycle: 11, value: 0.15, uncertainty: 0.01}
  - name: moduli
    reference: test
    unit: percent
    model: {observable: none, reason: moduli are fixed in the model}
    points:
      - {state: cycled, value_percent: 0, uncertainty_percent: 0.1}
)";

  /// A continuum run of mode cycles with cycles 0..12 that equals the data sets above; the shift
  /// adds `energy_shift` J/mol to E(N ≥ 1), multiplies the σ_y median at N ≥ 1 by `median_factor`
  /// and adds `width_shift` to the decile width at every N.
  void write_model_run(const fs::path &dir, const double energy_shift = 0.0, const double median_factor = 1.0,
                       const double width_shift = 0.0, const std::string &status = "completed",
                       const std::string &low_temperature_K = "77")
  {
    write_text(dir / "manifest.yaml", "cryocycle_version: test\nstatus: " + status + "\n");
    write_text(dir / "config.yaml", "output_dir: x\nseed: 1\ncontinuum:\n  mode: cycles\n  cycles:\n"
                                    "    high_temperature_K: 300\n    low_temperature_K: " + low_temperature_K +
                                    "\n    low_hold_s: 60\n"
                                    "    count: 12\n");
    // ΔE: 0 at N = 0, 222 at 5 (ratio 1.3), 370 at 10 (ratio 1.5, the peak), falling after.
    const std::map<int, double> change{{0, 0},     {1, 44.4},  {2, 88.8},  {3, 133.2}, {4, 177.6},
                                       {5, 222},   {6, 251.6}, {7, 281.2}, {8, 310.8}, {9, 340.4},
                                       {10, 370},  {11, 350},  {12, 330}};
    std::ostringstream csv;
    csv.precision(17);
    csv << "cycle,events_cooling,stored_energy_J_per_mol,yield_median_GPa,yield_decile_width\n";
    for (const auto &[n, de] : change)
      {
        const double median = n == 0 ? 2.0 : n == 1 ? 1.94 : n == 11 ? 1.6 : 1.8;
        const double width = n == 0 ? 0.14 : n == 11 ? 0.30 : 0.2;
        csv << n << ",3," << 100.0 + de + (n >= 1 ? energy_shift : 0.0) << ","
            << median * (n >= 1 ? median_factor : 1.0) << "," << width + width_shift << "\n";
      }
    write_text(dir / "cycles.csv", csv.str());
  }

  std::string compare_config(const fs::path &experiments, const fs::path &run, const std::string &extra = "")
  {
    return "seed: 1\ncompare:\n  experiments:\n    - file: " + experiments.string() +
           "\n  model_runs:\n    - label: synthetic\n      run_directory: " + run.string() + "\n" + extra;
  }

  /// Fields of one CSV line (quoted fields may hold commas).
  std::vector<std::string> csv_fields(const std::string &line)
  {
    std::vector<std::string> fields(1);
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i)
      {
        const char c = line[i];
        if (c == '"' && quoted && i + 1 < line.size() && line[i + 1] == '"')
          fields.back() += '"', ++i;
        else if (c == '"')
          quoted = !quoted;
        else if (c == ',' && !quoted)
          fields.emplace_back();
        else
          fields.back() += c;
      }
    return fields;
  }

  /// residuals.csv as rows of column → text, keyed "data_set/state/model_run".
  std::map<std::string, std::map<std::string, std::string>> read_residuals(const fs::path &file)
  {
    std::istringstream in(read_text(file));
    std::string line;
    std::getline(in, line);
    const auto header = csv_fields(line);
    std::map<std::string, std::map<std::string, std::string>> rows;
    while (std::getline(in, line))
      {
        const auto fields = csv_fields(line);
        EXPECT_EQ(fields.size(), header.size()) << line;
        std::map<std::string, std::string> row;
        for (std::size_t i = 0; i < header.size() && i < fields.size(); ++i)
          row[header[i]] = fields[i];
        rows[row["data_set"] + "/" + row["state"] + "/" + row["model_run"]] = row;
      }
    return rows;
  }

  double number(const std::map<std::string, std::string> &row, const std::string &column)
  {
    const auto &text = row.at(column);
    EXPECT_FALSE(text.empty()) << column;
    return text.empty() ? NAN : std::stod(text);
  }

  fs::path prepare(const fs::path &folder, const double energy_shift, const double median_factor,
                   const double width_shift)
  {
    fs::remove_all(folder);
    write_text(folder / "data.yaml", data_sets);
    write_model_run(folder / "model", energy_shift, median_factor, width_shift);
    write_text(folder / "compare.yaml", compare_config(folder / "data.yaml", folder / "model"));
    return folder;
  }
} // namespace

TEST(CompareStage, ModelEqualToTheDataGivesZeroResiduals)
{
  const fs::path folder = prepare(test_folder(), 0.0, 1.0, 0.0);
  const auto r = run_cryocycle("compare " + (folder / "compare.yaml").string() + " -o " + (folder / "out").string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  for (const char *file : {"report.md", "residuals.csv", "summary.txt", "manifest.yaml", "config.yaml"})
    EXPECT_TRUE(fs::exists(folder / "out" / file)) << file;
  const auto rows = read_residuals(folder / "out" / "residuals.csv");
  // Every comparable point: model equals measurement to rounding (the ratios divide by 740).
  for (const char *key : {"ratio/as cast", "ratio/five", "ratio/ten", "peak/peak", "increase/peak", "median/hold",
                          "median/cycled", "width/as cast", "width/cycled"})
    {
      ASSERT_TRUE(rows.count(key + std::string("/synthetic"))) << key;
      const auto &row = rows.at(key + std::string("/synthetic"));
      EXPECT_EQ(row.at("compared"), "1") << key;
      EXPECT_NEAR(number(row, "residual_absolute"), 0.0, 1e-12) << key;
    }
  // Conditions the run does not cover, and data the model cannot speak to, are not compared.
  EXPECT_EQ(rows.at("ratio/colder/synthetic").at("compared"), "0");
  EXPECT_NE(rows.at("ratio/colder/synthetic").at("note").find("195 K"), std::string::npos);
  EXPECT_EQ(rows.at("moduli/cycled/synthetic").at("compared"), "0");
  const std::string report = read_text(folder / "out" / "report.md");
  EXPECT_NE(report.find("## What the model cannot speak to"), std::string::npos);
  EXPECT_NE(report.find("moduli are fixed in the model"), std::string::npos);
  EXPECT_NE(report.find("| synthetic |"), std::string::npos);
}

TEST(CompareStage, ShiftedModelGivesTheShiftAsResiduals)
{
  const fs::path folder = prepare(test_folder(), 74.0, 0.9, 0.02);
  const auto r = run_cryocycle("compare " + (folder / "compare.yaml").string() + " -o " + (folder / "out").string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto rows = read_residuals(folder / "out" / "residuals.csv");
  // +74 J/mol at N ≥ 1 is +0.1 in 1 + ΔE/740: relative to 1.3 and in units of 0.1 and 0.2.
  EXPECT_NEAR(number(rows.at("ratio/as cast/synthetic"), "residual_absolute"), 0.0, 1e-12);
  EXPECT_NEAR(number(rows.at("ratio/five/synthetic"), "residual_absolute"), 0.1, 1e-12);
  EXPECT_NEAR(number(rows.at("ratio/five/synthetic"), "residual_relative"), 0.1 / 1.3, 1e-12);
  EXPECT_NEAR(number(rows.at("ratio/five/synthetic"), "residual_in_uncertainties"), 1.0, 1e-10);
  EXPECT_NEAR(number(rows.at("ratio/ten/synthetic"), "residual_in_uncertainties"), 0.5, 1e-10);
  EXPECT_NEAR(number(rows.at("increase/peak/synthetic"), "residual_absolute"), 74.0, 1e-9);
  EXPECT_NEAR(number(rows.at("increase/peak/synthetic"), "residual_in_uncertainties"), 74.0 / 30.0, 1e-10);
  EXPECT_NEAR(number(rows.at("peak/peak/synthetic"), "residual_absolute"), 0.0, 1e-12);  // the peak stays at 10
  EXPECT_TRUE(rows.at("peak/peak/synthetic").at("residual_in_uncertainties").empty());   // no uncertainty stated
  // σ_y median × 0.9 after cycle 0: ratio 0.97 → 0.873, 0.8 → 0.72.
  EXPECT_NEAR(number(rows.at("median/hold/synthetic"), "residual_absolute"), -0.097, 1e-12);
  EXPECT_NEAR(number(rows.at("median/cycled/synthetic"), "residual_relative"), -0.1, 1e-12);
  // Decile width + 0.02 is half-width + 0.01, one stated uncertainty.
  EXPECT_NEAR(number(rows.at("width/as cast/synthetic"), "residual_absolute"), 0.01, 1e-12);
  EXPECT_NEAR(number(rows.at("width/cycled/synthetic"), "residual_in_uncertainties"), 1.0, 1e-10);
}

TEST(CompareStage, ShippedKetov2015DataSetsLoadAndAreReported)
{
  const fs::path folder = test_folder();
  fs::remove_all(folder);
  write_model_run(folder / "model");
  const fs::path experiments = fs::path(CRYOCYCLE_SOURCE_DIR) / "configs" / "experiments";
  std::string config = "seed: 1\ncompare:\n  experiments:\n";
  for (const char *file : {"ketov2015_heat_of_relaxation.yaml", "ketov2015_lower_temperatures.yaml",
                           "ketov2015_nanoindentation.yaml", "ketov2015_moduli_and_plasticity.yaml"})
    config += "    - file: " + (experiments / file).string() + "\n";
  config += "  model_runs:\n    - run_directory: " + (folder / "model").string() + "\n";
  write_text(folder / "compare.yaml", config);
  const auto r = run_cryocycle("compare " + (folder / "compare.yaml").string() + " -o " + (folder / "out").string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::string report = read_text(folder / "out" / "report.md");
  for (const char *text : {"hrel_ratio_ribbon_77K", "py_relative_half_width", "rus_shear_modulus_change",
                           "plastic_strain_cuzr_cuboid", "the model run cycles to 77 K, the measurement to 195 K"})
    EXPECT_NE(report.find(text), std::string::npos) << text;
  // Ketov et al. (2015), Methods (iv): 10 cycles to 77 K give H_rel ratio 1.55 ± 15%.
  const auto rows = read_residuals(folder / "out" / "residuals.csv");
  const auto &iv = rows.at("hrel_ratio_lower_temperatures/10 cycles of 1 min at 77 K/model");
  EXPECT_EQ(iv.at("measured"), "1.55");
  EXPECT_NEAR(number(iv, "model"), 1.5, 1e-12);  // the synthetic run: 1 + 370/740
  EXPECT_TRUE(fs::exists(folder / "out" / "plots" / "compare_hrel_ratio_ribbon_77K.png") ||
              r.output.find("gnuplot") != std::string::npos);
}

TEST(CompareStage, BadDataSetsAreRefusedWithFileLineAndKey)
{
  const fs::path folder = test_folder();
  fs::remove_all(folder);
  write_model_run(folder / "model");
  struct Case
  {
    std::string from, to, key, line, message;
  };
  // Lines of `data_sets` above: the first data set's model is on line 7, its first point on 9.
  const std::vector<Case> cases{
    {"observable: stored_energy_ratio,", "observable: stored_energy_ratoi,", "data_sets[0].model.observable",
     ":7:", "did you mean 'stored_energy_ratio'"},
    {"model: {observable: stored_energy_ratio, reference_J_per_mol: 740, mapping: 1 + dE/740}",
     "model: {reference_J_per_mol: 740}", "data_sets[0].model.observable", ":7:", "declares no model observable"},
    {"model: {observable: stored_energy_ratio, reference_J_per_mol: 740, mapping: 1 + dE/740}",
     "model: {observable: stored_energy_ratio, reference_J_per_mol: 740}", "data_sets[0].model.mapping", ":7:",
     "does not say how"},
    {"cycle: 0, low_temperature_K: 77, value: 1.0,", "cycle: 0, low_temperature_K: 77, value_GPa: 1.0,",
     "data_sets[0].points[0].value_GPa", ":9:", "the data set's unit is dimensionless"},
    {"{state: as cast, cycle: 0, low_temperature_K: 77,", "{state: as cast, low_temperature_K: 77,",
     "data_sets[0].points[0].cycle", ":9:", "every point needs the model cycle N"}};
  for (const auto &c : cases)
    {
      std::string text = data_sets;
      const auto at = text.find(c.from);
      ASSERT_NE(at, std::string::npos) << c.from;
      text.replace(at, c.from.size(), c.to);
      write_text(folder / "bad.yaml", text);
      write_text(folder / "compare.yaml", compare_config(folder / "bad.yaml", folder / "model"));
      const auto r = run_cryocycle("compare " + (folder / "compare.yaml").string() + " -o " +
                                   (folder / "out").string());
      EXPECT_EQ(r.exit_code, 2) << r.output;
      EXPECT_NE(r.output.find((folder / "bad.yaml").string() + c.line), std::string::npos) << r.output;
      EXPECT_NE(r.output.find("'" + c.key + "'"), std::string::npos) << r.output;
      EXPECT_NE(r.output.find(c.message), std::string::npos) << r.output;
      EXPECT_FALSE(fs::exists(folder / "out")) << "nothing may be written: " << c.key;
    }

  // A missing model run, and a run that did not complete, are named with the config key.
  write_text(folder / "data.yaml", data_sets);
  write_text(folder / "compare.yaml", compare_config(folder / "data.yaml", folder / "nowhere"));
  auto r = run_cryocycle("compare " + (folder / "compare.yaml").string() + " -o " + (folder / "out").string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("'compare.model_runs[0].run_directory'"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("does not exist"), std::string::npos) << r.output;
  write_model_run(folder / "failed", 0.0, 1.0, 0.0, "\"failed: solver\"");
  write_text(folder / "compare.yaml", compare_config(folder / "data.yaml", folder / "failed"));
  r = run_cryocycle("compare " + (folder / "compare.yaml").string() + " -o " + (folder / "out").string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("did not complete"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(folder / "out"));
}

TEST(CompareStage, EachRunIsComparedUnderItsOwnConditionsAndWithItsSelectedDataSets)
{
  const fs::path folder = test_folder();
  fs::remove_all(folder);
  write_text(folder / "data.yaml", data_sets);
  write_model_run(folder / "run77");
  write_model_run(folder / "run195", 0.0, 1.0, 0.0, "completed", "195");
  write_text(folder / "compare.yaml",
             "seed: 1\ncompare:\n  experiments:\n    - file: " + (folder / "data.yaml").string() +
               "\n  model_runs:\n    - label: cold\n      run_directory: " + (folder / "run77").string() +
               "\n    - label: warm\n      run_directory: " + (folder / "run195").string() + "\n      only: ratio\n");
  const auto r = run_cryocycle("compare " + (folder / "compare.yaml").string() + " -o " + (folder / "out").string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto rows = read_residuals(folder / "out" / "residuals.csv");
  // The 195 K point meets the 195 K run (model ratio 1 + 370/740 = 1.5 against 1.2), not the 77 K one.
  EXPECT_EQ(rows.at("ratio/colder/cold").at("compared"), "0");
  EXPECT_EQ(rows.at("ratio/colder/warm").at("compared"), "1");
  EXPECT_NEAR(number(rows.at("ratio/colder/warm"), "residual_absolute"), 0.3, 1e-12);
  EXPECT_NEAR(number(rows.at("ratio/colder/warm"), "residual_relative"), 0.25, 1e-12);
  EXPECT_EQ(rows.at("ratio/ten/warm").at("compared"), "0");  // measured at 77 K
  // `only: ratio`: the warm run meets no other data set.
  EXPECT_EQ(rows.count("median/hold/warm"), 0u);
  EXPECT_EQ(rows.count("median/hold/cold"), 1u);
  // A data-set name that does not exist is refused with the key.
  write_text(folder / "compare.yaml",
             "seed: 1\ncompare:\n  experiments:\n    - file: " + (folder / "data.yaml").string() +
               "\n      only: ratio hrel\n  model_runs:\n    - run_directory: " + (folder / "run77").string() + "\n");
  const auto bad = run_cryocycle("compare " + (folder / "compare.yaml").string() + " -o " + (folder / "bad").string());
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.output.find(":5:"), std::string::npos) << bad.output;
  EXPECT_NE(bad.output.find("'compare.experiments[0].only'"), std::string::npos) << bad.output;
  EXPECT_NE(bad.output.find("no data set 'hrel'"), std::string::npos) << bad.output;
}
