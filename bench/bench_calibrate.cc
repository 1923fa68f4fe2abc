// Benchmark of the calibration library: maximum-likelihood fits of 1e6 samples per family,
// one fit with 200 bootstrap resamples of 1e4 samples, and the triggering probability of
// Shang et al. (2018) eq. 10 by quadrature against Monte Carlo at equal precision. Every figure is
// printed with the baseline it is compared to. Run: build/bench/bench_calibrate

#include "calibrate/activation_probability.h"
#include "calibrate/distribution_fit.h"
#include "calibrate/distribution_registry.h"
#include "calibrate/maximum_likelihood.h"
#include "core/build_info.h"
#include "core/random_stream.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <limits>
#include <string>
#include <thread>
#include <vector>

namespace
{
  using namespace cryocycle;

  /// Wall time in seconds of one call, the minimum over `repeats` calls (least disturbed).
  double seconds_of(const std::function<void()>& work, const int repeats = 1)
  {
    double best = std::numeric_limits<double>::infinity();
    for (int r = 0; r < repeats; ++r)
      {
        const auto start = std::chrono::steady_clock::now();
        work();
        const auto stop = std::chrono::steady_clock::now();
        best = std::min(best, std::chrono::duration<double>(stop - start).count());
      }
    return best;
  }

  std::string cpu_model()
  {
    std::ifstream cpuinfo("/proc/cpuinfo");
    std::string line;
    while (std::getline(cpuinfo, line))
      if (line.rfind("model name", 0) == 0)
        {
          const auto colon = line.find(':');
          return colon == std::string::npos ? line : line.substr(colon + 2);
        }
    return "unknown";
  }

  std::vector<double> draw(const calibrate::Distribution& distribution, const std::size_t count)
  {
    auto engine = core::make_random_stream(2024, "bench_calibrate:" + distribution.family());
    std::vector<double> samples(count);
    for (double& x : samples)
      x = distribution.sample(engine);
    return samples;
  }

  void benchmark_large_fits()
  {
    constexpr std::size_t count = 1000000;
    std::printf("\n1. Maximum-likelihood fit of %zu samples (no bootstrap)\n", count);
    std::printf(
        "   baseline: one log-likelihood evaluation sum_i log p(x_i) over the same samples\n");
    std::printf("   %-11s %12s %12s %14s %14s %10s\n", "family", "loglik [ms]", "MLE [s]",
                "MLE/loglik", "full fit [s]", "KS p");
    const std::vector<std::pair<std::string, std::vector<double>>> cases = {
        {"gaussian", {0.0, 1.0}},
        {"lomax", {6.00, 0.411}},     // Shang et al. (2018) Table I, 1e9 K/s
        {"hyperbolic", {0.05, 1.56}}, // Shang et al. (2018) Table I, 1e9 K/s
        {"weibull", {1.5, 2.0}}};
    for (const auto& [family_name, parameters] : cases)
      {
        const auto truth = calibrate::make_distribution(family_name, parameters);
        const std::vector<double> samples = draw(*truth, count);
        volatile double sink = 0.0; // keeps the timed calls observable
        const double log_likelihood_time =
            seconds_of([&] { sink = calibrate::log_likelihood(*truth, samples); }, 5);
        const auto& family = calibrate::builtin_distribution_registry().family(family_name);
        const double mle_time =
            seconds_of([&] { sink = family.fit_maximum_likelihood(samples).log_likelihood; });
        calibrate::FitOptions options;
        options.bootstrap_resamples = 0;
        calibrate::DistributionFit fit;
        const double full_time =
            seconds_of([&] { fit = calibrate::fit_distribution(family_name, samples, options); });
        std::printf("   %-11s %12.2f %12.3f %14.1f %14.3f %10.3g\n", family_name.c_str(),
                    1e3 * log_likelihood_time, mle_time, mle_time / log_likelihood_time, full_time,
                    fit.ks_p_value);
      }
    std::printf("   (full fit = MLE + standard errors + sorting + KS test)\n");
  }

  void benchmark_bootstrap()
  {
    constexpr std::size_t count = 10000;
    constexpr std::size_t resamples = 200;
    std::printf("\n2. Fit of %zu samples with %zu bootstrap resamples\n", count, resamples);
    std::printf(
        "   baseline: the same fit without bootstrap (MLE, standard errors, sorting, KS test);\n"
        "   a resample repeats only the MLE, so the ratio stays below %zu\n",
        resamples + 1);
    for (const std::string family_name : {"lomax", "hyperbolic"})
      {
        const auto truth = family_name == "lomax"
                               ? calibrate::make_distribution("lomax", {6.00, 0.411})
                               : calibrate::make_distribution("hyperbolic", {0.05, 1.56});
        const std::vector<double> samples = draw(*truth, count);
        calibrate::FitOptions without_bootstrap;
        without_bootstrap.bootstrap_resamples = 0;
        calibrate::FitOptions with_bootstrap;
        with_bootstrap.bootstrap_resamples = resamples;
        calibrate::DistributionFit fit;
        const double single = seconds_of(
            [&] { fit = calibrate::fit_distribution(family_name, samples, without_bootstrap); }, 3);
        const double bootstrap = seconds_of(
            [&] { fit = calibrate::fit_distribution(family_name, samples, with_bootstrap); });
        std::printf(
            "   %-11s single fit %8.2f ms, with bootstrap %7.3f s, ratio %6.1f, failures %zu\n",
            family_name.c_str(), 1e3 * single, bootstrap, bootstrap / single,
            fit.bootstrap_failures);
      }
  }

  void benchmark_probability()
  {
    std::printf(
        "\n3. p(sigma_th > sigma_y), Shang et al. (2018) Table I (1e13 K/s: beta 1.61 GPa, lambda 0.10, "
        "gamma 8.15, eta 0.72 GPa)\n");
    const calibrate::LomaxDistribution thermal(8.15, 0.72);
    const calibrate::HyperbolicDistribution yield(0.10, 1.61);
    calibrate::QuadratureResult quadrature;
    const double quadrature_time = seconds_of(
        [&] { quadrature = calibrate::probability_stress_exceeds_yield(thermal, yield); }, 20);
    calibrate::QuadratureResult literal;
    const double literal_time = seconds_of(
        [&] { literal = calibrate::probability_shang2018_eq11(1.61, 0.10, 8.15, 0.72); }, 20);
    std::printf("   quadrature F_y p_th : p = %.10e, error bound %.1e, %.3f ms\n", quadrature.value,
                quadrature.error_bound, 1e3 * quadrature_time);
    std::printf("   literal eq. 11      : p = %.10e, error bound %.1e, %.3f ms\n", literal.value,
                literal.error_bound, 1e3 * literal_time);

    // Monte Carlo: a pilot run gives the per-sample standard deviation of the conditional
    // estimator, from which the sample count for a target precision follows.
    const std::size_t pilot_samples = 100000;
    const calibrate::MonteCarloEstimate pilot =
        calibrate::monte_carlo_probability(thermal, yield, pilot_samples, 1);
    const double per_sample_deviation =
        pilot.standard_error * std::sqrt(static_cast<double>(pilot_samples));
    const double target_relative_error = 1e-3;
    const auto samples_for = [&](const double relative_error) {
      const double absolute = relative_error * quadrature.value;
      return per_sample_deviation * per_sample_deviation / (absolute * absolute);
    };
    const auto monte_carlo_samples =
        static_cast<std::size_t>(std::ceil(samples_for(target_relative_error)));
    calibrate::MonteCarloEstimate estimate;
    const double monte_carlo_time = seconds_of([&] {
      estimate = calibrate::monte_carlo_probability(thermal, yield, monte_carlo_samples, 2);
    });
    std::printf(
        "   Monte Carlo (conditional estimator) at %.0e relative standard error: %zu samples, "
        "p = %.6e +- %.1e, %.3f s\n",
        target_relative_error, monte_carlo_samples, estimate.value, estimate.standard_error,
        monte_carlo_time);
    std::printf("   baseline: quadrature time. Monte Carlo / quadrature at 1e-3 relative: %.0f\n",
                monte_carlo_time / quadrature_time);
    const double quadrature_relative_error =
        std::max(quadrature.error_bound / quadrature.value, 1e-16);
    const double equal_precision_samples = samples_for(quadrature_relative_error);
    const double equal_precision_time =
        monte_carlo_time * equal_precision_samples / static_cast<double>(monte_carlo_samples);
    std::printf(
        "   at the quadrature's own precision (%.1e relative) Monte Carlo would need %.1e samples, "
        "~%.1e s: ratio %.1e (extrapolated as 1/error^2)\n",
        quadrature_relative_error, equal_precision_samples, equal_precision_time,
        equal_precision_time / quadrature_time);
  }
} // namespace

int main()
{
  std::printf("bench_calibrate: cryocycle %s (%s), %s build, %s\n",
              core::cryocycle_version().c_str(), core::git_commit().c_str(),
              core::build_type().c_str(), core::compiler().c_str());
  std::printf("machine: %s, %u hardware threads (the calibration runs on one)\n",
              cpu_model().c_str(), std::thread::hardware_concurrency());
  benchmark_large_fits();
  benchmark_bootstrap();
  benchmark_probability();
  return 0;
}
