#pragma once
/// @file
/// The explicit-site resolution of the event engine (event_engine.h): one ST site per local site
/// of the back-end (a site per grid point or cell of site size, nm; the RVE mode), each with its
/// own local yield stress σ_y as trigger stress. A transformation shears the whole site
/// (Δε* = f ε0 (3/2) dev σ/σ_eq) and counts one event.
///
/// Every site also carries a structural state s in [0, 1] (0: relaxed, as after a slow quench or
/// long ageing; 1: rejuvenated, as after a fast quench). A shear transformation moves it towards
/// the rejuvenated state, s → s + η_ST (1 − s); thermal relaxation (thermal_relaxation.h) moves it
/// back, s → s (1 − η_relax)^n after n relaxation events. After either, the site draws a new σ_y
/// from a caller-supplied renewal that sees the new state and is keyed by (global site id, index
/// of the site's draw), so the sequence does not depend on the number of MPI ranks.

#include "continuum/events/event_engine.h"

#include <cstdint>
#include <functional>
#include <vector>

namespace cryocycle::continuum
{
  /// A new local yield stress (GPa) for a site in structural state `state` (0 relaxed .. 1
  /// rejuvenated); `draw_index` counts the site's draws (0-based) and keys its random stream.
  using YieldStressRenewal =
    std::function<double(std::uint64_t global_site_id, std::uint64_t draw_index, double state)>;

  /// Explicit sites: σ_y, s, the draws and events of each.
  class ExplicitSites final : public SitePopulation
  {
  public:
    /// @param global_id of every local site (keys the renewal)
    /// @param initial_yield_stress_GPa σ_y of every local site (positive)
    /// @param initial_state structural state s in [0, 1] of every local site
    ExplicitSites(std::vector<std::uint64_t> global_id, std::vector<double> initial_yield_stress_GPa,
                  std::vector<double> initial_state, YieldStressRenewal renewal);

    std::size_t size() const override { return yield_.size(); }
    double trigger_stress_GPa(std::size_t i) const override { return yield_[i]; }
    /// s → s + η (1 − s), a new σ_y, one event.
    Transformation transform(std::size_t i, double von_mises_GPa, double rejuvenation) override;
    /// A thermally activated ST of the whole site: transform().
    Transformation activate(std::size_t i, double von_mises_GPa, double sites, double rejuvenation) override;
    void save(std::size_t i, SiteStates &states) const override;
    void check_saved(const SiteStates &states) const override;
    std::string restore(std::size_t i, const SiteStates &states, std::size_t k) override;

    /// Site i relaxed `counts[i]` times: s → s (1 − η)^n and a new σ_y where n > 0. Returns the sum.
    std::uint64_t relax(const std::vector<std::uint64_t> &counts, double relaxation_per_event);

    const std::vector<double> &yield_stress_GPa() const { return yield_; }
    const std::vector<std::uint64_t> &event_count() const { return events_; }
    const std::vector<double> &structural_state() const { return state_; }

  private:
    void renew(std::size_t i);

    std::vector<std::uint64_t> id_;
    std::vector<double> yield_;
    std::vector<std::uint64_t> events_;
    std::vector<double> state_;
    std::vector<std::uint64_t> draws_;
    YieldStressRenewal renewal_;
  };

  /// The event engine on explicit sites.
  class AthermalEventEngine final : public EventEngine
  {
  public:
    AthermalEventEngine(ElasticBackend &backend, std::vector<double> initial_yield_stress_GPa,
                        std::vector<double> initial_state, YieldStressRenewal renewal, const EventRule &rule);

    using EventEngine::activate;
    /// Thermally activated STs: every local site with activated[i] != 0 and some shear stress
    /// transforms at ΔT (in the first sweep, with the unstable sites), then the avalanche runs on.
    /// Collective.
    EventStatistics activate(const std::vector<char> &activated, double temperature_change_K);

    /// Applies thermal relaxation: site i relaxed `counts[i]` times, s → s (1 − η)^n, and draws a
    /// new σ_y where n > 0. Does not re-solve (relaxation changes no eigenstrain); call
    /// avalanche() afterwards for sites whose new σ_y lies below their stress.
    /// @returns the number of relaxation events on this rank.
    std::uint64_t relax(const std::vector<std::uint64_t> &counts, double relaxation_per_event);

    const std::vector<double> &yield_stress_GPa() const { return sites().yield_stress_GPa(); }
    const std::vector<std::uint64_t> &event_count() const { return sites().event_count(); }
    const std::vector<double> &structural_state() const { return sites().structural_state(); }

  private:
    const ExplicitSites &sites() const { return static_cast<const ExplicitSites &>(population()); }
    ExplicitSites &sites() { return static_cast<ExplicitSites &>(population()); }
  };
} // namespace cryocycle::continuum
