/// @file
/// Benchmark of the cryogenic-cycling engine on periodic RVEs (targets on 2 cores: one
/// full cycle of a 64³-site RVE on the Fourier back-end in ≤ 60 s, of a 32³-site RVE on the FE
/// back-end in ≤ 60 s). One cycle = 300 K → 77 K at 20 K/s, 60 s hold, back at 5 K/s, 60 s hold,
/// with thermal relaxation (configs/rve_cycles.yaml kinetics).
///
/// Two event densities, both with per-site uncorrelated Gaussian α (mean 3e-5 /K):
///  - avalanche: the configs/rve_cycles.yaml parameters — α spread 3e-5 /K, σ_y Gaussian
///    0.25 ± 0.05 GPa (relaxed) → 0.18 ± 0.06 (rejuvenated): the thermal stress of the cycle is
///    of the order of σ_y, so most sites yield in the first cycle (an illustration, not physics);
///  - calibrated: Shang et al. (2018) Table I — σ_y hyperbolic (β, λ) = (1.56 GPa, 0.05) relaxed (1e9 K/s)
///    → (1.61 GPa, 0.10) rejuvenated (1e13 K/s); the α spread is set so that the mean von Mises
///    thermal stress at ΔT = 100 K equals the mean of the 1e13 K/s Lomax fit (η/(γ − 1), γ = 8.15,
///    η = 0.72 GPa). Shang et al. (2018) gives p(σ_th > σ_y) = 4.6e-4 at 100 K for these fits.
///
/// Per run it prints wall and CPU time of each cycle, events, sweeps (one elastic re-solve each)
/// and how many of them took the Fourier fast path, and the split of the CPU time between
/// re-solves (a timing wrapper around the back-end), σ_y draws (the renewal), relaxation
/// counts (draw_relaxation_counts replayed for the same intervals; it depends on no event) and the
/// rest — the event search and the sweep bookkeeping of the engine.
///
///   bench_cycles                               default set (make bench)
///   bench_cycles resolve <n>...                FFT solve vs one superposed site, per grid size
///   bench_cycles fourier <case> <n> [cycles] [deferred|fast|full]
///                                              deferred (default): the far field of events
///                                              deferred (deferred_far_field.h); fast: every
///                                              sweep superposed on every site; full: an FFT
///                                              solve every sweep
///   bench_cycles ramp <case> <n> <window_K> [deferred|fast|full]   first window_K of cooling,
///                                              no relaxation
///   bench_cycles fe <case> <n> [cycles] [iterative|direct] [fast|full]  FE back-end (Q1, cells
///                                              of 1 nm); fast: superposed unit responses for
///                                              sweeps of ≤ 4 sites (default), full: a solve every
///                                              sweep; run under mpiexec -n 2 for two ranks
///   <case> = avalanche | calibrated
/// The Fourier runs use the q1_hexahedra Green's operator (the FE back-end's discrete problem);
/// CRYOCYCLE_BENCH_GREEN_OPERATOR=continuous selects the continuous one.
/// Every mode runs under mpiexec -n 2 for two ranks (the Fourier back-end deals its z-planes out
/// to the ranks; the FE back-end partitions its mesh).
/// The machine load (from /proc/loadavg) is printed with every figure.

#include "calibrate/activation_probability.h"
#include "continuum/cycling/cycling_simulation.h"
#include "continuum/physics/thermal_relaxation.h"
#include "core/random_stream.h"

#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_01.hpp>
#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <time.h>
#include <fstream>
#include <functional>
#include <string>
#include <unordered_map>

namespace
{
  using namespace cryocycle;
  using namespace cryocycle::continuum;

  constexpr double bulk_GPa = 108.92;
  constexpr double shear_GPa = 26.47;
  constexpr double target_s = 60.0;
  int rank = 0;
  int ranks = 1;

  /// How the Fourier runs search for events: "deferred" (the default: the far field of events
  /// deferred, deferred_far_field.h), "fast" (every sweep superposed on every site) or "full"
  /// (an FFT solve every sweep). The deferred settings can be varied through the environment:
  /// CRYOCYCLE_BENCH_BLOCK_EDGE, CRYOCYCLE_BENCH_NEAR_RADIUS, CRYOCYCLE_BENCH_EVENTS_PER_SOLVE.
  std::string search = "deferred";

  /// The Green's operator of the Fourier runs (file comment).
  FourierDiscretisation green_operator()
  {
    const char *v = std::getenv("CRYOCYCLE_BENCH_GREEN_OPERATOR");
    return v != nullptr && std::string(v) == "continuous" ? FourierDiscretisation::continuous
                                                          : FourierDiscretisation::q1_hexahedra;
  }

  EventRule bench_rule()
  {
    EventRule rule;
    rule.equivalent_strain = 0.002;
    rule.rejuvenation_per_event = 0.3;
    rule.deferred_far_field.enabled = search == "deferred";
    if (const char *v = std::getenv("CRYOCYCLE_BENCH_BLOCK_EDGE"))
      rule.deferred_far_field.block_edge = static_cast<std::size_t>(std::atoi(v));
    if (const char *v = std::getenv("CRYOCYCLE_BENCH_NEAR_RADIUS"))
      rule.deferred_far_field.near_radius = static_cast<std::size_t>(std::atoi(v));
    if (const char *v = std::getenv("CRYOCYCLE_BENCH_EVENTS_PER_SOLVE"))
      rule.deferred_far_field.events_between_solves = static_cast<std::size_t>(std::atoi(v));
    return rule;
  }

  std::string deferred_statistics(const AthermalEventEngine &engine)
  {
    const DeferredFarField *field = engine.deferred_far_field();
    if (field == nullptr)
      return "no deferred search";
    char text[160];
    std::snprintf(text, sizeof text, "deferred: %lu sites brought to date, %lu deferred event applications",
                  static_cast<unsigned long>(field->refreshed_sites()), static_cast<unsigned long>(field->deferred_applications()));
    return text;
  }

  double wall_now() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }
  /// Process CPU time (s): the split of a cycle is measured in CPU time, which the other jobs on
  /// a shared machine disturb far less than wall time.
  double cpu_now()
  {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
  }

  std::string load_average()
  {
    std::ifstream in("/proc/loadavg");
    double one = 0.0;
    in >> one;
    char text[32];
    std::snprintf(text, sizeof text, "load %.1f", one);
    return text;
  }

  /// Wall time spent in σ_y draws (the renewal callback).
  double renewal_seconds = 0.0;

  enum class Density
  {
    avalanche,
    calibrated
  };

  /// σ_y of a site in structural state s (0 relaxed .. 1 rejuvenated), stream (id, draw).
  double draw_yield(const Density density, const std::uint64_t id, const std::uint64_t draw, const double state)
  {
    const double start = cpu_now();
    auto stream = cryocycle::core::make_random_stream(8, "yield", id, draw);
    double value = 0.0;
    if (density == Density::avalanche)
      {
        const double z = boost::random::normal_distribution<double>(0.0, 1.0)(stream);
        value = std::max(0.02, (1.0 - state) * 0.25 + state * 0.18 + ((1.0 - state) * 0.05 + state * 0.06) * z);
      }
    else
      {
        // Hyperbolic quantile: F = 1 − exp(λ(1 − cosh(x/β))) ⇒ x = β arccosh(1 − ln(1 − u)/λ).
        const double beta = (1.0 - state) * 1.56 + state * 1.61;
        const double lambda = (1.0 - state) * 0.05 + state * 0.10;
        const double u = boost::random::uniform_01<double>()(stream);
        value = std::max(0.02, beta * std::acosh(1.0 - std::log1p(-u) / lambda));
      }
    renewal_seconds += cpu_now() - start;
    return value;
  }

  /// Per-site α on an n³ grid (site p = i + n(j + nk)), uncorrelated Gaussian.
  std::vector<double> alpha_grid(const std::size_t n, const double spread)
  {
    std::vector<double> alpha(n * n * n);
    for (std::size_t p = 0; p < alpha.size(); ++p)
      {
        auto stream = cryocycle::core::make_random_stream(2026, "alpha", p);
        alpha[p] = 3e-5 + spread * boost::random::normal_distribution<double>(0.0, 1.0)(stream);
      }
    return alpha;
  }

  /// The α spread of a case (calibrated: matched to the Lomax mean of Shang et al. (2018) Table I).
  double alpha_spread(const Density density, const std::size_t n)
  {
    if (density == Density::avalanche)
      return 3e-5;
    const double unit_spread = 3e-5;
    PeriodicEigenstrainSolver solver({n, n, n}, {1.0, 1.0, 1.0}, bulk_GPa, shear_GPa, green_operator());
    const auto alpha = alpha_grid(n, unit_spread);
    std::vector<SymmetricTensor6> strain(alpha.size());
    for (std::size_t p = 0; p < alpha.size(); ++p)
      strain[p] = {alpha[p] * 100.0 / 3.0, alpha[p] * 100.0 / 3.0, alpha[p] * 100.0 / 3.0, 0, 0, 0};
    std::vector<SymmetricTensor6> stress;
    solver.solve(strain, stress);
    double mean = 0.0;
    for (const auto &s : stress)
      mean += von_mises_equivalent(s) / static_cast<double>(stress.size());
    const double lomax_mean = 0.72 / (8.15 - 1.0);
    return unit_spread * lomax_mean / mean;
  }

  /// Times the re-solves of another back-end.
  class TimedBackend final : public ElasticBackend
  {
  public:
    explicit TimedBackend(ElasticBackend &inner) : inner_(inner) {}
    std::string name() const override { return inner_.name(); }
    MPI_Comm communicator() const override { return inner_.communicator(); }
    const std::vector<SiteGeometry> &local_sites() const override { return inner_.local_sites(); }
    const std::vector<SymmetricTensor6> &thermal_stress_per_K_GPa() const override { return inner_.thermal_stress_per_K_GPa(); }
    void update_eigenstrain(const std::vector<SymmetricTensor6> &eigenstrain) override
    {
      const double start = cpu_now();
      inner_.update_eigenstrain(eigenstrain);
      seconds += cpu_now() - start;
    }
    void add_eigenstrain(const std::vector<std::size_t> &sites, const std::vector<SymmetricTensor6> &increments) override
    {
      const double start = cpu_now();
      inner_.add_eigenstrain(sites, increments);
      seconds += cpu_now() - start;
    }
    const std::vector<SymmetricTensor6> &eigenstrain() const override { return inner_.eigenstrain(); }
    void resolve_from_scratch() override
    {
      const double start = cpu_now();
      inner_.resolve_from_scratch();
      seconds += cpu_now() - start;
    }
    const std::vector<SymmetricTensor6> &eigenstrain_stress_GPa() const override { return inner_.eigenstrain_stress_GPa(); }
    double elastic_energy_aJ(double dT) const override { return inner_.elastic_energy_aJ(dT); }
    std::size_t solve_count() const override { return inner_.solve_count(); }
    std::optional<PointResponseView> point_responses() override { return inner_.point_responses(); }
    double seconds = 0.0;

  private:
    ElasticBackend &inner_;
  };

  ThermalCycleProtocol protocol(const std::size_t cycles)
  {
    ThermalCycleProtocol p;
    p.cooling_rate_K_per_s = 20.0;
    p.heating_rate_K_per_s = 5.0;
    p.cycles = cycles;
    return p;
  }

  const ThermalRelaxationModel relaxation_model{1e13, 0.0045, 0.5};
  /// Keeps the replayed relaxation counts alive.
  volatile std::uint64_t relaxation_sink = 0;

  /// Wall time of the relaxation counts of one cycle: the intervals CyclingSimulation uses
  /// (holds whole, ramps in steps of at most 10 K), replayed.
  double relaxation_count_seconds(const std::vector<SiteGeometry> &sites, const ThermalCycleSchedule &schedule,
                                  const std::size_t cycle)
  {
    const std::vector<double> bulk(sites.size(), bulk_GPa);
    const std::vector<double> shear(sites.size(), shear_GPa);
    const double start = cpu_now();
    std::uint64_t interval = cycle * (std::uint64_t{1} << 20U);
    std::uint64_t total = 0;
    for (const ScheduleSegment &segment : schedule.cycle_segments(cycle))
      {
        const double swing = std::abs(segment.end_K - segment.start_K);
        const auto steps = std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(swing / 10.0 - 1e-12)));
        for (std::size_t step = 0; step < steps; ++step)
          {
            const double from = segment.start_K + (segment.end_K - segment.start_K) * static_cast<double>(step) / static_cast<double>(steps);
            const double to = segment.start_K + (segment.end_K - segment.start_K) * static_cast<double>(step + 1) / static_cast<double>(steps);
            const auto counts = draw_relaxation_counts(sites, bulk, shear, relaxation_model, from, to,
                                                       segment.duration_s() / static_cast<double>(steps), 2026, interval++);
            for (const auto c : counts)
              total += c;
          }
      }
    relaxation_sink = total;
    return cpu_now() - start;
  }

  /// Runs `cycles` cycles on `backend` (sites keyed to the n³ grid by `grid_index`).
  void run_cycles(ElasticBackend &backend, const Density density, const std::size_t n, const std::size_t cycles,
                  const std::function<std::size_t(std::uint64_t)> &grid_index,
                  const std::string &label, const double setup_seconds, const PeriodicFourierBackend *fourier)
  {
    TimedBackend timed(backend);
    const auto &sites = backend.local_sites();
    std::vector<double> yield(sites.size());
    for (std::size_t i = 0; i < sites.size(); ++i)
      yield[i] = draw_yield(density, grid_index(sites[i].global_id), 1u << 30U, 0.0);
    // The empirical p(σ_eq(ΔT_cycle S_T) > σ_y) of the first cooling, ignoring interactions.
    double exceeding[2] = {0.0, static_cast<double>(sites.size())};
    for (std::size_t i = 0; i < sites.size(); ++i)
      {
        SymmetricTensor6 s = backend.thermal_stress_per_K_GPa()[i];
        for (double &v : s)
          v *= -223.0;
        exceeding[0] += von_mises_equivalent(s) > yield[i] ? 1.0 : 0.0;
      }
    MPI_Allreduce(MPI_IN_PLACE, exceeding, 2, MPI_DOUBLE, MPI_SUM, backend.communicator());
    const EventRule rule = bench_rule();
    const auto renewal = [density, &grid_index](std::uint64_t id, std::uint64_t draw, double state) {
      return draw_yield(density, grid_index(id), draw, state);
    };
    AthermalEventEngine engine(timed, yield, std::vector<double>(sites.size(), 0.0), renewal, rule);
    CyclingOptions options;
    options.seed = 2026;
    options.relaxation = relaxation_model;
    const ThermalCycleSchedule schedule(protocol(cycles));
    CyclingSimulation simulation(engine, schedule, std::vector<double>(sites.size(), bulk_GPa),
                                 std::vector<double>(sites.size(), shear_GPa), options);
    if (rank == 0)
      std::printf("%s %zu^3 (%s, %d rank%s): setup %.2f s, p(vM(223 K S_T) > σ_y0) = %.2e  [%s]\n", label.c_str(), n,
                  backend.name().c_str(), ranks, ranks > 1 ? "s" : "", setup_seconds, exceeding[0] / exceeding[1],
                  load_average().c_str());
    for (std::size_t c = 0; c < cycles; ++c)
      {
        const std::size_t solves_before = backend.solve_count();
        const std::size_t points_before = fourier != nullptr ? fourier->point_update_count() : 0;
        const double solve_before = timed.seconds;
        const double renewal_before = renewal_seconds;
        const double wall_start = wall_now();
        const double cpu_start = cpu_now();
        const CycleObservables o = simulation.run_cycle(c);
        const double wall = wall_now() - wall_start;
        const double cpu = cpu_now() - cpu_start;
        const double relax = relaxation_count_seconds(sites, schedule, c);
        const std::size_t solves = backend.solve_count() - solves_before;
        const std::size_t points = fourier != nullptr ? fourier->point_update_count() - points_before : 0;
        const double solve = timed.seconds - solve_before;
        const double draws = renewal_seconds - renewal_before;
        const std::uint64_t events = o.events_cooling + o.events_heating + o.events_holds;
        if (rank == 0)
          std::printf("  cycle %zu: wall %7.2f s (%.2f of target)  cpu %7.2f s  events %7lu (%.3g/site)  re-solves %6zu "
                      "(fast %zu)  events/re-solve %.2f  | solve %.2f s (%.2f ms each)  σ_y draws %.2f s  relaxation %.2f s  "
                      "search+bookkeeping %.2f s (CPU)  [%s]\n",
                      c + 1, wall, wall / target_s, cpu, static_cast<unsigned long>(events),
                      static_cast<double>(events) / exceeding[1], solves, points,
                      solves > 0 ? static_cast<double>(events) / static_cast<double>(solves) : 0.0, solve,
                      solves > 0 ? 1e3 * solve / static_cast<double>(solves) : 0.0, draws, relax,
                      cpu - solve - draws - relax, load_average().c_str());
        if (rank == 0)
          std::printf("    %s\n", deferred_statistics(engine).c_str());
        std::fflush(stdout);
      }
  }

  Density parse_density(const std::string &name)
  {
    if (name == "avalanche")
      return Density::avalanche;
    if (name == "calibrated")
      return Density::calibrated;
    throw std::invalid_argument("case must be avalanche or calibrated, got " + name);
  }

  void run_fourier(const Density density, const std::size_t n, const std::size_t cycles, const bool fast)
  {
    const double start = wall_now();
    const double spread = alpha_spread(density, n);
    if (rank == 0)
      std::printf("alpha spread %.3g /K\n", spread);
    const auto alpha = alpha_grid(n, spread);
    PointUpdatePolicy policy;
    if (!fast)
      policy.max_sites = 0;
    PeriodicFourierBackend backend(MPI_COMM_WORLD, {n, n, n}, 1.0, bulk_GPa, shear_GPa, alpha, policy, green_operator());
    run_cycles(backend, density, n, cycles, [](std::uint64_t id) { return static_cast<std::size_t>(id); },
               std::string(density == Density::avalanche ? "avalanche" : "calibrated") + " " + (fast ? search : "full-FFT") +
                 " " + to_string(green_operator()),
               wall_now() - start, &backend);
  }

  void run_fe(const Density density, const std::size_t n, const std::size_t cycles, const std::string &solver_kind,
              const bool fast)
  {
    const double start = wall_now();
    const auto alpha_of_grid = alpha_grid(n, alpha_spread(density, n));
    FiniteElementGeometry geometry;
    geometry.shape = SampleShape::periodic_cube;
    geometry.box_size_nm = {static_cast<double>(n), static_cast<double>(n), static_cast<double>(n)};
    geometry.element_size_nm = 1.0;
    LinearSolverSettings solver;
    solver.kind = solver_kind == "direct" ? LinearSolverKind::direct : LinearSolverKind::iterative;
    ThermoelasticModel model(MPI_COMM_WORLD, geometry, solver);
    // FE sites are cells: the cell centre names its grid point, so both back-ends see one α field
    // and one σ_y stream per grid point.
    std::unordered_map<std::uint64_t, std::size_t> to_grid;
    std::vector<double> alpha(model.local_sites().size());
    for (std::size_t i = 0; i < alpha.size(); ++i)
      {
        const auto &x = model.local_sites()[i].centre_nm;
        const auto cell = [n](double v) { return std::min(n - 1, static_cast<std::size_t>(std::floor(v))); };
        const std::size_t p = cell(x[0]) + n * (cell(x[1]) + n * cell(x[2]));
        to_grid[model.local_sites()[i].global_id] = p;
        alpha[i] = alpha_of_grid[p];
      }
    model.set_thermal_expansion_per_K(alpha);
    model.set_moduli_GPa(std::vector<double>(alpha.size(), bulk_GPa), std::vector<double>(alpha.size(), shear_GPa));
    PointUpdatePolicy policy;  // as the cycles mode sets it (coupling/stages/continuum/continuum_cycles.cc)
    policy.resynchronise_after = 100000;
    if (!fast)
      policy.max_sites = 0;
    const double setup = wall_now();
    FiniteElementBackend backend(model, MPI_COMM_WORLD, policy);
    if (rank == 0 && fast)
      std::printf("FE back-end with unit responses: %.1f s wall (S_T solve + 8 cold solves)\n", wall_now() - setup);
    run_cycles(backend, density, n, cycles, [&to_grid](std::uint64_t id) { return to_grid.at(id); },
               std::string(density == Density::avalanche ? "avalanche" : "calibrated") + " FE " + solver_kind +
                 (fast ? " fast" : " full"),
               wall_now() - start, nullptr);
    if (rank == 0)
      std::printf("FE re-solves by superposition: %zu of %zu\n", backend.point_update_count(), backend.solve_count());
  }

  /// The first `window_K` of the first cooling ramp without relaxation: events, sweeps and CPU
  /// time per event, for sizes whose full cycle would take too long here.
  void run_ramp(const Density density, const std::size_t n, const double window_K, const bool fast)
  {
    const auto alpha = alpha_grid(n, alpha_spread(density, n));
    PointUpdatePolicy policy;
    if (!fast)
      policy.max_sites = 0;
    PeriodicFourierBackend backend(MPI_COMM_WORLD, {n, n, n}, 1.0, bulk_GPa, shear_GPa, alpha, policy, green_operator());
    TimedBackend timed(backend);
    const auto &sites = backend.local_sites();
    std::vector<double> yield(sites.size());
    for (std::size_t i = 0; i < yield.size(); ++i)
      yield[i] = draw_yield(density, sites[i].global_id, 1u << 30U, 0.0);
    const EventRule rule = bench_rule();
    const auto renewal = [density](std::uint64_t id, std::uint64_t draw, double state) {
      return draw_yield(density, id, draw, state);
    };
    AthermalEventEngine engine(timed, yield, std::vector<double>(sites.size(), 0.0), renewal, rule);
    const double wall_start = wall_now();
    const double cpu_start = cpu_now();
    const EventStatistics statistics = engine.ramp(0.0, -window_K);
    const double wall = wall_now() - wall_start;
    const double cpu = cpu_now() - cpu_start;
    if (rank != 0)
      return;
    std::printf("ramp %3zu^3 %s %s, %d rank%s, 0 -> -%g K: %lu events, %lu sweeps, wall %.2f s, cpu %.2f s, %.2f ms cpu per "
                "event (solve %.2f, search+bookkeeping %.2f)  [%s]\n",
                n, density == Density::avalanche ? "avalanche" : "calibrated", fast ? search.c_str() : "full-FFT", ranks,
                ranks > 1 ? "s" : "", window_K,
                static_cast<unsigned long>(statistics.events), static_cast<unsigned long>(statistics.sweeps), wall, cpu,
                1e3 * cpu / static_cast<double>(std::max<std::uint64_t>(1, statistics.events)),
                1e3 * timed.seconds / static_cast<double>(std::max<std::uint64_t>(1, statistics.events)),
                1e3 * (cpu - timed.seconds) / static_cast<double>(std::max<std::uint64_t>(1, statistics.events)),
                load_average().c_str());
    std::printf("  %s; %zu back-end solves\n", deferred_statistics(engine).c_str(), backend.solve_count());
    std::fflush(stdout);
  }

  /// Cost of one FFT solve against one superposed site (the break-even of PointUpdatePolicy).
  void run_resolve(const std::size_t n)
  {
    const auto alpha = alpha_grid(n, 3e-5);
    PointUpdatePolicy never;
    never.max_sites = 0;
    PeriodicFourierBackend full(MPI_COMM_WORLD, {n, n, n}, 1.0, bulk_GPa, shear_GPa, alpha, never, green_operator());
    PointUpdatePolicy always;
    always.max_sites = 1;
    always.resynchronise_after = std::size_t(-1);
    PeriodicFourierBackend fast(MPI_COMM_WORLD, {n, n, n}, 1.0, bulk_GPa, shear_GPa, alpha, always, green_operator());
    const SymmetricTensor6 d{0.001, -0.0005, -0.0005, 0.0002, 0.0, 0.0003};
    full.add_eigenstrain({0}, {d});
    double start = cpu_now();
    fast.add_eigenstrain({0}, {d});
    const double table = cpu_now() - start;
    const std::size_t repeats = n <= 32 ? 40 : 10;
    start = cpu_now();
    for (std::size_t r = 0; r < repeats; ++r)
      full.add_eigenstrain({(r * 7919) % (n * n * n)}, {d});
    const double fft = (cpu_now() - start) / static_cast<double>(repeats);
    start = cpu_now();
    for (std::size_t r = 0; r < repeats; ++r)
      fast.add_eigenstrain({(r * 7919) % (n * n * n)}, {d});
    const double point = (cpu_now() - start) / static_cast<double>(repeats);
    double difference = 0.0;
    for (std::size_t p = 0; p < n * n * n; ++p)
      for (std::size_t c = 0; c < 6; ++c)
        difference = std::max(difference, std::abs(full.eigenstrain_stress_GPa()[p][c] - fast.eigenstrain_stress_GPa()[p][c]));
    std::printf("re-solve %3zu^3 (CPU): FFT solve %.3f ms, one superposed site %.3f ms (ratio %.1f), unit responses %.0f MB "
                "built in %.3f s, largest stress difference %.1e GPa  [%s]\n",
                n, 1e3 * fft, 1e3 * point, fft / point, 36.0 * 8.0 * static_cast<double>(n * n * n) / 1e6, table,
                difference, load_average().c_str());
    std::fflush(stdout);
  }
} // namespace

int main(int argc, char **argv)
{
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &ranks);
  int status = 0;
  try
    {
      const std::string mode = argc > 1 ? argv[1] : "default";
      if (rank == 0)
        {
          const auto p = cryocycle::calibrate::probability_shang2018_eq11(1.61, 0.10, 8.15, 0.72 * 223.0 / 100.0);
          std::printf("cycling engine benchmark (targets: one cycle of 64^3 Fourier <= 60 s, 32^3 FE <= 60 s); "
                      "Shang et al. (2018) Table I 1e13 K/s: p(σ_th > σ_y) = 4.6e-4 at ΔT = 100 K, %.2e with η scaled to 223 K\n",
                      p.value);
        }
      if (mode == "resolve")
        for (int a = 2; a < argc; ++a)
          run_resolve(static_cast<std::size_t>(std::atoi(argv[a])));
      else if (mode == "fourier" && argc >= 4)
        {
          search = argc > 5 ? argv[5] : "deferred";
          run_fourier(parse_density(argv[2]), static_cast<std::size_t>(std::atoi(argv[3])),
                      argc > 4 ? static_cast<std::size_t>(std::atoi(argv[4])) : 1, search != "full");
        }
      else if (mode == "ramp" && argc >= 5)
        {
          search = argc > 5 ? argv[5] : "deferred";
          run_ramp(parse_density(argv[2]), static_cast<std::size_t>(std::atoi(argv[3])), std::atof(argv[4]),
                   search != "full");
        }
      else if (mode == "fe" && argc >= 4)
        run_fe(parse_density(argv[2]), static_cast<std::size_t>(std::atoi(argv[3])),
               argc > 4 ? static_cast<std::size_t>(std::atoi(argv[4])) : 1, argc > 5 ? argv[5] : "iterative",
               argc > 6 ? std::string(argv[6]) != "full" : true);
      else if (mode == "default")
        {
          for (const std::size_t n : {16, 32, 64})
            run_resolve(n);
          run_fourier(Density::avalanche, 16, 2, true);
          run_fourier(Density::avalanche, 16, 2, false);
          run_fourier(Density::calibrated, 32, 2, true);
          run_fourier(Density::calibrated, 64, 1, true);
          run_fourier(Density::avalanche, 32, 1, true);
          run_fourier(Density::avalanche, 64, 1, true);  // the 64³ target
        }
      else
        {
          if (rank == 0)
            std::fprintf(stderr, "usage: bench_cycles [resolve <n>... | fourier <case> <n> [cycles] [deferred|fast|full] | "
                                 "ramp <case> <n> <window_K> [deferred|fast|full] | "
                                 "fe <case> <n> [cycles] [iterative|direct] [fast|full]]\n");
          status = 2;
        }
    }
  catch (const std::exception &error)
    {
      std::fprintf(stderr, "bench_cycles: %s\n", error.what());
      status = 1;
    }
  MPI_Finalize();
  return status;
}
