// The one event engine (event_engine.h) with either resolution on the periodic Fourier back-end:
// its searches and load paths serve explicit sites and homogenised cells alike, and it shears a
// site by the fraction its population reports.
#include "continuum/events/athermal_event_engine.h"
#include "continuum/events/homogenised_event_engine.h"
#include "core/random_stream.h"
#include "tests/common/truncated_normal_thresholds.h"

#include <boost/random/normal_distribution.hpp>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

using namespace cryocycle;
using namespace cryocycle::continuum;

namespace
{
  constexpr double K = 108.92;
  constexpr double G = 26.47;
  constexpr std::size_t n = 8;
  constexpr std::uint64_t seed = 23;

  std::vector<double> alpha_field()
  {
    std::vector<double> alpha(n * n * n);
    for (std::size_t p = 0; p < alpha.size(); ++p)
      {
        auto stream = cryocycle::core::make_random_stream(6, "alpha", p);
        alpha[p] = 3e-5 + 3e-5 * boost::random::normal_distribution<double>(0.0, 1.0)(stream);
      }
    return alpha;
  }

  double yield_draw(const std::uint64_t id, const std::uint64_t draw, const double state)
  {
    auto stream = cryocycle::core::make_random_stream(seed, "yield", id, draw + 1);
    return std::max(0.05, 0.25 * (1.0 - 0.3 * state) + 0.05 * boost::random::normal_distribution<double>(0.0, 1.0)(stream));
  }

  std::vector<double> initial_yield()
  {
    std::vector<double> y(n * n * n);
    for (std::size_t p = 0; p < y.size(); ++p)
      {
        auto stream = cryocycle::core::make_random_stream(seed, "yield", p, 0);
        y[p] = std::max(0.05, 0.25 + 0.05 * boost::random::normal_distribution<double>(0.0, 1.0)(stream));
      }
    return y;
  }

  ThresholdDistribution thresholds() { return test_support::truncated_normal_thresholds(); }

  EventRule rule()
  {
    EventRule r;
    r.equivalent_strain = 0.002;
    r.rejuvenation_per_event = 0.3;
    return r;
  }

  /// The stress field ΔT S_T of a back-end, as a load.
  std::vector<SymmetricTensor6> thermal_load(const ElasticBackend &backend, const double dT)
  {
    auto load = backend.thermal_stress_per_K_GPa();
    for (auto &s : load)
      for (auto &c : s)
        c *= dT;
    return load;
  }

  /// Explicit sites that report half a site's shear per transformation (and one event): with
  /// twice ε0 they must shear exactly as ExplicitSites with ε0.
  class HalfShearSites final : public SitePopulation
  {
  public:
    explicit HalfShearSites(const ElasticBackend &backend)
      : sites_(ids(backend), initial_yield(), std::vector<double>(n * n * n, 0.0), yield_draw)
    {
    }
    std::size_t size() const override { return sites_.size(); }
    double trigger_stress_GPa(std::size_t i) const override { return sites_.trigger_stress_GPa(i); }
    Transformation transform(std::size_t i, double von_mises_GPa, double rejuvenation) override
    {
      return {0.5, sites_.transform(i, von_mises_GPa, rejuvenation).sites};
    }
    Transformation activate(std::size_t i, double von_mises_GPa, double sites, double rejuvenation) override
    {
      return {0.5, sites_.activate(i, von_mises_GPa, sites, rejuvenation).sites};
    }
    void save(std::size_t i, SiteStates &states) const override { sites_.save(i, states); }
    void check_saved(const SiteStates &states) const override { sites_.check_saved(states); }
    std::string restore(std::size_t i, const SiteStates &states, std::size_t k) override
    {
      return sites_.restore(i, states, k);
    }
    const ExplicitSites &sites() const { return sites_; }

  private:
    static std::vector<std::uint64_t> ids(const ElasticBackend &backend)
    {
      std::vector<std::uint64_t> id;
      for (const auto &site : backend.local_sites())
        id.push_back(site.global_id);
      return id;
    }
    ExplicitSites sites_;
  };
} // namespace

TEST(EventEngine, HomogenisedCellsTakeTheDeferredSearchWithTheEagerEvents)
{
  // Independent method: the eager search (every stress exact after every sweep) on a twin of
  // cells of 1e6 sites in quanta of 1e-2. The deferred far field, written for explicit sites,
  // serves cells through the same engine: two cycles of ±250 K in 10 K sub-ramps give the same
  // transformed sites and states in every cell (exactly), and the same stresses (1e-12 GPa:
  // summation order) and triggers (1e-9 relative: a flip truncates the pool at the rank of the
  // cell's stress, which carries that round-off).
  PeriodicFourierBackend deferred_backend(MPI_COMM_WORLD, {n, n, n}, 1.0, K, G, alpha_field());
  PeriodicFourierBackend eager_backend(MPI_COMM_WORLD, {n, n, n}, 1.0, K, G, alpha_field());
  EventRule eager_rule = rule();
  eager_rule.deferred_far_field.enabled = false;
  const HomogenisedCellRule cells{1e6, 1e-2};
  const std::vector<double> state(n * n * n, 0.0);
  HomogenisedEventEngine deferred(deferred_backend, thresholds(), state, rule(), cells, seed);
  HomogenisedEventEngine eager(eager_backend, thresholds(), state, eager_rule, cells, seed);
  std::uint64_t events = 0;
  for (int cycle = 0; cycle < 2; ++cycle)
    for (const auto &[from, to] : {std::pair{0.0, -250.0}, std::pair{-250.0, 0.0}})
      for (int step = 0; step < 25; ++step)
        {
          const double a = from + (to - from) * step / 25.0;
          const double b = from + (to - from) * (step + 1) / 25.0;
          const EventStatistics d = deferred.ramp(a, b);
          const EventStatistics e = eager.ramp(a, b);
          ASSERT_EQ(d.events, e.events) << "sub-ramp " << a << " → " << b << " K";
          EXPECT_NEAR(d.work_aJ, e.work_aJ, 1e-9 * std::abs(e.work_aJ) + 1e-15);
          events += e.events;
        }
  std::printf("%llu site events\n", static_cast<unsigned long long>(events));
  ASSERT_GT(events, 1000000u);
  ASSERT_NE(deferred.deferred_far_field(), nullptr);
  EXPECT_EQ(eager.deferred_far_field(), nullptr);
  EXPECT_GT(deferred.deferred_far_field()->deferred_applications(), 0u);
  for (std::size_t i = 0; i < deferred.cells().size(); ++i)
    {
      EXPECT_EQ(deferred.cells()[i].transformed_sites(), eager.cells()[i].transformed_sites());
      EXPECT_EQ(deferred.cells()[i].state(), eager.cells()[i].state());
      EXPECT_NEAR(deferred.cells()[i].trigger_stress_GPa(), eager.cells()[i].trigger_stress_GPa(),
                  1e-9 * eager.cells()[i].trigger_stress_GPa());
      for (std::size_t c = 0; c < 6; ++c)
        EXPECT_NEAR(deferred_backend.eigenstrain_stress_GPa()[i][c], eager_backend.eigenstrain_stress_GPa()[i][c], 1e-12);
    }
}

TEST(EventEngine, ExplicitSitesFollowALoadPathAsTheUniformRamp)
{
  // Explicit sites get the load paths of heat conduction from the same engine: the path from
  // ΔT0 S_T to ΔT1 S_T is the uniform ramp from ΔT0 to ΔT1, parameterised by x in [0, 1]. Same
  // events per site, σ_y draws and states (exactly) and work (1e-9 relative: the roots are
  // found in another parameter); stress-assisted STs under the load are those at ΔT.
  PeriodicFourierBackend first(MPI_COMM_WORLD, {n, n, n}, 1.0, K, G, alpha_field());
  PeriodicFourierBackend second(MPI_COMM_WORLD, {n, n, n}, 1.0, K, G, alpha_field());
  const std::vector<double> state(n * n * n, 0.0);
  AthermalEventEngine by_ramp(first, initial_yield(), state, yield_draw, rule());
  AthermalEventEngine by_path(second, initial_yield(), state, yield_draw, rule());
  const EventStatistics a = by_ramp.ramp(-20.0, -250.0);
  const EventStatistics b = by_path.ramp_load(thermal_load(second, -20.0), thermal_load(second, -250.0));
  ASSERT_GT(a.events, 20u);
  EXPECT_EQ(a.events, b.events);
  EXPECT_EQ(by_ramp.event_count(), by_path.event_count());
  EXPECT_EQ(by_ramp.yield_stress_GPa(), by_path.yield_stress_GPa());
  EXPECT_NEAR(a.work_aJ, b.work_aJ, 1e-9 * a.work_aJ);
  EXPECT_EQ(by_path.avalanche_at_load(thermal_load(second, -250.0)).events, 0u);

  std::vector<char> flags(state.size(), 0);
  std::vector<double> sites(state.size(), 0.0);
  for (std::size_t i = 0; i < flags.size(); i += 37)
    {
      flags[i] = 1;
      sites[i] = 1.0;
    }
  const EventStatistics c = by_ramp.activate(flags, -250.0);
  const EventStatistics d = by_path.activate_at_load(sites, thermal_load(second, -250.0));
  EXPECT_GE(c.events, 14u);  // every flagged site (all are under shear) and its avalanche
  EXPECT_EQ(c.events, d.events);
  EXPECT_EQ(by_ramp.event_count(), by_path.event_count());
}

TEST(EventEngine, ShearsASiteByTheFractionItsPopulationReports)
{
  // A population that reports half a site's shear per transformation, run with 2 ε0, against
  // explicit sites with ε0: Δε* = (m/n) f ε0 (3/2) dev σ/σ_eq is the same number, so one cycle
  // gives the same events, σ_y draws and eigenstrains, bit for bit.
  PeriodicFourierBackend first(MPI_COMM_WORLD, {n, n, n}, 1.0, K, G, alpha_field());
  PeriodicFourierBackend second(MPI_COMM_WORLD, {n, n, n}, 1.0, K, G, alpha_field());
  AthermalEventEngine whole(first, initial_yield(), std::vector<double>(n * n * n, 0.0), yield_draw, rule());
  EventRule doubled = rule();
  doubled.equivalent_strain *= 2.0;
  auto population = std::make_unique<HalfShearSites>(second);
  const HalfShearSites &half_sites = *population;
  EventEngine half(second, std::move(population), doubled);
  std::uint64_t events = 0;
  for (const auto &[from, to] : {std::pair{0.0, -250.0}, std::pair{-250.0, 0.0}})
    {
      const EventStatistics a = whole.ramp(from, to);
      const EventStatistics b = half.ramp(from, to);
      EXPECT_EQ(a.events, b.events);
      EXPECT_EQ(a.work_aJ, b.work_aJ);
      events += a.events;
    }
  ASSERT_GT(events, 20u);
  EXPECT_EQ(whole.event_count(), half_sites.sites().event_count());
  EXPECT_EQ(whole.yield_stress_GPa(), half_sites.sites().yield_stress_GPa());
  EXPECT_EQ(first.eigenstrain(), second.eigenstrain());
}
