#pragma once
/// @file
/// Symmetric second-order tensors as six numbers, and the few operations every scale needs: the
/// deviator, the double contraction, the von Mises equivalents, and the quadratic that gives the
/// von Mises stress along a linear load path. One definition for the atomistic yield tests, the
/// Fourier and finite-element solvers and the shear-transformation rule.
///
/// Voigt order xx, yy, zz, yz, xz, xy with tensor components (ε_yz, not the engineering shear
/// 2 ε_yz), so a : b counts each shear component twice.
///
/// Header-only and inline: the event search evaluates these for every site per trigger.

#include <array>
#include <cmath>

namespace cryocycle
{
  /// A symmetric 3×3 tensor in Voigt order xx, yy, zz, yz, xz, xy (tensor components).
  using SymmetricTensor6 = std::array<double, 6>;

  /// tr a = a_xx + a_yy + a_zz.
  inline double trace(const SymmetricTensor6 &a) { return a[0] + a[1] + a[2]; }

  /// Deviatoric part a − (tr a / 3) I.
  inline SymmetricTensor6 deviator(const SymmetricTensor6 &a)
  {
    const double mean = (a[0] + a[1] + a[2]) / 3.0;
    return {a[0] - mean, a[1] - mean, a[2] - mean, a[3], a[4], a[5]};
  }

  /// Double contraction a : b (shear components count twice).
  inline double double_contraction(const SymmetricTensor6 &a, const SymmetricTensor6 &b)
  {
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2] + 2.0 * (a[3] * b[3] + a[4] * b[4] + a[5] * b[5]);
  }

  /// Von Mises equivalent stress σ_eq = √(3/2 s : s), s = dev σ (units of σ).
  inline double von_mises_equivalent(const SymmetricTensor6 &stress)
  {
    const SymmetricTensor6 s = deviator(stress);
    return std::sqrt(1.5 * double_contraction(s, s));
  }

  /// Von Mises equivalent strain √(2/3 e : e), e = dev ε (dimensionless).
  inline double equivalent_strain(const SymmetricTensor6 &strain)
  {
    const SymmetricTensor6 e = deviator(strain);
    return std::sqrt(2.0 / 3.0 * double_contraction(e, e));
  }

  /// σ_eq(t)² = a t² + 2 b t + c along the linear path σ(t) = t S + R (the trigger quadratic:
  /// t a temperature change, S the stress per kelvin, R the residual stress):
  /// a = 3/2 dev S : dev S, b = 3/2 dev S : dev R, c = 3/2 dev R : dev R. Convex in t (a >= 0).
  struct VonMisesQuadratic
  {
    double a = 0.0;  ///< (GPa per unit t)²
    double b = 0.0;  ///< GPa² per unit t
    double c = 0.0;  ///< GPa²
    double squared_at(const double t) const { return (a * t + 2.0 * b) * t + c; }
  };

  /// The quadratic from the deviators of S and R (dev S : dev S = a / 1.5 given, as kept per site).
  inline VonMisesQuadratic von_mises_quadratic_of_deviators(const SymmetricTensor6 &deviator_S,
                                                            const double a,
                                                            const SymmetricTensor6 &deviator_R)
  {
    return {a, 1.5 * double_contraction(deviator_S, deviator_R),
            1.5 * double_contraction(deviator_R, deviator_R)};
  }

  /// The quadratic of σ(t) = t S + R.
  inline VonMisesQuadratic von_mises_quadratic(const SymmetricTensor6 &S, const SymmetricTensor6 &R)
  {
    const SymmetricTensor6 s = deviator(S);
    return von_mises_quadratic_of_deviators(s, 1.5 * double_contraction(s, s), deviator(R));
  }
} // namespace cryocycle
