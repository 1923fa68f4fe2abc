#include "coupling/pipeline/run_chain.h"

#include "core/config_values.h"
#include "core/log.h"
#include "core/progress.h"
#include "core/run_directory.h"
#include "core/run_manifest.h"

#include <fmt/format.h>
#include <mpi.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <fstream>
#include <iostream>
#include <optional>
#include <regex>
#include <sstream>

namespace cryocycle::coupling
{
  namespace
  {
    namespace fs = std::filesystem;

    const std::vector<std::string> default_chain{"atomistic", "calibrate", "continuum"};

    /// Stages a chain can hold: every registered stage but `run` itself.
    std::vector<std::string> chainable_stages()
    {
      std::vector<std::string> names;
      for (const auto &entry : registered_stages())
        if (entry.name != "run")
          names.push_back(entry.name);
      return names;
    }

    void declare(core::ConfigSection &root)
    {
      auto &r = root.section("run", "cryocycle run: several stages in order in one run directory, each from "
                                    "its own section; later sections may refer to earlier stages' outputs with "
                                    "${stage}, ${stage/file} and ${stage/file#dotted.key} (coupling/pipeline/run_chain.h).");
      const auto names = chainable_stages();
      r.choice_list("stages", default_chain, names,
                    "The stages, in the order they run; each runs in the sub-folder <i>_<stage>.", 1);
      auto &from = r.section("from", "Stages taken from a previous run instead of running them.");
      for (const auto &name : names)
        from.text(name, "",
                  "Run directory of a completed `" + name + "` run whose outputs are reused (relative to the "
                  "working directory, like output_dir); empty: the stage runs.");
    }

    /// A stage of the chain: run here, or reused from a previous run.
    struct Link
    {
      std::string stage;
      bool reused = false;
      fs::path directory;      ///< absolute: the sub-folder, or the `from:` folder
      std::string from_text;   ///< `from:` as written
    };

    /// A `${...}` reference in a stage section.
    struct Reference
    {
      std::string text;
      std::string stage;
      std::string file;
      std::string key_path;
      std::size_t offset = 0;  ///< in the config text
      int line = 0;            ///< 1-based
      int column = 0;
      std::string config_key;  ///< dotted key the reference stands in
      std::string section;     ///< stage section it is in
    };

    /// What run_chain knows after its checks.
    struct Chain
    {
      std::string display_name;
      fs::path base_dir;
      std::string text;
      /// Top-level keys with their line ranges [first, end), 0-based.
      std::vector<std::tuple<std::string, int, int>> top_level;
      std::vector<Link> links;
      std::vector<Reference> references;
      fs::path root;
      std::uint64_t seed = 0;
    };

    /// What a previous run of a stage says about itself.
    struct SourceRun
    {
      std::string config_sha256;
      std::string git_commit;
      std::string status;
      std::string finished_at;
    };

    std::string read_file(const fs::path &file)
    {
      std::ifstream in(file, std::ios::binary);
      if (!in)
        throw core::ConfigError(file.string(), 0, 0, "", "config file does not exist or cannot be read");
      std::ostringstream text;
      text << in.rdbuf();
      return text.str();
    }

    /// `text` with the lines of the top-level entries for which `keep` is false commented out, so
    /// line numbers (and with them every error location) stay those of the file.
    std::string text_keeping(const Chain &chain, const std::string &text,
                             const std::function<bool(const std::string &)> &keep)
    {
      std::vector<std::string> lines;
      std::istringstream in(text);
      for (std::string line; std::getline(in, line);)
        lines.push_back(line);
      for (const auto &[name, first, end] : chain.top_level)
        if (!keep(name))
          for (int l = first; l < end && l < static_cast<int>(lines.size()); ++l)
            lines[static_cast<std::size_t>(l)] = "#" + lines[static_cast<std::size_t>(l)];
      std::string out;
      for (const auto &line : lines)
        out += line + "\n";
      return out;
    }

    /// Where a YAML comment starts on `line` (npos: none): a '#' at the start or after a blank,
    /// outside quotes and outside ${...}.
    std::size_t comment_start(const std::string &line)
    {
      char quote = 0;
      bool reference = false;
      for (std::size_t i = 0; i < line.size(); ++i)
        {
          const char c = line[i];
          if (reference)
            reference = c != '}';
          else if (quote != 0)
            quote = c == quote ? 0 : quote;
          else if (c == '"' || c == '\'')
            quote = c;
          else if (c == '$' && i + 1 < line.size() && line[i + 1] == '{')
            reference = true;
          else if (c == '#' && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t'))
            return i;
        }
      return std::string::npos;
    }

    bool is_top_level_scalar_key(const std::string &name) { return name == "output_dir" || name == "seed"; }

    /// Dotted path of the scalar at (line, column) containing `needle`, searched under `node`.
    void find_key(const YAML::Node &node, const std::string &path, const int line, const std::string &needle,
                  std::string &found)
    {
      if (node.IsScalar())
        {
          if (node.Mark().line + 1 == line && node.Scalar().find(needle) != std::string::npos)
            found = path;
        }
      else if (node.IsMap())
        for (const auto &entry : node)
          find_key(entry.second, path + "." + entry.first.as<std::string>(), line, needle, found);
      else if (node.IsSequence())
        for (std::size_t i = 0; i < node.size(); ++i)
          find_key(node[i], fmt::format("{}[{}]", path, i), line, needle, found);
    }

    [[noreturn]] void fail_at(const Chain &chain, const Reference &ref, const std::string &message)
    {
      throw core::ConfigError(chain.display_name, ref.line, ref.column, ref.config_key, message);
    }

    const Link *link_of(const Chain &chain, const std::string &stage)
    {
      for (const auto &link : chain.links)
        if (link.stage == stage)
          return &link;
      return nullptr;
    }

    std::size_t position_of(const Chain &chain, const std::string &stage)
    {
      for (std::size_t i = 0; i < chain.links.size(); ++i)
        if (chain.links[i].stage == stage)
          return i;
      return chain.links.size();
    }

    /// Files a completed run of `stage` must hold for its outputs to be reusable.
    std::vector<std::string> expected_outputs(const std::string &stage, const YAML::Node &config)
    {
      std::vector<std::string> files{"config.yaml", "manifest.yaml"};
      const YAML::Node section = config[stage];
      if (stage == "atomistic" && section && section["tasks"])
        for (const auto &task : section["tasks"])
          {
            const std::string t = task.as<std::string>();
            if (t == "prepare")
              files.insert(files.end(), {"prepare.yaml", "glass.data"});
            else if (t == "cycle")
              files.push_back("cycles.csv");
            else if (t == "expansion")
              files.push_back("thermal_expansion.yaml");
            else if (t.rfind("local_", 0) == 0)  // local_expansion, local_moduli, local_yield
              files.push_back(t + ".yaml");
          }
      else if (stage == "calibrate")
        files.push_back("calibration.yaml");
      else if (stage == "continuum" && section && section["mode"])
        files.push_back(section["mode"].as<std::string>() == "cycles" ? "cycles.csv" : "thermal_stress.yaml");
      else if (stage == "compare")
        files.insert(files.end(), {"report.md", "residuals.csv"});
      return files;
    }

    /// Checks that `directory` is a completed run of `stage` with its output files; throws
    /// std::runtime_error saying what is wrong.
    SourceRun check_source(const std::string &stage, const fs::path &directory)
    {
      if (!fs::is_directory(directory))
        throw std::runtime_error("folder " + directory.string() + " does not exist");
      const fs::path manifest_file = directory / "manifest.yaml";
      const fs::path config_file = directory / "config.yaml";
      if (!fs::is_regular_file(manifest_file) || !fs::is_regular_file(config_file))
        throw std::runtime_error(directory.string() + " is not a cryocycle run directory (no manifest.yaml or "
                                                      "config.yaml)");
      YAML::Node manifest;
      YAML::Node config;
      try
        {
          manifest = YAML::LoadFile(manifest_file.string());
          config = YAML::LoadFile(config_file.string());
        }
      catch (const YAML::Exception &e)
        {
          throw std::runtime_error(directory.string() + ": unreadable manifest.yaml or config.yaml: " + e.what());
        }
      SourceRun source;
      source.status = manifest["status"] ? manifest["status"].as<std::string>() : "";
      source.git_commit = manifest["git_commit"] ? manifest["git_commit"].as<std::string>() : "";
      source.finished_at = manifest["finished_at_utc"] ? manifest["finished_at_utc"].as<std::string>() : "";
      // The single-stage runner records the stage's wall time under its name.
      std::vector<std::string> stages;
      if (manifest["stage_wall_times_s"] && manifest["stage_wall_times_s"].IsMap())
        for (const auto &entry : manifest["stage_wall_times_s"])
          stages.push_back(entry.first.as<std::string>());
      if (std::find(stages.begin(), stages.end(), stage) == stages.end() || !config[stage])
        throw std::runtime_error(fmt::format("{} is not a {} run (its manifest lists: {})", directory.string(), stage,
                                             stages.empty() ? std::string("no stage") : fmt::format("{}", fmt::join(stages, ", "))));
      if (source.status.rfind("completed", 0) != 0)
        throw std::runtime_error(fmt::format("{} did not complete (status: {}); its outputs cannot be reused",
                                             directory.string(), source.status));
      std::vector<std::string> missing;
      for (const auto &file : expected_outputs(stage, config))
        if (!fs::exists(directory / file))
          missing.push_back(file);
      if (!missing.empty())
        throw std::runtime_error(fmt::format("{} lacks output files of a {} run: {}", directory.string(), stage,
                                             fmt::join(missing, ", ")));
      source.config_sha256 = core::sha256_of_file(config_file);
      return source;
    }

    /// The scalar at `key_path` (dots; numbers index lists) of the YAML file `file`.
    std::string yaml_scalar(const fs::path &file, const std::string &key_path)
    {
      YAML::Node node = YAML::LoadFile(file.string());
      std::string walked;
      std::istringstream parts(key_path);
      for (std::string part; std::getline(parts, part, '.');)
        {
          walked += (walked.empty() ? "" : ".") + part;
          if (node.IsSequence())
            {
              std::size_t index = 0;
              try
                {
                  index = std::stoul(part);
                }
              catch (const std::exception &)
                {
                  throw std::runtime_error(fmt::format("{}: '{}' is a list; index it with a number", file.string(),
                                                       walked));
                }
              if (index >= node.size())
                throw std::runtime_error(fmt::format("{}: '{}' is past the end of a list of {}", file.string(), walked,
                                                     node.size()));
              node.reset(node[index]);
            }
          else if (node.IsMap())
            {
              if (!node[part])
                {
                  std::vector<std::string> keys;
                  for (const auto &entry : node)
                    keys.push_back(entry.first.as<std::string>());
                  throw std::runtime_error(fmt::format("{}: no key '{}' (there: {})", file.string(), walked,
                                                       fmt::join(keys, ", ")));
                }
              node.reset(node[part]);
            }
          else
            throw std::runtime_error(fmt::format("{}: '{}' goes below a value", file.string(), walked));
        }
      if (!node.IsScalar())
        throw std::runtime_error(fmt::format("{}: '{}' is not a single value", file.string(), key_path));
      return node.Scalar();
    }

    /// The replacement text of `ref`; empty when it needs a file the chain has not made yet.
    std::optional<std::string> resolve(const Chain &chain, const Reference &ref, const bool producer_done)
    {
      const Link *link = link_of(chain, ref.stage);
      const fs::path target = ref.file.empty() ? link->directory : link->directory / ref.file;
      if (!producer_done)
        {
          if (!ref.key_path.empty())
            return std::nullopt;
          return target.string();
        }
      if (!ref.file.empty() && !fs::exists(target))
        fail_at(chain, ref, fmt::format("{}: {} has no file {}", ref.text, link->directory.string(), ref.file));
      if (ref.key_path.empty())
        return target.string();
      try
        {
          return yaml_scalar(target, ref.key_path);
        }
      catch (const std::exception &e)
        {
          fail_at(chain, ref, ref.text + ": " + e.what());
        }
    }

    /// Whether the outputs of `stage` exist at the time stage `consumer` (index) is prepared.
    bool available(const Chain &chain, const std::string &stage, const bool running)
    {
      const Link *link = link_of(chain, stage);
      return link->reused || running;
    }

    /// The config text of chain stage `index`: its section with its references replaced (those
    /// of stages already done when `running`), every other stage section commented out.
    std::string stage_text(const Chain &chain, const std::size_t index, const bool running, bool &deferred,
                           std::vector<core::ScalarSubstitution> &substitutions, const std::string &placeholder = "")
    {
      const std::string &stage = chain.links[index].stage;
      std::string text = chain.text;
      deferred = false;
      std::vector<const Reference *> refs;
      for (const auto &ref : chain.references)
        if (ref.section == stage)
          refs.push_back(&ref);
      std::sort(refs.begin(), refs.end(), [](const auto *a, const auto *b) { return a->offset > b->offset; });
      for (const Reference *ref : refs)
        {
          const auto value = resolve(chain, *ref, available(chain, ref->stage, running));
          if (!value)
            {
              deferred = true;
              if (placeholder.empty())
                continue;
            }
          // Replaced in the parsed tree, not in the text: a value holding a line break or a ':'
          // stays one scalar and can never add keys to the config.
          substitutions.push_back({ref->line, ref->text, value ? *value : placeholder});
        }
      text = text_keeping(chain, text, [&](const std::string &name) {
        return name == stage || is_top_level_scalar_key(name);
      });
      // The stage's own folder as its output_dir, so its resolved config.yaml names where it ran
      // (on the line of the chain's output_dir, or appended: no line moves).
      std::string folder = chain.links[index].directory.string();
      std::string quoted = "'";
      for (const char c : folder)
        quoted += c == '\'' ? std::string("''") : std::string(1, c);
      const std::string line = "output_dir: " + quoted + "'";
      for (const auto &[name, first, end] : chain.top_level)
        if (name == "output_dir")
          {
            std::size_t start = 0;
            for (int l = 0; l < first; ++l)
              start = text.find('\n', start) + 1;
            text.replace(start, text.find('\n', start) - start, line);
            return text;
          }
      return text + line + "\n";
    }

    /// Reads the config, checks the `run` section, every `from:` and every reference, and
    /// every stage config that does not need outputs of this run. Throws on the first problem.
    Chain check_chain(std::string config_text, const std::string &display_name, const fs::path &base_dir,
                      const RunOptions &options)
    {
      Chain chain;
      chain.display_name = display_name;
      chain.base_dir = fs::absolute(base_dir);
      chain.text = std::move(config_text);
      YAML::Node root;
      try
        {
          root = YAML::Load(chain.text);
        }
      catch (const YAML::ParserException &e)
        {
          const bool reference_nearby = chain.text.find("${") != std::string::npos;
          throw core::ConfigError(chain.display_name, e.mark.line + 1, e.mark.column + 1, "",
                                  e.msg + (reference_nearby ? " (a ${...} reference inside [...] or {...} must be "
                                                              "quoted)"
                                                            : ""));
        }
      if (!root.IsMap())
        throw core::ConfigError(chain.display_name, 1, 1, "", "a run config is a map of sections");
      int line_count = static_cast<int>(std::count(chain.text.begin(), chain.text.end(), '\n')) + 1;
      std::vector<std::pair<int, std::string>> starts;
      for (const auto &entry : root)
        starts.emplace_back(entry.first.Mark().line, entry.first.as<std::string>());
      std::sort(starts.begin(), starts.end());
      for (std::size_t i = 0; i < starts.size(); ++i)
        {
          if (starts[i].first < 0)
            throw core::ConfigError(chain.display_name, 1, 1, "", "write the run config in block style");
          chain.top_level.emplace_back(starts[i].second, starts[i].first,
                                       i + 1 < starts.size() ? starts[i + 1].first : line_count);
        }

      // The run section and the common keys, with the stage sections set aside.
      const auto stages = chainable_stages();
      const auto is_stage = [&](const std::string &name) {
        return std::find(stages.begin(), stages.end(), name) != stages.end();
      };
      const core::ConfigValues values = core::load_config_text(
        config_schema(), text_keeping(chain, chain.text, [&](const std::string &name) { return !is_stage(name); }),
        chain.display_name, chain.base_dir);
      chain.seed = static_cast<std::uint64_t>(values.integer("seed"));
      chain.root = fs::absolute(options.output_dir ? *options.output_dir : fs::path(values.text("output_dir")))
                     .lexically_normal();
      const auto run = values.section("run");
      const auto from = run.section("from");
      const auto order = run.text_list("stages");
      for (std::size_t i = 0; i < order.size(); ++i)
        {
          if (std::count(order.begin(), order.end(), order[i]) > 1)
            run.fail("stages", "stage " + order[i] + " is listed twice");
          Link link;
          link.stage = order[i];
          link.from_text = from.text(order[i]);
          link.reused = !link.from_text.empty();
          if (link.reused)
            {
              link.directory = fs::absolute(link.from_text).lexically_normal();
              const auto relative = link.directory.lexically_relative(chain.root);
              if (!relative.empty() && *relative.begin() != "..")
                from.fail(order[i], "'" + link.from_text + "' lies inside this run's directory " +
                                      chain.root.string() + ", which the run replaces");
              try
                {
                  check_source(order[i], link.directory);
                }
              catch (const std::runtime_error &e)
                {
                  from.fail(order[i], std::string("cannot reuse: ") + e.what());
                }
            }
          else
            {
              link.directory = chain.root / fmt::format("{}_{}", i + 1, order[i]);
              if (!root[order[i]])
                run.fail("stages", "stage " + order[i] + " runs but the config has no '" + order[i] +
                                     "' section (or give run.from." + order[i] + ")");
            }
          chain.links.push_back(link);
        }
      for (const auto &name : stages)
        if (!from.text(name).empty() && link_of(chain, name) == nullptr)
          from.fail(name, "stage " + name + " is not in run.stages");
      for (const auto &[name, first, end] : chain.top_level)
        if (is_stage(name) && (link_of(chain, name) == nullptr || link_of(chain, name)->reused))
          core::Log::instance().info(fmt::format("run: section {} (line {}) is not read: {}", name, first + 1,
                                                 link_of(chain, name) == nullptr ? "the stage is not in run.stages"
                                                                                 : "its outputs are reused"));

      // References, in the sections of stages that run.
      const std::regex pattern(R"(\$\{([A-Za-z_]+)(?:/([^#}]*))?(?:#([^}]*))?\})");
      for (const auto &[name, first, end] : chain.top_level)
        {
          const Link *consumer = link_of(chain, name);
          std::size_t offset = 0;
          std::istringstream lines(chain.text);
          int l = 0;
          for (std::string line; std::getline(lines, line); ++l, offset += line.size() + 1)
            {
              if (l < first || l >= end)
                continue;
              const std::size_t comment = comment_start(line);
              for (auto it = std::sregex_iterator(line.begin(), line.end(), pattern); it != std::sregex_iterator();
                   ++it)
                {
                  const auto &m = *it;
                  if (static_cast<std::size_t>(m.position(0)) >= comment)
                    break;
                  Reference ref;
                  ref.text = m.str(0);
                  ref.stage = m.str(1);
                  ref.file = m.str(2);
                  ref.key_path = m.str(3);
                  ref.offset = offset + static_cast<std::size_t>(m.position(0));
                  ref.line = l + 1;
                  ref.column = static_cast<int>(m.position(0)) + 1;
                  ref.section = name;
                  ref.config_key = name;
                  find_key(root[name], name, ref.line, ref.text, ref.config_key);
                  if (consumer == nullptr || consumer->reused)
                    continue;  // sections of stages that do not run here are not read
                  if (!ref.key_path.empty() && ref.file.empty())
                    fail_at(chain, ref, ref.text + ": a #key needs a file, e.g. ${" + ref.stage + "/record.yaml#key}");
                  if (link_of(chain, ref.stage) == nullptr)
                    fail_at(chain, ref, fmt::format("{} refers to stage '{}', which is not in run.stages ({})",
                                                    ref.text, ref.stage, fmt::join(order, ", ")));
                  if (position_of(chain, ref.stage) >= position_of(chain, name))
                    fail_at(chain, ref, fmt::format("{}: stage {} comes after {} in run.stages; a stage can only "
                                                    "use outputs of earlier ones",
                                                    ref.text, ref.stage, name));
                  if (link_of(chain, ref.stage)->reused)
                    resolve(chain, ref, true);  // file and key must be there now
                  chain.references.push_back(ref);
                }
            }
        }

      // Each stage's own config, as far as it can be read before the earlier stages have run.
      for (std::size_t i = 0; i < chain.links.size(); ++i)
        {
          const Link &link = chain.links[i];
          if (link.reused)
            continue;
          // Values of earlier stages of this run are not known yet: a stand-in number lets the
          // keys, types and files be checked now; the stage itself checks the rest when it runs.
          bool deferred = false;
          std::vector<core::ScalarSubstitution> substitutions;
          const std::string text = stage_text(chain, i, false, deferred, substitutions, "1");
          try
            {
              const auto config =
                core::load_config_text(config_schema(), text, chain.display_name, chain.base_dir, substitutions);
              if (!deferred)
                for (const auto &entry : registered_stages())
                  if (entry.name == link.stage)
                    entry.create()->prepare(config);
            }
          catch (const core::ConfigError &e)
            {
              // A file that an earlier stage of this run will write cannot exist yet, and a
              // stand-in value may be out of a key's range.
              bool future = false;
              for (std::size_t j = 0; j < i; ++j)
                future = future || (!chain.links[j].reused &&
                                    e.message().find(chain.links[j].directory.string()) != std::string::npos);
              bool stand_in = false;
              for (const auto &ref : chain.references)
                stand_in = stand_in || (ref.section == link.stage && !ref.key_path.empty() &&
                                        !link_of(chain, ref.stage)->reused &&
                                        (e.key().rfind(ref.config_key, 0) == 0 ||
                                         ref.config_key.rfind(e.key(), 0) == 0));
              if (!stand_in && (!future || e.message().find("does not exist") == std::string::npos))
                throw;
            }
          if (deferred)
            core::Log::instance().info(fmt::format("run: the {} config takes values from earlier stages of this run; "
                                                   "its keys are checked now, its values when those stages have "
                                                   "finished",
                                                   link.stage));
        }
      return chain;
    }

    /// Rank 0's message (empty: fine) on every rank.
    std::string broadcast(std::string text)
    {
      int length = static_cast<int>(text.size());
      MPI_Bcast(&length, 1, MPI_INT, 0, MPI_COMM_WORLD);
      text.resize(static_cast<std::size_t>(length));
      MPI_Bcast(text.data(), length, MPI_CHAR, 0, MPI_COMM_WORLD);
      return text;
    }

    /// A stage's summary.txt, or a line saying where its results are.
    std::string stage_summary(const fs::path &directory)
    {
      std::ifstream in(directory / "summary.txt");
      if (!in)
        return "(no summary.txt; results in " + directory.string() + ")\n";
      std::stringstream text;
      text << in.rdbuf();
      return text.str();
    }

    /// One entry of the chain record.
    struct ChainRecord
    {
      std::string stage;
      std::string status;  ///< ran, reused, failed, not run
      fs::path directory;
      std::string from;
      std::string config_sha256;
      std::string source_status;
      std::string source_git_commit;
      std::string source_finished_at;
      double wall_time_s = 0.0;
    };

    /// manifest.yaml of the chain: the usual manifest and the `chain` list.
    std::string chain_manifest(const core::RunManifest &manifest, const std::vector<ChainRecord> &records)
    {
      YAML::Emitter out;
      out << YAML::BeginMap << YAML::Key << "chain" << YAML::Value << YAML::BeginSeq;
      for (const auto &r : records)
        {
          out << YAML::BeginMap;
          out << YAML::Key << "stage" << YAML::Value << r.stage;
          out << YAML::Key << "status" << YAML::Value << r.status;
          out << YAML::Key << "directory" << YAML::Value << r.directory.string();
          if (!r.from.empty())
            {
              out << YAML::Key << "from" << YAML::Value << r.from;
              out << YAML::Key << "source_status" << YAML::Value << r.source_status;
              out << YAML::Key << "source_git_commit" << YAML::Value << r.source_git_commit;
              out << YAML::Key << "source_finished_at_utc" << YAML::Value << r.source_finished_at;
            }
          if (!r.config_sha256.empty())
            out << YAML::Key << "config_sha256" << YAML::Value << r.config_sha256;
          if (r.status == "ran")
            out << YAML::Key << "wall_time_s" << YAML::Value << r.wall_time_s;
          out << YAML::EndMap;
        }
      out << YAML::EndSeq << YAML::EndMap;
      // Both are block maps, so the concatenation is one map.
      return manifest.yaml() + out.c_str() + "\n";
    }

    class ChainStage final : public Stage
    {
    public:
      std::vector<std::string> sections() const override
      {
        std::vector<std::string> all{"run"};
        for (const auto &name : chainable_stages())
          all.push_back(name);
        return all;
      }
      void prepare(const core::ConfigValues &) override
      {
        throw std::logic_error("cryocycle run is driven by run_chain(), not by the single-stage runner");
      }
      void run(RunContext &) override {}
    };
  } // namespace

  StageEntry run_chain_stage_entry()
  {
    return {"run",
            "Several stages in one run directory (default atomistic → calibrate → continuum), outputs passed on "
            "by ${stage/file#key} references; run.from.<stage> reuses a previous run's outputs",
            &declare, [] { return std::make_unique<ChainStage>(); }};
  }

  int validate_chain(const fs::path &config_file)
  {
    try
      {
        const Chain chain = check_chain(read_file(config_file), config_file.string(),
                                        fs::absolute(config_file).parent_path(), RunOptions{});
        std::string stages;
        for (const auto &link : chain.links)
          stages += (stages.empty() ? "" : " → ") + link.stage + (link.reused ? " (reused)" : "");
        std::cout << config_file.string() << ": valid for stage run (" << stages << ")" << std::endl;
        return exit_success;
      }
    catch (const std::exception &e)
      {
        std::cerr << "error: " << e.what() << std::endl;
        return exit_input_error;
      }
  }

  /// run_chain once `check` has read and checked the config (internal linkage through Chain).
  int run_checked_chain(const std::function<Chain()> &check, const RunOptions &options)
  {
    auto &log = core::Log::instance();
    const auto start = std::chrono::steady_clock::now();
    Chain chain;
    try
      {
        if (options.resume)
          throw std::runtime_error("cryocycle run does not --resume; reuse the stages that finished with "
                                   "run.from.<stage> (their folders in the previous run)");
        chain = check();
      }
    catch (const std::exception &e)
      {
        if (core::is_output_rank())
          std::cerr << "error: " << e.what() << "\nnothing was written." << std::endl;
        return exit_input_error;
      }

    std::string failure;
    // Rank 0 holds the chain's directory (and its lock) for the whole chain.
    std::optional<core::RunDirectory> root;
    if (core::is_output_rank())
      {
        try
          {
            core::RunDirectory::check_usable(chain.root, options.overwrite);
            root.emplace(chain.root, options.overwrite);
            root->write("config.yaml", chain.text);
            for (const char *file : {"manifest.yaml", "log.txt", "summary.txt"})
              root->file(file);
            for (const auto &link : chain.links)
              if (!link.reused)
                root->file(link.directory.lexically_relative(chain.root) / "");
          }
        catch (const std::exception &e)
          {
            failure = e.what();
          }
      }
    failure = broadcast(failure);
    if (!failure.empty())
      {
        if (core::is_output_rank())
          std::cerr << "error: " << failure << "\nnothing was written." << std::endl;
        return exit_input_error;
      }

    core::RunManifest manifest(options.command_line);
    manifest.add_seed("seed", chain.seed);
    std::vector<ChainRecord> records;
    for (const auto &link : chain.links)
      records.push_back({link.stage, "not run", link.directory, link.from_text, "", "", "", "", 0.0});
    std::optional<core::InterruptedManifestGuard> interrupt_guard;
    const auto write_manifest = [&] {
      if (!core::is_output_rank())
        return;
      manifest.set_outputs(root->outputs());
      core::write_file_atomically(chain.root / "manifest.yaml", chain_manifest(manifest, records));
      if (!interrupt_guard)
        interrupt_guard.emplace(chain.root / "manifest.yaml");
      core::RunManifest interrupted = manifest;
      interrupted.set_status("interrupted");
      interrupt_guard->update(chain_manifest(interrupted, records));
    };
    write_manifest();
    // The chain's own lines go to log.txt of the run directory, each stage's to its folder.
    const fs::path log_file = chain.root / "log.txt";
    log.attach_file(log_file);
    std::string chain_text;
    for (const auto &link : chain.links)
      chain_text += (chain_text.empty() ? "" : " → ") + link.stage + (link.reused ? " (reused)" : "");
    log.info(fmt::format("cryocycle run: {} in {}", chain_text, chain.root.string()));

    std::string summary;
    for (std::size_t i = 0; i < chain.links.size(); ++i)
      {
        const Link &link = chain.links[i];
        ChainRecord &record = records[i];
        if (link.reused)
          {
            const SourceRun source = check_source(link.stage, link.directory);
            record.status = "reused";
            record.config_sha256 = source.config_sha256;
            record.source_status = source.status;
            record.source_git_commit = source.git_commit;
            record.source_finished_at = source.finished_at;
            log.info(fmt::format("run: {} reused from {} (config SHA-256 {}…, {})", link.stage,
                                 link.directory.string(), source.config_sha256.substr(0, 12), source.status));
            summary += fmt::format("== {} (reused from {})\n{}\n", link.stage, link.directory.string(),
                                   stage_summary(link.directory));
            write_manifest();
            continue;
          }
        std::string text;
        std::vector<core::ScalarSubstitution> substitutions;
        try
          {
            bool deferred = false;
            text = stage_text(chain, i, true, deferred, substitutions);
          }
        catch (const std::exception &e)
          {
            if (core::is_output_rank())
              std::cerr << "error: " << e.what() << std::endl;
            log.file_only(std::string("error: ") + e.what());
            log.detach_file();
            record.status = "failed";
            manifest.set_status(fmt::format("failed in {}: {}", link.stage, e.what()));
            write_manifest();
            return exit_input_error;
          }
        RunOptions sub;
        sub.output_dir = link.directory;
        sub.command_line = options.command_line;
        const auto stage_start = std::chrono::steady_clock::now();
        log.detach_file();
        const int code = run_stage_on_text(link.stage, text, chain.display_name, chain.base_dir, sub, substitutions);
        MPI_Barrier(MPI_COMM_WORLD);
        log.attach_file(log_file);
        record.wall_time_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - stage_start).count();
        manifest.add_stage_time(link.directory.filename().string(), record.wall_time_s);
        if (code != exit_success)
          {
            record.status = "failed";
            manifest.set_status("failed in " + link.directory.filename().string());
            write_manifest();
            log.file_only("error: stage " + link.stage + " failed");
            log.detach_file();
            if (core::is_output_rank())
              std::cerr << "error: cryocycle run stopped: stage " << link.stage << " failed (see "
                        << (link.directory / "log.txt").string() << ")" << std::endl;
            return code;
          }
        record.status = "ran";
        if (core::is_output_rank())
          {
            record.config_sha256 = core::sha256_of_file(link.directory / "config.yaml");
            summary += fmt::format("== {} ({})\n{}\n", link.directory.filename().string(), link.stage,
                                   stage_summary(link.directory));
          }
        write_manifest();
      }
    manifest.add_stage_time("run", std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    manifest.set_status("completed");
    write_manifest();
    if (core::is_output_rank())
      core::write_file_atomically(chain.root / "summary.txt", summary);
    log.info(fmt::format("run finished in {}: {}; manifest.yaml records the chain, summary.txt each stage's summary",
                         core::format_duration(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()),
                         chain.root.string()));
    log.detach_file();
    return exit_success;
  }

  int run_chain(const fs::path &config_file, const RunOptions &options)
  {
    return run_checked_chain(std::function<Chain()>([&] {
                       return check_chain(read_file(config_file), config_file.string(),
                                          fs::absolute(config_file).parent_path(), options);
                     }),
                     options);
  }

  int run_chain_text(const std::string &config_text, const std::string &display_name,
                     const fs::path &base_dir, const RunOptions &options)
  {
    return run_checked_chain(std::function<Chain()>(
                       [&] { return check_chain(config_text, display_name, base_dir, options); }),
                     options);
  }
} // namespace cryocycle::coupling
