// Eshelby's dilatational inclusion, solved by the FE model and compared with the closed form.
//
// Reference (classical; e.g. Mura, "Micromechanics of Defects in Solids", sec. 7, or any
// thick-walled-sphere solution of linear elasticity): a sphere of radius a with linear misfit
// strain e* (free strain e* I relative to the matrix) in a concentric free sphere of radius b,
// uniform K and G. With beta = 3K e* / (3K + 4G) and f = (a/b)^3:
//   inside  (r < a): uniform hydrostatic stress  sigma_m = -12 K G e* (1 - f) / (3K + 4G)
//                    (-12KG e*/(3K+4G) for an infinite matrix, f -> 0; the finite-body term f is
//                    the uniform tension from the free outer surface);
//   outside (r > a): sigma_ij = 4 G f beta delta_ij + 2 G beta (a/r)^3 (delta_ij - 3 n_i n_j),
//                    i.e. sigma_rr - sigma_tt = -6 G beta (a/r)^3, the r^-3 field, plus the
//                    uniform finite-body term.
// The misfit is thermal: alpha = 3 e* inside, 0 outside, dT = 1 K, so S_T is the field per
// kelvin. The mesh follows the interface (sphere geometry with core_radius_nm = a).
#include "continuum/fe/thermoelastic_model.h"

#include <gtest/gtest.h>

#include <cmath>
#include <iostream>
#include <vector>

using namespace cryocycle::continuum;

namespace
{
  constexpr double bulk_GPa = 160.0, shear_GPa = 35.0;
  constexpr double core_nm = 2.0, radius_nm = 6.0, misfit = 1e-3;

  struct EshelbyErrors
  {
    double interior = 0.0; ///< |<sigma_m>_inside - exact| / |exact|
    double exterior = 0.0; ///< relative L2 error of the stress tensor over 1.3a < r < 0.9b
    std::uint64_t dofs = 0;
  };

  EshelbyErrors solve_eshelby(double element_size_nm, unsigned int degree)
  {
    FiniteElementGeometry g;
    g.shape = SampleShape::sphere;
    g.radius_nm = radius_nm;
    g.core_radius_nm = core_nm;
    g.element_size_nm = element_size_nm;
    g.fe_degree = degree;
    LinearSolverSettings s;
    s.kind = LinearSolverKind::iterative;
    s.relative_tolerance = 1e-10;
    ThermoelasticModel model(MPI_COMM_WORLD, g, s);
    const auto& sites = model.local_sites();
    std::vector<double> alpha(sites.size());
    for (std::size_t i = 0; i < sites.size(); ++i)
    {
      const auto& x = sites[i].centre_nm;
      alpha[i] = std::sqrt(x[0] * x[0] + x[1] * x[1] + x[2] * x[2]) < core_nm ? 3 * misfit : 0.0;
    }
    model.set_thermal_expansion_per_K(alpha);
    model.set_moduli_GPa(std::vector<double>(sites.size(), bulk_GPa),
                         std::vector<double>(sites.size(), shear_GPa));
    model.solve();

    const double f = std::pow(core_nm / radius_nm, 3);
    const double interior_exact = -12 * bulk_GPa * shear_GPa * misfit * (1 - f) /
                                  (3 * bulk_GPa + 4 * shear_GPa);
    const double beta = 3 * bulk_GPa * misfit / (3 * bulk_GPa + 4 * shear_GPa);
    // sums: interior mean stress * volume, interior volume, exterior squared error, squared norm
    std::array<double, 4> sums{};
    const auto& stress = model.thermal_stress_per_K_GPa();
    for (std::size_t i = 0; i < sites.size(); ++i)
    {
      const auto& x = sites[i].centre_nm;
      const double r = std::sqrt(x[0] * x[0] + x[1] * x[1] + x[2] * x[2]);
      const auto& t = stress[i];
      if (r < core_nm)
      {
        sums[0] += sites[i].volume_nm3 * (t[0] + t[1] + t[2]) / 3;
        sums[1] += sites[i].volume_nm3;
      }
      else if (r > 1.3 * core_nm && r < 0.9 * radius_nm)
      {
        // Exact stress averaged over a cube of the cell's volume (3^3 Gauss points), since a
        // site's stress is a cell average: comparing with the centre value would add an O(h^2)
        // error of its own.
        const double side = std::cbrt(sites[i].volume_nm3);
        const double gauss[3] = {-std::sqrt(0.6) / 2, 0.0, std::sqrt(0.6) / 2};
        const double weight[3] = {5.0 / 18, 8.0 / 18, 5.0 / 18};
        double exact[3][3] = {};
        for (int p = 0; p < 27; ++p)
        {
          const double y[3] = {x[0] + side * gauss[p % 3], x[1] + side * gauss[(p / 3) % 3],
                               x[2] + side * gauss[p / 9]};
          const double ry = std::sqrt(y[0] * y[0] + y[1] * y[1] + y[2] * y[2]);
          const double w = weight[p % 3] * weight[(p / 3) % 3] * weight[p / 9];
          const double decay = 2 * shear_GPa * beta * std::pow(core_nm / ry, 3);
          for (int a = 0; a < 3; ++a)
            for (int b = 0; b < 3; ++b)
              exact[a][b] += w * ((a == b ? 4 * shear_GPa * f * beta + decay : 0.0) -
                                  3 * decay * y[a] * y[b] / (ry * ry));
        }
        const double fe[3][3] = {{t[0], t[5], t[4]}, {t[5], t[1], t[3]}, {t[4], t[3], t[2]}};
        for (int a = 0; a < 3; ++a)
          for (int b = 0; b < 3; ++b)
          {
            sums[2] += sites[i].volume_nm3 * std::pow(fe[a][b] - exact[a][b], 2);
            sums[3] += sites[i].volume_nm3 * exact[a][b] * exact[a][b];
          }
      }
    }
    std::array<double, 4> global{};
    MPI_Allreduce(sums.data(), global.data(), 4, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
    EshelbyErrors errors;
    errors.interior = std::abs(global[0] / global[1] - interior_exact) / std::abs(interior_exact);
    errors.exterior = std::sqrt(global[2] / global[3]);
    errors.dofs = model.n_dofs();
    return errors;
  }
} // namespace

TEST(ThermoelasticEshelby, DilatationalInclusionConvergesToTheClosedForm)
{
  // Q1 at element sizes 2, 1 and 0.5 nm, Q2 at 4 and 2 nm (one global refinement apart; the core
  // radius is 2 nm; Q1 at 1 nm and Q2 at 2 nm have the same 20715 dofs, Q1 at 0.5 nm 162387).
  // Measured: interior pressure Q1 16.6% -> 4.6% -> 1.18% (rate 1.96), Q2 7.1% -> 0.84% (rate
  // 3.1); exterior field Q1 9.3% -> 2.7% -> 0.70% (rate 1.96), Q2 39% -> 11% (rate 1.8: the
  // exterior error is dominated by comparing cell averages with a cube average of the exact
  // field, an O(h^2) term on the coarse, curved shell cells).
  // Asserted: exterior <= 1% at the finest Q1 mesh, interior <= 1% at the finest Q2 mesh, and a
  // rate >= 1.6 for both quantities and both degrees between the two finest meshes.
  struct Series
  {
    unsigned int degree;
    std::vector<double> sizes;
  };
  for (const Series& series : {Series{1, {2.0, 1.0, 0.5}}, Series{2, {4.0, 2.0}}})
  {
    std::vector<EshelbyErrors> errors;
    for (const double h : series.sizes)
    {
      errors.push_back(solve_eshelby(h, series.degree));
      std::cout << "Q" << series.degree << " h = " << h << " nm, " << errors.back().dofs
                << " dofs: interior pressure error " << errors.back().interior
                << ", exterior field L2 error " << errors.back().exterior << '\n';
    }
    const EshelbyErrors &coarse = errors[errors.size() - 2];
    const EshelbyErrors &fine = errors.back();
    const double rate_interior = std::log2(coarse.interior / fine.interior);
    const double rate_exterior = std::log2(coarse.exterior / fine.exterior);
    std::cout << "  rates: interior " << rate_interior << ", exterior " << rate_exterior << '\n';
    EXPECT_GE(rate_interior, 1.6);
    EXPECT_GE(rate_exterior, 1.6);
    if (series.degree == 1)
      EXPECT_LE(fine.exterior, 0.01);
    else
      EXPECT_LE(fine.interior, 0.01);
  }
}
