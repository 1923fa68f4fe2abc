#pragma once
/// @file
/// The athermal shear-transformation (ST) rule of one site, free of any mesh: when the von Mises
/// stress σ_eq reaches the local yield stress σ_y the site shears by Δε* = ε0 (3/2) dev σ / σ_eq
/// (docs/design.md; Prandtl–Reuss direction, equivalent strain ε0), and, because the stress of a site
/// is linear in the temperature change between events, σ(ΔT) = ΔT S_T + R, the temperature
/// change at which it yields next is the root of a quadratic — found exactly instead of by small
/// temperature steps.
///
/// Tensors are symmetric (core/tensor6.h: Voigt order, tensor components, the trigger quadratic).
/// Stresses in GPa.

#include "core/tensor6.h"

#include <optional>

namespace cryocycle::continuum
{
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
