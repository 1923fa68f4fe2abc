#pragma once
/// @file
/// Macroscopic volumetric thermal expansion coefficient α = (1/V) dV/dT (1/K) of a glass, the
/// independent reference the local TEC (Shang et al. 2018 eq. 1–3) must average to.
///
/// It must be measured on a reversible path (docs/design.md): a fast-quenched glass relaxes, and
/// shrinks, when heated, which a one-way heating curve mistakes for (negative) expansion. The
/// protocol therefore anneals under NPT at T_anneal above the measurement range first, then
/// measures the mean volume at each temperature on cooling from T_max to T_min, and again on
/// heating back to T_max. α is the slope of ln V(T) on the cooling branch (least squares); the
/// heating branch is the check: the loop closes when the two branches agree within
/// `closure_tolerance` (relative volume) at every temperature. The check is reported with
/// every result.

#include "atomistic/md_system.h"

#include <functional>
#include <string>
#include <vector>

namespace cryocycle::atomistic
{
  struct ExpansionProtocol
  {
    double anneal_temperature_K = 350.0;
    double anneal_time_ps = 50.0;
    double minimum_temperature_K = 50.0;
    double maximum_temperature_K = 300.0;
    int temperature_points = 6;
    /// Ramp to each temperature point and settle there before averaging.
    double equilibration_ps = 10.0;
    double averaging_ps = 20.0;
    double sample_interval_ps = 0.5;
    /// Largest relative volume difference between the branches for a closed loop.
    double closure_tolerance = 2.0e-4;
  };

  struct ExpansionPoint
  {
    std::string branch;            ///< "cooling" or "heating"
    double set_temperature_K = 0.0;
    double mean_temperature_K = 0.0;
    double mean_volume_nm3 = 0.0;
    double volume_standard_error_nm3 = 0.0;  ///< of the mean, samples treated as independent
  };

  struct ExpansionResult
  {
    std::vector<ExpansionPoint> points;
    double alpha_volumetric_per_K = 0.0;            ///< cooling branch
    double alpha_volumetric_standard_error_per_K = 0.0;
    double alpha_volumetric_heating_per_K = 0.0;    ///< heating branch (check)
    double loop_closure_max_relative = 0.0;         ///< max |V_heat − V_cool| / V_cool
    bool loop_closed = false;
  };

  /// Runs the protocol on `system` (which holds a glass, NPT at the settings' pressure).
  ExpansionResult measure_thermal_expansion(MdSystem &system, const ExpansionProtocol &protocol,
                                            const std::function<void(double)> &progress = {});
  /// MD time of the protocol in ps.
  double expansion_duration_ps(const ExpansionProtocol &protocol);
  /// Least-squares slope of ln V against T and its standard error (1/K).
  std::pair<double, double> log_volume_slope(const std::vector<double> &temperatures_K,
                                             const std::vector<double> &volumes);
} // namespace cryocycle::atomistic
