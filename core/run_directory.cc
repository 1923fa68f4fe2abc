#include "core/run_directory.h"

#include "core/log.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>

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
    const auto fail = [&](const int error) {
      std::error_code ignored;
      fs::remove(temporary, ignored);
      throw std::runtime_error("cannot write " + file.string() + ": " + std::strerror(error));
    };
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0)
      fail(errno);
    std::size_t written = 0;
    while (written < content.size())
      {
        const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
        if (n < 0 && errno == EINTR)
          continue;
        if (n <= 0)
          {
            const int error = n < 0 ? errno : ENOSPC;
            ::close(fd);
            fail(error);
          }
        written += static_cast<std::size_t>(n);
      }
    if (::close(fd) != 0)
      fail(errno);
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

  struct RunDirectory::Shared
  {
    int lock_fd = -1;
    std::set<std::string> recorded;
    ~Shared()
    {
      if (lock_fd >= 0)
        ::close(lock_fd);
    }
  };

  namespace
  {
    /// The top-level names a previous run recorded as its own (folders without their '/').
    std::optional<std::set<std::string>> recorded_outputs(const fs::path &path)
    {
      std::ifstream in(path / RunDirectory::outputs_list_name);
      if (!in)
        return std::nullopt;
      std::set<std::string> names{RunDirectory::outputs_list_name, RunDirectory::lock_name};
      for (std::string line; std::getline(in, line);)
        if (!line.empty())
          names.insert(line.back() == '/' ? line.substr(0, line.size() - 1) : line);
      return names;
    }

    /// The PID written in the lock file when another process holds the lock.
    std::optional<std::string> lock_holder(const fs::path &path)
    {
      const int fd = ::open((path / RunDirectory::lock_name).c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
      if (fd < 0)
        return std::nullopt;
      std::optional<std::string> holder;
      if (::flock(fd, LOCK_SH | LOCK_NB) != 0)
        {
          std::array<char, 32> pid{};
          const ssize_t n = ::read(fd, pid.data(), pid.size() - 1);
          holder = n > 0 ? std::string(pid.data(), static_cast<std::size_t>(n)) : std::string("unknown");
          while (!holder->empty() && (holder->back() == '\n' || holder->back() == ' '))
            holder->pop_back();
        }
      ::close(fd);
      return holder;
    }

    void refuse_if_locked(const fs::path &path)
    {
      if (const auto holder = lock_holder(path))
        throw std::runtime_error("output_dir " + path.string() + " is in use by another cryocycle run (PID " +
                                 *holder + "); wait for it to finish or choose another output_dir");
    }

    /// Whether `name` is a temporary file of write_file_atomically for one of `names`.
    bool is_temporary_of(const std::string &name, const std::set<std::string> &names)
    {
      const auto tmp = name.rfind(".tmp");
      if (name.size() < 2 || name[0] != '.' || tmp == std::string::npos || tmp < 2)
        return false;
      const std::string digits = name.substr(tmp + 4);
      return !digits.empty() && std::all_of(digits.begin(), digits.end(), ::isdigit) &&
             names.count(name.substr(1, tmp - 1)) > 0;
    }

    /// The first top-level entry of `path` (in name order) the previous run did not write.
    std::optional<std::string> foreign_entry(const fs::path &path, const std::set<std::string> &ours)
    {
      std::set<std::string> present;
      for (const auto &entry : fs::directory_iterator(path))
        present.insert(entry.path().filename().string());
      for (const auto &name : present)
        {
          if (fs::is_symlink(fs::symlink_status(path / name)))
            return name + " (a symbolic link; cryocycle never makes links)";
          if (ours.count(name) == 0 && !is_temporary_of(name, ours))
            return name;
        }
      return std::nullopt;
    }

    /// Warns when a manifest says "running" but no process holds the directory's lock.
    void report_interrupted(const fs::path &path)
    {
      std::ifstream in(path / "manifest.yaml");
      for (std::string line; std::getline(in, line);)
        if (line == "status: running")
          Log::instance().warning("the previous run in " + path.string() +
                                  " was interrupted (its manifest says running, but no process holds it)");
    }
  } // namespace

  void RunDirectory::check_usable(const fs::path &path, const bool overwrite)
  {
    std::error_code ec;
    const auto status = fs::symlink_status(path, ec);
    if (!fs::exists(status))
      return;
    if (!fs::is_directory(fs::status(path, ec)))
      throw std::runtime_error("output_dir " + path.string() + " exists and is not a directory");
    if (fs::is_empty(path, ec))
      return;
    refuse_if_locked(path);
    if (!overwrite)
      throw std::runtime_error("output_dir " + path.string() +
                               " is not empty; choose another output_dir or pass --overwrite");
    const auto ours = recorded_outputs(path);
    if (!ours)
      throw std::runtime_error("output_dir " + path.string() + " is not empty and holds no record of a cryocycle run's "
                               "outputs (" + outputs_list_name + (fs::exists(path / "manifest.yaml", ec)
                                                                  ? "; it was written by an older cryocycle"
                                                                  : "") +
                               "); refusing to delete anything in it even with --overwrite");
    if (const auto foreign = foreign_entry(path, *ours))
      throw std::runtime_error("output_dir " + path.string() + " holds " + *foreign +
                               ", which the previous run there did not write; --overwrite removes only a run's "
                               "own outputs: move it away or choose another output_dir");
    report_interrupted(path);
  }

  void RunDirectory::check_resumable(const fs::path &path, const std::string &resolved_config)
  {
    std::error_code ec;
    if (!fs::is_directory(path, ec))
      throw std::runtime_error("--resume: output_dir " + path.string() + " does not exist");
    if (!fs::exists(path / "manifest.yaml", ec) || !fs::exists(path / "config.yaml", ec))
      throw std::runtime_error("--resume: " + path.string() +
                               " is not a cryocycle run directory (no manifest.yaml and config.yaml)");
    refuse_if_locked(path);
    report_interrupted(path);
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

  RunDirectory RunDirectory::open_existing(const fs::path &path, const bool take_lock)
  {
    RunDirectory directory;
    directory.path_ = fs::absolute(path).lexically_normal();
    directory.shared_ = std::make_shared<Shared>();
    if (!fs::is_directory(directory.path_))
      throw std::runtime_error("run directory " + directory.path_.string() + " does not exist");
    if (take_lock)
      directory.take_lock();
    return directory;
  }

  RunDirectory::RunDirectory(const fs::path &path, const bool overwrite)
    : path_(fs::absolute(path).lexically_normal())
    , shared_(std::make_shared<Shared>())
  {
    check_usable(path_, overwrite);
    fs::create_directories(path_);
    take_lock();
    // Checked again under the lock: nothing may have changed since check_usable.
    const auto ours = recorded_outputs(path_);
    if (!ours)
      {
        for (const auto &entry : fs::directory_iterator(path_))
          if (entry.path().filename() != lock_name)
            throw std::runtime_error("output_dir " + path_.string() + " is not empty (" +
                                     entry.path().filename().string() + " appeared)");
        return;
      }
    if (const auto foreign = foreign_entry(path_, *ours))
      throw std::runtime_error("output_dir " + path_.string() + " holds " + *foreign +
                               ", which the previous run there did not write; nothing was removed");
    for (const auto &entry : fs::directory_iterator(path_))
      {
        const std::string name = entry.path().filename().string();
        if (name != lock_name && name != outputs_list_name)
          fs::remove_all(entry.path());
      }
    fs::remove(path_ / outputs_list_name);
  }

  void RunDirectory::take_lock()
  {
    const fs::path lock_file = path_ / lock_name;
    const int fd = ::open(lock_file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0)
      throw std::runtime_error("cannot open " + lock_file.string() + ": " + std::strerror(errno));
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0)
      {
        ::close(fd);
        refuse_if_locked(path_);
        throw std::runtime_error("output_dir " + path_.string() + " is in use by another cryocycle run");
      }
    const std::string pid = std::to_string(getpid()) + "\n";
    if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size()))
      {
        ::close(fd);
        throw std::runtime_error("cannot write " + lock_file.string() + ": " + std::strerror(errno));
      }
    shared_->lock_fd = fd;
  }

  void RunDirectory::record(const std::string &top_level_entry, const bool folder) const
  {
    const std::string line = top_level_entry + (folder ? "/" : "");
    if (!shared_->recorded.insert(line).second)
      return;
    const fs::path list = path_ / outputs_list_name;
    const int fd = ::open(list.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0)
      throw std::runtime_error("cannot write " + list.string() + ": " + std::strerror(errno));
    const std::string text = line + "\n";
    const ssize_t n = ::write(fd, text.data(), text.size());
    const int error = errno;
    ::close(fd);
    if (n != static_cast<ssize_t>(text.size()))
      throw std::runtime_error("cannot write " + list.string() + ": " + std::strerror(n < 0 ? error : ENOSPC));
  }

  std::vector<std::string> RunDirectory::outputs() const
  {
    std::set<std::string> names;
    std::ifstream in(path_ / outputs_list_name);
    for (std::string line; std::getline(in, line);)
      if (!line.empty() && line != lock_name)
        names.insert(line);
    return {names.begin(), names.end()};
  }

  fs::path RunDirectory::file(const fs::path &relative) const
  {
    const fs::path normal = relative.lexically_normal();
    if (relative.empty() || relative.is_absolute() || normal.empty() || *normal.begin() == ".." ||
        std::any_of(relative.begin(), relative.end(), [](const fs::path &part) { return part == ".."; }))
      throw std::runtime_error("'" + relative.string() + "' is not a path inside the run directory " + path_.string());
    const auto first = normal.begin();
    record(first->string(), std::next(first) != normal.end());
    // A link planted in the run directory (between runs, before --resume) must not carry a
    // write outside it.
    fs::path partial = path_;
    for (const auto &part : normal)
      {
        partial /= part;
        std::error_code ec;
        if (fs::is_symlink(fs::symlink_status(partial, ec)))
          throw std::runtime_error("refusing to write through the symbolic link " + partial.string() +
                                   " in the run directory");
      }
    const fs::path full = path_ / normal;
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
