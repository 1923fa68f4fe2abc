#pragma once
/// @file
/// Correlated Gaussian random fields on a periodic grid, e.g. synthetic local thermal expansion
/// coefficients alpha(r) (Shang et al. 2018 section II-III) for demonstrations and tests.

#include "continuum/spectral/periodic_grid.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace cryocycle::continuum
{
  /// Parameters of a stationary Gaussian random field with Gaussian covariance.
  ///
  /// Covariance between grid points p and q:
  ///   Cov(f_p, f_q) = s^2 rho(r_p - r_q),  rho(r) = prod_a c_a(r_a),
  ///   c_a(x) = sum_n exp(-(x + n L_a)^2 / (2 l^2)) / sum_n exp(-(n L_a)^2 / (2 l^2)),
  /// i.e. the Gaussian exp(-|r|^2 / (2 l^2)) summed over periodic images and normalised to 1 at
  /// r = 0 (for L >> l this is the Gaussian itself). The normalisation is analytic: the
  /// ensemble variance at every point is s^2 exactly, whatever the grid (the sample standard
  /// deviation of one realisation scatters around it).
  struct GaussianRandomFieldSpec
  {
    /// Ensemble mean (units of the field).
    double mean = 0.0;
    /// Ensemble standard deviation s (units of the field), >= 0.
    double standard_deviation = 1.0;
    /// Correlation length l of the Gaussian covariance (nm), >= 0; 0 gives uncorrelated white
    /// noise (the grid values are then independent).
    double correlation_length_nm = 0.0;
    /// Seed of the random streams.
    std::uint64_t seed = 0;
    /// Purpose string of the random streams; fields that must be independent but share a seed
    /// (e.g. alpha and K) need different purposes.
    std::string stream_purpose = "periodic_random_field";
  };

  /// One realisation of the field on an nx x ny x nz periodic grid with spacing spacing_nm (nm),
  /// values in PeriodicGrid flat-index order (x fastest).
  ///
  /// White noise w_p ~ N(0, 1) is drawn at each grid point p from its own stream
  /// core::make_random_stream(seed, stream_purpose, p) (Boost normal_distribution), so a value
  /// does not depend on the order of evaluation; the noise is filtered in Fourier space with the
  /// square root of the spectrum of rho (a product of 1-D spectra), f = mean + s (h * w).
  /// @throws std::invalid_argument for a zero count, a non-positive spacing, a negative or
  ///         non-finite standard deviation or correlation length, or a non-finite mean.
  std::vector<double> periodic_gaussian_random_field(const std::array<std::size_t, 3>& point_count,
                                                     const std::array<double, 3>& spacing_nm,
                                                     const GaussianRandomFieldSpec& spec);

  /// The same field stored as a PeriodicGrid with the given origin (nm).
  PeriodicGrid periodic_gaussian_random_grid(const std::array<std::size_t, 3>& point_count,
                                             const std::array<double, 3>& spacing_nm,
                                             const GaussianRandomFieldSpec& spec,
                                             const std::array<double, 3>& origin_nm = {0.0, 0.0,
                                                                                       0.0});

  /// The normalised periodic covariance c_a(x) of one axis at the grid offsets x = m h,
  /// m = 0 .. n-1 (dimensionless, c_a(0) = 1); exposed for tests and diagnostics.
  std::vector<double> periodic_gaussian_correlation(std::size_t point_count, double spacing_nm,
                                                    double correlation_length_nm);
} // namespace cryocycle::continuum
