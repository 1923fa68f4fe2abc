#include "core/run_directory.h"

#include "core/log.h"

#include <openssl/evp.h>
#include <unistd.h>

#include <array>
#include <fstream>
#include <sstream>
#include <memory>
#include <stdexcept>

namespace cryocycle::core
{
  namespace fs = std::filesystem;

  void write_file_atomically(const fs::path &file, const std::string &content)
  {
    if (file.has_parent_path())
      fs::create_directories(file.parent_path());
    const fs::path temporary =
      file.parent_path() / ("." + file.filename().string() + ".tmp" + std::to_string(getpid()));
    {
      std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
      if (!out)
        throw std::runtime_error("cannot write " + temporary.string());
      out << content;
      out.flush();
      if (!out)
        {
          std::error_code ignored;
          fs::remove(temporary, ignored);
          throw std::runtime_error("writing " + file.string() + " failed (disk full?)");
        }
    }
    fs::rename(temporary, file);
  }

  std::string sha256_of_file(const fs::path &file)
  {
    std::ifstream in(file, std::ios::binary);
    if (!in)
      throw std::runtime_error("cannot read " + file.string());
    const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(),
                                                                           &EVP_MD_CTX_free);
    EVP_DigestInit_ex(context.get(), EVP_sha256(), nullptr);
    std::array<char, 1 << 16> buffer{};
    while (in)
      {
        in.read(buffer.data(), buffer.size());
        EVP_DigestUpdate(context.get(), buffer.data(), static_cast<std::size_t>(in.gcount()));
      }
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    EVP_DigestFinal_ex(context.get(), digest.data(), &length);
    static const char *hex = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < length; ++i)
      {
        out += hex[digest[i] >> 4U];
        out += hex[digest[i] & 15U];
      }
    return out;
  }

  void RunDirectory::check_usable(const fs::path &path, const bool overwrite)
  {
    std::error_code ec;
    if (!fs::exists(path, ec))
      return;
    if (!fs::is_directory(path, ec))
      throw std::runtime_error("output_dir " + path.string() + " exists and is not a directory");
    if (fs::is_empty(path, ec))
      return;
    if (!overwrite)
      throw std::runtime_error("output_dir " + path.string() +
                               " is not empty; choose another output_dir or pass --overwrite");
    if (!fs::exists(path / "manifest.yaml", ec))
      throw std::runtime_error("output_dir " + path.string() +
                               " is not empty and is not a cryocycle run directory (no "
                               "manifest.yaml); refusing to delete it even with --overwrite");
  }

  void RunDirectory::check_resumable(const fs::path &path, const std::string &resolved_config)
  {
    std::error_code ec;
    if (!fs::is_directory(path, ec))
      throw std::runtime_error("--resume: output_dir " + path.string() + " does not exist");
    if (!fs::exists(path / "manifest.yaml", ec) || !fs::exists(path / "config.yaml", ec))
      throw std::runtime_error("--resume: " + path.string() +
                               " is not a cryocycle run directory (no manifest.yaml and config.yaml)");
    std::ifstream in(path / "config.yaml");
    std::stringstream stored;
    stored << in.rdbuf();
    if (stored.str() == resolved_config)
      return;
    std::istringstream old_lines(stored.str());
    std::istringstream new_lines(resolved_config);
    std::string old_line;
    std::string new_line;
    int line = 0;
    while (true)
      {
        ++line;
        const bool has_old = static_cast<bool>(std::getline(old_lines, old_line));
        const bool has_new = static_cast<bool>(std::getline(new_lines, new_line));
        if (!has_old || !has_new || old_line != new_line)
          throw std::runtime_error(
            "--resume: the config differs from the one " + path.string() +
            " was started with (config.yaml line " + std::to_string(line) + ": was '" +
            (has_old ? old_line : "<end>") + "', now '" + (has_new ? new_line : "<end>") +
            "'); resume with the same config, or start a new run");
      }
  }

  RunDirectory RunDirectory::open_existing(const fs::path &path)
  {
    RunDirectory directory;
    directory.path_ = fs::absolute(path).lexically_normal();
    if (!fs::is_directory(directory.path_))
      throw std::runtime_error("run directory " + directory.path_.string() + " does not exist");
    return directory;
  }

  RunDirectory::RunDirectory(const fs::path &path, const bool overwrite)
    : path_(fs::absolute(path).lexically_normal())
  {
    check_usable(path_, overwrite);
    if (fs::exists(path_) && !fs::is_empty(path_))
      for (const auto &entry : fs::directory_iterator(path_))
        fs::remove_all(entry.path());
    fs::create_directories(path_);
  }

  fs::path RunDirectory::file(const fs::path &relative) const
  {
    const fs::path full = path_ / relative;
    fs::create_directories(full.parent_path());
    return full;
  }

  void RunDirectory::write(const fs::path &relative, const std::string &content) const
  {
    if (!is_output_rank())
      return;
    write_file_atomically(file(relative), content);
  }
} // namespace cryocycle::core
