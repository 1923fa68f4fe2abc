#include "atomistic/frozen_matrix_loading.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace cryocycle::atomistic
{
  namespace
  {
    const char *const axis_names = "xyz";

    SymmetricTensor6 symmetric_part(const Matrix3 &h)
    {
      return {h[0][0], h[1][1], h[2][2], 0.5 * (h[1][2] + h[2][1]), 0.5 * (h[0][2] + h[2][0]),
              0.5 * (h[0][1] + h[1][0])};
    }
  } // namespace

  double resolved_stress(const SymmetricTensor6 &stress, const LoadingMode &mode)
  {
    return double_contraction(stress, mode.strain_direction);
  }

  LoadingMode simple_shear_mode(const int i, const int j, const double sign)
  {
    if (!(i >= 0 && j > i && j <= 2))
      throw std::invalid_argument(fmt::format("simple shear needs 0 <= i < j <= 2, got {} {}", i, j));
    if (std::abs(sign) != 1.0)
      throw std::invalid_argument("simple shear sign must be +1 or -1");
    LoadingMode m;
    m.name = fmt::format("{}{}{}", sign > 0 ? '+' : '-', axis_names[i], axis_names[j]);
    m.displacement_gradient[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)] = sign;
    m.strain_direction = symmetric_part(m.displacement_gradient);
    return m;
  }

  std::vector<LoadingMode> simple_shear_modes()
  {
    std::vector<LoadingMode> modes;
    for (const auto &[i, j] : {std::pair{0, 1}, std::pair{0, 2}, std::pair{1, 2}})
      for (const double sign : {1.0, -1.0})
        modes.push_back(simple_shear_mode(i, j, sign));
    return modes;
  }

  LoadingMode loading_mode_from_strain_direction(const std::string &name, const SymmetricTensor6 &direction)
  {
    const double norm = std::sqrt(2.0 * double_contraction(direction, direction));
    if (!(norm > 0.0) || !std::isfinite(norm))
      throw std::invalid_argument("loading mode '" + name + "': the strain direction must be finite and non-zero");
    LoadingMode m;
    m.name = name;
    auto &h = m.displacement_gradient;
    // Upper triangular H with sym(H) = e: the lower shear components move to the upper ones.
    h[0][0] = direction[0] / norm;
    h[1][1] = direction[1] / norm;
    h[2][2] = direction[2] / norm;
    h[1][2] = 2.0 * direction[3] / norm;
    h[0][2] = 2.0 * direction[4] / norm;
    h[0][1] = 2.0 * direction[5] / norm;
    m.strain_direction = symmetric_part(h);
    return m;
  }

  Matrix3 deformation_gradient(const LoadingMode &mode, const double strain)
  {
    Matrix3 f{};
    for (std::size_t i = 0; i < 3; ++i)
      for (std::size_t j = 0; j < 3; ++j)
        f[i][j] = (i == j ? 1.0 : 0.0) + strain * mode.displacement_gradient[i][j];
    return f;
  }

  Matrix3 multiply(const Matrix3 &a, const Matrix3 &b)
  {
    Matrix3 c{};
    for (std::size_t i = 0; i < 3; ++i)
      for (std::size_t j = 0; j < 3; ++j)
        for (std::size_t k = 0; k < 3; ++k)
          c[i][j] += a[i][k] * b[k][j];
    return c;
  }

  Vector3 multiply(const Matrix3 &a, const Vector3 &v)
  {
    return {a[0][0] * v[0] + a[0][1] * v[1] + a[0][2] * v[2], a[1][0] * v[0] + a[1][1] * v[1] + a[1][2] * v[2],
            a[2][0] * v[0] + a[2][1] * v[1] + a[2][2] * v[2]};
  }

  Matrix3 inverse(const Matrix3 &m)
  {
    const double det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) -
                       m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
                       m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
    if (!(std::abs(det) > 0.0))
      throw std::invalid_argument("singular 3x3 matrix");
    Matrix3 r{};
    r[0][0] = (m[1][1] * m[2][2] - m[1][2] * m[2][1]) / det;
    r[0][1] = (m[0][2] * m[2][1] - m[0][1] * m[2][2]) / det;
    r[0][2] = (m[0][1] * m[1][2] - m[0][2] * m[1][1]) / det;
    r[1][0] = (m[1][2] * m[2][0] - m[1][0] * m[2][2]) / det;
    r[1][1] = (m[0][0] * m[2][2] - m[0][2] * m[2][0]) / det;
    r[1][2] = (m[0][2] * m[1][0] - m[0][0] * m[1][2]) / det;
    r[2][0] = (m[1][0] * m[2][1] - m[1][1] * m[2][0]) / det;
    r[2][1] = (m[0][1] * m[2][0] - m[0][0] * m[2][1]) / det;
    r[2][2] = (m[0][0] * m[1][1] - m[0][1] * m[1][0]) / det;
    return r;
  }

  void check(const YieldSearchSettings &s)
  {
    if (!(s.strain_step > 0.0))
      throw std::invalid_argument("the strain step must be positive");
    if (!(s.max_strain >= s.strain_step))
      throw std::invalid_argument("the largest strain must be at least one strain step");
    if (!(s.strain_precision > 0.0 && s.strain_precision <= s.strain_step))
      throw std::invalid_argument("the strain precision must be positive and at most the strain step");
    if (!(s.drop_tolerance > 0.0))
      throw std::invalid_argument("the drop tolerance must be positive");
  }

  YieldStrainSearch::YieldStrainSearch(const YieldSearchSettings &settings) : settings_(settings)
  {
    check(settings_);
  }

  double YieldStrainSearch::next_strain() const
  {
    if (finished_)
      throw std::logic_error("YieldStrainSearch: the search is finished");
    if (!started_)
      return 0.0;
    if (bracketing_)
      return 0.5 * (stable_.strain + dropped_.strain);
    return std::min(stable_.strain + settings_.strain_step, settings_.max_strain);
  }

  YieldStrainSearch::Update YieldStrainSearch::record(const double resolved, const double von_mises)
  {
    const Point tried{next_strain(), resolved, von_mises};
    ++evaluations_;
    Update update;
    const auto accept = [&](const Point &p, bool &is_peak) {
      if (started_)
        {
          previous_ = stable_;
          has_previous_ = true;
        }
      stable_ = p;
      max_stable_von_mises_ = std::max(max_stable_von_mises_, p.von_mises);
      if (!started_ || p.resolved > peak_.resolved)
        {
          peak_ = p;
          is_peak = true;
        }
    };
    if (!started_)
      {
        accept(tried, update.tried_is_peak);
        started_ = true;
        update.tried_is_stable = true;
      }
    else if (tried.resolved < stable_.resolved - settings_.drop_tolerance)
      {
        dropped_ = tried;
        bracketing_ = true;
        update.tried_is_dropped = true;
      }
    else
      {
        accept(tried, update.tried_is_peak);
        update.tried_is_stable = true;
      }

    if (bracketing_ && dropped_.strain - stable_.strain <= settings_.strain_precision * (1.0 + 1e-9))
      {
        if (dropped_.resolved < stable_.resolved - settings_.drop_tolerance)
          {
            finished_ = true;
            kind_ = YieldKind::drop;
            return update;
          }
        // The fall shrank below the tolerance as the bracket closed: the curve is continuous
        // here. Go on from the far end of the bracket.
        bracketing_ = false;
        accept(dropped_, update.dropped_is_peak);
        update.dropped_is_stable = true;
      }
    if (bracketing_)
      return update;
    if (stable_.resolved < peak_.resolved - settings_.drop_tolerance)
      {
        finished_ = true;
        kind_ = YieldKind::peak;
      }
    else if (stable_.strain >= settings_.max_strain * (1.0 - 1e-12))
      finished_ = true;
    return update;
  }
} // namespace cryocycle::atomistic
