#include "continuum/physics/shear_transformation.h"

#include <cmath>
#include <stdexcept>

namespace cryocycle::continuum
{
  std::optional<double> first_yield_temperature_change(const SymmetricTensor6 &stress_per_K_GPa,
                                                       const SymmetricTensor6 &residual_stress_GPa,
                                                       const double yield_stress_GPa,
                                                       const double from_K, const double to_K)
  {
    const VonMisesQuadratic q = von_mises_quadratic(stress_per_K_GPa, residual_stress_GPa);
    const double y2 = yield_stress_GPa * yield_stress_GPa;
    if (q.squared_at(from_K) >= y2)
      return from_K;
    // σ_eq² is convex in ΔT (a >= 0). Below the yield surface at from_K, the ramp leaves it
    // through the root on its side of from_K; with a = 0 the deviator does not change with T
    // and the site never yields on this ramp.
    if (q.a <= 0.0 || from_K == to_K)
      return std::nullopt;
    const double discriminant = q.b * q.b - q.a * (q.c - y2);
    if (discriminant <= 0.0)
      return std::nullopt;
    // Roots without cancellation: t1 = p / a and t2 = (c − y²) / p with p = −(b ± √D).
    const double p = -(q.b + std::copysign(std::sqrt(discriminant), q.b));
    double root_low = p / q.a;
    double root_high = p != 0.0 ? (q.c - y2) / p : -root_low;
    if (root_low > root_high)
      std::swap(root_low, root_high);
    const double exit = to_K > from_K ? root_high : root_low;
    const bool within = to_K > from_K ? (exit >= from_K && exit <= to_K) : (exit <= from_K && exit >= to_K);
    if (!within)
      return std::nullopt;
    return exit;
  }

  SymmetricTensor6 shear_transformation_increment(const SymmetricTensor6 &stress_GPa,
                                                  const double equivalent_strain_amplitude)
  {
    if (!(equivalent_strain_amplitude >= 0.0))
      throw std::invalid_argument("the shear-transformation strain ε0 must be non-negative");
    const SymmetricTensor6 s = deviator(stress_GPa);
    const double sigma_eq = std::sqrt(1.5 * double_contraction(s, s));
    if (!(sigma_eq > 0.0))
      throw std::invalid_argument("a shear transformation needs a deviatoric stress (σ_eq = 0)");
    const double scale = 1.5 * equivalent_strain_amplitude / sigma_eq;
    SymmetricTensor6 increment{};
    for (std::size_t i = 0; i < 6; ++i)
      increment[i] = scale * s[i];
    return increment;
  }
} // namespace cryocycle::continuum
