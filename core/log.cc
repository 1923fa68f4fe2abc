#include "core/log.h"

#include <mpi.h>

#include <iostream>

namespace cryocycle::core
{
  bool is_output_rank()
  {
    int initialized = 0;
    MPI_Initialized(&initialized);
    if (!initialized)
      return true;
    int finalized = 0;
    MPI_Finalized(&finalized);
    if (finalized)
      return true;
    int rank = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    return rank == 0;
  }

  Log &Log::instance()
  {
    static Log log;
    return log;
  }

  void Log::to_file(const std::string &line)
  {
    if (file_.is_open())
      file_ << line << '\n' << std::flush;
    else
      pending_.push_back(line);
  }

  void Log::info(const std::string &line)
  {
    if (!is_output_rank())
      return;
    if (!quiet_)
      std::cout << line << std::endl;
    to_file(line);
  }

  void Log::warning(const std::string &line)
  {
    if (!is_output_rank())
      return;
    std::cerr << "warning: " << line << std::endl;
    to_file("warning: " + line);
  }

  void Log::file_only(const std::string &line)
  {
    if (is_output_rank())
      to_file(line);
  }

  void Log::attach_file(const std::filesystem::path &file)
  {
    if (!is_output_rank())
      return;
    file_.close();
    file_.open(file, std::ios::app);
    for (const auto &line : pending_)
      file_ << line << '\n';
    file_ << std::flush;
    pending_.clear();
  }

  void Log::detach_file()
  {
    file_.close();
    pending_.clear();
  }
} // namespace cryocycle::core
