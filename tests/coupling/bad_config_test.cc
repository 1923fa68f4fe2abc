// Bad input to `cryocycle calibrate`: every malformed or invalid config or input table gives a
// message naming the config file, line and key, a non-zero exit, and writes nothing at all.
#include "tests/common/cli_runner.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <filesystem>
#include <vector>

using namespace cryocycle::testing;
namespace fs = std::filesystem;

namespace
{

  std::string yield_table(const std::string &last_value = "2.5", const std::string &column = "yield_stress_GPa")
  {
    std::string text = column + "\n";
    for (int i = 0; i < 19; ++i)
      text += fmt::format("{}\n", 1.0 + 0.37 * i);
    return text + last_value + "\n";
  }

  std::string grid_table(const int skip_index = -1)
  {
    std::string alpha = "x_nm,y_nm,z_nm,alpha_per_K\n";
    int index = 0;
    for (int k = 0; k < 4; ++k)
      for (int j = 0; j < 4; ++j)
        for (int i = 0; i < 4; ++i, ++index)
          if (index != skip_index)
            alpha += fmt::format("{},{},{},{}\n", 0.5 * i, 0.5 * j, 0.5 * k, 3e-5 + 1e-6 * ((index * 7) % 11));
    return alpha;
  }

  void write_inputs(const fs::path &folder)
  {
    fs::remove_all(folder);
    write_text(folder / "yield.csv", yield_table());
    write_text(folder / "alpha.csv", grid_table());
    std::string moduli = "bulk_modulus_GPa,shear_modulus_GPa\n";
    for (int i = 0; i < 20; ++i)
      moduli += fmt::format("{},{}\n", 100.0 + i, 25.0 + 0.1 * i);
    write_text(folder / "moduli.csv", moduli);
    write_text(folder / "nan.csv", yield_table("nan"));
    write_text(folder / "negative.csv", yield_table("-0.3"));
    write_text(folder / "garbage.csv", "\x89PNG\r\n\x1a\n binary junk, not a table\n");
    write_text(folder / "wrong_column.csv", yield_table("2.5", "tau_GPa"));
    write_text(folder / "short_row.csv", yield_table("2.5,7"));
    write_text(folder / "few.csv", "yield_stress_GPa\n1\n2\n3\n");
    write_text(folder / "holes.csv", grid_table(5));
  }

  /// The valid base config; lines are numbered from 1 as in the file.
  std::vector<std::string> base_lines()
  {
    return {"output_dir: out",
            "seed: 3",
            "calibrate:",
            "  bootstrap_resamples: 5",
            "  monte_carlo_samples: 1000",
            "  coarse_grainings:",
            "    - sigma_cg_nm: 0.5",
            "      yield_stress_csv: yield.csv",
            "      thermal_expansion_csv: alpha.csv",
            "      moduli_csv: moduli.csv"};
  }

  struct BadCase
  {
    std::string name;
    std::vector<std::string> lines;
    std::string location;  // "config.yaml:<line>"
    std::string key;
    std::string fact;
  };

  std::vector<std::string> replaced(const int line, const std::string &text)
  {
    auto lines = base_lines();
    lines.at(static_cast<std::size_t>(line - 1)) = text;
    return lines;
  }

  std::vector<std::string> inserted(const int after_line, const std::string &text)
  {
    auto lines = base_lines();
    lines.insert(lines.begin() + after_line, text);
    return lines;
  }

  std::vector<std::string> removed(const int line)
  {
    auto lines = base_lines();
    lines.erase(lines.begin() + (line - 1));
    return lines;
  }

  std::string joined(const std::vector<std::string> &lines)
  {
    std::string text;
    for (const auto &l : lines)
      text += l + "\n";
    return text;
  }
} // namespace

TEST(BadConfig, TheValidBaseConfigRuns)
{
  // Guards the cases below: each differs from a config that works.
  const fs::path folder = test_folder();
  write_inputs(folder);
  write_text(folder / "config.yaml", joined(base_lines()));
  const auto r = run_cryocycle("calibrate " + (folder / "config.yaml").string() + " --output-dir " +
                               (folder / "out").string());
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(fs::exists(folder / "out" / "calibration.yaml"));
}

TEST(BadConfig, EachCaseIsLocatedExitsNonZeroAndWritesNothing)
{
  const fs::path folder = test_folder();
  write_inputs(folder);
  const std::vector<BadCase> cases{
    {"malformed YAML", replaced(4, "  bootstrap_resamples: [5"), "config.yaml:5", "", "malformed YAML"},
    {"unknown top-level key", replaced(1, "outptu_dir: out"), "config.yaml:1:1", "outptu_dir", "did you mean 'output_dir'"},
    {"unknown nested key", replaced(4, "  bootstrap_resample: 5"), "config.yaml:4:3", "calibrate.bootstrap_resample", "did you mean 'bootstrap_resamples'"},
    {"wrong type", replaced(4, "  bootstrap_resamples: many"), "config.yaml:4", "calibrate.bootstrap_resamples", "found 'many'"},
    {"fractional integer", replaced(4, "  bootstrap_resamples: 2.5"), "config.yaml:4", "calibrate.bootstrap_resamples", "expected an integer"},
    {"negative rate", inserted(3, "  glass_quench_rate_K_per_s: -1e9"), "config.yaml:4", "calibrate.glass_quench_rate_K_per_s", "outside the allowed range (0, inf)"},
    {"T_b above T_a", inserted(3, "  low_temperature_K: 400"), "config.yaml:4", "calibrate.low_temperature_K", "must be below high_temperature_K"},
    {"level out of range", inserted(3, "  confidence_level: 1.5"), "config.yaml:4", "calibrate.confidence_level", "outside the allowed range (0, 1)"},
    {"NaN in config", inserted(3, "  high_temperature_K: .nan"), "config.yaml:4", "calibrate.high_temperature_K", "found '.nan'"},
    {"unknown family", inserted(3, "  yield_stress_families: [hyperbolic, gamma]"), "config.yaml:4", "calibrate.yield_stress_families[1]", "'gamma' is not one of"},
    {"model not fitted", inserted(3, "  yield_stress_model: lomax"), "config.yaml:4", "calibrate.yield_stress_model", "must also be listed in yield_stress_families"},
    // (The item's first key replaced by the one after it, which is then given once only.)
    {"missing required key", [] { auto l = replaced(7, "    - yield_stress_csv: yield.csv"); l.erase(l.begin() + 7); return l; }(), "config.yaml:7", "calibrate.coarse_grainings[0].sigma_cg_nm", "missing required key"},
    {"empty list", {"calibrate:", "  coarse_grainings: []"}, "config.yaml:2", "calibrate.coarse_grainings", "at least 1"},
    {"missing input file", replaced(8, "      yield_stress_csv: yeild.csv"), "config.yaml:8", "calibrate.coarse_grainings[0].yield_stress_csv", "does not exist"},
    {"unreadable CSV", replaced(8, "      yield_stress_csv: garbage.csv"), "config.yaml:8", "calibrate.coarse_grainings[0].yield_stress_csv", "garbage.csv:"},
    {"NaN in data", replaced(8, "      yield_stress_csv: nan.csv"), "config.yaml:8", "calibrate.coarse_grainings[0].yield_stress_csv", "nan.csv:21: column 'yield_stress_GPa': non-finite"},
    {"negative yield stress", replaced(8, "      yield_stress_csv: negative.csv"), "config.yaml:8", "calibrate.coarse_grainings[0].yield_stress_csv", "row 20 is -0.3 but must be positive"},
    {"wrong column", replaced(8, "      yield_stress_csv: wrong_column.csv"), "config.yaml:8", "calibrate.coarse_grainings[0].yield_stress_csv", "no column 'yield_stress_GPa'"},
    {"short row", replaced(8, "      yield_stress_csv: short_row.csv"), "config.yaml:8", "calibrate.coarse_grainings[0].yield_stress_csv", "expected 1 fields"},
    {"too few samples", replaced(8, "      yield_stress_csv: few.csv"), "config.yaml:8", "calibrate.coarse_grainings[0].yield_stress_csv", "at least 10 are needed"},
    {"incomplete alpha grid", replaced(9, "      thermal_expansion_csv: holes.csv"), "config.yaml:9", "calibrate.coarse_grainings[0].thermal_expansion_csv", "not usable for the Fourier thermal stress"},
    {"no moduli for the thermal stress", removed(10), "config.yaml:9", "calibrate.coarse_grainings[0].thermal_expansion_csv", "needs K and G"},
    {"top level is a list", {"- a", "- b"}, "config.yaml:1", "", "must be a map"},
  };
  for (const auto &c : cases)
    {
      SCOPED_TRACE(c.name);
      const fs::path config = folder / "config.yaml";
      const fs::path out = folder / "out";
      fs::remove_all(out);
      write_text(config, joined(c.lines));
      const auto r = run_cryocycle("calibrate " + config.string() + " --output-dir " + out.string());
      EXPECT_EQ(r.exit_code, 2) << r.output;
      EXPECT_NE(r.output.find(c.location), std::string::npos) << r.output;
      if (!c.key.empty())
        {
          EXPECT_NE(r.output.find("key '" + c.key + "'"), std::string::npos) << r.output;
        }
      EXPECT_NE(r.output.find(c.fact), std::string::npos) << r.output;
      EXPECT_NE(r.output.find("nothing was written"), std::string::npos) << r.output;
      EXPECT_FALSE(fs::exists(out)) << "a failed config left " << out;
      // --validate reports the same error without running.
      const auto v = run_cryocycle("calibrate --validate " + config.string());
      EXPECT_EQ(v.exit_code, 2) << v.output;
      EXPECT_NE(v.output.find(c.location), std::string::npos) << v.output;
    }
}

TEST(BadConfig, MissingConfigFileAndUnknownStage)
{
  const auto missing = run_cryocycle("calibrate /nonexistent/config.yaml");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.output.find("/nonexistent/config.yaml: config file does not exist"), std::string::npos)
    << missing.output;
  const auto stage = run_cryocycle("calibrat x.yaml");
  EXPECT_NE(stage.exit_code, 0);
}

TEST(BadConfig, NonEmptyOutputDirectoryIsRefusedWithoutOverwrite)
{
  const fs::path folder = test_folder();
  write_inputs(folder);
  write_text(folder / "config.yaml", joined(base_lines()));
  write_text(folder / "occupied" / "notes.txt", "keep me");
  const auto r = run_cryocycle("calibrate " + (folder / "config.yaml").string() + " --output-dir " +
                               (folder / "occupied").string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("is not empty"), std::string::npos) << r.output;
  const auto forced = run_cryocycle("calibrate " + (folder / "config.yaml").string() + " --output-dir " +
                                    (folder / "occupied").string() + " --overwrite");
  EXPECT_EQ(forced.exit_code, 2) << "a folder that is not a run must never be deleted";
  EXPECT_EQ(read_text(folder / "occupied" / "notes.txt"), "keep me");
}

TEST(BadConfig, ResumeIsRefusedByStagesWithoutCheckpointsAndWithOverwrite)
{
  const fs::path folder = test_folder();
  write_inputs(folder);
  write_text(folder / "config.yaml", joined(base_lines()));
  const std::string run = "calibrate " + (folder / "config.yaml").string() + " --output-dir " +
                          (folder / "run").string();
  ASSERT_EQ(run_cryocycle(run).exit_code, 0);
  const std::string manifest = read_text(folder / "run" / "manifest.yaml");

  const auto resumed = run_cryocycle(run + " --resume");
  EXPECT_EQ(resumed.exit_code, 2);
  EXPECT_NE(resumed.output.find("cannot --resume"), std::string::npos) << resumed.output;
  const auto both = run_cryocycle(run + " --resume --overwrite");
  EXPECT_EQ(both.exit_code, 2);
  EXPECT_NE(both.output.find("exclude each other"), std::string::npos) << both.output;
  EXPECT_EQ(read_text(folder / "run" / "manifest.yaml"), manifest) << "a refused resume writes nothing";
}
