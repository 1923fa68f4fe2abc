// Periodic cube: the FE model against the independent Fourier solver (Shang et al. 2018 eq. 7,
// periodic_spectral_solver.h) on the same smooth alpha, uniform K and G, zero mean stress.
//
// alpha is band-limited (a few low Fourier modes), so the Fourier solver's answer at the grid
// points is the exact continuum solution there. The FE model gets alpha sampled at its cell
// centres (a site per cell) and reports cell-averaged stresses; both errors vanish as h^2
// (measured below), so the FE von Mises field converges to the Fourier one under refinement.
// Reference and tolerance: relative L2 difference of von Mises <= 2% at the finest mesh.
#include "continuum/spectral/periodic_spectral_solver.h"
#include "continuum/fe/thermoelastic_model.h"

#include <gtest/gtest.h>

#include <cmath>
#include <iostream>
#include <vector>

using namespace cryocycle;
using namespace cryocycle::continuum;

namespace
{
  constexpr double bulk_GPa = 160.0, shear_GPa = 35.0, size_nm = 8.0, dT = -200.0;
  constexpr double pi = 3.14159265358979323846;

  double alpha_at(const std::array<double, 3>& x)
  {
    const double k = 2 * pi / size_nm;
    return 3e-5 * (1.0 + 0.3 * std::sin(k * x[0]) * std::cos(2 * k * x[1]) +
                   0.2 * std::cos(k * (x[1] + x[2])) + 0.1 * std::sin(k * (x[0] - 2 * x[2])));
  }

  struct Comparison
  {
    double von_mises_l2 = 0.0; ///< relative L2 difference of von Mises
    double stress_l2 = 0.0;    ///< relative L2 difference of the stress components
  };

  Comparison compare(std::size_t cells, unsigned int degree)
  {
    const double h = size_nm / static_cast<double>(cells);
    FiniteElementGeometry g;
    g.shape = SampleShape::periodic_cube;
    g.box_size_nm = {size_nm, size_nm, size_nm};
    g.element_size_nm = h;
    g.fe_degree = degree;
    LinearSolverSettings s;
    s.kind = LinearSolverKind::iterative;
    s.relative_tolerance = 1e-8; // far below the 1e-3 discretisation differences measured
    ThermoelasticModel model(MPI_COMM_WORLD, g, s);
    const auto& sites = model.local_sites();
    std::vector<double> alpha(sites.size());
    for (std::size_t i = 0; i < sites.size(); ++i)
      alpha[i] = alpha_at(sites[i].centre_nm);
    model.set_thermal_expansion_per_K(alpha);
    model.set_moduli_GPa(std::vector<double>(sites.size(), bulk_GPa),
                         std::vector<double>(sites.size(), shear_GPa));
    model.solve();
    const auto fe_stress = model.stress_GPa(dT);

    // Fourier grid on the same cell centres (i + 1/2) h.
    std::vector<double> grid_alpha(cells * cells * cells);
    for (std::size_t k = 0; k < cells; ++k)
      for (std::size_t j = 0; j < cells; ++j)
        for (std::size_t i = 0; i < cells; ++i)
          grid_alpha[i + cells * (j + cells * k)] = alpha_at(
            {(static_cast<double>(i) + 0.5) * h, (static_cast<double>(j) + 0.5) * h,
             (static_cast<double>(k) + 0.5) * h});
    PeriodicSpectralThermalStress spectral({cells, cells, cells}, {h, h, h});
    const auto reference = spectral.solve(grid_alpha, bulk_GPa, shear_GPa, dT);

    std::array<double, 4> sums{}; // vm diff^2, vm^2, stress diff^2, stress^2
    for (std::size_t s_index = 0; s_index < sites.size(); ++s_index)
    {
      std::array<std::size_t, 3> ijk{};
      for (unsigned int d = 0; d < 3; ++d)
        ijk[d] = static_cast<std::size_t>(std::floor(sites[s_index].centre_nm[d] / h));
      const std::size_t index = ijk[0] + cells * (ijk[1] + cells * ijk[2]);
      const double vm_fe = von_mises_equivalent(fe_stress[s_index]);
      const double vm_ref = reference.von_mises_GPa[index];
      sums[0] += std::pow(vm_fe - vm_ref, 2);
      sums[1] += vm_ref * vm_ref;
      for (unsigned int c = 0; c < 6; ++c)
      {
        const double weight = c < 3 ? 1.0 : 2.0;
        sums[2] += weight * std::pow(fe_stress[s_index][c] - reference.stress_GPa[index][c], 2);
        sums[3] += weight * std::pow(reference.stress_GPa[index][c], 2);
      }
    }
    std::array<double, 4> global{};
    MPI_Allreduce(sums.data(), global.data(), 4, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
    return {std::sqrt(global[0] / global[1]), std::sqrt(global[2] / global[3])};
  }
} // namespace

namespace
{
  // Q1 on 8^3, 16^3, 32^3 cells and Q2 on 8^3, 16^3. The full stress tensors are compared too,
  // which also checks the sign convention (the same constitutive law in both solvers).
  // Measured: Q1 von Mises 6.1% -> 1.5% -> 0.37%, Q2 11% -> 3.0%: both second order (the error
  // is that of a cell-wise constant alpha and of cell-averaged stresses, which Q2 does not
  // reduce; Q1 profits from a cancellation). The 2% bound is asserted at the finest mesh (Q1).
  void check_series(unsigned int degree, const std::vector<std::size_t>& cells)
  {
    std::vector<Comparison> results;
    for (const std::size_t n : cells)
    {
      results.push_back(compare(n, degree));
      std::cout << "Q" << degree << " " << n << "^3: von Mises rel. L2 "
                << results.back().von_mises_l2 << ", stress rel. L2 " << results.back().stress_l2
                << '\n';
    }
    // Second order: each halving of h cuts the difference by ~4 (asserted: by more than 3).
    for (std::size_t k = 1; k < results.size(); ++k)
    {
      EXPECT_LT(results[k].von_mises_l2, results[k - 1].von_mises_l2 / 3);
      EXPECT_LT(results[k].stress_l2, results[k - 1].stress_l2 / 3);
    }
    if (degree == 1)
    {
      EXPECT_LE(results.back().von_mises_l2, 0.02);
      EXPECT_LE(results.back().stress_l2, 0.02);
    }
  }
} // namespace

TEST(ThermoelasticSpectralComparison, PeriodicCubeQ1AgreesWithTheFourierSolver)
{
  check_series(1, {8, 16, 32});
}

TEST(ThermoelasticSpectralComparison, PeriodicCubeQ2ConvergesToTheFourierSolver)
{
  check_series(2, {8, 16});
}
