// Geometry of the frozen-matrix test: periodic images, carved clusters, interaction ranges,
// random sites and slot layout (no LAMMPS).
#include "atomistic/frozen_matrix_cluster.h"
#include "atomistic/potential_registry.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace cryocycle::atomistic;

namespace
{
  /// A simple cubic lattice of n³ atoms with spacing 1 in a box [−0.5, n − 0.5)³ (optionally tilted).
  AtomicConfiguration cubic_lattice(const int n, const double xy = 0.0)
  {
    AtomicConfiguration c;
    c.box.low = {-0.5, -0.5, -0.5};
    c.box.high = {n - 0.5, n - 0.5, n - 0.5};
    c.box.xy = xy;
    for (int k = 0; k < n; ++k)
      for (int j = 0; j < n; ++j)
        for (int i = 0; i < n; ++i)
          {
            c.positions.insert(c.positions.end(), {i + xy * j / n, static_cast<double>(j), static_cast<double>(k)});
            c.types.push_back(1 + (i + j + k) % 2);
          }
    return c;
  }
} // namespace

TEST(FrozenMatrixCluster, NearestImagesAndWrappingInATriclinicCell)
{
  // Reference: b = (xy, ly, 0) is a lattice vector of the cell, so d and d + b are the same
  // separation; a point shifted by a + b + c wraps back onto itself.
  SimulationBox box;
  box.low = {1.0, 2.0, 3.0};
  box.high = {11.0, 10.0, 9.0};
  box.xy = 2.0;
  box.xz = -1.0;
  box.yz = 0.5;
  const PeriodicCell cell(box);
  const Vector3 d{0.3, -0.4, 0.2};
  const Vector3 shifted{d[0] + 2.0, d[1] + 8.0, d[2]};
  const auto image = cell.nearest_image(shifted);
  for (std::size_t k = 0; k < 3; ++k)
    EXPECT_NEAR(image[k], d[k], 1e-12);
  const Vector3 x{4.0, 5.0, 6.0};
  const Vector3 far{x[0] + 10.0 + 2.0 - 1.0, x[1] + 8.0 + 0.5, x[2] + 6.0};
  const auto w = cell.wrap(far);
  for (std::size_t k = 0; k < 3; ++k)
    EXPECT_NEAR(w[k], x[k], 1e-12);
  // Face distances V/|b×c| = 9.54, V/|c×a| = 7.97, V/|a×b| = lz = 6.
  EXPECT_NEAR(cell.minimum_width(), 6.0, 1e-12);
}

TEST(FrozenMatrixCluster, CarvesSphereAndShellAcrossPeriodicBoundaries)
{
  // Reference: counting lattice points. Around a corner atom of a 10³ simple cubic lattice, the
  // points within r < 1.5 are 1 + 6 + 12 = 19, within r < 2.05 also the 8 at √3 and 6 at 2: 33.
  const auto lattice = cubic_lattice(10);
  const PeriodicCell cell(lattice.box);
  const auto cluster = carve_cluster(lattice, cell, lattice.position(0), 1.5, 2.05);
  EXPECT_EQ(cluster.inner_count, 19u);
  EXPECT_EQ(cluster.atoms.size(), 33u);
  EXPECT_EQ(cluster.atoms.front(), 0u);
  for (std::size_t a = 0; a < cluster.atoms.size(); ++a)
    {
      const auto &d = cluster.offsets[a];
      const double r = std::sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
      EXPECT_LT(r, a < cluster.inner_count ? 1.5 : 2.05);
      if (a >= cluster.inner_count)
        {
          EXPECT_GE(r, 1.5);
        }
    }
  EXPECT_THROW(carve_cluster(lattice, cell, lattice.position(0), 1.5, 5.5), std::invalid_argument);
}

TEST(FrozenMatrixCluster, InteractionRangesOfTheBuiltInPotentials)
{
  // References: Wahnström LJ cut-off 2.5 σ (pair: shell = cut-off); Mendelev Cu–Zr eam/fs file
  // header cut-off 7.6 Å (many-body: shell = 2 × cut-off).
  const auto &registry = builtin_potential_registry();
  const auto lj = interaction_range(registry.create("wahnstrom_lj", PotentialSettings{}));
  EXPECT_DOUBLE_EQ(lj.cutoff, 2.5);
  EXPECT_FALSE(lj.many_body);
  EXPECT_DOUBLE_EQ(lj.required_shell(), 2.5);
  const auto cuzr = registry.create("cuzr_eam", PotentialSettings{});
  if (std::filesystem::exists(cuzr.required_files.front()))
    {
      const auto r = interaction_range(cuzr);
      EXPECT_DOUBLE_EQ(r.cutoff, 7.6);
      EXPECT_TRUE(r.many_body);
      EXPECT_DOUBLE_EQ(r.required_shell(), 15.2);
    }
  PotentialModel other;
  other.pair_commands = {"pair_style tersoff", "pair_coeff * * SiC.tersoff Si C"};
  EXPECT_THROW(interaction_range(other), std::invalid_argument);
}

TEST(FrozenMatrixCluster, RandomSitesAreReproducibleAndInsideTheBox)
{
  const auto lattice = cubic_lattice(6, 1.5);
  const auto a = random_sites(lattice.box, 50, 7), b = random_sites(lattice.box, 50, 7),
             c = random_sites(lattice.box, 50, 8);
  ASSERT_EQ(a.size(), 50u);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  const PeriodicCell cell(lattice.box);
  for (const auto &x : a)
    {
      const auto w = cell.wrap(x);
      for (std::size_t k = 0; k < 3; ++k)
        EXPECT_NEAR(w[k], x[k], 1e-12);
    }
}

TEST(FrozenMatrixCluster, SlotsAreOneSpacingApart)
{
  const auto slots = slot_centres(9, 4.0);  // a 3³ lattice, partly filled
  ASSERT_EQ(slots.size(), 9u);
  for (std::size_t i = 0; i < slots.size(); ++i)
    for (std::size_t j = i + 1; j < slots.size(); ++j)
      {
        const double dx = slots[i][0] - slots[j][0], dy = slots[i][1] - slots[j][1], dz = slots[i][2] - slots[j][2];
        EXPECT_GE(std::sqrt(dx * dx + dy * dy + dz * dz), 4.0 - 1e-12);
      }
  EXPECT_EQ(slots[8][2], 0.0);
  EXPECT_EQ(slots[8][1], 8.0);
}
