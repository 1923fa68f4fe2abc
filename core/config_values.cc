#include "core/config_values.h"

#include "core/yaml_number.h"

#include <yaml-cpp/eventhandler.h>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>

namespace cryocycle::core
{
  namespace fs = std::filesystem;

  ConfigError::ConfigError(std::string file, const int line, const int column, std::string key,
                           std::string message)
    : std::runtime_error(
        fmt::format("{}{}: {}{}", file,
                    line > 0 ? fmt::format(":{}:{}", line, column) : std::string(),
                    key.empty() ? std::string() : "key '" + key + "': ", message))
    , file_(std::move(file))
    , line_(line)
    , column_(column)
    , key_(std::move(key))
    , message_(std::move(message))
  {}

  /// Validates a parsed YAML tree against a schema and builds the resolved tree.
  class ConfigReader
  {
  public:
    ConfigReader(std::string file, fs::path base_dir)
      : file_(std::move(file))
      , base_dir_(std::move(base_dir))
    {}

    ConfigValues read(const ConfigSection &schema, const YAML::Node &node,
                      const std::string &path, const YAML::Mark &section_mark)
    {
      if (node.IsDefined() && !node.IsNull() && !node.IsMap())
        throw error(node.Mark(), path, "expected a section (a map of keys), found " + kind_of(node));

      ConfigValues values;
      values.schema_ = &schema;
      values.path_ = path;
      values.file_ = file_;
      values.base_dir_ = base_dir_;
      values.node_ = YAML::Node(YAML::NodeType::Map);

      if (node.IsMap())
        for (auto entry = node.begin(); entry != node.end(); ++entry)
          {
            const std::string name = entry->first.as<std::string>();
            // yaml-cpp keeps both entries of a repeated key and looks up the first: a silent
            // "first wins" the writer of the config did not mean.
            for (auto earlier = node.begin(); earlier != entry; ++earlier)
              if (earlier->first.as<std::string>() == name)
                throw error(entry->first.Mark(), join_path(path, name),
                            fmt::format("key given twice in this section (first on line {})",
                                        earlier->first.Mark().line + 1));
            if (schema.find(name) == nullptr)
              {
                const std::string nearest = schema.nearest_key(name);
                throw error(entry->first.Mark(), join_path(path, name),
                            "unknown key" +
                              (nearest.empty() ? std::string()
                                               : "; did you mean '" + nearest + "'?"));
              }
          }

      for (const auto &key : schema.keys())
        {
          const YAML::Node given = node.IsMap() ? node[key.name] : YAML::Node();
          const std::string key_path = join_path(path, key.name);
          const bool present = given.IsDefined() && !given.IsNull();
          if (!present)
            {
              if (key.kind == ConfigKind::section)
                {
                  values.node_[key.name] =
                    read(*key.section, YAML::Node(), key_path, section_mark).node_;
                  continue;
                }
              if (key.required)
                throw error(section_mark, key_path,
                            "missing required key (" + key.describe_type() + "): " + key.doc);
              if (key.default_value.IsDefined() && !key.default_value.IsNull() &&
                  key.kind != ConfigKind::input_file)
                values.node_[key.name] = YAML::Clone(key.default_value);
              continue;
            }
          values.node_[key.name] = resolve(key, given, key_path);
        }

      for (const auto &rule : schema.checks())
        rule(values);
      return values;
    }

  private:
    static std::string join_path(const std::string &path, const std::string &name)
    {
      return path.empty() ? name : path + "." + name;
    }

    static std::string kind_of(const YAML::Node &node)
    {
      if (node.IsMap())
        return "a map";
      if (node.IsSequence())
        return "a list";
      if (node.IsScalar())
        return "'" + node.Scalar() + "'";
      return "nothing";
    }

    ConfigError error(const YAML::Mark &mark, const std::string &key, const std::string &message) const
    {
      const bool known = mark.line >= 0 && !mark.is_null();
      return ConfigError(file_, known ? mark.line + 1 : 0, known ? mark.column + 1 : 0, key,
                         message);
    }

    /// Control characters could end a line of a LAMMPS command, a gnuplot script or a YAML file
    /// the value is written into: refused except in multi-line text. Names that become file
    /// names keep to a portable set.
    void check_characters(const ConfigKey &key, const YAML::Node &node, const std::string &key_path) const
    {
      const std::string &value = node.Scalar();
      for (const char c : value)
        {
          const auto byte = static_cast<unsigned char>(c);
          const bool allowed_break = key.multiline && (c == '\n' || c == '\t');
          if ((byte < 0x20 || byte == 0x7f) && !allowed_break)
            throw error(node.Mark(), key_path,
                        fmt::format("control character (code {}) in the value; {} must be one line of "
                                    "printable text",
                                    static_cast<int>(byte), key.name));
        }
      if (!key.identifier || value.empty())
        return;
      const bool portable = std::all_of(value.begin(), value.end(), [](const char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-' || c == '.' || c == '+';
      });
      if (!portable || value.front() == '.' || value.size() > 100)
        throw error(node.Mark(), key_path,
                    "'" + value + "' cannot be a name: it becomes part of file names, so it may hold only "
                    "letters, digits and _ - . + (at most 100, not starting with '.')");
    }

    double read_number(const ConfigKey &key, const YAML::Node &node, const std::string &key_path,
                       const bool whole) const
    {
      if (!node.IsScalar())
        throw error(node.Mark(), key_path,
                    "expected " + key.describe_type() + ", found " + kind_of(node));
      const std::string text = node.Scalar();
      char *end = nullptr;
      const double value = std::strtod(text.c_str(), &end);
      // YAML spellings of non-finite numbers are refused like any other non-number.
      if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(value))
        throw error(node.Mark(), key_path,
                    "expected " + key.describe_type() + ", found '" + text + "'");
      if (whole && (std::floor(value) != value || std::fabs(value) > 9.0e15))
        throw error(node.Mark(), key_path, "expected an integer, found '" + text + "'");
      if (!key.range.contains(value))
        throw error(node.Mark(), key_path,
                    fmt::format("value {} is outside the allowed range {}", text,
                                key.range.describe()));
      return value;
    }

    std::string read_choice(const ConfigKey &key, const YAML::Node &node,
                            const std::string &key_path) const
    {
      if (!node.IsScalar())
        throw error(node.Mark(), key_path, "expected text, found " + kind_of(node));
      const std::string value = node.Scalar();
      for (const auto &c : key.choices)
        if (c == value)
          return value;
      std::string allowed;
      for (const auto &c : key.choices)
        allowed += (allowed.empty() ? "" : ", ") + c;
      throw error(node.Mark(), key_path, "'" + value + "' is not one of: " + allowed);
    }

    YAML::Node resolve(const ConfigKey &key, const YAML::Node &node, const std::string &key_path)
    {
      switch (key.kind)
        {
          case ConfigKind::real:
            return yaml_number(read_number(key, node, key_path, false));
          case ConfigKind::integer:
            return YAML::Node(static_cast<long long>(read_number(key, node, key_path, true)));
          case ConfigKind::boolean:
            {
              bool value = false;
              if (!node.IsScalar() || !YAML::convert<bool>::decode(node, value))
                throw error(node.Mark(), key_path,
                            "expected true or false, found " + kind_of(node));
              return YAML::Node(value);
            }
          case ConfigKind::text:
          case ConfigKind::output_path:
            if (!node.IsScalar())
              throw error(node.Mark(), key_path, "expected text, found " + kind_of(node));
            check_characters(key, node, key_path);
            return YAML::Node(node.Scalar());
          case ConfigKind::choice:
            return YAML::Node(read_choice(key, node, key_path));
          case ConfigKind::input_file:
            {
              if (!node.IsScalar() || node.Scalar().empty())
                throw error(node.Mark(), key_path, "expected a file path, found " + kind_of(node));
              check_characters(key, node, key_path);
              fs::path file = node.Scalar();
              if (file.is_relative())
                file = base_dir_ / file;
              file = file.lexically_normal();
              std::error_code ec;
              const auto status = fs::status(file, ec);
              if (fs::is_directory(status))
                throw error(node.Mark(), key_path,
                            "input file '" + node.Scalar() + "' is a directory (" + file.string() + ")");
              if (fs::exists(status) && !fs::is_regular_file(status))
                throw error(node.Mark(), key_path,
                            "input file '" + node.Scalar() + "' is not a regular file (a FIFO, socket "
                            "or device: " + file.string() + ")");
              if (!fs::is_regular_file(status))
                throw error(node.Mark(), key_path,
                            "input file '" + node.Scalar() + "' does not exist (looked for " +
                              file.string() + ")");
              std::ifstream probe(file);
              if (!probe)
                throw error(node.Mark(), key_path, "input file " + file.string() + " cannot be read");
              return YAML::Node(fs::absolute(file).lexically_normal().string());
            }
          case ConfigKind::real_list:
          case ConfigKind::choice_list:
            {
              if (!node.IsSequence())
                throw error(node.Mark(), key_path,
                            "expected " + key.describe_type() + ", found " + kind_of(node));
              if (node.size() < key.minimum_length)
                throw error(node.Mark(), key_path,
                            fmt::format("expected at least {} elements, found {}",
                                        key.minimum_length, node.size()));
              YAML::Node list(YAML::NodeType::Sequence);
              for (std::size_t i = 0; i < node.size(); ++i)
                {
                  const std::string item_path = fmt::format("{}[{}]", key_path, i);
                  if (key.kind == ConfigKind::real_list)
                    list.push_back(yaml_number(read_number(key, node[i], item_path, false)));
                  else
                    list.push_back(read_choice(key, node[i], item_path));
                }
              return list;
            }
          case ConfigKind::section:
            return read(*key.section, node, key_path, node.Mark()).node_;
          case ConfigKind::section_list:
            {
              if (!node.IsSequence())
                throw error(node.Mark(), key_path, "expected a list of sections, found " + kind_of(node));
              if (node.size() < key.minimum_length)
                throw error(node.Mark(), key_path,
                            fmt::format("expected at least {} items, found {}",
                                        key.minimum_length, node.size()));
              YAML::Node list(YAML::NodeType::Sequence);
              for (std::size_t i = 0; i < node.size(); ++i)
                {
                  const std::string item_path = fmt::format("{}[{}]", key_path, i);
                  if (!node[i].IsMap())
                    throw error(node[i].Mark(), item_path,
                                "expected a section (a map of keys), found " + kind_of(node[i]));
                  list.push_back(read(*key.section, node[i], item_path, node[i].Mark()).node_);
                }
              return list;
            }
        }
      return {};
    }

    std::string file_;
    fs::path base_dir_;
  };

  namespace
  {
    /// Where in the source text each key stands: dotted key path -> mark, collected once when a
    /// config is parsed. Resolved values carry no marks, so ConfigValues::fail looks them up here.
    struct MarkIndex
    {
      static void collect(const YAML::Node &node, const std::string &path,
                          std::vector<std::pair<std::string, YAML::Mark>> &out)
      {
        if (node.IsMap())
          for (const auto &entry : node)
            {
              const std::string name = entry.first.as<std::string>();
              const std::string child = path.empty() ? name : path + "." + name;
              out.emplace_back(child, entry.first.Mark());
              collect(entry.second, child, out);
            }
        else if (node.IsSequence())
          for (std::size_t i = 0; i < node.size(); ++i)
            {
              const std::string child = fmt::format("{}[{}]", path, i);
              out.emplace_back(child, node[i].Mark());
              collect(node[i], child, out);
            }
      }
    };

    // Marks of the config currently being read or used, keyed by file name. Configs are read
    // once per process at start-up, so a small table is enough.
    std::vector<std::pair<std::string, std::vector<std::pair<std::string, YAML::Mark>>>> &mark_table()
    {
      static std::vector<std::pair<std::string, std::vector<std::pair<std::string, YAML::Mark>>>> table;
      return table;
    }

    const YAML::Mark *find_mark(const std::string &file, const std::string &key_path)
    {
      for (const auto &[name, marks] : mark_table())
        if (name == file)
          for (const auto &[path, mark] : marks)
            if (path == key_path)
              return &mark;
      return nullptr;
    }

    /// Finds the first anchor or alias of a YAML text without building its tree. Aliases let a
    /// few lines expand into billions of nodes (the "billion laughs"), and no cryocycle config
    /// needs them, so they are refused before any tree exists.
    class AnchorFinder : public YAML::EventHandler
    {
    public:
      std::optional<YAML::Mark> found;

      void OnDocumentStart(const YAML::Mark &) override {}
      void OnDocumentEnd() override {}
      void OnNull(const YAML::Mark &mark, YAML::anchor_t anchor) override { note(mark, anchor); }
      void OnAlias(const YAML::Mark &mark, YAML::anchor_t) override
      {
        if (!found)
          found = mark;
      }
      void OnScalar(const YAML::Mark &mark, const std::string &, YAML::anchor_t anchor, const std::string &) override
      {
        note(mark, anchor);
      }
      void OnSequenceStart(const YAML::Mark &mark, const std::string &, YAML::anchor_t anchor,
                           YAML::EmitterStyle::value) override
      {
        note(mark, anchor);
      }
      void OnSequenceEnd() override {}
      void OnMapStart(const YAML::Mark &mark, const std::string &, YAML::anchor_t anchor,
                      YAML::EmitterStyle::value) override
      {
        note(mark, anchor);
      }
      void OnMapEnd() override {}

    private:
      void note(const YAML::Mark &mark, const YAML::anchor_t anchor)
      {
        if (anchor != YAML::NullAnchor && !found)
          found = mark;
      }
    };

    void refuse_anchors_and_aliases(const std::string &text, const std::string &display_name)
    {
      std::istringstream in(text);
      YAML::Parser parser(in);
      AnchorFinder finder;
      while (!finder.found && parser.HandleNextDocument(finder))
        {
        }
      if (finder.found)
        throw ConfigError(display_name, finder.found->line + 1, finder.found->column + 1, "",
                          "YAML anchors and aliases (&name, *name) are not accepted in cryocycle "
                          "configs; write the value out");
    }

    /// Applies `substitutions` to the scalars of `node` (in place).
    void substitute(YAML::Node node, const std::vector<ScalarSubstitution> &substitutions)
    {
      if (node.IsScalar())
        {
          std::string value = node.Scalar();
          bool changed = false;
          for (const auto &s : substitutions)
            if (s.line == node.Mark().line + 1 && !s.from.empty())
              for (std::size_t at = value.find(s.from); at != std::string::npos; at = value.find(s.from, at + s.to.size()))
                {
                  value.replace(at, s.from.size(), s.to);
                  changed = true;
                }
          if (changed)
            node = value;
        }
      else if (node.IsMap())
        for (auto entry : node)
          substitute(entry.second, substitutions);
      else if (node.IsSequence())
        for (std::size_t i = 0; i < node.size(); ++i)
          substitute(node[i], substitutions);
    }

    ConfigValues load(const ConfigSection &schema, const std::string &text,
                      const std::string &display_name, const fs::path &base_dir,
                      const std::vector<ScalarSubstitution> &substitutions = {})
    {
      YAML::Node root;
      try
        {
          refuse_anchors_and_aliases(text, display_name);
          root = YAML::Load(text);
        }
      catch (const YAML::ParserException &e)
        {
          throw ConfigError(display_name, e.mark.line + 1, e.mark.column + 1, "",
                            "malformed YAML: " + e.msg);
        }
      if (!root.IsMap() && !root.IsNull())
        throw ConfigError(display_name, root.Mark().line + 1, root.Mark().column + 1, "",
                          "a config file must be a map of keys at the top level");
      if (!substitutions.empty())
        substitute(root, substitutions);

      std::vector<std::pair<std::string, YAML::Mark>> marks;
      MarkIndex::collect(root, "", marks);
      auto &table = mark_table();
      table.erase(std::remove_if(table.begin(), table.end(),
                                 [&](const auto &e) { return e.first == display_name; }),
                  table.end());
      table.emplace_back(display_name, std::move(marks));

      ConfigReader reader(display_name, base_dir);
      return reader.read(schema, root, "", YAML::Mark());
    }
  } // namespace

  ConfigValues load_config_file(const ConfigSection &schema, const fs::path &file)
  {
    std::error_code ec;
    const auto status = fs::status(file, ec);
    if (fs::is_directory(status))
      throw ConfigError(file.string(), 0, 0, "", "the config file is a directory");
    if (fs::exists(status) && !fs::is_regular_file(status))
      throw ConfigError(file.string(), 0, 0, "", "the config file is not a regular file (a FIFO, socket or device)");
    if (!fs::is_regular_file(status))
      throw ConfigError(file.string(), 0, 0, "", "config file does not exist");
    std::ifstream in(file);
    if (!in)
      throw ConfigError(file.string(), 0, 0, "", "config file cannot be read");
    std::ostringstream text;
    text << in.rdbuf();
    return load(schema, text.str(), file.string(), fs::absolute(file).parent_path());
  }

  ConfigValues load_config_text(const ConfigSection &schema, const std::string &text,
                                const std::string &display_name, const fs::path &base_dir,
                                const std::vector<ScalarSubstitution> &substitutions)
  {
    return load(schema, text, display_name, base_dir, substitutions);
  }

  const ConfigKey &ConfigValues::declared(const std::string &name) const
  {
    if (schema_ == nullptr)
      throw std::logic_error("reading key '" + name + "' from an empty ConfigValues");
    const ConfigKey *key = schema_->find(name);
    if (key == nullptr)
      throw std::logic_error("reading undeclared config key '" + name + "' in section '" + path_ + "'");
    return *key;
  }

  YAML::Node ConfigValues::value(const std::string &name) const
  {
    declared(name);
    const YAML::Node node = node_[name];
    if (!node.IsDefined() || node.IsNull())
      throw std::logic_error("config key '" + name + "' has no value; check has() first");
    return node;
  }

  double ConfigValues::real(const std::string &name) const { return value(name).as<double>(); }
  long long ConfigValues::integer(const std::string &name) const { return value(name).as<long long>(); }
  bool ConfigValues::boolean(const std::string &name) const { return value(name).as<bool>(); }
  std::string ConfigValues::text(const std::string &name) const { return value(name).as<std::string>(); }
  fs::path ConfigValues::input_file(const std::string &name) const { return value(name).as<std::string>(); }

  std::vector<double> ConfigValues::real_list(const std::string &name) const
  {
    return value(name).as<std::vector<double>>();
  }

  std::vector<std::string> ConfigValues::text_list(const std::string &name) const
  {
    return value(name).as<std::vector<std::string>>();
  }

  ConfigValues ConfigValues::section(const std::string &name) const
  {
    const ConfigKey &key = declared(name);
    if (key.kind != ConfigKind::section)
      throw std::logic_error("config key '" + name + "' is not a section");
    return child(key, path_.empty() ? name : path_ + "." + name, value(name));
  }

  std::vector<ConfigValues> ConfigValues::section_list(const std::string &name) const
  {
    const ConfigKey &key = declared(name);
    if (key.kind != ConfigKind::section_list)
      throw std::logic_error("config key '" + name + "' is not a list of sections");
    std::vector<ConfigValues> items;
    if (!has(name))
      return items;
    const YAML::Node list = value(name);
    for (std::size_t i = 0; i < list.size(); ++i)
      {
        items.push_back(child(key, fmt::format("{}[{}]", path_.empty() ? name : path_ + "." + name, i),
                              list[i]));
      }
    return items;
  }

  ConfigValues ConfigValues::child(const ConfigKey &key, const std::string &path,
                                   const YAML::Node &node) const
  {
    // Built field by field: assigning to a YAML::Node that already refers to a tree would
    // overwrite that (shared) tree instead of rebinding the handle.
    ConfigValues values;
    values.schema_ = key.section.get();
    values.path_ = path;
    values.file_ = file_;
    values.base_dir_ = base_dir_;
    values.node_ = node;
    return values;
  }

  bool ConfigValues::has(const std::string &name) const
  {
    declared(name);
    const YAML::Node node = node_[name];
    return node.IsDefined() && !node.IsNull();
  }

  std::vector<std::pair<std::string, std::string>> ConfigValues::critical_values() const
  {
    std::vector<std::pair<std::string, std::string>> values;
    const auto append = [&values](const std::vector<std::pair<std::string, std::string>> &more) {
      values.insert(values.end(), more.begin(), more.end());
    };
    for (const ConfigKey &key : schema_->keys())
      {
        if (key.resume_may_change || !has(key.name))
          continue;
        if (key.kind == ConfigKind::section)
          append(section(key.name).critical_values());
        else if (key.kind == ConfigKind::section_list)
          for (const ConfigValues &item : section_list(key.name))
            append(item.critical_values());
        else
          {
            YAML::Emitter flow;
            flow << YAML::Flow << value(key.name);
            values.emplace_back(path_.empty() ? key.name : path_ + "." + key.name, flow.c_str());
          }
      }
    return values;
  }

  bool ConfigValues::given(const std::string &name) const
  {
    return find_mark(file_, path_.empty() ? name : path_ + "." + name) != nullptr;
  }

  void ConfigValues::fail(const std::string &name, const std::string &message) const
  {
    const std::string key_path = name.empty() ? path_ : (path_.empty() ? name : path_ + "." + name);
    const YAML::Mark *mark = find_mark(file_, key_path);
    if (mark == nullptr)
      mark = find_mark(file_, path_);
    if (mark != nullptr && mark->line >= 0)
      throw ConfigError(file_, mark->line + 1, mark->column + 1, key_path, message);
    throw ConfigError(file_, 0, 0, key_path, message);
  }

  std::string emit_resolved_config(const ConfigValues &values)
  {
    YAML::Emitter out;
    out.SetDoublePrecision(17);
    out << values.node();
    return std::string(out.c_str()) + "\n";
  }
} // namespace cryocycle::core
