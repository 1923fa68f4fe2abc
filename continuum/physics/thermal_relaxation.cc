#include "continuum/physics/thermal_relaxation.h"

#include "continuum/physics/activation.h"
#include "core/random_stream.h"

#include <boost/math/quadrature/gauss_kronrod.hpp>
#include <boost/random/poisson_distribution.hpp>
#include <boost/random/uniform_01.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace cryocycle::continuum
{
  void ThermalRelaxationModel::declare(core::ConfigSection &section)
  {
    using core::ConfigRange;
    const ThermalRelaxationModel d;
    section.real("attempt_frequency_per_s", d.attempt_frequency_per_s, ConfigRange::positive(), "ν0 of the Arrhenius rate.");
    section.real("activation_volume_nm3", d.activation_volume_nm3, ConfigRange::positive(),
                 "V_act of the shoving barrier ΔF = (10G + K)/11 · V_act (Shang et al. 2021).");
    section.real("relaxation_per_event", d.relaxation_per_event, ConfigRange::closed(0.0, 1.0),
                 "η_relax: s → s (1 − η) per relaxation.");
    section.real("stress_assisted_activation_volume_nm3", d.st_activation_volume_nm3, ConfigRange::non_negative(),
                 "V_ST of stress-assisted STs (needs relaxation: true): a site below its threshold transforms at "
                 "the rate ν0 exp(−ΔF_ST/k_B T), ΔF_ST = (10G + K)/11 · V_ST (1 − σ_eq/σ_y)^1.5 (cooperative shear "
                 "model), its stress taken at the end of each relaxation interval; homogenised cells draw how many "
                 "of their sites do so from their threshold distribution (σ_y the effective threshold with a site "
                 "thermal-mismatch stress); 0: none.");
  }

  ThermalRelaxationModel ThermalRelaxationModel::parse(const core::ConfigValues &section)
  {
    ThermalRelaxationModel m;
    m.attempt_frequency_per_s = section.real("attempt_frequency_per_s");
    m.activation_volume_nm3 = section.real("activation_volume_nm3");
    m.relaxation_per_event = section.real("relaxation_per_event");
    m.st_activation_volume_nm3 = section.real("stress_assisted_activation_volume_nm3");
    return m;
  }

  double expected_activations(const double attempt_frequency_per_s, const double barrier_eV,
                              const double start_K, const double end_K, const double duration_s)
  {
    if (!(duration_s >= 0.0) || !(start_K >= 0.0) || !(end_K >= 0.0))
      throw std::invalid_argument("a relaxation interval needs a non-negative duration and temperatures");
    if (duration_s == 0.0)
      return 0.0;
    if (start_K == end_K)
      return arrhenius_rate_per_s(attempt_frequency_per_s, barrier_eV, start_K) * duration_s;
    const auto rate = [&](const double t) {
      const double temperature = start_K + (end_K - start_K) * t / duration_s;
      return arrhenius_rate_per_s(attempt_frequency_per_s, barrier_eV, temperature);
    };
    double error = 0.0;
    return boost::math::quadrature::gauss_kronrod<double, 31>::integrate(rate, 0.0, duration_s, 15, 1e-10,
                                                                          &error);
  }

  double log_linear_activations(const double rate_start_per_s, const double rate_end_per_s, const double duration_s)
  {
    if (!(rate_start_per_s > 0.0) || !(rate_end_per_s > 0.0))
      return 0.5 * duration_s * (std::max(rate_start_per_s, 0.0) + std::max(rate_end_per_s, 0.0));
    const double x = std::log(rate_end_per_s / rate_start_per_s);
    // (e^x − 1)/x by its series where the quotient would cancel.
    if (std::abs(x) < 1e-6)
      return duration_s * rate_start_per_s * (1.0 + x * (0.5 + x / 6.0));
    return duration_s * (rate_end_per_s - rate_start_per_s) / x;
  }

  std::vector<std::uint64_t> draw_relaxation_counts(const std::vector<SiteGeometry> &sites,
                                                    const std::vector<double> &bulk_modulus_GPa,
                                                    const std::vector<double> &shear_modulus_GPa,
                                                    const ThermalRelaxationModel &model,
                                                    const double start_K, const double end_K,
                                                    const double duration_s, const std::uint64_t seed,
                                                    const std::uint64_t interval_index)
  {
    if (bulk_modulus_GPa.size() != sites.size() || shear_modulus_GPa.size() != sites.size())
      throw std::invalid_argument("one bulk and one shear modulus per site are needed");
    std::vector<std::uint64_t> counts(sites.size(), 0);
    // The mean depends on the site through K and G only: neighbours of equal moduli (every site
    // of a uniform sample) reuse it instead of repeating the quadrature.
    double cached_bulk = std::numeric_limits<double>::quiet_NaN();
    double cached_shear = cached_bulk;
    double cached_mean = 0.0;
    for (std::size_t i = 0; i < sites.size(); ++i)
      {
        if (bulk_modulus_GPa[i] != cached_bulk || shear_modulus_GPa[i] != cached_shear)
          {
            const double barrier =
              shoving_barrier_eV(bulk_modulus_GPa[i], shear_modulus_GPa[i], model.activation_volume_nm3);
            cached_mean = expected_activations(model.attempt_frequency_per_s, barrier, start_K, end_K, duration_s);
            cached_bulk = bulk_modulus_GPa[i];
            cached_shear = shear_modulus_GPa[i];
          }
        const double mean = cached_mean;
        if (!(mean > 0.0))
          continue;
        if (mean > 1e9)
          throw std::runtime_error(fmt::format("site {} would relax {:.3g} times in one interval; the "
                                               "barrier is far too low for this temperature",
                                               sites[i].global_id, mean));
        auto stream = core::make_random_stream(seed, "thermal relaxation", sites[i].global_id, interval_index);
        counts[i] = static_cast<std::uint64_t>(boost::random::poisson_distribution<long long, double>(mean)(stream));
      }
    return counts;
  }

  double stress_assisted_barrier_eV(const double barrier_eV, const double von_mises_GPa, const double yield_stress_GPa)
  {
    if (!(yield_stress_GPa > 0.0) || !(von_mises_GPa >= 0.0))
      throw std::invalid_argument(fmt::format("a stress-assisted barrier needs σ_y > 0 and σ_eq >= 0, got {} and {} GPa",
                                              yield_stress_GPa, von_mises_GPa));
    const double margin = 1.0 - von_mises_GPa / yield_stress_GPa;
    return margin > 0.0 ? barrier_eV * margin * std::sqrt(margin) : 0.0;
  }

  std::vector<char> draw_stress_assisted_events(const std::vector<SiteGeometry> &sites,
                                                const std::vector<double> &bulk_modulus_GPa,
                                                const std::vector<double> &shear_modulus_GPa,
                                                const std::vector<double> &von_mises_GPa,
                                                const std::vector<double> &yield_stress_GPa,
                                                const ThermalRelaxationModel &model, const double start_K,
                                                const double end_K, const double duration_s, const std::uint64_t seed,
                                                const std::uint64_t interval_index)
  {
    const std::size_t n = sites.size();
    if (bulk_modulus_GPa.size() != n || shear_modulus_GPa.size() != n || von_mises_GPa.size() != n ||
        yield_stress_GPa.size() != n)
      throw std::invalid_argument("one K, G, σ_eq and σ_y per site are needed");
    std::vector<char> activated(n, 0);
    if (!(model.st_activation_volume_nm3 > 0.0) || !(duration_s > 0.0))
      return activated;
    const double hottest_K = std::max(start_K, end_K);
    for (std::size_t i = 0; i < n; ++i)
      {
        if (!(von_mises_GPa[i] > 0.0))
          continue;
        const double barrier = stress_assisted_barrier_eV(
          shoving_barrier_eV(bulk_modulus_GPa[i], shear_modulus_GPa[i], model.st_activation_volume_nm3),
          von_mises_GPa[i], yield_stress_GPa[i]);
        // Λ <= rate at the hottest temperature × duration (the rate rises with T).
        const double bound = arrhenius_rate_per_s(model.attempt_frequency_per_s, barrier, hottest_K) * duration_s;
        if (!(bound > 0.0))
          continue;
        auto stream = core::make_random_stream(seed, "stress-assisted activation", sites[i].global_id, interval_index);
        const double u = boost::random::uniform_01<double>()(stream);
        if (u >= -std::expm1(-bound))
          continue;
        const double mean = expected_activations(model.attempt_frequency_per_s, barrier, start_K, end_K, duration_s);
        activated[i] = u < -std::expm1(-mean) ? 1 : 0;
      }
    return activated;
  }
} // namespace cryocycle::continuum
