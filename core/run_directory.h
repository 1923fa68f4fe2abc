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

    /// Creates (or, with `overwrite`, empties) the run directory. Call check_usable first.
    RunDirectory(const std::filesystem::path &path, bool overwrite);

    const std::filesystem::path &path() const { return path_; }
    /// Absolute path of a file inside the run directory (sub-folders are created).
    std::filesystem::path file(const std::filesystem::path &relative) const;
    /// Atomic write of a result file.
    void write(const std::filesystem::path &relative, const std::string &content) const;

  private:
    std::filesystem::path path_;
  };
} // namespace cryocycle::core
