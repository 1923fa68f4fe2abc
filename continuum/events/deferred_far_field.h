#pragma once
/// @file
/// The event search of EventEngine::ramp (event_engine.h) with the far field of events deferred,
/// for a back-end with unit point responses (a periodic grid of uniform moduli, one site per
/// point).
///
/// Why. Every ST event changes the stress of every site (the Eshelby field falls off as r⁻³,
/// never to zero), so an engine that updates all N stresses per event costs O(N) per event and,
/// with events ∝ N, O(N²) per cycle: hours for a 64³ RVE at avalanche densities. Yet the next
/// trigger needs exact stresses only at the sites that could trigger next.
///
/// How. Each event is applied at once, exactly, to the sites within a Chebyshev distance
/// `near_radius` of it. Its effect on the other sites is deferred: their stress is known up to a
/// bound, β |Δε*|, where β is the largest von Mises stress per unit |Δε*| (Euclidean norm of the
/// Voigt entries of a deviatoric Δε*: the largest singular value of the response) at any
/// separation of the two
/// blocks (cubes of `block_edge` sites) that hold site and event, given the event's position in
/// its block, beyond the near zone. A block
/// sums these bounds, C_b. A site stores when its stress was last made exact (the block's C_b
/// then, and how far into the event log), so its deferred error is at most C_b − c_i; a change
/// applied to it exactly but not yet searched adds its own von Mises size to that error.
///
/// The search needs, per site, a lower bound on when it can reach its threshold with an error of
/// at most B. σ_eq along a ramp is the norm of an affine function of ΔT, so it is convex, and
/// below the chord from the present point (σ_eq − σ_y = f₀ < 0) to its first root t_q: the site
/// cannot reach σ_eq + B = σ_y before t_q − B (t_q − t₀)/|f₀|. The key of a site is therefore
/// linear in its block's C_b, key_i = A_i − C_b s_i, and a block bounds all its sites by
/// min A − C_b max s, updated in O(1) per event and block. The next trigger is found by bringing
/// to date (applying the deferred events exactly, 36 multiply-adds per event) only the sites
/// whose key lies before the best exact trigger found so far, in blocks visited by rising bound.
/// The result is the exact first trigger of the eager search; the stresses differ from the
/// eager ones by summation order only (round-off). The keys use σ_y (1 − 2 tol) with the
/// engine's trigger tolerance, so every site the eager avalanche would flip within its
/// tolerance is brought to date too.
///
/// After `events_between_solves` events the engine solves the whole field once (the back-end's
/// add_eigenstrain of all changed sites: one FFT solve) and restarts the bookkeeping from exact
/// stresses (O(N) keys); so errors cannot pile up, bringing a site to date never applies more
/// than that many events, and a solve costs O(N log N) for many events.
///
/// Coordinates: u = d ΔT with d = ±1 the ramp direction, so that "earlier" is "smaller u".

#include "continuum/events/elastic_backend.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace cryocycle::continuum
{
  struct DeferredFarFieldSettings
  {
    /// Use the deferred search wherever the back-end offers point responses.
    bool enabled = true;
    /// Sites per block edge (the largest divisor of the grid count per axis not above it).
    std::size_t block_edge = 4;
    /// Events change the stress of sites within this Chebyshev distance (sites) at once.
    std::size_t near_radius = 4;
    /// A whole-field solve after this many events (and at the end of every ramp); 0: automatic,
    /// N/2048 for N sites but at least 32.
    std::size_t events_between_solves = 0;
  };

  class DeferredFarField
  {
  public:
    /// @param thermal_per_K_GPa S_T of every local site (kept by reference: the back-end's)
    /// @param yield_GPa σ_y of every local site (kept by reference: the engine's)
    DeferredFarField(const PointResponseView &view, const std::vector<SymmetricTensor6> &thermal_per_K_GPa,
                     const std::vector<double> &yield_GPa, const DeferredFarFieldSettings &settings,
                     double trigger_tolerance);

    /// Starts (or restarts after a solve) a ramp from `current_K` to `end_K` with the exact
    /// eigenstrain stresses of the local sites.
    void start(const std::vector<SymmetricTensor6> &residual_GPa, double current_K, double end_K);
    /// The ramp has advanced to `current_K` (keys computed later start from there).
    void advance(double current_K);
    /// The first ΔT in [current, end] at which a local site reaches σ_y (the root of
    /// first_yield_temperature_change, as the eager search finds it), or none.
    std::optional<double> next_trigger();
    /// The local sites with σ_eq >= σ_y (1 − tol) at `temperature_change_K` (the current one),
    /// in ascending order; their stresses are then exact.
    void unstable_sites(double temperature_change_K, std::vector<std::size_t> &sites);
    /// The exact eigenstrain stress of a local site (brought to date first). Its value depends
    /// on the events alone, not on when the site was searched: the solved stress plus the far
    /// events in their order, plus the near events in their order — so results do not depend
    /// on how the sites are split between MPI ranks.
    SymmetricTensor6 exact_residual(std::size_t site);
    /// Records events (grid point, eigenstrain increment), the same list in the same order on
    /// every rank: near sites change at once, the rest later.
    void add_events(const std::vector<std::size_t> &grid_points, const std::vector<SymmetricTensor6> &increments);
    /// Events recorded since the last start().
    std::size_t pending_events() const { return log_.size(); }
    /// Whether the engine should solve the whole field and start() again now.
    bool solve_due() const { return log_.size() >= events_between_solves_; }
    /// Sites brought to date since construction (statistics).
    std::uint64_t refreshed_sites() const { return refreshed_; }
    /// Deferred event applications done since construction (statistics).
    std::uint64_t deferred_applications() const { return applications_; }

  private:
    struct Event
    {
      std::array<std::size_t, 3> position;
      std::size_t block;
      SymmetricTensor6 increment;
      double norm;
    };
    enum class ScanMode
    {
      trigger,
      unstable
    };

    std::size_t flat(const std::array<std::size_t, 3> &p) const { return p[0] + n_[0] * (p[1] + n_[1] * p[2]); }
    bool near(const std::array<std::size_t, 3> &a, const std::array<std::size_t, 3> &b) const;
    /// Δσ at point `to` of `increment` at point `from`.
    SymmetricTensor6 response(const std::array<std::size_t, 3> &to, const std::array<std::size_t, 3> &from,
                              const SymmetricTensor6 &increment) const;
    bool exact(std::size_t site) const { return epoch_[site] == block_epoch_[block_of_[site]]; }
    /// The solved stress with the far events applied so far, plus the near events.
    SymmetricTensor6 known_residual(std::size_t site) const
    {
      SymmetricTensor6 r;
      for (std::size_t c = 0; c < 6; ++c)
        r[c] = residual_[site][c] + near_[site][c];
      return r;
    }
    /// Key, slope and first root of site i from its present residual (its base c_i kept).
    void compute_key(std::size_t site);
    /// Applies the deferred events to site i; it is then exact.
    void refresh(std::size_t site);
    void merge_exact_part(std::size_t block);
    void add_to_exact_part(std::size_t block, std::size_t site);
    double trigger_bound(std::size_t block);
    double unstable_bound(std::size_t block);
    /// Visits a block: brings to date its sites with key <= threshold and rebuilds its bounds.
    void scan(std::size_t block, double threshold, ScanMode mode, double temperature_change_K,
              std::vector<std::size_t> *unstable);

    const std::vector<SymmetricTensor6> &thermal_;
    const std::vector<double> &yield_;
    DeferredFarFieldSettings settings_;
    double tolerance_;
    std::size_t events_between_solves_ = 32;
    const std::array<double, 36> *responses_;
    std::array<std::size_t, 3> n_{}, edge_{}, blocks_{}, radius_{};
    std::size_t block_total_ = 0;
    std::array<std::size_t, 2> local_z_blocks_{};  ///< z-layers of blocks with local sites
    std::array<std::size_t, 2> local_blocks_{};    ///< their flat block range
    // Geometry per local site and per block.
    std::vector<std::array<std::size_t, 3>> position_;
    std::vector<std::size_t> block_of_;
    std::vector<std::size_t> block_start_, block_sites_;  ///< local sites of each block (CSR)
    std::vector<std::int64_t> local_of_point_;            ///< grid point → local site or −1
    std::vector<double> beta_;  ///< [event position in its block][block offset] (GPa per unit |Δε*|)
    // Ramp.
    double direction_ = -1.0;
    double current_K_ = 0.0, end_K_ = 0.0;
    // Per site.
    std::vector<SymmetricTensor6> thermal_deviator_;  ///< dev S_T
    std::vector<double> thermal_square_;              ///< 3/2 dev S_T : dev S_T
    std::vector<SymmetricTensor6> residual_;  ///< the solved stress plus the far events applied
    std::vector<SymmetricTensor6> near_;      ///< the near events, in their order
    std::vector<double> key_base_;   ///< A_i = q_i + c_i s_i
    std::vector<double> slope_;      ///< s_i
    std::vector<double> base_;       ///< c_i
    std::vector<double> early_u_;    ///< q_i: first u at which σ_eq can reach σ_y (1 − 2 tol)
    std::vector<double> root_u_;     ///< exact sites: u of the first root at σ_y (+∞: none)
    std::vector<double> root_K_;     ///< the same as ΔT
    std::vector<std::uint32_t> applied_;  ///< events of the log applied to the site
    std::vector<std::uint64_t> epoch_;
    // Per block.
    std::vector<double> bound_;      ///< C_b
    std::vector<std::uint64_t> block_epoch_, exact_epoch_;
    std::vector<double> stale_min_a_, stale_max_s_;
    std::vector<double> exact_min_a_, exact_max_s_, exact_min_root_, exact_min_early_;
    std::vector<Event> log_;
    std::uint64_t refreshed_ = 0, applications_ = 0;
    std::vector<std::pair<double, std::size_t>> order_;  ///< scratch
  };
} // namespace cryocycle::continuum
