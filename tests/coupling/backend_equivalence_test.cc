// The finite-element and the Q1 Fourier back-ends solve the same discrete problem on a periodic
// cube, and both number the sites by their grid index, so every per-site random stream (σ_y
// draws, the random α field, relaxation counts) is the same: configs/rve_cycles.yaml must give the
// same events on either back-end. Reference (independent method): the other back-end; tolerance:
// equal event and relaxation counts, and residual stresses and energies to 1e-6 relative (the FE
// solve converges to 1e-10; the two differ only in round-off).
#include "core/csv_table.h"
#include "tests/common/cli_runner.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>

using namespace cryocycle::testing;
namespace fs = std::filesystem;

namespace
{
  /// The example config with one cycle on back-end `backend`.
  std::string one_cycle_of_the_example(const std::string &backend)
  {
    std::string text = read_text(fs::path(CRYOCYCLE_SOURCE_DIR) / "configs" / "rve_cycles.yaml");
    const auto replace = [&text](const std::string &from, const std::string &to) {
      const auto at = text.find(from);
      if (at == std::string::npos)
        throw std::runtime_error("configs/rve_cycles.yaml no longer holds '" + from + "'");
      text.replace(at, from.size(), to);
    };
    replace("backend: auto", "backend: " + backend);
    replace("count: 30", "count: 1");
    return text;
  }
} // namespace

TEST(BackendEquivalence, RveExampleGivesTheSameEventsOnBothBackends)
{
  const fs::path folder = test_folder();
  fs::remove_all(folder);
  cryocycle::core::CsvTable tables[2];
  const char *backends[2] = {"fourier", "finite_elements"};
  for (int b = 0; b < 2; ++b)
    {
      const fs::path config = folder / (std::string(backends[b]) + ".yaml");
      write_text(config, one_cycle_of_the_example(backends[b]));
      const fs::path run = folder / backends[b];
      const CliResult result = run_cryocycle("continuum " + config.string() + " --output-dir " + run.string());
      ASSERT_EQ(result.exit_code, 0) << result.output;
      tables[b] = cryocycle::core::CsvTable::read(run / "cycles.csv");
    }
  for (const char *column : {"events_cooling", "events_heating", "events_relaxation", "relaxations"})
    {
      EXPECT_EQ(tables[0].column(column), tables[1].column(column)) << column;
      EXPECT_GT(tables[0].column(column).back() + (std::string(column) == "events_relaxation" ? 1.0 : 0.0), 0.0)
        << column << ": the example must exercise it";
    }
  for (const char *column : {"mean_state", "yield_median_GPa", "residual_von_mises_mean_GPa", "elastic_energy_aJ"})
    for (std::size_t row = 0; row < tables[0].column(column).size(); ++row)
      {
        const double fourier = tables[0].column(column)[row], fe = tables[1].column(column)[row];
        EXPECT_NEAR(fe, fourier, 1e-6 * std::max(1e-12, std::abs(fourier))) << column << " row " << row;
      }
  fs::remove_all(folder);
}
