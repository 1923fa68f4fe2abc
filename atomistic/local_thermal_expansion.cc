#include "atomistic/local_thermal_expansion.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace cryocycle::atomistic
{
  namespace
  {
    void mean_and_deviation(const std::vector<double> &v, double &mean, double &deviation)
    {
      mean = 0.0;
      for (const double x : v)
        mean += x;
      mean /= static_cast<double>(v.size());
      double sum = 0.0;
      for (const double x : v)
        sum += (x - mean) * (x - mean);
      deviation = v.size() > 1 ? std::sqrt(sum / static_cast<double>(v.size() - 1)) : 0.0;
    }
  } // namespace

  PeriodicBox periodic_box(const SimulationBox &b)
  {
    return PeriodicBox::triclinic(b.low, b.high, b.xy, b.xz, b.yz);
  }

  std::vector<double> atom_masses(MdSystem &system)
  {
    const auto types = system.session().gather_types();
    std::vector<double> masses;
    masses.reserve(types.size());
    for (const int t : types)
      masses.push_back(system.potential().native_mass(static_cast<std::size_t>(t - 1)));
    return masses;
  }

  void ConfigurationAverager::add(const PeriodicBox &box, const std::vector<double> &positions,
                                  const double temperature_K)
  {
    const std::size_t n = positions.size();
    if (samples_ > 0 && n != sum_fractional_.size())
      throw std::invalid_argument("the number of atoms changed while averaging");
    if (samples_ == 0)
      previous_fractional_.assign(n, 0.0), sum_fractional_.assign(n, 0.0);
    for (std::size_t i = 0; i < n / 3; ++i)
      {
        auto s = box.fractional({positions[3 * i], positions[3 * i + 1], positions[3 * i + 2]});
        for (int k = 0; k < 3; ++k)
          {
            double &previous = previous_fractional_[3 * i + k];
            // Unwrap by continuity: no atom moves half a box between two samples.
            if (samples_ > 0)
              s[k] += std::round(previous - s[k]);
            previous = s[k];
            sum_fractional_[3 * i + k] += s[k];
          }
      }
    for (int r = 0; r < 3; ++r)
      {
        sum_low_[r] += box.low[r];
        for (int c = 0; c < 3; ++c)
          sum_edges_[r][c] += box.edges[r][c];
      }
    sum_temperature_ += temperature_K;
    ++samples_;
  }

  AveragedConfiguration ConfigurationAverager::average() const
  {
    if (samples_ == 0)
      throw std::logic_error("no samples were averaged");
    const double n = static_cast<double>(samples_);
    AveragedConfiguration a;
    for (int r = 0; r < 3; ++r)
      {
        a.box.low[r] = sum_low_[r] / n;
        for (int c = 0; c < 3; ++c)
          a.box.edges[r][c] = sum_edges_[r][c] / n;
      }
    a.positions.resize(sum_fractional_.size());
    for (std::size_t i = 0; i < sum_fractional_.size() / 3; ++i)
      {
        const auto r = a.box.cartesian({sum_fractional_[3 * i] / n, sum_fractional_[3 * i + 1] / n,
                                        sum_fractional_[3 * i + 2] / n});
        std::copy(r.begin(), r.end(), a.positions.begin() + 3 * i);
      }
    a.mean_temperature_K = sum_temperature_ / n;
    a.samples = samples_;
    return a;
  }

  std::vector<LocalExpansionWidth> local_expansion_between(const AveragedConfiguration &cold,
                                                           const AveragedConfiguration &hot,
                                                           const std::vector<double> &masses,
                                                           const std::vector<Vector3> &sites,
                                                           const std::vector<double> &sigma_cg_native,
                                                           const double truncation_sigmas, const double delta_T)
  {
    if (!(delta_T > 0.0))
      throw std::invalid_argument("the local thermal expansion needs T2 > T1");
    const auto split = affine_and_periodic_displacements(cold.box, cold.positions, hot.box, hot.positions);
    const CoarseGraining cg(cold.box, cold.positions, masses, sigma_cg_native, truncation_sigmas);
    const auto fields = cg.displacement(sites, split.periodic, split.box_deformation);
    std::vector<LocalExpansionWidth> widths(sigma_cg_native.size());
    for (std::size_t k = 0; k < widths.size(); ++k)
      {
        auto &w = widths[k];
        w.sigma_cg_native = sigma_cg_native[k];
        for (const auto &site : fields[k])
          {
            w.alpha_per_K.push_back(site.volume_change() / delta_T);
            w.alpha_small_strain_per_K.push_back(site.volumetric_small_strain() / delta_T);
            w.atoms_in_kernel.push_back(site.atoms);
          }
        mean_and_deviation(w.alpha_per_K, w.mean_per_K, w.standard_deviation_per_K);
      }
    return widths;
  }

  double pearson_correlation(const std::vector<double> &a, const std::vector<double> &b)
  {
    if (a.size() != b.size() || a.size() < 2)
      throw std::invalid_argument("a correlation needs two series of the same length, at least 2");
    double mean_a = 0.0, sd_a = 0.0, mean_b = 0.0, sd_b = 0.0;
    mean_and_deviation(a, mean_a, sd_a);
    mean_and_deviation(b, mean_b, sd_b);
    if (sd_a == 0.0 || sd_b == 0.0)
      return 0.0;
    double sum = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i)
      sum += (a[i] - mean_a) * (b[i] - mean_b);
    return sum / (static_cast<double>(a.size() - 1) * sd_a * sd_b);
  }

  double local_expansion_duration_ps(const LocalExpansionProtocol &p)
  {
    if (p.mode == LocalExpansionMode::snapshots)
      return 3.0 * p.ramp_ps + 4.0 * (p.equilibration_ps + (p.snapshot_samples - 1) * p.sample_interval_ps);
    return 4.0 * p.ramp_ps + p.anneal_time_ps + 3.0 * (p.equilibration_ps + p.averaging_ps);
  }

  namespace
  {
    /// α of the pair (cold, hot) and of the repeat pair, with the noise of their difference.
    void measure_pairs(LocalExpansionResult &r, MdSystem &system, const LocalExpansionProtocol &p,
                       const SiteChooser &choose_sites, const AveragedConfiguration &repeat_cold,
                       const AveragedConfiguration &repeat_hot)
    {
      r.sites = choose_sites(r.cold.box);
      const auto masses = atom_masses(system);
      r.widths = local_expansion_between(r.cold, r.hot, masses, r.sites, p.sigma_cg_native, p.truncation_sigmas,
                                         r.delta_temperature_K);
      const auto repeat = local_expansion_between(repeat_cold, repeat_hot, masses, r.sites, p.sigma_cg_native,
                                                  p.truncation_sigmas, r.delta_temperature_K);
      for (std::size_t k = 0; k < r.widths.size(); ++k)
        {
          auto &w = r.widths[k];
          w.alpha_heating_per_K = repeat[k].alpha_per_K;
          std::vector<double> difference(w.alpha_per_K.size());
          for (std::size_t i = 0; i < difference.size(); ++i)
            difference[i] = w.alpha_heating_per_K[i] - w.alpha_per_K[i];
          double mean_difference = 0.0;
          mean_and_deviation(difference, mean_difference, w.heating_difference_std_per_K);
          if (w.alpha_per_K.size() > 1)
            w.repeat_correlation = pearson_correlation(w.alpha_per_K, w.alpha_heating_per_K);
        }
    }

    /// The snapshot protocol (LocalExpansionMode::snapshots).
    LocalExpansionResult measure_from_snapshots(MdSystem &system, const LocalExpansionProtocol &p,
                                                const SiteChooser &choose_sites,
                                                const std::function<void(const MdObservation &)> &report)
    {
      if (p.snapshot_samples < 1)
        throw std::invalid_argument("snapshot_samples must be at least 1");
      const double t1 = p.low_temperature_K, t2 = p.high_temperature_K;
      auto &session = system.session();
      const auto hold = [&](const double T, const double duration) {
        if (duration > 0.0)
          system.ramp(T, T, duration, Ensemble::npt, Thermostat::nose_hoover, p.sample_interval_ps, report);
      };
      const auto ramp = [&](const double from, const double to) {
        system.ramp(from, to, p.ramp_ps, Ensemble::npt, Thermostat::nose_hoover, p.sample_interval_ps, report);
      };
      // Instantaneous configurations: no time average over a window, only the mean of
      // `snapshot_samples` of them when asked (for the noise against samples).
      const auto snapshots_at = [&](const double T) {
        hold(T, p.equilibration_ps);
        ConfigurationAverager averager;
        for (int n = 0; n < p.snapshot_samples; ++n)
          {
            if (n > 0)
              hold(T, p.sample_interval_ps);
            averager.add(periodic_box(session.box()), session.gather_positions(), system.observe().temperature_K);
          }
        return averager.average();
      };
      LocalExpansionResult r;
      ramp(std::max(system.observe().temperature_K, t1), t1);
      r.cold = snapshots_at(t1);
      ramp(t1, t2);
      r.hot = snapshots_at(t2);
      r.hot_after = snapshots_at(t2);
      ramp(t2, t1);
      r.cold_repeat = snapshots_at(t1);

      r.delta_temperature_K = t2 - t1;
      const double v_cold = r.cold.volume(), v_hot = r.hot.volume();
      r.macroscopic_alpha_per_K = (v_hot - v_cold) / (v_cold * r.delta_temperature_K);
      r.macroscopic_alpha_heating_per_K =
        (r.hot_after.volume() - r.cold_repeat->volume()) / (r.cold_repeat->volume() * r.delta_temperature_K);
      r.loop_closure_relative = std::abs(r.cold_repeat->volume() - v_cold) / v_cold;
      r.loop_closed = r.loop_closure_relative <= p.closure_tolerance;
      measure_pairs(r, system, p, choose_sites, *r.cold_repeat, r.hot_after);
      return r;
    }
  } // namespace

  LocalExpansionResult measure_local_thermal_expansion(MdSystem &system, const LocalExpansionProtocol &p,
                                                       const SiteChooser &choose_sites,
                                                       const std::function<void(double)> &progress)
  {
    const double t1 = p.low_temperature_K, t2 = p.high_temperature_K;
    const double anneal = p.anneal_temperature_K.value_or(t2);
    if (!(t2 > t1 && t1 > 0.0))
      throw std::invalid_argument(fmt::format("the local thermal expansion needs 0 < T1 < T2, got {} K and {} K", t1, t2));
    if (anneal < t2)
      throw std::invalid_argument("the anneal temperature must not be below T2");
    if (p.sigma_cg_native.empty())
      throw std::invalid_argument("the local thermal expansion needs at least one coarse-graining width");
    const double total = local_expansion_duration_ps(p);
    const double start = system.time_ps();
    const auto report = [&](const MdObservation &o) {
      if (progress)
        progress(std::min(1.0, (o.time_ps - start) / total));
    };
    if (p.mode == LocalExpansionMode::snapshots)
      {
        auto r = measure_from_snapshots(system, p, choose_sites, report);
        if (progress)
          progress(1.0);
        return r;
      }
    const auto hold = [&](const double T, const double duration) {
      system.ramp(T, T, duration, Ensemble::npt, Thermostat::nose_hoover, p.sample_interval_ps, report);
    };
    const auto average_at = [&](const double T) {
      hold(T, p.equilibration_ps);
      ConfigurationAverager averager;
      auto &session = system.session();
      system.ramp(T, T, p.averaging_ps, Ensemble::npt, Thermostat::nose_hoover, p.sample_interval_ps,
                  [&](const MdObservation &o) {
                    averager.add(periodic_box(session.box()), session.gather_positions(), o.temperature_K);
                    report(o);
                  });
      return averager.average();
    };
    const auto ramp = [&](const double from, const double to) {
      system.ramp(from, to, p.ramp_ps, Ensemble::npt, Thermostat::nose_hoover, p.sample_interval_ps, report);
    };

    const double current_K = std::max(system.observe().temperature_K, t1);
    ramp(current_K, anneal);
    hold(anneal, p.anneal_time_ps);
    ramp(anneal, t2);
    LocalExpansionResult r;
    r.hot = average_at(t2);
    ramp(t2, t1);
    r.cold = average_at(t1);
    ramp(t1, t2);
    r.hot_after = average_at(t2);

    r.delta_temperature_K = t2 - t1;
    const double v_cold = r.cold.volume(), v_hot = r.hot.volume(), v_after = r.hot_after.volume();
    r.macroscopic_alpha_per_K = (v_hot - v_cold) / (v_cold * r.delta_temperature_K);
    r.macroscopic_alpha_heating_per_K = (v_after - v_cold) / (v_cold * r.delta_temperature_K);
    r.loop_closure_relative = std::abs(v_after - v_hot) / v_hot;
    r.loop_closed = r.loop_closure_relative <= p.closure_tolerance;

    measure_pairs(r, system, p, choose_sites, r.cold, r.hot_after);
    if (progress)
      progress(1.0);
    return r;
  }
} // namespace cryocycle::atomistic
