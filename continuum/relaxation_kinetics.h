#pragma once
/// @file
/// Thermally activated processes of the sites, free of any mesh: Arrhenius rates ν0 exp(−ΔF/k_B T)
/// with the shoving-model barrier of Shang et al. (2021) (ΔF = (10 G + B)/11 · V, B the bulk modulus), and a
/// rejection-free kinetic Monte Carlo (Bortz–Kalos–Lebowitz / Gillespie) over many sites whose
/// rates change one at a time: rates are kept in a Fenwick tree, so choosing the next event and
/// updating a rate both cost O(log n).

#include "core/random_stream.h"

#include <cstddef>
#include <optional>
#include <vector>

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

  /// One event of the kinetic Monte Carlo.
  struct KineticEvent
  {
    std::size_t site = 0;
    double waiting_time_s = 0.0;
  };

  /// Rejection-free kinetic Monte Carlo over a fixed set of sites with individual rates.
  class KineticMonteCarlo
  {
  public:
    /// All rates start at zero.
    explicit KineticMonteCarlo(std::size_t site_count);

    std::size_t size() const { return rates_.size(); }
    /// Sets the rate of one site (1/s, finite and >= 0).
    void set_rate(std::size_t site, double rate_per_s);
    double rate(std::size_t site) const { return rates_[site]; }
    /// Σ rates (1/s), kept exactly by re-summing from time to time (see .cc).
    double total_rate() const;

    /// Draws the next event: waiting time ~ Exp(total rate), site i with probability
    /// rate_i / total. Nothing when every rate is zero. Uses two uniform numbers of `engine`.
    std::optional<KineticEvent> next_event(core::RandomEngine &engine) const;

    /// The site whose cumulative rate interval contains `target` in [0, total): the smallest i
    /// with r_0 + ... + r_i > target (exposed for tests).
    std::size_t find_site(double target) const;

  private:
    void rebuild();
    std::vector<double> rates_;
    std::vector<double> tree_;  ///< Fenwick tree of the rates, 1-based
    std::size_t updates_since_rebuild_ = 0;
  };
} // namespace cryocycle::continuum
