// Tests of reading a YAML config against declarations: defaults, typed access, and an error
// naming file, line, column and key for every kind of bad input.
#include "core/config_values.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

using namespace cryocycle::core;
namespace fs = std::filesystem;

namespace
{
  ConfigSection schema()
  {
    ConfigSection root("test");
    root.output_path("output_dir", "run", "Run directory.");
    root.integer("seed", 1, ConfigRange::closed(0, 1e9), "Seed.");
    auto &cycle = root.section("cycle", "Cycle.");
    cycle.real("high_temperature_K", 300.0, ConfigRange::positive(), "T_a.");
    cycle.real("low_temperature_K", 77.0, ConfigRange::positive(), "T_b.");
    cycle.real("cooling_rate_K_per_s", 10.0, ConfigRange::positive(), "Q_b.");
    cycle.boolean("hold", true, "Hold.");
    cycle.choice("thermostat", "langevin", {"langevin", "nose-hoover"}, "Thermostat.");
    cycle.real_list("levels", {0.5, 0.9}, {0.0, 1.0, false, false}, "Levels.", 1);
    cycle.check([](const ConfigValues &v) {
      if (v.real("low_temperature_K") >= v.real("high_temperature_K"))
        v.fail("low_temperature_K", "must be below high_temperature_K");
    });
    auto &item = root.section_list("tables", "Tables.");
    item.optional_real("sigma_cg_nm", ConfigRange::positive(), "Width.", true);
    item.input_file("file", "A table.");
    return root;
  }

  ConfigValues load(const std::string &text)
  {
    static const ConfigSection s = schema();
    return load_config_text(s, text, "test.yaml", fs::temp_directory_path());
  }

  /// The error a config gives; fails the test if there is none.
  ConfigError error_of(const std::string &text)
  {
    try
      {
        load(text);
      }
    catch (const ConfigError &e)
      {
        return e;
      }
    ADD_FAILURE() << "no error for:\n" << text;
    return ConfigError("", 0, 0, "", "");
  }
} // namespace

TEST(ConfigValues, DefaultsFilledAndTypedAccess)
{
  const auto v = load("seed: 7\ncycle:\n  low_temperature_K: 4.2\n");
  EXPECT_EQ(v.integer("seed"), 7);
  EXPECT_EQ(v.text("output_dir"), "run");
  const auto cycle = v.section("cycle");
  EXPECT_DOUBLE_EQ(cycle.real("low_temperature_K"), 4.2);
  EXPECT_DOUBLE_EQ(cycle.real("high_temperature_K"), 300.0);
  EXPECT_TRUE(cycle.boolean("hold"));
  EXPECT_EQ(cycle.text("thermostat"), "langevin");
  EXPECT_EQ(cycle.real_list("levels"), (std::vector<double>{0.5, 0.9}));
  EXPECT_TRUE(v.section_list("tables").empty());
  EXPECT_THROW(v.real("undeclared"), std::logic_error);
}

TEST(ConfigValues, ReadingASectionLeavesTheParentIntact)
{
  // yaml-cpp nodes share storage: a section handle must not rebind the parent's tree.
  const auto v = load("seed: 3\ncycle:\n  hold: false\n");
  EXPECT_FALSE(v.section("cycle").boolean("hold"));
  EXPECT_EQ(v.integer("seed"), 3);
  EXPECT_EQ(v.text("output_dir"), "run");
  EXPECT_FALSE(v.section("cycle").boolean("hold"));
}

TEST(ConfigValues, InputFilesResolveAgainstTheConfigFolderAndMustExist)
{
  const fs::path folder = fs::temp_directory_path() / "cryocycle_config_values_test";
  fs::create_directories(folder);
  std::ofstream(folder / "table.csv") << "a\n1\n";
  std::ofstream(folder / "config.yaml") << "tables:\n  - sigma_cg_nm: 0.5\n    file: table.csv\n";
  static const ConfigSection s = schema();
  const auto v = load_config_file(s, folder / "config.yaml");
  EXPECT_EQ(v.section_list("tables").at(0).input_file("file"), fs::absolute(folder / "table.csv"));
  std::ofstream(folder / "bad.yaml") << "tables:\n  - sigma_cg_nm: 0.5\n    file: missing.csv\n";
  try
    {
      load_config_file(s, folder / "bad.yaml");
      FAIL() << "missing input file accepted";
    }
  catch (const ConfigError &e)
    {
      EXPECT_EQ(e.line(), 3);
      EXPECT_EQ(e.key(), "tables[0].file");
      EXPECT_NE(std::string(e.what()).find("missing.csv"), std::string::npos);
    }
  fs::remove_all(folder);
}

TEST(ConfigValues, UnknownKeySuggestsTheNearestWithLineAndColumn)
{
  const auto e = error_of("seed: 1\ncycle:\n  cooling_rate_K_per_sec: 5\n");
  EXPECT_EQ(e.line(), 3);
  EXPECT_EQ(e.column(), 3);
  EXPECT_EQ(e.key(), "cycle.cooling_rate_K_per_sec");
  EXPECT_NE(e.message().find("did you mean 'cooling_rate_K_per_s'"), std::string::npos);
  EXPECT_EQ(std::string(e.what()).rfind("test.yaml:3:3: ", 0), 0u) << e.what();
}

TEST(ConfigValues, EveryKindOfBadValueIsLocated)
{
  struct Case
  {
    std::string text;
    int line;
    std::string key;
    std::string fact;
  };
  const std::vector<Case> cases{
    {"seed: [1\n", 2, "", "malformed YAML"},
    {"seed: many\n", 1, "seed", "found 'many'"},
    {"seed: 2.5\n", 1, "seed", "expected an integer"},
    {"seed: -1\n", 1, "seed", "outside the allowed range [0, 1000000000]"},
    {"cycle:\n  cooling_rate_K_per_s: -3\n", 2, "cycle.cooling_rate_K_per_s", "outside the allowed range (0, inf)"},
    {"cycle:\n  cooling_rate_K_per_s: .nan\n", 2, "cycle.cooling_rate_K_per_s", "found '.nan'"},
    {"cycle:\n  hold: perhaps\n", 2, "cycle.hold", "true or false"},
    {"cycle:\n  thermostat: berendsen\n", 2, "cycle.thermostat", "not one of: langevin, nose-hoover"},
    {"cycle:\n  levels: [0.5, 1.5]\n", 2, "cycle.levels[1]", "outside the allowed range (0, 1)"},
    {"cycle:\n  levels: []\n", 2, "cycle.levels", "at least 1"},
    {"cycle:\n  levels: 0.5\n", 2, "cycle.levels", "found '0.5'"},
    {"cycle: 3\n", 1, "cycle", "expected a section"},
    {"cycle:\n  low_temperature_K: 400\n", 2, "cycle.low_temperature_K", "must be below high_temperature_K"},
    {"tables:\n  - file: x.csv\n", 2, "tables[0].sigma_cg_nm", "missing required key"},
    {"tables:\n  - 3\n", 2, "tables[0]", "expected a section"},
    {"output_dir: [a, b]\n", 1, "output_dir", "expected text"},
  };
  for (const auto &c : cases)
    {
      const auto e = error_of(c.text);
      EXPECT_EQ(e.line(), c.line) << c.text << " -> " << e.what();
      EXPECT_EQ(e.key(), c.key) << c.text << " -> " << e.what();
      EXPECT_NE(std::string(e.what()).find(c.fact), std::string::npos) << c.text << " -> " << e.what();
      EXPECT_EQ(e.file(), "test.yaml");
    }
}

TEST(ConfigValues, ResolvedConfigReadsBackToTheSameValues)
{
  const auto v = load("seed: 11\ncycle:\n  high_temperature_K: 0.1\n  low_temperature_K: 0.03\n");
  static const ConfigSection s = schema();
  const auto again = load_config_text(s, emit_resolved_config(v), "resolved.yaml", fs::temp_directory_path());
  EXPECT_EQ(again.integer("seed"), 11);
  // Exact round trip of doubles (0.1 is not representable, but its shortest decimal reads back
  // to the same double).
  EXPECT_EQ(again.section("cycle").real("high_temperature_K"), 0.1);
  EXPECT_EQ(again.section("cycle").real("low_temperature_K"), 0.03);
}

TEST(ConfigValues, NumbersAreWrittenAsTheirShortestDecimal)
{
  // 0.1 + 0.2 needs 17 digits (0.30000000000000004); 0.3 and the defaults need few.
  const auto v = load("cycle:\n  high_temperature_K: 0.3\n  low_temperature_K: 0.1\n"
                      "  cooling_rate_K_per_s: 3.0000000000000004e-1\n  levels: [0.7, 1.0e-5]\n");
  const std::string text = emit_resolved_config(v);
  EXPECT_NE(text.find("high_temperature_K: 0.3\n"), std::string::npos) << text;
  EXPECT_NE(text.find("low_temperature_K: 0.1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("cooling_rate_K_per_s: 0.30000000000000004\n"), std::string::npos) << text;
  EXPECT_NE(text.find("- 0.7\n    - 1e-05\n"), std::string::npos) << text;
  static const ConfigSection s = schema();
  const auto again = load_config_text(s, text, "resolved.yaml", fs::temp_directory_path());
  EXPECT_EQ(again.section("cycle").real("cooling_rate_K_per_s"), 0.1 + 0.2);
  EXPECT_EQ(again.section("cycle").real_list("levels")[1], 1.0e-5);
  // Defaults, as --print-config shows them.
  const std::string documented = document_config(s);
  EXPECT_NE(documented.find("levels: [0.5, 0.9]"), std::string::npos) << documented;
}

TEST(ConfigValues, ARepeatedKeyIsAnErrorNotASilentFirstWins)
{
  const auto e = error_of("seed: 1\ncycle:\n  hold: true\n  hold: false\n");
  EXPECT_EQ(e.line(), 4);
  EXPECT_EQ(e.key(), "cycle.hold");
  EXPECT_NE(e.message().find("given twice in this section (first on line 3)"), std::string::npos) << e.what();
}

TEST(ConfigValues, AnchorsAndAliasesAreRefusedBeforeAnyTreeIsBuilt)
{
  // Nine levels of nine aliases would expand to 9^9 nodes in any reader that follows them.
  std::string bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x]\n";
  for (int level = 1; level < 9; ++level)
    {
      bomb += "a" + std::to_string(level) + ": &a" + std::to_string(level) + " [";
      for (int i = 0; i < 9; ++i)
        bomb += (i ? ", *a" : "*a") + std::to_string(level - 1);
      bomb += "]\n";
    }
  const auto e = error_of(bomb);
  EXPECT_EQ(e.line(), 1);
  EXPECT_NE(e.message().find("anchors and aliases"), std::string::npos) << e.what();
  EXPECT_NE(error_of("cycle: &c {hold: true}\n").message().find("anchors and aliases"), std::string::npos);
}

TEST(ConfigValues, ControlCharactersAreRefusedOutsideMultilineText)
{
  ConfigSection s("test");
  s.text("label", "", "Label.");
  s.multiline_text("commands", "", "Commands.");
  s.identifier("name", "", "Name.");
  s.output_path("output_dir", "run", "Run directory.");
  const auto load_s = [&](const std::string &text) { return load_config_text(s, text, "t.yaml", fs::temp_directory_path()); };
  const auto message_of = [&](const std::string &text) {
    try
      {
        load_s(text);
      }
    catch (const ConfigError &e)
      {
        return std::string(e.what());
      }
    return std::string();
  };
  EXPECT_NE(message_of("label: \"a\\nsystem('x')\"\n").find("key 'label': control character (code 10)"),
            std::string::npos);
  EXPECT_NE(message_of("output_dir: \"run\\rx\"\n").find("key 'output_dir': control character (code 13)"),
            std::string::npos);
  EXPECT_EQ(load_s("commands: \"* * a.eam Cu\\n* * b.eam Zr\"\n").text("commands"), "* * a.eam Cu\n* * b.eam Zr");
  EXPECT_NE(message_of("commands: \"a\\u0007\"\n").find("control character (code 7)"), std::string::npos);
  // Names become file names: no separators, no hidden files, nothing a shell or gnuplot reads.
  EXPECT_EQ(load_s("name: hrel_ratio-77K.v2+\n").text("name"), "hrel_ratio-77K.v2+");
  for (const std::string bad : {"../x", "a/b", ".hidden", "a b", "x'y", "a$b"})
    EXPECT_NE(message_of("name: \"" + bad + "\"\n").find("cannot be a name"), std::string::npos) << bad;
  // Quotes, '#', '$' and backquotes are fine in text that is only ever quoted.
  EXPECT_EQ(load_s("label: \"x' `y` $(z) # w\"\n").text("label"), "x' `y` $(z) # w");
}

TEST(ConfigValues, SubstitutionsReplaceTextInsideOneScalar)
{
  // A value holding YAML structure stays the text of the one scalar it replaces.
  static const ConfigSection s = schema();
  const auto v = load_config_text(s, "output_dir: ${x}\ncycle:\n  high_temperature_K: ${t}\n", "s.yaml",
                                  fs::temp_directory_path(),
                                  {{1, "${x}", "{seed: 7} # c"}, {3, "${t}", "400"}});
  EXPECT_EQ(v.text("output_dir"), "{seed: 7} # c");
  EXPECT_EQ(v.integer("seed"), 1);
  EXPECT_DOUBLE_EQ(v.section("cycle").real("high_temperature_K"), 400.0);
}

TEST(ConfigValues, CriticalValuesAreEveryResolvedKeyButThoseFreeToChangeOnResume)
{
  // Reference: the declarations. Every key of a section, its sub-sections and list items
  // appears with its resolved value (defaults included) under its dotted path, in declaration
  // order; keys and sections marked resume_may_change do not.
  ConfigSection root("test");
  root.integer("seed", 1, ConfigRange::closed(0, 1e9), "Seed.");
  auto &cycle = root.section("cycle", "Cycle.");
  cycle.real("high_temperature_K", 300.0, ConfigRange::positive(), "T_a.");
  cycle.integer("count", 10, ConfigRange::closed(1, 1e6), "Cycles.");
  cycle.real_list("levels", {0.5, 0.9}, {0.0, 1.0, false, false}, "Levels.");
  cycle.resume_may_change({"count"});
  root.section("output", "Output.").boolean("plots", true, "Plots.");
  root.section_list("tables", "Tables.").real("sigma_cg_nm", 0.5, ConfigRange::positive(), "Width.");
  root.resume_may_change({"output"});
  EXPECT_THROW(root.resume_may_change({"no_such_key"}), std::logic_error);
  const ConfigValues v = load_config_text(root, "cycle:\n  high_temperature_K: 290\n  count: 3\ntables:\n  - {}\n"
                                                "  - {sigma_cg_nm: 0.7}\n", "test.yaml", fs::temp_directory_path());
  const std::vector<std::pair<std::string, std::string>> expected{{"seed", "1"},
                                                                  {"cycle.high_temperature_K", "290"},
                                                                  {"cycle.levels", "[0.5, 0.9]"},
                                                                  {"tables[0].sigma_cg_nm", "0.5"},
                                                                  {"tables[1].sigma_cg_nm", "0.7"}};
  EXPECT_EQ(v.critical_values(), expected);
}
