#include "continuum/fields/periodic_random_field.h"

#include "core/random_stream.h"

#include <boost/random/normal_distribution.hpp>
#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

namespace
{
  using cryocycle::continuum::GaussianRandomFieldSpec;
  using cryocycle::continuum::periodic_gaussian_random_field;
  using Shape = std::array<std::size_t, 3>;
  using Spacing = std::array<double, 3>;

  const Shape cube{32, 32, 32};
  const Spacing spacing{0.25, 0.25, 0.25};
  constexpr std::size_t cube_points = 32 * 32 * 32;

  GaussianRandomFieldSpec spec_with(const double correlation_length_nm, const std::uint64_t seed)
  {
    GaussianRandomFieldSpec spec;
    spec.mean = 3.0e-5;
    spec.standard_deviation = 2.0e-6;
    spec.correlation_length_nm = correlation_length_nm;
    spec.seed = seed;
    return spec;
  }

  /// sum over the offsets of one periodic axis of exp(-x^2 / (2 l^2))^power (minimum image; the
  /// 8 nm box is 16 l long, so further images are below 1e-50).
  double axis_correlation_sum(const double correlation_length_nm, const double power)
  {
    double sum = 0.0;
    for (int m = -16; m < 16; ++m)
      {
        const double x = m * spacing[0];
        sum += std::exp(-power * x * x / (2.0 * correlation_length_nm * correlation_length_nm));
      }
    return sum;
  }

  /// Pooled estimate of rho(lag) along the three axes: average of (f_p - mean)(f_q - mean) / s^2
  /// over all points p and q = p + lag along each axis, with the ensemble mean and s.
  double correlation_at_lag(const std::vector<double>& field, const GaussianRandomFieldSpec& spec,
                            const std::size_t lag)
  {
    const std::size_t n = cube[0];
    double sum = 0.0;
    for (std::size_t k = 0; k < n; ++k)
      for (std::size_t j = 0; j < n; ++j)
        for (std::size_t i = 0; i < n; ++i)
          {
            const double here = field[i + n * (j + n * k)] - spec.mean;
            sum += here * (field[(i + lag) % n + n * (j + n * k)] - spec.mean);
            sum += here * (field[i + n * ((j + lag) % n + n * k)] - spec.mean);
            sum += here * (field[i + n * (j + n * ((k + lag) % n))] - spec.mean);
          }
    return sum / (3.0 * static_cast<double>(field.size()) * spec.standard_deviation *
                  spec.standard_deviation);
  }
} // namespace

// Reference: reproducibility contract of the streams. Exact.
TEST(PeriodicRandomField, SameSeedGivesIdenticalField)
{
  const GaussianRandomFieldSpec spec = spec_with(0.5, 42);
  const std::vector<double> first = periodic_gaussian_random_field({12, 10, 8}, spacing, spec);
  EXPECT_EQ(first, periodic_gaussian_random_field({12, 10, 8}, spacing, spec));
  EXPECT_NE(first, periodic_gaussian_random_field({12, 10, 8}, spacing, spec_with(0.5, 43)));
  GaussianRandomFieldSpec other_purpose = spec;
  other_purpose.stream_purpose = "bulk_modulus_field";
  EXPECT_NE(first, periodic_gaussian_random_field({12, 10, 8}, spacing, other_purpose));
}

// Reference: with l = 0 each value is the point's own stream, mean + s N(0, 1) drawn from
// core::make_random_stream(seed, purpose, flat index) - independent of evaluation order. Exact.
// Neighbours are then uncorrelated: the pooled lag-1 correlation of white noise has standard
// error 1/sqrt(3 N) = 0.0032; tolerance 5 standard errors = 0.016.
TEST(PeriodicRandomField, ZeroCorrelationLengthGivesWhiteNoise)
{
  const GaussianRandomFieldSpec spec = spec_with(0.0, 7);
  const std::vector<double> field = periodic_gaussian_random_field(cube, spacing, spec);
  for (const std::size_t p : {std::size_t{0}, std::size_t{1}, std::size_t{1000}, cube_points - 1})
    {
      auto stream = cryocycle::core::make_random_stream(7, "periodic_random_field", p);
      boost::random::normal_distribution<double> standard_normal(0.0, 1.0);
      EXPECT_EQ(field[p], spec.mean + spec.standard_deviation * standard_normal(stream));
    }
  EXPECT_LE(std::abs(correlation_at_lag(field, spec, 1)), 5.0 / std::sqrt(3.0 * cube_points));
}

// Reference: the model's ensemble mean and variance. For a field with correlation rho, the
// sample mean has variance s^2 sum_p rho_p / N and the sample variance a standard error of about
// s^2 sqrt(2 sum_p rho_p^2 / N); with l = h on 32^3 these are 0.022 s and 0.018 s^2.
// Tolerance: 5 standard errors.
TEST(PeriodicRandomField, MeanAndStandardDeviationMatchTheEnsemble)
{
  const double correlation_length = spacing[0];
  const GaussianRandomFieldSpec spec = spec_with(correlation_length, 2024);
  const std::vector<double> field = periodic_gaussian_random_field(cube, spacing, spec);
  double sum = 0.0;
  for (const double value : field)
    sum += value;
  const double sample_mean = sum / cube_points;
  double squares = 0.0;
  for (const double value : field)
    squares += (value - sample_mean) * (value - sample_mean);
  const double sample_variance = squares / (cube_points - 1);

  const double s = spec.standard_deviation;
  const double mean_error = s * std::sqrt(std::pow(axis_correlation_sum(correlation_length, 1.0),
                                                   3) / cube_points);
  const double variance_error =
    s * s * std::sqrt(2.0 * std::pow(axis_correlation_sum(correlation_length, 2.0), 3) /
                      cube_points);
  EXPECT_NEAR(sample_mean, spec.mean, 5.0 * mean_error);
  EXPECT_NEAR(sample_variance, s * s, 5.0 * variance_error + mean_error * mean_error);
}

// Reference: the covariance model rho(r) = exp(-r^2 / (2 l^2)) at lags l and 2 l (l = 2 h),
// pooled over three axes and 8 independent seeds. The standard error of the pooled estimate
// is below sqrt(2 sum_p rho_p^2 / (8 N)) = 0.018; tolerance 0.06 (more than 3 of them).
TEST(PeriodicRandomField, CorrelationMatchesGaussianCovariance)
{
  const double correlation_length = 2.0 * spacing[0];
  double at_l = 0.0;
  double at_2l = 0.0;
  constexpr int realisations = 8;
  for (int seed = 0; seed < realisations; ++seed)
    {
      const GaussianRandomFieldSpec spec = spec_with(correlation_length, 100 + seed);
      const std::vector<double> field = periodic_gaussian_random_field(cube, spacing, spec);
      at_l += correlation_at_lag(field, spec, 2) / realisations;
      at_2l += correlation_at_lag(field, spec, 4) / realisations;
    }
  EXPECT_NEAR(at_l, std::exp(-0.5), 0.06);
  EXPECT_NEAR(at_2l, std::exp(-2.0), 0.06);
}

// Reference: the periodic image sum of exp(-x^2 / (2 l^2)) normalised at 0, summed here
// independently over images |n| <= 20. Tolerance 1e-14 absolute.
TEST(PeriodicRandomField, AxisCorrelationIsThePeriodisedGaussian)
{
  using cryocycle::continuum::periodic_gaussian_correlation;
  for (const double l : {0.3, 1.0, 4.0}) // a box of 8 x 0.5 = 4 nm: images matter for l = 4
    {
      const std::vector<double> c = periodic_gaussian_correlation(8, 0.5, l);
      const auto image_sum = [l](const double x) {
        double sum = 0.0;
        for (int n = -20; n <= 20; ++n)
          sum += std::exp(-std::pow(x + 4.0 * n, 2) / (2.0 * l * l));
        return sum;
      };
      for (std::size_t m = 0; m < c.size(); ++m)
        EXPECT_NEAR(c[m], image_sum(0.5 * static_cast<double>(m)) / image_sum(0.0), 1e-14);
    }
  const std::vector<double> white = periodic_gaussian_correlation(5, 0.5, 0.0);
  EXPECT_EQ(white, (std::vector<double>{1.0, 0.0, 0.0, 0.0, 0.0}));
}

TEST(PeriodicRandomField, InvalidParametersAreRejected)
{
  GaussianRandomFieldSpec negative_std = spec_with(0.5, 1);
  negative_std.standard_deviation = -1.0;
  EXPECT_THROW(periodic_gaussian_random_field({4, 4, 4}, spacing, negative_std),
               std::invalid_argument);
  EXPECT_THROW(periodic_gaussian_random_field({4, 4, 4}, spacing, spec_with(-0.5, 1)),
               std::invalid_argument);
  EXPECT_THROW(periodic_gaussian_random_field({4, 0, 4}, spacing, spec_with(0.5, 1)),
               std::invalid_argument);
  EXPECT_THROW(periodic_gaussian_random_field({4, 4, 4}, {0.25, -1.0, 0.25}, spec_with(0.5, 1)),
               std::invalid_argument);
}

// The grid form carries the same values with the requested geometry. Exact.
TEST(PeriodicRandomField, GridFormCarriesShapeAndValues)
{
  const GaussianRandomFieldSpec spec = spec_with(0.5, 5);
  const cryocycle::continuum::PeriodicGrid grid =
    cryocycle::continuum::periodic_gaussian_random_grid({6, 5, 4}, spacing, spec, {1.0, 2.0, 3.0});
  EXPECT_EQ(grid.point_count, (Shape{6, 5, 4}));
  EXPECT_EQ(grid.origin_nm, (Spacing{1.0, 2.0, 3.0}));
  EXPECT_EQ(grid.values, periodic_gaussian_random_field({6, 5, 4}, spacing, spec));
}
