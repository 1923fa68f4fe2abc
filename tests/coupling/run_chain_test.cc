// End-to-end tests of `cryocycle run`: a tiny LJ glass → calibration → cryogenic cycles chain in
// one run directory with outputs handed on by ${stage/file#key} references; the same chain with
// the first two stages taken from the first run (reused, not recomputed: the manifest says so and
// the continuum result is identical byte for byte); incompatible `from:` folders and bad
// references are refused before anything is written.
#include "tests/common/cli_runner.h"
#include "core/run_directory.h"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <cmath>

using namespace cryocycle::testing;
namespace fs = std::filesystem;

namespace
{
  const std::string demo_data = std::string(CRYOCYCLE_SOURCE_DIR) + "/configs/demo/data/";
  const std::string record = "${calibrate/calibration.yaml#coarse_grainings.0.";

  /// The three stage sections; `from` lines go into the run section.
  std::string chain_config(const std::string &run_section)
  {
    return "seed: 5\nrun:\n" + run_section +
           R"(atomistic:
  tasks: [prepare]
  potential:
    name: wahnstrom_lj
  prepare:
    atoms: 200
    melt_temperature_K: 9284
    melt_time_ps: 2
    quench_rate_K_per_s: 2.0e15
    final_temperature_K: 580
    sample_interval_ps: 0.5
calibrate:
  # ${nowhere/x.csv}: a reference in a comment is not read
  glass_label: LJ glass of this run  # nor ${this/one}
  glass_quench_rate_K_per_s: ${atomistic/prepare.yaml#quench_rate_K_per_s}
  low_temperature_K: 77
  bootstrap_resamples: 0
  monte_carlo_samples: 1000
  yield_stress_families: [hyperbolic]
  yield_stress_model: hyperbolic
  thermal_stress_families: [weibull]
  thermal_stress_model: weibull
  coarse_grainings:
    - sigma_cg_nm: 0.5
      thermal_expansion_csv: )" +
           demo_data + "alpha_sigma0.50nm.csv\n      moduli_csv: " + demo_data +
           "moduli_sigma0.50nm.csv\n      yield_stress_csv: " + demo_data + "yield_stress_rc1.00nm.csv\n" +
           R"(continuum:
  mode: cycles
  geometry:
    box_size_nm: [6, 6, 6]
    element_size_nm: 1
  materials:
    thermal_expansion_volumetric_per_K:
      source: random
      mean: )" + record +
           R"(thermal_expansion_per_K.mean}
      standard_deviation: )" + record +
           R"(thermal_expansion_per_K.standard_deviation}
      correlation_length_nm: 0
    bulk_modulus_GPa:
      source: constant
      value: )" + record +
           R"(bulk_modulus_GPa.mean}
    shear_modulus_GPa:
      source: constant
      value: )" + record +
           R"(shear_modulus_GPa.mean}
  cycles:
    count: 3
    yield_stress_family: hyperbolic
    yield_stress_relaxed:
      - )" + record +
           R"(yield_stress_GPa.fits.0.parameters.shape_lambda.estimate}
      - )" + record +
           R"(yield_stress_GPa.fits.0.parameters.scale_beta.estimate}
    yield_stress_rejuvenated: [0.05, 1.2]
)";
  }

  YAML::Node chain_entry(const fs::path &run, const std::string &stage)
  {
    const YAML::Node manifest = YAML::LoadFile((run / "manifest.yaml").string());
    for (const auto &entry : manifest["chain"])
      if (entry["stage"].as<std::string>() == stage)
        return entry;
    ADD_FAILURE() << "no chain entry for " << stage;
    return {};
  }

  CliResult run_chain(const fs::path &folder, const std::string &name, const std::string &text)
  {
    write_text(folder / (name + ".yaml"), text);
    return run_cryocycle("run " + (folder / (name + ".yaml")).string() + " -o " + (folder / name).string());
  }
} // namespace

TEST(RunChain, TinyLjChainRunsAndASecondRunReusesItsFirstStages)
{
  const fs::path folder = test_folder();
  fs::remove_all(folder);
  const auto first = run_chain(folder, "first", chain_config("  stages: [atomistic, calibrate, continuum]\n"));
  ASSERT_EQ(first.exit_code, 0) << first.output;
  const fs::path a = folder / "first";
  for (const char *file : {"manifest.yaml", "config.yaml", "summary.txt", "1_atomistic/prepare.yaml",
                           "1_atomistic/glass.data", "2_calibrate/calibration.yaml", "3_continuum/cycles.csv"})
    EXPECT_TRUE(fs::exists(a / file)) << file;
  for (const char *stage : {"atomistic", "calibrate", "continuum"})
    EXPECT_EQ(chain_entry(a, stage)["status"].as<std::string>(), "ran") << stage;
  EXPECT_EQ(YAML::LoadFile((a / "manifest.yaml").string())["status"].as<std::string>(), "completed");
  EXPECT_NE(read_text(a / "log.txt").find("run finished"), std::string::npos);
  // Each stage's resolved config names its own folder, so it can be rerun alone.
  EXPECT_EQ(fs::path(YAML::LoadFile((a / "2_calibrate/config.yaml").string())["output_dir"].as<std::string>()),
            a / "2_calibrate");

  // The hand-offs: each later stage's resolved config holds the earlier stage's numbers.
  const YAML::Node calibrated = YAML::LoadFile((a / "2_calibrate/calibration.yaml").string());
  const YAML::Node width = calibrated["coarse_grainings"][0];
  const YAML::Node calibrate_config = YAML::LoadFile((a / "2_calibrate/config.yaml").string());
  EXPECT_DOUBLE_EQ(calibrate_config["calibrate"]["glass_quench_rate_K_per_s"].as<double>(), 2.0e15);
  const YAML::Node continuum = YAML::LoadFile((a / "3_continuum/config.yaml").string())["continuum"];
  EXPECT_DOUBLE_EQ(continuum["materials"]["bulk_modulus_GPa"]["value"].as<double>(),
                   width["bulk_modulus_GPa"]["mean"].as<double>());
  EXPECT_DOUBLE_EQ(continuum["materials"]["thermal_expansion_volumetric_per_K"]["standard_deviation"].as<double>(),
                   width["thermal_expansion_per_K"]["standard_deviation"].as<double>());
  EXPECT_DOUBLE_EQ(continuum["cycles"]["yield_stress_relaxed"][1].as<double>(),
                   width["yield_stress_GPa"]["fits"][0]["parameters"]["scale_beta"]["estimate"].as<double>());

  // Second run: atomistic and calibrate taken from the first, only the continuum runs.
  const auto second =
    run_chain(folder, "second",
              chain_config("  stages: [atomistic, calibrate, continuum]\n  from:\n    atomistic: " +
                           (a / "1_atomistic").string() + "\n    calibrate: " + (a / "2_calibrate").string() + "\n"));
  ASSERT_EQ(second.exit_code, 0) << second.output;
  const fs::path b = folder / "second";
  EXPECT_FALSE(fs::exists(b / "1_atomistic"));
  EXPECT_FALSE(fs::exists(b / "2_calibrate"));
  for (const auto &[stage, dir] : {std::pair<std::string, std::string>{"atomistic", "1_atomistic"},
                                   std::pair<std::string, std::string>{"calibrate", "2_calibrate"}})
    {
      const YAML::Node entry = chain_entry(b, stage);
      EXPECT_EQ(entry["status"].as<std::string>(), "reused");
      EXPECT_EQ(fs::path(entry["directory"].as<std::string>()), a / dir);
      EXPECT_EQ(entry["config_sha256"].as<std::string>(), cryocycle::core::sha256_of_file(a / dir / "config.yaml"));
      EXPECT_EQ(entry["source_status"].as<std::string>(), "completed");
    }
  EXPECT_EQ(chain_entry(b, "continuum")["status"].as<std::string>(), "ran");
  // Same seed, same hand-off values: the continuum result is the same bytes.
  EXPECT_EQ(read_text(b / "3_continuum/cycles.csv"), read_text(a / "3_continuum/cycles.csv"));
  const auto section = [](const fs::path &config) {
    YAML::Emitter out;
    out << YAML::LoadFile(config.string())["continuum"];
    return std::string(out.c_str());
  };
  EXPECT_EQ(section(b / "3_continuum/config.yaml"), section(a / "3_continuum/config.yaml"));
}

TEST(RunChain, IncompatibleFromAndBadReferencesAreRefusedBeforeAnythingRuns)
{
  const fs::path folder = test_folder();
  fs::remove_all(folder);
  // Fake previous runs: a completed calibrate run without its record, a failed one, and a
  // continuum run offered as a calibration.
  const auto fake = [&](const std::string &name, const std::string &stage, const std::string &status) {
    write_text(folder / name / "manifest.yaml",
               "status: \"" + status + "\"\nstage_wall_times_s:\n  " + stage + ": 1.0\n");
    write_text(folder / name / "config.yaml", stage + ":\n  x: 1\n");
  };
  fake("no_record", "calibrate", "completed");
  fake("failed", "calibrate", "failed: a fit did not converge");
  write_text(folder / "failed" / "calibration.yaml", "coarse_grainings: []\n");
  fake("continuum_run", "continuum", "completed");

  struct Case
  {
    std::string run_section, key, line, message;
  };
  const std::string stages = "  stages: [calibrate, continuum]\n";
  // Line 5 is the stage key inside `from:`.
  const std::vector<Case> cases{
    {stages + "  from:\n    calibrate: " + (folder / "missing").string() + "\n", "run.from.calibrate", ":5:",
     "does not exist"},
    {stages + "  from:\n    calibrate: " + (folder / "no_record").string() + "\n", "run.from.calibrate", ":5:",
     "lacks output files of a calibrate run: calibration.yaml"},
    {stages + "  from:\n    calibrate: " + (folder / "failed").string() + "\n", "run.from.calibrate", ":5:",
     "did not complete (status: failed: a fit did not converge)"},
    {stages + "  from:\n    calibrate: " + (folder / "continuum_run").string() + "\n", "run.from.calibrate",
     ":5:", "is not a calibrate run (its manifest lists: continuum)"},
    {stages + "  from:\n    atomistic: " + (folder / "continuum_run").string() + "\n", "run.from.atomistic",
     ":5:", "stage atomistic is not in run.stages"},
    // calibrate runs here but refers to the atomistic stage, which is not in the chain.
    {stages, "calibrate.glass_quench_rate_K_per_s", ":", "refers to stage 'atomistic', which is not in run.stages"},
    // continuum before calibrate: its references point forward.
    {"  stages: [atomistic, continuum, calibrate]\n", "continuum.materials.thermal_expansion_volumetric_per_K.mean", ":",
     "stage calibrate comes after continuum"}};
  for (const auto &c : cases)
    {
      const auto r = run_chain(folder, "out", chain_config(c.run_section));
      EXPECT_EQ(r.exit_code, 2) << c.message << "\n" << r.output;
      EXPECT_NE(r.output.find((folder / "out.yaml").string() + c.line), std::string::npos) << r.output;
      EXPECT_NE(r.output.find("'" + c.key + "'"), std::string::npos) << r.output;
      EXPECT_NE(r.output.find(c.message), std::string::npos) << r.output;
      EXPECT_FALSE(fs::exists(folder / "out")) << "nothing may be written: " << c.message;
    }
  // A mistake in a stage that waits for values of earlier stages is still found before any work.
  {
    std::string text = chain_config("  stages: [atomistic, calibrate, continuum]\n");
    text.replace(text.find("    count: 3"), 12, "    cuont: 3");
    const auto r = run_chain(folder, "out", text);
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find("'continuum.cycles.cuont'"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("did you mean 'count'"), std::string::npos) << r.output;
    EXPECT_FALSE(fs::exists(folder / "out"));
  }
  // --validate runs the same checks and nothing else.
  write_text(folder / "good.yaml", chain_config("  stages: [atomistic, calibrate, continuum]\n"));
  const auto valid = run_cryocycle("run --validate " + (folder / "good.yaml").string());
  EXPECT_EQ(valid.exit_code, 0) << valid.output;
  EXPECT_NE(valid.output.find("valid for stage run (atomistic → calibrate → continuum)"), std::string::npos)
    << valid.output;
}

TEST(RunChain, ShippedChainConfigsAreValid)
{
  // Every shipped chain passes the checks run makes before any work (keys, references, files).
  for (const std::string name : {"demo.yaml", "run_example.yaml", "cuzr_full.yaml"})
    {
      const auto r = run_cryocycle("run --validate " + (fs::path(CRYOCYCLE_SOURCE_DIR) / "configs" / name).string());
      EXPECT_EQ(r.exit_code, 0) << name << "\n" << r.output;
      EXPECT_NE(r.output.find("valid for stage run"), std::string::npos) << name << "\n" << r.output;
    }
}
