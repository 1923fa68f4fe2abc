#pragma once
/// @file
/// A YAML scalar holding a real number in its shortest round-trip decimal form: 0.3, not
/// 0.29999999999999999. Resolved configs and --print-config then show numbers as people write
/// them, and reading the text back gives the same double. Included by the config .cc files only.

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <cmath>

namespace cryocycle::core
{
  inline YAML::Node yaml_number(const double value)
  {
    // Non-finite values keep yaml-cpp's own spelling (.inf, .nan), which it reads back.
    return std::isfinite(value) ? YAML::Node(fmt::format("{}", value)) : YAML::Node(value);
  }
} // namespace cryocycle::core
