#include "atomistic/lammps_installation.h"

#include <lammps/library.h>

#include <array>

namespace cryocycle::atomistic
{
  LammpsInstallation lammps_installation()
  {
    LammpsInstallation info;
    info.version = CRYOCYCLE_LAMMPS_VERSION;
    info.mpi_support = lammps_config_has_mpi_support() != 0;
    const int count = lammps_config_package_count();
    for (int i = 0; i < count; ++i)
      {
        std::array<char, 128> name{};
        if (lammps_config_package_name(i, name.data(), static_cast<int>(name.size())) != 0)
          info.packages.emplace_back(name.data());
      }
    return info;
  }

  bool lammps_has_package(const std::string &package)
  {
    return lammps_config_has_package(package.c_str()) != 0;
  }

  std::filesystem::path default_potential_directory() { return "/usr/share/lammps/potentials"; }
} // namespace cryocycle::atomistic

#include "atomistic/lammps_session.h"

namespace cryocycle::atomistic
{
  bool lammps_has_pair_style(const std::string &style)
  {
    LammpsSession session(MPI_COMM_SELF);
    return session.has_style("pair", style);
  }
} // namespace cryocycle::atomistic
