#pragma once
/// @file
/// Where and how big a site is: the one thing the physics rules need to know of a mesh or grid.

#include <array>
#include <cstdint>

namespace cryocycle::continuum
{
  /// A site: an active cell of the finite-element mesh or a point of the Fourier grid.
  struct SiteGeometry
  {
    std::array<double, 3> centre_nm{{0, 0, 0}}; ///< cell centre (nm)
    /// Rank-independent id: random streams are keyed by it, so results do not depend on the
    /// number of MPI ranks.
    std::uint64_t global_id = 0;
    double volume_nm3 = 0.0; ///< cell volume (nm^3)
  };
} // namespace cryocycle::continuum
