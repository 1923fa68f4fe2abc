#include "continuum/thermal/conduction_load.h"

#include <Eigen/Dense>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace cryocycle::continuum
{
  namespace
  {
    /// The axis of a plate's smallest extent (its thickness).
    std::size_t thickness_axis(const FiniteElementGeometry &g)
    {
      return static_cast<std::size_t>(std::min_element(g.box_size_nm.begin(), g.box_size_nm.end()) -
                                      g.box_size_nm.begin());
    }

    /// x = r/R of a site centre (clamped to [0, 1]: a polyhedral mesh may poke out by round-off).
    double position_of(const FiniteElementGeometry &g, const std::array<double, 3> &c)
    {
      double x = 0.0;
      switch (g.shape)
        {
          case SampleShape::rod:
          case SampleShape::disc:
            x = std::hypot(c[0], c[1]) / g.radius_nm;
            break;
          case SampleShape::sphere:
            x = std::sqrt(c[0] * c[0] + c[1] * c[1] + c[2] * c[2]) / g.radius_nm;
            break;
          case SampleShape::plate:
            {
              const std::size_t a = thickness_axis(g);
              const double half = 0.5 * g.box_size_nm[a];
              x = std::abs(c[a] - half) / half;
              break;
            }
          case SampleShape::periodic_cube:
            throw std::invalid_argument("a periodic cube has no surface to conduct heat through");
        }
      return std::clamp(x, 0.0, 1.0);
    }

    double power(const double x, const std::size_t k)
    {
      return std::pow(x, 2.0 * static_cast<double>(k));
    }
  } // namespace

  std::pair<ConductionShape, double> conduction_geometry(const FiniteElementGeometry &g)
  {
    switch (g.shape)
      {
        case SampleShape::rod:
        case SampleShape::disc:
          return {ConductionShape::cylinder, g.radius_nm * 1e-9};
        case SampleShape::sphere:
          return {ConductionShape::sphere, g.radius_nm * 1e-9};
        case SampleShape::plate:
          return {ConductionShape::plate, 0.5 * g.box_size_nm[thickness_axis(g)] * 1e-9};
        case SampleShape::periodic_cube:
          break;
      }
    throw std::invalid_argument("heat conduction needs a sample with a surface (rod, disc, plate or sphere), "
                                "not a periodic cube");
  }

  HeatConductionLoad::HeatConductionLoad(ThermoelasticModel &model, const std::size_t even_terms)
    : terms_(even_terms)
  {
    if (even_terms == 0 || even_terms > 6)
      throw std::invalid_argument(fmt::format("1 to 6 even basis terms, got {}", even_terms));
    const auto [shape, radius] = conduction_geometry(model.geometry());
    shape_ = shape;
    radius_m_ = radius;
    const auto &sites = model.local_sites();
    position_.resize(sites.size());
    for (std::size_t i = 0; i < sites.size(); ++i)
      position_[i] = position_of(model.geometry(), sites[i].centre_nm);
    const std::vector<double> alpha = model.thermal_expansion_per_K();
    for (std::size_t k = 1; k <= terms_; ++k)
      {
        std::vector<double> weighted(alpha.size());
        for (std::size_t i = 0; i < alpha.size(); ++i)
          weighted[i] = alpha[i] * power(position_[i], k);
        model.set_thermal_expansion_per_K(weighted);
        model.solve();
        basis_.push_back(model.thermal_stress_per_K_GPa());
      }
    model.set_thermal_expansion_per_K(alpha);
    model.solve();
    uniform_ = model.thermal_stress_per_K_GPa();
  }

  std::vector<double> HeatConductionLoad::fit(const HeatConduction &conduction) const
  {
    const auto &x = conduction.cell_position();
    const auto &v = conduction.cell_volume();
    const auto &t = conduction.cell_temperature_K();
    const std::size_t m = terms_ + 1;
    Eigen::MatrixXd normal = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(m), static_cast<Eigen::Index>(m));
    Eigen::VectorXd rhs = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(m));
    // Centred on the surface temperature so that a uniform profile is fitted exactly.
    const double offset = conduction.surface_temperature_K();
    for (std::size_t j = 0; j < x.size(); ++j)
      for (std::size_t a = 0; a < m; ++a)
        {
          const double pa = power(x[j], a);
          rhs(static_cast<Eigen::Index>(a)) += v[j] * pa * (t[j] - offset);
          for (std::size_t b = 0; b < m; ++b)
            normal(static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(b)) += v[j] * pa * power(x[j], b);
        }
    const Eigen::VectorXd solution = normal.ldlt().solve(rhs);
    std::vector<double> a(m);
    for (std::size_t k = 0; k < m; ++k)
      a[k] = solution(static_cast<Eigen::Index>(k));
    a[0] += offset;
    return a;
  }

  std::vector<SymmetricTensor6> HeatConductionLoad::load_stress_GPa(const std::vector<double> &a,
                                                                    const double reference_K) const
  {
    if (a.size() != terms_ + 1)
      throw std::invalid_argument(fmt::format("{} profile coefficients for {} basis terms", a.size(), terms_ + 1));
    std::vector<SymmetricTensor6> load(uniform_.size());
    for (std::size_t i = 0; i < load.size(); ++i)
      for (std::size_t c = 0; c < 6; ++c)
        {
          double s = (a[0] - reference_K) * uniform_[i][c];
          for (std::size_t k = 1; k <= terms_; ++k)
            s += a[k] * basis_[k - 1][i][c];
          load[i][c] = s;
        }
    return load;
  }

  std::vector<double> HeatConductionLoad::site_temperature_K(const HeatConduction &conduction) const
  {
    std::vector<double> t(position_.size());
    for (std::size_t i = 0; i < t.size(); ++i)
      t[i] = conduction.temperature_K(position_[i]);
    return t;
  }

  double HeatConductionLoad::fit_error_K(const HeatConduction &conduction, const std::vector<double> &a) const
  {
    double error = 0.0;
    const auto &x = conduction.cell_position();
    for (std::size_t j = 0; j < x.size(); ++j)
      {
        double t = 0.0;
        for (std::size_t k = 0; k < a.size(); ++k)
          t += a[k] * power(x[j], k);
        error = std::max(error, std::abs(t - conduction.cell_temperature_K()[j]));
      }
    return error;
  }
} // namespace cryocycle::continuum
