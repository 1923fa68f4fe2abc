/// @file
/// Benchmark of the cryogenic-cycling engine on periodic RVEs (periodic Fourier back-end): wall
/// time of one full cycle (300 K → 77 K → 300 K with holds and relaxation, the parameters of
/// configs/rve_cycles.yaml) for n³ sites, with the events, the re-solves (one per avalanche
/// sweep), the time per re-solve, and the ratio to the target of issue 6 (one cycle of a 64³ RVE
/// on the Fourier back-end in ≤ 60 s on 2 cores).
/// Run: bench_cycles [max_n]   (default 32; sizes 8, 16, 32 up to max_n)

#include "continuum/cycling_simulation.h"
#include "core/random_stream.h"

#include <boost/random/normal_distribution.hpp>
#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>

namespace
{
  using namespace cryocycle::continuum;

  double yield_of(const std::uint64_t id, const std::uint64_t draw, const double state)
  {
    auto stream = cryocycle::core::make_random_stream(8, "yield", id, draw);
    const double z = boost::random::normal_distribution<double>(0.0, 1.0)(stream);
    const double mean = (1.0 - state) * 0.25 + state * 0.18;
    const double spread = (1.0 - state) * 0.05 + state * 0.06;
    return std::max(0.02, mean + spread * z);
  }

  void run(const std::size_t n)
  {
    std::vector<double> alpha(n * n * n);
    std::vector<double> yield(alpha.size());
    for (std::size_t p = 0; p < alpha.size(); ++p)
      {
        auto stream = cryocycle::core::make_random_stream(2026, "alpha", p);
        alpha[p] = 3e-5 + 3e-5 * boost::random::normal_distribution<double>(0.0, 1.0)(stream);
        yield[p] = yield_of(p, 1u << 30u, 0.0);
      }
    const auto start = std::chrono::steady_clock::now();
    PeriodicFourierBackend backend(MPI_COMM_WORLD, {n, n, n}, 1.0, 108.92, 26.47, alpha);
    EventRule rule;
    rule.equivalent_strain = 0.002;
    rule.rejuvenation_per_event = 0.3;
    AthermalEventEngine engine(backend, yield, std::vector<double>(alpha.size(), 0.0), yield_of, rule);
    ThermalCycleProtocol protocol;
    protocol.cooling_rate_K_per_s = 20.0;
    protocol.heating_rate_K_per_s = 5.0;
    protocol.cycles = 2;
    CyclingOptions options;
    options.seed = 2026;
    options.relaxation = ThermalRelaxationModel{1e13, 0.0045, 0.5};
    CyclingSimulation simulation(engine, ThermalCycleSchedule(protocol), std::vector<double>(alpha.size(), 108.92),
                                 std::vector<double>(alpha.size(), 26.47), options);
    for (std::size_t c = 0; c < 2; ++c)
      {
        const std::size_t solves_before = backend.solve_count();
        const auto cycle_start = std::chrono::steady_clock::now();
        const CycleObservables o = simulation.run_cycle(c);
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - cycle_start).count();
        const std::size_t solves = backend.solve_count() - solves_before;
        std::printf("%4zu^3 sites  cycle %zu: %8.2f s  events %7lu  re-solves %6zu  %.2f ms/re-solve\n", n, c + 1,
                    seconds, static_cast<unsigned long>(o.events_cooling + o.events_heating + o.events_holds), solves,
                    solves > 0 ? 1e3 * seconds / static_cast<double>(solves) : 0.0);
        std::fflush(stdout);
      }
    const double total = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("%4zu^3 sites  two cycles %.2f s\n", n, total);
  }
} // namespace

int main(int argc, char **argv)
{
  MPI_Init(&argc, &argv);
  const std::size_t max_n = argc > 1 ? static_cast<std::size_t>(std::atoi(argv[1])) : 32;
  std::printf("cryogenic cycling engine, periodic Fourier back-end (target: one cycle of 64^3 in <= 60 s)\n");
  for (const std::size_t n : {8, 16, 32, 64})
    if (n <= max_n)
      run(n);
  MPI_Finalize();
  return 0;
}
