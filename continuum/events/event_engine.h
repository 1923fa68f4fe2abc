#pragma once
/// @file
/// The shear-transformation (ST) event engine of both resolutions (docs/design.md "two resolutions,
/// one engine"; Shang et al. (2018) §IV–V), written once against ElasticBackend (the elastic problem) and
/// SitePopulation (what a site or cell is: explicit sites, athermal_event_engine.h, or
/// homogenised cells, homogenised_event_engine.h).
///
/// The stress of local site i is linear in a load parameter x between events,
///   σ_i(x) = B_i + x D_i + R_i(ε*),
/// (uniform temperature: B = 0, D = S_T the thermal stress per kelvin, x = ΔT; a non-uniform
/// temperature field, e.g. from heat conduction: B and B + D the load stresses at the start and
/// end of a time step, x in [0, 1]). Along a path the engine
///  1. finds, over all sites and ranks, the first x where some site's σ_eq reaches its trigger
///     stress — exactly, as the root of a quadratic (first_yield_temperature_change), not by
///     small steps;
///  2. runs the avalanche there: every site with σ_eq >= trigger (1 − tolerance) transforms a
///     fraction m/n of itself (1 for an explicit site) and adds
///     Δε* = (m/n) f ε0 (3/2) dev σ/σ_eq (f the ST volume fraction of a site); all unstable sites
///     of a sweep transform together and the back-end re-solves once per sweep, until no site is
///     above its trigger;
///  3. continues along the path.
/// Events are counted in ST sites (an explicit site's flip is one; a cell's m sites are m). The
/// work of every sweep is booked: W = Σ V ½(σ_before + σ_after) : Δε* is exactly the elastic
/// energy the sweep releases (linear elasticity), and is what the sites store or dissipate.
///
/// Three searches, one event sequence:
///  - eager: every site's stress is exact after every sweep (any back-end, any path);
///  - deferred far field (deferred_far_field.h): on a back-end with point responses and a
///    uniform-temperature ramp, the far field of events is applied lazily — the same triggers;
///  - collected increments: for sites with a site thermal-mismatch stress
///    (SitePopulation::collects_increments), whose increments are small and are applied together
///    once the largest reaches a tolerance; between applications the stresses do not change, so
///    only the sites that transformed get new triggers (a heap of next triggers).

#include "continuum/events/deferred_far_field.h"
#include "continuum/events/elastic_backend.h"
#include "core/config_schema.h"
#include "core/config_values.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace cryocycle::continuum
{
  /// The athermal shear-transformation rule of the engine. The member defaults are the config
  /// defaults (declare() takes them from here).
  struct EventRule
  {
    /// Equivalent strain ε0 of one shear transformation (dimensionless; typically ~0.05–0.1 of
    /// the ST zone).
    double equivalent_strain = 0.002;
    /// Fraction f of a site's volume that one ST shears (ST zone volume / site volume); the
    /// site's eigenstrain increment is f ε0.
    double site_volume_fraction = 1.0;
    /// η_ST: fraction of the way to the rejuvenated state (s = 1) one ST takes a site.
    double rejuvenation_per_event = 0.3;
    /// A site counts as unstable when σ_eq >= trigger (1 − trigger_tolerance): the triggering
    /// root is exact only to round-off.
    double trigger_tolerance = 1e-9;
    /// An avalanche that needs more sweeps than this is an error: typically a shear strain so
    /// large that a site's own stress drop, about 2G f ε0, overshoots its yield stress and the
    /// site flips back and forth (keep 2G f ε0 well below σ_y).
    std::size_t max_sweeps = 10000;
    /// Ramps on a back-end with point responses defer the far field of their events
    /// (deferred_far_field.h): the same events, O(1) instead of O(N) work per event for most
    /// sites.
    DeferredFarFieldSettings deferred_far_field;

    /// Declares equivalent_strain, site_volume_fraction and rejuvenation_per_event in `section`
    /// (continuum.cycles) with the member defaults above, so each default exists once.
    static void declare(core::ConfigSection &section);
    /// The rule with the keys of declare() read from the values of that section.
    static EventRule parse(const core::ConfigValues &section);
  };

  /// What a ramp (or an avalanche) did, summed over all ranks.
  struct EventStatistics
  {
    std::uint64_t events = 0;      ///< ST sites transformed (repeats included)
    std::uint64_t avalanches = 0;  ///< avalanches with at least one transformation
    std::uint64_t sweeps = 0;      ///< sweeps with transformations
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
    std::vector<double> yield_stress_GPa;       ///< σ_y (a cell: its last trigger stress)
    std::vector<double> structural_state;       ///< s in [0, 1]
    std::vector<std::uint64_t> draws;           ///< σ_y draws so far (keys the next draw's stream)
    std::vector<std::uint64_t> events;          ///< ST events so far
    /// Further state of populations that keep more per site (a homogenised cell's pool of
    /// ranks, homogenised_event_engine.h): one record per site, or empty.
    std::vector<std::vector<double>> extra;

    std::size_t size() const { return global_id.size(); }
  };

  /// What one transformation of a site did.
  struct Transformation
  {
    double strain_fraction = 1.0;  ///< m/n: the site's eigenstrain increment is m/n f ε0
    double sites = 1.0;            ///< m: ST sites transformed
  };

  /// What a site of the engine is: its trigger stress and what a transformation does to it.
  /// Local site i of the population is local site i of the back-end.
  class SitePopulation
  {
  public:
    virtual ~SitePopulation() = default;

    virtual std::size_t size() const = 0;
    /// σ_eq (GPa) at which local site i transforms next; it changes only when the site
    /// transforms, relaxes or is restored (and, with collects_increments(), with the site's
    /// mismatch scale; it may then be computed on first use).
    virtual double trigger_stress_GPa(std::size_t i) const = 0;
    /// Whether site i transforms at σ_eq: σ_eq >= trigger (1 − tolerance) and σ_eq > 0.
    virtual bool yields_at(std::size_t i, double von_mises_GPa, double tolerance) const;
    /// False only if site i cannot transform at any σ_eq <= upper (a cheap screen).
    virtual bool may_yield_below(std::size_t i, double upper_GPa) const;
    /// Site i transforms at σ_eq (>= about its trigger): its state moves, it draws a new
    /// trigger; `rejuvenation` is η_ST.
    virtual Transformation transform(std::size_t i, double von_mises_GPa, double rejuvenation) = 0;
    /// Stress-assisted STs: `sites` (> 0) ST sites of site i transform by thermal activation
    /// at σ_eq below its trigger (an explicit site: transform()).
    virtual Transformation activate(std::size_t i, double von_mises_GPa, double sites, double rejuvenation) = 0;
    /// Sites with a site thermal-mismatch stress: increments are collected (see the file
    /// comment) and Δε* is divided by σ_eq + driving_offset_GPa(i) instead of σ_eq.
    virtual bool collects_increments() const { return false; }
    virtual double driving_offset_GPa(std::size_t /*i*/) const { return 0.0; }
    /// Appends site i's state (all of SiteStates but global_id and eigenstrain).
    virtual void save(std::size_t i, SiteStates &states) const = 0;
    /// Throws std::invalid_argument if `states` lacks this population's arrays.
    virtual void check_saved(const SiteStates &states) const = 0;
    /// Site i takes entry k of `states`; returns what is wrong with it, or "".
    virtual std::string restore(std::size_t i, const SiteStates &states, std::size_t k) = 0;
  };

  class EventEngine
  {
  public:
    /// `rule` gives ε0, f, η_ST, the trigger tolerance, the sweep limit and the deferred search.
    /// `strain_tolerance`: with collects_increments(), collected increments are applied once the
    /// largest equivalent strain among them reaches it (and at every resolve_from_scratch()).
    EventEngine(ElasticBackend &backend, std::unique_ptr<SitePopulation> population, const EventRule &rule,
                double strain_tolerance = 1e-6);
    virtual ~EventEngine();
    EventEngine(const EventEngine &) = delete;
    EventEngine &operator=(const EventEngine &) = delete;

    /// Uniform temperature: ramps ΔT from `from_K` to `to_K` (either direction) with every
    /// avalanche on the way; the sample is stable at `to_K` afterwards. Collective.
    EventStatistics ramp(double from_K, double to_K);
    /// Non-uniform temperature: the load stress of every local site goes linearly from
    /// `load_before` to `load_after` (GPa; e.g. HeatConductionLoad::load_stress_GPa at the two
    /// ends of a time step), with every avalanche on the way. Collective.
    EventStatistics ramp_load(const std::vector<SymmetricTensor6> &load_before,
                              const std::vector<SymmetricTensor6> &load_after);
    /// The avalanche at a fixed uniform ΔT / at a fixed load stress. Collective.
    EventStatistics avalanche(double temperature_change_K);
    EventStatistics avalanche_at_load(const std::vector<SymmetricTensor6> &load);
    /// Stress-assisted STs: `sites[i]` ST sites of local site i transform
    /// (SitePopulation::activate; 0: none) at the uniform ΔT / under the load stress, in the
    /// first sweep with the sites that yield there (a site that yields transforms instead), then
    /// the avalanche they cause. Collective.
    EventStatistics activate(const std::vector<double> &sites, double temperature_change_K);
    EventStatistics activate_at_load(const std::vector<double> &sites, const std::vector<SymmetricTensor6> &load);

    /// Total stress per local site at ΔT, or under a load stress (GPa).
    std::vector<SymmetricTensor6> stress_GPa(double temperature_change_K) const;
    std::vector<SymmetricTensor6> stress_under_load_GPa(const std::vector<SymmetricTensor6> &load) const;
    /// max over all sites of σ_eq − trigger stress at ΔT (GPa; negative when every site is
    /// stable). Collective.
    double largest_overload_GPa(double temperature_change_K) const;

    /// The state of this rank's sites (in local order); collected increments are included in ε*.
    SiteStates save_state() const;
    /// Continues from saved states: every local site takes the entry with its global id
    /// (`states` may hold other ranks' sites too, in any order; a missing or invalid site is an
    /// error on every rank). The back-end is given the saved eigenstrains and re-solved from
    /// scratch, so the engine is then exactly where the saving run was after its own
    /// resolve_from_scratch(). Collective.
    void restore_state(const SiteStates &states);
    /// Applies the collected increments now, the sites under `load` (nullptr: the uniform
    /// thermal stress at temperature change dT), and returns the work they did (no events: they
    /// were counted when the sites transformed). Call it before resolve_from_scratch() to book
    /// that work. Collective.
    EventStatistics flush(const std::vector<SymmetricTensor6> *load, double dT);
    /// Applies the collected increments, then the back-end's resolve_from_scratch(): after it
    /// the state depends on the site states alone (call it before saving a checkpoint).
    /// Collective.
    void resolve_from_scratch();

    const ElasticBackend &backend() const { return backend_; }
    /// The deferred search's bookkeeping, once a ramp has used it (statistics); else null.
    const DeferredFarField *deferred_far_field() const { return deferred_.get(); }

  protected:
    const SitePopulation &population() const { return *population_; }
    SitePopulation &population() { return *population_; }
    /// Re-reads every site's trigger after the population changed outside the engine
    /// (relaxation, a new mismatch scale).
    void refresh_triggers();

  private:
    /// A load path σ = (base or 0) + x rate + R: the uniform-temperature ramp (no base, rate
    /// S_T, x = ΔT) or a load stress interpolated over a time step.
    struct Path
    {
      const std::vector<SymmetricTensor6> *base;
      const std::vector<SymmetricTensor6> *rate;
      bool uniform;
      /// "ΔT = x K" or "load parameter x", for messages.
      std::string where(double x) const;
    };
    /// σ = (base or 0) + x rate + R for local site i.
    SymmetricTensor6 path_stress(const Path &path, double x, std::size_t i) const;
    std::vector<SymmetricTensor6> path_stresses(const Path &path, double x) const;
    EventStatistics path_ramp(const Path &path, double from, double to);
    /// The eager avalanche at x; `activated` (per site, ST sites) joins the first sweep.
    EventStatistics path_avalanche(const Path &path, double x, const std::vector<double> *activated);
    /// Site i transforms (or is activated by `activated_sites` > 0) at `stress`: its trigger is
    /// re-read, the increment returned (equivalent strain m/n f ε0 σ_eq/(σ_eq + offset)).
    SymmetricTensor6 transform(std::size_t i, const SymmetricTensor6 &stress, double von_mises, bool yields,
                               double activated_sites, double &sites);
    /// The flips of a sweep on all ranks (`local` ST sites here), throwing once an avalanche
    /// has more sweeps than the rule allows; returns {sites, sites transforming on any rank}.
    std::pair<double, bool> sweep_total(double local_sites, bool any_local, std::size_t sweep,
                                        const std::string &where) const;
    /// The path stresses of `sites` at x.
    std::vector<SymmetricTensor6> stresses_at(const Path &path, double x, const std::vector<std::size_t> &sites) const;
    /// Books W = Σ V ½(σ_before + σ_after) : Δε* of `increments` at `sites` (σ_before and σ_after
    /// per entry) and the same against the residual stress alone. Collective.
    void book_work(const Path &path, double x, const std::vector<std::size_t> &sites,
                   const std::vector<SymmetricTensor6> &before, const std::vector<SymmetricTensor6> &after,
                   const std::vector<SymmetricTensor6> &increments, EventStatistics &statistics) const;

    // Deferred far field (uniform ramps on back-ends with point responses).
    EventStatistics ramp_deferred(double from_K, double to_K);
    EventStatistics deferred_avalanche(double temperature_change_K);
    void solve_deferred(bool resume, double current_K, double end_K);

    // Collected increments (SitePopulation::collects_increments).
    EventStatistics collecting_ramp(const Path &path, double from, double to);
    /// The avalanche at x examining `check` (all sites if null) in its first sweep and then the
    /// sites transformed in the previous sweep (all after an application of increments).
    /// `transformed` receives every site that transformed; `applied` whether increments were
    /// applied.
    EventStatistics collecting_avalanche(const Path &path, double x, const std::vector<std::size_t> *check,
                                         std::vector<std::size_t> &transformed, bool &applied,
                                         const std::vector<double> *activated);
    /// Applies the collected increments (if any on any rank) in one update, booking their work.
    void apply_collected(const Path &path, double x, EventStatistics &statistics);

    ElasticBackend &backend_;
    std::unique_ptr<SitePopulation> population_;
    EventRule rule_;
    std::vector<double> trigger_;  ///< trigger stress per local site (not with collected increments)
    std::vector<SymmetricTensor6> zero_rate_;
    // The deferred search (built on the first ramp that can use it).
    bool deferred_checked_ = false;
    std::unique_ptr<DeferredFarField> deferred_;
    std::vector<std::size_t> deferred_grid_index_;      ///< grid point of each local site
    std::vector<SymmetricTensor6> deferred_increment_;  ///< per local site, since the last solve
    std::vector<std::size_t> deferred_changed_;         ///< local sites with an increment
    // Collected increments.
    double strain_tolerance_ = 1e-6;
    std::vector<SymmetricTensor6> collected_;
  };
} // namespace cryocycle::continuum
