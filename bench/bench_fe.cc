// Benchmark of the deal.II thermo-elastic model (continuum/fe/thermoelastic_model.h).
//
//   bench_fe                          the default set (run by scripts/run-benchmarks.sh)
//   bench_fe scaling <cells> <degree> [iterative|direct]   periodic cube, one solve
//   bench_fe resolve <cells> <degree> [iterative|direct]   re-solve after a local eigenstrain
//                                                           change: kept solver + warm start vs cold
//   bench_fe fourier <cells> <degree> FE vs the Fourier solver on the same periodic problem
//   bench_fe rod <degree> [iterative|direct]               free rod, heterogeneous moduli
// Run under mpiexec for several ranks. Figures go to stdout (rank 0), one line per case.
#include "continuum/spectral/periodic_spectral_solver.h"
#include "continuum/fe/thermoelastic_model.h"

#include <sys/resource.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

using namespace cryocycle;
using namespace cryocycle::continuum;

namespace
{
  constexpr double bulk_GPa = 160.0, shear_GPa = 35.0, pi = 3.14159265358979323846;
  int rank = 0, ranks = 1;

  double now()
  {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
  }

  /// Peak resident memory summed over ranks (MiB).
  double peak_memory_MiB()
  {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    double mine = static_cast<double>(usage.ru_maxrss) / 1024.0, total = 0.0;
    MPI_Allreduce(&mine, &total, 1, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
    return total;
  }

  double alpha_at(const std::array<double, 3>& x, double size)
  {
    const double k = 2 * pi / size;
    return 3e-5 * (1.0 + 0.3 * std::sin(k * x[0]) * std::cos(2 * k * x[1]) +
                   0.2 * std::cos(k * (x[1] + x[2])));
  }

  LinearSolverSettings settings(const std::string& kind)
  {
    LinearSolverSettings s;
    s.kind = kind == "direct" ? LinearSolverKind::direct : LinearSolverKind::iterative;
    s.relative_tolerance = 1e-8;
    return s;
  }

  FiniteElementGeometry cube(std::size_t cells, unsigned int degree)
  {
    FiniteElementGeometry g;
    g.box_size_nm = {static_cast<double>(cells), static_cast<double>(cells),
                     static_cast<double>(cells)};
    g.element_size_nm = 1.0;
    g.fe_degree = degree;
    return g;
  }

  void set_fields(ThermoelasticModel& model, double size)
  {
    const auto& sites = model.local_sites();
    std::vector<double> alpha(sites.size());
    for (std::size_t i = 0; i < sites.size(); ++i)
      alpha[i] = alpha_at(sites[i].centre_nm, size);
    model.set_thermal_expansion_per_K(alpha);
    model.set_moduli_GPa(std::vector<double>(sites.size(), bulk_GPa),
                         std::vector<double>(sites.size(), shear_GPa));
  }

  void scaling(std::size_t cells, unsigned int degree, const std::string& kind)
  {
    const double t0 = now();
    ThermoelasticModel model(MPI_COMM_WORLD, cube(cells, degree), settings(kind));
    const double t_mesh = now() - t0;
    set_fields(model, static_cast<double>(cells));
    model.solve();
    const auto& r = model.last_solve_report();
    const double memory = peak_memory_MiB();
    if (rank == 0)
      std::printf("scaling %zu^3 Q%u ranks %d %s: dofs %llu, mesh+dofs %.2f s, assembly+"
                  "preconditioner %.2f s, solve %.2f s (%u CG its, 2 load cases), post %.2f s, "
                  "peak memory %.0f MiB (%.0f bytes/dof)\n",
                  cells, degree, ranks, r.solver.c_str(),
                  static_cast<unsigned long long>(model.n_dofs()), t_mesh, r.setup_seconds,
                  r.solve_seconds, r.cg_iterations, r.postprocess_seconds, memory,
                  memory * 1048576.0 / static_cast<double>(model.n_dofs()));
  }

  void resolve(std::size_t cells, unsigned int degree, const std::string& kind)
  {
    const double size = static_cast<double>(cells);
    const double t0 = now();
    ThermoelasticModel model(MPI_COMM_WORLD, cube(cells, degree), settings(kind));
    set_fields(model, size);
    // A glass part-way through a cycle: 10% of the sites (chosen by global id) already carry a
    // shear eigenstrain of 0.5%.
    std::vector<SymmetricTensor6> eigenstrain(model.local_sites().size(), SymmetricTensor6{});
    for (std::size_t i = 0; i < eigenstrain.size(); ++i)
      if ((model.local_sites()[i].global_id * 2654435761u) % 10 == 0)
        eigenstrain[i] = {0, 0, 0, 5e-3, -5e-3, 0};
    model.set_eigenstrain(eigenstrain);
    model.solve();
    const double t_first = now() - t0;
    // An avalanche sweep: 8 sites near the centre shear by 1%.
    for (std::size_t i = 0; i < eigenstrain.size(); ++i)
    {
      const auto& x = model.local_sites()[i].centre_nm;
      if (std::abs(x[0] - size / 2) < 1 && std::abs(x[1] - size / 2) < 1 &&
          std::abs(x[2] - size / 2) < 1)
        eigenstrain[i] = {0, 0, 0, 0, 0, 1e-2};
    }
    model.set_eigenstrain(eigenstrain);
    double t = now();
    model.solve();
    const double t_warm = now() - t;
    const unsigned int its_warm = model.last_solve_report().cg_iterations;
    t = now();
    model.solve_cold();
    const double t_cold_kept = now() - t;
    const unsigned int its_cold = model.last_solve_report().cg_iterations;
    // Fully cold: a new model (matrix, preconditioner or factorisation, zero initial guess).
    t = now();
    ThermoelasticModel fresh(MPI_COMM_WORLD, cube(cells, degree), settings(kind));
    set_fields(fresh, size);
    fresh.set_eigenstrain(eigenstrain);
    fresh.solve();
    const double t_fresh = now() - t;
    if (rank == 0)
      std::printf("resolve %zu^3 Q%u ranks %d %s: dofs %llu, first solve %.2f s; after a local "
                  "eigenstrain change: kept solver + warm start %.3f s (%u its), kept solver + "
                  "zero guess %.3f s (%u its, thermal + eigenstrain), new model %.2f s; "
                  "speed-up vs new model %.1fx\n",
                  cells, degree, ranks, model.last_solve_report().solver.c_str(),
                  static_cast<unsigned long long>(model.n_dofs()), t_first, t_warm, its_warm,
                  t_cold_kept, its_cold, t_fresh, t_fresh / t_warm);
  }

  void fourier(std::size_t cells, const std::vector<unsigned int>& degrees)
  {
    const double size = static_cast<double>(cells), h = 1.0, dT = -200.0;
    std::vector<double> grid(cells * cells * cells);
    for (std::size_t k = 0; k < cells; ++k)
      for (std::size_t j = 0; j < cells; ++j)
        for (std::size_t i = 0; i < cells; ++i)
          grid[i + cells * (j + cells * k)] =
            alpha_at({(static_cast<double>(i) + 0.5) * h, (static_cast<double>(j) + 0.5) * h,
                      (static_cast<double>(k) + 0.5) * h},
                     size);
    double t = now();
    PeriodicSpectralThermalStress spectral({cells, cells, cells}, {h, h, h});
    const auto reference = spectral.solve(grid, bulk_GPa, shear_GPa, dT);
    const double t_fourier = now() - t;
    for (const unsigned int degree : degrees)
    {
      t = now();
      ThermoelasticModel model(MPI_COMM_WORLD, cube(cells, degree), settings("iterative"));
      set_fields(model, size);
      model.solve();
      const double t_fe = now() - t;
      const auto stress = model.stress_GPa(dT);
      double sums[2] = {0, 0}, global[2] = {0, 0};
      for (std::size_t s = 0; s < stress.size(); ++s)
      {
        const auto& x = model.local_sites()[s].centre_nm;
        const std::size_t index = static_cast<std::size_t>(x[0]) +
                                  cells * (static_cast<std::size_t>(x[1]) +
                                           cells * static_cast<std::size_t>(x[2]));
        const double vm = von_mises_equivalent(stress[s]), vm_ref = reference.von_mises_GPa[index];
        sums[0] += (vm - vm_ref) * (vm - vm_ref);
        sums[1] += vm_ref * vm_ref;
      }
      MPI_Allreduce(sums, global, 2, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
      if (rank == 0)
        std::printf("fourier %zu^3: Fourier %.3f s (plan + solve); FE Q%u ranks %d %.2f s "
                    "(everything), dofs %llu; von Mises rel. L2 difference %.4f\n",
                    cells, t_fourier, degree, ranks, t_fe,
                    static_cast<unsigned long long>(model.n_dofs()),
                    std::sqrt(global[0] / global[1]));
    }
  }

  void rod(unsigned int degree, const std::string& kind)
  {
    FiniteElementGeometry g;
    g.shape = SampleShape::rod;
    g.radius_nm = 3.0;
    g.length_nm = 10.0;
    g.element_size_nm = 1.0;
    g.fe_degree = degree;
    const double t = now();
    ThermoelasticModel model(MPI_COMM_WORLD, g, settings(kind));
    set_fields(model, 10.0);
    model.solve();
    const auto& r = model.last_solve_report();
    if (rank == 0)
      std::printf("rod Q%u ranks %d %s: dofs %llu, setup %.2f s, solve %.2f s (%u its), "
                  "total %.2f s\n",
                  degree, ranks, r.solver.c_str(), static_cast<unsigned long long>(model.n_dofs()),
                  r.setup_seconds, r.solve_seconds, r.cg_iterations, now() - t);
  }
} // namespace

int main(int argc, char** argv)
{
  int provided = 0;
  MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &ranks);
  const std::vector<std::string> args(argv + 1, argv + argc);
  auto arg = [&](std::size_t i, const char* fallback) {
    return i < args.size() ? args[i] : std::string(fallback);
  };
  try
  {
    if (args.empty())
    {
      scaling(16, 1, "iterative");
      scaling(16, 2, "iterative");
      scaling(32, 1, "iterative");
      resolve(16, 1, "direct");
      resolve(32, 1, "iterative");
      fourier(32, {1});
      fourier(16, {2});
    }
    else if (args[0] == "scaling")
      scaling(std::stoul(arg(1, "16")), static_cast<unsigned>(std::stoul(arg(2, "1"))),
              arg(3, "iterative"));
    else if (args[0] == "resolve")
      resolve(std::stoul(arg(1, "16")), static_cast<unsigned>(std::stoul(arg(2, "1"))),
              arg(3, "iterative"));
    else if (args[0] == "fourier")
      fourier(std::stoul(arg(1, "32")), {static_cast<unsigned>(std::stoul(arg(2, "1")))});
    else if (args[0] == "rod")
      rod(static_cast<unsigned>(std::stoul(arg(1, "1"))), arg(2, "iterative"));
    else
    {
      if (rank == 0)
        std::fprintf(stderr, "bench_fe: unknown case %s\n", args[0].c_str());
      MPI_Finalize();
      return 2;
    }
  }
  catch (const std::exception& error)
  {
    std::fprintf(stderr, "bench_fe: %s\n", error.what());
    MPI_Abort(MPI_COMM_WORLD, 1);
  }
  MPI_Finalize();
  return 0;
}
