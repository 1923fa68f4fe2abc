#include "continuum/physics/homogenised_cell.h"

#include <boost/random/binomial_distribution.hpp>
#include <boost/random/gamma_distribution.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/poisson_distribution.hpp>
#include <boost/random/uniform_01.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace cryocycle::continuum
{
  void HomogenisedCellRule::declare(core::ConfigSection &section)
  {
    section.real("flip_quantum_fraction", HomogenisedCellRule{}.quantum_fraction, core::ConfigRange::left_open(0.0, 1.0),
                 "Resolution homogenised: a cell flips at least this fraction of its sites at once (one "
                 "trigger, one re-solve per quantum; smaller is finer and slower).");
  }

  HomogenisedCellRule HomogenisedCellRule::parse(const core::ConfigValues &section)
  {
    HomogenisedCellRule rule;
    rule.quantum_fraction = section.real("flip_quantum_fraction");
    return rule;
  }

  namespace
  {
    /// Components closer than this in rank are merged (exactly when equal).
    constexpr double rank_merge_tolerance = 1e-15;
    /// More components than this are merged pairwise (the nearest lower ranks, weighted mean).
    constexpr std::size_t max_components = 32;
    /// Above this variance the binomial and Poisson draws use the normal approximation.
    constexpr double normal_approximation_variance = 1e8;

    /// A uniform number strictly inside (0, 1).
    double open_uniform(core::RandomEngine &engine)
    {
      double u = 0.0;
      do
        u = boost::random::uniform_01<double>()(engine);
      while (u <= 0.0 || u >= 1.0);
      return u;
    }
  } // namespace

  ThresholdRankPool::ThresholdRankPool()
    : components_{{0.0, 1.0}}
  {}

  double ThresholdRankPool::fraction_below(const double rank) const
  {
    double g = 0.0;
    for (const auto &[c, w] : components_)
      if (rank > c)
        g += w * std::min(1.0, (rank - c) / (1.0 - c));
    return std::min(g, 1.0);
  }

  double ThresholdRankPool::rank_of_fraction(const double fraction) const
  {
    if (!(fraction >= 0.0 && fraction <= 1.0))
      throw std::domain_error(fmt::format("a fraction of sites must lie in [0, 1], got {}", fraction));
    // G is piecewise linear with breaks at the component ranks (sorted ascending).
    double low = components_.front().first;
    if (fraction <= 0.0)
      return low;
    for (std::size_t j = 0; j < components_.size(); ++j)
      {
        const double high = j + 1 < components_.size() ? components_[j + 1].first : 1.0;
        const double g_high = fraction_below(high);
        if (fraction <= g_high || j + 1 == components_.size())
          {
            const double g_low = fraction_below(low);
            if (g_high <= g_low)
              return high;
            return std::clamp(low + (high - low) * (fraction - g_low) / (g_high - g_low), low, high);
          }
        low = high;
      }
    return 1.0;
  }

  void ThresholdRankPool::add_component(const double lower_rank, const double weight)
  {
    if (!(weight > 0.0))
      return;
    for (auto &[c, w] : components_)
      if (std::abs(c - lower_rank) <= rank_merge_tolerance)
        {
          w += weight;
          return;
        }
    components_.insert(std::upper_bound(components_.begin(), components_.end(), std::make_pair(lower_rank, weight)),
                       {lower_rank, weight});
    while (components_.size() > max_components)
      {
        std::size_t nearest = 0;
        for (std::size_t j = 1; j + 1 < components_.size(); ++j)
          if (components_[j + 1].first - components_[j].first <
              components_[nearest + 1].first - components_[nearest].first)
            nearest = j;
        auto &a = components_[nearest];
        const auto &b = components_[nearest + 1];
        a.first = (a.first * a.second + b.first * b.second) / (a.second + b.second);
        a.second += b.second;
        components_.erase(components_.begin() + static_cast<std::ptrdiff_t>(nearest) + 1);
      }
  }

  void ThresholdRankPool::transform(const double load_rank, const double transformed_fraction)
  {
    if (!(transformed_fraction >= 0.0 && transformed_fraction <= 1.0))
      throw std::domain_error(fmt::format("transformed fraction {} outside [0, 1]", transformed_fraction));
    const double q = std::clamp(load_rank, 0.0, 1.0);
    std::vector<std::pair<double, double>> above;
    double mass_above = 0.0;
    for (const auto &[c, w] : components_)
      {
        const double lower = std::max(c, q);
        const double weight = c < 1.0 ? w * (1.0 - lower) / (1.0 - c) : 0.0;
        if (weight > 0.0)
          {
            above.emplace_back(lower, weight);
            mass_above += weight;
          }
      }
    components_.clear();
    const double scale = mass_above > 0.0 ? (1.0 - transformed_fraction) / mass_above : 0.0;
    for (const auto &[c, w] : above)
      add_component(c, w * scale);
    add_component(0.0, mass_above > 0.0 ? transformed_fraction : 1.0);
  }

  ThresholdRankPool ThresholdRankPool::from_components(std::vector<std::pair<double, double>> components)
  {
    double total = 0.0;
    for (const auto &[c, w] : components)
      {
        if (!(c >= 0.0 && c < 1.0) || !(w > 0.0))
          throw std::invalid_argument(fmt::format("a rank pool component ({}, {}) is invalid", c, w));
        total += w;
      }
    if (components.empty() || !(std::abs(total - 1.0) <= 1e-9))
      throw std::invalid_argument(fmt::format("the rank pool weights sum to {}, not 1", total));
    ThresholdRankPool pool;
    pool.components_ = std::move(components);
    return pool;
  }

  void ThresholdRankPool::renew(const double renewed_fraction)
  {
    if (!(renewed_fraction >= 0.0 && renewed_fraction <= 1.0))
      throw std::domain_error(fmt::format("renewed fraction {} outside [0, 1]", renewed_fraction));
    for (auto &[c, w] : components_)
      w *= 1.0 - renewed_fraction;
    add_component(0.0, renewed_fraction);
    components_.erase(std::remove_if(components_.begin(), components_.end(),
                                     [](const auto &component) { return !(component.second > 0.0); }),
                      components_.end());
  }

  double ThresholdDistribution::effective_quantile_GPa(const double state, const double mismatch_scale,
                                                      const double rank) const
  {
    if (!site_thermal_stress || mismatch_scale == 0.0)
      return quantile_GPa(state, rank);
    return site_thermal_stress->effective_quantile([&](const double x) { return cdf(state, x); },
                                                   [&](const double u) { return quantile_GPa(state, u); },
                                                   mismatch_scale, rank);
  }

  double ThresholdDistribution::effective_cdf(const double state, const double mismatch_scale,
                                              const double stress_GPa) const
  {
    if (!site_thermal_stress || mismatch_scale == 0.0)
      return cdf(state, stress_GPa);
    return site_thermal_stress->effective_cdf([&](const double x) { return cdf(state, x); }, mismatch_scale,
                                              stress_GPa);
  }

  double homogenised_threshold_uniform(const std::uint64_t seed, const std::uint64_t cell_id,
                                       const std::uint64_t draw_index)
  {
    auto stream = core::make_random_stream(seed, "homogenised threshold", cell_id, draw_index);
    return open_uniform(stream);
  }

  double draw_binomial(const double trials, const double probability, core::RandomEngine &engine)
  {
    const double n = std::floor(trials);
    const double p = std::clamp(probability, 0.0, 1.0);
    if (n <= 0.0 || p <= 0.0)
      return 0.0;
    if (p >= 1.0)
      return n;
    const double variance = n * p * (1.0 - p);
    if (variance > normal_approximation_variance)
      {
        const double x = n * p + std::sqrt(variance) * boost::random::normal_distribution<double>()(engine);
        return std::clamp(std::round(x), 0.0, n);
      }
    // Small n p: count from the rare side, so boost's inversion stays short.
    if (p > 0.5)
      return n - draw_binomial(n, 1.0 - p, engine);
    return static_cast<double>(
      boost::random::binomial_distribution<long long, double>(static_cast<long long>(n), p)(engine));
  }

  double draw_poisson(const double mean, core::RandomEngine &engine)
  {
    if (!(mean > 0.0))
      return 0.0;
    if (mean > normal_approximation_variance)
      return std::max(0.0, std::round(mean + std::sqrt(mean) * boost::random::normal_distribution<double>()(engine)));
    return static_cast<double>(boost::random::poisson_distribution<long long, double>(mean)(engine));
  }

  HomogenisedCell::HomogenisedCell(const std::uint64_t id, const double state, const HomogenisedCellRule &rule,
                                   const ThresholdDistribution &thresholds, const std::uint64_t seed)
    : id_(id)
    , seed_(seed)
    , sites_(std::round(rule.sites_per_cell))
    , quantum_(std::clamp(std::round(rule.quantum_fraction * std::round(rule.sites_per_cell)), 1.0,
                          std::round(rule.sites_per_cell)))
    , state_(state)
  {
    if (!(rule.sites_per_cell >= 1.0) || !std::isfinite(rule.sites_per_cell) || rule.sites_per_cell > 1e18)
      throw std::invalid_argument(fmt::format("sites per cell must lie in [1, 1e18], got {}", rule.sites_per_cell));
    if (!(rule.quantum_fraction > 0.0 && rule.quantum_fraction <= 1.0))
      throw std::invalid_argument(fmt::format("the flip quantum must lie in (0, 1], got {}", rule.quantum_fraction));
    if (!(state >= 0.0 && state <= 1.0))
      throw std::invalid_argument(fmt::format("structural states must lie in [0, 1], got {}", state));
    if (!thresholds.quantile_GPa || !thresholds.cdf)
      throw std::invalid_argument("a threshold distribution needs its quantile and cdf");
    draw_trigger(thresholds);
  }

  std::vector<double> HomogenisedCell::save() const
  {
    // Layout: s, draws, trigger rank, trigger stress (the last computed), transformed, virgin
    // fraction, virgin rank, mismatch scale, pending (0/1), then (c_j, w_j) of the pool.
    std::vector<double> record{state_,       static_cast<double>(draws_), trigger_rank_,   trigger_stress_,
                               transformed_, virgin_,                      virgin_rank_,    mismatch_scale_,
                               trigger_pending_ ? 1.0 : 0.0};
    for (const auto &[c, w] : pool_.components())
      {
        record.push_back(c);
        record.push_back(w);
      }
    return record;
  }

  void HomogenisedCell::restore(const std::vector<double> &record)
  {
    constexpr std::size_t head = 9;
    if (record.size() < head + 2 || (record.size() - head) % 2 != 0)
      throw std::invalid_argument(fmt::format("a homogenised cell record of {} numbers is not one", record.size()));
    if (!(record[0] >= 0.0 && record[0] <= 1.0) || !(record[1] >= 1.0) || record[1] != std::floor(record[1]) ||
        !(record[7] >= 0.0) || !std::isfinite(record[7]) || !(record[8] == 0.0 || record[8] == 1.0))
      throw std::invalid_argument("a homogenised cell record holds an invalid state, draw count or mismatch scale");
    std::vector<std::pair<double, double>> components;
    for (std::size_t i = head; i < record.size(); i += 2)
      components.emplace_back(record[i], record[i + 1]);
    pool_ = ThresholdRankPool::from_components(std::move(components));
    state_ = record[0];
    draws_ = static_cast<std::uint64_t>(record[1]);
    trigger_rank_ = record[2];
    trigger_pending_ = record[8] == 1.0;
    screened_below_GPa_ = -std::numeric_limits<double>::infinity();
    trigger_stress_ = record[3];
    transformed_ = record[4];
    virgin_ = record[5];
    virgin_rank_ = record[6];
    mismatch_scale_ = record[7];
  }

  void HomogenisedCell::set_mismatch_scale(const double mismatch_scale, const ThresholdDistribution &thresholds)
  {
    if (!(mismatch_scale >= 0.0) || !std::isfinite(mismatch_scale))
      throw std::invalid_argument(fmt::format("a thermal-stress scale must be finite and >= 0, got {}", mismatch_scale));
    if (mismatch_scale == mismatch_scale_)
      return;
    mismatch_scale_ = mismatch_scale;
    set_trigger_stress(thresholds);
  }

  void HomogenisedCell::set_trigger_stress(const ThresholdDistribution &thresholds)
  {
    // An effective threshold needs an inversion of F_eff: leave it until it is asked for.
    trigger_pending_ = true;
    screened_below_GPa_ = -std::numeric_limits<double>::infinity();
    if (!(thresholds.site_thermal_stress && mismatch_scale_ > 0.0))
      trigger_stress_GPa(thresholds);
  }

  double HomogenisedCell::trigger_stress_GPa() const
  {
    if (trigger_pending_)
      throw std::logic_error(fmt::format("the trigger stress of cell {} is pending: ask with the thresholds", id_));
    return trigger_stress_;
  }

  double HomogenisedCell::trigger_stress_GPa(const ThresholdDistribution &thresholds) const
  {
    if (!trigger_pending_)
      return trigger_stress_;
    const bool effective = thresholds.site_thermal_stress && mismatch_scale_ > 0.0;
    trigger_stress_ = thresholds.effective_quantile_GPa(state_, mismatch_scale_,
                                                        std::clamp(trigger_rank_, 1e-300, 1.0 - 1e-16));
    trigger_pending_ = false;
    // Without mismatch a threshold is a positive σ_y; an effective threshold may be <= 0.
    if (!std::isfinite(trigger_stress_) || (!effective && !(trigger_stress_ > 0.0)))
      throw std::runtime_error(fmt::format("the threshold distribution gave {} GPa for cell {} (state {}, rank {})",
                                           trigger_stress_, id_, state_, trigger_rank_));
    return trigger_stress_;
  }

  bool HomogenisedCell::yields_at(const double von_mises_GPa, const double tolerance,
                                  const ThresholdDistribution &thresholds) const
  {
    if (!(thresholds.site_thermal_stress && mismatch_scale_ > 0.0))
      return von_mises_GPa >= trigger_stress_ - tolerance * std::abs(trigger_stress_) &&
             !(von_mises_GPa <= 0.0 && trigger_stress_ > 0.0);
    // Effective thresholds are decided in rank space, F_eff(σ_eq (1 + 2 tolerance)) >= u, whether
    // the trigger stress has been computed or not, so that the outcome never depends on when it
    // was; a computed one (or a screened bound) only settles the clear cases without an F_eff.
    const double load = von_mises_GPa * (1.0 + 2.0 * tolerance);
    if (load < screened_below_GPa_)
      return false;
    if (!trigger_pending_)
      {
        const double band = 1e-6 * std::abs(trigger_stress_) + 1e-12;
        if (load < trigger_stress_ - band)
          return false;
        if (load > trigger_stress_ + band)
          return true;
      }
    return thresholds.effective_cdf(state_, mismatch_scale_, load) >= trigger_rank_;
  }

  bool HomogenisedCell::may_yield_below(const double upper_GPa, const ThresholdDistribution &thresholds) const
  {
    if (!trigger_pending_)
      return upper_GPa >= trigger_stress_ - (1e-6 * std::abs(trigger_stress_) + 1e-12);
    if (upper_GPa < screened_below_GPa_)
      return false;
    // Probe above the asked stress, so that the next few (slowly rising) stresses are answered
    // from the bound without another F_eff.
    const double probe = upper_GPa + 0.25 * std::abs(upper_GPa) + 1e-4;
    if (thresholds.effective_cdf(state_, mismatch_scale_, probe) < trigger_rank_ * (1.0 - 1e-9))
      {
        screened_below_GPa_ = probe;
        return false;
      }
    return true;
  }


  void HomogenisedCell::draw_trigger(const ThresholdDistribution &thresholds)
  {
    const std::uint64_t draw = draws_++;
    const double w = homogenised_threshold_uniform(seed_, id_, draw);
    double b = w;  // n = 1: the site's own rank, by inversion of the same uniform number
    if (sites_ > 1.0)
      {
        if (quantum_ <= 1.0)
          b = -std::expm1(std::log1p(-w) / sites_);  // minimum of n uniform ranks
        else
          {
            // k-th order statistic of n uniforms: Γ(k) / (Γ(k) + Γ(n − k + 1)).
            auto stream = core::make_random_stream(seed_, "homogenised order statistic", id_, draw);
            const double x = boost::random::gamma_distribution<double>(quantum_)(stream);
            const double y = boost::random::gamma_distribution<double>(sites_ - quantum_ + 1.0)(stream);
            b = x / (x + y);
          }
      }
    trigger_rank_ = pool_.rank_of_fraction(std::clamp(b, 0.0, 1.0));
    set_trigger_stress(thresholds);
  }

  double HomogenisedCell::flip(const double von_mises_GPa, const double rejuvenation_per_event,
                               const ThresholdDistribution &thresholds)
  {
    double transformed = quantum_;
    double load_rank = trigger_rank_;
    if (sites_ > quantum_)
      {
        load_rank = std::max(trigger_rank_, thresholds.effective_cdf(state_, mismatch_scale_, von_mises_GPa));
        const double g_trigger = pool_.fraction_below(trigger_rank_);
        const double g_load = pool_.fraction_below(load_rank);
        const double p = g_trigger < 1.0 ? (g_load - g_trigger) / (1.0 - g_trigger) : 0.0;
        auto stream = core::make_random_stream(seed_, "homogenised flip", id_, draws_);
        transformed += draw_binomial(sites_ - quantum_, p, stream);
      }
    return transform_below(load_rank, transformed, rejuvenation_per_event, thresholds);
  }

  double HomogenisedCell::transform_below(const double rank, const double transformed,
                                          const double rejuvenation_per_event, const ThresholdDistribution &thresholds)
  {
    const double fraction = transformed / sites_;
    // Virgin sites are uniform above their own lower rank; the untransformed rest of the pool is
    // conditioned above `rank`, of which the virgin sites are their share.
    const double mass_above = 1.0 - pool_.fraction_below(rank);
    const double virgin_above = virgin_ * (1.0 - std::max(rank, virgin_rank_)) / (1.0 - virgin_rank_);
    virgin_ = mass_above > 0.0 ? std::min(virgin_above / mass_above, 1.0) * (1.0 - fraction) : 0.0;
    virgin_rank_ = std::max(rank, virgin_rank_);
    pool_.transform(rank, fraction);
    transformed_ += transformed;
    state_ += fraction * rejuvenation_per_event * (1.0 - state_);
    draw_trigger(thresholds);
    return fraction;
  }

  double HomogenisedCell::stress_assisted_sites(const double von_mises_GPa,
                                                const std::function<double(double)> &probability,
                                                core::RandomEngine &engine, const ThresholdDistribution &thresholds) const
  {
    if (!(von_mises_GPa > 0.0))
      return 0.0;
    if (sites_ <= quantum_)
      {
        const double u = boost::random::uniform_01<double>()(engine);
        return u < probability(trigger_stress_GPa(thresholds)) ? 1.0 : 0.0;
      }
    const auto below = [&](const double e) {
      return std::isfinite(e) ? pool_.fraction_below(thresholds.effective_cdf(state_, mismatch_scale_, e)) : 1.0;
    };
    // e(b) = σ_eq / (1 − b^{2/3}): b = 0 at the load, b = 1 at e = ∞.
    const auto threshold_at = [&](const double b) {
      const double gap = 1.0 - std::cbrt(b * b);
      return gap > 0.0 ? von_mises_GPa / gap : std::numeric_limits<double>::infinity();
    };
    constexpr int panels = 64;
    const double h_load = below(von_mises_GPa);
    double h_previous = h_load;
    double p_previous = probability(von_mises_GPa);
    double expected = 0.0;
    for (int k = 1; k <= panels && p_previous >= 1e-15; ++k)
      {
        const double e = threshold_at(static_cast<double>(k) / panels);
        const double h = below(e);
        const double p = probability(e);
        expected += 0.5 * (p_previous + p) * (h - h_previous);
        h_previous = h;
        p_previous = p;
      }
    const double above = sites_ * (1.0 - h_load);
    if (!(above >= 1.0) || !(expected > 0.0))
      return 0.0;
    return draw_binomial(above, expected * sites_ / above, engine);
  }

  double HomogenisedCell::activate(const double von_mises_GPa, const double sites, const double rejuvenation_per_event,
                                   const ThresholdDistribution &thresholds)
  {
    if (!(sites > 0.0))
      throw std::invalid_argument(fmt::format("cell {}: {} sites to activate", id_, sites));
    if (sites_ <= quantum_)
      return flip(von_mises_GPa, rejuvenation_per_event, thresholds);
    const double load_rank = thresholds.effective_cdf(state_, mismatch_scale_, std::max(von_mises_GPa, 0.0));
    const double fraction = std::min(1.0, pool_.fraction_below(load_rank) + sites / sites_);
    return transform_below(pool_.rank_of_fraction(fraction), fraction * sites_, rejuvenation_per_event, thresholds);
  }

  void HomogenisedCell::relax(const double relaxations, const double relaxation_per_event,
                              const ThresholdDistribution &thresholds)
  {
    if (!(relaxations > 0.0))
      return;
    state_ *= std::pow(1.0 - relaxation_per_event, relaxations / sites_);
    const double renewed = sites_ > 1.0 ? -std::expm1(relaxations * std::log1p(-1.0 / sites_)) : 1.0;
    pool_.renew(renewed);
    virgin_ *= 1.0 - renewed;
    draw_trigger(thresholds);
  }
} // namespace cryocycle::continuum
