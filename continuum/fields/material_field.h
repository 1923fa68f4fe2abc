#pragma once
/// @file
/// Scalar material properties of the continuum (volumetric thermal expansion α, bulk modulus K,
/// shear modulus G) as functions of position, evaluated at the sites of a mesh: a constant, a
/// table on a regular grid read from CSV (interpolated trilinearly), or a correlated Gaussian
/// random field. No finite-element types appear here: a site is only a position (nm) and a global
/// id, so fields can be tested without a mesh and do not depend on the number of MPI ranks.

#include "continuum/spectral/periodic_grid.h"
#include "continuum/fields/periodic_random_field.h"

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>

namespace cryocycle::continuum
{
  /// Axis-aligned bounding box of a sample (nm) and the size of its sites (element size, nm).
  struct SampleExtent
  {
    std::array<double, 3> lower_nm{};
    std::array<double, 3> upper_nm{};
    /// Edge of a site (one cell of the mesh, nm). Site centres lie at least half of it inside
    /// the box, and generated fields use it as their grid spacing.
    double site_size_nm = 1.0;
    /// Whether the sample is periodic along every axis (the periodic cube): grid fields then
    /// wrap around with period upper − lower.
    bool periodic = false;
  };

  /// A scalar property evaluated at sites.
  class MaterialField
  {
  public:
    /// The same value everywhere.
    static MaterialField constant(double value);

    /// A field tabulated on a regular grid (values at the grid points), interpolated trilinearly.
    /// For a periodic sample the grid's period n h must equal the box edge along every axis
    /// (relative 1e-6) and the field wraps around; otherwise the grid must cover every site
    /// centre, i.e. the box shrunk by half a site on each side.
    /// @throws std::invalid_argument saying which axis does not fit and by how much.
    static MaterialField from_grid(PeriodicGrid grid, const SampleExtent &sample);

    /// Reads `file` (CSV with columns x_nm, y_nm, z_nm and `value_column`, one row per grid
    /// point in any order), checks that the points form a complete regular grid (see
    /// periodic_grid_from_points) and that it fits the sample (see from_grid).
    /// @throws std::runtime_error "file: ..." for a missing file or column, a non-numeric or
    ///         non-finite entry (with its line), a non-regular or incomplete grid, or a grid that
    ///         does not cover the sample.
    /// With `positive` (moduli) every value must be > 0: refused naming file and line.
    static MaterialField from_grid_file(const std::filesystem::path &file,
                                        const std::string &value_column, const SampleExtent &sample,
                                        bool positive = false);

    /// One realisation of a stationary Gaussian random field with Gaussian covariance
    /// (see GaussianRandomFieldSpec). With correlation length 0 each site draws its own value
    /// from the stream (seed, purpose, global site id); otherwise white noise on a regular grid of
    /// spacing site_size_nm aligned with the site centres of a structured mesh (grid point ids
    /// are global, so every rank builds the same grid) is filtered by FFT and interpolated to the
    /// sites. A non-periodic sample is padded by 3 correlation lengths on each side, where the
    /// periodic covariance of the filter falls below exp(−18), so opposite faces stay
    /// uncorrelated.
    /// @throws std::invalid_argument when the grid would exceed max_grid_points.
    static MaterialField gaussian_random(const GaussianRandomFieldSpec &spec,
                                         const SampleExtent &sample,
                                         std::size_t max_grid_points = 64u << 20u);

    /// Value at a site centre (nm) with a rank-independent global id.
    /// @throws std::out_of_range for a position outside a non-periodic grid.
    double at(const std::array<double, 3> &position_nm, std::uint64_t global_site_id) const;

    /// A one-line description for logs ("constant 3e-05", "grid 32x32x32 from a.csv", ...).
    const std::string &description() const { return description_; }

  private:
    enum class Kind
    {
      constant,
      grid,
      site_noise
    };
    MaterialField() = default;
    double interpolate(const std::array<double, 3> &position_nm) const;

    Kind kind_ = Kind::constant;
    double value_ = 0.0;
    PeriodicGrid grid_;
    bool periodic_ = false;
    GaussianRandomFieldSpec noise_;
    std::string description_;
  };
} // namespace cryocycle::continuum
