#pragma once
/// @file
/// One-dimensional probability distributions of local stresses: the interface every family
/// implements and the four families cryocycle fits (Gaussian, Lomax, hyperbolic, Weibull).
/// Lomax (thermal stress) and hyperbolic (yield stress) follow Shang et al. (2018) section III and eq. 8.
/// Values carry the unit of the data they describe (GPa for stresses); shape parameters are
/// dimensionless and scale parameters carry the unit of the data.

#include "core/random_stream.h"

#include <memory>
#include <string>
#include <vector>

namespace cryocycle::calibrate
{
  /// Where a family puts probability, used to validate data before a fit.
  enum class Support
  {
    real_line,    ///< any finite value (Gaussian)
    non_negative, ///< x >= 0 (Lomax)
    positive      ///< x > 0: the density vanishes or diverges at 0 (hyperbolic, Weibull)
  };

  /// A continuous distribution on the real line or on [0, inf).
  /// Implementations are immutable after construction and safe to share between threads.
  class Distribution
  {
  public:
    virtual ~Distribution() = default;

    /// Registry name of the family: "gaussian", "lomax", "hyperbolic" or "weibull".
    virtual std::string family() const = 0;
    /// Names of the parameters, in the order of parameters().
    virtual std::vector<std::string> parameter_names() const = 0;
    /// Parameter values, in the order of parameter_names().
    virtual std::vector<double> parameters() const = 0;
    /// Probability density at x (unit: 1 / unit of x); 0 outside the support.
    virtual double pdf(double x) const = 0;
    /// Natural logarithm of pdf(x), evaluated without forming pdf(x) (-inf outside the support).
    virtual double log_pdf(double x) const = 0;
    /// Cumulative distribution P(X <= x).
    virtual double cdf(double x) const = 0;
    /// P(X > x) = 1 - cdf(x), evaluated directly so small tail probabilities keep full
    /// relative precision.
    virtual double survival(double x) const = 0;
    /// Inverse of cdf for u in [0, 1]; quantile(1) is +inf, quantile(0) the lower support end.
    /// Throws std::invalid_argument outside [0, 1].
    virtual double quantile(double u) const = 0;
    /// One random variate. Lomax, hyperbolic and Weibull use the inverse cdf of one
    /// boost::random::uniform_01 draw (one engine output, except when it would round to 1,
    /// probability ~5e-17, which uniform_01 rejects); the Gaussian uses
    /// boost::random::normal_distribution (ziggurat, a variable number of outputs).
    virtual double sample(core::RandomEngine& engine) const = 0;
    /// Lower end of the support: -inf or 0.
    virtual double support_lower() const = 0;
    /// Support requirement for data (see Support).
    virtual Support support() const = 0;
    /// A copy of this distribution.
    virtual std::unique_ptr<Distribution> clone() const = 0;
  };

  /// Normal distribution N(mean, standard_deviation^2).
  class GaussianDistribution final : public Distribution
  {
  public:
    /// @param mean location (unit of the data); @param standard_deviation > 0 (unit of the data).
    GaussianDistribution(double mean, double standard_deviation);

    std::string family() const override;
    std::vector<std::string> parameter_names() const override;
    std::vector<double> parameters() const override;
    double pdf(double x) const override;
    double log_pdf(double x) const override;
    double cdf(double x) const override;
    double survival(double x) const override;
    double quantile(double u) const override;
    double sample(core::RandomEngine& engine) const override;
    double support_lower() const override;
    Support support() const override;
    std::unique_ptr<Distribution> clone() const override;

  private:
    double mean_;
    double standard_deviation_;
  };

  /// Lomax (Pareto type II) distribution of Shang et al. (2018) section III:
  /// p_L(x) = (gamma/eta) (1 + x/eta)^(-gamma-1), x >= 0; survival (1 + x/eta)^(-gamma).
  class LomaxDistribution final : public Distribution
  {
  public:
    /// @param shape_gamma tail exponent gamma > 0 (dimensionless);
    /// @param scale_eta scale eta > 0 (unit of the data, GPa in Shang et al. 2018 Table I).
    LomaxDistribution(double shape_gamma, double scale_eta);

    std::string family() const override;
    std::vector<std::string> parameter_names() const override;
    std::vector<double> parameters() const override;
    double pdf(double x) const override;
    double log_pdf(double x) const override;
    double cdf(double x) const override;
    double survival(double x) const override;
    double quantile(double u) const override;
    double sample(core::RandomEngine& engine) const override;
    double support_lower() const override;
    Support support() const override;
    std::unique_ptr<Distribution> clone() const override;

  private:
    double shape_gamma_;
    double scale_eta_;
  };

  /// Hyperbolic distribution of Shang et al. (2018) eq. 8:
  /// p_H(x) = (lambda/beta) sinh(x/beta) exp(lambda (1 - cosh(x/beta))), x >= 0;
  /// survival exp(lambda (1 - cosh(x/beta))).
  class HyperbolicDistribution final : public Distribution
  {
  public:
    /// @param shape_lambda lambda > 0 (dimensionless);
    /// @param scale_beta beta > 0 (unit of the data, GPa in Shang et al. 2018 Table I).
    HyperbolicDistribution(double shape_lambda, double scale_beta);

    std::string family() const override;
    std::vector<std::string> parameter_names() const override;
    std::vector<double> parameters() const override;
    double pdf(double x) const override;
    double log_pdf(double x) const override;
    double cdf(double x) const override;
    double survival(double x) const override;
    double quantile(double u) const override;
    double sample(core::RandomEngine& engine) const override;
    double support_lower() const override;
    Support support() const override;
    std::unique_ptr<Distribution> clone() const override;

  private:
    double shape_lambda_;
    double scale_beta_;
  };

  /// Weibull distribution: p(x) = (k/lambda) (x/lambda)^(k-1) exp(-(x/lambda)^k), x >= 0.
  class WeibullDistribution final : public Distribution
  {
  public:
    /// @param shape_k k > 0 (dimensionless); @param scale_lambda lambda > 0 (unit of the data).
    WeibullDistribution(double shape_k, double scale_lambda);

    std::string family() const override;
    std::vector<std::string> parameter_names() const override;
    std::vector<double> parameters() const override;
    double pdf(double x) const override;
    double log_pdf(double x) const override;
    double cdf(double x) const override;
    double survival(double x) const override;
    double quantile(double u) const override;
    double sample(core::RandomEngine& engine) const override;
    double support_lower() const override;
    Support support() const override;
    std::unique_ptr<Distribution> clone() const override;

  private:
    double shape_k_;
    double scale_lambda_;
  };

  /// log(sinh(u)) for u > 0 without overflow for large u or loss of precision for small u.
  double log_sinh(double u);

  /// cosh(u) - 1 computed as 2 sinh^2(u/2), free of the cancellation of the direct form near 0.
  double cosh_minus_one(double u);
} // namespace cryocycle::calibrate
