#pragma once
/// @file
/// Thermal activation of the sites, free of any mesh: Arrhenius rates ν0 exp(−ΔF/k_B T) with the
/// shoving-model barrier of Shang et al. (2021) (ΔF = (10 G + B)/11 · V, B the bulk modulus).
/// How counts are drawn from these rates is in thermal_relaxation.h.

namespace cryocycle::continuum
{
  /// Boltzmann constant (eV/K), CODATA 2018 exact value.
  constexpr double boltzmann_eV_per_K = 8.617333262e-5;
  /// 1 GPa · nm³ = 1e-18 J in eV (1 eV = 1.602176634e-19 J exactly).
  constexpr double eV_per_GPa_nm3 = 1.0e-18 / 1.602176634e-19;

  /// Shoving-model barrier ΔF = (10 G + B)/11 · V (Shang et al. 2021 eq. for ΔF_i with V = V_i/N_i) in
  /// eV, for moduli in GPa and the activation volume V in nm³.
  double shoving_barrier_eV(double bulk_modulus_GPa, double shear_modulus_GPa,
                            double activation_volume_nm3);

  /// Arrhenius rate ν0 exp(−ΔF / k_B T) (1/s); 0 at T = 0.
  double arrhenius_rate_per_s(double attempt_frequency_per_s, double barrier_eV, double temperature_K);
} // namespace cryocycle::continuum
