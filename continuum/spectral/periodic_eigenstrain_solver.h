#pragma once
/// @file
/// Stress of a periodic, elastically homogeneous and isotropic body (bulk modulus K, shear
/// modulus G) with a field of stress-free strains ε⁰(x) on a regular grid: plastic eigenstrains
/// of shear transformations, and thermal strains α ΔT/3 I. The Fourier back-end of the event
/// engine — the exact periodic Green's function, far cheaper than finite elements where it
/// applies (periodic cube, uniform moduli; docs/design.md).
///
/// Method. With τ = C : ε⁰ (the polarisation), σ = C : ε(u) − τ and div σ = 0. For a wave
/// vector k ≠ 0, u = Σ û e^{ik·x} gives i A(k) û = τ̂ k with the acoustic tensor
/// A = G |k|² I + (K + G/3) k ⊗ k, whose inverse is (1/(G|k|²)) (I − (K + G/3)/(K + 4G/3) ξ⊗ξ),
/// ξ = k/|k|; then ε̂ = sym(k ⊗ A⁻¹ τ̂ k) and σ̂ = C : ε̂ − τ̂. The response depends on ξ only
/// (degree 0 in k). The mean (k = 0) is set apart: either the mean stress is zero (a free
/// representative volume: mean strain = mean ε⁰) or the mean total strain E is prescribed
/// (mean stress C : (E − mean ε⁰)).
///
/// Two discretisations of the Green's operator (FourierDiscretisation):
///
/// q1_hexahedra (the default). Each grid point is a cube cell of the grid with constant ε⁰; the
/// displacement is trilinear on each cell with nodes at the cell corners (periodic), the
/// stiffness is integrated with 2 × 2 × 2 Gauss points and a cell's stress is the average over
/// its Gauss points: exactly the discrete problem of the finite-element back-end
/// (thermoelastic_model.h, Q1, cell-average stress) on a regular periodic mesh, solved per wave
/// vector instead of by CG. With ξ_a = k_a h_a, D_a = (e^{iξ_a} − 1)/h_a, M_a = (1 + e^{iξ_a})/2
/// and Q_a = (2 + cos ξ_a)/3 (the Gauss means of the 1-D factors of the shape functions, their
/// gradients and their squared moduli), the cell-mean strain is sym(b ⊗ û) with
/// b_i = D_i Π_{a≠i} M_a, and the stiffness is
///   A_ii = (λ + 2G) |D_i|² Q_j Q_k + G Σ_{a≠i} |D_a|² Π_{c≠a} Q_c,
///   A_il = (λ + G) sin ξ_i sin ξ_l Q_m / (h_i h_l)  (i ≠ l, m the third axis),
/// real, symmetric and positive definite for every k ≠ 0 (no hourglass modes); û = A⁻¹ (τ̂ b̄)
/// and σ̂ = C : sym(b ⊗ û) − τ̂. The symbol is smooth and periodic in k away from k = 0, so the
/// response to a point eigenstrain falls off as r⁻³ along every direction. At equilibrium the
/// Gauss-point elastic energy equals Mura's form −½ Σ V σ : ε⁰ with the cell-average stress.
///
/// continuous. The wave numbers are the continuous ones, k = 2π m / L with m in (−n/2, n/2],
/// exact for band-limited fields. At the Nyquist index of an even axis the sign of k_a is
/// undefined; the response is averaged over both signs, which removes the terms odd in that
/// component (on the grid only cosines exist there). For a pure thermal strain this is exactly
/// the treatment of periodic_spectral_solver.h, and the two agree to round-off. The operator
/// is cut off at the edge of the Brillouin zone, where its symbol jumps: the response to a
/// single changed grid point rings along the grid axes (Gibbs), which overstates the stress
/// fluctuations of piecewise-constant site fields.
///
/// Tensors: Voigt order xx, yy, zz, yz, xz, xy, tensor components; stresses in GPa.

#include "continuum/physics/shear_transformation.h"

#include <array>
#include <cstddef>
#include <memory>
#include <optional>
#include <vector>

namespace cryocycle::continuum
{
  /// Discretisation of the periodic Green's operator (file comment).
  enum class FourierDiscretisation
  {
    q1_hexahedra, ///< trilinear cells, 2³ Gauss points, cell-average stress (the FE back-end's)
    continuous,   ///< continuous wave numbers cut at the Brillouin zone (Moulinec–Suquet)
  };

  /// "q1_hexahedra" or "continuous".
  const char *to_string(FourierDiscretisation discretisation);

  class PeriodicEigenstrainSolver
  {
  public:
    /// A solver for an nx × ny × nz grid with spacing h (nm), flat index i + nx (j + ny k), and
    /// uniform moduli (GPa). FFT plans and buffers are made once here.
    /// @throws std::invalid_argument for a zero count, a non-positive spacing or modulus.
    PeriodicEigenstrainSolver(const std::array<std::size_t, 3> &point_count,
                              const std::array<double, 3> &spacing_nm, double bulk_modulus_GPa,
                              double shear_modulus_GPa,
                              FourierDiscretisation discretisation = FourierDiscretisation::q1_hexahedra);
    ~PeriodicEigenstrainSolver();
    PeriodicEigenstrainSolver(PeriodicEigenstrainSolver &&) noexcept;
    PeriodicEigenstrainSolver &operator=(PeriodicEigenstrainSolver &&) noexcept;
    PeriodicEigenstrainSolver(const PeriodicEigenstrainSolver &) = delete;
    PeriodicEigenstrainSolver &operator=(const PeriodicEigenstrainSolver &) = delete;

    std::size_t point_total() const;

    /// Stress (GPa) at every grid point for the stress-free strain field `eigenstrain` (one
    /// tensor per grid point). Without `mean_strain` the mean stress is zero; with it the mean
    /// total strain is prescribed. Writes into `stress` (resized).
    /// @throws std::invalid_argument for a wrong size or a non-finite component.
    void solve(const std::vector<SymmetricTensor6> &eigenstrain, std::vector<SymmetricTensor6> &stress,
               const std::optional<SymmetricTensor6> &mean_strain = std::nullopt);

    /// Adds to `stress` the stress change (zero mean stress) of adding `increments[j]` to the
    /// eigenstrain at grid point `points[j]`, for all j. The Green's operator of the periodic grid
    /// is translation invariant, so the response to an eigenstrain at one point is a shifted copy
    /// of the response to a unit eigenstrain component at point 0: 36 multiply-adds per grid
    /// point and changed point instead of a full solve. Equal to the difference of two solve()
    /// results up to round-off (the same linear operator, summed in another order). The six unit
    /// responses are computed on first use (six solves) and kept: 36 doubles per grid point.
    /// @throws std::invalid_argument for a point out of range, mismatched sizes, a non-finite
    /// increment or a `stress` of the wrong size.
    void add_point_responses(const std::vector<std::size_t> &points,
                             const std::vector<SymmetricTensor6> &increments,
                             std::vector<SymmetricTensor6> &stress);
    /// The same for a `stress` that holds only the z-planes `planes` (whole planes, in that
    /// order): the sites of one MPI rank.
    void add_point_responses(const std::vector<std::size_t> &points,
                             const std::vector<SymmetricTensor6> &increments,
                             std::vector<SymmetricTensor6> &stress, const std::vector<std::size_t> &planes);

    /// The unit responses of add_point_responses, computed on first use: entry r holds, for a
    /// unit eigenstrain component k (Voigt slot, tensor component) at point 0, stress component c
    /// at flat grid index r as [6 k + c]. One entry per grid point.
    const std::array<double, 36> *unit_responses();

    /// Memory held by the unit responses of add_point_responses (bytes; 0 before first use).
    std::size_t point_response_bytes() const;

  private:
    struct Implementation;
    std::unique_ptr<Implementation> implementation_;
  };
} // namespace cryocycle::continuum
