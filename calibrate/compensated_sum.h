#pragma once
/// @file
/// Neumaier's compensated summation, used for log-likelihoods and Monte Carlo means over up to
/// millions of terms: the rounding error stays O(eps) instead of growing like O(n eps), so the
/// small differences between profile log-likelihoods a maximiser compares remain meaningful.

#include <cmath>

namespace cryocycle::calibrate
{
  /// Running sum with a separately accumulated rounding-error term (Neumaier 1974).
  class CompensatedSum
  {
  public:
    /// Adds one term.
    void add(const double term)
    {
      const double new_sum = sum_ + term;
      if (std::abs(sum_) >= std::abs(term))
        compensation_ += (sum_ - new_sum) + term;
      else
        compensation_ += (term - new_sum) + sum_;
      sum_ = new_sum;
    }

    /// The compensated total.
    double value() const
    {
      return sum_ + compensation_;
    }

  private:
    double sum_ = 0.0;
    double compensation_ = 0.0;
  };
} // namespace cryocycle::calibrate
