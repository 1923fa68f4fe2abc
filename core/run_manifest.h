#pragma once
/// @file
/// manifest.yaml of a run: what produced it (version, commit, dependency versions, host, command
/// line), with which seeds and inputs (SHA-256), when (UTC start and end) and how long each stage
/// took. Rewritten atomically at the start, after every stage and at the end.

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace cryocycle::core
{
  class RunManifest
  {
  public:
    /// `command_line` is recorded as given.
    explicit RunManifest(std::string command_line);

    void add_seed(const std::string &purpose, std::uint64_t seed);
    /// Records an input file with its SHA-256, which it returns.
    std::string add_input(const std::string &key, const std::filesystem::path &file);
    void add_stage_time(const std::string &stage, double wall_time_s);
    /// "running", "completed" or "failed: <reason>"; "completed" also stamps the end time.
    void set_status(const std::string &status);

    std::string yaml() const;

  private:
    std::string command_line_;
    std::string started_at_;
    std::string finished_at_;
    std::string status_ = "running";
    std::vector<std::pair<std::string, std::uint64_t>> seeds_;
    struct Input
    {
      std::string key;
      std::string path;
      std::string sha256;
    };
    std::vector<Input> inputs_;
    std::vector<std::pair<std::string, double>> stage_times_;
  };

  /// Current UTC time as ISO 8601 ("2026-11-21T06:04:00Z").
  std::string utc_timestamp();
  /// This machine's host name.
  std::string host_name();
} // namespace cryocycle::core
