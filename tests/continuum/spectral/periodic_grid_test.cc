#include "continuum/spectral/periodic_grid.h"

#include "core/random_stream.h"

#include <boost/random/uniform_int_distribution.hpp>
#include <gtest/gtest.h>

#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>

namespace
{
  using cryocycle::continuum::PeriodicGrid;
  using cryocycle::continuum::periodic_grid_from_points;

  /// Scattered points of a regular grid, value = flat index, in flat order.
  struct Points
  {
    std::vector<double> x, y, z, values;
  };

  Points regular_points(const std::array<std::size_t, 3>& count, const std::array<double, 3>& h,
                        const std::array<double, 3>& origin)
  {
    Points points;
    for (std::size_t k = 0; k < count[2]; ++k)
      for (std::size_t j = 0; j < count[1]; ++j)
        for (std::size_t i = 0; i < count[0]; ++i)
          {
            points.x.push_back(origin[0] + static_cast<double>(i) * h[0]);
            points.y.push_back(origin[1] + static_cast<double>(j) * h[1]);
            points.z.push_back(origin[2] + static_cast<double>(k) * h[2]);
            points.values.push_back(static_cast<double>(points.values.size()));
          }
    return points;
  }

  void remove_point(Points& points, const std::size_t p)
  {
    for (auto* column : {&points.x, &points.y, &points.z, &points.values})
      column->erase(column->begin() + static_cast<std::ptrdiff_t>(p));
  }

  /// Expects periodic_grid_from_points to throw std::invalid_argument whose message contains
  /// `fragment`.
  void expect_error_containing(const Points& points, const std::string& fragment)
  {
    try
      {
        periodic_grid_from_points(points.x, points.y, points.z, points.values);
        ADD_FAILURE() << "no exception; expected one mentioning '" << fragment << "'";
      }
    catch (const std::invalid_argument& error)
      {
        EXPECT_NE(std::string(error.what()).find(fragment), std::string::npos)
          << "message: " << error.what() << "\nexpected to contain: " << fragment;
      }
  }
} // namespace

// Reference: the grid the points were generated from. Tolerance: shape exact, spacing and
// origin to 1e-12 nm, values exact (each value is its own flat index).
TEST(PeriodicGrid, ShuffledPointsRecoverTheGrid)
{
  const std::array<std::size_t, 3> count{5, 4, 3};
  const std::array<double, 3> h{0.25, 0.5, 0.3};
  const std::array<double, 3> origin{-1.0, 2.0, 0.125};
  Points points = regular_points(count, h, origin);
  std::vector<std::size_t> order(points.x.size());
  std::iota(order.begin(), order.end(), 0);
  // Fisher-Yates with the project's reproducible streams (same order on every platform).
  auto stream = cryocycle::core::make_random_stream(7, "periodic_grid_test_shuffle");
  for (std::size_t p = order.size() - 1; p > 0; --p)
    std::swap(order[p], order[boost::random::uniform_int_distribution<std::size_t>(0, p)(stream)]);
  Points shuffled;
  for (const std::size_t p : order)
    {
      shuffled.x.push_back(points.x[p]);
      shuffled.y.push_back(points.y[p]);
      shuffled.z.push_back(points.z[p]);
      shuffled.values.push_back(points.values[p]);
    }

  const PeriodicGrid grid =
    periodic_grid_from_points(shuffled.x, shuffled.y, shuffled.z, shuffled.values);
  EXPECT_EQ(grid.point_count, count);
  for (std::size_t axis = 0; axis < 3; ++axis)
    {
      EXPECT_NEAR(grid.spacing_nm[axis], h[axis], 1e-12);
      EXPECT_NEAR(grid.origin_nm[axis], origin[axis], 1e-12);
      EXPECT_NEAR(grid.box_length_nm(axis), static_cast<double>(count[axis]) * h[axis], 1e-12);
    }
  ASSERT_EQ(grid.values.size(), grid.point_total());
  for (std::size_t p = 0; p < grid.point_total(); ++p)
    {
      EXPECT_EQ(grid.values[p], static_cast<double>(p));
      const auto position = grid.position_nm(p);
      for (std::size_t axis = 0; axis < 3; ++axis)
        {
          const std::vector<double>& column =
            axis == 0 ? points.x : (axis == 1 ? points.y : points.z);
          EXPECT_NEAR(position[axis], column[p], 1e-12);
        }
    }
  EXPECT_EQ(grid.flat_index(2, 3, 1), 2u + 5u * (3u + 4u * 1u));
}

// Reference: coordinates perturbed by 1e-9 relative to the extent, below the default 1e-6
// tolerance, must still be recognised; the spacing is then exact to 1e-8 nm.
TEST(PeriodicGrid, ToleratesRoundOffInCoordinates)
{
  Points points = regular_points({4, 4, 4}, {0.5, 0.5, 0.5}, {0.0, 0.0, 0.0});
  for (std::size_t p = 0; p < points.x.size(); ++p)
    points.x[p] += (p % 2 == 0 ? 1.0 : -1.0) * 1.5e-9;
  const PeriodicGrid grid = periodic_grid_from_points(points.x, points.y, points.z, points.values);
  EXPECT_EQ(grid.point_count[0], 4u);
  EXPECT_NEAR(grid.spacing_nm[0], 0.5, 1e-8);
}

TEST(PeriodicGrid, MissingPointNamesCountAndShape)
{
  Points points = regular_points({16, 16, 16}, {0.25, 0.25, 0.25}, {0.0, 0.0, 0.0});
  remove_point(points, 1234);
  expect_error_containing(points,
                          "points do not form a complete regular grid: 4095 points for a 16 x 16 "
                          "x 16 grid");
}

TEST(PeriodicGrid, DuplicatePointNamesItsCoordinates)
{
  Points points = regular_points({3, 3, 3}, {0.5, 0.5, 0.5}, {0.0, 0.0, 0.0});
  // Replace the last point by a copy of point (1, 2, 0) at (0.5, 1, 0) nm.
  const std::size_t copied = 1 + 3 * 2;
  points.x.back() = points.x[copied];
  points.y.back() = points.y[copied];
  points.z.back() = points.z[copied];
  expect_error_containing(points, "duplicate point at (x, y, z) = (0.5, 1, 0) nm");
}

TEST(PeriodicGrid, NonUniformSpacingNamesBothSpacingsAndPlace)
{
  Points points = regular_points({8, 3, 3}, {0.25, 0.5, 0.5}, {0.0, 0.0, 0.0});
  // Move the planes x >= 1.75 by 0.05 nm: the gap after x = 1.5 becomes 0.3 nm.
  for (double& x : points.x)
    if (x > 1.6)
      x += 0.05;
  expect_error_containing(points, "x spacing not uniform: 0.25 nm then 0.3 nm near x = 1.5 nm");
}

TEST(PeriodicGrid, SlowDriftOfSpacingIsRejected)
{
  // Each gap differs from the previous one by 1e-4 nm, within the 1e-3 tolerance, but the planes
  // drift from a uniform lattice by more than the tolerance.
  Points points = regular_points({40, 2, 2}, {1.0, 1.0, 1.0}, {0.0, 0.0, 0.0});
  for (double& x : points.x)
    x += 1e-4 * x * x / 2.0;
  try
    {
      periodic_grid_from_points(points.x, points.y, points.z, points.values, 2.5e-5);
      ADD_FAILURE() << "drifting spacing accepted";
    }
  catch (const std::invalid_argument& error)
    {
      EXPECT_NE(std::string(error.what()).find("x spacing not uniform"), std::string::npos)
        << error.what();
    }
}

TEST(PeriodicGrid, SinglePlaneIsRejected)
{
  Points points = regular_points({4, 1, 4}, {0.5, 0.5, 0.5}, {0.0, 3.0, 0.0});
  expect_error_containing(points, "fewer than 2 points along y");
}

TEST(PeriodicGrid, MismatchedArraysAndBadCoordinatesAreRejected)
{
  Points points = regular_points({2, 2, 2}, {1.0, 1.0, 1.0}, {0.0, 0.0, 0.0});
  Points short_values = points;
  short_values.values.pop_back();
  expect_error_containing(short_values, "point arrays differ in length: 8 x, 8 y, 8 z "
                                        "coordinates and 7 values");
  Points not_finite = points;
  not_finite.z[3] = std::numeric_limits<double>::quiet_NaN();
  expect_error_containing(not_finite, "point #3 has a non-finite z coordinate");
  expect_error_containing(Points{}, "no points given");
}

TEST(PeriodicGrid, MakePeriodicGridValidates)
{
  const PeriodicGrid grid = cryocycle::continuum::make_periodic_grid({2, 3, 4}, {1.0, 2.0, 3.0});
  EXPECT_EQ(grid.values.size(), 24u);
  EXPECT_DOUBLE_EQ(grid.box_length_nm(2), 12.0);
  EXPECT_THROW(cryocycle::continuum::make_periodic_grid({2, 0, 4}, {1.0, 2.0, 3.0}),
               std::invalid_argument);
  EXPECT_THROW(cryocycle::continuum::make_periodic_grid({2, 2, 4}, {1.0, -2.0, 3.0}),
               std::invalid_argument);
  EXPECT_THROW(grid.position_nm(24), std::invalid_argument);
}
