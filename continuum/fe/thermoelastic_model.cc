// Assembly, linear solves (CG + AMG or a direct factorisation, both kept between solves) and the
// public interface of ThermoelasticModel. Mean strain and per-site post-processing:
// thermoelastic_postprocess.cc.
#include "continuum/fe/thermoelastic_model_internal.h"

#include <deal.II/base/mpi.h>
#include <deal.II/base/quadrature_lib.h>
#include <deal.II/dofs/dof_tools.h>
#include <deal.II/fe/fe_q.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/lac/full_matrix.h>
#include <deal.II/lac/solver_cg.h>
#include <deal.II/lac/solver_control.h>
#include <deal.II/lac/trilinos_sparsity_pattern.h>

#include <Epetra_CrsMatrix.h>
#include <Epetra_MultiVector.h>
#include <p4est_base.h>
#include <sc.h>
#include <Teuchos_ParameterList.hpp>

#include <chrono>
#include <cmath>
#include <stdexcept>
#include <string>

namespace cryocycle::continuum
{
  using namespace internal;
  namespace
  {
    double seconds_since(std::chrono::steady_clock::time_point start)
    {
      return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }

    void require_size(std::size_t got, std::size_t want, const char* what)
    {
      if (got != want)
        throw std::invalid_argument(std::string("ThermoelasticModel: ") + what + " has " +
                                    std::to_string(got) + " values, expected one per local site (" +
                                    std::to_string(want) + ")");
    }
  } // namespace

  namespace internal
  {
    Tensor4 isotropic_stiffness(double bulk_modulus_GPa, double shear_modulus_GPa)
    {
      const Tensor2 identity = dealii::unit_symmetric_tensor<dim>();
      return bulk_modulus_GPa * dealii::outer_product(identity, identity) +
             2.0 * shear_modulus_GPa * dealii::deviator_tensor<dim>();
    }

    Tensor2 tensor_from_voigt(const SymmetricTensor6& v)
    {
      Tensor2 t;
      t[0][0] = v[0];
      t[1][1] = v[1];
      t[2][2] = v[2];
      t[1][2] = v[3];
      t[0][2] = v[4];
      t[0][1] = v[5];
      return t;
    }

    SymmetricTensor6 voigt_from_tensor(const Tensor2& t)
    {
      return {{t[0][0], t[1][1], t[2][2], t[1][2], t[0][2], t[0][1]}};
    }

    Tensor2 voigt_basis(unsigned int k)
    {
      SymmetricTensor6 v{};
      v[k] = 1.0;
      return tensor_from_voigt(v);
    }
  } // namespace internal

  double pressure_of(const SymmetricTensor6& stress) { return -(stress[0] + stress[1] + stress[2]) / 3.0; }

  namespace
  {
    /// p4est and its sc library log every mesh operation unless initialised quietly; deal.II's
    /// MPI_InitFinalize does this, but cryocycle initialises MPI itself.
    void initialise_p4est_quietly()
    {
      static const bool done = [] {
        sc_init(MPI_COMM_WORLD, 0, 0, nullptr, SC_LP_SILENT);
        p4est_init(nullptr, SC_LP_SILENT);
        return true;
      }();
      (void)done;
    }

    MPI_Comm quiet(MPI_Comm communicator)
    {
      initialise_p4est_quietly();
      return communicator;
    }
  } // namespace

  ThermoelasticModel::Implementation::Implementation(MPI_Comm comm,
                                                     const FiniteElementGeometry& g,
                                                     const LinearSolverSettings& s)
    : communicator(comm), geometry(g), solver_settings(s), triangulation(quiet(comm)),
      fe(dealii::FE_Q<dim>(g.fe_degree == 2 ? 2 : 1), dim), dof_handler(triangulation)
  {
    if (!(s.relative_tolerance > 0 && s.relative_tolerance < 1))
      throw std::invalid_argument("linear solver: relative_tolerance must be in (0, 1)");
    make_sample_mesh(geometry, triangulation);
    dof_handler.distribute_dofs(fe);
    owned_dofs = dof_handler.locally_owned_dofs();
    dealii::DoFTools::extract_locally_relevant_dofs(dof_handler, relevant_dofs);
    constraints.reinit(relevant_dofs);
    add_sample_constraints(geometry, dof_handler, communicator, constraints);
    constraints.close();
    bounding_box = bounding_box_nm_of(triangulation, communicator);
    setup_sites();
  }

  void ThermoelasticModel::Implementation::setup_sites()
  {
    for (const auto& cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned())
      {
        site_cells.push_back(cell);
        const auto centre = cell->center();
        sites.push_back({{{centre[0], centre[1], centre[2]}}, global_site_id(geometry, cell), cell->measure()});
      }
    const std::size_t n = sites.size();
    n_global_sites = dealii::Utilities::MPI::sum(static_cast<std::uint64_t>(n), communicator);
    double volume = 0.0;
    for (const auto& site : sites)
      volume += site.volume_nm3;
    total_volume_nm3 = dealii::Utilities::MPI::sum(volume, communicator);
    alpha_per_K.assign(n, 0.0);
    bulk_modulus_GPa.assign(n, 160.0);
    shear_modulus_GPa.assign(n, 35.0);
    eigenstrain.assign(n, SymmetricTensor6{});
    eigenstrain_changed.assign(n, 0);
    thermal_stress_per_K.assign(n, SymmetricTensor6{});
    plastic_stress.assign(n, SymmetricTensor6{});
  }

  void ThermoelasticModel::Implementation::check_moduli_homogeneous()
  {
    double lo_k = 1e300, hi_k = -1e300, lo_g = 1e300, hi_g = -1e300;
    for (std::size_t s = 0; s < sites.size(); ++s)
    {
      lo_k = std::min(lo_k, bulk_modulus_GPa[s]);
      hi_k = std::max(hi_k, bulk_modulus_GPa[s]);
      lo_g = std::min(lo_g, shear_modulus_GPa[s]);
      hi_g = std::max(hi_g, shear_modulus_GPa[s]);
    }
    lo_k = dealii::Utilities::MPI::min(lo_k, communicator);
    lo_g = dealii::Utilities::MPI::min(lo_g, communicator);
    hi_k = dealii::Utilities::MPI::max(hi_k, communicator);
    hi_g = dealii::Utilities::MPI::max(hi_g, communicator);
    moduli_homogeneous = lo_k == hi_k && lo_g == hi_g;
  }

  void ThermoelasticModel::Implementation::assemble_matrix()
  {
    if (matrix.m() == 0)
    {
      dealii::TrilinosWrappers::SparsityPattern pattern(owned_dofs, owned_dofs, relevant_dofs,
                                                        communicator);
      dealii::DoFTools::make_sparsity_pattern(
        dof_handler, pattern, constraints, false,
        dealii::Utilities::MPI::this_mpi_process(communicator));
      pattern.compress();
      matrix.reinit(pattern);
    }
    else
      matrix = 0.0;

    const dealii::QGauss<dim> quadrature(fe.degree + 1);
    dealii::FEValues<dim> fe_values(mapping, fe, quadrature,
                                    dealii::update_gradients | dealii::update_JxW_values);
    const dealii::FEValuesExtractors::Vector displacement(0);
    const unsigned int n = fe.n_dofs_per_cell();
    dealii::FullMatrix<double> cell_matrix(n, n);
    std::vector<dealii::types::global_dof_index> dofs(n);
    std::vector<Tensor2> strain(n), stress(n);
    for (std::size_t s = 0; s < site_cells.size(); ++s)
    {
      const auto& cell = site_cells[s];
      fe_values.reinit(cell);
      const Tensor4 stiffness = isotropic_stiffness(bulk_modulus_GPa[s], shear_modulus_GPa[s]);
      cell_matrix = 0.0;
      for (unsigned int q = 0; q < quadrature.size(); ++q)
      {
        for (unsigned int i = 0; i < n; ++i)
        {
          strain[i] = fe_values[displacement].symmetric_gradient(i, q);
          stress[i] = stiffness * strain[i];
        }
        const double jxw = fe_values.JxW(q);
        for (unsigned int i = 0; i < n; ++i)
          for (unsigned int j = 0; j <= i; ++j)
            cell_matrix(i, j) += (strain[i] * stress[j]) * jxw;
      }
      for (unsigned int i = 0; i < n; ++i)
        for (unsigned int j = i + 1; j < n; ++j)
          cell_matrix(i, j) = cell_matrix(j, i);
      cell->get_dof_indices(dofs);
      constraints.distribute_local_to_global(cell_matrix, dofs, matrix);
    }
    matrix.compress(dealii::VectorOperation::add);
  }

  void ThermoelasticModel::Implementation::fill_near_null_space()
  {
    // Rigid-body modes (3 translations, 3 rotations about the box centre) at the support points
    // of the owned rows: the near-nullspace that makes smoothed-aggregation AMG effective for
    // elasticity (translations alone leave rotations to the smoother).
    const std::size_t rows = owned_dofs.n_elements();
    near_null_space.assign(6 * rows, 0.0);
    const auto& box = bounding_box;
    const dealii::Point<dim> centre((box[0][0] + box[1][0]) / 2, (box[0][1] + box[1][1]) / 2,
                                    (box[0][2] + box[1][2]) / 2);
    const auto& unit_points = fe.get_unit_support_points();
    std::vector<dealii::types::global_dof_index> dofs(fe.n_dofs_per_cell());
    for (const auto& cell : site_cells)
    {
      cell->get_dof_indices(dofs);
      for (unsigned int i = 0; i < dofs.size(); ++i)
      {
        if (!owned_dofs.is_element(dofs[i]))
          continue;
        const std::size_t row = owned_dofs.index_within_set(dofs[i]);
        const unsigned int c = fe.system_to_component_index(i).first;
        const dealii::Tensor<1, dim> x =
          mapping.transform_unit_to_real_cell(cell, unit_points[i]) - centre;
        near_null_space[c * rows + row] = 1.0;
        for (unsigned int k = 0; k < 3; ++k)
        {
          dealii::Tensor<1, dim> omega;
          omega[k] = 1.0;
          near_null_space[(3 + k) * rows + row] = dealii::cross_product_3d(omega, x)[c];
        }
      }
    }
  }

  void ThermoelasticModel::Implementation::build_solver()
  {
    use_direct = solver_settings.kind == LinearSolverKind::direct ||
                 (solver_settings.kind == LinearSolverKind::automatic &&
                  dof_handler.n_dofs() <= solver_settings.direct_solver_max_dofs);
    amg.reset();
    direct.reset();
    if (use_direct)
    {
      // MUMPS on rank 0 (serial_mumps.h: the same bits on every run), LDLᵀ of one triangle
      // (constrained rows keep a positive diagonal): about half the time and memory of LU.
      // Factorised here once; every solve is then two triangular sweeps.
      const Epetra_CrsMatrix& m = matrix.trilinos_matrix();
      std::vector<std::int64_t> rows(static_cast<std::size_t>(m.NumMyRows()));
      std::vector<std::int64_t> row_start{0};
      std::vector<std::int64_t> columns;
      std::vector<double> values;
      for (int i = 0; i < m.NumMyRows(); ++i)
      {
        rows[static_cast<std::size_t>(i)] = m.RowMap().GID64(i);
        int entries = 0;
        double* row_values = nullptr;
        int* local_columns = nullptr;
        m.ExtractMyRowView(i, entries, row_values, local_columns);
        for (int e = 0; e < entries; ++e)
        {
          columns.push_back(m.ColMap().GID64(local_columns[e]));
          values.push_back(row_values[e]);
        }
        row_start.push_back(static_cast<std::int64_t>(columns.size()));
      }
      direct = std::make_unique<SerialMumps>(communicator, static_cast<std::int64_t>(dof_handler.n_dofs()), rows,
                                             row_start, columns, values);
      return;
    }
    dealii::TrilinosWrappers::PreconditionAMG::AdditionalData data;
    data.elliptic = true;
    data.higher_order_elements = fe.degree > 1;
    data.smoother_sweeps = 2;
    data.aggregation_threshold = 0.02;
    Teuchos::ParameterList parameters;
    std::unique_ptr<Epetra_MultiVector> translation_modes;
    data.set_parameters(parameters, translation_modes, matrix);
    fill_near_null_space();
    parameters.set("null space: type", "pre-computed");
    parameters.set("null space: dimension", 6);
    parameters.set("null space: vectors", near_null_space.data());
    amg = std::make_unique<dealii::TrilinosWrappers::PreconditionAMG>();
    amg->initialize(matrix, parameters);
  }

  void ThermoelasticModel::Implementation::assemble_source_rhs(
    const std::vector<Tensor2>& source_strain, const std::vector<unsigned char>* only_cells,
    Vector& rhs) const
  {
    const dealii::QGauss<dim> quadrature(fe.degree + 1);
    dealii::FEValues<dim> fe_values(mapping, fe, quadrature,
                                    dealii::update_gradients | dealii::update_JxW_values);
    const dealii::FEValuesExtractors::Vector displacement(0);
    const unsigned int n = fe.n_dofs_per_cell();
    dealii::Vector<double> cell_rhs(n);
    std::vector<dealii::types::global_dof_index> dofs(n);
    for (std::size_t s = 0; s < site_cells.size(); ++s)
    {
      if (only_cells != nullptr && (*only_cells)[s] == 0)
        continue;
      const Tensor2 source_stress =
        isotropic_stiffness(bulk_modulus_GPa[s], shear_modulus_GPa[s]) * source_strain[s];
      if (source_stress.norm() == 0.0)
        continue;
      fe_values.reinit(site_cells[s]);
      cell_rhs = 0.0;
      for (unsigned int q = 0; q < quadrature.size(); ++q)
        for (unsigned int i = 0; i < n; ++i)
          cell_rhs(i) += (fe_values[displacement].symmetric_gradient(i, q) * source_stress) *
                         fe_values.JxW(q);
      site_cells[s]->get_dof_indices(dofs);
      constraints.distribute_local_to_global(cell_rhs, dofs, rhs);
    }
    rhs.compress(dealii::VectorOperation::add);
  }

  unsigned int ThermoelasticModel::Implementation::linear_solve(const Vector& rhs, Vector& solution)
  {
    const double rhs_norm = rhs.l2_norm();
    if (rhs_norm == 0.0)
    {
      solution = 0.0;
      return 0;
    }
    unsigned int iterations = 0;
    if (use_direct)
    {
      // The vectors' owned entries are the matrix rows, in the same local order.
      if (!rhs.trilinos_vector().Map().SameAs(matrix.trilinos_matrix().RowMap()))
        throw std::logic_error("the right-hand side is not distributed as the matrix rows");
      direct->solve(rhs.trilinos_vector()[0], solution.trilinos_vector()[0]);
    }
    else
    {
      // Warm start: `solution` holds the previous answer (or zero for a cold solve).
      dealii::SolverControl control(solver_settings.max_iterations,
                                    solver_settings.relative_tolerance * rhs_norm);
      dealii::SolverCG<Vector> cg(control);
      try
      {
        cg.solve(matrix, solution, rhs, *amg);
      }
      catch (const dealii::SolverControl::NoConvergence& failure)
      {
        throw std::runtime_error("thermo-elastic CG did not converge: residual " +
                                 std::to_string(failure.last_residual) + " after " +
                                 std::to_string(failure.last_step) + " iterations (target " +
                                 std::to_string(control.tolerance()) + ")");
      }
      iterations = control.last_step();
    }
    constraints.distribute(solution);
    return iterations;
  }

  void ThermoelasticModel::Implementation::solve_load(const std::vector<Tensor2>& source_strain,
                                                      const Vector* rhs_given,
                                                      LoadResponse& response, bool cold)
  {
    if (response.displacement.size() == 0 || cold)
      response.displacement.reinit(owned_dofs, communicator);
    Vector rhs(owned_dofs, communicator);
    if (rhs_given != nullptr)
      rhs = *rhs_given;
    else
      assemble_source_rhs(source_strain, nullptr, rhs);
    report.cg_iterations += linear_solve(rhs, response.displacement);
    ++report.linear_solves;
    response.displacement_ghosted.reinit(owned_dofs, relevant_dofs, communicator);
    response.displacement_ghosted = response.displacement;
    response.mean_strain = Tensor2();
    response.valid = true;
  }

  void ThermoelasticModel::Implementation::run_solve(bool cold)
  {
    report = SolveReport{};
    const auto start = std::chrono::steady_clock::now();
    const bool periodic = geometry.shape == SampleShape::periodic_cube;
    if (!matrix_valid)
    {
      check_moduli_homogeneous();
      assemble_matrix();
      build_solver();
      matrix_valid = true;
      thermal_valid = false;
      plastic.valid = false;
      correctors_valid = false;
      eigenstrain_rhs_valid = false;
    }
    report.solver = use_direct ? "direct (MUMPS, symmetric)" : "cg+amg";
    report.setup_seconds = seconds_since(start);
    const auto solve_start = std::chrono::steady_clock::now();

    if (!thermal_valid || cold)
    {
      std::vector<Tensor2> source(sites.size());
      for (std::size_t s = 0; s < sites.size(); ++s)
        source[s] = (alpha_per_K[s] / 3.0) * dealii::unit_symmetric_tensor<dim>();
      solve_load(source, nullptr, thermal, cold);
      if (periodic && geometry.mean_strain_condition == PeriodicMeanStrain::zero_mean_stress)
        make_mean_stress_zero(source, thermal, cold);
      thermal_valid = true;
    }

    std::size_t changed = 0;
    for (const unsigned char flag : eigenstrain_changed)
      changed += flag;
    changed = dealii::Utilities::MPI::sum(changed, communicator);
    if (!plastic.valid || changed > 0 || cold)
    {
      std::vector<Tensor2> source(sites.size());
      for (std::size_t s = 0; s < sites.size(); ++s)
        source[s] = tensor_from_voigt(eigenstrain[s]);
      // Few changed sites: add their change to the kept right-hand side; otherwise rebuild it.
      if (!eigenstrain_rhs_valid || 8 * changed > n_global_sites || cold)
      {
        eigenstrain_rhs.reinit(owned_dofs, communicator);
        assemble_source_rhs(source, nullptr, eigenstrain_rhs);
      }
      else
      {
        std::vector<Tensor2> change(sites.size());
        for (std::size_t s = 0; s < sites.size(); ++s)
          if (eigenstrain_changed[s])
            change[s] = source[s] - tensor_from_voigt(eigenstrain_in_rhs[s]);
        assemble_source_rhs(change, &eigenstrain_changed, eigenstrain_rhs);
      }
      eigenstrain_in_rhs = eigenstrain;
      eigenstrain_rhs_valid = true;
      std::fill(eigenstrain_changed.begin(), eigenstrain_changed.end(), 0);
      solve_load(source, &eigenstrain_rhs, plastic, cold);
      if (periodic)
      {
        if (geometry.mean_strain_condition == PeriodicMeanStrain::zero_mean_stress)
          make_mean_stress_zero(source, plastic, cold);
        else
        {
          if (!moduli_homogeneous)
            ensure_correctors(cold);
          add_mean_strain(geometry.prescribed_mean_strain, plastic);
        }
      }
    }
    report.solve_seconds = seconds_since(solve_start);
    const auto post_start = std::chrono::steady_clock::now();
    postprocess();
    report.postprocess_seconds = seconds_since(post_start);
  }

  // ---- public interface ---------------------------------------------------------------------

  ThermoelasticModel::ThermoelasticModel(MPI_Comm communicator,
                                         const FiniteElementGeometry& geometry,
                                         const LinearSolverSettings& solver)
    : implementation_(std::make_unique<Implementation>(communicator, geometry, solver))
  {
  }

  ThermoelasticModel::~ThermoelasticModel() = default;

  const std::vector<SiteGeometry>& ThermoelasticModel::local_sites() const
  {
    return implementation_->sites;
  }
  std::uint64_t ThermoelasticModel::n_global_sites() const
  {
    return implementation_->n_global_sites;
  }
  std::uint64_t ThermoelasticModel::n_dofs() const { return implementation_->dof_handler.n_dofs(); }
  double ThermoelasticModel::total_volume_nm3() const { return implementation_->total_volume_nm3; }
  const FiniteElementGeometry& ThermoelasticModel::geometry() const
  {
    return implementation_->geometry;
  }
  std::array<std::array<double, 3>, 2> ThermoelasticModel::bounding_box_nm() const
  {
    return implementation_->bounding_box;
  }

  void ThermoelasticModel::set_thermal_expansion_per_K(const std::vector<double>& alpha)
  {
    auto& impl = *implementation_;
    require_size(alpha.size(), impl.sites.size(), "alpha_per_K");
    for (std::size_t s = 0; s < alpha.size(); ++s)
      if (!std::isfinite(alpha[s]))
        throw std::invalid_argument("ThermoelasticModel: alpha_per_K is not finite at local site " +
                                    std::to_string(s));
    if (alpha == impl.alpha_per_K)
      return; // unchanged: keep S_T
    impl.alpha_per_K = alpha;
    impl.thermal_valid = false;
  }

  void ThermoelasticModel::set_moduli_GPa(const std::vector<double>& bulk,
                                          const std::vector<double>& shear)
  {
    auto& impl = *implementation_;
    require_size(bulk.size(), impl.sites.size(), "bulk_modulus_GPa");
    require_size(shear.size(), impl.sites.size(), "shear_modulus_GPa");
    for (std::size_t s = 0; s < bulk.size(); ++s)
      if (!(std::isfinite(bulk[s]) && bulk[s] > 0 && std::isfinite(shear[s]) && shear[s] > 0))
        throw std::invalid_argument("ThermoelasticModel: K and G must be positive and finite; site " +
                                    std::to_string(s) + " has K = " + std::to_string(bulk[s]) +
                                    " GPa, G = " + std::to_string(shear[s]) + " GPa");
    if (bulk == impl.bulk_modulus_GPa && shear == impl.shear_modulus_GPa)
      return; // unchanged: keep the matrix and its preconditioner or factorisation
    impl.bulk_modulus_GPa = bulk;
    impl.shear_modulus_GPa = shear;
    impl.matrix_valid = false;
  }

  void ThermoelasticModel::set_eigenstrain(const std::vector<SymmetricTensor6>& eigenstrain)
  {
    auto& impl = *implementation_;
    require_size(eigenstrain.size(), impl.sites.size(), "eigenstrain");
    for (std::size_t s = 0; s < eigenstrain.size(); ++s)
    {
      for (const double value : eigenstrain[s])
        if (!std::isfinite(value))
          throw std::invalid_argument(
            "ThermoelasticModel: eigenstrain is not finite at local site " + std::to_string(s));
      if (eigenstrain[s] != impl.eigenstrain[s])
        impl.eigenstrain_changed[s] = 1;
    }
    impl.eigenstrain = eigenstrain;
  }

  const std::vector<double>& ThermoelasticModel::thermal_expansion_per_K() const
  {
    return implementation_->alpha_per_K;
  }
  const std::vector<double>& ThermoelasticModel::bulk_modulus_GPa() const
  {
    return implementation_->bulk_modulus_GPa;
  }
  const std::vector<double>& ThermoelasticModel::shear_modulus_GPa() const
  {
    return implementation_->shear_modulus_GPa;
  }
  const std::vector<SymmetricTensor6>& ThermoelasticModel::eigenstrain() const
  {
    return implementation_->eigenstrain;
  }

  void ThermoelasticModel::solve() { implementation_->run_solve(false); }
  void ThermoelasticModel::solve_cold() { implementation_->run_solve(true); }
  const SolveReport& ThermoelasticModel::last_solve_report() const
  {
    return implementation_->report;
  }

  const std::vector<SymmetricTensor6>& ThermoelasticModel::thermal_stress_per_K_GPa() const
  {
    return implementation_->thermal_stress_per_K;
  }
  const std::vector<SymmetricTensor6>& ThermoelasticModel::eigenstrain_stress_GPa() const
  {
    return implementation_->plastic_stress;
  }

  std::vector<SymmetricTensor6> ThermoelasticModel::stress_GPa(double dT) const
  {
    const auto& impl = *implementation_;
    std::vector<SymmetricTensor6> total(impl.sites.size());
    for (std::size_t s = 0; s < total.size(); ++s)
      for (unsigned int k = 0; k < 6; ++k)
        total[s][k] = dT * impl.thermal_stress_per_K[s][k] + impl.plastic_stress[s][k];
    return total;
  }

  SymmetricTensor6 ThermoelasticModel::mean_strain(double dT) const
  {
    const auto& impl = *implementation_;
    SymmetricTensor6 mean{};
    for (unsigned int k = 0; k < 6; ++k)
      mean[k] = dT * impl.mean_strain_thermal[k] + impl.mean_strain_plastic[k];
    return mean;
  }

  double ThermoelasticModel::elastic_energy_aJ(double dT) const
  {
    const auto& impl = *implementation_;
    return dT * dT * impl.energy_tt + dT * impl.energy_tp + impl.energy_pp;
  }
} // namespace cryocycle::continuum
