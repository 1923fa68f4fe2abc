#pragma once
/// @file
/// Loading modes and the strain search of the frozen-matrix local yield stress (Shang et al. 2018 §IV,
/// after Patinet et al.): the affine deformation imposed on the frozen surroundings, the stress
/// measures, and the search for the first stress drop — coarse strain steps, then bisection of
/// the step that holds the drop until the drop is located to a stated precision. Pure logic: no
/// LAMMPS, testable on synthetic stress–strain curves.

#include "core/tensor6.h"

#include <array>
#include <cstddef>
#include <string>
#include <vector>

namespace cryocycle::atomistic
{
  using Vector3 = std::array<double, 3>;
  /// 3×3 matrix, row-major: m[i][j].
  using Matrix3 = std::array<std::array<double, 3>, 3>;

  /// One loading direction. The imposed deformation at strain γ is F(γ) = I + γ H with H upper
  /// triangular (the form of a LAMMPS triclinic box change): every symmetric strain direction is
  /// reached by an upper-triangular H up to a rigid rotation, which changes no stress invariant.
  /// H is scaled so that the symmetric part e = (H + Hᵀ)/2 has unit equivalent shear strain,
  /// √(2 e:e) = 1; for simple shear xy (x displaced by γ y) γ is the engineering shear strain.
  struct LoadingMode
  {
    std::string name;                    ///< "+xy", "-yz", "custom_1", ...
    Matrix3 displacement_gradient{};     ///< H (upper triangular)
    SymmetricTensor6 strain_direction{};  ///< e = sym(H), √(2 e:e) = 1
  };

  /// Simple shear: component `i` displaced in proportion to component `j` (i < j; 0 = x, 1 = y,
  /// 2 = z) with `sign` ±1, named "+xy", "-xz", ...
  LoadingMode simple_shear_mode(int i, int j, double sign);
  /// The six simple shears ±xy, ±xz, ±yz (in this order: +xy, -xy, +xz, -xz, +yz, -yz).
  std::vector<LoadingMode> simple_shear_modes();
  /// A mode along the symmetric strain direction `direction` (xx, yy, zz, yz, xz, xy; scaled to
  /// unit equivalent shear strain). Throws std::invalid_argument for a zero direction.
  LoadingMode loading_mode_from_strain_direction(const std::string &name, const SymmetricTensor6 &direction);

  /// Stress resolved on a loading mode, τ = σ:e: the work conjugate of γ (σ_xy for simple shear xy).
  double resolved_stress(const SymmetricTensor6 &stress, const LoadingMode &mode);

  /// F(γ) = I + γ H.
  Matrix3 deformation_gradient(const LoadingMode &mode, double strain);
  Matrix3 multiply(const Matrix3 &a, const Matrix3 &b);
  Vector3 multiply(const Matrix3 &a, const Vector3 &v);
  /// Inverse of a 3×3 matrix; throws std::invalid_argument when singular.
  Matrix3 inverse(const Matrix3 &m);

  /// Settings of the strain search (native stress units, strain dimensionless).
  struct YieldSearchSettings
  {
    /// Coarse strain step Δγ. The curve is sampled at this step until its stress falls, so an
    /// event whose drop is smaller than the elastic rise over one step (tangent modulus × Δγ)
    /// stays hidden inside the step: Δγ sets the smallest event seen on a steep branch.
    double strain_step = 1.0e-3;
    /// Largest strain tried; a mode whose stress never falls up to it is reported as not yielded.
    double max_strain = 0.2;
    /// A drop is bracketed until the bracket is at most this wide (the precision of the strain
    /// at yield).
    double strain_precision = 1.0e-5;
    /// A fall of the resolved stress by more than this (native stress) is a drop.
    double drop_tolerance = 1.0e-3;
  };
  /// Throws std::invalid_argument naming the first inconsistent setting.
  void check(const YieldSearchSettings &settings);

  /// How a loading mode yielded.
  enum class YieldKind
  {
    none,   ///< the stress did not fall up to the largest strain
    drop,   ///< a discontinuous drop, bracketed to the strain precision
    peak    ///< the stress passed a maximum and fell continuously by more than the tolerance
  };

  /// The search for the yield point of one loading mode: "the first jump in the stress–strain
  /// curve" (Shang et al. 2018 §IV). The curve is sampled at coarse steps; a step over which the resolved
  /// stress falls by more than the tolerance is bisected (each try restarting from the last
  /// stable configuration) until the bracket is as narrow as the strain precision. If the fall
  /// is still there, it is a discontinuous drop and the yield point is the stable end of the
  /// bracket. If it has vanished, the curve is continuous there and the search goes on from the
  /// far end. A continuous branch that falls more than the tolerance below its running maximum
  /// (a smooth softening peak, common when a small sphere is held by a stiff frozen matrix)
  /// yields at that maximum.
  ///
  /// The caller minimises at next_strain(), starting from the stable configuration (at
  /// stable().strain) carried affinely, and reports the resolved and von Mises stresses with
  /// record(); the Update says which configuration to keep. The first strain tried is 0.
  class YieldStrainSearch
  {
  public:
    explicit YieldStrainSearch(const YieldSearchSettings &settings);

    /// What the caller keeps after record(), applied in this order.
    struct Update
    {
      /// The configuration just minimised becomes the stable one (the old stable one becomes
      /// the previous one).
      bool tried_is_stable = false;
      /// It lies past a fall: keep it as the dropped one.
      bool tried_is_dropped = false;
      /// The kept dropped configuration becomes the stable one (the old stable one becomes the
      /// previous one).
      bool dropped_is_stable = false;
      /// The tried (dropped) configuration, now stable, is the highest point of the curve so far.
      bool tried_is_peak = false, dropped_is_peak = false;
    };

    /// The strain to minimise at next (only while !finished()).
    double next_strain() const;
    Update record(double resolved_stress, double von_mises);
    bool finished() const { return finished_; }
    /// How the mode yielded (valid once finished()).
    YieldKind kind() const { return kind_; }
    bool yielded() const { return kind_ != YieldKind::none; }

    struct Point
    {
      double strain = 0.0, resolved = 0.0, von_mises = 0.0;
    };
    /// Last stable point.
    const Point &stable() const { return stable_; }
    /// The stable point before it, if any (the caller's predictor extrapolates from the two).
    bool has_previous() const { return has_previous_; }
    const Point &previous() const { return previous_; }
    /// Highest resolved stress of the stable points so far.
    const Point &peak() const { return peak_; }
    /// The yield point: the stable end of the drop's bracket (drop), the highest sampled point
    /// (peak: within one coarse step of the true maximum, whose stress it misses by about
    /// ½|τ''|Δγ² on a smooth curve), or the last stable point (none).
    const Point &yield_point() const { return kind_ == YieldKind::peak ? peak_ : stable_; }
    /// The point after the fall: the far end of the drop's bracket (drop), the point that fell
    /// below the maximum (peak), or the yield point itself (none).
    const Point &after_point() const { return kind_ == YieldKind::drop ? dropped_ : stable_; }
    /// Highest von Mises stress of the stable points.
    double max_stable_von_mises() const { return max_stable_von_mises_; }
    /// Number of record() calls (minimisations).
    std::size_t evaluations() const { return evaluations_; }

  private:
    YieldSearchSettings settings_;
    Point stable_, previous_, dropped_, peak_;
    bool started_ = false, has_previous_ = false, bracketing_ = false, finished_ = false;
    YieldKind kind_ = YieldKind::none;
    double max_stable_von_mises_ = 0.0;
    std::size_t evaluations_ = 0;
  };
} // namespace cryocycle::atomistic
