#pragma once
/// @file
/// Declarations of configuration keys. Every YAML key cryocycle reads is declared exactly once,
/// next to the code that reads it: name (with its unit), kind, default, allowed range and a
/// one-line meaning. From these declarations come validation (config_values.h), the defaults of
/// the resolved config and the documented `--print-config` output, so they cannot drift apart.

#include <yaml-cpp/yaml.h>

#include <functional>
#include <initializer_list>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cryocycle::core
{
  class ConfigValues;

  /// What a key holds.
  enum class ConfigKind
  {
    real,         ///< a finite floating-point number
    integer,      ///< a whole number
    boolean,      ///< true / false
    text,         ///< a string
    choice,       ///< a string from a fixed list
    input_file,   ///< a path to an existing file, relative to the config file's folder
    output_path,  ///< a path that will be written, relative to the working directory
    real_list,    ///< a list of numbers
    choice_list,  ///< a list of strings, each from a fixed list
    section,      ///< a nested map of declared keys
    section_list  ///< a list of nested maps, each of the same declared keys
  };

  /// Allowed interval of a number (or of every element of a list of numbers).
  struct ConfigRange
  {
    double minimum = -std::numeric_limits<double>::infinity();
    double maximum = std::numeric_limits<double>::infinity();
    bool minimum_inclusive = true;
    bool maximum_inclusive = true;

    /// [lo, hi]
    static ConfigRange closed(double lo, double hi) { return {lo, hi, true, true}; }
    /// (lo, hi]
    static ConfigRange left_open(double lo, double hi) { return {lo, hi, false, true}; }
    /// (0, inf)
    static ConfigRange positive() { return {0.0, std::numeric_limits<double>::infinity(), false, false}; }
    /// [0, inf)
    static ConfigRange non_negative() { return {0.0, std::numeric_limits<double>::infinity(), true, false}; }
    /// Everything finite.
    static ConfigRange any() { return {}; }

    bool contains(double value) const;
    /// "[0, 1]", "(0, inf)", ...
    std::string describe() const;
  };

  class ConfigSection;

  /// One declared key.
  struct ConfigKey
  {
    std::string name;
    ConfigKind kind = ConfigKind::real;
    std::string doc;
    /// Default as YAML; empty when the key is required or optional without default.
    YAML::Node default_value;
    bool required = false;
    ConfigRange range;
    std::vector<std::string> choices;
    /// Key schema of a section or of each item of a section list.
    std::shared_ptr<ConfigSection> section;
    /// Smallest number of elements of a list.
    std::size_t minimum_length = 0;
    /// text: line breaks and tabs allowed (every other key refuses control characters, so no
    /// value can start a new line in a LAMMPS command, a gnuplot script or a YAML file).
    bool multiline = false;
    /// text: a name that becomes part of file names (letters, digits, '_', '-', '.', '+'; not
    /// starting with '.'), so it can neither leave its folder nor hide.
    bool identifier = false;
    /// The value may differ between a run and its --resume (output choices, a longer run, the
    /// linear solver): left out of ConfigValues::critical_values().
    bool resume_may_change = false;

    /// Type and allowed values in words, for messages and documentation.
    std::string describe_type() const;
  };

  /// A cross-key rule of a section, e.g. "low_temperature_K < high_temperature_K". It receives the
  /// resolved values of the section and calls ConfigValues::fail(...) when the rule is broken.
  using ConfigCheck = std::function<void(const ConfigValues &)>;

  /// The declared keys of one YAML map, in declaration order.
  class ConfigSection
  {
  public:
    explicit ConfigSection(std::string doc = "");

    /// A number with default and range.
    ConfigSection &real(const std::string &name, double default_value, ConfigRange range,
                        const std::string &doc);
    /// A number without default: absent unless given (`required` makes it mandatory).
    ConfigSection &optional_real(const std::string &name, ConfigRange range, const std::string &doc,
                                 bool required = false);
    ConfigSection &integer(const std::string &name, long long default_value, ConfigRange range,
                           const std::string &doc);
    ConfigSection &boolean(const std::string &name, bool default_value, const std::string &doc);
    ConfigSection &text(const std::string &name, const std::string &default_value,
                        const std::string &doc);
    /// Text that may span several lines (e.g. LAMMPS pair_coeff lines, one command per line).
    ConfigSection &multiline_text(const std::string &name, const std::string &default_value,
                                  const std::string &doc);
    /// A name used in file names (see ConfigKey::identifier).
    ConfigSection &identifier(const std::string &name, const std::string &default_value,
                              const std::string &doc);
    ConfigSection &choice(const std::string &name, const std::string &default_value,
                          std::vector<std::string> choices, const std::string &doc);
    /// An existing input file; empty default means "not given".
    ConfigSection &input_file(const std::string &name, const std::string &doc, bool required = false);
    ConfigSection &output_path(const std::string &name, const std::string &default_value,
                               const std::string &doc);
    ConfigSection &real_list(const std::string &name, std::vector<double> default_value,
                             ConfigRange element_range, const std::string &doc,
                             std::size_t minimum_length = 0);
    ConfigSection &choice_list(const std::string &name, std::vector<std::string> default_value,
                               std::vector<std::string> choices, const std::string &doc,
                               std::size_t minimum_length = 0);
    /// A nested section; returns it so its keys can be declared.
    ConfigSection &section(const std::string &name, const std::string &doc);
    /// A list of nested sections with the same keys; returns the item schema.
    ConfigSection &section_list(const std::string &name, const std::string &doc,
                                std::size_t minimum_length = 0);

    /// Marks the declared keys `names` as free to change on --resume (ConfigKey::resume_may_change);
    /// a section so marked is left out whole.
    ConfigSection &resume_may_change(std::initializer_list<std::string> names);

    /// A rule across keys of this section, run after each key is valid on its own.
    ConfigSection &check(ConfigCheck rule);

    const std::string &doc() const { return doc_; }
    const std::vector<ConfigKey> &keys() const { return keys_; }
    const std::vector<ConfigCheck> &checks() const { return checks_; }
    /// The declaration of `name`, or nullptr.
    const ConfigKey *find(const std::string &name) const;
    /// The declared key closest to `name` by edit distance (for "did you mean").
    std::string nearest_key(const std::string &name) const;

  private:
    ConfigKey &add(ConfigKey key);

    std::string doc_;
    std::vector<ConfigKey> keys_;
    std::vector<ConfigCheck> checks_;
  };

  /// Documented YAML of all keys of `schema` with their defaults, as printed by --print-config.
  /// Only the top-level keys listed in `top_level_keys` are printed (all when empty).
  std::string document_config(const ConfigSection &schema,
                              const std::vector<std::string> &top_level_keys = {});

  /// Levenshtein distance, used to suggest the nearest known key.
  std::size_t edit_distance(const std::string &a, const std::string &b);
} // namespace cryocycle::core
