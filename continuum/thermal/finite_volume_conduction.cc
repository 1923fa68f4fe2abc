#include "continuum/thermal/finite_volume_conduction.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace cryocycle::continuum
{
  namespace
  {
    const double pi = std::acos(-1.0);

    /// Area of the surface at radius r per unit plate area / cylinder length / whole sphere.
    double area_at(const ConductionShape shape, const double r)
    {
      switch (shape)
        {
          case ConductionShape::plate:
            return 1.0;
          case ConductionShape::cylinder:
            return 2.0 * pi * r;
          case ConductionShape::sphere:
            return 4.0 * pi * r * r;
        }
      return 0.0;
    }

    /// Volume inside radius r (same measure).
    double volume_inside(const ConductionShape shape, const double r)
    {
      switch (shape)
        {
          case ConductionShape::plate:
            return r;
          case ConductionShape::cylinder:
            return pi * r * r;
          case ConductionShape::sphere:
            return 4.0 / 3.0 * pi * r * r * r;
        }
      return 0.0;
    }
  } // namespace

  void SurfaceHeatTransfer::declare(core::ConfigSection &section)
  {
    using core::ConfigRange;
    const SurfaceHeatTransfer d;
    section.real("film_boiling_W_per_m2K", d.film_boiling_W_per_m2K, ConfigRange::positive(),
                 "h in film boiling of LN2 (Ketov et al. 2015).");
    section.real("nucleate_boiling_W_per_m2K", d.nucleate_boiling_W_per_m2K, ConfigRange::positive(),
                 "h in nucleate boiling of LN2 (Ketov et al. 2015).");
    section.real("boiling_switch_K", d.boiling_switch_K, ConfigRange::closed(0.0, 5000.0),
                 "Surface temperature below which film boiling turns into nucleate boiling (measured 100–150 K).");
    section.real("warming_W_per_m2K", d.warming_W_per_m2K, ConfigRange::positive(),
                 "h when the surroundings are warmer than the surface (Ketov et al. 2015 warms with a hair-dryer at "
                 "RT: forced air, ~25–100; still air ~10).");
  }

  SurfaceHeatTransfer SurfaceHeatTransfer::parse(const core::ConfigValues &section)
  {
    SurfaceHeatTransfer h;
    h.film_boiling_W_per_m2K = section.real("film_boiling_W_per_m2K");
    h.nucleate_boiling_W_per_m2K = section.real("nucleate_boiling_W_per_m2K");
    h.boiling_switch_K = section.real("boiling_switch_K");
    h.warming_W_per_m2K = section.real("warming_W_per_m2K");
    return h;
  }

  void HeatConductionSettings::declare(core::ConfigSection &section)
  {
    using core::ConfigRange;
    const HeatConductionSettings d;
    section.real("conductivity_W_per_mK", d.conductivity_W_per_mK, ConfigRange::positive(),
                 "κ (Ketov et al. 2015: Vitreloy 1, ~4 below room temperature).");
    section.real("heat_capacity_J_per_m3K", d.heat_capacity_J_per_m3K, ConfigRange::positive(),
                 "ρ c_p (Vitreloy 1: 6.1e3 kg/m³ × ~0.4 kJ/(kg K)).");
    section.integer("cells", static_cast<long long>(d.cells), ConfigRange::closed(2, 100000),
                    "Finite-volume cells along the radius / half-thickness.");
  }

  HeatConductionSettings HeatConductionSettings::parse(const core::ConfigValues &section)
  {
    HeatConductionSettings s;
    s.conductivity_W_per_mK = section.real("conductivity_W_per_mK");
    s.heat_capacity_J_per_m3K = section.real("heat_capacity_J_per_m3K");
    s.cells = static_cast<std::size_t>(section.integer("cells"));
    return s;
  }

  SurfaceHeatTransfer SurfaceHeatTransfer::constant(const double h)
  {
    return SurfaceHeatTransfer{h, h, 0.0, h};
  }

  double SurfaceHeatTransfer::coefficient(const double surface_K, const double surroundings_K) const
  {
    if (surroundings_K >= surface_K)
      return warming_W_per_m2K;
    return surface_K > boiling_switch_K ? film_boiling_W_per_m2K : nucleate_boiling_W_per_m2K;
  }

  HeatConduction::HeatConduction(const HeatConductionSettings &settings, const double initial_K)
    : settings_(settings)
    , last_surroundings_K_(initial_K)
  {
    if (!(settings.radius_m > 0.0) || !(settings.conductivity_W_per_mK > 0.0) ||
        !(settings.heat_capacity_J_per_m3K > 0.0) || !std::isfinite(settings.radius_m))
      throw std::invalid_argument("heat conduction needs a positive size, conductivity and heat capacity");
    if (settings.cells < 2)
      throw std::invalid_argument("heat conduction needs at least 2 cells");
    if (!(settings.theta >= 0.5 && settings.theta <= 1.0))
      throw std::invalid_argument(fmt::format("the time-stepping θ must lie in [0.5, 1], got {}", settings.theta));
    if (!(initial_K >= 0.0) || !std::isfinite(initial_K))
      throw std::invalid_argument(fmt::format("initial temperature {} K", initial_K));
    const std::size_t n = settings.cells;
    dr_ = settings.radius_m / static_cast<double>(n);
    surface_area_ = area_at(settings.shape, settings.radius_m);
    centre_.resize(n);
    volume_.resize(n);
    face_conductance_.resize(n - 1);
    for (std::size_t i = 0; i < n; ++i)
      {
        const double inner = dr_ * static_cast<double>(i);
        const double outer = dr_ * static_cast<double>(i + 1);
        centre_[i] = (static_cast<double>(i) + 0.5) / static_cast<double>(n);
        volume_[i] = volume_inside(settings.shape, outer) - volume_inside(settings.shape, inner);
        if (i + 1 < n)
          face_conductance_[i] = settings.conductivity_W_per_mK * area_at(settings.shape, outer) / dr_;
      }
    temperature_.assign(n, initial_K);
  }

  double HeatConduction::surface_conductance(const double h) const
  {
    return surface_area_ / (0.5 * dr_ / settings_.conductivity_W_per_mK + 1.0 / h);
  }

  void HeatConduction::step(const double dt_s, const double surroundings_start_K, const double surroundings_end_K,
                            const SurfaceHeatTransfer &transfer)
  {
    if (!(dt_s > 0.0) || !std::isfinite(dt_s))
      throw std::invalid_argument(fmt::format("time step {} s", dt_s));
    const std::size_t n = temperature_.size();
    const double theta = settings_.theta;
    // The regime is that of the surroundings the step moves to (an immersion's first step
    // already sees the bath).
    const double h = transfer.coefficient(surface_temperature_K(), surroundings_end_K);
    if (!(h > 0.0))
      throw std::invalid_argument(fmt::format("heat-transfer coefficient {} W/(m² K)", h));
    const double u = surface_conductance(h);
    const auto &t = temperature_;
    // L(T)_i = Σ g (T_j − T_i) − δ_i,n−1 U (T_i − T_b): assemble (C/dt − θ L) T' = C/dt T + (1 − θ) L(T) + θ U T_b'.
    std::vector<double> lower(n, 0.0);
    std::vector<double> diagonal(n, 0.0);
    std::vector<double> upper(n, 0.0);
    std::vector<double> rhs(n, 0.0);
    for (std::size_t i = 0; i < n; ++i)
      {
        const double c = settings_.heat_capacity_J_per_m3K * volume_[i] / dt_s;
        double explicit_flow = 0.0;
        diagonal[i] = c;
        if (i > 0)
          {
            const double g = face_conductance_[i - 1];
            diagonal[i] += theta * g;
            lower[i] = -theta * g;
            explicit_flow += g * (t[i - 1] - t[i]);
          }
        if (i + 1 < n)
          {
            const double g = face_conductance_[i];
            diagonal[i] += theta * g;
            upper[i] = -theta * g;
            explicit_flow += g * (t[i + 1] - t[i]);
          }
        rhs[i] = c * t[i];
        if (i + 1 == n)
          {
            diagonal[i] += theta * u;
            rhs[i] += theta * u * surroundings_end_K;
            explicit_flow -= u * (t[i] - surroundings_start_K);
          }
        rhs[i] += (1.0 - theta) * explicit_flow;
      }
    const double lost_before = u * (t[n - 1] - surroundings_start_K);
    // Thomas algorithm (the matrix is diagonally dominant).
    for (std::size_t i = 1; i < n; ++i)
      {
        const double m = lower[i] / diagonal[i - 1];
        diagonal[i] -= m * upper[i - 1];
        rhs[i] -= m * rhs[i - 1];
      }
    temperature_[n - 1] = rhs[n - 1] / diagonal[n - 1];
    for (std::size_t i = n - 1; i-- > 0;)
      temperature_[i] = (rhs[i] - upper[i] * temperature_[i + 1]) / diagonal[i];
    const double lost_after = u * (temperature_[n - 1] - surroundings_end_K);
    heat_lost_ += dt_s * (theta * lost_after + (1.0 - theta) * lost_before);
    time_ += dt_s;
    last_h_ = h;
    last_surroundings_K_ = surroundings_end_K;
  }

  double HeatConduction::surface_temperature_K() const
  {
    const double t_out = temperature_.back();
    if (!(last_h_ > 0.0))
      return t_out;
    const double g = 2.0 * settings_.conductivity_W_per_mK / dr_;
    return (g * t_out + last_h_ * last_surroundings_K_) / (g + last_h_);
  }

  double HeatConduction::temperature_K(const double x) const
  {
    if (!(x >= 0.0 && x <= 1.0))
      throw std::domain_error(fmt::format("position x = {} outside [0, 1]", x));
    const std::size_t n = temperature_.size();
    if (x <= centre_.front())
      return temperature_.front();
    if (x >= centre_.back())
      {
        const double w = (x - centre_.back()) / (1.0 - centre_.back());
        return (1.0 - w) * temperature_.back() + w * surface_temperature_K();
      }
    const double position = x * static_cast<double>(n) - 0.5;
    const auto i = static_cast<std::size_t>(position);
    const double w = position - static_cast<double>(i);
    return (1.0 - w) * temperature_[i] + w * temperature_[i + 1];
  }

  double HeatConduction::mean_temperature_K() const
  {
    double sum = 0.0;
    double volume = 0.0;
    for (std::size_t i = 0; i < temperature_.size(); ++i)
      {
        sum += volume_[i] * temperature_[i];
        volume += volume_[i];
      }
    return sum / volume;
  }

  double HeatConduction::stored_heat_J() const
  {
    double sum = 0.0;
    for (std::size_t i = 0; i < temperature_.size(); ++i)
      sum += volume_[i] * temperature_[i];
    return settings_.heat_capacity_J_per_m3K * sum;
  }
  std::vector<double> HeatConduction::save_state() const
  {
    std::vector<double> state = temperature_;
    state.insert(state.end(), {time_, heat_lost_, last_h_, last_surroundings_K_});
    return state;
  }

  void HeatConduction::restore_state(const std::vector<double> &state)
  {
    if (state.size() != temperature_.size() + 4)
      throw std::invalid_argument(fmt::format("a heat conduction state of {} numbers for {} cells", state.size(),
                                              temperature_.size()));
    std::copy(state.begin(), state.begin() + static_cast<std::ptrdiff_t>(temperature_.size()), temperature_.begin());
    const double *tail = state.data() + temperature_.size();
    time_ = tail[0];
    heat_lost_ = tail[1];
    last_h_ = tail[2];
    last_surroundings_K_ = tail[3];
  }
} // namespace cryocycle::continuum
