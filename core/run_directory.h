#pragma once
/// @file
/// The run directory (`output_dir`): every file a run writes goes through here. Files are
/// written to a temporary name and renamed, so an interrupted run never leaves a half-written
/// result. The directory records the top-level entries the run created (`.cryocycle_outputs`,
/// one name per line, appended as the run goes), so `--overwrite` removes those and nothing
/// else; an advisory lock (`.cryocycle.lock`, flock) keeps a second run out while one works in it.

#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace cryocycle::core
{
  /// Writes `content` to `file` through a temporary file in the same folder and a rename.
  /// Throws std::runtime_error naming the file and the system's reason (e.g. "No space left on
  /// device"); the final name then still holds its previous content, or nothing.
  void write_file_atomically(const std::filesystem::path &file, const std::string &content);

  /// SHA-256 of a file's bytes as lowercase hex (provenance of inputs).
  std::string sha256_of_file(const std::filesystem::path &file);

  class RunDirectory
  {
  public:
    /// Names of the run's own bookkeeping files at the top of the directory.
    static constexpr const char *outputs_list_name = ".cryocycle_outputs";
    static constexpr const char *lock_name = ".cryocycle.lock";

    /// Checks that `path` can become a run directory without creating or removing anything: it
    /// does not exist, is empty, or `overwrite` is set and it is a previous cryocycle run holding
    /// only what that run wrote. Throws std::runtime_error otherwise, naming the first file the
    /// run did not write, or the PID of a run still working in it. Called before any work starts.
    static void check_usable(const std::filesystem::path &path, bool overwrite);

    /// Checks that `path` is a previous cryocycle run that can be continued (`--resume`): it
    /// holds a manifest.yaml and a config.yaml, and that config.yaml equals
    /// `resolved_config` (the config of the resumed run, as emit_resolved_config writes it), and
    /// no run is working in it. Throws std::runtime_error naming the first differing line otherwise.
    static void check_resumable(const std::filesystem::path &path, const std::string &resolved_config);

    /// Creates the run directory and takes its lock for the lifetime of this object and its
    /// copies; with `overwrite`, first removes what the previous run there wrote (and only that).
    /// Call check_usable first.
    RunDirectory(const std::filesystem::path &path, bool overwrite);

    /// The run directory at `path`, which must exist; nothing is created or removed. With
    /// `take_lock` (the rank that writes, on `--resume`) the directory's lock is taken as by the
    /// constructor; the other MPI ranks open it without.
    static RunDirectory open_existing(const std::filesystem::path &path, bool take_lock = false);

    const std::filesystem::path &path() const { return path_; }
    /// Absolute path of a file inside the run directory (sub-folders are created), recorded as
    /// written by this run. `relative` must stay inside the directory (no absolute path, no
    /// `..`), and no existing part of it may be a symbolic link: a run never writes through one.
    std::filesystem::path file(const std::filesystem::path &relative) const;
    /// Atomic write of a result file. Under MPI only rank 0 writes (a no-op on other ranks), so
    /// parallel stages can call it on every rank.
    void write(const std::filesystem::path &relative, const std::string &content) const;

    /// The top-level entries this run (and the previous runs it resumed) wrote, sorted; folders
    /// end in '/'.
    std::vector<std::string> outputs() const;

  private:
    RunDirectory() = default;
    void take_lock();
    void record(const std::string &top_level_entry, bool folder) const;

    struct Shared;
    std::filesystem::path path_;
    std::shared_ptr<Shared> shared_;
  };
} // namespace cryocycle::core
