#pragma once
/// @file
/// Glass transition temperature from the change of slope of a property against temperature
/// (V(T) under NPT, E_pot(T) or P(T) under NVT; Derlet & Maaß (2020): "a change in slope with respect to
/// temperature indicates a glass transition"). The fit is a continuous two-line (hinge) least
/// squares fit y = a + b T + c max(0, T − T_g): for each trial break point the three
/// coefficients are the exact linear least-squares solution; the break point minimising the sum
/// of squared residuals is found on a fine grid and refined by golden-section search. T_g is where
/// the glass line (slope b) meets the liquid line (slope b + c).

#include <vector>

namespace cryocycle::atomistic
{
  struct TwoLineFit
  {
    double break_temperature = 0.0;  ///< T_g, same unit as the input temperatures
    double intercept = 0.0;          ///< a
    double low_slope = 0.0;          ///< b: slope below T_g (glass)
    double high_slope = 0.0;         ///< b + c: slope above T_g (liquid)
    double rms_residual = 0.0;
    /// rms residual of a single straight line, for comparison: a clear slope change makes the
    /// two-line residual markedly smaller.
    double single_line_rms_residual = 0.0;
    double value_at(double T) const;
  };

  /// Fits `values` against `temperatures`; the break point is searched between the 10th and 90th
  /// percentile of the temperatures so each line has data. Needs at least 8 points and a
  /// temperature range; throws std::invalid_argument otherwise.
  TwoLineFit fit_two_lines(const std::vector<double> &temperatures, const std::vector<double> &values);
} // namespace cryocycle::atomistic
