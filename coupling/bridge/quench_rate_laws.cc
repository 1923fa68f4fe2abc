#include "coupling/bridge/quench_rate_laws.h"

#include "calibrate/distribution_registry.h"

#include <boost/math/distributions/normal.hpp>
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
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();

    bool known(const double standard_error) { return std::isfinite(standard_error) && standard_error > 0.0; }

    /// Parameters of a recorded fit in the family's registry order.
    std::vector<double> registry_order(const RecordedFit &fit, const std::string &record)
    {
      const auto &names = calibrate::builtin_distribution_registry().family(fit.family).parameter_names;
      std::vector<double> values;
      for (const auto &name : names)
        {
          const auto it = std::find(fit.parameter_names.begin(), fit.parameter_names.end(), name);
          if (it == fit.parameter_names.end())
            throw std::runtime_error(fmt::format("{}: the {} fit has no parameter {}", record, fit.family, name));
          values.push_back(fit.estimates[static_cast<std::size_t>(it - fit.parameter_names.begin())]);
        }
      return values;
    }

    std::vector<double> registry_order_errors(const RecordedFit &fit)
    {
      const auto &names = calibrate::builtin_distribution_registry().family(fit.family).parameter_names;
      std::vector<double> values;
      for (const auto &name : names)
        {
          const auto it = std::find(fit.parameter_names.begin(), fit.parameter_names.end(), name);
          values.push_back(fit.standard_errors[static_cast<std::size_t>(it - fit.parameter_names.begin())]);
        }
      return values;
    }
  } // namespace

  LinearTrend fit_linear_trend(const std::vector<double> &x, const std::vector<double> &y,
                               const std::vector<double> &y_standard_errors)
  {
    if (x.size() != y.size() || (!y_standard_errors.empty() && y_standard_errors.size() != y.size()))
      throw std::invalid_argument(fmt::format("fit_linear_trend: {} x, {} y and {} standard errors differ in length",
                                              x.size(), y.size(), y_standard_errors.size()));
    for (std::size_t i = 0; i < x.size(); ++i)
      if (!std::isfinite(x[i]) || !std::isfinite(y[i]))
        throw std::invalid_argument(fmt::format("fit_linear_trend: point {} ({}, {}) is not finite", i, x[i], y[i]));
    for (std::size_t i = 0; i < y_standard_errors.size(); ++i)
      if (!known(y_standard_errors[i]))
        throw std::invalid_argument(
          fmt::format("fit_linear_trend: standard error {} must be finite and > 0, got {}", i, y_standard_errors[i]));
    const auto [lo, hi] = std::minmax_element(x.begin(), x.end());
    if (x.size() < 2 || !(*hi > *lo))
      throw std::invalid_argument("fit_linear_trend: needs at least two distinct x");

    LinearTrend t;
    t.point_count = x.size();
    t.degrees_of_freedom = static_cast<double>(x.size()) - 2.0;
    t.weighted = !y_standard_errors.empty();
    t.smallest_x = *lo;
    t.largest_x = *hi;
    // Centre x first, so the sums do not cancel when x sits far from 0 (log10 Q ≈ 12).
    const double shift = 0.5 * (*lo + *hi);
    double s = 0, sx = 0, sxx = 0, sy = 0, sxy = 0;
    for (std::size_t i = 0; i < x.size(); ++i)
      {
        const double w = t.weighted ? 1.0 / (y_standard_errors[i] * y_standard_errors[i]) : 1.0;
        const double xi = x[i] - shift;
        s += w;
        sx += w * xi;
        sxx += w * xi * xi;
        sy += w * y[i];
        sxy += w * xi * y[i];
      }
    const double det = s * sxx - sx * sx;
    t.slope = (s * sxy - sx * sy) / det;
    const double centred_intercept = (sxx * sy - sx * sxy) / det;
    double var_a = sxx / det;
    double var_b = s / det;
    double cov = -sx / det;

    double chi_squared = 0.0;
    for (std::size_t i = 0; i < x.size(); ++i)
      {
        const double w = t.weighted ? 1.0 / (y_standard_errors[i] * y_standard_errors[i]) : 1.0;
        const double r = y[i] - centred_intercept - t.slope * (x[i] - shift);
        chi_squared += w * r * r;
      }
    const double scatter = t.degrees_of_freedom > 0 ? chi_squared / t.degrees_of_freedom : nan;
    t.residual_standard_deviation = std::sqrt(scatter);
    double scale = 1.0;
    if (!t.weighted)
      scale = scatter;  // NaN with two points: the errors are unknown
    else if (t.degrees_of_freedom > 0 && scatter > 1.0)
      scale = scatter;
    var_a *= scale;
    var_b *= scale;
    cov *= scale;
    // Back from centred x: a = a_c − b·shift.
    t.intercept = centred_intercept - t.slope * shift;
    const double var_intercept = var_a - 2.0 * shift * cov + shift * shift * var_b;
    t.covariance = cov - shift * var_b;
    t.intercept_standard_error = std::sqrt(var_intercept);
    t.slope_standard_error = std::sqrt(var_b);
    return t;
  }

  TrendPrediction predict_trend(const LinearTrend &t, const double x, const double confidence_level)
  {
    if (!(confidence_level > 0.0 && confidence_level < 1.0))
      throw std::invalid_argument(fmt::format("predict_trend: confidence level must lie in (0, 1), got {}",
                                              confidence_level));
    TrendPrediction p;
    p.x = x;
    p.value = t(x);
    p.confidence_level = confidence_level;
    p.outside_fit = std::max({0.0, t.smallest_x - x, x - t.largest_x});
    const double variance = t.intercept_standard_error * t.intercept_standard_error + 2.0 * x * t.covariance +
                            x * x * t.slope_standard_error * t.slope_standard_error;
    p.standard_error = std::sqrt(std::max(variance, 0.0));
    const bool birge_scaled = t.weighted && t.degrees_of_freedom > 0 && t.residual_standard_deviation > 1.0;
    if (t.weighted)
      p.prediction_standard_error = p.standard_error;
    else
      p.prediction_standard_error = std::sqrt(p.standard_error * p.standard_error +
                                              t.residual_standard_deviation * t.residual_standard_deviation);
    double quantile = nan;
    if (t.weighted && !birge_scaled)
      quantile = boost::math::quantile(boost::math::normal(), 0.5 + 0.5 * confidence_level);
    else if (t.degrees_of_freedom > 0)
      quantile = boost::math::quantile(boost::math::students_t(t.degrees_of_freedom), 0.5 + 0.5 * confidence_level);
    p.lower = p.value - quantile * p.prediction_standard_error;
    p.upper = p.value + quantile * p.prediction_standard_error;
    return p;
  }

  QuenchRateTrend fit_quench_rate_trend(const std::string &name, const std::vector<QuenchRatePoint> &points,
                                        const TrendScale scale)
  {
    std::vector<double> x;
    std::vector<double> y;
    std::vector<double> errors;
    std::size_t with_errors = 0;
    for (std::size_t i = 0; i < points.size(); ++i)
      {
        const auto &p = points[i];
        if (!(std::isfinite(p.quench_rate_K_per_s) && p.quench_rate_K_per_s > 0.0))
          throw std::invalid_argument(fmt::format("{}: quench rate of point {} must be > 0, got {}", name, i,
                                                  p.quench_rate_K_per_s));
        if (scale == TrendScale::logarithmic && !(p.value > 0.0))
          throw std::invalid_argument(fmt::format("{}: value of point {} must be > 0 for a logarithmic trend, got {}",
                                                  name, i, p.value));
        x.push_back(std::log10(p.quench_rate_K_per_s));
        y.push_back(scale == TrendScale::logarithmic ? std::log(p.value) : p.value);
        // d(ln y) = dy / y.
        errors.push_back(scale == TrendScale::logarithmic ? p.standard_error / p.value : p.standard_error);
        with_errors += known(p.standard_error);
      }
    if (with_errors != 0 && with_errors != points.size())
      throw std::invalid_argument(fmt::format("{}: {} of {} points have standard errors; give all or none", name,
                                              with_errors, points.size()));
    QuenchRateTrend trend;
    trend.name = name;
    trend.scale = scale;
    try
      {
        trend.fit = fit_linear_trend(x, y, with_errors ? errors : std::vector<double>{});
      }
    catch (const std::invalid_argument &e)
      {
        throw std::invalid_argument(name + ": " + e.what() + " (needs two or more distinct quench rates)");
      }
    return trend;
  }

  QuenchRatePrediction predict_at_quench_rate(const QuenchRateTrend &trend, const double quench_rate_K_per_s,
                                              const double confidence_level)
  {
    if (!(std::isfinite(quench_rate_K_per_s) && quench_rate_K_per_s > 0.0))
      throw std::invalid_argument(fmt::format("{}: quench rate must be > 0, got {}", trend.name, quench_rate_K_per_s));
    const TrendPrediction p = predict_trend(trend.fit, std::log10(quench_rate_K_per_s), confidence_level);
    QuenchRatePrediction q;
    q.name = trend.name;
    q.quench_rate_K_per_s = quench_rate_K_per_s;
    q.confidence_level = confidence_level;
    q.standard_error = p.prediction_standard_error;
    q.decades_extrapolated = p.outside_fit;
    const bool log = trend.scale == TrendScale::logarithmic;
    q.value = log ? std::exp(p.value) : p.value;
    q.lower = log ? std::exp(p.lower) : p.lower;
    q.upper = log ? std::exp(p.upper) : p.upper;
    return q;
  }

  std::vector<QuenchRateTrend> distribution_parameter_trends(const std::vector<GlassState> &states,
                                                             const double sigma_cg_nm, const std::string &quantity,
                                                             const std::string &family)
  {
    const auto &names = calibrate::builtin_distribution_registry().family(family).parameter_names;
    std::vector<std::vector<QuenchRatePoint>> points(names.size());
    for (const auto &state : states)
      {
        const RecordedFit &fit = state.record.fit(sigma_cg_nm, quantity, family);
        const auto values = registry_order(fit, state.record.file.string());
        const auto errors = registry_order_errors(fit);
        for (std::size_t k = 0; k < names.size(); ++k)
          points[k].push_back({state.quench_rate_K_per_s, values[k], errors[k]});
      }
    std::vector<QuenchRateTrend> trends;
    for (std::size_t k = 0; k < names.size(); ++k)
      {
        // A Gaussian's mean may be of either sign; every other parameter is a positive scale or shape.
        const TrendScale scale = names[k] == "mean" ? TrendScale::linear : TrendScale::logarithmic;
        // Unknown errors (e.g. a fit without standard errors) fall back to the unweighted fit.
        bool all_known = true;
        for (const auto &p : points[k])
          all_known = all_known && known(p.standard_error);
        if (!all_known)
          for (auto &p : points[k])
            p.standard_error = 0.0;
        trends.push_back(
          fit_quench_rate_trend(fmt::format("{} {} {}", quantity, family, names[k]), points[k], scale));
      }
    return trends;
  }

  QuenchRateTrend as_quenched_energy_trend(const std::vector<GlassState> &states)
  {
    std::vector<QuenchRatePoint> points;
    bool all_errors = true;
    for (const auto &state : states)
      {
        if (!state.as_quenched_energy_J_per_mol)
          throw std::invalid_argument("as-quenched energy trend: glass '" + state.label + "' has no energy");
        points.push_back({state.quench_rate_K_per_s, *state.as_quenched_energy_J_per_mol,
                          state.energy_standard_error_J_per_mol});
        all_errors = all_errors && known(state.energy_standard_error_J_per_mol);
      }
    if (!all_errors)
      for (auto &p : points)
        p.standard_error = 0.0;
    return fit_quench_rate_trend("as_quenched_energy_J_per_mol", points, TrendScale::linear);
  }

  StateLaw::StateLaw(std::string family, std::vector<StateLawPoint> points)
    : family_(std::move(family))
    , points_(std::move(points))
  {
    const std::size_t count = calibrate::builtin_distribution_registry().family(family_).parameter_names.size();
    std::sort(points_.begin(), points_.end(),
              [](const StateLawPoint &a, const StateLawPoint &b) { return a.state < b.state; });
    if (points_.size() < 2 || points_.front().state != 0.0 || points_.back().state != 1.0)
      throw std::invalid_argument("StateLaw: needs two or more points spanning s = 0 to s = 1");
    for (std::size_t i = 0; i < points_.size(); ++i)
      {
        if (points_[i].parameters.size() != count)
          throw std::invalid_argument(fmt::format("StateLaw: point {} has {} parameters, {} takes {}", i,
                                                  points_[i].parameters.size(), family_, count));
        if (i > 0 && !(points_[i].state > points_[i - 1].state))
          throw std::invalid_argument(fmt::format("StateLaw: two points at s = {}", points_[i].state));
      }
  }

  std::vector<double> StateLaw::parameters_at(const double state) const
  {
    if (!(state >= 0.0 && state <= 1.0))
      throw std::invalid_argument(fmt::format("StateLaw: state {} outside [0, 1]", state));
    std::size_t upper = 1;
    while (upper + 1 < points_.size() && points_[upper].state < state)
      ++upper;
    const auto &a = points_[upper - 1];
    const auto &b = points_[upper];
    const double f = (state - a.state) / (b.state - a.state);
    std::vector<double> p(a.parameters.size());
    for (std::size_t k = 0; k < p.size(); ++k)
      p[k] = (1.0 - f) * a.parameters[k] + f * b.parameters[k];
    return p;
  }

  bool StateLaw::has_energies() const
  {
    return std::all_of(points_.begin(), points_.end(),
                       [](const StateLawPoint &p) { return p.energy_J_per_mol.has_value(); });
  }

  double StateLaw::stored_energy_J_per_mol(const double state) const
  {
    if (!has_energies())
      throw std::logic_error("StateLaw: the calibrations carry no as-quenched energies");
    if (!(state >= 0.0 && state <= 1.0))
      throw std::invalid_argument(fmt::format("StateLaw: state {} outside [0, 1]", state));
    // s is defined as linear in the energy.
    return state * (*points_.back().energy_J_per_mol - *points_.front().energy_J_per_mol);
  }

  StateLaw make_state_law(const std::vector<GlassState> &states, const double sigma_cg_nm,
                          const std::string &quantity, const std::string &family)
  {
    if (states.size() < 2)
      throw std::invalid_argument("a state law needs calibrations of two or more glasses");
    const bool energies = std::all_of(states.begin(), states.end(),
                                      [](const GlassState &g) { return g.as_quenched_energy_J_per_mol.has_value(); });
    std::vector<StateLawPoint> points;
    for (const auto &g : states)
      points.push_back({0.0, g.quench_rate_K_per_s, g.as_quenched_energy_J_per_mol,
                        registry_order(g.record.fit(sigma_cg_nm, quantity, family), g.record.file.string())});
    if (energies)
      {
        const auto [lo, hi] = std::minmax_element(points.begin(), points.end(), [](const auto &a, const auto &b) {
          return *a.energy_J_per_mol < *b.energy_J_per_mol;
        });
        const double e0 = *lo->energy_J_per_mol;
        const double e1 = *hi->energy_J_per_mol;
        if (!(e1 > e0))
          throw std::invalid_argument(
            fmt::format("the glasses have equal as-quenched energies ({} J/mol); no state axis", e0));
        for (auto &p : points)
          p.state = (*p.energy_J_per_mol - e0) / (e1 - e0);
      }
    else
      {
        if (states.size() > 2)
          throw std::invalid_argument("a state law of more than two glasses needs the as-quenched energy of each");
        const bool first_slower = states[0].quench_rate_K_per_s < states[1].quench_rate_K_per_s;
        if (states[0].quench_rate_K_per_s == states[1].quench_rate_K_per_s)
          throw std::invalid_argument("two glasses of the same quench rate and no energies: no state axis");
        points[0].state = first_slower ? 0.0 : 1.0;
        points[1].state = first_slower ? 1.0 : 0.0;
      }
    return StateLaw(family, std::move(points));
  }

  ContinuumStateLaw continuum_state_law(const std::vector<GlassState> &states, const double sigma_cg_nm,
                                        const std::string &yield_family)
  {
    for (const auto &g : states)
      if (!g.as_quenched_energy_J_per_mol)
        throw std::invalid_argument("continuum state law: glass '" + g.label +
                                    "' has no as-quenched energy (needed for the stored energies)");
    const StateLaw law = make_state_law(states, sigma_cg_nm, "yield_stress_GPa", yield_family);
    ContinuumStateLaw c;
    c.yield_family = yield_family;
    c.yield_relaxed = law.points().front().parameters;
    c.yield_rejuvenated = law.points().back().parameters;
    c.stored_energy_relaxed_J_per_mol = 0.0;
    c.stored_energy_rejuvenated_J_per_mol = law.stored_energy_J_per_mol(1.0);
    c.relaxed_quench_rate_K_per_s = law.points().front().quench_rate_K_per_s;
    c.rejuvenated_quench_rate_K_per_s = law.points().back().quench_rate_K_per_s;
    return c;
  }
} // namespace cryocycle::coupling
