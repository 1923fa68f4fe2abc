#include "calibrate/goodness_of_fit.h"

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace cryocycle::calibrate
{
  namespace
  {
    /// A matrix times 2^exponent, so repeated products neither overflow nor underflow.
    struct ScaledMatrix
    {
      Eigen::MatrixXd matrix;
      long exponent = 0;

      void normalise()
      {
        const double largest = matrix.cwiseAbs().maxCoeff();
        if (largest == 0.0 || !std::isfinite(largest))
          return;
        int shift = 0;
        std::frexp(largest, &shift);
        matrix *= std::ldexp(1.0, -shift);
        exponent += shift;
      }
    };

    ScaledMatrix multiply(const ScaledMatrix& left, const ScaledMatrix& right)
    {
      ScaledMatrix product{left.matrix * right.matrix, left.exponent + right.exponent};
      product.normalise();
      return product;
    }

    /// H^power by repeated squaring.
    ScaledMatrix matrix_power(const Eigen::MatrixXd& base_matrix, std::size_t power)
    {
      ScaledMatrix result{Eigen::MatrixXd::Identity(base_matrix.rows(), base_matrix.cols()), 0};
      ScaledMatrix base{base_matrix, 0};
      base.normalise();
      while (power > 0)
        {
          if ((power & 1U) != 0U)
            result = multiply(result, base);
          power >>= 1U;
          if (power > 0)
            base = multiply(base, base);
        }
      return result;
    }
  } // namespace

  double ks_statistic(const std::vector<double>& sorted_samples, const Distribution& distribution)
  {
    if (sorted_samples.empty())
      throw std::invalid_argument("ks_statistic: no samples");
    if (!std::is_sorted(sorted_samples.begin(), sorted_samples.end()))
      throw std::invalid_argument("ks_statistic: samples must be sorted in ascending order");
    const double n = static_cast<double>(sorted_samples.size());
    double statistic = 0.0;
    for (std::size_t i = 0; i < sorted_samples.size(); ++i)
      {
        const double model_cdf = distribution.cdf(sorted_samples[i]);
        const double empirical_below = static_cast<double>(i) / n;
        const double empirical_at = static_cast<double>(i + 1) / n;
        statistic = std::max({statistic, empirical_at - model_cdf, model_cdf - empirical_below});
      }
    return statistic;
  }

  double kolmogorov_exact_cdf(const double statistic, const std::size_t sample_count)
  {
    if (sample_count == 0)
      throw std::invalid_argument("kolmogorov_exact_cdf: sample count must be positive");
    if (!(statistic > 0.0))
      return 0.0;
    if (statistic >= 1.0)
      return 1.0;
    const double n = static_cast<double>(sample_count);
    // Marsaglia, Tsang & Wang (2003): with n d = k - h, 0 < h <= 1, P(D_n < d) is
    // n!/n^n times the central element of H^n, H an m x m matrix, m = 2k - 1.
    const auto k = static_cast<Eigen::Index>(std::floor(n * statistic)) + 1;
    const Eigen::Index m = 2 * k - 1;
    const double h = static_cast<double>(k) - n * statistic;

    Eigen::MatrixXd transition(m, m);
    for (Eigen::Index i = 0; i < m; ++i)
      for (Eigen::Index j = 0; j < m; ++j)
        transition(i, j) = (i - j + 1 >= 0) ? 1.0 : 0.0;
    for (Eigen::Index i = 0; i < m; ++i)
      {
        transition(i, 0) -= std::pow(h, static_cast<double>(i + 1));
        transition(m - 1, i) -= std::pow(h, static_cast<double>(m - i));
      }
    if (2.0 * h - 1.0 > 0.0)
      transition(m - 1, 0) += std::pow(2.0 * h - 1.0, static_cast<double>(m));
    for (Eigen::Index i = 0; i < m; ++i)
      for (Eigen::Index j = 0; j < m; ++j)
        if (i - j + 1 > 0)
          transition(i, j) /= std::tgamma(static_cast<double>(i - j + 2));

    const ScaledMatrix powered = matrix_power(transition, sample_count);
    double value = powered.matrix(k - 1, k - 1);
    long exponent = powered.exponent;
    // Multiply by n!/n^n one factor at a time, keeping the mantissa away from underflow.
    for (std::size_t i = 1; i <= sample_count; ++i)
      {
        value *= static_cast<double>(i) / n;
        if (value < 0x1p-500)
          {
            value *= 0x1p500;
            exponent -= 500;
          }
      }
    const double cdf = std::ldexp(value, static_cast<int>(std::clamp(exponent, -2000L, 2000L)));
    return std::clamp(cdf, 0.0, 1.0);
  }

  double kolmogorov_limit_survival(const double t)
  {
    if (!(t > 0.0))
      return 1.0;
    constexpr double pi = 3.14159265358979323846;
    if (t < 1.18)
      {
        // Jacobi theta form K(t) = sqrt(2 pi)/t sum exp(-(2j-1)^2 pi^2/(8 t^2)): converges
        // fast for small t, where the alternating series below needs many terms.
        const double factor = -pi * pi / (8.0 * t * t);
        double sum = 0.0;
        for (int j = 1; j <= 50; ++j)
          {
            const double odd = 2.0 * j - 1.0;
            const double term = std::exp(factor * odd * odd);
            sum += term;
            if (term < 1e-17 * sum)
              break;
          }
        return 1.0 - std::sqrt(2.0 * pi) / t * sum;
      }
    double sum = 0.0;
    double sign = 1.0;
    for (int j = 1; j <= 50; ++j)
      {
        const double term = std::exp(-2.0 * j * j * t * t);
        sum += sign * term;
        sign = -sign;
        if (term < 1e-17 * sum)
          break;
      }
    return std::clamp(2.0 * sum, 0.0, 1.0);
  }

  double kolmogorov_p_value(const double statistic, const std::size_t sample_count)
  {
    if (sample_count == 0)
      throw std::invalid_argument("kolmogorov_p_value: sample count must be positive");
    if (!(statistic >= 0.0 && statistic <= 1.0))
      throw std::invalid_argument("kolmogorov_p_value: statistic must lie in [0, 1], got " +
                                  std::to_string(statistic));
    if (statistic == 0.0)
      return 1.0;
    if (statistic == 1.0)
      return 0.0;
    const double n = static_cast<double>(sample_count);
    if (sample_count <= kolmogorov_exact_max_sample_count &&
        n * statistic <= kolmogorov_exact_max_n_statistic)
      return std::max(0.0, 1.0 - kolmogorov_exact_cdf(statistic, sample_count));
    const double root_n = std::sqrt(n);
    return kolmogorov_limit_survival((root_n + 0.12 + 0.11 / root_n) * statistic);
  }
} // namespace cryocycle::calibrate
