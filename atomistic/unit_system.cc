#include "atomistic/unit_system.h"

#include <cmath>
#include <stdexcept>

namespace cryocycle::atomistic
{
  namespace
  {
    constexpr double joule_per_eV = 1.602176634e-19;
    constexpr double kg_per_g_per_mol = 1.0e-3 / 6.02214076e23;
  } // namespace

  UnitSystem UnitSystem::metal()
  {
    UnitSystem u;
    u.style_ = "metal";
    u.kelvin_per_temperature_ = 1.0;
    u.ps_per_time_ = 1.0;
    u.nm_per_length_ = 0.1;
    u.eV_per_energy_ = 1.0;
    u.GPa_per_pressure_ = 1.0e-4;  // 1 bar = 1e5 Pa
    u.g_per_mol_per_mass_ = 1.0;
    return u;
  }

  UnitSystem UnitSystem::lennard_jones(const double epsilon_eV, const double sigma_A,
                                       const double mass_g_per_mol)
  {
    if (!(epsilon_eV > 0.0 && sigma_A > 0.0 && mass_g_per_mol > 0.0))
      throw std::invalid_argument("Lennard-Jones units need positive epsilon, sigma and mass");
    UnitSystem u;
    u.style_ = "lj";
    const double sigma_m = sigma_A * 1.0e-10;
    const double epsilon_J = epsilon_eV * joule_per_eV;
    u.kelvin_per_temperature_ = epsilon_eV / boltzmann_eV_per_K;
    u.ps_per_time_ = sigma_m * std::sqrt(mass_g_per_mol * kg_per_g_per_mol / epsilon_J) * 1.0e12;
    u.nm_per_length_ = sigma_A * 0.1;
    u.eV_per_energy_ = epsilon_eV;
    u.GPa_per_pressure_ = epsilon_J / (sigma_m * sigma_m * sigma_m) * 1.0e-9;
    u.g_per_mol_per_mass_ = mass_g_per_mol;
    return u;
  }
} // namespace cryocycle::atomistic
