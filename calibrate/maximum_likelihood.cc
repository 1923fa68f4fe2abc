#include "calibrate/maximum_likelihood.h"

#include "calibrate/compensated_sum.h"

#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <boost/math/tools/minima.hpp>
#include <boost/math/tools/toms748_solve.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <sstream>

namespace cryocycle::calibrate
{
  namespace
  {
    constexpr double infinity = std::numeric_limits<double>::infinity();

    /// Limits of the profile search, as factors of the sample median. Beyond the upper one the
    /// fitted family is indistinguishable from its limit (exponential for Lomax, where
    /// eta/median ~ gamma/ln 2: gamma > ~7e3; Rayleigh for hyperbolic, where
    /// beta/median ~ sqrt(lambda/(2 ln 2)): lambda > ~1e8), and profile differences there fall
    /// to the level of rounding, so a "maximum" found further out would be noise.
    constexpr double profile_scale_lower_factor = 1e-8;
    constexpr double profile_scale_upper_factor = 1e4;

    double median_of(std::vector<double> values)
    {
      const auto middle = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
      std::nth_element(values.begin(), middle, values.end());
      return *middle;
    }

    void require_spread(const std::vector<double>& samples, const char* family)
    {
      const auto [smallest, largest] = std::minmax_element(samples.begin(), samples.end());
      if (!(*largest > *smallest))
        throw FitError(std::string(family) + " fit: all " + std::to_string(samples.size()) +
                       " samples are equal; the likelihood has no finite maximum");
    }

    /// Maximises a unimodal profile log-likelihood over t = log(scale). Walks uphill from
    /// t_start with growing steps until the profile turns down, which brackets the maximum,
    /// then refines it with Brent's method. Leaving [t_lower, t_upper] without a turn means the
    /// maximum is at a limit of the family: FitError with the matching explanation.
    double maximise_profile(const std::function<double(double)>& profile, const double t_start,
                            const double t_lower, const double t_upper, const std::string& family,
                            const std::string& lower_limit_meaning,
                            const std::string& upper_limit_meaning)
    {
      // Non-finite profile values (overflow far from the optimum) count as -inf.
      const auto finite_profile = [&profile](const double t) {
        const double value = profile(t);
        return std::isfinite(value) ? value : -infinity;
      };

      double step = 0.5;
      double t_previous = t_start;
      double f_previous = finite_profile(t_previous);
      double t_current = t_start + step;
      double f_current = finite_profile(t_current);
      if (f_current < f_previous)
        {
          std::swap(t_previous, t_current);
          std::swap(f_previous, f_current);
          step = -step;
        }
      if (!std::isfinite(f_current))
        throw FitError(family +
                       " fit: the profile log-likelihood is not finite near the data scale");

      for (;;)
        {
          step *= 1.6;
          const double t_next = t_current + step;
          if (t_next > t_upper || t_next < t_lower)
            {
              std::ostringstream message;
              message << family << " fit: the likelihood has no finite maximum; it keeps rising "
                      << "towards " << (step > 0 ? upper_limit_meaning : lower_limit_meaning);
              throw FitError(message.str());
            }
          const double f_next = finite_profile(t_next);
          if (f_next < f_current)
            {
              const double bracket_low = std::min(t_previous, t_next);
              const double bracket_high = std::max(t_previous, t_next);
              std::uintmax_t iterations = 200;
              const auto minimum = boost::math::tools::brent_find_minima(
                  [&finite_profile](const double t) { return -finite_profile(t); }, bracket_low,
                  bracket_high, std::numeric_limits<double>::digits / 2, iterations);
              return minimum.first;
            }
          t_previous = t_current;
          t_current = t_next;
          f_current = f_next;
        }
    }

    /// Standard errors from a 2x2 observed information matrix (minus the Hessian).
    std::vector<double> standard_errors_from_information(const Eigen::Matrix2d& information,
                                                         const char* family)
    {
      const Eigen::LLT<Eigen::Matrix2d> cholesky(information);
      if (cholesky.info() != Eigen::Success || !information.allFinite())
        throw FitError(std::string(family) +
                       " fit: the observed information matrix is not positive definite; "
                       "the parameters are not identifiable from these data");
      const Eigen::Matrix2d covariance = cholesky.solve(Eigen::Matrix2d::Identity());
      return {std::sqrt(covariance(0, 0)), std::sqrt(covariance(1, 1))};
    }
  } // namespace

  void validate_samples(const std::vector<double>& samples, const Support support,
                        const std::string_view family)
  {
    if (samples.size() < minimum_fit_sample_count)
      {
        std::ostringstream message;
        message << family << " fit: needs at least " << minimum_fit_sample_count << " samples, got "
                << samples.size();
        throw std::invalid_argument(message.str());
      }
    for (std::size_t i = 0; i < samples.size(); ++i)
      {
        const double x = samples[i];
        const char* problem = nullptr;
        if (!std::isfinite(x))
          problem = "is not finite";
        else if (support == Support::non_negative && x < 0.0)
          problem = "is negative (the support is x >= 0)";
        else if (support == Support::positive && x <= 0.0)
          problem = "is not positive (the support is x > 0)";
        if (problem != nullptr)
          {
            std::ostringstream message;
            message.precision(17);
            message << family << " fit: sample " << i << " (value " << x << ") " << problem;
            throw std::invalid_argument(message.str());
          }
      }
  }

  double log_likelihood(const Distribution& distribution, const std::vector<double>& samples)
  {
    CompensatedSum total;
    for (const double x : samples)
      total.add(distribution.log_pdf(x));
    return total.value();
  }

  MaximumLikelihoodEstimate fit_gaussian(const std::vector<double>& samples)
  {
    validate_samples(samples, Support::real_line, "gaussian");
    require_spread(samples, "gaussian");
    const double n = static_cast<double>(samples.size());
    CompensatedSum sum;
    for (const double x : samples)
      sum.add(x);
    const double mean = sum.value() / n;
    CompensatedSum squared_deviations;
    for (const double x : samples)
      squared_deviations.add((x - mean) * (x - mean));
    const double standard_deviation = std::sqrt(squared_deviations.value() / n);

    MaximumLikelihoodEstimate result;
    result.estimates = {mean, standard_deviation};
    result.standard_errors = {standard_deviation / std::sqrt(n),
                              standard_deviation / std::sqrt(2.0 * n)};
    result.log_likelihood = log_likelihood(GaussianDistribution(mean, standard_deviation), samples);
    return result;
  }

  MaximumLikelihoodEstimate fit_lomax(const std::vector<double>& samples)
  {
    validate_samples(samples, Support::non_negative, "lomax");
    require_spread(samples, "lomax");
    const double n = static_cast<double>(samples.size());
    const auto log1p_sum = [&samples](const double eta) {
      CompensatedSum total;
      for (const double x : samples)
        total.add(std::log1p(x / eta));
      return total.value();
    };
    // Profile: gamma(eta) = n/S(eta) gives l_p = n log(n/S) - n log(eta) - n - S.
    const auto profile = [&](const double log_eta) {
      const double s = log1p_sum(std::exp(log_eta));
      return n * std::log(n / s) - n * log_eta - n - s;
    };
    double scale = median_of(samples);
    if (!(scale > 0.0))
      scale = *std::max_element(samples.begin(), samples.end());
    const double log_eta = maximise_profile(
        profile, std::log(scale), std::log(scale * profile_scale_lower_factor),
        std::log(scale * profile_scale_upper_factor), "lomax", "eta -> 0 (gamma -> 0)",
        "the exponential limit (eta, gamma -> inf with gamma/eta fixed): the data show no tail "
        "heavier than exponential, so no Lomax law fits them better than that limit");
    const double eta = std::exp(log_eta);
    const double gamma = n / log1p_sum(eta);

    // Observed information: minus the analytic Hessian of l(gamma, eta).
    CompensatedSum cross_sum;
    CompensatedSum curvature_sum;
    for (const double x : samples)
      {
        const double eta_plus_x = eta + x;
        cross_sum.add(x / (eta * eta_plus_x));
        curvature_sum.add(x * (2.0 * eta + x) / (eta * eta * eta_plus_x * eta_plus_x));
      }
    Eigen::Matrix2d information;
    information(0, 0) = n / (gamma * gamma);
    information(0, 1) = -cross_sum.value();
    information(1, 0) = information(0, 1);
    information(1, 1) = -n / (eta * eta) + (gamma + 1.0) * curvature_sum.value();

    MaximumLikelihoodEstimate result;
    result.estimates = {gamma, eta};
    result.standard_errors = standard_errors_from_information(information, "lomax");
    result.log_likelihood = log_likelihood(LomaxDistribution(gamma, eta), samples);
    return result;
  }

  MaximumLikelihoodEstimate fit_hyperbolic(const std::vector<double>& samples)
  {
    validate_samples(samples, Support::positive, "hyperbolic");
    require_spread(samples, "hyperbolic");
    const double n = static_cast<double>(samples.size());
    const auto cosh_minus_one_sum = [&samples](const double beta) {
      CompensatedSum total;
      for (const double x : samples)
        total.add(cosh_minus_one(x / beta));
      return total.value();
    };
    // Profile: lambda(beta) = n/S(beta) gives
    // l_p = n log(n/S) - n log(beta) + sum log sinh(x/beta) - n. For beta far below the data
    // scale S overflows to inf and l_p to -inf, which the maximiser reads as "downhill".
    const auto profile = [&](const double log_beta) {
      const double beta = std::exp(log_beta);
      CompensatedSum cosh_sum;
      CompensatedSum log_sinh_sum;
      for (const double x : samples)
        {
          const double u = x / beta;
          cosh_sum.add(cosh_minus_one(u));
          log_sinh_sum.add(log_sinh(u));
        }
      return n * std::log(n / cosh_sum.value()) - n * log_beta + log_sinh_sum.value() - n;
    };
    const double scale = median_of(samples);
    const double log_beta = maximise_profile(
        profile, std::log(scale), std::log(scale * profile_scale_lower_factor),
        std::log(scale * profile_scale_upper_factor), "hyperbolic", "beta -> 0",
        "the Rayleigh limit (beta, lambda -> inf with lambda/beta^2 fixed), so no hyperbolic "
        "law fits these data better than that limit");
    const double beta = std::exp(log_beta);
    const double lambda = n / cosh_minus_one_sum(beta);

    // Observed information from the analytic Hessian of l(lambda, beta), with u = x/beta:
    // d2l/dlambda dbeta = sum u sinh u / beta,
    // d2l/dbeta2 = [n + sum(2u coth u - (u/sinh u)^2) - lambda sum(2u sinh u + u^2 cosh u)]/beta^2.
    CompensatedSum u_sinh_sum;
    CompensatedSum beta_curvature_sum;
    for (const double x : samples)
      {
        const double u = x / beta;
        const double sinh_u = std::sinh(u);
        const double u_over_sinh = u / sinh_u;
        u_sinh_sum.add(u * sinh_u);
        beta_curvature_sum.add(2.0 * u / std::tanh(u) - u_over_sinh * u_over_sinh -
                               lambda * (2.0 * u * sinh_u + u * u * std::cosh(u)));
      }
    Eigen::Matrix2d information;
    information(0, 0) = n / (lambda * lambda);
    information(0, 1) = -u_sinh_sum.value() / beta;
    information(1, 0) = information(0, 1);
    information(1, 1) = -(n + beta_curvature_sum.value()) / (beta * beta);

    MaximumLikelihoodEstimate result;
    result.estimates = {lambda, beta};
    result.standard_errors = standard_errors_from_information(information, "hyperbolic");
    result.log_likelihood = log_likelihood(HyperbolicDistribution(lambda, beta), samples);
    return result;
  }

  MaximumLikelihoodEstimate fit_weibull(const std::vector<double>& samples)
  {
    validate_samples(samples, Support::positive, "weibull");
    require_spread(samples, "weibull");
    const std::size_t count = samples.size();
    const double n = static_cast<double>(count);

    // Work with y = x / max(x): log y <= 0, so y^k <= 1 never overflows and the largest term
    // of sum y^k is exactly 1. The shape is scale-free; the scale is restored at the end.
    const double largest = *std::max_element(samples.begin(), samples.end());
    std::vector<double> log_ratios(count);
    CompensatedSum log_ratio_sum;
    for (std::size_t i = 0; i < count; ++i)
      {
        log_ratios[i] = std::log(samples[i] / largest);
        log_ratio_sum.add(log_ratios[i]);
      }
    const double mean_log_ratio = log_ratio_sum.value() / n;
    CompensatedSum log_ratio_variance_sum;
    for (const double log_ratio : log_ratios)
      log_ratio_variance_sum.add((log_ratio - mean_log_ratio) * (log_ratio - mean_log_ratio));
    const double log_ratio_deviation = std::sqrt(log_ratio_variance_sum.value() / n);

    // Profile score in k; increasing in k, -inf at k -> 0, -mean(log y) > 0 at k -> inf.
    const auto profile_score = [&](const double k) {
      CompensatedSum weight_sum;
      CompensatedSum weighted_log_sum;
      for (const double log_ratio : log_ratios)
        {
          const double weight = std::exp(k * log_ratio);
          weight_sum.add(weight);
          weighted_log_sum.add(weight * log_ratio);
        }
      return weighted_log_sum.value() / weight_sum.value() - 1.0 / k - mean_log_ratio;
    };

    // Start from the moment estimate sd(log x) = pi / (k sqrt 6), then bracket by halving or
    // doubling: the score is monotone, so the bracket is found in a few steps.
    const double pi = 3.14159265358979323846;
    double k_low = pi / (std::sqrt(6.0) * log_ratio_deviation);
    double k_high = k_low;
    double score_low = profile_score(k_low);
    double score_high = score_low;
    while (score_low > 0.0)
      {
        k_high = k_low;
        score_high = score_low;
        k_low *= 0.5;
        if (k_low < 1e-6)
          throw FitError("weibull fit: the shape k falls below 1e-6; the data span too many "
                         "orders of magnitude for a Weibull law");
        score_low = profile_score(k_low);
      }
    while (score_high < 0.0)
      {
        k_low = k_high;
        score_low = score_high;
        k_high *= 2.0;
        if (k_high > 1e6)
          throw FitError("weibull fit: the shape k exceeds 1e6; the samples are nearly equal");
        score_high = profile_score(k_high);
      }
    double k = k_low;
    if (score_low != 0.0 && score_high != 0.0)
      {
        std::uintmax_t iterations = 100;
        const auto root = boost::math::tools::toms748_solve(
            profile_score, k_low, k_high, score_low, score_high,
            boost::math::tools::eps_tolerance<double>(std::numeric_limits<double>::digits - 3),
            iterations);
        k = 0.5 * (root.first + root.second);
      }
    else if (score_high == 0.0)
      k = k_high;

    CompensatedSum power_sum;
    for (const double log_ratio : log_ratios)
      power_sum.add(std::exp(k * log_ratio));
    const double lambda = largest * std::pow(power_sum.value() / n, 1.0 / k);

    // Observed information from the analytic Hessian of l(k, lambda), z = (x/lambda)^k:
    // d2l/dk2 = -n/k^2 - sum z log^2(x/lambda),
    // d2l/dk dlambda = (-n + sum z + k sum z log(x/lambda)) / lambda,
    // d2l/dlambda2 = (n k - k (k + 1) sum z) / lambda^2.
    CompensatedSum z_sum;
    CompensatedSum z_log_sum;
    CompensatedSum z_log_squared_sum;
    for (const double x : samples)
      {
        const double log_ratio = std::log(x / lambda);
        const double z = std::exp(k * log_ratio);
        z_sum.add(z);
        z_log_sum.add(z * log_ratio);
        z_log_squared_sum.add(z * log_ratio * log_ratio);
      }
    Eigen::Matrix2d information;
    information(0, 0) = n / (k * k) + z_log_squared_sum.value();
    information(0, 1) = (n - z_sum.value() - k * z_log_sum.value()) / lambda;
    information(1, 0) = information(0, 1);
    information(1, 1) = (k * (k + 1.0) * z_sum.value() - n * k) / (lambda * lambda);

    MaximumLikelihoodEstimate result;
    result.estimates = {k, lambda};
    result.standard_errors = standard_errors_from_information(information, "weibull");
    result.log_likelihood = log_likelihood(WeibullDistribution(k, lambda), samples);
    return result;
  }
} // namespace cryocycle::calibrate
