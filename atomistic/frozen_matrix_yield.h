#pragma once
/// @file
/// Frozen-matrix local yield stress (Shang et al. 2018 §IV, after Patinet, Vandembroucq and Falk, PRL 117,
/// 045501 (2016)). At each site a sphere of radius r_c (Shang et al. 2018: r_c = 2σ_cg, 10 Å) is relaxed
/// by energy minimisation while every atom outside it follows an imposed affine deformation and
/// is otherwise frozen. The strain grows in steps along each loading mode until the stress of
/// the sphere drops (a local plastic rearrangement); the step holding the first drop is bisected
/// (restarting each time from the last stable configuration) until the drop is located to a
/// stated strain precision. Per mode: the von Mises stress of the sphere just before the drop,
/// the strain there and the size of the drop. Per site: σ_y = the minimum over the modes.
///
/// The sphere's stress is the sum of the per-atom virial stresses of its atoms over its volume
/// (atom count × the sample's mean atomic volume × det F). Kinetic terms are absent (T = 0).
///
/// Two ways of running, with the same physics (tests compare them):
/// - whole box (`carve = false`): one site at a time in the periodic sample; the box deforms
///   with the imposed strain. The plain method, kept as the reference and the baseline.
/// - carved batches (`carve = true`): each site's sphere plus a frozen shell as thick as the
///   interaction range (twice it for many-body potentials) is copied out of the sample; many
///   such clusters sit side by side, far apart, in one non-periodic box and are minimised
///   together, each at its own strain, mode and bisection state.
/// Pairs whose forces never reach a relaxed atom can be left out of the neighbour lists, in
/// either way of running: for pair potentials every pair of two frozen atoms; for many-body
/// (EAM) potentials every pair of two atoms that both lie beyond the reach r_c + cut-off / λ_min
/// of the site centre (λ_min: the smallest principal stretch of any loading mode up to the
/// largest strain). Such an atom is farther than a cut-off from every relaxed atom, so its
/// embedding density enters only forces on frozen atoms and the energy as a constant; the
/// relaxed atoms see the same forces with or without those pairs.

#include "atomistic/frozen_matrix_cluster.h"
#include "atomistic/frozen_matrix_loading.h"
#include "atomistic/lammps_session.h"
#include "atomistic/potential.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace cryocycle::atomistic
{
  class EamTables;

  /// Who minimises a carved cluster.
  enum class ClusterRelaxer
  {
    automatic,       ///< frozen_density for carved clusters of eam/fs and eam/alloy, else lammps
    lammps,          ///< LAMMPS `minimize` (conjugate gradients) on the whole cluster
    frozen_density,  ///< in-house (frozen_density_relaxer.h); carved EAM clusters only
  };

  /// Settings in the potential's native units.
  struct FrozenMatrixSettings
  {
    /// Radius r_c of the relaxed sphere.
    double inner_radius = 0.0;
    /// Thickness of the frozen shell of a carved cluster; default: interaction_range()'s
    /// required_shell() (cut-off, twice it for many-body potentials).
    std::optional<double> shell_thickness;
    /// Loading modes (default: the six simple shears ±xy, ±xz, ±yz).
    std::vector<LoadingMode> modes = simple_shear_modes();
    YieldSearchSettings search;
    /// Minimiser stop: 2-norm of the force vector of the relaxed atoms (native force). In a
    /// batch the norm runs over all clusters, so each cluster is relaxed at least as tightly.
    double force_tolerance = 1.0e-6;
    int max_iterations = 20000;
    bool carve = true;
    /// Largest number of sites minimised together when carving. With LAMMPS relaxing, the
    /// clusters of a batch share the conjugate-gradient line searches, so every minimisation runs until the slowest
    /// cluster has converged: on LJ r_c = 10 Å clusters (~950 atoms) a batch of 8 cost 2.5× the
    /// minimiser work per site of one cluster at a time (bench/RESULTS.md). Batches pay off only
    /// where LAMMPS's per-minimisation overhead dominates (small clusters).
    std::size_t sites_per_batch = 1;
    /// Leave out of the neighbour lists the pairs whose forces never reach a relaxed atom (pair
    /// potentials: frozen–frozen pairs; many-body potentials: pairs of two atoms beyond
    /// far_radius()). Same results; the plain method is `false`.
    bool exclude_frozen_pairs = true;
    /// Who minimises carved clusters. In-house, the clusters of a batch are relaxed one by one
    /// (none waits for another) and shared round-robin among the MPI ranks, so a batch of at
    /// least as many sites as ranks keeps every rank busy.
    ClusterRelaxer relaxer = ClusterRelaxer::automatic;
    /// Random displacement, uniform in [−a, a]³, given to every relaxed atom before each
    /// minimisation (native length). A perfect crystal under affine load has zero forces by
    /// symmetry and would stay on its unstable branch; the kick lets the minimiser leave it as
    /// soon as it turns unstable. Streams keyed by (seed, site, mode, minimisation), so a site
    /// gets the same kicks alone or in a batch.
    double kick_amplitude = 0.0;
    std::uint64_t seed = 1;
  };

  /// Result of one loading mode at one site (native units).
  struct ModeYield
  {
    bool yielded = false;
    YieldKind kind = YieldKind::none;
    /// Strain γ of the yield point (YieldStrainSearch::yield_point(): just before a drop, to the
    /// search precision; the maximum of a smooth peak), or the largest strain reached.
    double strain = 0.0;
    /// Stress tensor of the sphere at that configuration.
    SymmetricTensor6 stress{};
    double von_mises = 0.0;
    /// Strain and resolved stress τ = σ:e after the fall (equal to the yield point's without one).
    double strain_after = 0.0;
    /// Resolved stress τ = σ:e at the yield point and after the fall.
    double resolved = 0.0, resolved_after = 0.0;
    double von_mises_after = 0.0;
    /// Highest von Mises stress on the stable branch.
    double max_von_mises = 0.0;
    std::size_t minimisations = 0;
    /// Resolved stress drop τ_before − τ_after (0 without a drop).
    double resolved_drop() const { return yielded ? resolved - resolved_after : 0.0; }
  };

  /// Result of one site.
  struct SiteYield
  {
    Vector3 centre{};            ///< in the sample (native length)
    std::size_t inner_atoms = 0;
    double inner_volume = 0.0;   ///< unstrained, native length³
    std::vector<ModeYield> modes;
    std::size_t modes_yielded() const;
    /// Whether any mode yielded.
    bool yielded() const { return modes_yielded() > 0; }
    /// Index of the yielded mode with the lowest von Mises stress; throws std::logic_error when
    /// no mode yielded.
    std::size_t weakest_mode() const;
    /// σ_y = von Mises stress before the drop of the weakest mode.
    double yield_stress() const { return modes.at(weakest_mode()).von_mises; }
  };

  /// Cost figures of the last measure() call.
  struct FrozenMatrixStatistics
  {
    double wall_seconds = 0.0;
    std::size_t batches = 0;
    /// LAMMPS minimisations (each relaxes every active cluster of a batch once).
    std::size_t minimisations = 0;
    /// Sum over the minimisations of the atoms in the system (a measure of the force work).
    double atom_minimisations = 0.0;
    /// Energy and force evaluations (in-house relaxer only; LAMMPS does not report them).
    double evaluations = 0.0;
    /// In-house minimisations that stopped above the force tolerance (the line search made no
    /// more progress, or the iteration limit); their configurations are used as they are, as
    /// LAMMPS's would be.
    std::size_t unconverged = 0;
    /// Minimiser iterations in total, and summed with the atoms of the system (the force work).
    double iterations = 0.0, atom_iterations = 0.0;
    /// Largest and mean atom count of a carved cluster (whole box: the sample's).
    std::size_t max_cluster_atoms = 0;
    double mean_cluster_atoms = 0.0;
    /// Mean over the sites of the atoms beyond far_radius() whose mutual pairs were left out
    /// (many-body potentials with exclude_frozen_pairs; otherwise 0).
    double mean_far_atoms = 0.0;
  };

  class FrozenMatrixYieldTest
  {
  public:
    /// Checks the settings (std::invalid_argument naming the problem). `session` is cleared and
    /// rebuilt by measure().
    FrozenMatrixYieldTest(LammpsSession &session, PotentialModel potential, FrozenMatrixSettings settings);

    /// Called with (site-modes done, site-modes in total).
    using Progress = std::function<void(std::size_t, std::size_t)>;

    /// Called after every minimisation of a site with (site index, mode index, strain γ,
    /// resolved stress τ, von Mises stress), native units: the stress–strain curves, including
    /// the bisection points.
    using Trace = std::function<void(std::size_t, std::size_t, double, double, double)>;

    /// Measures every site of `sample`, which must be an energy minimum (an inherent structure)
    /// whose smallest width is at least required_width(). Same sample, sites and settings ⇒ same
    /// results, on any number of MPI ranks up to the minimiser's rounding.
    std::vector<SiteYield> measure(const AtomicConfiguration &sample, const std::vector<Vector3> &sites,
                                   const Progress &progress = {}, const Trace &trace = {});

    const FrozenMatrixStatistics &statistics() const { return statistics_; }
    const FrozenMatrixSettings &settings() const { return settings_; }
    /// Frozen shell thickness used when carving (native length).
    double shell_thickness() const { return shell_; }
    /// Many-body potentials: distance from the site centre beyond which atoms no longer reach a
    /// relaxed atom up to the largest strain, r_c + cut-off / λ_min (native length).
    double far_radius() const { return far_radius_; }
    /// Whether carved clusters are relaxed in-house (ClusterRelaxer::frozen_density in effect).
    bool relaxes_in_house() const { return static_cast<bool>(eam_); }
    /// Smallest sample width the test needs (native length): carved, 2 (r_c + shell), so that a
    /// cluster does not overlap its own periodic image; whole box, 2 r_c + shell, so that the
    /// relaxed sphere stays one interaction range (the shell) away from its image.
    double required_width() const { return required_width(settings_.carve); }
    /// The same for either way of running.
    double required_width(const bool carve) const
    {
      return carve ? 2.0 * (settings_.inner_radius + shell_) : 2.0 * settings_.inner_radius + shell_;
    }

  private:
    struct Slot;
    void run_batch(std::vector<Slot> &slots, std::vector<double> &positions, const SimulationBox &reference_box,
                   double atomic_volume, std::size_t total_site_modes, std::size_t &done, const Progress &progress);
    /// Clears the session and builds a system of these atoms in `box` (periodic: the sample's
    /// box; otherwise a region that holds every carved cluster).
    void build_system(const std::vector<int> &types, const std::vector<double> &positions, const SimulationBox &box,
                      bool periodic);
    void set_mobile_group(const std::vector<Slot> &slots);
    /// Relaxes the active slots' spheres at `positions` and returns the per-atom stress × volume
    /// (6 per atom, LAMMPS order, native units; only the spheres' atoms are filled).
    std::vector<double> relax(const std::vector<Slot> &slots, std::vector<double> &positions);
    std::vector<int> types_;  ///< LAMMPS types of the system's atoms (in-house relaxation)
    /// Many-body potentials with pair exclusion: puts the atoms with these indices (within
    /// far_radius() of a site) in group cc_near, all others in cc_far, whose mutual pairs are
    /// excluded; returns the number of far atoms. No-op (0) otherwise.
    std::size_t set_far_group(const std::vector<std::size_t> &near_atoms);
    bool excludes_far_pairs() const { return range_.many_body && settings_.exclude_frozen_pairs; }

    LammpsSession &session_;
    PotentialModel potential_;
    FrozenMatrixSettings settings_;
    InteractionRange range_;
    double shell_ = 0.0;
    double far_radius_ = 0.0;
    std::shared_ptr<const EamTables> eam_;  ///< set when clusters are relaxed in-house
    FrozenMatrixStatistics statistics_;
    Trace trace_;
  };
} // namespace cryocycle::atomistic
