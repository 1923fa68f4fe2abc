#pragma once
/// @file
/// Geometry of the frozen-matrix test: a snapshot of the sample, nearest periodic images, the
/// cluster carved around a site (inner sphere of radius r_c plus a frozen shell at least as thick
/// as the interaction range — twice it for many-body potentials, whose embedding densities of
/// the shell atoms depend on atoms one more range out), the layout of many clusters in one box,
/// and random sites. No LAMMPS here except capture_configuration().

#include "atomistic/frozen_matrix_loading.h"
#include "atomistic/lammps_session.h"
#include "atomistic/potential.h"

#include <cstdint>
#include <string>
#include <vector>

namespace cryocycle::atomistic
{
  /// A snapshot of an atomic system (native units): box, positions and types ordered by atom ID.
  struct AtomicConfiguration
  {
    SimulationBox box;
    std::vector<double> positions;  ///< x0, y0, z0, x1, ...
    std::vector<int> types;         ///< LAMMPS types (1-based)
    std::size_t size() const { return types.size(); }
    Vector3 position(std::size_t atom) const
    {
      return {positions[3 * atom], positions[3 * atom + 1], positions[3 * atom + 2]};
    }
  };

  /// The system in `session` now (its atom IDs must be 1 … N).
  AtomicConfiguration capture_configuration(LammpsSession &session);

  /// A periodic (possibly triclinic) cell: box vectors a = (lx, 0, 0), b = (xy, ly, 0),
  /// c = (xz, yz, lz) as the columns of the upper-triangular matrix h.
  class PeriodicCell
  {
  public:
    explicit PeriodicCell(const SimulationBox &box);
    const Vector3 &low() const { return low_; }
    const Matrix3 &h() const { return h_; }
    /// The periodic image of `d` with fractional coordinates in [−½, ½) (the nearest image for
    /// separations below half the smallest width()).
    Vector3 nearest_image(const Vector3 &d) const;
    /// `x` moved into the cell (fractional coordinates in [0, 1)).
    Vector3 wrap(const Vector3 &x) const;
    /// Smallest distance between opposite faces.
    double minimum_width() const;

  private:
    Vector3 low_;
    Matrix3 h_, h_inverse_;
  };

  /// Atoms within `outer_radius` of a site, the inner ones (within `inner_radius`) first.
  struct CarvedCluster
  {
    Vector3 centre{};                  ///< site position in the sample (native length)
    std::vector<std::size_t> atoms;    ///< indices into the configuration
    std::size_t inner_count = 0;       ///< atoms[0 … inner_count) are inside the sphere
    std::vector<Vector3> offsets;      ///< nearest-image positions relative to the centre
  };

  /// Carves the cluster around `centre`. Throws std::invalid_argument when 2 × outer_radius
  /// exceeds the cell's smallest width (the cluster would overlap its own periodic image).
  CarvedCluster carve_cluster(const AtomicConfiguration &sample, const PeriodicCell &cell, const Vector3 &centre,
                              double inner_radius, double outer_radius);

  /// Reach of the potential's forces (native length) and whether it is many-body.
  struct InteractionRange
  {
    double cutoff = 0.0;
    bool many_body = true;
    /// Thickness of frozen shell that makes a carved cluster exact: the cut-off, twice it for
    /// many-body potentials.
    double required_shell() const { return many_body ? 2.0 * cutoff : cutoff; }
  };
  /// The words of a potential's `pair_style` line and of its first `pair_coeff` line (empty when
  /// absent), and how many `pair_coeff` lines it has.
  struct PairCommandWords
  {
    std::vector<std::string> style, first_coeff;
    std::size_t coeff_lines = 0;
  };
  PairCommandWords pair_command_words(const PotentialModel &potential);

  /// From the pair commands: the global cut-off of lj/* pair styles; the cut-off in the header of
  /// setfl / eam/fs files for eam/alloy and eam/fs. Throws std::invalid_argument for other styles
  /// (the caller must then be given the shell thickness).
  InteractionRange interaction_range(const PotentialModel &potential);

  /// `count` sites uniformly at random in the cell, from the stream (seed, "frozen_matrix_sites").
  std::vector<Vector3> random_sites(const SimulationBox &box, std::size_t count, std::uint64_t seed);

  /// Centres of `count` slots on a simple cubic lattice of spacing `spacing` (origin first), for
  /// clusters placed side by side in one box.
  std::vector<Vector3> slot_centres(std::size_t count, double spacing);
} // namespace cryocycle::atomistic
