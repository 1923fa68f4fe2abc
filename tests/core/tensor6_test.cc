// Tests of the symmetric-tensor operations shared by every scale (core/tensor6.h).
#include "core/tensor6.h"

#include <Eigen/Eigenvalues>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

using cryocycle::SymmetricTensor6;

namespace
{
  /// A deterministic, varied symmetric tensor.
  SymmetricTensor6 sample_tensor(const int sample)
  {
    SymmetricTensor6 s{};
    for (std::size_t v = 0; v < 6; ++v)
      s[v] = std::sin(1.7 * sample + 2.3 * static_cast<double>(v) + 0.1);
    return s;
  }

  Eigen::Matrix3d matrix(const SymmetricTensor6 &s)
  {
    Eigen::Matrix3d m;
    m << s[0], s[5], s[4], s[5], s[1], s[3], s[4], s[3], s[2];
    return m;
  }
} // namespace

TEST(Tensor6, VonMisesOfTextbookStates)
{
  // Reference: uniaxial σ gives σ; pure shear τ gives √3 τ (each shear component); hydrostatic
  // stress gives 0. Tolerance: 1e-15 absolute (a few ulp at these magnitudes).
  EXPECT_DOUBLE_EQ(cryocycle::von_mises_equivalent({2.0, 0, 0, 0, 0, 0}), 2.0);
  EXPECT_NEAR(cryocycle::von_mises_equivalent({-2.0, 0, 0, 0, 0, 0}), 2.0, 1e-15);
  for (std::size_t shear = 3; shear < 6; ++shear)
    {
      SymmetricTensor6 s{};
      s[shear] = 0.5;
      EXPECT_NEAR(cryocycle::von_mises_equivalent(s), std::sqrt(3.0) * 0.5, 1e-15);
    }
  EXPECT_NEAR(cryocycle::von_mises_equivalent({-5.0, -5.0, -5.0, 0, 0, 0}), 0.0, 1e-15);
}

TEST(Tensor6, VonMisesMatchesThePrincipalStressFormula)
{
  // Reference (independent method): principal stresses by Eigen's eigen-decomposition,
  // σ_eq = √(((s1 − s2)² + (s2 − s3)² + (s3 − s1)²)/2). Tolerance 1e-12 relative.
  for (int sample = 0; sample < 50; ++sample)
    {
      const SymmetricTensor6 s = sample_tensor(sample);
      const Eigen::Vector3d p = Eigen::SelfAdjointEigenSolver<Eigen::Matrix3d>(matrix(s)).eigenvalues();
      const double expected =
        std::sqrt(0.5 * (std::pow(p[0] - p[1], 2) + std::pow(p[1] - p[2], 2) + std::pow(p[2] - p[0], 2)));
      EXPECT_NEAR(cryocycle::von_mises_equivalent(s), expected, 1e-12 * std::max(1.0, expected));
    }
}

TEST(Tensor6, DeviatorIsTracelessAndContractionIsTheMatrixInnerProduct)
{
  // Reference: tr dev a = 0; a : b = Σ_ij a_ij b_ij of the full matrices (Eigen). Tolerance 1e-14.
  for (int sample = 0; sample < 20; ++sample)
    {
      const SymmetricTensor6 a = sample_tensor(sample), b = sample_tensor(sample + 100);
      EXPECT_NEAR(cryocycle::trace(cryocycle::deviator(a)), 0.0, 1e-15);
      EXPECT_NEAR(cryocycle::double_contraction(a, b), matrix(a).cwiseProduct(matrix(b)).sum(), 1e-14);
    }
}

TEST(Tensor6, EquivalentStrainOfSimpleShear)
{
  // Reference: simple shear with engineering strain γ (tensor component ε_xy = γ/2) has the
  // von Mises equivalent strain γ/√3; uniaxial isochoric strain (ε, −ε/2, −ε/2) has ε.
  const double gamma = 0.03;
  EXPECT_NEAR(cryocycle::equivalent_strain({0, 0, 0, 0, 0, gamma / 2.0}), gamma / std::sqrt(3.0), 1e-16);
  EXPECT_NEAR(cryocycle::equivalent_strain({0.01, -0.005, -0.005, 0, 0, 0}), 0.01, 1e-16);
}

TEST(Tensor6, TriggerQuadraticEqualsTheVonMisesStressAlongThePath)
{
  // Reference (direct evaluation): σ_eq(t)² of σ(t) = t S + R at t = −300 … 300, relative 1e-12;
  // a >= 0 (convexity), and the deviator form gives the same coefficients.
  for (int sample = 0; sample < 10; ++sample)
    {
      SymmetricTensor6 S = sample_tensor(sample), R = sample_tensor(sample + 50);
      for (double &v : S)
        v *= 1e-3;  // GPa per kelvin against a residual of order 1 GPa
      const cryocycle::VonMisesQuadratic q = cryocycle::von_mises_quadratic(S, R);
      EXPECT_GE(q.a, 0.0);
      for (double t = -300.0; t <= 300.0; t += 37.5)
        {
          SymmetricTensor6 sigma{};
          for (std::size_t v = 0; v < 6; ++v)
            sigma[v] = t * S[v] + R[v];
          const double direct = std::pow(cryocycle::von_mises_equivalent(sigma), 2);
          EXPECT_NEAR(q.squared_at(t), direct, 1e-12 * std::max(1.0, direct));
        }
      const SymmetricTensor6 dS = cryocycle::deviator(S);
      const cryocycle::VonMisesQuadratic d =
        cryocycle::von_mises_quadratic_of_deviators(dS, 1.5 * cryocycle::double_contraction(dS, dS), cryocycle::deviator(R));
      EXPECT_EQ(d.a, q.a);
      EXPECT_EQ(d.b, q.b);
      EXPECT_EQ(d.c, q.c);
    }
}
