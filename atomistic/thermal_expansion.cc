#include "atomistic/thermal_expansion.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace cryocycle::atomistic
{
  double expansion_duration_ps(const ExpansionProtocol &p)
  {
    return p.anneal_time_ps + 2.0 * p.temperature_points * (p.equilibration_ps + p.averaging_ps);
  }

  std::pair<double, double> log_volume_slope(const std::vector<double> &T, const std::vector<double> &V)
  {
    if (T.size() != V.size() || T.size() < 2)
      throw std::invalid_argument("a thermal expansion fit needs at least two temperatures");
    const double n = static_cast<double>(T.size());
    double mt = 0.0, my = 0.0;
    for (std::size_t i = 0; i < T.size(); ++i)
      mt += T[i], my += std::log(V[i]);
    mt /= n, my /= n;
    double stt = 0.0, sty = 0.0;
    for (std::size_t i = 0; i < T.size(); ++i)
      {
        stt += (T[i] - mt) * (T[i] - mt);
        sty += (T[i] - mt) * (std::log(V[i]) - my);
      }
    const double slope = sty / stt;
    double sse = 0.0;
    for (std::size_t i = 0; i < T.size(); ++i)
      {
        const double r = std::log(V[i]) - my - slope * (T[i] - mt);
        sse += r * r;
      }
    const double stderr_slope = T.size() > 2 ? std::sqrt(sse / (n - 2.0) / stt) : 0.0;
    return {slope, stderr_slope};
  }

  ExpansionResult measure_thermal_expansion(MdSystem &system, const ExpansionProtocol &p,
                                            const std::function<void(double)> &progress)
  {
    if (!(p.maximum_temperature_K > p.minimum_temperature_K) || p.temperature_points < 2)
      throw std::invalid_argument("thermal expansion needs T_max > T_min and at least two temperatures");
    const double total = expansion_duration_ps(p);
    const double start = system.time_ps();
    const auto report = [&](const MdObservation &o) {
      if (progress)
        progress(std::min(1.0, (o.time_ps - start) / total));
    };
    // Bring the glass to T_anneal (from wherever it is) and anneal there.
    const double current_K = std::max(system.observe().temperature_K, 1.0);
    system.ramp(current_K, p.anneal_temperature_K, p.equilibration_ps, Ensemble::npt, Thermostat::nose_hoover,
                p.sample_interval_ps, report);
    system.ramp(p.anneal_temperature_K, p.anneal_temperature_K, p.anneal_time_ps, Ensemble::npt,
                Thermostat::nose_hoover, p.sample_interval_ps, report);

    std::vector<double> set_points;
    for (int i = 0; i < p.temperature_points; ++i)
      set_points.push_back(p.maximum_temperature_K -
                           (p.maximum_temperature_K - p.minimum_temperature_K) * i / (p.temperature_points - 1));
    ExpansionResult result;
    double previous_K = p.anneal_temperature_K;
    const auto measure_branch = [&](const std::string &branch, const std::vector<double> &temperatures) {
      for (const double T : temperatures)
        {
          system.ramp(previous_K, T, p.equilibration_ps, Ensemble::npt, Thermostat::nose_hoover, p.sample_interval_ps,
                      report);
          std::vector<double> volumes, temps;
          system.ramp(T, T, p.averaging_ps, Ensemble::npt, Thermostat::nose_hoover, p.sample_interval_ps,
                      [&](const MdObservation &o) {
                        volumes.push_back(o.volume_nm3);
                        temps.push_back(o.temperature_K);
                        report(o);
                      });
          ExpansionPoint point;
          point.branch = branch;
          point.set_temperature_K = T;
          const double n = static_cast<double>(volumes.size());
          for (std::size_t i = 0; i < volumes.size(); ++i)
            point.mean_volume_nm3 += volumes[i] / n, point.mean_temperature_K += temps[i] / n;
          double var = 0.0;
          for (const double v : volumes)
            var += (v - point.mean_volume_nm3) * (v - point.mean_volume_nm3);
          point.volume_standard_error_nm3 = n > 1 ? std::sqrt(var / (n - 1) / n) : 0.0;
          result.points.push_back(point);
          previous_K = T;
        }
    };
    measure_branch("cooling", set_points);
    std::vector<double> heating(set_points.rbegin(), set_points.rend());
    measure_branch("heating", heating);

    std::vector<double> Tc, Vc, Th, Vh;
    for (const auto &pt : result.points)
      (pt.branch == "cooling" ? Tc : Th).push_back(pt.set_temperature_K),
        (pt.branch == "cooling" ? Vc : Vh).push_back(pt.mean_volume_nm3);
    std::tie(result.alpha_volumetric_per_K, result.alpha_volumetric_standard_error_per_K) = log_volume_slope(Tc, Vc);
    result.alpha_volumetric_heating_per_K = log_volume_slope(Th, Vh).first;
    for (std::size_t i = 0; i < Tc.size(); ++i)
      {
        const std::size_t j = Tc.size() - 1 - i;  // heating branch runs the other way
        result.loop_closure_max_relative =
          std::max(result.loop_closure_max_relative, std::abs(Vh[j] - Vc[i]) / Vc[i]);
      }
    result.loop_closed = result.loop_closure_max_relative <= p.closure_tolerance;
    if (progress)
      progress(1.0);
    return result;
  }
} // namespace cryocycle::atomistic
