// Tests of the material fields: constant, tabulated on a CSV grid, Gaussian random.
#include "continuum/fields/material_field.h"
#include "continuum/fields/periodic_random_field.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <random>

using namespace cryocycle::continuum;
namespace fs = std::filesystem;

namespace
{
  SampleExtent box(const double edge_nm, const double site_nm, const bool periodic)
  {
    SampleExtent s;
    s.lower_nm = {0.0, 0.0, 0.0};
    s.upper_nm = {edge_nm, edge_nm, edge_nm};
    s.site_size_nm = site_nm;
    s.periodic = periodic;
    return s;
  }

  /// A grid of n^3 points with spacing h starting at `origin`, values f(x, y, z).
  template <typename F>
  PeriodicGrid tabulate(const std::size_t n, const double h, const double origin, F f)
  {
    PeriodicGrid g = make_periodic_grid({n, n, n}, {h, h, h}, {origin, origin, origin});
    for (std::size_t p = 0; p < g.point_total(); ++p)
      {
        const auto x = g.position_nm(p);
        g.values[p] = f(x[0], x[1], x[2]);
      }
    return g;
  }

  fs::path write_grid_csv(const std::string &name, const PeriodicGrid &g, const std::string &column,
                          const std::string &replace_last_value = "")
  {
    const auto file = fs::temp_directory_path() / ("cryocycle_material_field_" + name + ".csv");
    std::ofstream out(file);
    out << "x_nm,y_nm,z_nm," << column << "\n";
    for (std::size_t p = 0; p < g.point_total(); ++p)
      {
        const auto x = g.position_nm(p);
        out << x[0] << "," << x[1] << "," << x[2] << ",";
        if (p + 1 == g.point_total() && !replace_last_value.empty())
          out << replace_last_value << "\n";
        else
          out << g.values[p] << "\n";
      }
    return file;
  }

  std::string failure_of(const std::function<void()> &action)
  {
    try
      {
        action();
      }
    catch (const std::exception &e)
      {
        return e.what();
      }
    return "";
  }
} // namespace

TEST(MaterialField, ConstantIsTheSameEverywhere)
{
  const auto f = MaterialField::constant(3.2e-5);
  EXPECT_EQ(f.at({1.0, -4.0, 9.0}, 17), 3.2e-5);
  EXPECT_THROW(MaterialField::constant(std::nan("")), std::invalid_argument);
}

TEST(MaterialField, TrilinearInterpolationIsExactForLinearFields)
{
  // Reference: trilinear interpolation reproduces any affine function exactly (to rounding).
  const auto affine = [](double x, double y, double z) { return 1.0 + 2.0 * x - y + 0.5 * z; };
  // Sample 0..10 nm with 1 nm sites: centres 0.5..9.5 nm; the grid covers 0.5..9.5 exactly.
  const auto field = MaterialField::from_grid(tabulate(4, 3.0, 0.5, affine), box(10.0, 1.0, false));
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> u(0.5, 9.5);
  for (int i = 0; i < 200; ++i)
    {
      const std::array<double, 3> x{u(rng), u(rng), u(rng)};
      EXPECT_NEAR(field.at(x, 0), affine(x[0], x[1], x[2]), 1e-12);
    }
  EXPECT_THROW(field.at({11.0, 1.0, 1.0}, 0), std::out_of_range);
}

TEST(MaterialField, PeriodicGridWrapsAroundTheBox)
{
  const double pi = std::acos(-1.0);
  const auto wave = [pi](double x, double, double) { return std::sin(2.0 * pi * x / 8.0); };
  const auto field = MaterialField::from_grid(tabulate(8, 1.0, 0.5, wave), box(8.0, 1.0, true));
  // At grid points the table itself; between the last point (7.5) and the first image (8.5) the
  // mean of both, which is only right if the interpolation wraps.
  EXPECT_NEAR(field.at({2.5, 0.3, 0.7}, 0), wave(2.5, 0, 0), 1e-14);
  EXPECT_NEAR(field.at({8.0, 4.0, 4.0}, 0), 0.5 * (wave(7.5, 0, 0) + wave(0.5, 0, 0)), 1e-14);
  EXPECT_NEAR(field.at({-0.5, 4.0, 4.0}, 0), wave(7.5, 0, 0), 1e-14);
}

TEST(MaterialField, GridsThatDoNotFitTheSampleAreRejected)
{
  const auto flat = [](double, double, double) { return 1.0; };
  // Non-periodic: the grid ends at 6.5 nm but site centres reach 9.5 nm.
  const std::string short_grid = failure_of(
    [&] { MaterialField::from_grid(tabulate(4, 2.0, 0.5, flat), box(10.0, 1.0, false)); });
  EXPECT_NE(short_grid.find("must cover the whole sample"), std::string::npos) << short_grid;
  // Periodic: 8 points x 1 nm do not make a 10 nm period.
  const std::string period = failure_of(
    [&] { MaterialField::from_grid(tabulate(8, 1.0, 0.5, flat), box(10.0, 1.0, true)); });
  EXPECT_NE(period.find("period"), std::string::npos) << period;
}

TEST(MaterialField, CsvGridFilesAreCheckedAndRead)
{
  const auto ramp = [](double x, double, double) { return 3e-5 + 1e-6 * x; };
  const PeriodicGrid g = tabulate(4, 3.0, 0.5, ramp);
  const auto good = write_grid_csv("good", g, "alpha_per_K");
  const auto field = MaterialField::from_grid_file(good, "alpha_per_K", box(10.0, 1.0, false));
  EXPECT_NEAR(field.at({5.0, 5.0, 5.0}, 3), ramp(5.0, 0, 0), 1e-15);
  EXPECT_NE(field.description().find("alpha_per_K"), std::string::npos);

  // A NaN entry names the file and the line.
  const auto nan = write_grid_csv("nan", g, "alpha_per_K", "nan");
  const std::string nan_error =
    failure_of([&] { MaterialField::from_grid_file(nan, "alpha_per_K", box(10.0, 1.0, false)); });
  EXPECT_NE(nan_error.find(nan.filename().string()), std::string::npos) << nan_error;
  EXPECT_NE(nan_error.find(":65"), std::string::npos) << nan_error;  // header + 64 rows

  // A point moved off the lattice makes the grid non-regular.
  PeriodicGrid shifted = g;
  const auto irregular = fs::temp_directory_path() / "cryocycle_material_field_irregular.csv";
  {
    std::ofstream out(irregular);
    out << "x_nm,y_nm,z_nm,alpha_per_K\n";
    for (std::size_t p = 0; p < shifted.point_total(); ++p)
      {
        auto x = shifted.position_nm(p);
        if (p == 1)
          x[0] += 0.4;
        out << x[0] << "," << x[1] << "," << x[2] << "," << shifted.values[p] << "\n";
      }
  }
  const std::string irregular_error = failure_of(
    [&] { MaterialField::from_grid_file(irregular, "alpha_per_K", box(10.0, 1.0, false)); });
  EXPECT_NE(irregular_error.find(irregular.filename().string()), std::string::npos) << irregular_error;
  EXPECT_FALSE(irregular_error.empty());

  // Out of bounds: the same grid for a 20 nm sample.
  const std::string bounds =
    failure_of([&] { MaterialField::from_grid_file(good, "alpha_per_K", box(20.0, 1.0, false)); });
  EXPECT_NE(bounds.find("must cover the whole sample"), std::string::npos) << bounds;
  EXPECT_NE(bounds.find(good.filename().string()), std::string::npos) << bounds;

  // A missing column names the columns the file has.
  const std::string column =
    failure_of([&] { MaterialField::from_grid_file(good, "bulk_modulus_GPa", box(10.0, 1.0, false)); });
  EXPECT_NE(column.find("alpha_per_K"), std::string::npos) << column;
  for (const auto &f : {good, nan, irregular})
    fs::remove(f);
}

TEST(MaterialField, UncorrelatedNoiseDependsOnlyOnTheSiteId)
{
  GaussianRandomFieldSpec spec;
  spec.mean = 100.0;
  spec.standard_deviation = 5.0;
  spec.correlation_length_nm = 0.0;
  spec.seed = 42;
  spec.stream_purpose = "bulk_modulus";
  const auto field = MaterialField::gaussian_random(spec, box(10.0, 1.0, false));
  // The same id gives the same value wherever and whenever it is asked (any rank, any order).
  EXPECT_EQ(field.at({1, 2, 3}, 12345), field.at({7, 7, 7}, 12345));
  // Sample moments of 40000 sites: mean within 4 standard errors (4 · 5/200 = 0.1), standard
  // deviation within 4 standard errors (≈ 4 · 5/√(2·40000) = 0.071).
  const std::size_t n = 40000;
  double sum = 0.0;
  double sum2 = 0.0;
  for (std::size_t id = 0; id < n; ++id)
    {
      const double v = field.at({0, 0, 0}, id);
      sum += v;
      sum2 += v * v;
    }
  const double mean = sum / static_cast<double>(n);
  const double sd = std::sqrt(sum2 / static_cast<double>(n) - mean * mean);
  EXPECT_NEAR(mean, 100.0, 0.1);
  EXPECT_NEAR(sd, 5.0, 0.071);
  spec.seed = 43;
  EXPECT_NE(MaterialField::gaussian_random(spec, box(10.0, 1.0, false)).at({0, 0, 0}, 1), field.at({0, 0, 0}, 1));
}

TEST(MaterialField, CorrelatedFieldOnAPeriodicCubeIsThePeriodicGridField)
{
  // Reference: on a periodic cube whose site centres form the grid, the field at each site is
  // the periodic Gaussian random field of periodic_random_field.h at that grid point.
  GaussianRandomFieldSpec spec;
  spec.mean = 3e-5;
  spec.standard_deviation = 1e-5;
  spec.correlation_length_nm = 1.5;
  spec.seed = 9;
  spec.stream_purpose = "alpha";
  const auto field = MaterialField::gaussian_random(spec, box(16.0, 1.0, true));
  const PeriodicGrid reference = periodic_gaussian_random_grid({16, 16, 16}, {1, 1, 1}, spec, {0.5, 0.5, 0.5});
  for (std::size_t p = 0; p < reference.point_total(); p += 97)
    EXPECT_NEAR(field.at(reference.position_nm(p), p), reference.values[p], 1e-18);
}

TEST(MaterialField, CorrelatedFieldOnAFreeSampleHasTheRequestedStatistics)
{
  // One realisation over a 40 nm cube with correlation length 1 nm: ~(40/1)^3 / (2π)^(3/2)·...
  // thousands of independent patches, so the sample mean and standard deviation at the site
  // centres lie within 5% of the ensemble values (a loose bound, several standard errors).
  GaussianRandomFieldSpec spec;
  spec.mean = 50.0;
  spec.standard_deviation = 4.0;
  spec.correlation_length_nm = 1.0;
  spec.seed = 5;
  spec.stream_purpose = "shear_modulus";
  const auto field = MaterialField::gaussian_random(spec, box(40.0, 1.0, false));
  double sum = 0.0;
  double sum2 = 0.0;
  std::size_t n = 0;
  for (int i = 0; i < 40; ++i)
    for (int j = 0; j < 40; ++j)
      for (int k = 0; k < 40; ++k)
        {
          const double v = field.at({i + 0.5, j + 0.5, k + 0.5}, 0);
          sum += v;
          sum2 += v * v;
          ++n;
        }
  const double mean = sum / static_cast<double>(n);
  const double sd = std::sqrt(sum2 / static_cast<double>(n) - mean * mean);
  EXPECT_NEAR(mean, 50.0, 0.05 * 4.0);
  EXPECT_NEAR(sd, 4.0, 0.05 * 4.0);
  // Too fine a field for the sample size is refused with advice.
  spec.correlation_length_nm = 0.01;
  EXPECT_THROW(MaterialField::gaussian_random(spec, box(40.0, 0.01, false), 1u << 20u),
               std::invalid_argument);
}
