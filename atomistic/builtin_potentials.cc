#include "atomistic/builtin_potentials.h"

#include "atomistic/lammps_installation.h"
#include "atomistic/lammps_session.h"

#include <fmt/format.h>

#include <cmath>
#include <sstream>
#include <stdexcept>

namespace cryocycle::atomistic
{
  namespace
  {
    void check_fraction(const double fraction)
    {
      if (!(fraction >= 0.0 && fraction <= 1.0))
        throw std::invalid_argument(fmt::format("fraction of type 1 must lie in [0, 1], got {}", fraction));
    }
  } // namespace

  PotentialModel make_wahnstrom_lj(const PotentialSettings &settings)
  {
    check_fraction(settings.fraction_type_1);
    PotentialModel p;
    p.name = "wahnstrom_lj";
    p.units = UnitSystem::lennard_jones(settings.lj_epsilon_eV, settings.lj_sigma_A,
                                        settings.lj_mass_type_1_g_per_mol);
    const double m1 = settings.lj_mass_type_1_g_per_mol;
    p.species = {{"A", m1, settings.fraction_type_1}, {"B", 0.5 * m1, 1.0 - settings.fraction_type_1}};
    p.pair_commands = {"pair_style lj/cut 2.5",
                       "pair_coeff 1 1 1.0 1.0",
                       fmt::format("pair_coeff 2 2 1.0 {:.10f}", 5.0 / 6.0),
                       fmt::format("pair_coeff 1 2 1.0 {:.10f}", 11.0 / 12.0),
                       "pair_modify shift yes"};
    p.default_timestep_ps = 0.002778 * p.units.ps_per_time();
    p.liquid_number_density_per_nm3 = 1.0 / 0.767 / std::pow(p.units.nm_per_length(), 3);
    p.neighbor_skin_native = 0.3;
    p.crystal = CrystalLattice{"fcc of type-1 (A) atoms", "fcc", 1.5415, {1, 1, 1, 1}};
    p.required_pair_styles = {"lj/cut"};
    return p;
  }

  PotentialModel make_cuzr_eam(const PotentialSettings &settings)
  {
    check_fraction(settings.fraction_type_1);
    PotentialModel p;
    p.name = "cuzr_eam";
    p.units = UnitSystem::metal();
    p.species = {{"Cu", 63.546, settings.fraction_type_1}, {"Zr", 91.224, 1.0 - settings.fraction_type_1}};
    const auto file = settings.potential_file.empty() ? default_potential_directory() / "CuZr_mm.eam.fs"
                                                      : settings.potential_file;
    p.pair_commands = {"pair_style eam/fs", "pair_coeff * * " + lammps_quoted(file.string()) + " Cu Zr"};
    p.default_timestep_ps = 0.002;
    p.liquid_number_density_per_nm3 = 52.0;
    p.neighbor_skin_native = 1.0;
    p.crystal = CrystalLattice{"B2 CuZr", "bcc", 3.27, {1, 2}};
    p.required_files = {file};
    p.required_pair_styles = {"eam/fs"};
    return p;
  }

  PotentialModel make_generic_lammps_potential(const PotentialSettings &s)
  {
    if (s.pair_style.empty() || s.pair_coeff.empty())
      throw std::invalid_argument("the 'lammps' potential needs pair_style and pair_coeff");
    if (s.species_names.empty() || s.species_names.size() != s.masses_g_per_mol.size())
      throw std::invalid_argument("the 'lammps' potential needs one mass per species name");
    if (s.fractions.size() != s.species_names.size())
      throw std::invalid_argument("the 'lammps' potential needs one fraction per species name");
    double total = 0.0;
    for (const double f : s.fractions)
      total += f;
    if (std::abs(total - 1.0) > 1e-9)
      throw std::invalid_argument(fmt::format("species fractions must sum to 1, they sum to {}", total));
    PotentialModel p;
    p.name = "lammps";
    p.units = UnitSystem::metal();
    for (std::size_t i = 0; i < s.species_names.size(); ++i)
      p.species.push_back({s.species_names[i], s.masses_g_per_mol[i], s.fractions[i]});
    p.pair_commands = {"pair_style " + s.pair_style};
    std::istringstream lines(s.pair_coeff);
    std::string line;
    while (std::getline(lines, line))
      if (line.find_first_not_of(" \t") != std::string::npos)
        p.pair_commands.push_back("pair_coeff " + line);
    p.default_timestep_ps = s.timestep_fs * 1e-3;
    p.liquid_number_density_per_nm3 = s.number_density_per_nm3;
    p.neighbor_skin_native = 1.0;
    std::istringstream style(s.pair_style);
    std::string style_name;
    style >> style_name;
    p.required_pair_styles = {style_name};
    return p;
  }
} // namespace cryocycle::atomistic
