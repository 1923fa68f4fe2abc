#include "core/config_schema.h"

#include "core/yaml_number.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>

namespace cryocycle::core
{
  namespace
  {
    std::string format_bound(const double value)
    {
      if (std::isinf(value))
        return value > 0 ? "inf" : "-inf";
      return fmt::format("{}", value);
    }

    std::string join(const std::vector<std::string> &items, const std::string &separator)
    {
      std::string out;
      for (std::size_t i = 0; i < items.size(); ++i)
        out += (i ? separator : "") + items[i];
      return out;
    }

    ConfigKey make_key(const std::string &name, const ConfigKind kind, const std::string &doc)
    {
      ConfigKey key;
      key.name = name;
      key.kind = kind;
      key.doc = doc;
      return key;
    }

    YAML::Node yaml_list(const std::vector<std::string> &items)
    {
      YAML::Node node(YAML::NodeType::Sequence);
      for (const auto &item : items)
        node.push_back(item);
      return node;
    }
  } // namespace

  bool ConfigRange::contains(const double value) const
  {
    if (!std::isfinite(value))
      return false;
    const bool above = minimum_inclusive ? value >= minimum : value > minimum;
    const bool below = maximum_inclusive ? value <= maximum : value < maximum;
    return above && below;
  }

  std::string ConfigRange::describe() const
  {
    return fmt::format("{}{}, {}{}", minimum_inclusive && std::isfinite(minimum) ? "[" : "(",
                       format_bound(minimum), format_bound(maximum),
                       maximum_inclusive && std::isfinite(maximum) ? "]" : ")");
  }

  std::string ConfigKey::describe_type() const
  {
    switch (kind)
      {
        case ConfigKind::real:
          return "number in " + range.describe();
        case ConfigKind::integer:
          return "integer in " + range.describe();
        case ConfigKind::boolean:
          return "true or false";
        case ConfigKind::text:
          return identifier ? "name (letters, digits, _ - . +)" : "text";
        case ConfigKind::choice:
          return "one of: " + join(choices, ", ");
        case ConfigKind::input_file:
          return "path of an existing file (relative to the config file)";
        case ConfigKind::output_path:
          return "path (relative to the working directory)";
        case ConfigKind::real_list:
          return fmt::format("list of numbers in {}{}", range.describe(),
                             minimum_length ? fmt::format(", at least {}", minimum_length) : "");
        case ConfigKind::choice_list:
          return fmt::format("list of: {}{}", join(choices, ", "),
                             minimum_length ? fmt::format(" (at least {})", minimum_length) : "");
        case ConfigKind::section:
          return "section";
        case ConfigKind::section_list:
          return minimum_length ? fmt::format("list of sections (at least {})", minimum_length)
                                : "list of sections";
      }
    return "";
  }

  ConfigSection::ConfigSection(std::string doc)
    : doc_(std::move(doc))
  {}

  ConfigKey &ConfigSection::add(ConfigKey key)
  {
    if (find(key.name) != nullptr)
      throw std::logic_error("config key declared twice: " + key.name);
    keys_.push_back(std::move(key));
    return keys_.back();
  }

  ConfigSection &ConfigSection::real(const std::string &name, const double default_value,
                                     const ConfigRange range, const std::string &doc)
  {
    if (!range.contains(default_value))
      throw std::logic_error("default of " + name + " outside its range");
    ConfigKey key = make_key(name, ConfigKind::real, doc);
    key.default_value = yaml_number(default_value);
    key.range = range;
    add(std::move(key));
    return *this;
  }

  ConfigSection &ConfigSection::optional_real(const std::string &name, const ConfigRange range,
                                              const std::string &doc, const bool required)
  {
    ConfigKey key = make_key(name, ConfigKind::real, doc);
    key.range = range;
    key.required = required;
    add(std::move(key));
    return *this;
  }

  ConfigSection &ConfigSection::integer(const std::string &name, const long long default_value,
                                        const ConfigRange range, const std::string &doc)
  {
    if (!range.contains(static_cast<double>(default_value)))
      throw std::logic_error("default of " + name + " outside its range");
    ConfigKey key = make_key(name, ConfigKind::integer, doc);
    key.default_value = YAML::Node(default_value);
    key.range = range;
    add(std::move(key));
    return *this;
  }

  ConfigSection &ConfigSection::boolean(const std::string &name, const bool default_value,
                                        const std::string &doc)
  {
    ConfigKey key = make_key(name, ConfigKind::boolean, doc);
    key.default_value = YAML::Node(default_value);
    add(std::move(key));
    return *this;
  }

  ConfigSection &ConfigSection::text(const std::string &name, const std::string &default_value,
                                     const std::string &doc)
  {
    ConfigKey key = make_key(name, ConfigKind::text, doc);
    key.default_value = YAML::Node(default_value);
    add(std::move(key));
    return *this;
  }

  ConfigSection &ConfigSection::multiline_text(const std::string &name, const std::string &default_value,
                                               const std::string &doc)
  {
    text(name, default_value, doc);
    keys_.back().multiline = true;
    return *this;
  }

  ConfigSection &ConfigSection::identifier(const std::string &name, const std::string &default_value,
                                           const std::string &doc)
  {
    text(name, default_value, doc);
    keys_.back().identifier = true;
    return *this;
  }

  ConfigSection &ConfigSection::choice(const std::string &name, const std::string &default_value,
                                       std::vector<std::string> choices, const std::string &doc)
  {
    if (std::find(choices.begin(), choices.end(), default_value) == choices.end())
      throw std::logic_error("default of " + name + " is not one of its choices");
    ConfigKey key = make_key(name, ConfigKind::choice, doc);
    key.default_value = YAML::Node(default_value);
    key.choices = std::move(choices);
    add(std::move(key));
    return *this;
  }

  ConfigSection &ConfigSection::input_file(const std::string &name, const std::string &doc,
                                           const bool required)
  {
    ConfigKey key = make_key(name, ConfigKind::input_file, doc);
    key.required = required;
    add(std::move(key));
    return *this;
  }

  ConfigSection &ConfigSection::output_path(const std::string &name,
                                            const std::string &default_value,
                                            const std::string &doc)
  {
    ConfigKey key = make_key(name, ConfigKind::output_path, doc);
    key.default_value = YAML::Node(default_value);
    add(std::move(key));
    return *this;
  }

  ConfigSection &ConfigSection::real_list(const std::string &name,
                                          std::vector<double> default_value,
                                          const ConfigRange element_range,
                                          const std::string &doc,
                                          const std::size_t minimum_length)
  {
    ConfigKey key = make_key(name, ConfigKind::real_list, doc);
    YAML::Node node(YAML::NodeType::Sequence);
    for (const double v : default_value)
      node.push_back(yaml_number(v));
    key.default_value = node;
    key.range = element_range;
    key.minimum_length = minimum_length;
    add(std::move(key));
    return *this;
  }

  ConfigSection &ConfigSection::choice_list(const std::string &name,
                                            std::vector<std::string> default_value,
                                            std::vector<std::string> choices,
                                            const std::string &doc,
                                            const std::size_t minimum_length)
  {
    ConfigKey key = make_key(name, ConfigKind::choice_list, doc);
    key.default_value = yaml_list(default_value);
    key.choices = std::move(choices);
    key.minimum_length = minimum_length;
    add(std::move(key));
    return *this;
  }

  ConfigSection &ConfigSection::section(const std::string &name, const std::string &doc)
  {
    ConfigKey key = make_key(name, ConfigKind::section, doc);
    key.section = std::make_shared<ConfigSection>(doc);
    return *add(std::move(key)).section;
  }

  ConfigSection &ConfigSection::section_list(const std::string &name, const std::string &doc,
                                             const std::size_t minimum_length)
  {
    ConfigKey key = make_key(name, ConfigKind::section_list, doc);
    key.section = std::make_shared<ConfigSection>(doc);
    key.minimum_length = minimum_length;
    return *add(std::move(key)).section;
  }

  ConfigSection &ConfigSection::resume_may_change(const std::initializer_list<std::string> names)
  {
    for (const std::string &name : names)
      {
        const auto key = std::find_if(keys_.begin(), keys_.end(), [&](const ConfigKey &k) { return k.name == name; });
        if (key == keys_.end())
          throw std::logic_error("resume_may_change: no declared key '" + name + "'");
        key->resume_may_change = true;
      }
    return *this;
  }

  ConfigSection &ConfigSection::check(ConfigCheck rule)
  {
    checks_.push_back(std::move(rule));
    return *this;
  }

  const ConfigKey *ConfigSection::find(const std::string &name) const
  {
    for (const auto &key : keys_)
      if (key.name == name)
        return &key;
    return nullptr;
  }

  std::string ConfigSection::nearest_key(const std::string &name) const
  {
    std::string best;
    std::size_t best_distance = std::numeric_limits<std::size_t>::max();
    for (const auto &key : keys_)
      {
        const std::size_t d = edit_distance(name, key.name);
        if (d < best_distance)
          {
            best_distance = d;
            best = key.name;
          }
      }
    return best;
  }

  std::size_t edit_distance(const std::string &a, const std::string &b)
  {
    std::vector<std::size_t> previous(b.size() + 1), current(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
      previous[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i)
      {
        current[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j)
          {
            const std::size_t substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
            current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
          }
        std::swap(previous, current);
      }
    return previous[b.size()];
  }

  namespace
  {
    std::string scalar_to_yaml(const YAML::Node &node)
    {
      YAML::Emitter out;
      out.SetSeqFormat(YAML::Flow);
      out << node;
      return out.c_str();
    }

    void document_section(const ConfigSection &section, const std::vector<std::string> &only,
                          const std::string &indent, std::ostringstream &out)
    {
      bool first = true;
      for (const auto &key : section.keys())
        {
          if (!only.empty() && std::find(only.begin(), only.end(), key.name) == only.end())
            continue;
          if (!first && (key.kind == ConfigKind::section || key.kind == ConfigKind::section_list))
            out << "\n";
          first = false;
          out << indent << "# " << key.doc << "\n";
          out << indent << "#   (" << key.describe_type() << ")\n";
          switch (key.kind)
            {
              case ConfigKind::section:
                out << indent << key.name << ":\n";
                document_section(*key.section, {}, indent + "  ", out);
                break;
              case ConfigKind::section_list:
                out << indent << key.name << ":\n";
                out << indent << "  # each item:\n";
                out << indent << "  -\n";
                document_section(*key.section, {}, indent + "    ", out);
                break;
              default:
                if (key.default_value.IsDefined() && !key.default_value.IsNull())
                  out << indent << key.name << ": " << scalar_to_yaml(key.default_value) << "\n";
                else
                  out << indent << "# " << key.name << ":"
                      << (key.required ? "   <required>" : "   <optional, no default>") << "\n";
            }
        }
    }
  } // namespace

  std::string document_config(const ConfigSection &schema,
                              const std::vector<std::string> &top_level_keys)
  {
    std::ostringstream out;
    document_section(schema, top_level_keys, "", out);
    return out.str();
  }
} // namespace cryocycle::core
