#pragma once
/// @file
/// Private to the deal.II translation units of ThermoelasticModel (thermoelastic_*.cc): the
/// implementation object and the mesh helpers. Includes deal.II; never include it from a public
/// header.

#include "continuum/fe/thermoelastic_model.h"

#include <deal.II/base/index_set.h>
#include <deal.II/base/point.h>
#include <deal.II/base/symmetric_tensor.h>
#include <deal.II/distributed/tria.h>
#include <deal.II/dofs/dof_handler.h>
#include <deal.II/fe/fe_system.h>
#include <deal.II/fe/mapping_q1.h>
#include <deal.II/lac/affine_constraints.h>
#include <deal.II/lac/trilinos_precondition.h>
#include <deal.II/lac/trilinos_solver.h>
#include <deal.II/lac/trilinos_sparse_matrix.h>
#include <deal.II/lac/trilinos_vector.h>

#include "continuum/fe/serial_mumps.h"

#include <array>
#include <memory>
#include <utility>
#include <vector>

namespace cryocycle::continuum::internal
{
  constexpr int dim = 3;
  using Tensor2 = dealii::SymmetricTensor<2, dim>;
  using Tensor4 = dealii::SymmetricTensor<4, dim>;
  using Vector = dealii::TrilinosWrappers::MPI::Vector;
  using CellIterator = dealii::DoFHandler<dim>::active_cell_iterator;

  /// Isotropic stiffness from bulk and shear modulus (GPa).
  Tensor4 isotropic_stiffness(double bulk_modulus_GPa, double shear_modulus_GPa);
  Tensor2 tensor_from_voigt(const SymmetricTensor6& voigt);
  SymmetricTensor6 voigt_from_tensor(const Tensor2& tensor);
  /// Symmetric tensor B_k of Voigt coefficient k (shear: components (a,b) = (b,a) = 1), so that
  /// E = sum_k E_voigt[k] B_k.
  Tensor2 voigt_basis(unsigned int k);

  /// Builds the coarse mesh of `geometry` into `triangulation` (periodicity registered for the
  /// periodic cube), refines it globally and returns the number of global refinements.
  unsigned int make_sample_mesh(const FiniteElementGeometry& geometry,
                                dealii::parallel::distributed::Triangulation<dim>& triangulation);

  /// Rank-independent id of an active cell. Boxes (periodic cube, plate) are a regular grid of
  /// cells from the origin: the id is the grid index i + n_x (j + n_y k) of the cell, the
  /// numbering of the Fourier back-end (elastic_backend.h), so both back-ends key every per-site
  /// random stream (σ_y draws, random fields) identically. Curved shapes: coarse index · 8^level
  /// + the child path (all active cells on the same level).
  std::uint64_t global_site_id(const FiniteElementGeometry& geometry,
                               const dealii::Triangulation<dim>::active_cell_iterator& cell);

  /// Adds the periodicity constraints (periodic cube) and the point constraints that remove the
  /// null space of the stiffness (periodic: 3 translations, free: 6 rigid-body modes).
  void add_sample_constraints(const FiniteElementGeometry& geometry,
                              const dealii::DoFHandler<dim>& dof_handler, MPI_Comm communicator,
                              dealii::AffineConstraints<double>& constraints);

  /// One solved load case: the fluctuation displacement (ghosted) and the mean strain E added to
  /// it (periodic cube; zero otherwise).
  struct LoadResponse
  {
    Vector displacement;         ///< owned entries, used as the warm start
    Vector displacement_ghosted; ///< with ghosts, for evaluation
    Tensor2 mean_strain;         ///< E of u = E x + u~
    bool valid = false;
  };

  /// Axis-aligned bounding box (nm) of the whole mesh: lower, upper corner. Collective.
  std::array<std::array<double, 3>, 2>
  bounding_box_nm_of(const dealii::parallel::distributed::Triangulation<dim>& triangulation,
                     MPI_Comm communicator);
} // namespace cryocycle::continuum::internal

namespace cryocycle::continuum
{
  struct ThermoelasticModel::Implementation
  {
    Implementation(MPI_Comm communicator, const FiniteElementGeometry& geometry,
                   const LinearSolverSettings& solver);

    MPI_Comm communicator;
    FiniteElementGeometry geometry;
    LinearSolverSettings solver_settings;

    dealii::parallel::distributed::Triangulation<internal::dim> triangulation;
    dealii::FESystem<internal::dim> fe;
    dealii::MappingQ1<internal::dim> mapping;
    dealii::DoFHandler<internal::dim> dof_handler;
    dealii::IndexSet owned_dofs;
    dealii::IndexSet relevant_dofs;
    dealii::AffineConstraints<double> constraints;

    // ---- sites (kept apart from the FE problem; index = local site index) -------------------
    std::vector<internal::CellIterator> site_cells;
    std::vector<SiteGeometry> sites;
    std::uint64_t n_global_sites = 0;
    double total_volume_nm3 = 0.0;
    std::vector<double> alpha_per_K;
    std::vector<double> bulk_modulus_GPa;
    std::vector<double> shear_modulus_GPa;
    std::vector<SymmetricTensor6> eigenstrain;
    std::vector<unsigned char> eigenstrain_changed; ///< since the last right-hand-side update
    std::vector<SymmetricTensor6> eigenstrain_in_rhs;          ///< the eigenstrain eigenstrain_rhs holds
    std::array<std::array<double, 3>, 2> bounding_box{};
    bool moduli_homogeneous = true; ///< same K, G at every site of every rank (checked in solve)

    // ---- linear system, kept between solves -----------------------------------------------
    dealii::TrilinosWrappers::SparseMatrix matrix;
    std::unique_ptr<dealii::TrilinosWrappers::PreconditionAMG> amg;
    std::vector<double> near_null_space; ///< 6 rigid-body modes, owned rows, column-major
    std::unique_ptr<SerialMumps> direct;            ///< MUMPS on rank 0, factorised once per matrix
    bool use_direct = false;
    bool matrix_valid = false;
    bool thermal_valid = false;
    internal::Vector eigenstrain_rhs; ///< right-hand side of the eigenstrain case without mean strain
    bool eigenstrain_rhs_valid = false;

    internal::LoadResponse thermal;    ///< per kelvin
    internal::LoadResponse plastic;    ///< eigenstrain (+ prescribed mean strain)
    std::array<internal::LoadResponse, 6> correctors; ///< unit mean strains, heterogeneous moduli
    bool correctors_valid = false;
    std::array<std::array<double, 6>, 6> effective_stiffness{}; ///< <sigma> per unit mean strain

    std::vector<SymmetricTensor6> thermal_stress_per_K;
    std::vector<SymmetricTensor6> plastic_stress;
    /// Elastic energy = a dT^2 + b dT + c (aJ), reduced over ranks.
    double energy_tt = 0.0, energy_tp = 0.0, energy_pp = 0.0;
    std::array<double, 6> mean_strain_thermal{}, mean_strain_plastic{};

    SolveReport report;
    std::vector<std::pair<double, std::string>> pvd_records;
    unsigned int output_counter = 0;

    // thermoelastic_model.cc
    void setup_sites();
    void check_moduli_homogeneous();
    void assemble_matrix();
    void build_solver();
    void fill_near_null_space();
    /// rhs_i = integral eps(phi_i) : C : source over the cells whose flag is set (all if null).
    void assemble_source_rhs(const std::vector<internal::Tensor2>& source_strain,
                             const std::vector<unsigned char>* only_cells, internal::Vector& rhs) const;
    unsigned int linear_solve(const internal::Vector& rhs, internal::Vector& solution);
    void solve_load(const std::vector<internal::Tensor2>& source_strain, const internal::Vector* rhs_given,
                    internal::LoadResponse& response, bool cold);
    void ensure_correctors(bool cold);
    void run_solve(bool cold);

    // thermoelastic_postprocess.cc
    std::vector<internal::Tensor2> site_average_strain(const internal::Vector& ghosted) const;
    void add_mean_strain(const std::array<double, 6>& coefficients,
                         internal::LoadResponse& response);
    void make_mean_stress_zero(const std::vector<internal::Tensor2>& source_strain,
                               internal::LoadResponse& response, bool cold);
    std::array<double, 6> mean_stress(const std::vector<internal::Tensor2>& source_strain,
                                      const internal::LoadResponse& response) const;
    void postprocess();
  };
} // namespace cryocycle::continuum
