#pragma once
/// @file
/// One LAMMPS instance on an MPI communicator, owned for its lifetime (RAII), driven through the
/// LAMMPS C library API only. Every command goes through command(); every value read back comes
/// from lammps_get_thermo / lammps_extract_* / lammps_gather_*, never from parsed log files.
/// LAMMPS's screen output goes to an in-memory capture (lammps_error_capture.h), so it never
/// mixes with cryocycle's log; a LAMMPS log file is written only when asked for.

#include "atomistic/lammps_error_capture.h"

#include <mpi.h>

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cryocycle::atomistic
{
  /// How a session is opened.
  struct LammpsSessionOptions
  {
    /// LAMMPS's own log file (`-log`); none by default.
    std::optional<std::filesystem::path> log_file;
    /// Accelerator suffix for styles that have one (e.g. "opt"); empty for none.
    std::string suffix;
  };

  /// Orthogonal or triclinic simulation box in the session's native length unit.
  struct SimulationBox
  {
    std::array<double, 3> low{};
    std::array<double, 3> high{};
    double xy = 0.0, xz = 0.0, yz = 0.0;
    /// Volume in native length³.
    double volume() const
    {
      return (high[0] - low[0]) * (high[1] - low[1]) * (high[2] - low[2]);
    }
  };

  /// `text` as one LAMMPS command argument: in triple quotes, inside which spaces, '#' (a
  /// comment otherwise) and '$' (a variable otherwise) are plain characters. Every path or name
  /// that enters a LAMMPS command goes through it. Throws std::invalid_argument for text no LAMMPS
  /// quoting can hold: a control character (a line break would end the command), `"""`, or a
  /// trailing `"`.
  std::string lammps_quoted(std::string_view text);

  /// The arguments of a LAMMPS command line as LAMMPS splits them: at blanks, except inside
  /// triple, double or single quotes, which are removed.
  std::vector<std::string> lammps_words(std::string_view line);

  class LammpsSession
  {
  public:
    /// Opens LAMMPS on `communicator` (all its ranks must construct the session together) with
    /// `-log none -screen <capture> -nocite` (or the requested log file).
    LammpsSession(MPI_Comm communicator, const LammpsSessionOptions &options = {});
    /// Closes the LAMMPS instance.
    ~LammpsSession();
    LammpsSession(const LammpsSession &) = delete;
    LammpsSession &operator=(const LammpsSession &) = delete;

    /// Issues one LAMMPS input line; throws LammpsError when LAMMPS reports an error (builds
    /// with exceptions; otherwise see lammps_error_capture.h). Every command is also kept in
    /// history() for error reports and provenance.
    void command(const std::string &line);
    /// Issues several lines in order.
    void commands(const std::vector<std::string> &lines);

    /// A thermo keyword ("pe", "temp", "vol", "press", "ke", "step", ...) evaluated on the last
    /// step of the last run (native units).
    double thermo(const std::string &keyword);
    /// Total number of atoms.
    std::int64_t atom_count();
    /// The simulation box.
    SimulationBox box();
    /// Atom positions ordered by atom ID (x0, y0, z0, x1, ...), native length; on every rank.
    std::vector<double> gather_positions();
    /// Atom types ordered by atom ID; on every rank.
    std::vector<int> gather_types();
    /// A per-atom quantity with `components` values per atom, ordered by atom ID (atom 1's
    /// components first), on every rank: an atom property ("x", "v", "f", "image" excepted),
    /// a per-atom compute "c_ID" (vector: components 1; array: its column count), fix "f_ID" or
    /// atom-style variable "v_ID". Needs `atom_modify map array` and consecutive IDs 1 … N.
    /// A compute is evaluated on the current step, so a run (e.g. `run 0`) must have requested
    /// it first (stress/atom: tallied during the run's setup).
    std::vector<double> gather_per_atom(const std::string &name, int components);
    /// Sets every atom's position (x0, y0, z0, x1, ... ordered by atom ID, native length).
    void scatter_positions(const std::vector<double> &positions);
    /// Creates atoms with the given IDs, types (1-based) and positions (native length) inside
    /// the current box; returns how many were created.
    std::int64_t create_atoms(const std::vector<std::int64_t> &ids, const std::vector<int> &types,
                              const std::vector<double> &positions);
    /// Whether the linked LAMMPS has `style` of `category` ("pair", "fix", ...).
    bool has_style(const std::string &category, const std::string &style);

    /// Commands issued so far.
    const std::vector<std::string> &history() const { return history_; }
    MPI_Comm communicator() const { return communicator_; }
    /// Rank of this process in the session's communicator.
    int rank() const { return rank_; }

  private:
    void *handle_ = nullptr;
    MPI_Comm communicator_;
    int rank_ = 0;
    std::vector<std::string> history_;
  };
} // namespace cryocycle::atomistic
