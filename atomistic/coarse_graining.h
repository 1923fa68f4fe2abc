#pragma once
/// @file
/// Goldhirsch–Goldenberg coarse graining of per-atom fields (Shang et al. 2018 eq. 2) in a periodic box:
///
///   f(r) = Σ_i w_i f_i φ(r − r_i) / Σ_j w_j φ(r − r_j)          (w_i = m_i for displacements)
///
/// with a Gaussian coarse-graining function φ of width σ_cg, truncated at r_cut = t σ_cg
/// (t = `truncation_sigmas`, default 3) and shifted so it falls continuously to zero there:
///
///   φ(s) = C (exp(−s²/2σ²) − exp(−t²/2)) for s < t σ,   0 beyond,   C such that ∫φ d³r = 1.
///
/// The shift keeps φ continuous, so an atom crossing the cut-off changes nothing abruptly and the
/// analytic gradient of φ has no surface term. Every periodic image of an atom within r_cut
/// counts (boxes narrower than 2 r_cut included). Orthorhombic and triclinic boxes (LAMMPS
/// convention: a ∥ x, b in the xy plane). A cell list makes the cost O(N_points · atoms within
/// r_cut); several widths share one neighbour search (the largest cut-off).
///
/// Strain. GG define the strain from the gradient of the coarse-grained displacement u(r). The
/// analytic gradient of the ratio is ∂_a u_b = −Σ w_i γ_i d_ia (u_ib − ū_b) / Σ w_i φ_i with
/// d_i = r_i − r and γ = φ'(s)/s. For an affine displacement u_i = E r_i it returns
/// E · (∂R/∂r), where R(r) is the coarse-grained position of the same ratio, and ∂R/∂r equals
/// the identity only in a continuum (for the Gaussian ∂R/∂r = Cov_w(d)/σ², which scatters by
/// tens of percent between sites at σ_cg ≈ 5 Å; in a continuum it is exactly I because the
/// shifted kernel vanishes at its cut-off, so no surface term biases it). The strain is
/// therefore taken as the gradient with respect to the coarse-grained reference position,
///
///   ∂u/∂R = (∂u/∂r)(∂R/∂r)⁻¹,
///
/// both factors analytic gradients of GG ratios with the same kernel. It is exact for every
/// affine field (and any kernel), tends to ∂u/∂r where the atoms are dense on the scale σ_cg,
/// and equals the kernel-weighted least-squares affine fit of the displacements. Both the plain
/// gradient and ∂R/∂r are returned as well.
///
/// Box changes: a displacement between two periodic configurations is split into the affine
/// part of the box change, (B − I) r with B = H₂ H₁⁻¹, and the rest w_i, which is the same for
/// every periodic image of an atom (affine_and_periodic_displacements()). The rest is coarse
/// grained; B − I is added back to its gradient, which is what coarse graining the total
/// displacement with image-consistent displacements gives (the strain is linear and exact for
/// affine fields).
///
/// Lengths are in any one unit (cryocycle passes LAMMPS native lengths).

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace cryocycle::atomistic
{
  using Vector3 = std::array<double, 3>;
  /// Row-major 3×3 matrix: m[row][column].
  using Matrix3 = std::array<std::array<double, 3>, 3>;

  /// A periodic parallelepiped: origin `low` and edge vectors as the columns of `edges`
  /// (edges[i][j] = component i of edge j). LAMMPS: a = (lx, 0, 0), b = (xy, ly, 0), c = (xz, yz, lz).
  struct PeriodicBox
  {
    Vector3 low{};
    Matrix3 edges{};

    static PeriodicBox orthorhombic(const Vector3 &low, const Vector3 &high);
    static PeriodicBox triclinic(const Vector3 &low, const Vector3 &high, double xy, double xz, double yz);
    double volume() const;
    /// Fractional coordinates s with r = low + edges · s.
    Vector3 fractional(const Vector3 &r) const;
    Vector3 cartesian(const Vector3 &s) const;
    /// Perpendicular widths of the box along its three reciprocal directions.
    Vector3 widths() const;
    bool is_orthorhombic() const;
  };

  /// The truncated, shifted, normalised Gaussian of the file comment.
  class CoarseGrainingKernel
  {
  public:
    /// `sigma` > 0; `truncation_sigmas` ≥ 1.5 (r_cut = truncation_sigmas · sigma).
    explicit CoarseGrainingKernel(double sigma, double truncation_sigmas = 3.0);
    double sigma() const { return sigma_; }
    double cutoff() const { return cutoff_; }
    double truncation_sigmas() const { return cutoff_ / sigma_; }
    /// φ at squared distance s² (1/length³), zero at and beyond the cut-off.
    double value(double distance2) const;
    /// φ'(s)/s at squared distance s² (1/length⁵): ∇_r φ(r − r_i) = γ · (r − r_i).
    double gradient_factor(double distance2) const;
    /// Both at once (one exponential): φ and γ at squared distance s² (zero beyond the cut-off).
    void value_and_gradient_factor(double distance2, double &value, double &gradient_factor) const;
    /// The normalisation constant C.
    double normalisation() const { return normalisation_; }

  private:
    double sigma_, cutoff_, cutoff2_, shift_, normalisation_;
  };

  /// One periodic image of an atom near a point.
  struct Neighbour
  {
    std::uint32_t atom = 0;
    Vector3 separation{};   ///< r_image − r_point
    double distance2 = 0.0;
  };

  /// Cell list of a fixed configuration in a periodic box.
  class NeighbourSearch
  {
  public:
    /// `positions` = x0, y0, z0, x1, ... (any image; wrapped internally).
    NeighbourSearch(const PeriodicBox &box, const std::vector<double> &positions, double cutoff);
    /// Every periodic image of every atom within `cutoff` of `point` (any image of the point).
    void find(const Vector3 &point, std::vector<Neighbour> &out) const;
    std::size_t atom_count() const { return wrapped_.size(); }
    const PeriodicBox &box() const { return box_; }
    double cutoff() const { return cutoff_; }

  private:
    PeriodicBox box_;
    Matrix3 inverse_edges_{};
    double cutoff_;
    std::array<int, 3> cells_{};     ///< cells per edge
    Vector3 reach_{};                ///< cut-off in fractional units along each reciprocal direction
    Vector3 widths_{};               ///< perpendicular widths of the box
    bool orthorhombic_ = true;
    std::vector<Vector3> wrapped_;   ///< fractional coordinates in [0, 1)
    std::vector<std::uint32_t> cell_start_, cell_atoms_;
  };

  /// Displacement gradient of a coarse-grained displacement field at one point. Matrices in the
  /// convention g[b][c] = ∂u_b/∂x_c.
  struct CoarseGrainedDisplacement
  {
    Vector3 displacement{};   ///< u(r), eq. 2 (periodic part plus the affine part at R)
    Matrix3 gradient{};       ///< ∂u/∂R: the strain source (see the file comment)
    Matrix3 plain_gradient{}; ///< ∂u/∂r, the analytic gradient of the ratio alone
    Matrix3 position_gradient{};  ///< ∂R/∂r (identity in a continuum)
    double weight_sum = 0.0;      ///< Σ w_i φ_i (mass density for w = m)
    std::uint32_t atoms = 0;      ///< atoms (images) within the cut-off

    /// Small strain ε = ½(∇u + ∇uᵀ).
    Matrix3 small_strain() const;
    /// tr ε (Shang et al. 2018 eq. 3).
    double volumetric_small_strain() const;
    /// det(I + ∇u) − 1: the local relative volume change; equals tr ε to first order and the
    /// box's V₂/V₁ − 1 exactly for a uniform change.
    double volume_change() const;
  };

  /// Regular grid of n0 × n1 × n2 points at the fractional centres (i + ½)/n of the box cells,
  /// ordered with the first index fastest.
  std::vector<Vector3> regular_site_grid(const PeriodicBox &box, const std::array<int, 3> &sites_per_edge);
  /// Sites per edge for a spacing: round(|edge_i| / spacing), at least 1.
  std::array<int, 3> sites_per_edge_for_spacing(const PeriodicBox &box, double spacing);

  /// A displacement between two periodic configurations of the same atoms, split as in the
  /// file comment.
  struct AffineAndPeriodic
  {
    Matrix3 box_deformation{};          ///< B = H₂ H₁⁻¹
    std::vector<double> periodic;       ///< w_i (x0, y0, z0, ...), the same for every image
  };
  /// From positions (any image: the fractional change of each atom is taken to its minimum image,
  /// so no atom may move more than half a box besides the box change).
  AffineAndPeriodic affine_and_periodic_displacements(const PeriodicBox &box1, const std::vector<double> &positions1,
                                                      const PeriodicBox &box2, const std::vector<double> &positions2);

  /// Coarse graining of per-atom fields of one reference configuration, for several widths at
  /// once. Results are indexed [width][point].
  class CoarseGraining
  {
  public:
    /// `positions` (reference), per-atom `masses` (the weights of eq. 2; the number of atoms
    /// is taken from them), widths `sigmas` (positive), shared truncation.
    CoarseGraining(const PeriodicBox &box, const std::vector<double> &positions, std::vector<double> masses,
                   const std::vector<double> &sigmas, double truncation_sigmas = 3.0);

    const std::vector<CoarseGrainingKernel> &kernels() const { return kernels_; }
    std::size_t atom_count() const { return masses_.size(); }
    const PeriodicBox &box() const { return search_.box(); }

    /// Ratio averages of a field with `components` values per atom, Σ w f φ / Σ w φ, with the
    /// given per-atom weights (empty: the masses). Result [width][point · components + c].
    std::vector<std::vector<double>> average(const std::vector<Vector3> &points, const std::vector<double> &field,
                                             std::size_t components,
                                             const std::vector<double> &weights = {}) const;
    /// Σ_i f_i φ(r − r_i) (a density: e.g. stress·volume → stress). Same layout.
    std::vector<std::vector<double>> density(const std::vector<Vector3> &points, const std::vector<double> &field,
                                             std::size_t components) const;
    /// Coarse-grained displacement and its gradients for the periodic per-atom displacements
    /// `periodic` (x0, y0, z0, ...) plus the affine box part `box_deformation` − I (identity:
    /// none). Throws when ∂R/∂r is singular (fewer than four non-coplanar atoms in a kernel).
    std::vector<std::vector<CoarseGrainedDisplacement>> displacement(const std::vector<Vector3> &points,
                                                                     const std::vector<double> &periodic,
                                                                     const Matrix3 &box_deformation) const;

  private:
    std::vector<double> masses_;
    std::vector<CoarseGrainingKernel> kernels_;
    NeighbourSearch search_;
  };

  Matrix3 identity_matrix();
} // namespace cryocycle::atomistic
