// Global bond-orientational order Q_6 (Steinhardt, Nelson & Ronchetti 1983) of lattices against
// their tabulated values, and of a glass.
#include "atomistic/bond_order.h"
#include "lj_test_system.h"

#include <gtest/gtest.h>

#include <random>

using namespace cryocycle::atomistic;

namespace
{
  /// A cubic lattice of `cells`³ unit cells of edge `a` with the given basis (fractions of a).
  std::vector<double> lattice(const int cells, const double a, const std::vector<Vector3> &basis)
  {
    std::vector<double> x;
    for (int k = 0; k < cells; ++k)
      for (int j = 0; j < cells; ++j)
        for (int i = 0; i < cells; ++i)
          for (const auto &b : basis)
            x.insert(x.end(), {(i + b[0]) * a, (j + b[1]) * a, (k + b[2]) * a});
    return x;
  }
} // namespace

TEST(BondOrder, PerfectLatticesGiveTheTabulatedQ6)
{
  // References: Steinhardt, Nelson & Ronchetti (1983) Table I — fcc Q_6 = 0.57452 (12
  // neighbours), bcc 0.51069 (8 + 6 neighbours), simple cubic 0.35355 (6); tolerance 1e-4.
  const double a = 1.7;
  const auto box = PeriodicBox::orthorhombic({0, 0, 0}, {5 * a, 5 * a, 5 * a});
  const auto fcc = global_bond_order(box, lattice(5, a, {{0, 0, 0}, {0.5, 0.5, 0}, {0.5, 0, 0.5}, {0, 0.5, 0.5}}));
  EXPECT_NEAR(fcc.q_l, 0.57452, 1e-4);
  EXPECT_DOUBLE_EQ(fcc.bonds_per_atom, 12.0);
  const auto bcc = global_bond_order(box, lattice(5, a, {{0, 0, 0}, {0.5, 0.5, 0.5}}));
  EXPECT_NEAR(bcc.q_l, 0.51069, 1e-4);
  EXPECT_DOUBLE_EQ(bcc.bonds_per_atom, 14.0);
  const auto sc = global_bond_order(PeriodicBox::orthorhombic({0, 0, 0}, {6 * a, 6 * a, 6 * a}),
                                    lattice(6, a, {{0, 0, 0}}), 6, 1.2 * a);
  EXPECT_NEAR(sc.q_l, 0.35355, 1e-4);
  // A rigid rotation of the sample leaves Q_6 unchanged (it is rotationally invariant); here
  // a shifted origin and a translated sample stand in for it.
  auto shifted = lattice(5, a, {{0, 0, 0}, {0.5, 0.5, 0}, {0.5, 0, 0.5}, {0, 0.5, 0.5}});
  for (auto &c : shifted)
    c += 0.3;
  EXPECT_NEAR(global_bond_order(box, shifted).q_l, fcc.q_l, 1e-12);
}

TEST(BondOrder, ThermalNoiseKeepsACrystalFarAboveTheThresholdAndAGasFarBelow)
{
  // A fcc crystal with 5% random displacements stays crystalline; random points (an ideal gas,
  // the limit of no order) give Q_6 ~ 1/√bonds. The threshold lies between.
  const double a = 1.7;
  const auto box = PeriodicBox::orthorhombic({0, 0, 0}, {6 * a, 6 * a, 6 * a});
  auto x = lattice(6, a, {{0, 0, 0}, {0.5, 0.5, 0}, {0.5, 0, 0.5}, {0, 0.5, 0.5}});
  std::mt19937_64 engine(7);
  std::normal_distribution<double> noise(0.0, 0.05 * a);
  for (auto &c : x)
    c += noise(engine);
  EXPECT_GT(global_bond_order(box, x).q_l, 0.4);
  std::uniform_real_distribution<double> uniform(0.0, 6 * a);
  for (auto &c : x)
    c = uniform(engine);
  const auto gas = global_bond_order(box, x);
  EXPECT_LT(gas.q_l, 0.1);
  EXPECT_LT(gas.q_l, crystalline_q6_threshold);
}
