#include "continuum/spectral/periodic_grid.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace cryocycle::continuum
{
  namespace
  {
    constexpr std::array<const char*, 3> axis_names{"x", "y", "z"};

    /// The regular coordinates found along one axis.
    struct AxisLattice
    {
      std::size_t count = 0;
      double first_nm = 0.0;
      double spacing_nm = 0.0;
      double tolerance_nm = 0.0;
    };

    AxisLattice detect_axis_lattice(const std::vector<double>& coordinates_nm,
                                    const std::size_t axis, const double relative_tolerance)
    {
      const char* name = axis_names[axis];
      std::vector<double> sorted = coordinates_nm;
      std::sort(sorted.begin(), sorted.end());
      const double extent = sorted.back() - sorted.front();
      if (!(extent > 0.0))
        throw std::invalid_argument(fmt::format(
          "fewer than 2 points along {0}: all points have {0} = {1:g} nm, but a periodic grid "
          "needs at least 2 distinct coordinates along each axis",
          name, sorted.front()));
      const double tolerance = relative_tolerance * extent;

      // A new grid coordinate starts where a value is farther than the tolerance from the first
      // value of the current one; comparing with the first value (not the previous one) keeps a
      // slow drift of nearly equal values from chaining into one coordinate.
      std::vector<double> distinct;
      double cluster_start = sorted.front();
      double cluster_sum = 0.0;
      std::size_t cluster_size = 0;
      for (const double value : sorted)
        {
          if (value - cluster_start > tolerance)
            {
              distinct.push_back(cluster_sum / static_cast<double>(cluster_size));
              cluster_start = value;
              cluster_sum = 0.0;
              cluster_size = 0;
            }
          cluster_sum += value;
          ++cluster_size;
        }
      distinct.push_back(cluster_sum / static_cast<double>(cluster_size));

      const std::size_t count = distinct.size();
      if (count < 2)
        throw std::invalid_argument(fmt::format(
          "fewer than 2 points along {}: all coordinates lie within the tolerance {:g} nm",
          name, tolerance));
      const double spacing = (distinct.back() - distinct.front()) / static_cast<double>(count - 1);

      for (std::size_t i = 1; i + 1 < count; ++i)
        {
          const double previous_gap = distinct[i] - distinct[i - 1];
          const double gap = distinct[i + 1] - distinct[i];
          if (std::abs(gap - previous_gap) > tolerance)
            throw std::invalid_argument(
              fmt::format("{0} spacing not uniform: {1:g} nm then {2:g} nm near {0} = {3:g} nm",
                          name, previous_gap, gap, distinct[i]));
        }
      for (std::size_t i = 0; i < count; ++i)
        {
          const double uniform = distinct.front() + static_cast<double>(i) * spacing;
          if (std::abs(distinct[i] - uniform) > tolerance)
            throw std::invalid_argument(fmt::format(
              "{0} spacing not uniform: {0} = {1:g} nm is {2:g} nm away from the uniform grid "
              "position {3:g} nm (mean spacing {4:g} nm)",
              name, distinct[i], distinct[i] - uniform, uniform, spacing));
        }
      return {count, distinct.front(), spacing, tolerance};
    }

    void check_positive_finite_spacing(const std::array<double, 3>& spacing_nm)
    {
      for (std::size_t axis = 0; axis < 3; ++axis)
        if (!(std::isfinite(spacing_nm[axis]) && spacing_nm[axis] > 0.0))
          throw std::invalid_argument(fmt::format(
            "grid spacing along {} must be positive and finite, got {:g} nm", axis_names[axis],
            spacing_nm[axis]));
    }
  } // namespace

  std::size_t PeriodicGrid::point_total() const
  {
    return point_count[0] * point_count[1] * point_count[2];
  }

  std::size_t PeriodicGrid::flat_index(const std::size_t i, const std::size_t j,
                                       const std::size_t k) const
  {
    return i + point_count[0] * (j + point_count[1] * k);
  }

  double PeriodicGrid::box_length_nm(const std::size_t axis) const
  {
    if (axis > 2)
      throw std::invalid_argument(fmt::format("axis must be 0, 1 or 2, got {}", axis));
    return static_cast<double>(point_count[axis]) * spacing_nm[axis];
  }

  std::array<double, 3> PeriodicGrid::position_nm(const std::size_t index) const
  {
    if (index >= point_total())
      throw std::invalid_argument(fmt::format("grid point index {} out of range: the {} x {} x {} "
                                              "grid has {} points",
                                              index, point_count[0], point_count[1],
                                              point_count[2], point_total()));
    const std::size_t i = index % point_count[0];
    const std::size_t j = (index / point_count[0]) % point_count[1];
    const std::size_t k = index / (point_count[0] * point_count[1]);
    return {origin_nm[0] + static_cast<double>(i) * spacing_nm[0],
            origin_nm[1] + static_cast<double>(j) * spacing_nm[1],
            origin_nm[2] + static_cast<double>(k) * spacing_nm[2]};
  }

  PeriodicGrid make_periodic_grid(const std::array<std::size_t, 3>& point_count,
                                  const std::array<double, 3>& spacing_nm,
                                  const std::array<double, 3>& origin_nm)
  {
    for (std::size_t axis = 0; axis < 3; ++axis)
      if (point_count[axis] == 0)
        throw std::invalid_argument(
          fmt::format("grid point count along {} must be at least 1, got 0", axis_names[axis]));
    check_positive_finite_spacing(spacing_nm);
    PeriodicGrid grid;
    grid.point_count = point_count;
    grid.spacing_nm = spacing_nm;
    grid.origin_nm = origin_nm;
    grid.values.assign(grid.point_total(), 0.0);
    return grid;
  }

  PeriodicGrid periodic_grid_from_points(const std::vector<double>& x_nm,
                                         const std::vector<double>& y_nm,
                                         const std::vector<double>& z_nm,
                                         const std::vector<double>& values,
                                         const double relative_tolerance)
  {
    const std::size_t point_number = x_nm.size();
    if (y_nm.size() != point_number || z_nm.size() != point_number ||
        values.size() != point_number)
      throw std::invalid_argument(fmt::format(
        "point arrays differ in length: {} x, {} y, {} z coordinates and {} values",
        x_nm.size(), y_nm.size(), z_nm.size(), values.size()));
    if (point_number == 0)
      throw std::invalid_argument("no points given: a periodic grid needs at least 2 x 2 x 2");
    if (!(relative_tolerance > 0.0 && relative_tolerance < 0.5))
      throw std::invalid_argument(fmt::format(
        "relative tolerance must lie in (0, 0.5), got {:g}", relative_tolerance));

    const std::array<const std::vector<double>*, 3> coordinates{&x_nm, &y_nm, &z_nm};
    for (std::size_t p = 0; p < point_number; ++p)
      for (std::size_t axis = 0; axis < 3; ++axis)
        if (!std::isfinite((*coordinates[axis])[p]))
          throw std::invalid_argument(fmt::format("point #{} has a non-finite {} coordinate ({})",
                                                  p, axis_names[axis], (*coordinates[axis])[p]));

    std::array<AxisLattice, 3> lattice;
    for (std::size_t axis = 0; axis < 3; ++axis)
      lattice[axis] = detect_axis_lattice(*coordinates[axis], axis, relative_tolerance);

    PeriodicGrid grid;
    for (std::size_t axis = 0; axis < 3; ++axis)
      {
        grid.point_count[axis] = lattice[axis].count;
        grid.spacing_nm[axis] = lattice[axis].spacing_nm;
        grid.origin_nm[axis] = lattice[axis].first_nm;
      }
    const auto incomplete_message = [&](const std::string& detail) {
      return fmt::format("points do not form a complete regular grid: {} points for a {} x {} x "
                         "{} grid{}",
                         point_number, grid.point_count[0], grid.point_count[1],
                         grid.point_count[2], detail);
    };
    // Scattered points can span an enormous nominal grid: refuse before allocating it.
    const double nominal_total = static_cast<double>(grid.point_count[0]) *
                                 static_cast<double>(grid.point_count[1]) *
                                 static_cast<double>(grid.point_count[2]);
    if (nominal_total > 2.0 * static_cast<double>(point_number))
      throw std::invalid_argument(incomplete_message(""));

    constexpr std::size_t unassigned = std::numeric_limits<std::size_t>::max();
    std::vector<std::size_t> source_point(grid.point_total(), unassigned);
    grid.values.assign(grid.point_total(), 0.0);
    for (std::size_t p = 0; p < point_number; ++p)
      {
        std::array<std::size_t, 3> grid_index{};
        for (std::size_t axis = 0; axis < 3; ++axis)
          {
            const AxisLattice& axis_lattice = lattice[axis];
            const double coordinate = (*coordinates[axis])[p];
            const double steps = std::round((coordinate - axis_lattice.first_nm) /
                                            axis_lattice.spacing_nm);
            const double clamped =
              std::clamp(steps, 0.0, static_cast<double>(axis_lattice.count - 1));
            const double on_grid = axis_lattice.first_nm + clamped * axis_lattice.spacing_nm;
            if (std::abs(coordinate - on_grid) > axis_lattice.tolerance_nm)
              throw std::invalid_argument(fmt::format(
                "point #{} is off the grid: {} = {:g} nm is {:g} nm from the nearest grid "
                "coordinate {:g} nm",
                p, axis_names[axis], coordinate, coordinate - on_grid, on_grid));
            grid_index[axis] = static_cast<std::size_t>(clamped);
          }
        const std::size_t flat = grid.flat_index(grid_index[0], grid_index[1], grid_index[2]);
        if (source_point[flat] != unassigned)
          throw std::invalid_argument(fmt::format(
            "duplicate point at (x, y, z) = ({:g}, {:g}, {:g}) nm: points #{} and #{}", x_nm[p],
            y_nm[p], z_nm[p], source_point[flat], p));
        source_point[flat] = p;
        grid.values[flat] = values[p];
      }

    if (point_number != grid.point_total())
      {
        // More points than grid slots would have hit a duplicate, so some slot is empty.
        const auto missing = std::find(source_point.begin(), source_point.end(), unassigned);
        std::string detail;
        if (missing != source_point.end())
          {
            const auto position =
              grid.position_nm(static_cast<std::size_t>(missing - source_point.begin()));
            detail = fmt::format(" (missing point at ({:g}, {:g}, {:g}) nm)", position[0],
                                 position[1], position[2]);
          }
        throw std::invalid_argument(incomplete_message(detail));
      }
    return grid;
  }
} // namespace cryocycle::continuum
