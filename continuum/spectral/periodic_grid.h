#pragma once
/// @file
/// A scalar field sampled on a regular, periodic, axis-aligned grid, and the detection of such a
/// grid from scattered (x, y, z, value) points, e.g. a table of per-site values measured by the
/// atomistic stage.

#include <array>
#include <cstddef>
#include <vector>

namespace cryocycle::continuum
{
  /// A scalar field on a regular periodic grid of point_count[0] x point_count[1] x point_count[2]
  /// points. Point (i, j, k) sits at origin_nm + (i h_x, j h_y, k h_z) and has the flat index
  /// i + nx (j + ny k): x varies fastest, z slowest. The grid is periodic with box length
  /// L_a = n_a h_a along axis a, so the point at origin + L_a (the periodic image of the first
  /// plane) is not part of the grid.
  struct PeriodicGrid
  {
    /// Number of grid points along x, y, z.
    std::array<std::size_t, 3> point_count{};
    /// Grid spacing h along x, y, z (nm).
    std::array<double, 3> spacing_nm{};
    /// Position of point (0, 0, 0) (nm).
    std::array<double, 3> origin_nm{};
    /// One value per grid point, in flat-index order (units are the caller's).
    std::vector<double> values;

    /// Total number of grid points nx ny nz.
    std::size_t point_total() const;

    /// Flat index i + nx (j + ny k) of point (i, j, k).
    std::size_t flat_index(std::size_t i, std::size_t j, std::size_t k) const;

    /// Periodic box length n_a h_a along axis 0 (x), 1 (y) or 2 (z) (nm).
    double box_length_nm(std::size_t axis) const;

    /// Position (x, y, z) of the point with flat index `index` (nm).
    std::array<double, 3> position_nm(std::size_t index) const;
  };

  /// A grid of the given shape and spacing (nm) with all values zero. Throws
  /// std::invalid_argument if a count is zero or a spacing is not positive and finite.
  PeriodicGrid make_periodic_grid(const std::array<std::size_t, 3>& point_count,
                                  const std::array<double, 3>& spacing_nm,
                                  const std::array<double, 3>& origin_nm = {0.0, 0.0, 0.0});

  /// Recognises a regular grid in scattered points given in any order.
  ///
  /// Along each axis, coordinates closer than relative_tolerance times the axis extent
  /// (max - min) count as one grid coordinate; the distinct coordinates must be equally spaced
  /// within the same tolerance, there must be at least 2 of them, and every grid point must occur
  /// exactly once. The spacing is (max - min) / (n - 1) and the origin is the smallest
  /// coordinate; the grid is treated as periodic with box length n h, so the input must not
  /// repeat the first plane at origin + L.
  ///
  /// @param x_nm, y_nm, z_nm  point coordinates (nm), one entry per point
  /// @param values            one value per point
  /// @param relative_tolerance tolerance on coordinates, relative to each axis extent
  /// @throws std::invalid_argument naming what is wrong: array sizes, non-finite coordinates,
  ///         fewer than 2 distinct coordinates along an axis, non-uniform spacing (with the two
  ///         spacings and the place), a duplicate point (with its coordinates), or an incomplete
  ///         grid (with the point count and the grid shape).
  PeriodicGrid periodic_grid_from_points(const std::vector<double>& x_nm,
                                         const std::vector<double>& y_nm,
                                         const std::vector<double>& z_nm,
                                         const std::vector<double>& values,
                                         double relative_tolerance = 1e-6);
} // namespace cryocycle::continuum
