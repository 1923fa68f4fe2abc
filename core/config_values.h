#pragma once
/// @file
/// Reading a YAML config against its declared schema (config_schema.h): parse, validate every
/// key (unknown, wrong type, out of range, missing file), fill in defaults, run cross-key rules,
/// and give typed read access to the resolved values. Errors name file, line, column and key.

#include "core/config_schema.h"

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace cryocycle::core
{
  /// A configuration error located in a file: "file:line:column: key: message".
  class ConfigError : public std::runtime_error
  {
  public:
    ConfigError(std::string file, int line, int column, std::string key, std::string message);

    const std::string &file() const { return file_; }
    /// 1-based; 0 when the location is unknown (e.g. a default value).
    int line() const { return line_; }
    int column() const { return column_; }
    /// Dotted path of the key, e.g. "calibrate.coarse_grainings[1].sigma_cg_nm".
    const std::string &key() const { return key_; }
    const std::string &message() const { return message_; }

  private:
    std::string file_;
    int line_;
    int column_;
    std::string key_;
    std::string message_;
  };

  /// Resolved values of one section: every declared key present (defaults filled in) except
  /// optional keys without default that were not given. Reading an undeclared key is a
  /// programming error (std::logic_error), so code and declarations cannot drift apart.
  class ConfigValues
  {
  public:
    ConfigValues() = default;

    double real(const std::string &name) const;
    long long integer(const std::string &name) const;
    bool boolean(const std::string &name) const;
    /// text, choice and output_path keys.
    std::string text(const std::string &name) const;
    /// An input_file key, resolved against the config file's folder (absolute path).
    std::filesystem::path input_file(const std::string &name) const;
    std::vector<double> real_list(const std::string &name) const;
    std::vector<std::string> text_list(const std::string &name) const;
    ConfigValues section(const std::string &name) const;
    std::vector<ConfigValues> section_list(const std::string &name) const;
    /// Whether an optional key was given (always true for keys with a default).
    bool has(const std::string &name) const;
    /// Every resolved value of this section and its sub-sections that a resumed run must share
    /// with the run it continues, as (dotted key path, value in YAML flow style), in declaration
    /// order: all keys but those declared resume_may_change.
    std::vector<std::pair<std::string, std::string>> critical_values() const;
    /// Whether key `name` of this section was written in the config file (not a default).
    bool given(const std::string &name) const;

    /// Throws ConfigError located at key `name` of this section (or at the section itself when
    /// the key is absent) — used by cross-key rules and by stages that check inputs further.
    [[noreturn]] void fail(const std::string &name, const std::string &message) const;

    /// Dotted path of this section ("" for the top level).
    const std::string &path() const { return path_; }
    /// Config file these values came from ("<embedded>" for built-in configs).
    const std::string &file() const { return file_; }
    /// The resolved YAML of this section (defaults filled, input paths absolute).
    const YAML::Node &node() const { return node_; }

  private:
    friend class ConfigReader;
    const ConfigKey &declared(const std::string &name) const;
    YAML::Node value(const std::string &name) const;
    ConfigValues child(const ConfigKey &key, const std::string &path, const YAML::Node &node) const;

    YAML::Node node_;
    const ConfigSection *schema_ = nullptr;
    std::string path_;
    std::string file_;
    std::filesystem::path base_dir_;
  };

  /// A replacement inside the scalars of one config line: every occurrence of `from` in a scalar
  /// that starts on line `line` (1-based) becomes `to`. Applied to the parsed tree, so `to` stays
  /// part of one scalar whatever characters it holds: a value can never become structure.
  struct ScalarSubstitution
  {
    int line = 0;
    std::string from;
    std::string to;
  };

  /// Parses `file` (or `text`, for embedded configs) and validates it against `schema`.
  /// `base_dir` resolves relative input files (the config file's folder by default).
  ConfigValues load_config_file(const ConfigSection &schema, const std::filesystem::path &file);
  ConfigValues load_config_text(const ConfigSection &schema, const std::string &text,
                                const std::string &display_name,
                                const std::filesystem::path &base_dir,
                                const std::vector<ScalarSubstitution> &substitutions = {});

  /// The resolved config as YAML text (for the run directory): defaults filled in, input files
  /// as absolute paths, so the run can be reproduced from it alone.
  std::string emit_resolved_config(const ConfigValues &values);
} // namespace cryocycle::core
