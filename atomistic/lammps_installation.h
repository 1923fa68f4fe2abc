#pragma once
/// @file
/// What the LAMMPS library linked into cryocycle offers: version, MPI support, installed
/// packages, and where Debian puts the potential files. Checked before any MD run so a missing
/// package (e.g. MANYBODY for the Cu–Zr eam/fs potential) is reported up front, not mid-run.

#include <filesystem>
#include <string>
#include <vector>

namespace cryocycle::atomistic
{
  struct LammpsInstallation
  {
    std::string version;                ///< LAMMPS version date of the linked library
    bool mpi_support = false;           ///< built against a real MPI library
    std::vector<std::string> packages;  ///< installed packages, e.g. "MANYBODY"
  };

  /// Queries the linked LAMMPS library (no LAMMPS instance is created).
  LammpsInstallation lammps_installation();

  /// Whether the linked LAMMPS has `package` installed.
  bool lammps_has_package(const std::string &package);

  /// Folder of the potential files shipped with Debian's LAMMPS (lammps-data).
  std::filesystem::path default_potential_directory();
} // namespace cryocycle::atomistic

namespace cryocycle::atomistic
{
  /// Whether the linked LAMMPS has pair style `style` (opens a short-lived instance on
  /// MPI_COMM_SELF; MPI must be initialised).
  bool lammps_has_pair_style(const std::string &style);
} // namespace cryocycle::atomistic
