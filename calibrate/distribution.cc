#include "calibrate/distribution.h"

#include <boost/math/special_functions/erf.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_01.hpp>

#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>

namespace cryocycle::calibrate
{
  namespace
  {
    constexpr double infinity = std::numeric_limits<double>::infinity();
    constexpr double log_two = 0.69314718055994530942;

    /// Throws unless value is finite and strictly positive; names family and parameter.
    double require_positive(const char* family, const char* parameter, const double value)
    {
      if (!(std::isfinite(value) && value > 0.0))
        {
          std::ostringstream message;
          message.precision(17);
          message << family << " distribution: parameter " << parameter
                  << " must be finite and > 0, got " << value;
          throw std::invalid_argument(message.str());
        }
      return value;
    }

    double require_finite(const char* family, const char* parameter, const double value)
    {
      if (!std::isfinite(value))
        {
          std::ostringstream message;
          message.precision(17);
          message << family << " distribution: parameter " << parameter << " must be finite, got "
                  << value;
          throw std::invalid_argument(message.str());
        }
      return value;
    }

    void require_probability(const char* family, const double u)
    {
      if (!(u >= 0.0 && u <= 1.0))
        {
          std::ostringstream message;
          message.precision(17);
          message << family << " distribution: quantile needs a probability in [0, 1], got " << u;
          throw std::invalid_argument(message.str());
        }
    }

    /// One uniform variate in [0, 1) for inverse-cdf sampling.
    double draw_uniform(core::RandomEngine& engine)
    {
      boost::random::uniform_01<double> uniform;
      return uniform(engine);
    }

    /// -log(1 - u) for u in [0, 1]: the unit-exponential quantile, exact near u = 0.
    double exponential_quantile(const double u)
    {
      return -std::log1p(-u);
    }
  } // namespace

  double log_sinh(const double u)
  {
    // Above u = 20, exp(-2u) < 5e-18 and the exponential form cannot overflow.
    if (u > 20.0)
      return u - log_two + std::log1p(-std::exp(-2.0 * u));
    return std::log(std::sinh(u));
  }

  double cosh_minus_one(const double u)
  {
    const double half_sinh = std::sinh(0.5 * u);
    return 2.0 * half_sinh * half_sinh;
  }

  // ---- Gaussian ---------------------------------------------------------------------------------

  GaussianDistribution::GaussianDistribution(const double mean, const double standard_deviation)
      : mean_(require_finite("gaussian", "mean", mean))
      , standard_deviation_(require_positive("gaussian", "standard_deviation", standard_deviation))
  {
  }

  std::string GaussianDistribution::family() const
  {
    return "gaussian";
  }

  std::vector<std::string> GaussianDistribution::parameter_names() const
  {
    return {"mean", "standard_deviation"};
  }

  std::vector<double> GaussianDistribution::parameters() const
  {
    return {mean_, standard_deviation_};
  }

  double GaussianDistribution::pdf(const double x) const
  {
    return std::exp(log_pdf(x));
  }

  double GaussianDistribution::log_pdf(const double x) const
  {
    constexpr double log_sqrt_two_pi = 0.91893853320467274178;
    const double z = (x - mean_) / standard_deviation_;
    return -0.5 * z * z - std::log(standard_deviation_) - log_sqrt_two_pi;
  }

  double GaussianDistribution::cdf(const double x) const
  {
    const double z = (x - mean_) / standard_deviation_;
    return 0.5 * std::erfc(-z / std::sqrt(2.0));
  }

  double GaussianDistribution::survival(const double x) const
  {
    const double z = (x - mean_) / standard_deviation_;
    return 0.5 * std::erfc(z / std::sqrt(2.0));
  }

  double GaussianDistribution::quantile(const double u) const
  {
    require_probability("gaussian", u);
    if (u == 0.0)
      return -infinity;
    if (u == 1.0)
      return infinity;
    return mean_ - std::sqrt(2.0) * standard_deviation_ * boost::math::erfc_inv(2.0 * u);
  }

  double GaussianDistribution::sample(core::RandomEngine& engine) const
  {
    boost::random::normal_distribution<double> normal(mean_, standard_deviation_);
    return normal(engine);
  }

  double GaussianDistribution::support_lower() const
  {
    return -infinity;
  }

  Support GaussianDistribution::support() const
  {
    return Support::real_line;
  }

  std::unique_ptr<Distribution> GaussianDistribution::clone() const
  {
    return std::make_unique<GaussianDistribution>(*this);
  }

  // ---- Lomax --------------------------------------------------------------------------------

  LomaxDistribution::LomaxDistribution(const double shape_gamma, const double scale_eta)
      : shape_gamma_(require_positive("lomax", "shape_gamma", shape_gamma))
      , scale_eta_(require_positive("lomax", "scale_eta", scale_eta))
  {
  }

  std::string LomaxDistribution::family() const
  {
    return "lomax";
  }

  std::vector<std::string> LomaxDistribution::parameter_names() const
  {
    return {"shape_gamma", "scale_eta"};
  }

  std::vector<double> LomaxDistribution::parameters() const
  {
    return {shape_gamma_, scale_eta_};
  }

  double LomaxDistribution::pdf(const double x) const
  {
    if (x < 0.0)
      return 0.0;
    return std::exp(log_pdf(x));
  }

  double LomaxDistribution::log_pdf(const double x) const
  {
    if (x < 0.0)
      return -infinity;
    return std::log(shape_gamma_ / scale_eta_) - (shape_gamma_ + 1.0) * std::log1p(x / scale_eta_);
  }

  double LomaxDistribution::cdf(const double x) const
  {
    if (x <= 0.0)
      return 0.0;
    return -std::expm1(-shape_gamma_ * std::log1p(x / scale_eta_));
  }

  double LomaxDistribution::survival(const double x) const
  {
    if (x <= 0.0)
      return 1.0;
    return std::exp(-shape_gamma_ * std::log1p(x / scale_eta_));
  }

  double LomaxDistribution::quantile(const double u) const
  {
    require_probability("lomax", u);
    // (1 - u)^(-1/gamma) - 1 through expm1, exact for small u.
    return scale_eta_ * std::expm1(exponential_quantile(u) / shape_gamma_);
  }

  double LomaxDistribution::sample(core::RandomEngine& engine) const
  {
    return quantile(draw_uniform(engine));
  }

  double LomaxDistribution::support_lower() const
  {
    return 0.0;
  }

  Support LomaxDistribution::support() const
  {
    return Support::non_negative;
  }

  std::unique_ptr<Distribution> LomaxDistribution::clone() const
  {
    return std::make_unique<LomaxDistribution>(*this);
  }

  // ---- hyperbolic ---------------------------------------------------------------------------

  HyperbolicDistribution::HyperbolicDistribution(const double shape_lambda, const double scale_beta)
      : shape_lambda_(require_positive("hyperbolic", "shape_lambda", shape_lambda))
      , scale_beta_(require_positive("hyperbolic", "scale_beta", scale_beta))
  {
  }

  std::string HyperbolicDistribution::family() const
  {
    return "hyperbolic";
  }

  std::vector<std::string> HyperbolicDistribution::parameter_names() const
  {
    return {"shape_lambda", "scale_beta"};
  }

  std::vector<double> HyperbolicDistribution::parameters() const
  {
    return {shape_lambda_, scale_beta_};
  }

  double HyperbolicDistribution::pdf(const double x) const
  {
    if (x <= 0.0)
      return 0.0;
    return std::exp(log_pdf(x));
  }

  double HyperbolicDistribution::log_pdf(const double x) const
  {
    if (x <= 0.0)
      return -infinity;
    const double u = x / scale_beta_;
    return std::log(shape_lambda_ / scale_beta_) + log_sinh(u) - shape_lambda_ * cosh_minus_one(u);
  }

  double HyperbolicDistribution::cdf(const double x) const
  {
    if (x <= 0.0)
      return 0.0;
    return -std::expm1(-shape_lambda_ * cosh_minus_one(x / scale_beta_));
  }

  double HyperbolicDistribution::survival(const double x) const
  {
    if (x <= 0.0)
      return 1.0;
    return std::exp(-shape_lambda_ * cosh_minus_one(x / scale_beta_));
  }

  double HyperbolicDistribution::quantile(const double u) const
  {
    require_probability("hyperbolic", u);
    // beta acosh(1 + t) with t = -log(1 - u)/lambda; acosh(1 + t) = log1p(t + sqrt(t (t + 2)))
    // keeps full precision for small t, and log(2 (1 + t)) is exact to double beyond t = 1e8.
    const double t = exponential_quantile(u) / shape_lambda_;
    if (t > 1e8)
      return scale_beta_ * (log_two + std::log1p(t));
    return scale_beta_ * std::log1p(t + std::sqrt(t * (t + 2.0)));
  }

  double HyperbolicDistribution::sample(core::RandomEngine& engine) const
  {
    return quantile(draw_uniform(engine));
  }

  double HyperbolicDistribution::support_lower() const
  {
    return 0.0;
  }

  Support HyperbolicDistribution::support() const
  {
    return Support::positive;
  }

  std::unique_ptr<Distribution> HyperbolicDistribution::clone() const
  {
    return std::make_unique<HyperbolicDistribution>(*this);
  }

  // ---- Weibull ------------------------------------------------------------------------------

  WeibullDistribution::WeibullDistribution(const double shape_k, const double scale_lambda)
      : shape_k_(require_positive("weibull", "shape_k", shape_k))
      , scale_lambda_(require_positive("weibull", "scale_lambda", scale_lambda))
  {
  }

  std::string WeibullDistribution::family() const
  {
    return "weibull";
  }

  std::vector<std::string> WeibullDistribution::parameter_names() const
  {
    return {"shape_k", "scale_lambda"};
  }

  std::vector<double> WeibullDistribution::parameters() const
  {
    return {shape_k_, scale_lambda_};
  }

  double WeibullDistribution::pdf(const double x) const
  {
    if (x < 0.0)
      return 0.0;
    return std::exp(log_pdf(x));
  }

  double WeibullDistribution::log_pdf(const double x) const
  {
    if (x < 0.0)
      return -infinity;
    if (x == 0.0)
      {
        // The density at the origin is infinite (k < 1), 1/lambda (k = 1) or zero (k > 1).
        if (shape_k_ < 1.0)
          return infinity;
        return shape_k_ == 1.0 ? -std::log(scale_lambda_) : -infinity;
      }
    const double log_ratio = std::log(x / scale_lambda_);
    return std::log(shape_k_ / scale_lambda_) + (shape_k_ - 1.0) * log_ratio -
           std::exp(shape_k_ * log_ratio);
  }

  double WeibullDistribution::cdf(const double x) const
  {
    if (x <= 0.0)
      return 0.0;
    return -std::expm1(-std::pow(x / scale_lambda_, shape_k_));
  }

  double WeibullDistribution::survival(const double x) const
  {
    if (x <= 0.0)
      return 1.0;
    return std::exp(-std::pow(x / scale_lambda_, shape_k_));
  }

  double WeibullDistribution::quantile(const double u) const
  {
    require_probability("weibull", u);
    return scale_lambda_ * std::pow(exponential_quantile(u), 1.0 / shape_k_);
  }

  double WeibullDistribution::sample(core::RandomEngine& engine) const
  {
    return quantile(draw_uniform(engine));
  }

  double WeibullDistribution::support_lower() const
  {
    return 0.0;
  }

  Support WeibullDistribution::support() const
  {
    return Support::positive;
  }

  std::unique_ptr<Distribution> WeibullDistribution::clone() const
  {
    return std::make_unique<WeibullDistribution>(*this);
  }
} // namespace cryocycle::calibrate
