#include "coupling/bridge/sample_extrapolation.h"

#include "calibrate/activation_probability.h"
#include "coupling/bridge/scale_bridge.h"

#include <boost/math/tools/minima.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace cryocycle::coupling
{
  namespace
  {
    constexpr double nm3_per_m3 = 1e27;
    /// Below this Bi_R the series would need Fourier numbers ~1/Bi; the quasi-steady limit is
    /// exact to O(Bi) there.
    constexpr double quasi_steady_biot = 1e-6;

    double quasi_steady_divisor(const continuum::ConductionShape shape)
    {
      switch (shape)
        {
          case continuum::ConductionShape::plate:
            return 3.0;
          case continuum::ConductionShape::cylinder:
            return 4.0;
          case continuum::ConductionShape::sphere:
            return 5.0;
        }
      return 3.0;
    }
  } // namespace

  std::string shape_name(const SampleGeometry::Shape shape)
  {
    switch (shape)
      {
        case SampleGeometry::Shape::cube:
          return "cube";
        case SampleGeometry::Shape::plate:
          return "plate";
        case SampleGeometry::Shape::rod:
          return "rod";
        case SampleGeometry::Shape::disc:
          return "disc";
      }
    return "cube";
  }

  double SampleGeometry::volume_m3() const
  {
    switch (shape)
      {
        case Shape::cube:
          return edge_m * edge_m * edge_m;
        case Shape::plate:
          return thickness_m * width_m * length_m;
        case Shape::rod:
          return 0.25 * M_PI * diameter_m * diameter_m * length_m;
        case Shape::disc:
          return 0.25 * M_PI * diameter_m * diameter_m * thickness_m;
      }
    return 0.0;
  }

  double SampleGeometry::surface_area_m2() const
  {
    switch (shape)
      {
        case Shape::cube:
          return 6.0 * edge_m * edge_m;
        case Shape::plate:
          return 2.0 * (thickness_m * width_m + thickness_m * length_m + width_m * length_m);
        case Shape::rod:
          return M_PI * diameter_m * length_m + 0.5 * M_PI * diameter_m * diameter_m;
        case Shape::disc:
          return M_PI * diameter_m * thickness_m + 0.5 * M_PI * diameter_m * diameter_m;
      }
    return 0.0;
  }

  continuum::ConductionShape SampleGeometry::conduction_shape() const
  {
    switch (shape)
      {
        case Shape::cube:
          return continuum::ConductionShape::sphere;
        case Shape::rod:
          return continuum::ConductionShape::cylinder;
        case Shape::plate:
        case Shape::disc:
          return continuum::ConductionShape::plate;
      }
    return continuum::ConductionShape::plate;
  }

  double SampleGeometry::conduction_radius_m() const
  {
    switch (shape)
      {
        case Shape::cube:
          return 0.5 * edge_m;  // the sphere of the cube's V/A = edge/6
        case Shape::rod:
          return 0.5 * diameter_m;
        case Shape::plate:
        case Shape::disc:
          return 0.5 * thickness_m;
      }
    return 0.0;
  }

  double SampleGeometry::biot_length_m() const
  {
    const double radius = conduction_radius_m();
    switch (conduction_shape())
      {
        case continuum::ConductionShape::plate:
          return radius;
        case continuum::ConductionShape::cylinder:
          return radius / 2.0;
        case continuum::ConductionShape::sphere:
          return radius / 3.0;
      }
    return radius;
  }

  PeakGradient peak_temperature_gradient(const continuum::ConductionShape shape, const double biot_number)
  {
    if (!(std::isfinite(biot_number) && biot_number > 0.0))
      throw std::invalid_argument(fmt::format("peak_temperature_gradient: Biot number must be > 0, got {}", biot_number));
    PeakGradient peak;
    if (biot_number < quasi_steady_biot)
      {
        peak.quasi_steady_limit = true;
        peak.temperature_ratio_difference = biot_number / quasi_steady_divisor(shape);
        peak.fourier_number = std::numeric_limits<double>::quiet_NaN();
        return peak;
      }
    const continuum::ConvectiveCooling cooling(shape, biot_number);
    const auto difference = [&cooling](const double log_fourier) {
      const double fo = std::exp(log_fourier);
      return cooling.mean_temperature_ratio(fo) - cooling.temperature_ratio(1.0, fo);
    };
    // The series converges for Fo ≳ 6e-5 with 200 terms; the peak lies near Fo ~ 1 / Bi for
    // small Bi and at ever smaller Fo for large Bi.
    const double lo = std::log(1e-4);
    const double hi = std::log(std::max(100.0, 100.0 / biot_number));
    const int steps = 400;
    double best = lo;
    double best_value = -1.0;
    for (int i = 0; i <= steps; ++i)
      {
        const double log_fo = lo + (hi - lo) * i / steps;
        const double value = difference(log_fo);
        if (value > best_value)
          {
            best_value = value;
            best = log_fo;
          }
      }
    const double step = (hi - lo) / steps;
    const auto refined = boost::math::tools::brent_find_minima(
      [&](const double log_fo) { return -difference(log_fo); }, std::max(lo, best - step), std::min(hi, best + step),
      40);
    peak.fourier_number = std::exp(refined.first);
    peak.temperature_ratio_difference = -refined.second;
    return peak;
  }

  SwitchingPeak peak_temperature_difference_switching(const continuum::ConductionShape shape, const double radius_m,
                                                      const double conductivity_W_per_mK,
                                                      const double heat_capacity_J_per_m3K, const double initial_K,
                                                      const double bath_K,
                                                      const continuum::SurfaceHeatTransfer &heat_transfer)
  {
    continuum::HeatConductionSettings settings;
    settings.shape = shape;
    settings.radius_m = radius_m;
    settings.conductivity_W_per_mK = conductivity_W_per_mK;
    settings.heat_capacity_J_per_m3K = heat_capacity_J_per_m3K;
    settings.cells = 64;
    continuum::HeatConduction body(settings, initial_K);
    const double diffusion_s = radius_m * radius_m * heat_capacity_J_per_m3K / conductivity_W_per_mK;
    // Lumped cooling time with the smaller h: R C / (d h), d = 1, 2, 3 for plate, cylinder, sphere.
    const double lumped_s = radius_m * heat_capacity_J_per_m3K /
                            std::min(heat_transfer.film_boiling_W_per_m2K, heat_transfer.nucleate_boiling_W_per_m2K);
    const double longest_step = std::max(diffusion_s, lumped_s) / 200.0;
    double dt = 1e-4 * diffusion_s;
    SwitchingPeak peak;
    const double step_K = initial_K - bath_K;
    for (std::size_t n = 0; n < 1000000; ++n)
      {
        // Steps of the transition itself stay short: h jumps by a factor ~9 there.
        body.step(dt, bath_K, bath_K, heat_transfer);
        const double difference = body.mean_temperature_K() - body.surface_temperature_K();
        if (difference > peak.temperature_difference_K)
          peak = {difference, body.time_s()};
        if (body.mean_temperature_K() - bath_K < 1e-3 * step_K)
          break;
        dt = std::min(dt * 1.02, longest_step);
      }
    return peak;
  }

  SampleExtrapolation extrapolate_sample(const SampleGeometry &sample, const double sigma_cg_nm,
                                         const double probability_per_site,
                                         const double rve_events_per_cycle_per_nm3,
                                         const ImmersionSettings &immersion)
  {
    SampleExtrapolation row;
    row.geometry = sample;
    const double volume_nm3 = sample.volume_m3() * nm3_per_m3;
    row.sites = sites_in_volume(volume_nm3, sigma_cg_nm);
    row.activation_probability = calibrate::activation_probability(probability_per_site, row.sites);
    row.expected_sites_activated = row.sites * probability_per_site;
    row.rve_events_per_cycle = rve_events_per_cycle_per_nm3 * volume_nm3;

    const double step_K = immersion.initial_temperature_K - immersion.bath_temperature_K;
    const double radius = sample.conduction_radius_m();
    for (const double h : immersion.heat_transfer_W_per_m2K)
      {
        ImmersionResult r;
        r.heat_transfer_W_per_m2K = h;
        r.biot_number = continuum::biot_number(h, sample.biot_length_m(), immersion.thermal_conductivity_W_per_mK);
        const double biot_radius = continuum::biot_number(h, radius, immersion.thermal_conductivity_W_per_mK);
        const PeakGradient peak = peak_temperature_gradient(sample.conduction_shape(), biot_radius);
        r.quasi_steady_limit = peak.quasi_steady_limit;
        // Same surface formula for plate, cylinder and sphere (file comment): T_mean − T_surface
        // is all that matters, so pass it as the mean against a surface at 0.
        r.peak_stress_MPa = 1e3 * std::abs(continuum::cylinder_surface_thermal_stress_GPa(
                                    immersion.thermal_expansion_volumetric_per_K, immersion.bulk_modulus_GPa,
                                    immersion.shear_modulus_GPa, peak.temperature_ratio_difference * step_K, 0.0));
        r.time_to_peak_s = peak.quasi_steady_limit
                             ? std::numeric_limits<double>::quiet_NaN()
                             : peak.fourier_number * radius * radius * immersion.volumetric_heat_capacity_J_per_m3K /
                                 immersion.thermal_conductivity_W_per_mK;
        row.immersion.push_back(r);
      }
    if (immersion.heat_transfer_W_per_m2K.size() >= 2)
      {
        continuum::SurfaceHeatTransfer h;
        h.film_boiling_W_per_m2K = immersion.heat_transfer_W_per_m2K[0];
        h.nucleate_boiling_W_per_m2K = immersion.heat_transfer_W_per_m2K[1];
        h.boiling_switch_K = immersion.boiling_switch_K;
        const SwitchingPeak peak = peak_temperature_difference_switching(
          sample.conduction_shape(), radius, immersion.thermal_conductivity_W_per_mK,
          immersion.volumetric_heat_capacity_J_per_m3K, immersion.initial_temperature_K, immersion.bath_temperature_K, h);
        row.switching.heat_transfer_W_per_m2K = std::numeric_limits<double>::quiet_NaN();
        row.switching.biot_number = std::numeric_limits<double>::quiet_NaN();
        row.switching.peak_stress_MPa = 1e3 * std::abs(continuum::cylinder_surface_thermal_stress_GPa(
                                                 immersion.thermal_expansion_volumetric_per_K, immersion.bulk_modulus_GPa,
                                                 immersion.shear_modulus_GPa, peak.temperature_difference_K, 0.0));
        row.switching.time_to_peak_s = peak.time_s;
      }
    return row;
  }
} // namespace cryocycle::coupling
