#pragma once
/// @file
/// Thermally activated relaxation (ageing) of the sites, the process that competes with the
/// rejuvenation of shear transformations (DESIGN.md, seed 001): each site relaxes at the Arrhenius
/// rate ν0 exp(−ΔF/k_B T) with the shoving-model barrier ΔF = (10 G + B)/11 · V_act
/// (relaxation_kinetics.h). A relaxation changes no eigenstrain, so the sites relax independently
/// of each other: over an interval of the temperature history the number of relaxations of a
/// site is Poisson distributed with mean Λ = ∫ ν0 exp(−ΔF/k_B T(t)) dt (an inhomogeneous Poisson
/// process on a ramp). Drawing that count per site from a stream keyed by (seed, global site id,
/// interval index) is exact in distribution, costs O(1) per site, and does not depend on the number
/// of MPI ranks — a kinetic Monte Carlo with per-site clocks, which is exact here because no
/// event changes another site's rate.

#include "continuum/thermoelastic_model.h"

#include <cstdint>
#include <vector>

namespace cryocycle::continuum
{
  struct ThermalRelaxationModel
  {
    double attempt_frequency_per_s = 1.0e13;  ///< ν0
    double activation_volume_nm3 = 0.02;      ///< V_act of the shoving barrier (nm³)
    double relaxation_per_event = 0.1;        ///< η_relax: s → s (1 − η) per relaxation
  };

  /// Λ = ∫ ν0 exp(−ΔF/k_B T(t)) dt over a segment on which T goes linearly from start_K to end_K
  /// in duration_s (a hold when equal): ν0 e^{−ΔF/kT} t for a hold, adaptive Gauss–Kronrod
  /// quadrature (relative 1e-10) on a ramp.
  double expected_activations(double attempt_frequency_per_s, double barrier_eV, double start_K,
                              double end_K, double duration_s);

  /// Relaxation counts of the local sites over one segment, Poisson with mean Λ_i for the
  /// site's barrier (shoving model with its K, G); stream (seed, "thermal relaxation",
  /// global id, interval_index).
  std::vector<std::uint64_t> draw_relaxation_counts(const std::vector<SiteGeometry> &sites,
                                                    const std::vector<double> &bulk_modulus_GPa,
                                                    const std::vector<double> &shear_modulus_GPa,
                                                    const ThermalRelaxationModel &model, double start_K,
                                                    double end_K, double duration_s, std::uint64_t seed,
                                                    std::uint64_t interval_index);
} // namespace cryocycle::continuum
