#pragma once
/// @file
/// The athermal shear-transformation (ST) rule of one site, free of any mesh: when the von Mises
/// stress σ_eq reaches the local yield stress σ_y the site shears by Δε* = ε0 (3/2) dev σ / σ_eq
/// (docs/design.md; Prandtl–Reuss direction, equivalent strain ε0), and, because the stress of a site
/// is linear in the temperature change between events, σ(ΔT) = ΔT S_T + R, the temperature
/// change at which it yields next is the root of a quadratic — found exactly instead of by small
/// temperature steps.
///
/// Tensors are symmetric, in Voigt order xx, yy, zz, yz, xz, xy with tensor components (ε_yz,
/// not the engineering shear 2ε_yz), as in thermoelastic_model.h. Stresses in GPa.

#include <array>
#include <optional>

namespace cryocycle::continuum
{
  using SymmetricTensor6 = std::array<double, 6>;

  /// Double contraction a : b of two symmetric tensors (shear components count twice).
  double double_contraction(const SymmetricTensor6 &a, const SymmetricTensor6 &b);

  /// Deviatoric part a − (tr a / 3) I.
  SymmetricTensor6 deviator(const SymmetricTensor6 &a);

  /// Von Mises equivalent stress sqrt(3/2 s : s), s = dev σ (units of σ).
  double von_mises_equivalent(const SymmetricTensor6 &stress);

  /// Von Mises equivalent strain sqrt(2/3 e : e), e = dev ε (dimensionless).
  double equivalent_strain(const SymmetricTensor6 &strain);

  /// Coefficients of σ_eq(ΔT)² = a ΔT² + 2 b ΔT + c for σ(ΔT) = ΔT S_T + R:
  /// a = 3/2 dev S_T : dev S_T, b = 3/2 dev S_T : dev R, c = 3/2 dev R : dev R.
  struct VonMisesQuadratic
  {
    double a = 0.0;  ///< (GPa/K)²
    double b = 0.0;  ///< GPa²/K
    double c = 0.0;  ///< GPa²
    double squared_at(double temperature_change_K) const
    {
      return (a * temperature_change_K + 2.0 * b) * temperature_change_K + c;
    }
  };

  VonMisesQuadratic von_mises_quadratic(const SymmetricTensor6 &stress_per_K_GPa,
                                        const SymmetricTensor6 &residual_stress_GPa);

  /// First temperature change on the ramp from `from_K` to `to_K` (either direction) at which
  /// σ_eq(ΔT) reaches `yield_stress_GPa`: `from_K` itself if the site is already at or above it,
  /// the exact root of the quadratic otherwise, nothing if the ramp ends first.
  std::optional<double> first_yield_temperature_change(const SymmetricTensor6 &stress_per_K_GPa,
                                                       const SymmetricTensor6 &residual_stress_GPa,
                                                       double yield_stress_GPa, double from_K,
                                                       double to_K);

  /// The eigenstrain increment of one shear transformation under `stress_GPa`:
  /// Δε* = ε0 (3/2) dev σ / σ_eq — deviatoric, along dev σ, with equivalent strain ε0.
  /// @throws std::invalid_argument for a stress without deviator (σ_eq = 0) or ε0 < 0.
  SymmetricTensor6 shear_transformation_increment(const SymmetricTensor6 &stress_GPa,
                                                  double equivalent_strain_amplitude);
} // namespace cryocycle::continuum
