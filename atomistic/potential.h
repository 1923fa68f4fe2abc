#pragma once
/// @file
/// An interatomic potential as the MD protocols need it: unit system, species with masses and
/// composition, the LAMMPS pair commands, default time step and liquid density, an optional
/// crystal for control runs, and the files and styles to check before LAMMPS starts.
/// Built by a factory of the potential registry (potential_registry.h) from PotentialSettings.

#include "atomistic/unit_system.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace cryocycle::atomistic
{
  /// One atom type (LAMMPS type = index + 1).
  struct Species
  {
    std::string name;        ///< e.g. "A", "Cu"
    double mass_g_per_mol;   ///< physical mass
    double fraction;         ///< atom fraction in a random liquid (sums to 1)
  };

  /// A perfect crystal the potential can build (crystal control of Shang et al. 2021).
  struct CrystalLattice
  {
    std::string description;          ///< "fcc (all type 1)", "B2"
    std::string lattice_style;        ///< LAMMPS lattice style, e.g. "fcc", "bcc"
    double lattice_constant_native;   ///< cubic lattice constant, native length
    std::vector<int> basis_types;     ///< LAMMPS type of each basis atom
  };

  /// What the user chose in the config (`atomistic.potential`); each potential reads the fields
  /// it needs.
  struct PotentialSettings
  {
    /// Atom fraction of type 1 (A of the LJ mixture, Cu of Cu–Zr).
    double fraction_type_1 = 0.5;
    /// Potential file (eam/fs); empty: the potential's default.
    std::filesystem::path potential_file;
    /// LJ mapping to physical units (Derlet & Maaß 2021: ε ~ 1 eV).
    double lj_epsilon_eV = 1.0;
    double lj_sigma_A = 3.2;
    double lj_mass_type_1_g_per_mol = 91.224;
    /// Generic `lammps` potential: units metal, these pair commands, species and masses.
    std::string pair_style;
    std::string pair_coeff;  ///< one or more lines
    std::vector<std::string> species_names;
    std::vector<double> masses_g_per_mol;
    std::vector<double> fractions;
    double number_density_per_nm3 = 0.0;
    double timestep_fs = 0.0;
  };

  /// A resolved potential (see file comment).
  struct PotentialModel
  {
    std::string name;
    UnitSystem units = UnitSystem::metal();
    std::vector<Species> species;
    /// pair_style / pair_coeff / pair_modify lines.
    std::vector<std::string> pair_commands;
    double default_timestep_ps = 0.001;
    /// Number density of the random liquid a preparation starts from.
    double liquid_number_density_per_nm3 = 50.0;
    /// Neighbour-list skin in native length.
    double neighbor_skin_native = 1.0;
    std::optional<CrystalLattice> crystal;
    /// Files that must exist and pair styles that must be compiled into LAMMPS.
    std::vector<std::filesystem::path> required_files;
    std::vector<std::string> required_pair_styles;

    /// Mass of a species in native units.
    double native_mass(std::size_t type_index) const
    {
      return species.at(type_index).mass_g_per_mol / units.g_per_mol_per_mass();
    }
  };
} // namespace cryocycle::atomistic
