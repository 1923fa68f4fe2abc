#include "continuum/physics/activation.h"

#include <fmt/format.h>

#include <cmath>
#include <stdexcept>

namespace cryocycle::continuum
{
  double shoving_barrier_eV(const double bulk_modulus_GPa, const double shear_modulus_GPa,
                            const double activation_volume_nm3)
  {
    if (!(bulk_modulus_GPa > 0.0) || !(shear_modulus_GPa > 0.0) || !(activation_volume_nm3 > 0.0))
      throw std::invalid_argument("the shoving barrier needs positive moduli and activation volume");
    return (10.0 * shear_modulus_GPa + bulk_modulus_GPa) / 11.0 * activation_volume_nm3 * eV_per_GPa_nm3;
  }

  double arrhenius_rate_per_s(const double attempt_frequency_per_s, const double barrier_eV,
                              const double temperature_K)
  {
    if (!(attempt_frequency_per_s >= 0.0) || !(temperature_K >= 0.0))
      throw std::invalid_argument("an Arrhenius rate needs a non-negative attempt frequency and temperature");
    if (temperature_K == 0.0)
      return barrier_eV > 0.0 ? 0.0 : attempt_frequency_per_s;
    return attempt_frequency_per_s * std::exp(-barrier_eV / (boltzmann_eV_per_K * temperature_K));
  }
} // namespace cryocycle::continuum
