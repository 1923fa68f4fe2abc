#pragma once
/// @file
/// The elastic back-end the shear-transformation event engine is written against: sites with a
/// fixed thermal stress per kelvin S_T and a stress caused by their eigenstrains, re-solved when
/// the eigenstrains change. Two implementations (docs/design.md):
///  - FiniteElementBackend: the deal.II model of thermoelastic_model.h — any geometry,
///    heterogeneous moduli, MPI; the matrix and its preconditioner or factorisation are kept
///    between re-solves;
///  - PeriodicFourierBackend: a periodic cube of uniform moduli solved with the exact periodic
///    Green's function (periodic_eigenstrain_solver.h) — one grid point per site, far cheaper.
/// Stresses in GPa, Voigt order xx, yy, zz, yz, xz, xy, tensor components.

#include "continuum/spectral/periodic_eigenstrain_solver.h"
#include "continuum/fe/thermoelastic_model.h"

#include <mpi.h>

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace cryocycle::continuum
{
  /// The unit point responses of a translation-invariant back-end: one site per point of a
  /// periodic grid, so the stress change at any site caused by an eigenstrain increment at any
  /// other is a table look-up and 36 multiply-adds. The event engine uses it to defer the far
  /// field of its events (event_engine.h).
  struct PointResponseView
  {
    std::array<std::size_t, 3> grid{};  ///< grid points per axis
    /// Per local site: its flat grid index i + n_x (j + n_y k).
    std::vector<std::size_t> grid_index;
    /// Per flat grid offset r: stress component c at offset r of a unit eigenstrain component k
    /// (Voigt slot, tensor component) as [6 k + c] (GPa). Null on a rank without sites.
    const std::array<double, 36> *responses = nullptr;
  };

  class ElasticBackend
  {
  public:
    virtual ~ElasticBackend() = default;
    /// "finite elements (...)" or "periodic Fourier".
    virtual std::string name() const = 0;
    virtual MPI_Comm communicator() const = 0;
    /// Sites owned by this rank (centre, rank-independent global id, volume).
    virtual const std::vector<SiteGeometry> &local_sites() const = 0;
    /// Thermal stress per kelvin of temperature change per local site (GPa/K); fixed.
    virtual const std::vector<SymmetricTensor6> &thermal_stress_per_K_GPa() const = 0;
    /// Replaces the eigenstrains of the local sites and re-solves. Collective.
    virtual void update_eigenstrain(const std::vector<SymmetricTensor6> &eigenstrain) = 0;
    /// Adds `increments[j]` to the eigenstrain of local site `sites[j]` (distinct indices) and
    /// re-solves: what an avalanche sweep does. Collective (a rank may pass no sites). The default
    /// forms the whole field and calls update_eigenstrain; a back-end may exploit that few sites
    /// changed.
    virtual void add_eigenstrain(const std::vector<std::size_t> &sites,
                                 const std::vector<SymmetricTensor6> &increments);
    virtual const std::vector<SymmetricTensor6> &eigenstrain() const = 0;
    /// Re-solves the response to the current eigenstrains from scratch: the whole right-hand
    /// side assembled anew and no earlier solution as initial guess, so that the stresses are a
    /// function of the eigenstrains alone — exactly what a back-end freshly built and given the
    /// same eigenstrains holds. A run that does this at every checkpoint continues
    /// bit-identically when restored from it. Collective.
    virtual void resolve_from_scratch() = 0;
    /// Stress caused by the eigenstrains per local site (GPa).
    virtual const std::vector<SymmetricTensor6> &eigenstrain_stress_GPa() const = 0;
    /// Elastic energy of the whole sample at temperature change ΔT (aJ). Collective.
    virtual double elastic_energy_aJ(double temperature_change_K) const = 0;
    /// Linear solves done so far (statistics).
    virtual std::size_t solve_count() const = 0;
    /// The unit point responses, for a back-end that has them and where add_eigenstrain() of
    /// many sites costs a few superposed sites (present or absent on every rank alike). The
    /// default: none.
    virtual std::optional<PointResponseView> point_responses() { return std::nullopt; }
  };

  /// When a back-end superposes point responses instead of solving (see PeriodicFourierBackend and
  /// FiniteElementBackend). The choice depends only on these numbers and on the sites that
  /// changed, never on timings, so a run is reproducible bit for bit.
  struct PointUpdatePolicy
  {
    /// Superpose when at most this many sites changed (0: always solve). One superposed site
    /// costs 36 multiply-adds per grid point, a solve 6 forward and 6 inverse FFTs plus the
    /// Green's operator; measured (bench_cycles resolve, CPU) one site costs 1/4.3, 1/3.3 and
    /// 1/3.2 of a solve at 16³, 32³ and 64³ (0.06, 0.6 and 6.3 ms).
    std::size_t max_sites = 4;
    /// A full solve after this many consecutive superpositions, so round-off of summed
    /// responses cannot accumulate (it stays ~1e-15 of the stress scale per update).
    std::size_t resynchronise_after = 1000;
    /// No superposition when the unit responses (288 bytes per site) would need more memory.
    std::size_t max_response_bytes = std::size_t{1} << 31U;
  };

  /// The deal.II model as a back-end. The model must have its α, K, G set; the back-end solves
  /// it once on construction (S_T) and after every eigenstrain update.
  ///
  /// Optional fast path (`policy.max_sites` > 0): a periodic cube of uniform moduli meshed with
  /// one site per cell of a regular grid is translation invariant, so the stress change caused by
  /// a few changed eigenstrains is the sum of shifted copies of six unit responses, computed
  /// once by eight cold solves (zero eigenstrain and a unit component at the site of grid index
  /// 0): O(sites) per update instead of a linear solve, on every rank for its own sites. The
  /// superposed stresses equal solved ones to the solver tolerance; full solves (many sites
  /// changed, a resynchronisation, resolve_from_scratch) are then always cold, so the stresses are
  /// a function of the eigenstrains and the update sequence alone. The model's own solution
  /// lags behind superpositions: elastic_energy_aJ() solves it first when needed. Refused
  /// (std::invalid_argument) for any other sample. Default: always solve.
  class FiniteElementBackend final : public ElasticBackend
  {
  public:
    FiniteElementBackend(ThermoelasticModel &model, MPI_Comm communicator,
                         const PointUpdatePolicy &policy = PointUpdatePolicy{0});
    std::string name() const override;
    MPI_Comm communicator() const override { return communicator_; }
    const std::vector<SiteGeometry> &local_sites() const override { return model_.local_sites(); }
    const std::vector<SymmetricTensor6> &thermal_stress_per_K_GPa() const override;
    void update_eigenstrain(const std::vector<SymmetricTensor6> &eigenstrain) override;
    void add_eigenstrain(const std::vector<std::size_t> &sites,
                         const std::vector<SymmetricTensor6> &increments) override;
    const std::vector<SymmetricTensor6> &eigenstrain() const override
    {
      return point_updates_enabled() ? eigenstrain_ : model_.eigenstrain();
    }
    void resolve_from_scratch() override;
    const std::vector<SymmetricTensor6> &eigenstrain_stress_GPa() const override;
    double elastic_energy_aJ(double temperature_change_K) const override;
    std::size_t solve_count() const override { return solves_; }
    /// Re-solves done by superposing unit responses (the rest were linear solves).
    std::size_t point_update_count() const { return point_updates_; }
    /// Why `model` cannot take point updates (empty when it can: a periodic cube of uniform
    /// moduli, one site per cell of its regular mesh). Collective.
    static std::string translation_invariance_problem(const ThermoelasticModel &model, MPI_Comm communicator);

  private:
    bool point_updates_enabled() const { return policy_.max_sites > 0; }
    /// The unit responses of the fast path (collective); throws for a sample that is not
    /// translation invariant.
    void build_point_responses();
    /// Cold solve of the model with the back-end's eigenstrains; adopts its stresses.
    void solve_model_cold();

    ThermoelasticModel &model_;
    MPI_Comm communicator_;
    PointUpdatePolicy policy_;
    std::size_t solves_ = 0;
    std::size_t point_updates_ = 0;
    std::size_t consecutive_point_updates_ = 0;
    // Fast path only.
    std::array<std::size_t, 3> grid_{};
    std::vector<std::size_t> grid_index_;  ///< per local site: i + n_x (j + n_y k)
    std::vector<std::array<std::size_t, 3>> grid_position_;  ///< per local site: (i, j, k)
    std::vector<std::size_t> grid_order_;  ///< local sites sorted by grid index
    std::vector<double> responses_;        ///< per grid offset, 6 × 6: [offset][unit k][stress c]
    std::vector<SymmetricTensor6> eigenstrain_, stress_;
    mutable bool model_behind_ = false;    ///< superpositions since the model's last solve
  };

  /// A periodic cube of n_x × n_y × n_z sites of edge h (nm) with uniform K, G (GPa), free mean
  /// stress. Site p = i + n_x (j + n_y k) sits at ((i + ½) h, (j + ½) h, (k + ½) h), global id p.
  /// Each rank owns whole z-planes, dealt out in turn (plane k to rank k mod ranks): the event
  /// search, the superpositions and the per-site work of the engine are shared, also within
  /// the neighbourhood of every single event. A full solve runs on every
  /// rank on the whole grid (the same serial FFTs on the same input, so the same bits): the
  /// eigenstrains of all sites are kept everywhere, the stresses of the own slab only. Results do
  /// not depend on the number of ranks.
  ///
  /// The Green's operator is discretised as `discretisation` (periodic_eigenstrain_solver.h). The
  /// default, q1_hexahedra, is the discrete problem of the FE back-end on the same grid (Q1
  /// cells, cell-average stress), so the two back-ends give the same stresses up to the CG
  /// tolerance.
  ///
  /// Fast path: when few sites change their eigenstrain (an avalanche sweep of one or two ST
  /// events, the common case), the stress change is the sum of shifted copies of the unit
  /// responses (PeriodicEigenstrainSolver::add_point_responses), O(N) per changed site instead of
  /// an FFT solve; a full solve when many changed and periodically (PointUpdatePolicy). Both give
  /// the same stresses to round-off (tested to 1e-12 of the stress scale).
  class PeriodicFourierBackend final : public ElasticBackend
  {
  public:
    /// @param alpha_per_K volumetric thermal expansion of every site of the grid (every rank)
    PeriodicFourierBackend(MPI_Comm communicator, const std::array<std::size_t, 3> &site_count,
                           double site_size_nm, double bulk_modulus_GPa, double shear_modulus_GPa,
                           const std::vector<double> &alpha_per_K,
                           const PointUpdatePolicy &policy = PointUpdatePolicy{},
                           FourierDiscretisation discretisation = FourierDiscretisation::q1_hexahedra);
    std::string name() const override { return "periodic Fourier"; }
    MPI_Comm communicator() const override { return communicator_; }
    const std::vector<SiteGeometry> &local_sites() const override { return sites_; }
    const std::vector<SymmetricTensor6> &thermal_stress_per_K_GPa() const override { return thermal_; }
    void update_eigenstrain(const std::vector<SymmetricTensor6> &eigenstrain) override;
    void add_eigenstrain(const std::vector<std::size_t> &sites,
                         const std::vector<SymmetricTensor6> &increments) override;
    const std::vector<SymmetricTensor6> &eigenstrain() const override { return eigenstrain_; }
    /// A full FFT solve; also restarts the count towards the next resynchronisation, so the
    /// state after it depends on the eigenstrains alone.
    void resolve_from_scratch() override;
    const std::vector<SymmetricTensor6> &eigenstrain_stress_GPa() const override { return stress_; }
    double elastic_energy_aJ(double temperature_change_K) const override;
    /// Re-solves of either kind (FFT solves and superpositions), as for the FE back-end.
    std::size_t solve_count() const override { return solves_; }
    /// Re-solves done by superposing point responses (the rest were FFT solves).
    std::size_t point_update_count() const { return point_updates_; }
    /// The solver's unit responses (computed on first use) when the policy allows superposition.
    std::optional<PointResponseView> point_responses() override;

  private:
    /// Brings the stresses up to date after the eigenstrains changed by `changed` (every rank's
    /// (global index, 6 increments) records; the eigenstrains already hold the new values):
    /// superposition or full solve per the policy, alike on every rank.
    void resolve(const std::vector<double> &changed);
    /// A full FFT solve of all eigenstrains; keeps the own slab.
    void solve_all();

    MPI_Comm communicator_;
    PointUpdatePolicy policy_;
    std::array<std::size_t, 3> site_count_{};
    std::vector<std::size_t> planes_;  ///< the own z-planes, ascending
    /// Global index of own site q (the sites of the own planes in order).
    std::size_t global_index(std::size_t q) const
    {
      const std::size_t plane = site_count_[0] * site_count_[1];
      return planes_[q / plane] * plane + q % plane;
    }
    double bulk_ = 0.0;
    double shear_ = 0.0;
    std::vector<SiteGeometry> sites_;
    std::vector<double> alpha_;
    std::vector<SymmetricTensor6> thermal_;
    std::vector<SymmetricTensor6> eigenstrain_;      ///< own sites
    std::vector<SymmetricTensor6> stress_;           ///< own sites
    std::vector<SymmetricTensor6> all_eigenstrain_;  ///< every site
    std::vector<SymmetricTensor6> full_stress_;      ///< a full solve's result (scratch)
    std::unique_ptr<PeriodicEigenstrainSolver> solver_;
    std::size_t solves_ = 0;
    std::size_t point_updates_ = 0;
    std::size_t consecutive_point_updates_ = 0;
  };
} // namespace cryocycle::continuum
