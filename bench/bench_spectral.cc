/// @file
/// Benchmark of the periodic Fourier thermal-stress solver (Shang et al. 2018 eq. 7): median wall time of
/// PeriodicSpectralThermalStress::solve on n^3 grids against a baseline of one forward plus one
/// inverse real FFTW transform of the same grid, with the machine and the peak memory.
/// Run: bench_spectral [max_n]   (default 128; sizes 32, 64, 128 up to max_n)

#include "continuum/fields/periodic_random_field.h"
#include "continuum/spectral/periodic_spectral_solver.h"

#include <fftw3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace
{
  using Clock = std::chrono::steady_clock;

  double seconds_since(const Clock::time_point start)
  {
    return std::chrono::duration<double>(Clock::now() - start).count();
  }

  double median(std::vector<double> values)
  {
    std::sort(values.begin(), values.end());
    const std::size_t middle = values.size() / 2;
    return values.size() % 2 == 1 ? values[middle] : 0.5 * (values[middle - 1] + values[middle]);
  }

  /// First value of a "key : value" line of /proc/cpuinfo, and the number of processors listed.
  std::pair<std::string, int> cpu_description()
  {
    std::ifstream cpuinfo("/proc/cpuinfo");
    std::string line;
    std::string model = "unknown";
    int processors = 0;
    while (std::getline(cpuinfo, line))
      {
        if (line.rfind("processor", 0) == 0)
          ++processors;
        if (model == "unknown" && line.rfind("model name", 0) == 0)
          {
            const std::size_t colon = line.find(':');
            if (colon != std::string::npos)
              model = line.substr(colon + 2);
          }
      }
    return {model, processors};
  }

  /// A /proc/self/status entry such as "VmHWM:   123456 kB", as text.
  std::string process_status(const std::string& key)
  {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
      if (line.rfind(key + ":", 0) == 0)
        {
          const std::size_t start = line.find_first_not_of(" \t", key.size() + 1);
          return start == std::string::npos ? line : line.substr(start);
        }
    return "unavailable";
  }

  /// Median time of one forward r2c plus one inverse c2r transform of an n^3 grid (FFTW_ESTIMATE,
  /// the same plan type the solver uses): the cost floor of any Fourier solve on that grid.
  double fft_pair_seconds(const int n, const int repetitions)
  {
    const std::size_t real_size = static_cast<std::size_t>(n) * n * n;
    const std::size_t spectrum_size = static_cast<std::size_t>(n / 2 + 1) * n * n;
    double* real = fftw_alloc_real(real_size);
    fftw_complex* spectrum = fftw_alloc_complex(spectrum_size);
    const fftw_plan forward = fftw_plan_dft_r2c_3d(n, n, n, real, spectrum, FFTW_ESTIMATE);
    const fftw_plan inverse = fftw_plan_dft_c2r_3d(n, n, n, spectrum, real, FFTW_ESTIMATE);
    for (std::size_t p = 0; p < real_size; ++p)
      real[p] = static_cast<double>(p % 17) - 8.0;
    std::vector<double> times;
    for (int repetition = 0; repetition <= repetitions; ++repetition)
      {
        const Clock::time_point start = Clock::now();
        fftw_execute(forward);
        fftw_execute(inverse);
        // The first pair warms caches and page tables up; it is not counted.
        if (repetition > 0)
          times.push_back(seconds_since(start));
      }
    fftw_destroy_plan(forward);
    fftw_destroy_plan(inverse);
    fftw_free(spectrum);
    fftw_free(real);
    return median(times);
  }
} // namespace

int main(int argc, char** argv)
{
  using namespace cryocycle::continuum;
  const int max_n = argc > 1 ? std::atoi(argv[1]) : 128;

  const auto [cpu_model, processors] = cpu_description();
  std::printf("bench_spectral: periodic Fourier thermal stress (Shang et al. 2018 eq. 7)\n");
  std::printf("machine: %s, %d processors listed, hardware_concurrency %u; single-threaded FFTW\n",
              cpu_model.c_str(), processors, std::thread::hardware_concurrency());
  std::printf("material: K = 110 GPa, G = 33 GPa, dT = -200 K; alpha: Gaussian random field, "
              "mean 3e-5 /K, sd 2e-6 /K, l = 0.5 nm, h = 0.25 nm\n\n");
  std::printf("%6s %10s %10s %10s %10s %10s %10s %7s %7s %10s\n", "grid", "points", "field_s",
              "plan_s", "solve_s", "into_s", "fftpair_s", "ratio", "r_into", "max_vM_GPa");

  for (const int n : {32, 64, 128})
    {
      if (n > max_n)
        break;
      const std::array<std::size_t, 3> shape{static_cast<std::size_t>(n),
                                             static_cast<std::size_t>(n),
                                             static_cast<std::size_t>(n)};
      const std::array<double, 3> spacing{0.25, 0.25, 0.25};
      GaussianRandomFieldSpec spec;
      spec.mean = 3.0e-5;
      spec.standard_deviation = 2.0e-6;
      spec.correlation_length_nm = 0.5;
      spec.seed = 1;

      Clock::time_point start = Clock::now();
      const std::vector<double> alpha = periodic_gaussian_random_field(shape, spacing, spec);
      const double field_seconds = seconds_since(start);

      start = Clock::now();
      PeriodicSpectralThermalStress solver(shape, spacing);
      const double plan_seconds = seconds_since(start);

      const int repetitions = n <= 32 ? 21 : (n <= 64 ? 11 : 7);
      std::vector<double> solve_times;
      std::vector<double> reuse_times;
      ThermalStressField reused;
      for (int repetition = 0; repetition <= repetitions; ++repetition)
        {
          // The first run of each kind warms caches and page tables up; it is not counted.
          start = Clock::now();
          const ThermalStressField field = solver.solve(alpha, 110.0, 33.0, -200.0);
          if (repetition > 0)
            solve_times.push_back(seconds_since(start));
          start = Clock::now();
          solver.solve_into(alpha, 110.0, 33.0, -200.0, reused);
          if (repetition > 0)
            reuse_times.push_back(seconds_since(start));
        }
      const double max_von_mises =
        *std::max_element(reused.von_mises_GPa.begin(), reused.von_mises_GPa.end());
      const double solve_seconds = median(solve_times);
      const double reuse_seconds = median(reuse_times);
      const double pair_seconds = fft_pair_seconds(n, 2 * repetitions);
      std::printf("%4d^3 %10zu %10.4g %10.3g %10.4g %10.4g %10.4g %7.2f %7.2f %10.4g\n", n,
                  alpha.size(), field_seconds, plan_seconds, solve_seconds, reuse_seconds,
                  pair_seconds, solve_seconds / pair_seconds, reuse_seconds / pair_seconds,
                  max_von_mises);
    }
  std::printf("\nfield_s: random-field generation (one seeded stream per point + FFT filter)\n"
              "plan_s: solver construction (FFTW_ESTIMATE plans, buffers)\n"
              "solve_s: solve() returning a new field; into_s: solve_into() reusing the output\n"
              "fftpair_s: one forward r2c + one inverse c2r transform of the grid (baseline)\n"
              "all medians, first run discarded; ratio = solve_s / fftpair_s, r_into = into_s / "
              "fftpair_s\n(a solve is 1 forward + 5 inverse transforms plus pointwise work: "
              "ideal ratio ~3)\n");
  std::printf("peak memory (VmHWM): %s\n", process_status("VmHWM").c_str());
  return 0;
}
