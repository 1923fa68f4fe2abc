#include "core/run_manifest.h"

#include "core/build_info.h"
#include "core/run_directory.h"

#include <mpi.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <array>
#include <ctime>
#include <sstream>

namespace cryocycle::core
{
  std::string utc_timestamp()
  {
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    std::array<char, 32> buffer{};
    std::strftime(buffer.data(), buffer.size(), "%Y-%m-%dT%H:%M:%SZ", &utc);
    return buffer.data();
  }

  std::string host_name()
  {
    std::array<char, 256> buffer{};
    if (gethostname(buffer.data(), buffer.size() - 1) != 0)
      return "unknown";
    return buffer.data();
  }

  RunManifest::RunManifest(std::string command_line)
    : command_line_(std::move(command_line))
    , started_at_(utc_timestamp())
  {}

  void RunManifest::add_seed(const std::string &purpose, const std::uint64_t seed)
  {
    seeds_.emplace_back(purpose, seed);
  }

  std::string RunManifest::add_input(const std::string &key, const std::filesystem::path &file)
  {
    inputs_.push_back({key, file.string(), sha256_of_file(file)});
    return inputs_.back().sha256;
  }

  void RunManifest::add_stage_time(const std::string &stage, const double wall_time_s)
  {
    stage_times_.emplace_back(stage, wall_time_s);
  }

  void RunManifest::set_status(const std::string &status)
  {
    status_ = status;
    if (status != "running")
      finished_at_ = utc_timestamp();
  }

  std::string RunManifest::yaml() const
  {
    YAML::Emitter out;
    out << YAML::BeginMap;
    out << YAML::Key << "cryocycle_version" << YAML::Value << cryocycle_version();
    out << YAML::Key << "git_commit" << YAML::Value << git_commit();
    out << YAML::Key << "build_type" << YAML::Value << build_type();
    out << YAML::Key << "compiler" << YAML::Value << compiler();
    out << YAML::Key << "dependencies" << YAML::Value << YAML::BeginMap;
    std::stringstream deps(dependency_versions_string());
    std::string entry;
    while (std::getline(deps, entry, ';'))
      {
        const auto eq = entry.find('=');
        if (eq != std::string::npos)
          out << YAML::Key << entry.substr(0, eq) << YAML::Value << entry.substr(eq + 1);
      }
    out << YAML::EndMap;
    out << YAML::Key << "host" << YAML::Value << host_name();
    int initialized = 0;
    MPI_Initialized(&initialized);
    int ranks = 1;
    if (initialized)
      MPI_Comm_size(MPI_COMM_WORLD, &ranks);
    out << YAML::Key << "mpi_ranks" << YAML::Value << ranks;
    out << YAML::Key << "command_line" << YAML::Value << command_line_;
    out << YAML::Key << "started_at_utc" << YAML::Value << started_at_;
    out << YAML::Key << "finished_at_utc" << YAML::Value << (finished_at_.empty() ? "~" : finished_at_);
    out << YAML::Key << "status" << YAML::Value << status_;
    out << YAML::Key << "seeds" << YAML::Value << YAML::BeginMap;
    for (const auto &[purpose, seed] : seeds_)
      out << YAML::Key << purpose << YAML::Value << seed;
    out << YAML::EndMap;
    out << YAML::Key << "inputs" << YAML::Value << YAML::BeginSeq;
    for (const auto &input : inputs_)
      out << YAML::BeginMap << YAML::Key << "key" << YAML::Value << input.key << YAML::Key
          << "path" << YAML::Value << input.path << YAML::Key << "sha256" << YAML::Value
          << input.sha256 << YAML::EndMap;
    out << YAML::EndSeq;
    out << YAML::Key << "stage_wall_times_s" << YAML::Value << YAML::BeginMap;
    for (const auto &[stage, seconds] : stage_times_)
      out << YAML::Key << stage << YAML::Value << seconds;
    out << YAML::EndMap;
    out << YAML::EndMap;
    return std::string(out.c_str()) + "\n";
  }
} // namespace cryocycle::core
