// Meshes of the finite-element samples, rank-independent site ids, and the constraints that
// make the stiffness of a free or periodic sample invertible without adding any stress.
#include "continuum/fe/thermoelastic_model_internal.h"

#include <deal.II/base/mpi.h>
#include <deal.II/dofs/dof_tools.h>
#include <deal.II/fe/fe.h>
#include <deal.II/grid/grid_generator.h>
#include <deal.II/grid/grid_tools.h>
#include <deal.II/grid/manifold_lib.h>
#include <deal.II/grid/tria.h>
#include <deal.II/lac/full_matrix.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace cryocycle::continuum::internal
{
  using dealii::Point;

  namespace
  {
    /// Largest cell edge of a coarse mesh (nm).
    double largest_edge(const dealii::Triangulation<dim>& mesh)
    {
      double edge = 0.0;
      for (const auto& cell : mesh.active_cell_iterators())
        for (unsigned int l = 0; l < dealii::GeometryInfo<dim>::lines_per_cell; ++l)
          edge = std::max(edge, cell->line(l)->diameter());
      return edge;
    }

    unsigned int refinements_for(double coarse_edge_nm, double element_size_nm)
    {
      unsigned int levels = 0;
      while (coarse_edge_nm / std::pow(2.0, levels) > element_size_nm * (1.0 + 1e-9) && levels < 12)
        ++levels;
      return levels;
    }

    /// Cells along each edge of a box: ceil(L / h), at least 1.
    std::array<unsigned int, 3> box_cells_per_edge(const FiniteElementGeometry& g)
    {
      std::array<unsigned int, 3> cells{};
      for (unsigned int d = 0; d < 3; ++d)
        cells[d] = std::max(1u, static_cast<unsigned int>(std::ceil(g.box_size_nm[d] / g.element_size_nm - 1e-9)));
      return cells;
    }

    /// Curved shapes: hull faces follow `curved` (manifold 0), everything else is a transfinite
    /// interpolation of the coarse cells (manifold 1), which keeps refined cells well shaped.
    template <typename CurvedManifold, typename IsCurvedFace>
    void attach_manifolds(dealii::parallel::distributed::Triangulation<dim>& triangulation,
                          const CurvedManifold& curved, const IsCurvedFace& is_curved_face)
    {
      triangulation.set_all_manifold_ids(1);
      for (const auto& cell : triangulation.active_cell_iterators())
        for (const auto f : cell->face_indices())
          if (is_curved_face(cell->face(f)))
            cell->face(f)->set_all_manifold_ids(0);
      triangulation.set_manifold(0, curved);
      dealii::TransfiniteInterpolationManifold<dim> transfinite;
      transfinite.initialize(triangulation);
      triangulation.set_manifold(1, transfinite);
    }

    void require(bool condition, const std::string& message)
    {
      if (!condition)
        throw std::invalid_argument("finite-element geometry: " + message);
    }
  } // namespace

  unsigned int make_sample_mesh(const FiniteElementGeometry& g,
                                dealii::parallel::distributed::Triangulation<dim>& triangulation)
  {
    require(std::isfinite(g.element_size_nm) && g.element_size_nm > 0,
            "element_size_nm must be positive, got " + std::to_string(g.element_size_nm));
    require(g.fe_degree == 1 || g.fe_degree == 2,
            "fe_degree must be 1 or 2, got " + std::to_string(g.fe_degree));
    const double h = g.element_size_nm;

    if (g.shape == SampleShape::periodic_cube || g.shape == SampleShape::plate)
    {
      const bool periodic = g.shape == SampleShape::periodic_cube;
      for (unsigned int d = 0; d < 3; ++d)
        require(std::isfinite(g.box_size_nm[d]) && g.box_size_nm[d] > 0,
                "box_size_nm must be positive");
      const std::array<unsigned int, 3> cells = box_cells_per_edge(g);
      for (unsigned int d = 0; d < 3; ++d)
        require(!periodic || cells[d] >= 2,
                "a periodic cube needs at least 2 cells per edge (element_size_nm <= L/2)");
      // Refine a coarse mesh as often as every edge count allows (coarse cells stay >= 2 per
      // edge for periodic boxes, >= 1 otherwise): a small coarse mesh is cheap for p4est.
      unsigned int levels = 0;
      const unsigned int min_coarse = periodic ? 2u : 1u;
      while (std::all_of(cells.begin(), cells.end(), [&](unsigned int n) {
        return n % (2u << levels) == 0 && n / (2u << levels) >= min_coarse;
      }))
        ++levels;
      std::vector<unsigned int> repetitions(3);
      for (unsigned int d = 0; d < 3; ++d)
        repetitions[d] = cells[d] >> levels;
      dealii::GridGenerator::subdivided_hyper_rectangle(
        triangulation, repetitions, Point<dim>(0, 0, 0),
        Point<dim>(g.box_size_nm[0], g.box_size_nm[1], g.box_size_nm[2]), /*colorize=*/true);
      if (periodic)
      {
        std::vector<dealii::GridTools::PeriodicFacePair<
          dealii::parallel::distributed::Triangulation<dim>::cell_iterator>>
          pairs;
        for (unsigned int d = 0; d < 3; ++d)
          dealii::GridTools::collect_periodic_faces(triangulation, 2 * d, 2 * d + 1, d, pairs);
        triangulation.add_periodicity(pairs);
      }
      triangulation.refine_global(levels);
      return levels;
    }

    require(std::isfinite(g.radius_nm) && g.radius_nm > 0, "radius_nm must be positive");
    dealii::Triangulation<dim> coarse;
    if (g.shape == SampleShape::rod || g.shape == SampleShape::disc)
    {
      require(std::isfinite(g.length_nm) && g.length_nm > 0, "length_nm must be positive");
      // Coarse cells about as long as the cross-section's cells (~R) are wide.
      const auto sections =
        std::max(1u, static_cast<unsigned int>(std::lround(g.length_nm / g.radius_nm)));
      dealii::GridGenerator::subdivided_cylinder(coarse, sections, g.radius_nm, g.length_nm / 2);
      // deal.II's cylinder runs along x; a cyclic permutation of the axes (a proper rotation)
      // puts its axis on z.
      dealii::GridTools::transform([](const Point<dim>& p) { return Point<dim>(p[1], p[2], p[0]); },
                                   coarse);
      const unsigned int levels = refinements_for(largest_edge(coarse), h);
      coarse.reset_all_manifolds();
      coarse.set_all_manifold_ids(dealii::numbers::flat_manifold_id);
      triangulation.copy_triangulation(coarse);
      const double radius = g.radius_nm;
      attach_manifolds(
        triangulation, dealii::CylindricalManifold<dim>(dealii::Tensor<1, dim>({0., 0., 1.}),
                                                         Point<dim>()),
        [radius](const auto& face) {
          if (!face->at_boundary())
            return false;
          for (const auto v : face->vertex_indices())
          {
            const auto& p = face->vertex(v);
            if (std::abs(std::hypot(p[0], p[1]) - radius) > 1e-6 * radius)
              return false;
          }
          return true;
        });
      triangulation.refine_global(levels);
      return levels;
    }

    // sphere
    require(g.core_radius_nm < g.radius_nm, "core_radius_nm must be below radius_nm");
    if (g.core_radius_nm > 0)
    {
      // Ball of the core radius (7 cells) + a 6-cell shell out to the radius: the core's
      // surface is made of cell faces, so a core with other properties (an inclusion) has a
      // sharp, mesh-resolved interface.
      dealii::Triangulation<dim> ball, shell;
      dealii::GridGenerator::hyper_ball(ball, Point<dim>(), g.core_radius_nm);
      dealii::GridGenerator::hyper_shell(shell, Point<dim>(), g.core_radius_nm, g.radius_nm, 6);
      ball.reset_all_manifolds();
      shell.reset_all_manifolds();
      dealii::GridGenerator::merge_triangulations(ball, shell, coarse, 1e-9 * g.radius_nm);
    }
    else
    {
      dealii::GridGenerator::hyper_ball(coarse, Point<dim>(), g.radius_nm);
      coarse.reset_all_manifolds();
    }
    const unsigned int levels = refinements_for(largest_edge(coarse), h);
    coarse.set_all_manifold_ids(dealii::numbers::flat_manifold_id);
    triangulation.copy_triangulation(coarse);
    const double radius = g.radius_nm, core = g.core_radius_nm;
    attach_manifolds(triangulation, dealii::SphericalManifold<dim>(Point<dim>()),
                     [radius, core](const auto& face) {
                       // Faces all of whose vertices lie on the outer sphere or on the core's
                       // sphere.
                       for (const double r : {radius, core})
                       {
                         if (r <= 0)
                           continue;
                         bool on_sphere = true;
                         for (const auto v : face->vertex_indices())
                           on_sphere = on_sphere && std::abs(face->vertex(v).norm() - r) < 1e-6 * r;
                         if (on_sphere)
                           return true;
                       }
                       return false;
                     });
    triangulation.refine_global(levels);
    return levels;
  }

  std::array<std::array<double, 3>, 2>
  bounding_box_nm_of(const dealii::parallel::distributed::Triangulation<dim>& triangulation,
                     MPI_Comm communicator)
  {
    std::array<double, 3> lower{}, upper{};
    lower.fill(std::numeric_limits<double>::max());
    upper.fill(-std::numeric_limits<double>::max());
    for (const auto& cell : triangulation.active_cell_iterators())
      if (cell->is_locally_owned())
        for (const auto v : cell->vertex_indices())
          for (unsigned int d = 0; d < 3; ++d)
          {
            lower[d] = std::min(lower[d], cell->vertex(v)[d]);
            upper[d] = std::max(upper[d], cell->vertex(v)[d]);
          }
    std::array<double, 3> global_lower{}, global_upper{};
    MPI_Allreduce(lower.data(), global_lower.data(), 3, MPI_DOUBLE, MPI_MIN, communicator);
    MPI_Allreduce(upper.data(), global_upper.data(), 3, MPI_DOUBLE, MPI_MAX, communicator);
    return {{global_lower, global_upper}};
  }

  std::uint64_t global_site_id(const FiniteElementGeometry& geometry,
                               const dealii::Triangulation<dim>::active_cell_iterator& active)
  {
    if (geometry.shape == SampleShape::periodic_cube || geometry.shape == SampleShape::plate)
    {
      const std::array<unsigned int, 3> cells = box_cells_per_edge(geometry);
      const auto centre = active->center();
      std::array<std::uint64_t, 3> index{};
      for (unsigned int d = 0; d < 3; ++d)
      {
        const double edge = geometry.box_size_nm[d] / cells[d];
        const double position = std::floor(centre[d] / edge);
        index[d] = static_cast<std::uint64_t>(std::clamp(position, 0.0, static_cast<double>(cells[d] - 1)));
      }
      return index[0] + cells[0] * (index[1] + static_cast<std::uint64_t>(cells[1]) * index[2]);
    }
    std::uint64_t id = 0, weight = 1;
    dealii::Triangulation<dim>::cell_iterator cell = active;
    while (cell->level() > 0)
    {
      const auto parent = cell->parent();
      unsigned int child = 0;
      while (parent->child(child) != cell)
        ++child;
      id += weight * child;
      weight *= 8;
      cell = parent;
    }
    return id + weight * static_cast<std::uint64_t>(cell->index());
  }

  namespace
  {
    /// The mesh vertex nearest to `target`, the same point on every rank (ties broken by
    /// coordinates).
    Point<dim> nearest_vertex(const dealii::DoFHandler<dim>& dof_handler, const Point<dim>& target,
                              MPI_Comm communicator)
    {
      std::array<double, 4> best{{std::numeric_limits<double>::max(), 0, 0, 0}};
      for (const auto& cell : dof_handler.active_cell_iterators())
        if (cell->is_locally_owned())
          for (const auto v : cell->vertex_indices())
          {
            const Point<dim>& p = cell->vertex(v);
            const std::array<double, 4> candidate{{p.distance(target), p[0], p[1], p[2]}};
            if (candidate < best)
              best = candidate;
          }
      const auto all = dealii::Utilities::MPI::all_gather(communicator, best);
      const auto winner = *std::min_element(all.begin(), all.end());
      return Point<dim>(winner[1], winner[2], winner[3]);
    }

    /// Sets displacement components `components` of the vertex at `where` to zero on every
    /// locally relevant cell that has it.
    void pin_vertex(const dealii::DoFHandler<dim>& dof_handler, const Point<dim>& where,
                    const std::vector<unsigned int>& components, double tolerance,
                    dealii::AffineConstraints<double>& constraints)
    {
      for (const auto& cell : dof_handler.active_cell_iterators())
        if (!cell->is_artificial())
          for (const auto v : cell->vertex_indices())
            if (cell->vertex(v).distance(where) < tolerance)
              for (const unsigned int c : components)
              {
                // Vertex dofs of FESystem(FE_Q, 3) are ordered by component.
                const auto dof = cell->vertex_dof_index(v, c);
                if (!constraints.is_constrained(dof))
                  constraints.add_line(dof);
              }
    }
  } // namespace

  void add_sample_constraints(const FiniteElementGeometry& g,
                              const dealii::DoFHandler<dim>& dof_handler, MPI_Comm communicator,
                              dealii::AffineConstraints<double>& constraints)
  {
    const double tolerance = 1e-6 * g.element_size_nm;
    if (g.shape == SampleShape::periodic_cube)
    {
      for (unsigned int d = 0; d < 3; ++d)
        dealii::DoFTools::make_periodicity_constraints(dof_handler, 2 * d, 2 * d + 1, d,
                                                       constraints);
      // With periodic u~ the null space is the three translations only (rotations are not
      // periodic). Fixing one interior vertex removes them and adds no stress: every row of the
      // periodic stiffness sums to zero along a translation and every load here (integrals of
      // eps(phi) : C : eps_0) is orthogonal to translations (eps(translation) = 0), so the
      // discarded equations of the pinned vertex hold by themselves (zero reaction).
      const Point<dim> centre(g.box_size_nm[0] / 2, g.box_size_nm[1] / 2, g.box_size_nm[2] / 2);
      pin_vertex(dof_handler, nearest_vertex(dof_handler, centre, communicator), {0, 1, 2},
                 tolerance, constraints);
      return;
    }

    // Free samples: 3-2-1 support. A fixed in x, y, z; B (about +x of A) in y, z; C (about +y of
    // A) in z. Proof that it adds no stress: let u solve the constrained system, so K u = f + r
    // with reactions r nonzero only at these 6 dofs. For each rigid-body mode z_k (3
    // translations, 3 rotations; linear fields, so exactly in the isoparametric Q1/Q2 space and
    // with eps(z_k) = 0), z_k^T K = 0 and z_k^T f = integral eps(z_k) : C : eps_0 = 0 (loads are
    // self-equilibrated), hence z_k^T r = 0 for k = 1..6: six equations for the six reactions
    // whose matrix Z_kj = z_k(dof j) is nonsingular exactly when the constraints remove all rigid
    // modes (checked below). So r = 0: the constrained solution solves the free problem, and the
    // stress equals that of any rigid-mode-free solution (the nullspace projection) exactly.
    const double reach =
      g.shape == SampleShape::plate ? 0.4 * std::min(g.box_size_nm[0], g.box_size_nm[1])
                                    : 0.5 * g.radius_nm;
    const Point<dim> centre = g.shape == SampleShape::plate
                                ? Point<dim>(g.box_size_nm[0] / 2, g.box_size_nm[1] / 2,
                                             g.box_size_nm[2] / 2)
                                : Point<dim>();
    const Point<dim> a = nearest_vertex(dof_handler, centre, communicator);
    const Point<dim> b =
      nearest_vertex(dof_handler, centre + dealii::Tensor<1, dim>({reach, 0., 0.}), communicator);
    const Point<dim> c =
      nearest_vertex(dof_handler, centre + dealii::Tensor<1, dim>({0., reach, 0.}), communicator);

    // Z: rows = constrained (point, component), columns = rigid modes (t_x, t_y, t_z, rotations
    // about x, y, z through A).
    const std::vector<std::pair<Point<dim>, unsigned int>> supports{
      {a, 0}, {a, 1}, {a, 2}, {b, 1}, {b, 2}, {c, 2}};
    dealii::FullMatrix<double> z(6, 6);
    for (unsigned int row = 0; row < 6; ++row)
    {
      const auto& [p, component] = supports[row];
      const dealii::Tensor<1, dim> arm = p - a;
      for (unsigned int k = 0; k < 3; ++k)
      {
        z(row, k) = component == k ? 1.0 : 0.0;
        dealii::Tensor<1, dim> omega;
        omega[k] = 1.0;
        z(row, 3 + k) = dealii::cross_product_3d(omega, arm)[component];
      }
    }
    const double scale = std::max(reach, g.element_size_nm);
    if (!(std::abs(z.determinant()) > 1e-6 * scale * scale * scale))
      throw std::invalid_argument(
        "finite-element geometry: mesh too coarse to place a 3-2-1 support (refine it)");
    pin_vertex(dof_handler, a, {0, 1, 2}, tolerance, constraints);
    pin_vertex(dof_handler, b, {1, 2}, tolerance, constraints);
    pin_vertex(dof_handler, c, {2}, tolerance, constraints);
  }
} // namespace cryocycle::continuum::internal
