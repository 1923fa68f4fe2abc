// Run by ctest under mpiexec with 2 ranks: the FE model distributed over all ranks gives the
// same per-site fields as the same model on one rank (MPI_COMM_SELF), matched by global site id.
// Reference: the serial solve; tolerance: the CG tolerance (relative 1e-10 of the right-hand
// side), compared at 1e-7 of the largest stress.
#include "continuum/spectral/periodic_spectral_solver.h"
#include "continuum/fe/thermoelastic_model.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <vector>

using namespace cryocycle;
using namespace cryocycle::continuum;

namespace
{
  /// Heterogeneous alpha, K, G and eigenstrain, each a function of the site position only
  /// (the same on any number of ranks).
  void set_fields(ThermoelasticModel& model)
  {
    const auto& sites = model.local_sites();
    std::vector<double> alpha(sites.size()), bulk(sites.size()), shear(sites.size());
    std::vector<SymmetricTensor6> eigenstrain(sites.size(), SymmetricTensor6{});
    for (std::size_t i = 0; i < sites.size(); ++i)
    {
      const auto& x = sites[i].centre_nm;
      alpha[i] = 3e-5 * (1 + 0.2 * std::sin(1.3 * x[0] + 0.4 * x[1]) * std::cos(0.8 * x[2]));
      bulk[i] = 160 + 15 * std::cos(0.9 * x[1]);
      shear[i] = 35 + 5 * std::sin(0.7 * x[0] + x[2]);
      if (x[2] > 0.5 * x[0])
        eigenstrain[i] = {0, 0, 0, 1e-3, -2e-3, 0};
    }
    model.set_thermal_expansion_per_K(alpha);
    model.set_moduli_GPa(bulk, shear);
    model.set_eigenstrain(eigenstrain);
  }

  void expect_same_fields(const FiniteElementGeometry& geometry, LinearSolverKind kind)
  {
    LinearSolverSettings settings;
    settings.kind = kind;
    settings.relative_tolerance = 1e-10;
    ThermoelasticModel distributed(MPI_COMM_WORLD, geometry, settings);
    ThermoelasticModel serial(MPI_COMM_SELF, geometry, settings);
    int ranks = 1;
    MPI_Comm_size(MPI_COMM_WORLD, &ranks);
    if (ranks > 1)
    {
      EXPECT_LT(distributed.local_sites().size(), serial.local_sites().size());
    }
    EXPECT_EQ(distributed.n_global_sites(), serial.n_global_sites());
    EXPECT_EQ(distributed.n_dofs(), serial.n_dofs());
    set_fields(distributed);
    set_fields(serial);
    distributed.solve();
    serial.solve();

    std::map<std::uint64_t, std::size_t> by_id;
    for (std::size_t i = 0; i < serial.local_sites().size(); ++i)
      by_id[serial.local_sites()[i].global_id] = i;
    const auto reference = serial.stress_GPa(-180.0), stress = distributed.stress_GPa(-180.0);
    double scale = 0.0;
    for (const auto& s : reference)
      scale = std::max(scale, von_mises_equivalent(s));
    for (std::size_t i = 0; i < stress.size(); ++i)
    {
      const auto& site = distributed.local_sites()[i];
      const auto found = by_id.find(site.global_id);
      ASSERT_NE(found, by_id.end()) << "global id " << site.global_id;
      const auto& twin = serial.local_sites()[found->second];
      for (unsigned int d = 0; d < 3; ++d)
        ASSERT_NEAR(site.centre_nm[d], twin.centre_nm[d], 1e-12);
      for (unsigned int c = 0; c < 6; ++c)
        ASSERT_NEAR(stress[i][c], reference[found->second][c], 1e-7 * scale)
          << "site " << site.global_id << " component " << c;
    }
    EXPECT_NEAR(distributed.elastic_energy_aJ(-180.0), serial.elastic_energy_aJ(-180.0),
                1e-7 * serial.elastic_energy_aJ(-180.0));
  }
} // namespace

TEST(ThermoelasticMpi, PeriodicCubeOnTwoRanksMatchesOneRank)
{
  FiniteElementGeometry g;
  g.shape = SampleShape::periodic_cube;
  g.box_size_nm = {8.0, 8.0, 8.0};
  g.element_size_nm = 1.0;
  expect_same_fields(g, LinearSolverKind::iterative);
}

TEST(ThermoelasticMpi, FreeRodOnTwoRanksMatchesOneRankWithBothSolvers)
{
  FiniteElementGeometry g;
  g.shape = SampleShape::rod;
  g.radius_nm = 2.0;
  g.length_nm = 6.0;
  g.element_size_nm = 1.5;
  g.fe_degree = 2;
  expect_same_fields(g, LinearSolverKind::iterative);
  expect_same_fields(g, LinearSolverKind::direct);
}
