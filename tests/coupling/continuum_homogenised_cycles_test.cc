// End-to-end tests of mode cycles at the homogenised resolution and with heat conduction:
// `cryocycle continuum` on a mm rod plunged into LN2 and on a homogenised periodic RVE, and the
// refusal of inputs it cannot run.
#include "tests/common/cli_runner.h"
#include "core/csv_table.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

using namespace cryocycle::testing;
namespace fs = std::filesystem;

namespace
{
  const std::string materials = "  materials:\n"
                                "    thermal_expansion_volumetric_per_K: {source: random, mean: 3.0e-5, "
                                "standard_deviation: 3.0e-5, correlation_length_nm: 0}\n"
                                "    bulk_modulus_GPa: {source: constant, value: 108.92}\n"
                                "    shear_modulus_GPa: {source: constant, value: 26.47}\n";

  /// The config up to the cycles section: a 4 nm periodic cube of 1 nm cells, cycles mode.
  std::string small_cube_head()
  {
    return "seed: 3\ncontinuum:\n  mode: cycles\n  geometry:\n    shape: periodic_cube\n"
           "    box_size_nm: [4, 4, 4]\n    element_size_nm: 1\n" +
           materials;
  }

  std::string cycles(const std::string &extra)
  {
    return "  cycles:\n    count: 2\n    low_hold_s: 10\n    high_hold_s: 10\n    cooling_rate_K_per_s: 1.0e4\n"
           "    heating_rate_K_per_s: 1.0e4\n    yield_stress_family: gaussian\n"
           "    yield_stress_relaxed: [0.25, 0.05]\n    yield_stress_rejuvenated: [0.18, 0.06]\n" +
           extra;
  }

  CliResult run(const fs::path &folder, const std::string &text, const std::string &options = "")
  {
    write_text(folder / "config.yaml", text);
    return run_cryocycle("continuum " + (folder / "config.yaml").string() + " --output-dir " +
                         (folder / "run").string() + options);
  }

  /// The config is refused with a non-zero exit naming `key` (continuum.cycles.<key>), and no run
  /// directory is written.
  void expect_refused_naming(const fs::path &folder, const std::string &text, const std::string &key)
  {
    const CliResult refused = run(folder, text);
    EXPECT_NE(refused.exit_code, 0) << text;
    EXPECT_NE(refused.output.find("continuum.cycles." + key), std::string::npos) << refused.output;
    EXPECT_FALSE(fs::exists(folder / "run"));
  }
} // namespace

TEST(ContinuumHomogenisedCycles, MillimetreRodWithHeatConduction)
{
  // A 1.5 mm rod of homogenised cells in LN2 with film/nucleate boiling: the run completes, the
  // table has a row per cycle with the thermal gradient of every cycle (a few K: Bi ≈ 0.13),
  // the surface cools into nucleate boiling, the summary reports the conduction, the sites'
  // own thermal-mismatch stress (Shang et al. 2018 Lomax) transforms sites on cooling — fewer in the
  // second cycle, whose weakest sites the first used up — and a killed run resumes to the
  // same table.
  const fs::path folder = test_folder();
  fs::remove_all(folder);
  fs::create_directories(folder);
  const std::string text = "seed: 3\ncontinuum:\n  mode: cycles\n  backend: finite_elements\n  geometry:\n"
                           "    shape: rod\n    diameter_nm: 1.5e6\n    length_nm: 3.0e6\n"
                           "    element_size_nm: 7.5e5\n" +
                           materials +
                           "  heat_conduction:\n    enabled: true\n    warming_W_per_m2K: 1355\n    cells: 24\n" +
                           cycles("    resolution: homogenised\n    site_size_nm: 1.5\n"
                                  "    site_thermal_stress_family: lomax\n"
                                  "    site_thermal_stress_parameters: [8.15, 0.1]\n");
  const CliResult result = run(folder, text);
  ASSERT_EQ(result.exit_code, 0) << result.output;
  const auto table = cryocycle::core::CsvTable::read(folder / "run" / "cycles.csv");
  ASSERT_EQ(table.row_count(), 3u);
  for (std::size_t c = 1; c < 3; ++c)
    {
      EXPECT_GT(table.column("largest_centre_surface_difference_K")[c], 1.0);
      EXPECT_LT(table.column("largest_centre_surface_difference_K")[c], 40.0);
      // 10 s in LN2: the surface passes the film → nucleate switch (125 K) on its way to 77 K.
      EXPECT_LT(table.column("lowest_surface_temperature_K")[c], 125.0);
      EXPECT_GT(table.column("lowest_surface_temperature_K")[c], 77.0);
      EXPECT_GT(table.column("largest_load_von_mises_GPa")[c], 0.0);
      EXPECT_GT(table.column("events_cooling")[c], 0.0);
    }
  EXPECT_LT(table.column("events_cooling")[2], table.column("events_cooling")[1]);
  EXPECT_GT(table.column("stored_energy_change_J_per_mol")[1], 0.0);
  // The first cycle's cooling curve: film boiling (148) first, nucleate boiling (1355) after the
  // surface passed 125 K; the centre never colder than the surface while cooling.
  const auto curve = cryocycle::core::CsvTable::read(folder / "run" / "conduction_cycle_1.csv");
  ASSERT_GT(curve.row_count(), 100u);
  const auto &h = curve.column("heat_transfer_W_per_m2K");
  EXPECT_EQ(h.front(), 148.0);
  EXPECT_NE(std::find(h.begin(), h.end(), 1355.0), h.end());
  const std::string summary = read_text(folder / "run" / "summary.txt");
  EXPECT_NE(summary.find("homogenised resolution"), std::string::npos) << summary;
  EXPECT_NE(summary.find("heat conduction"), std::string::npos) << summary;
  EXPECT_NE(result.output.find("Biot number"), std::string::npos) << result.output;

  // Resume: a second run is killed (SIGKILL) as soon as its first checkpoint is on disk and
  // continued with --resume; its table must be byte-identical to the uninterrupted run's (the
  // cells' pools, ε* and the conduction profile are all restored).
  const fs::path interrupted = folder / "interrupted";
  ASSERT_TRUE(run_cryocycle_killed_when_exists(
    {"continuum", (folder / "config.yaml").string(), "--output-dir", interrupted.string()},
    interrupted / "checkpoints" / "continuum_cycles.bin", folder / "interrupted.log"))
    << "the run ended before it could be killed";
  ASSERT_LT(cryocycle::core::CsvTable::read(interrupted / "cycles.csv").row_count(), 3u)
    << "the run finished before it could be interrupted";
  const CliResult resumed = run_cryocycle("continuum " + (folder / "config.yaml").string() + " --output-dir " +
                                          interrupted.string() + " --resume");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  EXPECT_NE(resumed.output.find("cycles: resuming after cycle 1"), std::string::npos) << resumed.output;
  EXPECT_EQ(read_text(interrupted / "cycles.csv"), read_text(folder / "run" / "cycles.csv"));
  // A changed conduction parameter is refused (the run directory's config check), and the run
  // directory is left alone.
  std::string changed = text;
  changed.replace(changed.find("cells: 24"), 9, "cells: 25");
  write_text(folder / "changed.yaml", changed);
  const CliResult refused = run_cryocycle("continuum " + (folder / "changed.yaml").string() + " --output-dir " +
                                          interrupted.string() + " --resume");
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.output.find("differs from the one"), std::string::npos) << refused.output;
  EXPECT_EQ(read_text(interrupted / "cycles.csv"), read_text(folder / "run" / "cycles.csv"));
  fs::remove_all(folder);
}

TEST(ContinuumHomogenisedCycles, HomogenisedRveTransformsFractionsOfItsCells)
{
  // A periodic 4 nm cube of 1 nm cells with 0.5 nm sites (n = 8 per cell), Fourier back-end:
  // cooling transforms sites and raises the stored energy.
  const fs::path folder = test_folder();
  fs::remove_all(folder);
  fs::create_directories(folder);
  const std::string text = "seed: 3\ncontinuum:\n  mode: cycles\n  geometry:\n    shape: periodic_cube\n"
                           "    box_size_nm: [4, 4, 4]\n    element_size_nm: 1\n" +
                           materials +
                           cycles("    resolution: homogenised\n    site_size_nm: 0.5\n"
                                  "    flip_quantum_fraction: 0.125\n    relaxation: false\n");
  const CliResult result = run(folder, text);
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("8 to 8 sites per cell"), std::string::npos) << result.output;
  const auto table = cryocycle::core::CsvTable::read(folder / "run" / "cycles.csv");
  ASSERT_EQ(table.row_count(), 3u);
  EXPECT_GT(table.column("events_cooling")[1], 0.0);
  EXPECT_GT(table.column("stored_energy_change_J_per_mol")[2], 0.0);
  fs::remove_all(folder);
}

TEST(ContinuumHomogenisedCycles, HeatConductionNeedsASurface)
{
  // A periodic cube has no surface: the config is refused naming the key, nothing is written.
  const fs::path folder = test_folder();
  fs::remove_all(folder);
  fs::create_directories(folder);
  const std::string text = "seed: 3\ncontinuum:\n  mode: cycles\n  geometry:\n    shape: periodic_cube\n"
                           "    box_size_nm: [4, 4, 4]\n    element_size_nm: 1\n" +
                           materials + "  heat_conduction:\n    enabled: true\n" + cycles("");
  const CliResult result = run(folder, text);
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.output.find("heat_conduction"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("enabled"), std::string::npos) << result.output;
  EXPECT_FALSE(fs::exists(folder / "run"));
  fs::remove_all(folder);
}

TEST(ContinuumHomogenisedCycles, StressAssistedTransformationsNeedRelaxation)
{
  // Stress-assisted STs are drawn from the relaxation's ν0 and intervals: without relaxation the
  // config is refused naming the key, and nothing is written. With relaxation the key is
  // accepted (--validate) for explicit sites and for homogenised cells.
  const fs::path folder = test_folder();
  fs::remove_all(folder);
  fs::create_directories(folder);
  const std::string head = small_cube_head();
  const std::string key = "    stress_assisted_activation_volume_nm3: 0.03\n";
  expect_refused_naming(folder, head + cycles("    relaxation: false\n" + key), "stress_assisted_activation_volume_nm3");
  for (const std::string &extra : {key, "    resolution: homogenised\n    site_size_nm: 0.5\n" + key})
    {
      const CliResult accepted = run(folder, head + cycles(extra), " --validate");
      EXPECT_EQ(accepted.exit_code, 0) << accepted.output;
    }
  fs::remove_all(folder);
}

TEST(ContinuumHomogenisedCycles, SiteThermalStressIsForHomogenisedCells)
{
  // Explicit sites get their mismatch stress from the α field, so the site thermal stress is
  // refused with resolution sites; a wrong parameter count or parameters without a family are
  // refused too, each naming its key, and nothing is written. With homogenised cells the keys
  // are accepted (--validate).
  const fs::path folder = test_folder();
  fs::remove_all(folder);
  fs::create_directories(folder);
  const std::string head = small_cube_head();
  const std::string homogenised = "    resolution: homogenised\n    site_size_nm: 0.5\n";
  const std::string family = "    site_thermal_stress_family: lomax\n";
  const std::pair<std::string, std::string> refusals[] = {
    {family + "    site_thermal_stress_parameters: [8.15, 0.72]\n", "site_thermal_stress_family"},
    {homogenised + family + "    site_thermal_stress_parameters: [8.15]\n", "site_thermal_stress_parameters"},
    {homogenised + "    site_thermal_stress_parameters: [8.15, 0.72]\n", "site_thermal_stress_parameters"}};
  for (const auto &[extra, key] : refusals)
    expect_refused_naming(folder, head + cycles(extra), key);
  const CliResult accepted =
    run(folder, head + cycles(homogenised + family + "    site_thermal_stress_parameters: [8.15, 0.72]\n"), " --validate");
  EXPECT_EQ(accepted.exit_code, 0) << accepted.output;
  fs::remove_all(folder);
}
