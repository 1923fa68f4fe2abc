// Tests of config key declarations and the documented YAML they produce (--print-config).
#include "core/config_schema.h"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

using namespace cryocycle::core;

namespace
{
  ConfigSection example_schema()
  {
    ConfigSection root("example");
    root.real("rate_K_per_s", 1e9, ConfigRange::positive(), "Cooling rate.");
    root.integer("cycles", 10, ConfigRange::closed(1, 1000), "Number of cycles.");
    root.choice("thermostat", "langevin", {"langevin", "nose-hoover"}, "Thermostat.");
    root.optional_real("extra_K", ConfigRange::any(), "Optional temperature.");
    auto &item = root.section_list("tables", "Tables.");
    item.optional_real("sigma_cg_nm", ConfigRange::positive(), "Width.", true);
    return root;
  }
} // namespace

TEST(ConfigRange, BoundsAndDescription)
{
  EXPECT_TRUE(ConfigRange::positive().contains(1e-300));
  EXPECT_FALSE(ConfigRange::positive().contains(0.0));
  EXPECT_TRUE(ConfigRange::non_negative().contains(0.0));
  EXPECT_FALSE(ConfigRange::any().contains(std::numeric_limits<double>::quiet_NaN()));
  EXPECT_FALSE(ConfigRange::any().contains(std::numeric_limits<double>::infinity()));
  EXPECT_EQ(ConfigRange::closed(1, 5).describe(), "[1, 5]");
  EXPECT_EQ(ConfigRange::positive().describe(), "(0, inf)");
}

TEST(ConfigSchema, RejectsInconsistentDeclarations)
{
  ConfigSection s;
  s.real("a", 1.0, ConfigRange::positive(), "a");
  EXPECT_THROW(s.real("a", 2.0, ConfigRange::positive(), "again"), std::logic_error);
  EXPECT_THROW(s.real("b", -1.0, ConfigRange::positive(), "default outside range"), std::logic_error);
  EXPECT_THROW(s.choice("c", "x", {"y", "z"}, "default not a choice"), std::logic_error);
}

TEST(ConfigSchema, NearestKeyByEditDistance)
{
  const auto schema = example_schema();
  EXPECT_EQ(schema.nearest_key("rate_K_per_sec"), "rate_K_per_s");
  EXPECT_EQ(schema.nearest_key("cycle"), "cycles");
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
}

TEST(ConfigSchema, DocumentationIsValidYamlWithEveryKeyAndItsDoc)
{
  const auto schema = example_schema();
  const std::string text = document_config(schema);
  const YAML::Node parsed = YAML::Load(text);
  EXPECT_DOUBLE_EQ(parsed["rate_K_per_s"].as<double>(), 1e9);
  EXPECT_EQ(parsed["cycles"].as<int>(), 10);
  EXPECT_EQ(parsed["thermostat"].as<std::string>(), "langevin");
  EXPECT_FALSE(parsed["extra_K"].IsDefined());  // optional without default: commented out
  for (const std::string doc : {"Cooling rate.", "Number of cycles.", "Thermostat.", "Width.",
                                "integer in [1, 1000]", "one of: langevin, nose-hoover", "<required>"})
    EXPECT_NE(text.find(doc), std::string::npos) << doc;
}

TEST(ConfigSchema, DocumentationCanBeRestrictedToSomeTopLevelKeys)
{
  const auto text = document_config(example_schema(), {"cycles"});
  EXPECT_NE(text.find("cycles"), std::string::npos);
  EXPECT_EQ(text.find("rate_K_per_s"), std::string::npos);
}
