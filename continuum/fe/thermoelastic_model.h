#pragma once
/// @file
/// Linear thermo-elastic finite-element model of a metallic-glass sample with heterogeneous
/// volumetric thermal expansion, elastic moduli and plastic eigenstrains (deal.II back-end).
///
/// Model (docs/design.md, Shang et al. 2018 section III eq. 4-5):
///   div sigma = 0,   sigma = C(x) : (eps(u) - (alpha(x)/3) dT I - eps*(x)),
///   C = K I(x)I + 2 G (II - I(x)I / 3)   (isotropic, bulk modulus K, shear modulus G),
/// alpha the VOLUMETRIC thermal expansion coefficient (1/K; a metallic glass has ~3e-5 /K; the
/// linear coefficient is alpha/3), dT = T - T_ref (K), eps* the plastic eigenstrain.
///
/// Units at this interface: lengths nm, volumes nm^3, moduli and stresses GPa, temperatures K,
/// energies aJ (1 GPa nm^3 = 1e-18 J = 1 aJ). Strains and eigenstrains are dimensionless tensor
/// components (eps_yz, not the engineering shear 2 eps_yz). Six-component tensors are in Voigt
/// order xx, yy, zz, yz, xz, xy, as in periodic_spectral_solver.h.
///
/// Sites. A site is one active cell of the mesh: alpha, K, G and eps* are constant on it, and its
/// stress is the cell average of the finite-element stress. Site data live in plain vectors
/// indexed by the local site index (0 .. n_local_sites - 1, the locally owned cells of this MPI
/// rank), apart from the finite-element problem as step-18 keeps its point history. Every site
/// also has a global id that does not depend on the number of MPI ranks: the index of its coarse
/// cell times 8^L plus the path of child indices from the coarse cell down to it (the integer
/// form of deal.II's CellId; all cells are refined L times), so per-site random streams keyed by
/// it give the same field on any number of ranks.
///
/// Linearity. The response to dT is computed once per (alpha, K, G) field as the thermal stress
/// per kelvin S_T; the response to eps* is re-solved when eps* changes, with the stiffness matrix
/// and its preconditioner (or factorisation) kept and the previous solution as the initial guess.
/// The stress at any dT is then  sigma(dT) = dT S_T + sigma(eps*)  without another solve.
///
/// Boundary conditions. periodic_cube: the displacement is u = E x + u~ with u~ periodic; the mean
/// strain E either makes the mean stress zero (a free representative volume; with heterogeneous
/// moduli this takes six extra "corrector" solves per modulus field) or is prescribed. plate, rod,
/// disc, sphere: every surface is traction-free; the six rigid-body modes are removed by six point
/// constraints at three vertices (3-2-1), which provably add no stress (see the .cc file) — no face
/// is clamped.
///
/// MPI: every member function is collective over the communicator unless documented otherwise.

#include "continuum/physics/site_geometry.h"
#include "core/tensor6.h"

#include <mpi.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace cryocycle::continuum
{
  /// Shape of the finite-element sample.
  enum class SampleShape
  {
    periodic_cube, ///< periodic box [0, Lx] x [0, Ly] x [0, Lz] (representative volume)
    plate,         ///< free box [0, Lx] x [0, Ly] x [0, Lz] (plate, ribbon)
    rod,           ///< free cylinder, axis z, radius R, z in [-L/2, L/2], centred on the axis
    disc,          ///< as rod; meant for length (thickness) <= diameter
    sphere         ///< free ball of radius R centred at the origin (optional concentric interface)
  };

  /// How the mean strain of a periodic cube is set.
  enum class PeriodicMeanStrain
  {
    zero_mean_stress, ///< free representative volume: the mean strain makes the mean stress zero
    prescribed        ///< the mean total strain is prescribed_mean_strain
  };

  /// Geometry and discretisation of the sample: plain values, filled from the config.
  struct FiniteElementGeometry
  {
    SampleShape shape = SampleShape::periodic_cube;
    /// Edge lengths Lx, Ly, Lz (nm) of periodic_cube and plate.
    std::array<double, 3> box_size_nm{{16.0, 16.0, 16.0}};
    /// Radius (nm) of rod, disc and sphere.
    double radius_nm = 8.0;
    /// Length along z (nm) of rod and disc (the disc's thickness).
    double length_nm = 32.0;
    /// sphere only: if > 0, radius (nm) of a concentric spherical interface that the mesh follows
    /// (cell faces lie on it), e.g. for an inclusion; must be < radius_nm.
    double core_radius_nm = 0.0;
    /// Largest element edge wanted (nm). Boxes get ceil(L / h) cells per edge; curved shapes are
    /// refined globally until their cells are no larger.
    double element_size_nm = 1.0;
    /// Polynomial degree of the displacement elements: 1 (Q1) or 2 (Q2).
    unsigned int fe_degree = 1;
    /// periodic_cube only.
    PeriodicMeanStrain mean_strain_condition = PeriodicMeanStrain::zero_mean_stress;
    /// periodic_cube with PeriodicMeanStrain::prescribed: mean total strain (Voigt, tensor
    /// components). It belongs to the eigenstrain response (it is not scaled by dT).
    SymmetricTensor6 prescribed_mean_strain{{0, 0, 0, 0, 0, 0}};
  };

  /// Linear solver choice.
  enum class LinearSolverKind
  {
    automatic, ///< direct up to direct_solver_max_dofs degrees of freedom, iterative above
    iterative, ///< conjugate gradients + algebraic multigrid (Trilinos ML, elasticity near-nullspace)
    direct     ///< sparse LDL^T factorisation (MUMPS on rank 0, serial_mumps.h, symmetric
               ///< positive definite mode), factorised once per matrix
  };

  /// Linear solver settings: plain values, filled from the config.
  struct LinearSolverSettings
  {
    LinearSolverKind kind = LinearSolverKind::automatic;
    /// CG stops when |residual| <= relative_tolerance * |right-hand side|.
    double relative_tolerance = 1e-10;
    /// CG iteration limit; exceeding it throws.
    unsigned int max_iterations = 5000;
    /// automatic: the direct solver is used up to this many degrees of freedom. Measured on
    /// 2 shared cores (bench/RESULTS.md): 15k dofs factorise in ~1.5 s and re-solve in 0.07 s;
    /// 108k dofs factorise in ~90 s with ~8 GB and re-solve in 0.8 s, against 2.4 s per
    /// warm CG+AMG re-solve after a 16 s setup. Raise it when hundreds of re-solves follow.
    std::size_t direct_solver_max_dofs = 50000;
  };

  /// What the last solve() did (this rank's view; times are wall-clock seconds).
  struct SolveReport
  {
    std::string solver;               ///< "cg+amg" or "direct (MUMPS, symmetric)"
    unsigned int linear_solves = 0;   ///< linear systems solved by the last solve()
    unsigned int cg_iterations = 0;   ///< CG iterations summed over those systems (0: direct)
    double setup_seconds = 0.0;       ///< matrix assembly + preconditioner/factorisation
    double solve_seconds = 0.0;       ///< right-hand sides + linear solves
    double postprocess_seconds = 0.0; ///< site stresses and energy
  };

  /// Thermo-elastic finite-element model (see the file comment). Owns the mesh, the linear
  /// system and the per-site fields; pimpl, so including this header pulls in no deal.II.
  ///
  /// Typical use:
  ///   ThermoelasticModel model(MPI_COMM_WORLD, geometry, solver);
  ///   for (site i) alpha[i] = field(model.local_sites()[i]);   // per-site values
  ///   model.set_thermal_expansion_per_K(alpha); model.set_moduli_GPa(K, G);
  ///   model.solve();
  ///   auto sigma = model.stress_GPa(dT);
  ///   model.set_eigenstrain(eps_star); model.solve();   // re-solve: reuses matrix and preconditioner
  class ThermoelasticModel
  {
  public:
    /// Builds the mesh, the degrees of freedom and the constraints; all sites start with
    /// alpha = 0, K = 160 GPa, G = 35 GPa, eps* = 0 (call the setters before solve()).
    /// Throws std::invalid_argument for a non-positive or non-finite size, a degree other than 1
    /// or 2, a periodic box with fewer than 2 cells per edge, or a core radius >= the radius.
    ThermoelasticModel(MPI_Comm communicator, const FiniteElementGeometry& geometry,
                       const LinearSolverSettings& solver);
    ~ThermoelasticModel();
    ThermoelasticModel(const ThermoelasticModel&) = delete;
    ThermoelasticModel& operator=(const ThermoelasticModel&) = delete;

    /// Sites owned by this rank, in local site index order. Not collective.
    const std::vector<SiteGeometry>& local_sites() const;
    /// Number of sites on all ranks.
    std::uint64_t n_global_sites() const;
    /// Degrees of freedom (displacement components at nodes, all ranks).
    std::uint64_t n_dofs() const;
    /// Axis-aligned bounding box of the sample (nm): lower corner, upper corner. Not collective.
    std::array<std::array<double, 3>, 2> bounding_box_nm() const;
    /// Sum of the site volumes over all ranks (nm^3); a curved sample is its polyhedral mesh.
    double total_volume_nm3() const;
    const FiniteElementGeometry& geometry() const;

    /// Volumetric thermal expansion coefficient per local site (1/K). Size n_local_sites,
    /// finite values; throws std::invalid_argument otherwise. Not collective (takes effect at
    /// the next solve()).
    void set_thermal_expansion_per_K(const std::vector<double>& alpha_per_K);
    /// Bulk and shear moduli per local site (GPa), positive and finite. Changing them rebuilds
    /// the matrix and the preconditioner at the next solve(). Not collective.
    void set_moduli_GPa(const std::vector<double>& bulk_modulus_GPa,
                        const std::vector<double>& shear_modulus_GPa);
    /// Plastic eigenstrain per local site (Voigt, tensor components). Only the sites whose value
    /// changed are re-assembled into the right-hand side. Not collective.
    void set_eigenstrain(const std::vector<SymmetricTensor6>& eigenstrain);

    const std::vector<double>& thermal_expansion_per_K() const;
    const std::vector<double>& bulk_modulus_GPa() const;
    const std::vector<double>& shear_modulus_GPa() const;
    const std::vector<SymmetricTensor6>& eigenstrain() const;

    /// Brings S_T and sigma(eps*) up to date with the site fields (solves only what changed).
    /// Collective. Throws std::runtime_error when CG does not converge.
    void solve();
    /// Same as solve() but discarding the previous solutions as initial guesses (cold start);
    /// for tests and benchmarks.
    void solve_cold();
    /// What the last solve() did.
    const SolveReport& last_solve_report() const;

    /// Thermal stress per kelvin S_T per local site (GPa/K), cell averages. Not collective.
    const std::vector<SymmetricTensor6>& thermal_stress_per_K_GPa() const;
    /// Stress caused by the eigenstrains (and a prescribed mean strain) per local site (GPa).
    /// Not collective.
    const std::vector<SymmetricTensor6>& eigenstrain_stress_GPa() const;
    /// Total stress dT S_T + sigma(eps*) per local site (GPa). Not collective.
    std::vector<SymmetricTensor6> stress_GPa(double temperature_change_K) const;
    /// Mean total strain of the sample at dT (periodic_cube: the E of u = E x + u~; free shapes:
    /// the volume average of eps(u)). Voigt, tensor components.
    SymmetricTensor6 mean_strain(double temperature_change_K) const;
    /// Elastic energy (1/2) integral (eps - eps_0) : C : (eps - eps_0) dV at dT over the whole
    /// sample (aJ), exact for the finite-element fields (quadrature). Not collective (the
    /// quadratic coefficients are reduced during solve()).
    double elastic_energy_aJ(double temperature_change_K) const;

    /// Writes the fields at dT as VTU pieces + a PVTU record in `directory` (created if missing)
    /// named <basename>_<NNNN>, and rewrites <basename>.pvd with every step written so far by
    /// this object, `time` being the value ParaView shows for the step (e.g. s or cycle number).
    /// Fields: displacement (nm), stress components, von Mises, pressure (GPa), alpha (1/K),
    /// K, G (GPa), |eps*| (Frobenius norm), MPI rank. Returns the PVTU file name. Throws
    /// std::logic_error before the first solve().
    std::string write_vtu(const std::string& directory, const std::string& basename,
                          double temperature_change_K, double time);

  private:
    struct Implementation;
    std::unique_ptr<Implementation> implementation_;
  };

  /// Pressure -trace(sigma)/3 (positive in compression), units of the input.
  double pressure_of(const SymmetricTensor6& stress);
} // namespace cryocycle::continuum
