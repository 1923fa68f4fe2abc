#pragma once
/// @file
/// Thermally activated relaxation (ageing) of the sites, the process that competes with the
/// rejuvenation of shear transformations (docs/design.md, Shang et al. 2021): each site relaxes at the Arrhenius
/// rate ν0 exp(−ΔF/k_B T) with the shoving-model barrier ΔF = (10 G + B)/11 · V_act
/// (activation.h). A relaxation changes no eigenstrain, so the sites relax independently
/// of each other: over an interval of the temperature history the number of relaxations of a
/// site is Poisson distributed with mean Λ = ∫ ν0 exp(−ΔF/k_B T(t)) dt (an inhomogeneous Poisson
/// process on a ramp). Drawing that count per site from a stream keyed by (seed, global site id,
/// interval index) is exact in distribution, costs O(1) per site, and does not depend on the number
/// of MPI ranks — a kinetic Monte Carlo with per-site clocks, which is exact here because no
/// event changes another site's rate.
///
/// Stress-assisted shear transformations (optional): a site below its threshold can still
/// transform by thermal activation over the ST barrier lowered by its stress, in the form of the
/// cooperative shear model (Johnson & Samwer, PRL 95, 195501 (2005)),
///   ΔF_ST = ΔF0 (1 − σ_eq/σ_y)^{3/2},  ΔF0 = (10 G + B)/11 · V_ST (shoving form, V_ST its own
///   activation volume).
/// Unlike relaxation, an ST changes the stress of every other site, so its rate is not fixed over
/// an interval; the rate of each site is taken at the stress of the interval's end state (after
/// the athermal events of the sub-ramp and the relaxations), and a site transforms at most once
/// per interval, with probability 1 − e^{−Λ_ST}. The error is of the order of the stress change
/// within one sub-step; the sub-step (relaxation_substep_K) controls it on ramps.

#include "continuum/physics/site_geometry.h"
#include "core/config_schema.h"
#include "core/config_values.h"

#include <cstdint>
#include <vector>

namespace cryocycle::continuum
{
  /// Parameters of thermal relaxation and stress-assisted STs. The member defaults are the
  /// config defaults: declare() takes them from here, so there is one value for each.
  struct ThermalRelaxationModel
  {
    double attempt_frequency_per_s = 1.0e13;  ///< ν0
    double activation_volume_nm3 = 0.0045;    ///< V_act of the shoving barrier (nm³)
    double relaxation_per_event = 0.5;        ///< η_relax: s → s (1 − η) per relaxation
    /// V_ST of stress-assisted STs (nm³); 0: none.
    double st_activation_volume_nm3 = 0.0;

    /// Declares the keys attempt_frequency_per_s, activation_volume_nm3, relaxation_per_event
    /// and stress_assisted_activation_volume_nm3 in `section` (continuum.cycles).
    static void declare(core::ConfigSection &section);
    /// Reads the keys of declare() from the values of that section.
    static ThermalRelaxationModel parse(const core::ConfigValues &section);
  };

  /// ΔF_ST = ΔF0 (1 − σ_eq/σ_y)^{3/2} for 0 <= σ_eq < σ_y; 0 at or above σ_y (eV, GPa).
  double stress_assisted_barrier_eV(double barrier_eV, double von_mises_GPa, double yield_stress_GPa);

  /// Λ = ∫ ν0 exp(−ΔF/k_B T(t)) dt over a segment on which T goes linearly from start_K to end_K
  /// in duration_s (a hold when equal): ν0 e^{−ΔF/kT} t for a hold, adaptive Gauss–Kronrod
  /// quadrature (relative 1e-10) on a ramp.
  double expected_activations(double attempt_frequency_per_s, double barrier_eV, double start_K,
                              double end_K, double duration_s);

  /// Λ = ∫ r dt over a time step of duration_s in which a rate goes from `rate_start_per_s` to
  /// `rate_end_per_s` with ln r linear in time: Δt (r1 − r0) / ln(r1/r0) (Δt r0 when equal; the
  /// trapezoidal rule if a rate is 0). An Arrhenius rate at a temperature known only at the ends
  /// of the step (heat conduction) is close to that: over a ramp in 2 K steps it agrees with
  /// expected_activations to ~2e-4 for barriers of 0.3–1 eV, where the trapezoidal rule
  /// overestimates by up to 6e-3 (it is exact for neither, both are exact for a hold).
  double log_linear_activations(double rate_start_per_s, double rate_end_per_s, double duration_s);

  /// Relaxation counts of the local sites over one segment, Poisson with mean Λ_i for the
  /// site's barrier (shoving model with its K, G); stream (seed, "thermal relaxation",
  /// global id, interval_index).
  std::vector<std::uint64_t> draw_relaxation_counts(const std::vector<SiteGeometry> &sites,
                                                    const std::vector<double> &bulk_modulus_GPa,
                                                    const std::vector<double> &shear_modulus_GPa,
                                                    const ThermalRelaxationModel &model, double start_K,
                                                    double end_K, double duration_s, std::uint64_t seed,
                                                    std::uint64_t interval_index);

  /// Which local sites transform by stress-assisted activation over one segment (1: yes): site i
  /// with probability 1 − exp(−Λ_i), Λ_i = expected_activations of ΔF_ST for its K, G, σ_eq and
  /// σ_y; never a site without shear stress (σ_eq = 0: no direction to shear). Stream (seed,
  /// "stress-assisted activation", global id, interval_index). Exact in distribution for the
  /// frozen stresses: one uniform number per site is compared with the bound from the highest
  /// temperature first, the quadrature runs only where it can matter.
  std::vector<char> draw_stress_assisted_events(const std::vector<SiteGeometry> &sites,
                                                const std::vector<double> &bulk_modulus_GPa,
                                                const std::vector<double> &shear_modulus_GPa,
                                                const std::vector<double> &von_mises_GPa,
                                                const std::vector<double> &yield_stress_GPa,
                                                const ThermalRelaxationModel &model, double start_K, double end_K,
                                                double duration_s, std::uint64_t seed, std::uint64_t interval_index);
} // namespace cryocycle::continuum
