#include "atomistic/lammps_session.h"

#define LAMMPS_LIB_MPI 1
#include <lammps/library.h>

#include <array>
#include <stdexcept>

namespace cryocycle::atomistic
{
  LammpsSession::LammpsSession(MPI_Comm communicator, const LammpsSessionOptions &options)
    : communicator_(communicator)
  {
    int initialized = 0;
    MPI_Initialized(&initialized);
    if (!initialized)
      lammps_mpi_init();
    MPI_Comm_rank(communicator_, &rank_);

    auto &capture = LammpsErrorCapture::instance();
    capture.clear();
    std::vector<std::string> arguments{"cryocycle", "-nocite", "-screen", capture.screen_path(),
                                       "-log", options.log_file ? options.log_file->string() : "none"};
    if (!options.suffix.empty())
      arguments.insert(arguments.end(), {"-suffix", options.suffix});
    std::vector<char *> argv;
    for (auto &a : arguments)
      argv.push_back(a.data());
    capture.set_session_open(true);
    handle_ = lammps_open(static_cast<int>(argv.size()), argv.data(), communicator_, nullptr);
    if (handle_ == nullptr)
      {
        capture.set_session_open(false);
        throw LammpsError("could not create a LAMMPS instance: " +
                          LammpsErrorCapture::error_message(capture.captured_text()));
      }
  }

  LammpsSession::~LammpsSession()
  {
    if (handle_ != nullptr)
      lammps_close(handle_);
    LammpsErrorCapture::instance().set_session_open(false);
  }

  void LammpsSession::command(const std::string &line)
  {
    history_.push_back(line);
    lammps_command(handle_, line.c_str());
    if (lammps_has_error(handle_) != 0)
      {
        std::array<char, 2048> buffer{};
        lammps_get_last_error_message(handle_, buffer.data(), static_cast<int>(buffer.size()));
        throw LammpsError(std::string(buffer.data()) + " (command: " + line + ")");
      }
  }

  void LammpsSession::commands(const std::vector<std::string> &lines)
  {
    for (const auto &line : lines)
      command(line);
  }

  double LammpsSession::thermo(const std::string &keyword)
  {
    return lammps_get_thermo(handle_, keyword.c_str());
  }

  std::int64_t LammpsSession::atom_count()
  {
    return static_cast<std::int64_t>(lammps_get_natoms(handle_));
  }

  SimulationBox LammpsSession::box()
  {
    SimulationBox b;
    int periodicity[3];
    int box_change = 0;
    lammps_extract_box(handle_, b.low.data(), b.high.data(), &b.xy, &b.yz, &b.xz, periodicity,
                       &box_change);
    return b;
  }

  std::vector<double> LammpsSession::gather_positions()
  {
    std::vector<double> x(static_cast<std::size_t>(3 * atom_count()));
    lammps_gather_atoms(handle_, const_cast<char *>("x"), 1, 3, x.data());
    return x;
  }

  std::vector<int> LammpsSession::gather_types()
  {
    std::vector<int> types(static_cast<std::size_t>(atom_count()));
    lammps_gather_atoms(handle_, const_cast<char *>("type"), 0, 1, types.data());
    return types;
  }

  bool LammpsSession::has_style(const std::string &category, const std::string &style)
  {
    return lammps_has_style(handle_, category.c_str(), style.c_str()) != 0;
  }
} // namespace cryocycle::atomistic
