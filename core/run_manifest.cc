#include "core/run_manifest.h"

#include "core/build_info.h"
#include "core/run_directory.h"

#include <fcntl.h>
#include <mpi.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <array>
#include <atomic>
#include <climits>
#include <cstring>
#include <ctime>
#include <stdexcept>
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

  void RunManifest::set_outputs(std::vector<std::string> outputs) { outputs_ = std::move(outputs); }

  std::string RunManifest::interrupted_yaml() const
  {
    RunManifest copy = *this;
    copy.status_ = "interrupted";
    copy.finished_at_.clear();
    return copy.yaml();
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
    out << YAML::Key << "outputs" << YAML::Value << YAML::Flow << YAML::BeginSeq;
    for (const auto &name : outputs_)
      out << name;
    out << YAML::EndSeq;
    out << YAML::EndMap;
    return std::string(out.c_str()) + "\n";
  }

  namespace
  {
    /// One guarded manifest. The handler reads only `armed`, the two paths and the buffer the
    /// `text` pointer names; update() changes them with the two signals blocked.
    struct GuardSlot
    {
      bool reserved = false;
      std::atomic<bool> armed{false};
      std::array<char, PATH_MAX> path{};
      std::array<char, PATH_MAX> temporary{};
      std::string text;
    };

    std::array<GuardSlot, 4> &guard_slots()
    {
      static std::array<GuardSlot, 4> slots;
      return slots;
    }

    extern "C" void write_interrupted_manifests(const int signal_number)
    {
      for (auto &slot : guard_slots())
        {
          if (!slot.armed.load())
            continue;
          const int fd = ::open(slot.temporary.data(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
          if (fd < 0)
            continue;
          const ssize_t n = ::write(fd, slot.text.data(), slot.text.size());
          ::close(fd);
          if (n == static_cast<ssize_t>(slot.text.size()))
            ::rename(slot.temporary.data(), slot.path.data());
          else
            ::unlink(slot.temporary.data());
        }
      ::signal(signal_number, SIG_DFL);
      ::raise(signal_number);
    }

    /// Blocks SIGINT and SIGTERM for its lifetime.
    class SignalsBlocked
    {
    public:
      SignalsBlocked()
      {
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGINT);
        sigaddset(&set, SIGTERM);
        pthread_sigmask(SIG_BLOCK, &set, &previous_);
      }
      ~SignalsBlocked() { pthread_sigmask(SIG_SETMASK, &previous_, nullptr); }
      SignalsBlocked(const SignalsBlocked &) = delete;
      SignalsBlocked &operator=(const SignalsBlocked &) = delete;

    private:
      sigset_t previous_{};
    };

    void install_handlers_once()
    {
      static const bool installed = [] {
        struct sigaction action{};
        action.sa_handler = write_interrupted_manifests;
        sigemptyset(&action.sa_mask);
        sigaddset(&action.sa_mask, SIGINT);
        sigaddset(&action.sa_mask, SIGTERM);
        sigaction(SIGINT, &action, nullptr);
        sigaction(SIGTERM, &action, nullptr);
        return true;
      }();
      (void)installed;
    }
  } // namespace

  InterruptedManifestGuard::InterruptedManifestGuard(const std::filesystem::path &manifest_file)
  {
    const std::string path = std::filesystem::absolute(manifest_file).string();
    const std::string temporary = path + ".interrupted.tmp";
    if (temporary.size() >= PATH_MAX)
      throw std::runtime_error("path too long: " + path);
    install_handlers_once();
    const SignalsBlocked blocked;
    auto &slots = guard_slots();
    for (std::size_t i = 0; i < slots.size(); ++i)
      if (!slots[i].reserved)
        {
          slots[i].reserved = true;
          std::memcpy(slots[i].path.data(), path.c_str(), path.size() + 1);
          std::memcpy(slots[i].temporary.data(), temporary.c_str(), temporary.size() + 1);
          slot_ = static_cast<int>(i);
          return;
        }
    throw std::logic_error("more than four InterruptedManifestGuard at once");
  }

  InterruptedManifestGuard::~InterruptedManifestGuard()
  {
    const SignalsBlocked blocked;
    auto &slot = guard_slots()[static_cast<std::size_t>(slot_)];
    slot.armed.store(false);
    slot.text.clear();
    slot.reserved = false;
  }

  void InterruptedManifestGuard::update(const std::string &interrupted_manifest)
  {
    const SignalsBlocked blocked;
    auto &slot = guard_slots()[static_cast<std::size_t>(slot_)];
    slot.text = interrupted_manifest;
    slot.armed.store(true);
  }
} // namespace cryocycle::core
