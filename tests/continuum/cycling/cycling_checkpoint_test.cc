// Checkpoints of a cycling run (cycling_checkpoint.h): a run stopped after k cycles, saved,
// rebuilt from nothing and restored continues bit-identically to the uninterrupted run, on the
// periodic Fourier and on the finite-element back-end (iterative and direct solver), and so does
// a run of homogenised cells; the file refuses changed critical parameters, truncation and
// foreign files.
#include "continuum/cycling/cycling_checkpoint.h"
#include "continuum/events/elastic_backend.h"
#include "continuum/cycling/heat_conduction_cycling.h"
#include "core/random_stream.h"

#include <boost/math/special_functions/erf.hpp>
#include <boost/random/normal_distribution.hpp>
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>

using namespace cryocycle;
using namespace cryocycle::continuum;
namespace fs = std::filesystem;

namespace
{
  constexpr double K = 108.92;
  constexpr double G = 26.47;

  double yield_of(const std::uint64_t id, const std::uint64_t draw, const double state)
  {
    auto stream = cryocycle::core::make_random_stream(8, "yield", id, draw);
    const double z = boost::random::normal_distribution<double>(0.0, 1.0)(stream);
    return std::max(0.05, 0.25 * (1.0 - 0.3 * state) + 0.05 * z);
  }

  double alpha_of(const std::uint64_t id)
  {
    auto stream = cryocycle::core::make_random_stream(4, "alpha", id);
    return 3e-5 + 3e-5 * boost::random::normal_distribution<double>(0.0, 1.0)(stream);
  }

  enum class Kind
  {
    fourier,
    fe_iterative,
    fe_direct,
    fe_point_updates  ///< CG, sweeps of up to 4 sites by superposed unit responses
  };

  /// A small periodic RVE with events and relaxation, built from nothing each time (as a
  /// resumed process would).
  struct Rve
  {
    std::unique_ptr<ThermoelasticModel> model;
    std::unique_ptr<ElasticBackend> backend;
    std::unique_ptr<AthermalEventEngine> engine;
    std::unique_ptr<CyclingSimulation> simulation;

    explicit Rve(const Kind kind)
    {
      if (kind == Kind::fourier)
        {
          constexpr std::size_t n = 6;
          std::vector<double> alpha(n * n * n);
          for (std::size_t p = 0; p < alpha.size(); ++p)
            alpha[p] = alpha_of(p);
          backend = std::make_unique<PeriodicFourierBackend>(MPI_COMM_WORLD, std::array<std::size_t, 3>{n, n, n}, 1.0,
                                                             K, G, alpha);
        }
      else
        {
          FiniteElementGeometry geometry;
          geometry.shape = SampleShape::periodic_cube;
          geometry.box_size_nm = {6.0, 6.0, 6.0};
          geometry.element_size_nm = 1.0;
          LinearSolverSettings solver;
          solver.kind = kind == Kind::fe_direct ? LinearSolverKind::direct : LinearSolverKind::iterative;
          model = std::make_unique<ThermoelasticModel>(MPI_COMM_WORLD, geometry, solver);
          std::vector<double> alpha;
          for (const auto &site : model->local_sites())
            alpha.push_back(alpha_of(site.global_id));
          model->set_thermal_expansion_per_K(alpha);
          model->set_moduli_GPa(std::vector<double>(alpha.size(), K), std::vector<double>(alpha.size(), G));
          PointUpdatePolicy policy;
          policy.max_sites = kind == Kind::fe_point_updates ? 4 : 0;
          policy.resynchronise_after = 5;  // both kinds of update within a cycle
          backend = std::make_unique<FiniteElementBackend>(*model, MPI_COMM_WORLD, policy);
        }
      const auto &sites = backend->local_sites();
      std::vector<double> yield;
      for (const auto &site : sites)
        yield.push_back(yield_of(site.global_id, 1000000, 0.0));
      EventRule rule;
      rule.equivalent_strain = 0.002;
      rule.rejuvenation_per_event = 0.3;
      engine = std::make_unique<AthermalEventEngine>(*backend, yield, std::vector<double>(sites.size(), 0.0),
                                                     yield_of, rule);
      ThermalCycleProtocol protocol;  // 300 K -> 77 K at 10 K/s, 60 s holds
      protocol.cycles = 5;
      CyclingOptions options;
      options.seed = 21;
      ThermalRelaxationModel relaxation;
      relaxation.activation_volume_nm3 = 0.0042;  // ~1e-2 relaxations per site and s at 300 K
      relaxation.relaxation_per_event = 0.5;
      options.relaxation = relaxation;
      simulation = std::make_unique<CyclingSimulation>(*engine, ThermalCycleSchedule(protocol),
                                                       std::vector<double>(sites.size(), K),
                                                       std::vector<double>(sites.size(), G), options);
    }
  };

  /// Bitwise equality of two rows (every field, doubles compared as bytes).
  void expect_identical(const CycleObservables &a, const CycleObservables &b)
  {
    EXPECT_EQ(a.cycle, b.cycle);
    EXPECT_EQ(a.events_cooling, b.events_cooling) << "cycle " << a.cycle;
    EXPECT_EQ(a.events_heating, b.events_heating) << "cycle " << a.cycle;
    EXPECT_EQ(a.events_holds, b.events_holds) << "cycle " << a.cycle;
    EXPECT_EQ(a.relaxations, b.relaxations) << "cycle " << a.cycle;
    for (const auto member : {&CycleObservables::work_aJ, &CycleObservables::residual_work_aJ,
                              &CycleObservables::mean_state, &CycleObservables::yield_median_GPa,
                              &CycleObservables::yield_decile_width, &CycleObservables::residual_von_mises_mean_GPa,
                              &CycleObservables::residual_von_mises_std_GPa, &CycleObservables::mean_plastic_strain,
                              &CycleObservables::elastic_energy_aJ})
      EXPECT_EQ(std::memcmp(&(a.*member), &(b.*member), sizeof(double)), 0)
        << "cycle " << a.cycle << ": " << a.*member << " vs " << b.*member;
  }

  fs::path scratch_file(const std::string &name)
  {
    const auto *info = ::testing::UnitTest::GetInstance()->current_test_info();
    int rank = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    const fs::path folder = fs::temp_directory_path() / (std::string("cryocycle_checkpoint_") + info->name());
    if (rank == 0)
      fs::create_directories(folder);
    MPI_Barrier(MPI_COMM_WORLD);
    return folder / name;
  }

  /// Runs 5 cycles straight, then 2 cycles + checkpoint + a fresh RVE restored from the file +
  /// 3 more cycles; the rows and the final site states must be bit-identical.
  void check_resume_is_bit_identical(const Kind kind)
  {
    std::vector<CycleObservables> straight;
    SiteStates straight_end;
    {
      Rve rve(kind);
      straight.push_back(rve.simulation->observe(0));
      for (std::size_t c = 0; c < 5; ++c)
        straight.push_back(rve.simulation->run_cycle(c));
      straight_end = gather_site_states(MPI_COMM_WORLD, rve.engine->save_state());
    }
    std::uint64_t events = 0;
    for (const auto &r : straight)
      events += r.events_cooling + r.events_heating + r.events_holds;
    ASSERT_GT(events, 20u) << "the RVE must have events to make the test meaningful";
    ASSERT_GT(straight.back().relaxations, 0u);

    const fs::path file = scratch_file("state.bin");
    int rank = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    {
      Rve first(kind);
      CyclingCheckpoint checkpoint;
      checkpoint.rows.push_back(first.simulation->observe(0));
      for (std::size_t c = 0; c < 2; ++c)
        checkpoint.rows.push_back(first.simulation->run_cycle(c));
      checkpoint.sites = gather_site_states(MPI_COMM_WORLD, first.engine->save_state());
      checkpoint.critical_parameters = {{"seed", "21"}};
      if (rank == 0)
        write_cycling_checkpoint(file, checkpoint);
      MPI_Barrier(MPI_COMM_WORLD);
    }
    Rve resumed(kind);
    CyclingCheckpoint checkpoint = read_cycling_checkpoint(file);
    require_same_critical_parameters(checkpoint.critical_parameters, {{"seed", "21"}});
    resumed.engine->restore_state(checkpoint.sites);
    std::vector<CycleObservables> rows = checkpoint.rows;
    for (std::size_t c = 2; c < 5; ++c)
      rows.push_back(resumed.simulation->run_cycle(c));
    ASSERT_EQ(rows.size(), straight.size());
    for (std::size_t c = 0; c < rows.size(); ++c)
      expect_identical(rows[c], straight[c]);
    const SiteStates end = gather_site_states(MPI_COMM_WORLD, resumed.engine->save_state());
    if (rank == 0)
      {
        EXPECT_EQ(end.global_id, straight_end.global_id);
        EXPECT_EQ(end.draws, straight_end.draws);
        EXPECT_EQ(end.events, straight_end.events);
        EXPECT_EQ(end.yield_stress_GPa, straight_end.yield_stress_GPa);
        EXPECT_EQ(end.structural_state, straight_end.structural_state);
        EXPECT_EQ(end.eigenstrain, straight_end.eigenstrain);
      }
  }
} // namespace

TEST(CyclingCheckpoint, ResumeIsBitIdenticalOnTheFourierBackEnd) { check_resume_is_bit_identical(Kind::fourier); }

TEST(CyclingCheckpoint, ResumeIsBitIdenticalOnTheFiniteElementBackEndWithPointUpdates)
{
  // Superposed unit responses between cold solves: the back-end's stresses depend on the
  // eigenstrains and the update sequence only, so a restored run continues to the last bit.
  check_resume_is_bit_identical(Kind::fe_point_updates);
}

TEST(CyclingCheckpoint, ResumeIsBitIdenticalOnTheFiniteElementBackEndWithCg)
{
  // CG is warm-started from the previous solution and the eigenstrain right-hand side is updated
  // incrementally between re-solves: the cycle-end re-solve from scratch is what makes the
  // restored state the same to the last bit.
  check_resume_is_bit_identical(Kind::fe_iterative);
}

TEST(CyclingCheckpoint, ResumeIsBitIdenticalOnTheFiniteElementBackEndWithMumps)
{
  check_resume_is_bit_identical(Kind::fe_direct);
}

TEST(CyclingCheckpoint, ChangedCriticalParametersAreRefusedByName)
{
  const std::vector<CriticalParameter> saved{{"seed", "3"}, {"continuum.cycles.equivalent_strain", "0.002"}};
  EXPECT_NO_THROW(require_same_critical_parameters(saved, saved));
  try
    {
      require_same_critical_parameters(saved, {{"seed", "3"}, {"continuum.cycles.equivalent_strain", "0.004"}});
      FAIL() << "a changed ε0 was accepted";
    }
  catch (const std::runtime_error &e)
    {
      const std::string message = e.what();
      EXPECT_NE(message.find("continuum.cycles.equivalent_strain"), std::string::npos) << message;
      EXPECT_NE(message.find("0.002"), std::string::npos) << message;
      EXPECT_NE(message.find("0.004"), std::string::npos) << message;
    }
  EXPECT_THROW(require_same_critical_parameters(saved, {{"seed", "3"}}), std::runtime_error);
  EXPECT_THROW(require_same_critical_parameters(saved, {saved[0], saved[1], {"number of sites", "64"}}),
               std::runtime_error);
}

TEST(CyclingCheckpoint, TruncatedOrForeignFilesAreRefused)
{
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  const fs::path file = scratch_file("state.bin");
  CyclingCheckpoint checkpoint;
  checkpoint.critical_parameters = {{"seed", "1"}};
  checkpoint.rows.resize(2);
  checkpoint.rows[1].cycle = 1;
  checkpoint.rows[1].work_aJ = 0.125;
  checkpoint.sites.global_id = {3, 7};
  checkpoint.sites.eigenstrain = {{1e-3, 0, 0, 0, 0, 2e-3}, {}};
  checkpoint.sites.yield_stress_GPa = {0.2, 0.3};
  checkpoint.sites.structural_state = {0.5, 0.0};
  checkpoint.sites.draws = {4, 0};
  checkpoint.sites.events = {2, 0};
  checkpoint.sites.extra = {{0.5, 3.0, 0.25}, {}};
  checkpoint.row_extras = {{1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}};
  checkpoint.run_state = {77.0, 78.5, 0.125};
  if (rank == 0)
    {
      write_cycling_checkpoint(file, checkpoint);
      const auto back = read_cycling_checkpoint(file);
      EXPECT_EQ(back.rows[1].work_aJ, 0.125);
      EXPECT_EQ(back.sites.eigenstrain, checkpoint.sites.eigenstrain);
      EXPECT_EQ(back.sites.draws, checkpoint.sites.draws);
      EXPECT_EQ(back.sites.extra, checkpoint.sites.extra);
      EXPECT_EQ(back.row_extras, checkpoint.row_extras);
      EXPECT_EQ(back.run_state, checkpoint.run_state);
      std::string bytes;
      {
        std::ifstream in(file, std::ios::binary);
        bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
      }
      std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes.substr(0, bytes.size() - 20);
      EXPECT_THROW(read_cycling_checkpoint(file), std::runtime_error);
      std::ofstream(file, std::ios::binary | std::ios::trunc) << "cycle,events\n1,2\n";
      EXPECT_THROW(read_cycling_checkpoint(file), std::runtime_error);
    }
}

namespace
{
  /// A periodic 6³ RVE of homogenised cells (1e6 sites each, flips of 5% of a cell) with thermal
  /// relaxation on the Fourier back-end, optionally with the sites' thermal-mismatch stress: 4
  /// cycles straight against 2 cycles, a checkpoint file, a fresh engine restored from it and 2
  /// more cycles. Every row and every cell's record (pool of ranks, trigger, counters, mismatch
  /// scale) must be bit-identical.
  void check_homogenised_resume(const bool site_thermal_stress)
  {
    constexpr std::size_t n = 6;
    std::vector<double> alpha(n * n * n);
    for (std::size_t p = 0; p < alpha.size(); ++p)
      alpha[p] = alpha_of(p);
    ThresholdDistribution thresholds;  // σ_y ~ N(0.25 (1 − 0.3 s), 0.05) GPa, truncated at 0
    const auto cdf = [](const double mean, const double x) { return 0.5 * std::erfc(-(x - mean) / (0.05 * std::sqrt(2.0))); };
    thresholds.quantile_GPa = [cdf](const double s, const double u) {
      const double mean = 0.25 * (1.0 - 0.3 * s), below = cdf(mean, 0.0);
      return mean + 0.05 * std::sqrt(2.0) * boost::math::erf_inv(2.0 * (below + (1.0 - below) * u) - 1.0);
    };
    thresholds.cdf = [cdf](const double s, const double x) {
      const double mean = 0.25 * (1.0 - 0.3 * s), below = cdf(mean, 0.0);
      return std::max(0.0, (cdf(mean, x) - below) / (1.0 - below));
    };
    if (site_thermal_stress)  // Lomax (γ, η) = (8.15, 0.1 GPa) at 100 K
      thresholds.site_thermal_stress = std::make_shared<const SiteThermalStress>(
        [](const double u) { return 0.1 * (std::pow(1.0 - u, -1.0 / 8.15) - 1.0); }, 100.0);
    struct HomogenisedRve
    {
      PeriodicFourierBackend backend;
      HomogenisedEventEngine engine;
      HomogenisedCyclingSimulation simulation;
      HomogenisedRve(const std::vector<double> &alpha, const ThresholdDistribution &thresholds, const EventRule &rule,
                     const HomogenisedCyclingOptions &options)
        : backend(MPI_COMM_WORLD, {n, n, n}, 1.0, K, G, alpha)
        , engine(backend, thresholds, std::vector<double>(backend.local_sites().size(), 0.0), rule,
                 HomogenisedCellRule{1e6, 5e-2}, 7)
        , simulation(engine, ThermalCycleSchedule(ThermalCycleProtocol{300.0, 77.0, 10.0, 10.0, 60.0, 60.0, 4}),
                     std::vector<double>(backend.local_sites().size(), K),
                     std::vector<double>(backend.local_sites().size(), G), nullptr, options)
      {}
    };
    EventRule rule;
    rule.equivalent_strain = 0.002;
    rule.rejuvenation_per_event = 0.3;
    HomogenisedCyclingOptions options;
    options.seed = 21;
    // With the site thermal stress also stress-assisted STs (V_ST = 0.05 nm³), whose draws must
    // continue from the same streams after a resume.
    options.relaxation = ThermalRelaxationModel{1e13, 0.0045, 0.5, site_thermal_stress ? 0.05 : 0.0};

    std::vector<CycleObservables> straight;
    SiteStates straight_end;
    {
      HomogenisedRve rve(alpha, thresholds, rule, options);
      straight.push_back(rve.simulation.observe(0));
      for (std::size_t c = 0; c < 4; ++c)
        straight.push_back(rve.simulation.run_cycle(c));
      straight_end = gather_site_states(MPI_COMM_WORLD, rve.engine.save_state());
    }
    ASSERT_GT(straight[1].events_cooling, 0u) << "the RVE must have events to make the test meaningful";
    ASSERT_GT(straight[1].relaxations, 0u);
    if (site_thermal_stress)
      {
        ASSERT_GT(straight[2].events_holds, 0u) << "stress-assisted STs must act to make the test meaningful";
      }

    const fs::path file = scratch_file("state.bin");
    int rank = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    {
      HomogenisedRve first(alpha, thresholds, rule, options);
      CyclingCheckpoint checkpoint;
      checkpoint.rows.push_back(first.simulation.observe(0));
      for (std::size_t c = 0; c < 2; ++c)
        checkpoint.rows.push_back(first.simulation.run_cycle(c));
      checkpoint.sites = gather_site_states(MPI_COMM_WORLD, first.engine.save_state());
      checkpoint.run_state = first.simulation.run_state();
      if (rank == 0)
        write_cycling_checkpoint(file, checkpoint);
      MPI_Barrier(MPI_COMM_WORLD);
    }
    HomogenisedRve resumed(alpha, thresholds, rule, options);
    const CyclingCheckpoint checkpoint = read_cycling_checkpoint(file);
    ASSERT_EQ(checkpoint.sites.extra.size(), alpha.size());
    resumed.simulation.restore(checkpoint.sites, checkpoint.run_state);
    std::vector<CycleObservables> rows = checkpoint.rows;
    for (std::size_t c = 2; c < 4; ++c)
      rows.push_back(resumed.simulation.run_cycle(c));
    ASSERT_EQ(rows.size(), straight.size());
    for (std::size_t c = 0; c < rows.size(); ++c)
      expect_identical(rows[c], straight[c]);
    const SiteStates end = gather_site_states(MPI_COMM_WORLD, resumed.engine.save_state());
    if (rank == 0)
      {
        EXPECT_EQ(end.global_id, straight_end.global_id);
        EXPECT_EQ(end.eigenstrain, straight_end.eigenstrain);
        EXPECT_EQ(end.extra, straight_end.extra);
      }
    // A record that is not a cell's is refused by name.
    SiteStates broken = checkpoint.sites;
    broken.extra[0].resize(3);
    EXPECT_THROW(resumed.simulation.restore(broken, {}), std::runtime_error);
  }
} // namespace

TEST(CyclingCheckpoint, ResumeIsBitIdenticalWithHomogenisedCells) { check_homogenised_resume(false); }

TEST(CyclingCheckpoint, ResumeIsBitIdenticalWithSiteThermalStress)
{
  // The mismatch scale, pending (not yet inverted) triggers and the collected increments (applied
  // at every cycle end) must all survive the checkpoint; stress-assisted STs act too.
  check_homogenised_resume(true);
}
