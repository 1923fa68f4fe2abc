#include "continuum/relaxation_kinetics.h"

#include <boost/random/uniform_01.hpp>
#include <fmt/format.h>

#include <cmath>
#include <stdexcept>

namespace cryocycle::continuum
{
  namespace
  {
    /// Incremental updates accumulate round-off in the tree's partial sums; rebuilding after
    /// this many updates keeps it at a few ulp of the total.
    constexpr std::size_t rebuild_interval = 1u << 16u;
  } // namespace

  double shoving_barrier_eV(const double bulk_modulus_GPa, const double shear_modulus_GPa,
                            const double activation_volume_nm3)
  {
    if (!(bulk_modulus_GPa > 0.0) || !(shear_modulus_GPa > 0.0) || !(activation_volume_nm3 > 0.0))
      throw std::invalid_argument("the shoving barrier needs positive moduli and activation volume");
    return (10.0 * shear_modulus_GPa + bulk_modulus_GPa) / 11.0 * activation_volume_nm3 * eV_per_GPa_nm3;
  }

  double arrhenius_rate_per_s(const double attempt_frequency_per_s, const double barrier_eV,
                              const double temperature_K)
  {
    if (!(attempt_frequency_per_s >= 0.0) || !(temperature_K >= 0.0))
      throw std::invalid_argument("an Arrhenius rate needs a non-negative attempt frequency and temperature");
    if (temperature_K == 0.0)
      return barrier_eV > 0.0 ? 0.0 : attempt_frequency_per_s;
    return attempt_frequency_per_s * std::exp(-barrier_eV / (boltzmann_eV_per_K * temperature_K));
  }

  KineticMonteCarlo::KineticMonteCarlo(const std::size_t site_count)
    : rates_(site_count, 0.0)
    , tree_(site_count + 1, 0.0)
  {}

  void KineticMonteCarlo::set_rate(const std::size_t site, const double rate_per_s)
  {
    if (site >= rates_.size())
      throw std::out_of_range(fmt::format("site {} of {} sites", site, rates_.size()));
    if (!(rate_per_s >= 0.0) || !std::isfinite(rate_per_s))
      throw std::invalid_argument(fmt::format("rate of site {} must be finite and >= 0, got {}", site, rate_per_s));
    const double change = rate_per_s - rates_[site];
    rates_[site] = rate_per_s;
    if (++updates_since_rebuild_ >= rebuild_interval)
      {
        rebuild();
        return;
      }
    for (std::size_t i = site + 1; i < tree_.size(); i += i & (~i + 1))
      tree_[i] += change;
  }

  void KineticMonteCarlo::rebuild()
  {
    // O(n) construction: each node passes its partial sum to its parent.
    std::fill(tree_.begin(), tree_.end(), 0.0);
    for (std::size_t i = 1; i < tree_.size(); ++i)
      {
        tree_[i] += rates_[i - 1];
        const std::size_t parent = i + (i & (~i + 1));
        if (parent < tree_.size())
          tree_[parent] += tree_[i];
      }
    updates_since_rebuild_ = 0;
  }

  double KineticMonteCarlo::total_rate() const
  {
    double total = 0.0;
    for (std::size_t i = rates_.size(); i > 0; i -= i & (~i + 1))
      total += tree_[i];
    return std::max(total, 0.0);
  }

  std::size_t KineticMonteCarlo::find_site(double target) const
  {
    // Descend the implicit tree: at each power of two keep going right while the left part's
    // sum does not exceed the remaining target.
    std::size_t position = 0;
    std::size_t step = 1;
    while (step * 2 < tree_.size())
      step *= 2;
    for (; step > 0; step /= 2)
      {
        const std::size_t next = position + step;
        if (next < tree_.size() && tree_[next] <= target)
          {
            position = next;
            target -= tree_[next];
          }
      }
    // position sites have a cumulative rate <= target; skip zero-rate sites that round-off may
    // have landed on.
    std::size_t site = std::min(position, rates_.size() - 1);
    while (site + 1 < rates_.size() && rates_[site] == 0.0)
      ++site;
    while (site > 0 && rates_[site] == 0.0)
      --site;
    return site;
  }

  std::optional<KineticEvent> KineticMonteCarlo::next_event(core::RandomEngine &engine) const
  {
    const double total = total_rate();
    if (!(total > 0.0) || rates_.empty())
      return std::nullopt;
    boost::random::uniform_01<double> uniform;
    // 1 − u lies in (0, 1], so the logarithm is finite.
    const double waiting = -std::log(1.0 - uniform(engine)) / total;
    const std::size_t site = find_site(uniform(engine) * total);
    return KineticEvent{site, waiting};
  }
} // namespace cryocycle::continuum
