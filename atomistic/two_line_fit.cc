#include "atomistic/two_line_fit.h"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace cryocycle::atomistic
{
  namespace
  {
    struct Trial
    {
      double sse = 0.0;
      Eigen::Vector3d coefficients;
    };

    Trial fit_at(const std::vector<double> &T, const std::vector<double> &y, const double Tb)
    {
      const auto n = static_cast<Eigen::Index>(T.size());
      Eigen::MatrixXd A(n, 3);
      Eigen::VectorXd b(n);
      for (Eigen::Index i = 0; i < n; ++i)
        {
          const double t = T[static_cast<std::size_t>(i)];
          A(i, 0) = 1.0;
          A(i, 1) = t - Tb;  // centred on the break point for conditioning
          A(i, 2) = std::max(0.0, t - Tb);
          b(i) = y[static_cast<std::size_t>(i)];
        }
      Trial trial;
      trial.coefficients = A.colPivHouseholderQr().solve(b);
      trial.sse = (A * trial.coefficients - b).squaredNorm();
      return trial;
    }
  } // namespace

  double TwoLineFit::value_at(const double T) const
  {
    return intercept + low_slope * T + (high_slope - low_slope) * std::max(0.0, T - break_temperature);
  }

  TwoLineFit fit_two_lines(const std::vector<double> &temperatures, const std::vector<double> &values)
  {
    if (temperatures.size() != values.size() || temperatures.size() < 8)
      throw std::invalid_argument("a two-line fit needs at least 8 (temperature, value) pairs");
    std::vector<double> sorted = temperatures;
    std::sort(sorted.begin(), sorted.end());
    const double lo = sorted[sorted.size() / 10], hi = sorted[sorted.size() - 1 - sorted.size() / 10];
    if (!(hi > lo))
      throw std::invalid_argument("a two-line fit needs a range of temperatures");

    const int grid = 200;
    double best_Tb = lo, best_sse = INFINITY;
    for (int k = 0; k <= grid; ++k)
      {
        const double Tb = lo + (hi - lo) * k / grid;
        const double sse = fit_at(temperatures, values, Tb).sse;
        if (sse < best_sse)
          best_sse = sse, best_Tb = Tb;
      }
    // Golden-section refinement within one grid cell either side.
    double a = std::max(lo, best_Tb - (hi - lo) / grid), b = std::min(hi, best_Tb + (hi - lo) / grid);
    const double ratio = (std::sqrt(5.0) - 1.0) / 2.0;
    for (int it = 0; it < 60; ++it)
      {
        const double c = b - ratio * (b - a), d = a + ratio * (b - a);
        if (fit_at(temperatures, values, c).sse < fit_at(temperatures, values, d).sse)
          b = d;
        else
          a = c;
      }
    const double Tb = 0.5 * (a + b);
    const Trial trial = fit_at(temperatures, values, Tb);

    TwoLineFit fit;
    fit.break_temperature = Tb;
    fit.low_slope = trial.coefficients(1);
    fit.high_slope = trial.coefficients(1) + trial.coefficients(2);
    fit.intercept = trial.coefficients(0) - trial.coefficients(1) * Tb;
    const double n = static_cast<double>(values.size());
    fit.rms_residual = std::sqrt(trial.sse / n);

    double mt = 0.0, my = 0.0;
    for (std::size_t i = 0; i < values.size(); ++i)
      mt += temperatures[i], my += values[i];
    mt /= n, my /= n;
    double stt = 0.0, sty = 0.0, syy = 0.0;
    for (std::size_t i = 0; i < values.size(); ++i)
      {
        stt += (temperatures[i] - mt) * (temperatures[i] - mt);
        sty += (temperatures[i] - mt) * (values[i] - my);
        syy += (values[i] - my) * (values[i] - my);
      }
    fit.single_line_rms_residual = std::sqrt(std::max(0.0, syy - sty * sty / stt) / n);
    return fit;
  }
} // namespace cryocycle::atomistic
