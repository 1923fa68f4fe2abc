// The fast path of the periodic Fourier back-end — superposed shifted unit responses instead of
// an FFT solve when few sites change — against full solves: the same stresses to round-off, and
// the same event sequence when the event engine runs on either.
#include "continuum/events/athermal_event_engine.h"
#include "continuum/events/elastic_backend.h"
#include "core/random_stream.h"

#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_01.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <memory>

using namespace cryocycle;
using namespace cryocycle::continuum;

namespace
{
  constexpr double K = 108.92;
  constexpr double G = 26.47;

  std::vector<double> alpha_field(const std::size_t count, const double spread)
  {
    std::vector<double> alpha(count);
    for (std::size_t p = 0; p < count; ++p)
      {
        auto stream = cryocycle::core::make_random_stream(4, "alpha", p);
        alpha[p] = 3e-5 + spread * boost::random::normal_distribution<double>(0.0, 1.0)(stream);
      }
    return alpha;
  }

  SymmetricTensor6 random_tensor(const std::uint64_t key, const double scale)
  {
    auto stream = cryocycle::core::make_random_stream(11, "tensor", key);
    SymmetricTensor6 t{};
    for (double &v : t)
      v = scale * (2.0 * boost::random::uniform_01<double>()(stream) - 1.0);
    return t;
  }

  double yield_draw(const std::uint64_t id, const std::uint64_t draw, const double state)
  {
    auto stream = cryocycle::core::make_random_stream(8, "yield", id, draw + 1);
    return std::max(0.05, (0.25 - 0.05 * state) + 0.05 * boost::random::normal_distribution<double>(0.0, 1.0)(stream));
  }

  /// The fast path must reproduce the sweeps of full solves: the same events, sweeps, σ_y draws
  /// and states, the same work to 1e-9; most re-solves superposed, some solved.
  template <typename Backend>
  void expect_same_event_sequence(const EventStatistics &slow_stats, const EventStatistics &fast_stats,
                                  const AthermalEventEngine &slow_engine, const AthermalEventEngine &fast_engine,
                                  const Backend &reference, const Backend &superposed)
  {
    EXPECT_EQ(fast_stats.events, slow_stats.events);
    EXPECT_EQ(fast_stats.sweeps, slow_stats.sweeps);
    EXPECT_EQ(fast_stats.avalanches, slow_stats.avalanches);
    EXPECT_NEAR(fast_stats.work_aJ, slow_stats.work_aJ, 1e-9 * std::abs(slow_stats.work_aJ));
    EXPECT_EQ(fast_engine.event_count(), slow_engine.event_count());
    EXPECT_EQ(fast_engine.yield_stress_GPa(), slow_engine.yield_stress_GPa());
    EXPECT_EQ(fast_engine.structural_state(), slow_engine.structural_state());
    EXPECT_GT(superposed.point_update_count(), superposed.solve_count() / 2);
    EXPECT_LT(superposed.point_update_count(), superposed.solve_count() - 1);
    EXPECT_EQ(reference.point_update_count(), 0u);
  }
} // namespace

TEST(PeriodicEigenstrainSolver, SuperposedPointResponsesEqualAFullSolve)
{
  // Reference: the FFT solve of the whole field (translation invariance of the periodic Green's
  // operator makes the two the same linear map). Tolerance 1e-12 of the stress scale 2G|ε*|.
  // A non-cubic grid with odd and even axes, points on the faces (wrap-around of the shift).
  const std::array<std::size_t, 3> n{6, 5, 4};
  const std::size_t total = n[0] * n[1] * n[2];
  PeriodicEigenstrainSolver solver(n, {1.0, 0.8, 1.2}, K, G);
  std::vector<SymmetricTensor6> eigenstrain(total);
  for (std::size_t p = 0; p < total; ++p)
    eigenstrain[p] = random_tensor(p, 0.01);
  std::vector<SymmetricTensor6> stress;
  solver.solve(eigenstrain, stress);
  const std::vector<std::size_t> points{0, 5, 29, total - 1};
  std::vector<SymmetricTensor6> increments;
  for (const std::size_t p : points)
    {
      increments.push_back(random_tensor(1000 + p, 0.01));
      for (std::size_t c = 0; c < 6; ++c)
        eigenstrain[p][c] += increments.back()[c];
    }
  solver.add_point_responses(points, increments, stress);
  std::vector<SymmetricTensor6> expected;
  solver.solve(eigenstrain, expected);
  const double scale = 2.0 * G * 0.01;
  for (std::size_t p = 0; p < total; ++p)
    for (std::size_t c = 0; c < 6; ++c)
      EXPECT_NEAR(stress[p][c], expected[p][c], 1e-12 * scale) << "point " << p << " component " << c;
  EXPECT_EQ(solver.point_response_bytes(), total * 36 * sizeof(double));
  EXPECT_THROW(solver.add_point_responses({total}, {SymmetricTensor6{}}, stress), std::invalid_argument);
  EXPECT_THROW(solver.add_point_responses({0, 1}, {SymmetricTensor6{}}, stress), std::invalid_argument);
}

TEST(PeriodicFourierBackend, FastPathGivesTheEventSequenceOfFullSolves)
{
  // Independent method: the same 10³ RVE cooled by 250 K and heated back with every sweep solved
  // by FFT (max_sites = 0) and with the fast path (superposition for up to 4 changed sites,
  // resynchronised every 7 updates to exercise both branches). The events per site, the σ_y
  // draws and the structural states must be identical; stresses agree to 1e-12 GPa (round-off of
  // summing responses in another order, far below the 1e-9 trigger tolerance).
  const std::size_t n = 10;
  const auto alpha = alpha_field(n * n * n, 3e-5);
  std::vector<double> yield(n * n * n);
  for (std::size_t p = 0; p < yield.size(); ++p)
    yield[p] = yield_draw(p, 1000, 0.0);
  EventRule rule;
  rule.equivalent_strain = 0.002;
  rule.rejuvenation_per_event = 0.3;
  // Every sweep goes to the back-end (the deferred search would hand it a few solves only).
  rule.deferred_far_field.enabled = false;
  PointUpdatePolicy full;
  full.max_sites = 0;
  PointUpdatePolicy fast;
  fast.max_sites = 4;
  fast.resynchronise_after = 7;
  PeriodicFourierBackend reference(MPI_COMM_WORLD, {n, n, n}, 1.0, K, G, alpha, full);
  PeriodicFourierBackend superposed(MPI_COMM_WORLD, {n, n, n}, 1.0, K, G, alpha, fast);
  const std::vector<double> state(n * n * n, 0.0);
  AthermalEventEngine slow_engine(reference, yield, state, yield_draw, rule);
  AthermalEventEngine fast_engine(superposed, yield, state, yield_draw, rule);
  EventStatistics slow_stats = slow_engine.ramp(0.0, -250.0);
  slow_stats += slow_engine.ramp(-250.0, 0.0);
  EventStatistics fast_stats = fast_engine.ramp(0.0, -250.0);
  fast_stats += fast_engine.ramp(-250.0, 0.0);
  ASSERT_GT(slow_stats.events, 50u);
  expect_same_event_sequence(slow_stats, fast_stats, slow_engine, fast_engine, reference, superposed);
  double largest = 0.0;
  for (std::size_t p = 0; p < n * n * n; ++p)
    for (std::size_t c = 0; c < 6; ++c)
      largest = std::max(largest, std::abs(superposed.eigenstrain_stress_GPa()[p][c] -
                                           reference.eigenstrain_stress_GPa()[p][c]));
  EXPECT_LT(largest, 1e-12);
  // After a full solve the fast back-end holds the reference's stresses to round-off again.
  superposed.resolve_from_scratch();
  for (std::size_t p = 0; p < n * n * n; ++p)
    for (std::size_t c = 0; c < 6; ++c)
      EXPECT_NEAR(superposed.eigenstrain_stress_GPa()[p][c], reference.eigenstrain_stress_GPa()[p][c], 1e-13);
}

TEST(PeriodicFourierBackend, AddEigenstrainMatchesUpdateEigenstrain)
{
  // The two ways of changing a few eigenstrains give the same eigenstrains and stresses.
  const std::size_t n = 6;
  const auto alpha = alpha_field(n * n * n, 2e-5);
  PeriodicFourierBackend a(MPI_COMM_WORLD, {n, n, n}, 1.0, K, G, alpha);
  PeriodicFourierBackend b(MPI_COMM_WORLD, {n, n, n}, 1.0, K, G, alpha);
  const std::vector<std::size_t> sites{3, 100, 215};
  std::vector<SymmetricTensor6> increments;
  std::vector<SymmetricTensor6> field(n * n * n, SymmetricTensor6{});
  for (const std::size_t s : sites)
    {
      increments.push_back(random_tensor(s, 0.002));
      field[s] = increments.back();
    }
  a.add_eigenstrain(sites, increments);
  b.update_eigenstrain(field);
  EXPECT_EQ(a.eigenstrain(), b.eigenstrain());
  for (std::size_t p = 0; p < n * n * n; ++p)
    for (std::size_t c = 0; c < 6; ++c)
      EXPECT_NEAR(a.eigenstrain_stress_GPa()[p][c], b.eigenstrain_stress_GPa()[p][c], 1e-14);
  EXPECT_EQ(a.point_update_count(), 1u);
  EXPECT_THROW(a.add_eigenstrain({n * n * n}, {SymmetricTensor6{}}), std::invalid_argument);
}

namespace
{
  /// A periodic 6 nm cube of 1 nm Q1 cells (one site each), uniform K and G, α of every site from
  /// alpha_field() keyed by its global id; direct solver.
  std::unique_ptr<ThermoelasticModel> periodic_fe_cube(const std::size_t n, const bool uniform_moduli = true)
  {
    FiniteElementGeometry geometry;
    geometry.shape = SampleShape::periodic_cube;
    geometry.box_size_nm = {double(n), double(n), double(n)};
    geometry.element_size_nm = 1.0;
    LinearSolverSettings solver;
    solver.kind = LinearSolverKind::direct;
    auto model = std::make_unique<ThermoelasticModel>(MPI_COMM_WORLD, geometry, solver);
    const auto field = alpha_field(n * n * n, 3e-5);
    std::vector<double> alpha, bulk, shear;
    for (const auto &site : model->local_sites())
      {
        alpha.push_back(field[site.global_id]);
        bulk.push_back(uniform_moduli ? K : K * (1.0 + 0.01 * double(site.global_id % 3)));
        shear.push_back(G);
      }
    model->set_thermal_expansion_per_K(alpha);
    model->set_moduli_GPa(bulk, shear);
    return model;
  }
} // namespace

TEST(FiniteElementBackend, PointUpdatesGiveTheEventSequenceOfSolves)
{
  // Independent method: the same periodic FE cube (translation invariant: uniform moduli, one
  // site per cell) cooled by 250 K and heated back with every sweep solved and with superposed
  // unit responses for up to 4 changed sites (resynchronised every 7 updates to exercise both
  // branches). Events, σ_y draws and states must be identical; stresses agree to 1e-9 GPa (the
  // direct solver's rounding, far below the thresholds' spacing), energies to 1e-9 relative.
  const std::size_t n = 6;
  auto slow_model = periodic_fe_cube(n);
  auto fast_model = periodic_fe_cube(n);
  PointUpdatePolicy fast;
  fast.max_sites = 4;
  fast.resynchronise_after = 7;
  FiniteElementBackend reference(*slow_model, MPI_COMM_WORLD);
  FiniteElementBackend superposed(*fast_model, MPI_COMM_WORLD, fast);
  std::vector<double> yield;
  for (const auto &site : reference.local_sites())
    yield.push_back(yield_draw(site.global_id, 1000, 0.0));
  EventRule rule;
  rule.equivalent_strain = 0.002;
  rule.rejuvenation_per_event = 0.3;
  const std::vector<double> state(yield.size(), 0.0);
  AthermalEventEngine slow_engine(reference, yield, state, yield_draw, rule);
  AthermalEventEngine fast_engine(superposed, yield, state, yield_draw, rule);
  EventStatistics slow_stats = slow_engine.ramp(0.0, -250.0);
  EventStatistics fast_stats = fast_engine.ramp(0.0, -250.0);
  EXPECT_NEAR(superposed.elastic_energy_aJ(-250.0), reference.elastic_energy_aJ(-250.0),
              1e-9 * reference.elastic_energy_aJ(-250.0));
  slow_stats += slow_engine.ramp(-250.0, 0.0);
  fast_stats += fast_engine.ramp(-250.0, 0.0);
  ASSERT_GT(slow_stats.events, 20u);
  expect_same_event_sequence(slow_stats, fast_stats, slow_engine, fast_engine, reference, superposed);
  double largest = 0.0;
  for (std::size_t p = 0; p < yield.size(); ++p)
    for (std::size_t c = 0; c < 6; ++c)
      largest = std::max(largest, std::abs(superposed.eigenstrain()[p][c] - reference.eigenstrain()[p][c]));
  EXPECT_LT(largest, 1e-15);  // the same increments, summed in the same order up to rounding
  largest = 0.0;
  for (std::size_t p = 0; p < yield.size(); ++p)
    for (std::size_t c = 0; c < 6; ++c)
      largest = std::max(largest, std::abs(superposed.eigenstrain_stress_GPa()[p][c] -
                                           reference.eigenstrain_stress_GPa()[p][c]));
  std::cout << "largest stress difference, superposed against solved: " << largest << " GPa\n";
  EXPECT_LT(largest, 1e-9);
}

TEST(FiniteElementBackend, PointUpdatesNeedATranslationInvariantSample)
{
  auto model = periodic_fe_cube(4, false);
  PointUpdatePolicy fast;
  fast.max_sites = 4;
  EXPECT_THROW(FiniteElementBackend(*model, MPI_COMM_WORLD, fast), std::invalid_argument);
}
