// ThermoelasticModel: closed-form checks (uniform alpha and uniform eigenstrain give the
// stress-free or the fully constrained state exactly), rigid-body handling of free samples,
// site ids, energy, and re-solves with a kept preconditioner/factorisation + warm start.
#include "continuum/spectral/periodic_spectral_solver.h"
#include "continuum/fe/thermoelastic_model.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>

using namespace cryocycle;
using namespace cryocycle::continuum;

namespace
{
  constexpr double bulk_GPa = 160.0, shear_GPa = 35.0, alpha_per_K = 3e-5;

  FiniteElementGeometry periodic_cube(double size_nm, double h_nm, unsigned int degree)
  {
    FiniteElementGeometry g;
    g.shape = SampleShape::periodic_cube;
    g.box_size_nm = {size_nm, size_nm, size_nm};
    g.element_size_nm = h_nm;
    g.fe_degree = degree;
    return g;
  }

  LinearSolverSettings solver(LinearSolverKind kind, double tolerance = 1e-12)
  {
    LinearSolverSettings s;
    s.kind = kind;
    s.relative_tolerance = tolerance;
    return s;
  }

  double max_abs(const std::vector<SymmetricTensor6>& stress)
  {
    double m = 0.0;
    for (const auto& s : stress)
      for (const double v : s)
        m = std::max(m, std::abs(v));
    double global = 0.0;
    MPI_Allreduce(&m, &global, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
    return global;
  }

  void set_uniform(ThermoelasticModel& model, double alpha)
  {
    const std::size_t n = model.local_sites().size();
    model.set_thermal_expansion_per_K(std::vector<double>(n, alpha));
    model.set_moduli_GPa(std::vector<double>(n, bulk_GPa), std::vector<double>(n, shear_GPa));
  }

  /// Reference: the clamped thermal stress K alpha per kelvin; zero stress means |S_T| below
  /// 1e-10 of it (the acceptance criterion).
  constexpr double clamped_thermal_stress_per_K = bulk_GPa * alpha_per_K;
} // namespace

TEST(ThermoelasticModel, UniformAlphaInPeriodicCubeIsStressFreeAndExpandsFreely)
{
  for (const unsigned int degree : {1u, 2u})
  {
    ThermoelasticModel model(MPI_COMM_WORLD, periodic_cube(8.0, 1.0, degree),
                             solver(LinearSolverKind::iterative));
    EXPECT_EQ(model.n_global_sites(), 512u);
    set_uniform(model, alpha_per_K);
    model.solve();
    EXPECT_LE(max_abs(model.thermal_stress_per_K_GPa()), 1e-10 * clamped_thermal_stress_per_K);
    // Free thermal expansion: linear strain alpha/3 per kelvin on the diagonal.
    const SymmetricTensor6 mean = model.mean_strain(1.0);
    for (unsigned int k = 0; k < 3; ++k)
      EXPECT_NEAR(mean[k], alpha_per_K / 3, 1e-12 * alpha_per_K);
    EXPECT_NEAR(model.elastic_energy_aJ(-200.0), 0.0, 1e-18);
  }
}

TEST(ThermoelasticModel, UniformAlphaInFreeSamplesIsStressFree)
{
  // The 3-2-1 point support must add no stress (see thermoelastic_mesh.cc): a uniformly heated
  // free body expands without stress, with the direct and with the iterative solver.
  std::vector<FiniteElementGeometry> shapes;
  FiniteElementGeometry rod;
  rod.shape = SampleShape::rod;
  rod.radius_nm = 2.0;
  rod.length_nm = 6.0;
  rod.element_size_nm = 1.0;
  shapes.push_back(rod);
  FiniteElementGeometry disc = rod;
  disc.shape = SampleShape::disc;
  disc.radius_nm = 3.0;
  disc.length_nm = 1.5;
  shapes.push_back(disc);
  FiniteElementGeometry plate;
  plate.shape = SampleShape::plate;
  plate.box_size_nm = {6.0, 4.0, 2.0};
  plate.element_size_nm = 1.0;
  plate.fe_degree = 2;
  shapes.push_back(plate);
  FiniteElementGeometry ball;
  ball.shape = SampleShape::sphere;
  ball.radius_nm = 3.0;
  ball.core_radius_nm = 1.5;
  ball.element_size_nm = 1.5;
  shapes.push_back(ball);
  ball.core_radius_nm = 0.0; // plain ball, no interface
  shapes.push_back(ball);
  for (const auto& shape : shapes)
    for (const auto kind : {LinearSolverKind::direct, LinearSolverKind::iterative})
    {
      ThermoelasticModel model(MPI_COMM_WORLD, shape, solver(kind, 1e-13));
      set_uniform(model, alpha_per_K);
      model.solve();
      EXPECT_LE(max_abs(model.thermal_stress_per_K_GPa()), 1e-10 * clamped_thermal_stress_per_K)
        << "shape " << static_cast<int>(shape.shape) << ", solver "
        << model.last_solve_report().solver;
      const SymmetricTensor6 mean = model.mean_strain(1.0);
      EXPECT_NEAR(mean[0], alpha_per_K / 3, 1e-9 * alpha_per_K);
      EXPECT_NEAR(mean[5], 0.0, 1e-9 * alpha_per_K);
    }
}

TEST(ThermoelasticModel, UniformEigenstrainInPeriodicCubeHasClosedFormStress)
{
  const SymmetricTensor6 eigenstrain{{1e-3, -2e-3, 5e-4, 3e-4, -1e-3, 2e-3}};
  // Zero mean stress: a uniform eigenstrain is compatible, the cube takes it as its mean strain
  // and stays stress-free.
  {
    ThermoelasticModel model(MPI_COMM_WORLD, periodic_cube(6.0, 1.0, 1),
                             solver(LinearSolverKind::direct));
    set_uniform(model, 0.0);
    model.set_eigenstrain(std::vector<SymmetricTensor6>(model.local_sites().size(), eigenstrain));
    model.solve();
    EXPECT_LE(max_abs(model.eigenstrain_stress_GPa()), 1e-12);
    const SymmetricTensor6 mean = model.mean_strain(0.0);
    for (unsigned int k = 0; k < 6; ++k)
      EXPECT_NEAR(mean[k], eigenstrain[k], 1e-15);
  }
  // Prescribed zero mean strain: sigma = -C : eps* everywhere, energy V eps* : C : eps* / 2.
  {
    FiniteElementGeometry g = periodic_cube(6.0, 1.0, 2);
    g.mean_strain_condition = PeriodicMeanStrain::prescribed;
    ThermoelasticModel model(MPI_COMM_WORLD, g, solver(LinearSolverKind::iterative));
    set_uniform(model, 0.0);
    model.set_eigenstrain(std::vector<SymmetricTensor6>(model.local_sites().size(), eigenstrain));
    model.solve();
    const double lambda = bulk_GPa - 2.0 * shear_GPa / 3.0;
    const double trace = eigenstrain[0] + eigenstrain[1] + eigenstrain[2];
    SymmetricTensor6 expected{};
    for (unsigned int k = 0; k < 6; ++k)
      expected[k] = -2.0 * shear_GPa * eigenstrain[k] - (k < 3 ? lambda * trace : 0.0);
    for (const auto& stress : model.eigenstrain_stress_GPa())
      for (unsigned int k = 0; k < 6; ++k)
        ASSERT_NEAR(stress[k], expected[k], 1e-10 * std::abs(expected[0]));
    double energy_density = 0.0; // eps* : C : eps* / 2 = -eps* : sigma / 2 (tensor contraction)
    for (unsigned int k = 0; k < 6; ++k)
      energy_density -= 0.5 * (k < 3 ? 1.0 : 2.0) * eigenstrain[k] * expected[k];
    EXPECT_NEAR(model.elastic_energy_aJ(0.0), energy_density * 216.0, 1e-9 * energy_density * 216);
  }
}

TEST(ThermoelasticModel, SitesHaveUniqueRankIndependentIdsAndFillTheVolume)
{
  ThermoelasticModel model(MPI_COMM_WORLD, periodic_cube(8.0, 1.0, 1),
                           solver(LinearSolverKind::automatic));
  std::set<std::uint64_t> ids;
  double volume = 0.0;
  for (const auto& site : model.local_sites())
  {
    ids.insert(site.global_id);
    volume += site.volume_nm3;
    for (unsigned int d = 0; d < 3; ++d)
    {
      EXPECT_GT(site.centre_nm[d], 0.0);
      EXPECT_LT(site.centre_nm[d], 8.0);
    }
  }
  EXPECT_EQ(ids.size(), model.local_sites().size());
  EXPECT_NEAR(model.total_volume_nm3(), 512.0, 1e-9);
  const auto box = model.bounding_box_nm();
  EXPECT_NEAR(box[1][0] - box[0][0], 8.0, 1e-12);
}

TEST(ThermoelasticModel, ReSolveWithKeptPreconditionerAndWarmStartMatchesColdSolve)
{
  // A heterogeneous alpha and eigenstrain, then a local eigenstrain change (what an avalanche
  // sweep does): the warm re-solve reuses matrix + AMG and the kept right-hand side updated on
  // the changed sites only; a fresh model solves the final state cold. Same answer within the
  // CG tolerance (relative 1e-10 of the right-hand side; compared at 1e-7 of the stress scale).
  const FiniteElementGeometry g = periodic_cube(8.0, 1.0, 1);
  auto fields = [](ThermoelasticModel& model, bool changed) {
    const auto& sites = model.local_sites();
    std::vector<double> alpha(sites.size());
    std::vector<SymmetricTensor6> eigenstrain(sites.size(), SymmetricTensor6{});
    for (std::size_t s = 0; s < sites.size(); ++s)
    {
      const auto& x = sites[s].centre_nm;
      alpha[s] = alpha_per_K * (1.0 + 0.3 * std::sin(0.7 * x[0]) * std::cos(0.9 * x[1] + x[2]));
      if (x[0] < 3.0 && x[1] < 3.0 && x[2] < 3.0)
        eigenstrain[s] = {1e-3, -1e-3, 0, 2e-3, 0, 0};
      if (changed && sites[s].global_id % 37 == 0)
        eigenstrain[s] = {0, 0, 0, 0, 0, 5e-3};
    }
    const std::size_t n = sites.size();
    model.set_moduli_GPa(std::vector<double>(n, bulk_GPa), std::vector<double>(n, shear_GPa));
    model.set_thermal_expansion_per_K(alpha);
    model.set_eigenstrain(eigenstrain);
  };
  for (const auto kind : {LinearSolverKind::iterative, LinearSolverKind::direct})
  {
    ThermoelasticModel warm(MPI_COMM_WORLD, g, solver(kind, 1e-10));
    fields(warm, false);
    warm.solve();
    fields(warm, true);
    warm.solve();
    EXPECT_EQ(warm.last_solve_report().linear_solves, 1u); // thermal part kept
    ThermoelasticModel cold(MPI_COMM_WORLD, g, solver(kind, 1e-10));
    fields(cold, true);
    cold.solve_cold();
    const auto a = warm.stress_GPa(-150.0), b = cold.stress_GPa(-150.0);
    const double scale = std::max(max_abs(b), 1e-30);
    double difference = 0.0;
    for (std::size_t s = 0; s < a.size(); ++s)
      for (unsigned int k = 0; k < 6; ++k)
        difference = std::max(difference, std::abs(a[s][k] - b[s][k]));
    EXPECT_LE(difference, 1e-7 * scale) << warm.last_solve_report().solver;
    EXPECT_NEAR(warm.elastic_energy_aJ(-150.0), cold.elastic_energy_aJ(-150.0),
                1e-7 * cold.elastic_energy_aJ(-150.0));
  }
}

TEST(ThermoelasticModel, HeterogeneousModuliKeepMeanStressZero)
{
  // Two-phase laminate in x with different moduli under uniform alpha: the six corrector solves
  // must make the mean stress vanish; a laminate normal to x has sigma_xx = 0 everywhere.
  ThermoelasticModel model(MPI_COMM_WORLD, periodic_cube(8.0, 1.0, 1),
                           solver(LinearSolverKind::direct));
  const auto& sites = model.local_sites();
  std::vector<double> bulk(sites.size()), shear(sites.size()), alpha(sites.size());
  for (std::size_t s = 0; s < sites.size(); ++s)
  {
    const bool hard = sites[s].centre_nm[0] < 4.0;
    bulk[s] = hard ? 200.0 : 120.0;
    shear[s] = hard ? 50.0 : 25.0;
    alpha[s] = hard ? 2e-5 : 4e-5;
  }
  model.set_moduli_GPa(bulk, shear);
  model.set_thermal_expansion_per_K(alpha);
  model.solve();
  SymmetricTensor6 mean{};
  for (std::size_t s = 0; s < sites.size(); ++s)
    for (unsigned int k = 0; k < 6; ++k)
      mean[k] += model.thermal_stress_per_K_GPa()[s][k] * sites[s].volume_nm3 / 512.0;
  SymmetricTensor6 global{};
  MPI_Allreduce(mean.data(), global.data(), 6, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
  for (unsigned int k = 0; k < 6; ++k)
    EXPECT_NEAR(global[k], 0.0, 1e-12) << k;
  for (const auto& stress : model.thermal_stress_per_K_GPa())
    EXPECT_NEAR(stress[0], 0.0, 1e-12);
  EXPECT_GT(max_abs(model.thermal_stress_per_K_GPa()), 1e-4);
}

TEST(ThermoelasticModel, WritesVtuPiecesPvtuAndAnAccumulatingPvdRecord)
{
  namespace fs = std::filesystem;
  const fs::path folder = fs::temp_directory_path() / "cryocycle_thermoelastic_vtu_test";
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  if (rank == 0)
    fs::remove_all(folder);
  MPI_Barrier(MPI_COMM_WORLD);
  FiniteElementGeometry rod;
  rod.shape = SampleShape::rod;
  rod.radius_nm = 2.0;
  rod.length_nm = 4.0;
  rod.element_size_nm = 1.0;
  ThermoelasticModel model(MPI_COMM_WORLD, rod, solver(LinearSolverKind::automatic, 1e-10));
  const auto& sites = model.local_sites();
  std::vector<double> alpha(sites.size());
  for (std::size_t i = 0; i < sites.size(); ++i)
    alpha[i] = sites[i].centre_nm[0] > 0 ? 4e-5 : 2e-5;
  model.set_thermal_expansion_per_K(alpha);
  model.solve();
  const std::string first = model.write_vtu(folder.string(), "rod", -100.0, 0.0);
  const std::string second = model.write_vtu(folder.string(), "rod", -200.0, 1.0);
  EXPECT_EQ(first, "rod_0000.pvtu");
  EXPECT_EQ(second, "rod_0001.pvtu");
  MPI_Barrier(MPI_COMM_WORLD);
  if (rank != 0)
    return;
  for (const char* name : {"rod_0000.pvtu", "rod_0001.pvtu", "rod_0001.0.vtu", "rod.pvd"})
    EXPECT_TRUE(fs::exists(folder / name)) << name;
  std::ifstream pvd(folder / "rod.pvd");
  const std::string text((std::istreambuf_iterator<char>(pvd)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("rod_0000.pvtu"), std::string::npos);
  EXPECT_NE(text.find("rod_0001.pvtu"), std::string::npos);
  std::ifstream piece(folder / "rod_0001.0.vtu");
  const std::string vtu((std::istreambuf_iterator<char>(piece)), std::istreambuf_iterator<char>());
  for (const char* field : {"displacement_nm", "stress_xy_GPa", "von_mises_GPa", "pressure_GPa",
                            "alpha_volumetric_per_K", "bulk_modulus_GPa", "shear_modulus_GPa",
                            "eigenstrain_norm"})
    EXPECT_NE(vtu.find(field), std::string::npos) << field;
  fs::remove_all(folder);
}
