#pragma once
// Runs the cryocycle executable in a shell and captures its exit code and output.
#include <array>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>
#include <gtest/gtest.h>
#include <fcntl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

namespace cryocycle::testing
{
  struct CliResult
  {
    int exit_code = -1;
    std::string output;  // standard output and standard error
  };

  inline CliResult run_cryocycle(const std::string &arguments)
  {
    const std::string command = std::string(CRYOCYCLE_EXECUTABLE) + " " + arguments + " 2>&1";
    CliResult result;
    FILE *pipe = popen(command.c_str(), "r");
    if (pipe == nullptr)
      return result;
    std::array<char, 4096> buffer{};
    while (fgets(buffer.data(), buffer.size(), pipe) != nullptr)
      result.output += buffer.data();
    const int status = pclose(pipe);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
  }

#ifdef CRYOCYCLE_MPIEXEC
  /// Runs the executable under mpiexec with `ranks` processes. Open MPI refuses root without the
  /// two variables; --oversubscribe lets ctest -j2 share the cores.
  inline CliResult run_cryocycle_mpi(const int ranks, const std::string &arguments)
  {
    const std::string command =
      std::string("OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 ") + CRYOCYCLE_MPIEXEC +
      " --oversubscribe -np " + std::to_string(ranks) + " " + CRYOCYCLE_EXECUTABLE + " " +
      arguments + " 2>&1";
    CliResult result;
    FILE *pipe = popen(command.c_str(), "r");
    std::array<char, 4096> buffer{};
    while (pipe != nullptr && fgets(buffer.data(), buffer.size(), pipe) != nullptr)
      result.output += buffer.data();
    const int status = pipe != nullptr ? pclose(pipe) : -1;
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
  }
#endif

  /// Starts `command` (command[0] the program) in a process group of its own, with its output in
  /// `log`, waits until `file` exists (at most `timeout`), then kills the whole group with SIGKILL
  /// (no chance to clean up). Returns whether it was killed so: false when it ended by itself
  /// first or never wrote the file.
  inline bool killed_when_exists(const std::vector<std::string> &command, const std::filesystem::path &file,
                                 const std::filesystem::path &log, const std::chrono::seconds timeout)
  {
    const pid_t pid = fork();
    if (pid < 0)
      return false;
    if (pid == 0)
      {
        ::setpgid(0, 0);
        const int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        ::dup2(out, 1);
        ::dup2(out, 2);
        // Open MPI refuses root without these (harmless without mpiexec).
        ::setenv("OMPI_ALLOW_RUN_AS_ROOT", "1", 1);
        ::setenv("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1", 1);
        std::vector<char *> argv;
        for (const auto &a : command)
          argv.push_back(const_cast<char *>(a.c_str()));
        argv.push_back(nullptr);
        ::execv(argv[0], argv.data());
        ::_exit(127);
      }
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    int status = 0;
    while (std::chrono::steady_clock::now() < deadline && !std::filesystem::exists(file))
      {
        if (::waitpid(pid, &status, WNOHANG) == pid)
          return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
      }
    const bool seen = std::filesystem::exists(file);
    ::kill(-pid, SIGKILL);
    ::waitpid(pid, &status, 0);
    return seen;
  }

  /// `cryocycle arguments...`, killed once `file` exists (killed_when_exists).
  inline bool run_cryocycle_killed_when_exists(const std::vector<std::string> &arguments,
                                               const std::filesystem::path &file, const std::filesystem::path &log,
                                               const std::chrono::seconds timeout = std::chrono::seconds(120))
  {
    std::vector<std::string> command{CRYOCYCLE_EXECUTABLE};
    command.insert(command.end(), arguments.begin(), arguments.end());
    return killed_when_exists(command, file, log, timeout);
  }

#ifdef CRYOCYCLE_MPIEXEC
  /// The same under mpiexec with `ranks` processes: the kill reaches mpiexec and its ranks alike.
  inline bool run_cryocycle_mpi_killed_when_exists(const int ranks, const std::vector<std::string> &arguments,
                                                   const std::filesystem::path &file,
                                                   const std::filesystem::path &log,
                                                   const std::chrono::seconds timeout = std::chrono::seconds(120))
  {
    std::vector<std::string> command{CRYOCYCLE_MPIEXEC, "--oversubscribe", "-np", std::to_string(ranks),
                                     CRYOCYCLE_EXECUTABLE};
    command.insert(command.end(), arguments.begin(), arguments.end());
    return killed_when_exists(command, file, log, timeout);
  }
#endif

  /// A fresh temporary folder for the running test. ctest runs tests in parallel, so tests must
  /// never share one.
  inline std::filesystem::path test_folder()
  {
    const auto *info = ::testing::UnitTest::GetInstance()->current_test_info();
    const auto folder = std::filesystem::temp_directory_path() /
                        (std::string("cryocycle_") + info->test_suite_name() + "_" + info->name());
    return folder;
  }

  inline std::string read_text(const std::filesystem::path &file)
  {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }

  inline void write_text(const std::filesystem::path &file, const std::string &text)
  {
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << text;
  }
} // namespace cryocycle::testing
