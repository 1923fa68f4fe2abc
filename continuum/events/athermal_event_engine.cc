#include "continuum/events/athermal_event_engine.h"

#include <fmt/format.h>

#include <cmath>
#include <stdexcept>

namespace cryocycle::continuum
{
  namespace
  {
    std::vector<std::uint64_t> global_ids(const ElasticBackend &backend)
    {
      std::vector<std::uint64_t> ids;
      ids.reserve(backend.local_sites().size());
      for (const auto &site : backend.local_sites())
        ids.push_back(site.global_id);
      return ids;
    }
  } // namespace

  ExplicitSites::ExplicitSites(std::vector<std::uint64_t> global_id, std::vector<double> initial_yield_stress_GPa,
                               std::vector<double> initial_state, YieldStressRenewal renewal)
    : id_(std::move(global_id))
    , yield_(std::move(initial_yield_stress_GPa))
    , events_(yield_.size(), 0)
    , state_(std::move(initial_state))
    , draws_(yield_.size(), 0)
    , renewal_(std::move(renewal))
  {
    if (yield_.size() != id_.size())
      throw std::invalid_argument(fmt::format("{} yield stresses for {} local sites", yield_.size(), id_.size()));
    for (const double y : yield_)
      if (!(y > 0.0) || !std::isfinite(y))
        throw std::invalid_argument(fmt::format("local yield stresses must be positive, got {} GPa", y));
    if (!renewal_)
      throw std::invalid_argument("a yield-stress renewal is needed");
    if (state_.size() != yield_.size())
      throw std::invalid_argument(fmt::format("{} structural states for {} local sites", state_.size(), yield_.size()));
    for (const double s : state_)
      if (!(s >= 0.0 && s <= 1.0))
        throw std::invalid_argument(fmt::format("structural states must lie in [0, 1], got {}", s));
  }

  void ExplicitSites::renew(const std::size_t i)
  {
    yield_[i] = renewal_(id_[i], draws_[i]++, state_[i]);
    if (!(yield_[i] > 0.0) || !std::isfinite(yield_[i]))
      throw std::runtime_error(fmt::format("the yield-stress renewal gave {} GPa for site {}", yield_[i], id_[i]));
  }

  Transformation ExplicitSites::transform(const std::size_t i, const double /*von_mises_GPa*/,
                                          const double rejuvenation)
  {
    state_[i] += rejuvenation * (1.0 - state_[i]);
    ++events_[i];
    renew(i);
    return {1.0, 1.0};
  }

  Transformation ExplicitSites::activate(const std::size_t i, const double von_mises_GPa, const double /*sites*/,
                                         const double rejuvenation)
  {
    return transform(i, von_mises_GPa, rejuvenation);
  }

  std::uint64_t ExplicitSites::relax(const std::vector<std::uint64_t> &counts, const double relaxation_per_event)
  {
    if (counts.size() != yield_.size())
      throw std::invalid_argument("one relaxation count per local site is needed");
    if (!(relaxation_per_event >= 0.0 && relaxation_per_event <= 1.0))
      throw std::invalid_argument("the relaxation per event must lie in [0, 1]");
    std::uint64_t total = 0;
    for (std::size_t i = 0; i < counts.size(); ++i)
      {
        if (counts[i] == 0)
          continue;
        total += counts[i];
        state_[i] *= std::pow(1.0 - relaxation_per_event, static_cast<double>(counts[i]));
        renew(i);
      }
    return total;
  }

  void ExplicitSites::save(const std::size_t i, SiteStates &states) const
  {
    states.yield_stress_GPa.push_back(yield_[i]);
    states.structural_state.push_back(state_[i]);
    states.draws.push_back(draws_[i]);
    states.events.push_back(events_[i]);
  }

  void ExplicitSites::check_saved(const SiteStates &states) const
  {
    const std::size_t n = states.size();
    if (states.yield_stress_GPa.size() != n || states.structural_state.size() != n || states.draws.size() != n ||
        states.events.size() != n)
      throw std::invalid_argument("saved site states: the arrays differ in length");
  }

  std::string ExplicitSites::restore(const std::size_t i, const SiteStates &states, const std::size_t k)
  {
    if (!(states.yield_stress_GPa[k] > 0.0) || !(states.structural_state[k] >= 0.0 && states.structural_state[k] <= 1.0))
      return fmt::format("the saved state of site {} is invalid (σ_y {} GPa, s {})", id_[i], states.yield_stress_GPa[k],
                         states.structural_state[k]);
    yield_[i] = states.yield_stress_GPa[k];
    state_[i] = states.structural_state[k];
    draws_[i] = states.draws[k];
    events_[i] = states.events[k];
    return {};
  }

  AthermalEventEngine::AthermalEventEngine(ElasticBackend &backend, std::vector<double> initial_yield_stress_GPa,
                                           std::vector<double> initial_state, YieldStressRenewal renewal,
                                           const EventRule &rule)
    : EventEngine(backend,
                  std::make_unique<ExplicitSites>(global_ids(backend), std::move(initial_yield_stress_GPa),
                                                  std::move(initial_state), std::move(renewal)),
                  rule)
  {
  }

  EventStatistics AthermalEventEngine::activate(const std::vector<char> &activated, const double temperature_change_K)
  {
    if (activated.size() != yield_stress_GPa().size())
      throw std::invalid_argument(fmt::format("{} activation flags for {} local sites", activated.size(),
                                              yield_stress_GPa().size()));
    std::vector<double> sites(activated.size());
    for (std::size_t i = 0; i < sites.size(); ++i)
      sites[i] = activated[i] != 0 ? 1.0 : 0.0;
    return EventEngine::activate(sites, temperature_change_K);
  }

  std::uint64_t AthermalEventEngine::relax(const std::vector<std::uint64_t> &counts, const double relaxation_per_event)
  {
    const std::uint64_t total = sites().relax(counts, relaxation_per_event);
    refresh_triggers();
    return total;
  }
} // namespace cryocycle::continuum
