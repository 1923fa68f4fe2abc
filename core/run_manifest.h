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
    /// "running", "completed", "interrupted" or "failed: <reason>"; all but "running" also
    /// stamp the end time.
    void set_status(const std::string &status);
    /// The top-level files and folders the run wrote (RunDirectory::outputs()).
    void set_outputs(std::vector<std::string> outputs);

    std::string yaml() const;
    /// The manifest as it would read if the run were interrupted now.
    std::string interrupted_yaml() const;

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
    std::vector<std::string> outputs_;
  };

  /// While one exists, SIGINT and SIGTERM first replace `manifest_file` by the last text given to
  /// update() (a manifest with status "interrupted"), then end the process with the signal as
  /// before, so a run stopped by Ctrl-C, `kill` or a batch system never leaves "running" behind.
  /// The handler only opens, writes, renames and re-raises (async-signal-safe). Up to four guards
  /// at a time (a chain and its stage).
  class InterruptedManifestGuard
  {
  public:
    explicit InterruptedManifestGuard(const std::filesystem::path &manifest_file);
    ~InterruptedManifestGuard();
    InterruptedManifestGuard(const InterruptedManifestGuard &) = delete;
    InterruptedManifestGuard &operator=(const InterruptedManifestGuard &) = delete;

    /// The manifest text written on a signal.
    void update(const std::string &interrupted_manifest);

  private:
    int slot_ = -1;
  };

  /// Current UTC time as ISO 8601 ("2026-11-21T06:04:00Z").
  std::string utc_timestamp();
  /// This machine's host name.
  std::string host_name();
} // namespace cryocycle::core
