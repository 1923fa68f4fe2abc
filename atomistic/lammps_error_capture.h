#pragma once
/// @file
/// How a fatal LAMMPS error becomes a cryocycle error although the Debian LAMMPS library is
/// built without C++ exceptions (lammps_config_has_exceptions() == 0).
///
/// Without exceptions, LAMMPS's Error::all() prints "ERROR: <message>" to its screen, calls
/// MPI_Finalize() and exit(1) on every rank: control never returns to the library caller, so
/// lammps_has_error() can never be seen true. cryocycle therefore points the LAMMPS screen of each
/// instance at an anonymous in-memory file (memfd) instead of the terminal, and registers an
/// atexit() handler. When the process exits while a session is open, the handler reads the
/// captured screen text, and if it holds a LAMMPS "ERROR" line it prints
/// "error: LAMMPS: <message>" (with the last command) to standard error and hands the message to
/// the registered fatal-error hook (the atomistic stage writes it to log.txt and marks the
/// manifest failed). The exit code stays LAMMPS's 1, i.e. non-zero on every rank.
///
/// Errors LAMMPS raises on one rank only (Error::one, e.g. "Out of range atoms") end in
/// MPI_Abort, which runs no atexit handlers: the run still stops with a non-zero exit code, but
/// the message is only in the LAMMPS log (`atomistic.lammps_log: true`). Where cryocycle can check
/// an input up front (potential file present, pair style compiled in) it does so before LAMMPS
/// sees it, so the common mistakes get an ordinary cryocycle exception.
///
/// If a future LAMMPS is built with exceptions, LammpsSession checks lammps_has_error() after
/// every command and throws LammpsError instead; this capture then never fires.

#include <functional>
#include <stdexcept>
#include <string>

namespace cryocycle::atomistic
{
  /// A LAMMPS error reported back to cryocycle (message as LAMMPS printed it).
  class LammpsError : public std::runtime_error
  {
  public:
    explicit LammpsError(const std::string &message) : std::runtime_error("LAMMPS: " + message) {}
  };

  /// Process-wide capture of the LAMMPS screen text (see the file comment).
  class LammpsErrorCapture
  {
  public:
    /// The single capture; creates the memfd and registers the atexit handler on first use.
    static LammpsErrorCapture &instance();

    /// File name LAMMPS should use as its screen ("/proc/self/fd/N").
    std::string screen_path() const;
    /// Text LAMMPS has written to its screen since the last clear().
    std::string captured_text() const;
    /// Forgets the captured text (when a session opens, so old output cannot be mistaken for a
    /// new error, and before each MD segment, so the capture stays small over long runs).
    void clear();
    /// The "ERROR..." message in `screen_text` with the "Last command:" line, or "" if none.
    static std::string error_message(const std::string &screen_text);

    /// Called (once, from the exit handler) with the LAMMPS message before the process ends.
    void set_fatal_error_hook(std::function<void(const std::string &)> hook);
    /// Marks whether a LAMMPS session is open (the handler only reports while one is).
    void set_session_open(bool open) { session_open_ = open; }

  private:
    LammpsErrorCapture();
    static void report_at_exit();

    int fd_ = -1;
    bool session_open_ = false;
    std::function<void(const std::string &)> hook_;
  };
} // namespace cryocycle::atomistic
