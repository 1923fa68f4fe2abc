#include "coupling/bridge/scale_bridge.h"

#include "calibrate/activation_probability.h"

#include <boost/math/distributions/students_t.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace cryocycle::coupling
{
  namespace
  {
    constexpr double sphere_factor = 4.0 * M_PI / 3.0;
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();

    double require_positive(const char *function, const char *name, const double value)
    {
      if (!(std::isfinite(value) && value > 0.0))
        throw std::invalid_argument(fmt::format("{}: {} must be finite and > 0, got {}", function, name, value));
      return value;
    }

    void require_probability(const char *function, const double p)
    {
      if (!(p >= 0.0 && p <= 1.0))
        throw std::invalid_argument(fmt::format("{}: probability per site must lie in [0, 1], got {}", function, p));
    }

    /// Two-sided Student-t quantile; the normal limit for very many degrees of freedom.
    double t_quantile(const double degrees_of_freedom, const double confidence_level)
    {
      const boost::math::students_t t(degrees_of_freedom);
      return boost::math::quantile(t, 0.5 + 0.5 * confidence_level);
    }
  } // namespace

  double frozen_matrix_radius_nm(const double sigma_cg_nm)
  {
    return 2.0 * require_positive("frozen_matrix_radius_nm", "sigma_cg_nm", sigma_cg_nm);
  }

  double sigma_cg_from_frozen_matrix_radius_nm(const double radius_nm)
  {
    return 0.5 * require_positive("sigma_cg_from_frozen_matrix_radius_nm", "radius_nm", radius_nm);
  }

  double site_volume_nm3(const double sigma_cg_nm)
  {
    const double s = require_positive("site_volume_nm3", "sigma_cg_nm", sigma_cg_nm);
    return sphere_factor * s * s * s;
  }

  double sigma_cg_from_site_volume_nm(const double volume_nm3)
  {
    return std::cbrt(require_positive("sigma_cg_from_site_volume_nm", "volume_nm3", volume_nm3) / sphere_factor);
  }

  double element_size_for_sigma_cg_nm(const double sigma_cg_nm)
  {
    return std::cbrt(site_volume_nm3(sigma_cg_nm));
  }

  double sigma_cg_for_element_size_nm(const double element_size_nm)
  {
    const double h = require_positive("sigma_cg_for_element_size_nm", "element_size_nm", element_size_nm);
    return sigma_cg_from_site_volume_nm(h * h * h);
  }

  double sites_in_volume(const double volume_nm3, const double sigma_cg_nm)
  {
    return require_positive("sites_in_volume", "volume_nm3", volume_nm3) / site_volume_nm3(sigma_cg_nm);
  }

  VarianceLaw fit_variance_law(const std::vector<double> &sigma_cg_nm, const std::vector<double> &variances)
  {
    if (sigma_cg_nm.empty() || sigma_cg_nm.size() != variances.size())
      throw std::invalid_argument(fmt::format("fit_variance_law: needs as many variances as widths (at least one), "
                                              "got {} widths and {} variances",
                                              sigma_cg_nm.size(), variances.size()));
    VarianceLaw law;
    if (sigma_cg_nm.size() == 1)
      {
        const double s = require_positive("fit_variance_law", "sigma_cg_nm[0]", sigma_cg_nm[0]);
        const double v = require_positive("fit_variance_law", "variances[0]", variances[0]);
        law.assumed_exponent = true;
        law.fit.exponent = -3.0;
        law.fit.prefactor = v / std::pow(s, -3.0);
        law.fit.exponent_standard_error = nan;
        law.fit.log_prefactor_standard_error = nan;
        law.fit.r_squared = nan;
        law.fit.point_count = 1;
        law.mean_log_sigma = std::log(s);
        law.smallest_sigma_cg_nm = law.largest_sigma_cg_nm = s;
        return law;
      }
    law.fit = calibrate::fit_power_law(sigma_cg_nm, variances);
    const double n = static_cast<double>(sigma_cg_nm.size());
    for (const double s : sigma_cg_nm)
      law.mean_log_sigma += std::log(s) / n;
    for (const double s : sigma_cg_nm)
      law.sum_squares_log_sigma += (std::log(s) - law.mean_log_sigma) * (std::log(s) - law.mean_log_sigma);
    const auto [lo, hi] = std::minmax_element(sigma_cg_nm.begin(), sigma_cg_nm.end());
    law.smallest_sigma_cg_nm = *lo;
    law.largest_sigma_cg_nm = *hi;
    return law;
  }

  CarriedVariance carry_variance(const VarianceLaw &law, const double target_sigma_cg_nm, const double confidence_level)
  {
    require_positive("carry_variance", "target_sigma_cg_nm", target_sigma_cg_nm);
    if (!(confidence_level > 0.0 && confidence_level < 1.0))
      throw std::invalid_argument(fmt::format("carry_variance: confidence level must lie in (0, 1), got {}",
                                              confidence_level));
    CarriedVariance c;
    c.sigma_cg_nm = target_sigma_cg_nm;
    c.confidence_level = confidence_level;
    c.variance = law.fit(target_sigma_cg_nm);
    c.standard_deviation = std::sqrt(c.variance);
    const double log10_target = std::log10(target_sigma_cg_nm);
    c.decades_outside_fit = std::max({0.0, std::log10(law.smallest_sigma_cg_nm) - log10_target,
                                      log10_target - std::log10(law.largest_sigma_cg_nm)});

    const double n = static_cast<double>(law.fit.point_count);
    const double se_b = law.fit.exponent_standard_error;
    if (law.assumed_exponent || law.fit.point_count < 3 || !std::isfinite(se_b))
      {
        c.log_standard_error = c.lower = c.upper = nan;
        return c;
      }
    // s² = se(b)² S_xx is the residual variance of the log-log regression.
    const double residual_variance = se_b * se_b * law.sum_squares_log_sigma;
    const double offset = std::log(target_sigma_cg_nm) - law.mean_log_sigma;
    c.log_standard_error = std::sqrt(residual_variance / n + offset * offset * se_b * se_b);
    const double t = t_quantile(n - 2.0, confidence_level);
    c.lower = c.variance * std::exp(-t * c.log_standard_error);
    c.upper = c.variance * std::exp(t * c.log_standard_error);
    return c;
  }

  SiteFieldStatistics carry_to_element_size(const std::string &quantity, const std::vector<double> &sigma_cg_nm,
                                            const std::vector<double> &means,
                                            const std::vector<double> &standard_deviations,
                                            const double element_size_nm, const double confidence_level)
  {
    if (means.size() != sigma_cg_nm.size() || standard_deviations.size() != sigma_cg_nm.size())
      throw std::invalid_argument(fmt::format("carry_to_element_size: {} widths, {} means and {} standard deviations "
                                              "of {}",
                                              sigma_cg_nm.size(), means.size(), standard_deviations.size(), quantity));
    SiteFieldStatistics s;
    s.quantity = quantity;
    s.element_size_nm = element_size_nm;
    std::vector<double> variances;
    for (std::size_t i = 0; i < means.size(); ++i)
      {
        s.mean += means[i] / static_cast<double>(means.size());
        variances.push_back(standard_deviations[i] * standard_deviations[i]);
      }
    s.law = fit_variance_law(sigma_cg_nm, variances);
    s.variance = carry_variance(s.law, sigma_cg_for_element_size_nm(element_size_nm), confidence_level);
    return s;
  }

  std::vector<SiteFieldStatistics> site_fields_from_record(const CalibrationRecord &record,
                                                           const double element_size_nm,
                                                           const double confidence_level)
  {
    std::vector<SiteFieldStatistics> fields;
    for (const char *name : {"thermal_expansion_per_K", "bulk_modulus_GPa", "shear_modulus_GPa"})
      {
        std::vector<double> sigma, means, deviations;
        for (const auto &w : record.coarse_grainings)
          if (const RecordedQuantity *q = w.quantity(name))
            {
              sigma.push_back(w.sigma_cg_nm);
              means.push_back(q->mean);
              deviations.push_back(q->standard_deviation);
            }
        if (!sigma.empty())
          fields.push_back(carry_to_element_size(name, sigma, means, deviations, element_size_nm, confidence_level));
      }
    return fields;
  }

  CellActivation cell_activation(const double cell_volume_nm3, const double sigma_cg_nm,
                                 const double probability_per_site)
  {
    require_probability("cell_activation", probability_per_site);
    CellActivation cell;
    cell.sites = sites_in_volume(cell_volume_nm3, sigma_cg_nm);
    if (cell.sites < 1.0)
      throw std::invalid_argument(fmt::format("cell_activation: a cell of {} nm³ is smaller than one site of σ_cg = "
                                              "{} nm ({} nm³); use cells of site size (explicit sites)",
                                              cell_volume_nm3, sigma_cg_nm, site_volume_nm3(sigma_cg_nm)));
    cell.probability = calibrate::activation_probability(probability_per_site, cell.sites);
    cell.expected_events = cell.sites * probability_per_site;
    return cell;
  }

  SizeInvarianceCheck check_size_invariance(const std::vector<double> &sigma_cg_nm,
                                            const std::vector<double> &probabilities,
                                            const double reference_volume_nm3, const double tolerance)
  {
    SizeInvarianceCheck check;
    check.ratios = calibrate::probability_per_cubed_size(sigma_cg_nm, probabilities);
    check.sigma_cg_nm = sigma_cg_nm;
    check.probabilities = probabilities;
    check.reference_volume_nm3 = reference_volume_nm3;
    check.tolerance = require_positive("check_size_invariance", "tolerance", tolerance);
    for (std::size_t i = 0; i < sigma_cg_nm.size(); ++i)
      {
        const CellActivation cell = cell_activation(reference_volume_nm3, sigma_cg_nm[i], probabilities[i]);
        check.cell_probabilities.push_back(cell.probability);
        check.expected_events.push_back(cell.expected_events);
      }
    // n p = V p / V_site = (3V / 4π) · p/σ³: its spread is the spread of the ratios.
    check.consistent = check.ratios.relative_standard_deviation <= tolerance;
    return check;
  }
} // namespace cryocycle::coupling
