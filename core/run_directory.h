#pragma once
/// @file
/// The run directory (`output_dir`): every file a run writes goes through here and is written
/// to a temporary name and renamed, so an interrupted run never leaves a half-written result.

#include <filesystem>
#include <string>

namespace cryocycle::core
{
  /// Writes `content` to `file` through a temporary file in the same folder and a rename.
  void write_file_atomically(const std::filesystem::path &file, const std::string &content);

  /// SHA-256 of a file's bytes as lowercase hex (provenance of inputs).
  std::string sha256_of_file(const std::filesystem::path &file);

  class RunDirectory
  {
  public:
    /// Checks that `path` can become a run directory without creating anything: it does not
    /// exist, is empty, or `overwrite` is set and it is a previous cryocycle run (it holds a
    /// manifest.yaml). Throws std::runtime_error otherwise. Called before any work starts.
    static void check_usable(const std::filesystem::path &path, bool overwrite);

    /// Checks that `path` is a previous cryocycle run that can be continued (`--resume`): it
    /// holds a manifest.yaml and a config.yaml, and that config.yaml equals
    /// `resolved_config` (the config of the resumed run, as emit_resolved_config writes it).
    /// Throws std::runtime_error naming the first differing line otherwise.
    static void check_resumable(const std::filesystem::path &path, const std::string &resolved_config);

    /// Creates (or, with `overwrite`, empties) the run directory. Call check_usable first.
    RunDirectory(const std::filesystem::path &path, bool overwrite);

    /// The run directory at `path`, which must exist; nothing is created or removed. Used to
    /// continue a run (`--resume`) and by the MPI ranks other than 0 once rank 0 has created it.
    static RunDirectory open_existing(const std::filesystem::path &path);

    const std::filesystem::path &path() const { return path_; }
    /// Absolute path of a file inside the run directory (sub-folders are created).
    std::filesystem::path file(const std::filesystem::path &relative) const;
    /// Atomic write of a result file. Under MPI only rank 0 writes (a no-op on other ranks), so
    /// parallel stages can call it on every rank.
    void write(const std::filesystem::path &relative, const std::string &content) const;

  private:
    RunDirectory() = default;
    std::filesystem::path path_;
  };
} // namespace cryocycle::core
