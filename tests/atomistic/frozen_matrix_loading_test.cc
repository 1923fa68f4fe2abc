// Loading modes, stress measures and the search for the first stress drop, on analytic tensors
// and synthetic stress–strain curves (no LAMMPS).
#include "atomistic/frozen_matrix_loading.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>

using namespace cryocycle;
using namespace cryocycle::atomistic;

TEST(FrozenMatrixLoading, SimpleShearModesAreEngineeringShears)
{
  // Reference: simple shear x += γ y has ε_xy = γ/2, equivalent shear strain √(2 ε:ε) = γ, and
  // the work conjugate of γ is σ_xy.
  const auto modes = simple_shear_modes();
  ASSERT_EQ(modes.size(), 6u);
  const std::vector<std::string> names{"+xy", "-xy", "+xz", "-xz", "+yz", "-yz"};
  for (std::size_t m = 0; m < 6; ++m)
    {
      EXPECT_EQ(modes[m].name, names[m]);
      EXPECT_DOUBLE_EQ(2.0 * double_contraction(modes[m].strain_direction, modes[m].strain_direction), 1.0);
    }
  const auto &xy = modes[0];
  EXPECT_EQ(xy.displacement_gradient[0][1], 1.0);
  EXPECT_EQ(xy.strain_direction[5], 0.5);
  const SymmetricTensor6 stress{0.3, -0.2, 0.1, 0.7, -0.4, 1.5};  // xx yy zz yz xz xy
  EXPECT_DOUBLE_EQ(resolved_stress(stress, modes[0]), 1.5);
  EXPECT_DOUBLE_EQ(resolved_stress(stress, modes[1]), -1.5);
  EXPECT_DOUBLE_EQ(resolved_stress(stress, modes[3]), 0.4);
  EXPECT_DOUBLE_EQ(resolved_stress(stress, modes[4]), 0.7);
  // F(γ) x for x = (0, 2, 0): displaced by 2γ along x.
  const auto x = multiply(deformation_gradient(xy, 0.05), Vector3{0.0, 2.0, 0.0});
  EXPECT_DOUBLE_EQ(x[0], 0.1);
  EXPECT_DOUBLE_EQ(x[1], 2.0);
}

TEST(FrozenMatrixLoading, StrainDirectionsAreNormalisedAndKeptSymmetric)
{
  // Reference: pure shear e = diag(1, −1, 0) has √(2 e:e) = 2, so the unit direction is
  // diag(½, −½, 0); a shear direction e_yz = 1 becomes H_yz = 2 e_yz / |e| with sym(H) = e/|e|.
  const auto pure = loading_mode_from_strain_direction("pure", {1.0, -1.0, 0.0, 0.0, 0.0, 0.0});
  EXPECT_DOUBLE_EQ(pure.strain_direction[0], 0.5);
  EXPECT_DOUBLE_EQ(pure.strain_direction[1], -0.5);
  EXPECT_DOUBLE_EQ(pure.displacement_gradient[1][1], -0.5);
  const auto shear = loading_mode_from_strain_direction("yz", {0.0, 0.0, 0.0, 3.0, 0.0, 0.0});
  EXPECT_DOUBLE_EQ(shear.strain_direction[3], 0.5);
  EXPECT_DOUBLE_EQ(shear.displacement_gradient[1][2], 1.0);
  EXPECT_DOUBLE_EQ(shear.displacement_gradient[2][1], 0.0);
  EXPECT_THROW(loading_mode_from_strain_direction("zero", {}), std::invalid_argument);
}

TEST(FrozenMatrixLoading, InverseOfAnUpperTriangularGradient)
{
  const auto mode = loading_mode_from_strain_direction("any", {0.2, -0.1, 0.05, 0.3, -0.2, 0.4});
  const auto f = deformation_gradient(mode, 0.17);
  const auto i = multiply(f, inverse(f));
  for (std::size_t r = 0; r < 3; ++r)
    for (std::size_t c = 0; c < 3; ++c)
      EXPECT_NEAR(i[r][c], r == c ? 1.0 : 0.0, 1e-15);
  EXPECT_THROW(inverse(Matrix3{}), std::invalid_argument);
}

namespace
{
  struct SearchRun
  {
    YieldStrainSearch search;
    std::size_t promotions = 0;  ///< bracket ends found continuous
  };

  /// Runs the search on τ(γ) from a configuration-free curve (von Mises = τ).
  SearchRun run_search(const YieldSearchSettings &settings, const std::function<double(double)> &curve)
  {
    SearchRun run{YieldStrainSearch(settings)};
    while (!run.search.finished())
      {
        const double tau = curve(run.search.next_strain());
        if (run.search.record(tau, tau).dropped_is_stable)
          ++run.promotions;
      }
    return run;
  }
} // namespace

TEST(FrozenMatrixLoading, SearchBracketsTheFirstDropToThePrecision)
{
  // Reference: τ = 20 γ up to γ* = 0.05317, where it falls by 0.3 (then rises again at the same
  // slope up to a second drop at 0.09). The search must report the first drop: yield point in
  // (γ* − precision, γ*], the point after it in (γ*, γ* + precision], τ before = 20 γ.
  YieldSearchSettings s;
  s.strain_step = 1e-3;
  s.strain_precision = 1e-5;
  s.drop_tolerance = 1e-3;
  const double first = 0.05317;
  const auto curve = [&](const double g) { return 20.0 * g - (g > first ? 0.3 : 0.0) - (g > 0.09 ? 0.5 : 0.0); };
  const auto run = run_search(s, curve);
  ASSERT_EQ(run.search.kind(), YieldKind::drop);
  const auto &before = run.search.yield_point(), &after = run.search.after_point();
  EXPECT_LE(before.strain, first);
  EXPECT_GT(before.strain, first - s.strain_precision);
  EXPECT_GT(after.strain, first);
  EXPECT_LE(after.strain - before.strain, s.strain_precision * (1 + 1e-9));
  EXPECT_DOUBLE_EQ(before.resolved, 20.0 * before.strain);
  EXPECT_NEAR(before.resolved - after.resolved, 0.3, 20.0 * s.strain_precision);
  // 54 coarse steps, the γ = 0 reference and ⌈log2(1e-3 / 1e-5)⌉ = 7 bisections.
  EXPECT_EQ(run.search.evaluations(), 1u + 54u + 7u);
  EXPECT_EQ(run.promotions, 0u);
}

TEST(FrozenMatrixLoading, ADropHiddenInARisingStepOrBelowTheToleranceIsNotSeen)
{
  // Reference: the definition. A drop of 0.01 at γ = 0.04 is smaller than one step's elastic rise
  // (20 × 1e-3 = 0.02), so the sampled curve never falls; with no other fall the mode reaches
  // max_strain without yielding, and its highest stress is the end of the curve.
  YieldSearchSettings s;
  s.strain_step = 1e-3;
  s.max_strain = 0.1;
  const auto run = run_search(s, [](const double g) { return 20.0 * g - (g > 0.0405 ? 0.01 : 0.0); });
  EXPECT_EQ(run.search.kind(), YieldKind::none);
  EXPECT_DOUBLE_EQ(run.search.stable().strain, 0.1);
  EXPECT_NEAR(run.search.max_stable_von_mises(), 2.0 - 0.01, 1e-12);
  EXPECT_EQ(run.search.evaluations(), 101u);
  // A plateau with a step down of 5e-4 < tolerance 1e-3: no fall either.
  const auto flat = run_search(s, [](const double g) { return std::min(20.0 * g, 1.0) - (g > 0.07 ? 5e-4 : 0.0); });
  EXPECT_EQ(flat.search.kind(), YieldKind::none);
}

TEST(FrozenMatrixLoading, ASmoothPeakYieldsAtItsMaximum)
{
  // Reference: τ = 1 − 200 (γ − 0.05)² is continuous with its maximum 1 at γ = 0.05. Falls of a
  // coarse step larger than the tolerance are bisected and found continuous; the yield point is
  // the highest sampled point (within one step of 0.05, τ within 200 Δγ² of 1) once the curve
  // is more than the tolerance below it.
  YieldSearchSettings s;
  s.strain_step = 1e-3;
  s.strain_precision = 1e-5;
  s.drop_tolerance = 1e-3;
  const auto run = run_search(s, [](const double g) { return 1.0 - 200.0 * (g - 0.05) * (g - 0.05); });
  ASSERT_EQ(run.search.kind(), YieldKind::peak);
  EXPECT_NEAR(run.search.yield_point().strain, 0.05, s.strain_step);
  EXPECT_NEAR(run.search.yield_point().resolved, 1.0, 200.0 * s.strain_step * s.strain_step);
  EXPECT_GT(run.search.yield_point().resolved - run.search.after_point().resolved, s.drop_tolerance);
  EXPECT_LT(run.search.after_point().strain, 0.05 + 0.01);
}

TEST(FrozenMatrixLoading, ASteepContinuousFallIsBisectedThenYieldsAtThePeak)
{
  // Reference: τ = 20 γ up to γ = 0.0304, then falling continuously with slope −50. The coarse
  // step over the corner falls by more than the tolerance, so it is bisected; over the final
  // bracket (< 1e-5) the fall is below the tolerance, so the curve is continuous there (no
  // drop), and the yield point is the highest sampled point: within one coarse step of the corner
  // and, at a corner, within |slope| × step of its stress.
  YieldSearchSettings s;
  s.strain_step = 1e-3;
  s.strain_precision = 1e-5;
  s.drop_tolerance = 1e-3;
  const auto run = run_search(s, [](const double g) { return g < 0.0304 ? 20.0 * g : 0.608 - 50.0 * (g - 0.0304); });
  ASSERT_EQ(run.search.kind(), YieldKind::peak);
  EXPECT_GE(run.promotions, 1u);
  EXPECT_NEAR(run.search.yield_point().strain, 0.0304, s.strain_step);
  EXPECT_NEAR(run.search.yield_point().resolved, 0.608, 50.0 * s.strain_step);
  EXPECT_LE(run.search.yield_point().resolved, 0.608);
}

TEST(FrozenMatrixLoading, InconsistentSettingsAreRefused)
{
  YieldSearchSettings s;
  s.strain_precision = 2.0 * s.strain_step;
  EXPECT_THROW(YieldStrainSearch{s}, std::invalid_argument);
  s = {};
  s.drop_tolerance = 0.0;
  EXPECT_THROW(YieldStrainSearch{s}, std::invalid_argument);
  s = {};
  s.max_strain = 0.5 * s.strain_step;
  EXPECT_THROW(YieldStrainSearch{s}, std::invalid_argument);
}
