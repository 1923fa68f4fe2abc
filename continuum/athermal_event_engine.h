#pragma once
/// @file
/// Athermal shear-transformation (ST) events along a temperature ramp, written once against
/// ElasticBackend (DESIGN.md, seed 000 §IV–V). The stress of site i is
///   σ_i(ΔT) = ΔT S_T,i + R_i(ε*),
/// linear in ΔT between events. The engine
///  1. finds, over all sites and ranks, the first ΔT on the ramp where σ_eq,i = σ_y,i — exactly,
///     as the root of a quadratic (shear_transformation.h), not by small temperature steps;
///  2. runs the avalanche there: every site with σ_eq >= σ_y shears by
///     Δε* = f ε0 (3/2) dev σ/σ_eq (f the ST volume fraction of the site) and draws a new σ_y;
///     all unstable sites of a sweep flip together and the back-end re-solves once per sweep,
///     until no site is above its threshold;
///  3. continues the ramp.
/// The energy of every sweep is booked: the work of the eigenstrain increments at the mean of
/// the stresses before and after, W = Σ V ½(σ_before + σ_after) : Δε*, is exactly the elastic
/// energy the sweep releases (linear elasticity), and is what the sites store or dissipate.
///
/// Every site also carries a structural state s in [0, 1] (0: relaxed, as after a slow quench or
/// long ageing; 1: rejuvenated, as after a fast quench). A shear transformation moves it towards
/// the rejuvenated state, s → s + η_ST (1 − s); thermal relaxation (thermal_relaxation.h) moves it
/// back, s → s (1 − η_relax)^n after n relaxation events. After either, the site draws a new σ_y
/// from a caller-supplied renewal that sees the new state and is keyed by (global site id, index
/// of the site's draw), so the sequence does not depend on the number of MPI ranks.

#include "continuum/deferred_far_field.h"
#include "continuum/elastic_backend.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

namespace cryocycle::continuum
{
  /// A new local yield stress (GPa) for a site in structural state `state` (0 relaxed .. 1
  /// rejuvenated); `draw_index` counts the site's draws (0-based) and keys its random stream.
  using YieldStressRenewal =
    std::function<double(std::uint64_t global_site_id, std::uint64_t draw_index, double state)>;

  struct EventRule
  {
    /// Equivalent strain ε0 of one shear transformation (dimensionless; typically ~0.05–0.1 of
    /// the ST zone).
    double equivalent_strain = 0.05;
    /// Fraction f of a site's volume that one ST shears (ST zone volume / site volume); the
    /// site's eigenstrain increment is f ε0.
    double site_volume_fraction = 1.0;
    /// η_ST: fraction of the way to the rejuvenated state (s = 1) one ST takes a site.
    double rejuvenation_per_event = 0.0;
    /// A site counts as unstable when σ_eq >= σ_y (1 − trigger_tolerance): the triggering root
    /// is exact only to round-off.
    double trigger_tolerance = 1e-9;
    /// An avalanche that needs more sweeps than this is an error: typically a shear strain so
    /// large that a site's own stress drop, about 2G f ε0, overshoots its yield stress and the
    /// site flips back and forth (keep 2G f ε0 well below σ_y).
    std::size_t max_sweeps = 10000;
    /// Ramps on a back-end with point responses defer the far field of their events
    /// (deferred_far_field.h): the same events, O(1) instead of O(N) work per event for most
    /// sites.
    DeferredFarFieldSettings deferred_far_field;
  };

  /// What a ramp (or an avalanche) did, summed over all ranks.
  struct EventStatistics
  {
    std::uint64_t events = 0;      ///< site flips
    std::uint64_t avalanches = 0;  ///< avalanches with at least one flip
    std::uint64_t sweeps = 0;      ///< re-solves
    double work_aJ = 0.0;          ///< Σ V ½(σ_before + σ_after) : Δε*, released elastic energy
    /// The part of work_aJ done against the eigenstrain (residual) stress alone,
    /// Σ V ½(R_before + R_after) : Δε* (aJ): the elastic energy at ΔT = 0 falls by exactly this,
    /// while work_aJ − residual_work_aJ = Σ V ΔT S_T : Δε* is done against the thermal stress.
    double residual_work_aJ = 0.0;

    EventStatistics &operator+=(const EventStatistics &other);
  };

  /// What a checkpoint keeps of a set of sites to continue a run bit-identically: everything
  /// the engine changes (the back-end's stresses follow from the eigenstrains by a re-solve).
  /// Parallel arrays, one entry per site.
  struct SiteStates
  {
    std::vector<std::uint64_t> global_id;
    std::vector<SymmetricTensor6> eigenstrain;  ///< ε* (tensor components)
    std::vector<double> yield_stress_GPa;       ///< σ_y
    std::vector<double> structural_state;       ///< s in [0, 1]
    std::vector<std::uint64_t> draws;           ///< σ_y draws so far (keys the next draw's stream)
    std::vector<std::uint64_t> events;          ///< ST events so far
    /// Further state of engines that keep more per site (a homogenised cell's pool of ranks,
    /// homogenised_event_engine.h): one record per site, or empty.
    std::vector<std::vector<double>> extra;

    std::size_t size() const { return global_id.size(); }
  };

  class AthermalEventEngine
  {
  public:
    /// @param initial_yield_stress_GPa σ_y of every local site (positive)
    /// @param initial_state structural state s in [0, 1] of every local site
    AthermalEventEngine(ElasticBackend &backend, std::vector<double> initial_yield_stress_GPa,
                        std::vector<double> initial_state, YieldStressRenewal renewal,
                        const EventRule &rule);

    /// Ramps the temperature change from `from_K` to `to_K` (either direction), with every
    /// avalanche on the way; the sample is stable at `to_K` afterwards. Collective.
    EventStatistics ramp(double from_K, double to_K);
    /// Runs the avalanche at a fixed temperature change. Collective.
    EventStatistics avalanche(double temperature_change_K);
    /// Thermally activated STs: every local site with activated[i] != 0 and some shear stress
    /// transforms at ΔT (in the first sweep, with the unstable sites), then the avalanche runs on.
    /// Collective.
    EventStatistics activate(const std::vector<char> &activated, double temperature_change_K);

    /// Total stress per local site at ΔT (GPa).
    std::vector<SymmetricTensor6> stress_GPa(double temperature_change_K) const;
    /// max over all sites of σ_eq − σ_y at ΔT (GPa; negative when every site is stable). Collective.
    double largest_overload_GPa(double temperature_change_K) const;

    /// Applies thermal relaxation: site i relaxed `counts[i]` times, s → s (1 − η)^n, and draws a
    /// new σ_y where n > 0. Does not re-solve (relaxation changes no eigenstrain); call
    /// avalanche() afterwards for sites whose new σ_y lies below their stress.
    /// @returns the number of relaxation events on this rank.
    std::uint64_t relax(const std::vector<std::uint64_t> &counts, double relaxation_per_event);

    /// The state of this rank's sites (in local order).
    SiteStates save_state() const;
    /// Continues from saved states: every local site takes the entry with its global id
    /// (`states` may hold other ranks' sites too, e.g. all sites of a checkpoint, in any order;
    /// a missing site is an error). The back-end is given the saved eigenstrains and re-solved
    /// from scratch, so the engine is then exactly where the saving run was after its own
    /// resolve_from_scratch(). Collective.
    void restore_state(const SiteStates &states);
    /// The back-end's resolve_from_scratch(): after it the state depends on the site states
    /// alone (call it before saving a checkpoint). Collective.
    void resolve_from_scratch();

    const std::vector<double> &yield_stress_GPa() const { return yield_; }
    const std::vector<std::uint64_t> &event_count() const { return events_; }
    const std::vector<double> &structural_state() const { return state_; }
    const ElasticBackend &backend() const { return backend_; }
    /// The deferred search's bookkeeping, once a ramp has used it (statistics); else null.
    const DeferredFarField *deferred_far_field() const { return deferred_.get(); }

  private:
    EventStatistics run_avalanche(double temperature_change_K, const std::vector<char> *activated);
    /// The flips of a sweep on all ranks (`local` here); throws once an avalanche has more sweeps
    /// than the rule allows. Collective.
    std::uint64_t sweep_count(std::size_t local, std::size_t sweep, double temperature_change_K) const;
    /// An ST of local site i at total stress `stress`: its state, a new σ_y, its event count;
    /// returns Δε* (equivalent strain `strain`).
    SymmetricTensor6 flip(std::size_t i, const SymmetricTensor6 &stress, double strain);
    /// Books a sweep: its `count` flips (all ranks) and the work of the increments of the local
    /// `flipped` sites, W = Σ V ½(σ_before + σ_after) : Δε*, with σ_after from `residual_after`
    /// (per flipped site). Collective.
    void book_sweep(double temperature_change_K, const std::vector<std::size_t> &flipped,
                    const std::vector<SymmetricTensor6> &before, const std::vector<SymmetricTensor6> &residual_after,
                    const std::vector<SymmetricTensor6> &increment, std::uint64_t count,
                    EventStatistics &statistics) const;
    /// ramp() after its first avalanche, with the far field of events deferred.
    EventStatistics ramp_deferred(double from_K, double to_K);
    /// The avalanche at the trigger `temperature_change_K` of ramp_deferred().
    EventStatistics deferred_avalanche(double temperature_change_K);
    /// Hands the eigenstrain increments since the last solve to the back-end (one solve) and
    /// gives the deferred bookkeeping its exact stresses (with `resume`: the ramp goes on).
    /// Collective.
    void solve_deferred(bool resume, double current_K, double end_K);

    ElasticBackend &backend_;
    std::vector<double> yield_;
    std::vector<std::uint64_t> events_;
    std::vector<double> state_;
    std::vector<std::uint64_t> draws_;
    YieldStressRenewal renewal_;
    EventRule rule_;
    // The deferred search (built on the first ramp that can use it).
    bool deferred_checked_ = false;
    std::unique_ptr<DeferredFarField> deferred_;
    std::vector<std::size_t> deferred_grid_index_;        ///< grid point of each local site
    std::vector<SymmetricTensor6> deferred_increment_;    ///< per local site, since the last solve
    std::vector<std::size_t> deferred_changed_;           ///< local sites with an increment
  };
} // namespace cryocycle::continuum
