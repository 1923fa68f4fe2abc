#pragma once
/// @file
/// LAMMPS native units and their mapping to the physical units cryocycle reports (K, ps, nm,
/// eV, GPa). Config keys are physical; conversion to native happens once, at this edge.
///
/// `metal` units: T in K, t in ps, length in Å, energy in eV, pressure in bar.
/// `lj` (reduced) units of a Lennard-Jones model with energy ε, length σ and mass m (of type 1):
///   T = T* ε/k_B,   t = t* τ with τ = σ √(m/ε),   L = L* σ,   E = E* ε,   P = P* ε/σ³.
/// Derlet & Maaß (2021, 2020) take ε at the scale of 1 eV and σ, m of a metal (CuZr-like), which puts the MD
/// time step 0.002778 τ near one femtosecond; cryocycle's defaults follow them (see
/// builtin_potentials.h).

#include <string>

namespace cryocycle::atomistic
{
  /// Boltzmann constant in eV/K (CODATA 2018, exact).
  inline constexpr double boltzmann_eV_per_K = 8.617333262e-5;

  class UnitSystem
  {
  public:
    /// LAMMPS `units metal`.
    static UnitSystem metal();
    /// LAMMPS `units lj` mapped with ε (eV), σ (Å) and the mass unit m (g/mol).
    static UnitSystem lennard_jones(double epsilon_eV, double sigma_A, double mass_g_per_mol);

    /// "metal" or "lj": the argument of the LAMMPS `units` command.
    const std::string &lammps_style() const { return style_; }
    bool reduced() const { return style_ == "lj"; }

    double kelvin_per_temperature() const { return kelvin_per_temperature_; }
    double ps_per_time() const { return ps_per_time_; }
    double nm_per_length() const { return nm_per_length_; }
    double eV_per_energy() const { return eV_per_energy_; }
    double GPa_per_pressure() const { return GPa_per_pressure_; }
    /// g/mol per native mass unit (1 for metal).
    double g_per_mol_per_mass() const { return g_per_mol_per_mass_; }

    double temperature_native(double kelvin) const { return kelvin / kelvin_per_temperature_; }
    double time_native(double ps) const { return ps / ps_per_time_; }
    double pressure_native(double GPa) const { return GPa / GPa_per_pressure_; }
    double length_native(double nm) const { return nm / nm_per_length_; }
    /// Volume in nm³ of a native volume.
    double volume_nm3(double native) const { return native * nm_per_length_ * nm_per_length_ * nm_per_length_; }

  private:
    std::string style_;
    double kelvin_per_temperature_ = 1.0;
    double ps_per_time_ = 1.0;
    double nm_per_length_ = 0.1;
    double eV_per_energy_ = 1.0;
    double GPa_per_pressure_ = 1.0e-4;
    double g_per_mol_per_mass_ = 1.0;
  };
} // namespace cryocycle::atomistic
