// End-to-end tests of `cryocycle continuum` on small meshes: outputs a user opens, physics
// checks against closed forms and the Fourier method, rank independence, refusal of bad inputs
// before anything is written; mode cycles: resume after a real interruption, refused resumes,
// 1 vs 2 ranks.
#include "tests/common/cli_runner.h"
#include "core/csv_table.h"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <fmt/format.h>

#include <array>
#include <chrono>
#include <cmath>
#include <csignal>
#include <set>
#include <string>
#include <thread>

#include <fcntl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace cryocycle::testing;
namespace fs = std::filesystem;

namespace
{
  /// A config for a small sample; `geometry` and `materials` are YAML lines at 4 spaces.
  std::string config(const std::string &geometry, const std::string &materials,
                     const std::string &extra = "")
  {
    return "seed: 11\ncontinuum:\n  geometry:\n" + geometry + "  materials:\n" + materials +
           "  thermal_stress:\n    bootstrap_resamples: 0\n" + extra;
  }

  const std::string small_cube = "    shape: periodic_cube\n    box_size_nm: [4, 4, 4]\n"
                                 "    element_size_nm: 0.5\n";
  const std::string random_alpha =
    "    thermal_expansion_volumetric_per_K: {source: random, mean: 3.0e-5, standard_deviation: "
    "2.0e-5, correlation_length_nm: 1.0}\n";

  double von_mises(const std::array<double, 6> &s)
  {
    const double p = (s[0] + s[1] + s[2]) / 3.0;
    double j2 = 0.0;
    for (int i = 0; i < 3; ++i)
      j2 += 0.5 * (s[i] - p) * (s[i] - p);
    for (int i = 3; i < 6; ++i)
      j2 += s[i] * s[i];
    return std::sqrt(3.0 * j2);
  }

  CliResult run_continuum(const fs::path &folder, const std::string &text, const std::string &out = "run")
  {
    write_text(folder / "config.yaml", text);
    return run_cryocycle("continuum " + (folder / "config.yaml").string() + " --output-dir " +
                         (folder / out).string());
  }
} // namespace

TEST(ContinuumStage, PeriodicCubeWritesTablesFieldsAndAFourierCrossCheck)
{
  const fs::path folder = test_folder();
  fs::remove_all(folder);
  const auto r = run_continuum(folder, config(small_cube, random_alpha));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const fs::path run = folder / "run";
  for (const char *file : {"config.yaml", "manifest.yaml", "log.txt", "summary.txt", "sites.csv",
                           "thermal_stress.yaml", "von_mises_histogram.csv",
                           "fields/thermal_stress.pvd", "fields/thermal_stress_0000.pvtu"})
    EXPECT_TRUE(fs::exists(run / file)) << file;

  const auto sites = cryocycle::core::CsvTable::read(run / "sites.csv");
  ASSERT_EQ(sites.row_count(), 512u);  // (4 nm / 0.5 nm)^3 sites
  // The von Mises column is the von Mises stress of the six stress columns.
  const char *components[6] = {"sigma_xx_GPa", "sigma_yy_GPa", "sigma_zz_GPa",
                               "sigma_yz_GPa", "sigma_xz_GPa", "sigma_xy_GPa"};
  double mean_pressure = 0.0;
  for (std::size_t i = 0; i < sites.row_count(); ++i)
    {
      std::array<double, 6> s{};
      for (int c = 0; c < 6; ++c)
        s[c] = sites.column(components[c])[i];
      EXPECT_NEAR(sites.column("von_mises_GPa")[i], von_mises(s), 1e-12);
      mean_pressure += sites.column("pressure_GPa")[i] / static_cast<double>(sites.row_count());
    }
  const YAML::Node record = YAML::LoadFile((run / "thermal_stress.yaml").string());
  const double vm_scale = record["von_mises_GPa"]["mean"].as<double>();
  EXPECT_GT(vm_scale, 0.0);
  // A free periodic volume carries no mean stress (equal cells, so the site mean is the volume
  // mean); tolerance: solver accuracy relative to the stress scale.
  EXPECT_LT(std::abs(mean_pressure), 1e-6 * vm_scale);
  // Independent method: the periodic Fourier solution of the same site α grid. The field has a
  // correlation length of two elements, so the FE cell averages and the spectral point values
  // differ by discretisation only: within 15% here (the converged agreement is tested in
  // tests/continuum at finer resolution).
  ASSERT_TRUE(record["fourier_cross_check"]) << read_text(run / "thermal_stress.yaml");
  EXPECT_LT(record["fourier_cross_check"]["relative_l2_difference_von_mises"].as<double>(), 0.15);
  EXPECT_EQ(record["sites"].as<std::size_t>(), 512u);
}

TEST(ContinuumStage, UniformExpansionOfAFreeRodIsStressFree)
{
  // Reference: a free body with uniform α and moduli expands without stress; tolerance 1e-9 of
  // the stress scale K α ΔT = 109 GPa · 3e-5 /K · 100 K = 0.33 GPa.
  const fs::path folder = test_folder();
  fs::remove_all(folder);
  const auto r = run_continuum(
    folder,
    config("    shape: rod\n    diameter_nm: 4\n    length_nm: 6\n    element_size_nm: 1\n",
           "    thermal_expansion_volumetric_per_K: {source: constant, value: 3.0e-5}\n"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const YAML::Node record = YAML::LoadFile((folder / "run" / "thermal_stress.yaml").string());
  EXPECT_LT(record["von_mises_GPa"]["maximum"].as<double>(), 1e-9 * 0.33);
  EXPECT_LT(std::abs(record["elastic_energy_aJ"].as<double>()), 1e-12);
  // Zero stress has no Lomax tail: the failed fit is reported, the run still succeeds.
  EXPECT_TRUE(record["failed_fits"]["lomax"]) << read_text(folder / "run" / "thermal_stress.yaml");
}

TEST(ContinuumStage, StressIsLinearInTheTemperatureChange)
{
  // Reference: linear thermo-elasticity; doubling ΔT doubles every stress component (the same
  // seed gives the same α field).
  const fs::path folder = test_folder();
  fs::remove_all(folder);
  const auto cold = run_continuum(folder, config(small_cube, random_alpha, "    temperature_K: 200\n"), "a");
  const auto colder = run_continuum(folder, config(small_cube, random_alpha, "    temperature_K: 100\n"), "b");
  ASSERT_EQ(cold.exit_code, 0) << cold.output;
  ASSERT_EQ(colder.exit_code, 0) << colder.output;
  const auto a = cryocycle::core::CsvTable::read(folder / "a" / "sites.csv");
  const auto b = cryocycle::core::CsvTable::read(folder / "b" / "sites.csv");
  ASSERT_EQ(a.row_count(), b.row_count());
  for (std::size_t i = 0; i < a.row_count(); ++i)
    EXPECT_NEAR(b.column("von_mises_GPa")[i], 2.0 * a.column("von_mises_GPa")[i],
                1e-8 * a.column("von_mises_GPa")[i] + 1e-14);
}

TEST(ContinuumStage, TwoRanksGiveTheSameSitesAsOne)
{
  // Sites are keyed by a rank-independent id and the tables sorted by it, so 1 and 2 ranks give
  // the same rows; stresses agree within the iterative solver tolerance (1e-10 relative).
  const fs::path folder = test_folder();
  fs::remove_all(folder);
  const std::string text =
    config(small_cube, random_alpha + "    bulk_modulus_GPa: {source: random, mean: 108, "
                                      "standard_deviation: 5, correlation_length_nm: 0}\n") +
    "  solver:\n    method: iterative\n";
  write_text(folder / "config.yaml", text);
  const auto one = run_cryocycle("continuum " + (folder / "config.yaml").string() + " -o " +
                                 (folder / "one").string());
  const auto two = run_cryocycle_mpi(2, "continuum " + (folder / "config.yaml").string() + " -o " +
                                          (folder / "two").string());
  ASSERT_EQ(one.exit_code, 0) << one.output;
  ASSERT_EQ(two.exit_code, 0) << two.output;
  EXPECT_TRUE(fs::exists(folder / "two" / "fields" / "thermal_stress_0000.1.vtu")) << "one piece per rank";
  const auto a = cryocycle::core::CsvTable::read(folder / "one" / "sites.csv");
  const auto b = cryocycle::core::CsvTable::read(folder / "two" / "sites.csv");
  ASSERT_EQ(a.row_count(), b.row_count());
  double scale = 0.0;
  for (const double v : a.column("von_mises_GPa"))
    scale = std::max(scale, v);
  for (std::size_t i = 0; i < a.row_count(); ++i)
    {
      EXPECT_EQ(a.column("global_site_id")[i], b.column("global_site_id")[i]);
      EXPECT_EQ(a.column("bulk_modulus_GPa")[i], b.column("bulk_modulus_GPa")[i]);
      EXPECT_EQ(a.column("alpha_per_K")[i], b.column("alpha_per_K")[i]);
      EXPECT_NEAR(a.column("von_mises_GPa")[i], b.column("von_mises_GPa")[i], 1e-7 * scale);
    }
  const YAML::Node manifest = YAML::LoadFile((folder / "two" / "manifest.yaml").string());
  EXPECT_EQ(manifest["mpi_ranks"].as<int>(), 2);
  EXPECT_EQ(manifest["status"].as<std::string>(), "completed");
}

TEST(ContinuumStage, BadInputsAreRefusedBeforeAnythingIsWritten)
{
  const fs::path folder = test_folder();
  fs::remove_all(folder);
  // A 3 x 3 x 3 grid covering 0..2 nm cannot describe a 4 nm cube.
  std::string grid = "x_nm,y_nm,z_nm,alpha_per_K\n";
  for (int k = 0; k < 3; ++k)
    for (int j = 0; j < 3; ++j)
      for (int i = 0; i < 3; ++i)
        grid += std::to_string(i) + "," + std::to_string(j) + "," + std::to_string(k) + ",3e-5\n";
  write_text(folder / "small_grid.csv", grid);
  struct Case
  {
    std::string name;
    std::string text;
    std::string expected;
  };
  const std::vector<Case> cases{
    {"grid too small",
     config(small_cube, "    thermal_expansion_volumetric_per_K: {source: grid_file, file: small_grid.csv}\n"),
     "small_grid.csv"},
    {"grid file missing",
     config(small_cube, "    thermal_expansion_volumetric_per_K: {source: grid_file}\n"), "needs a file"},
    {"negative moduli",
     config(small_cube, "    shear_modulus_GPa: {source: random, mean: 20, standard_deviation: 10}\n"),
     "non-positive"},
    {"two box edges", config("    shape: plate\n    box_size_nm: [4, 4]\n", ""), "box_size_nm"},
    {"too fine a mesh", config("    shape: rod\n    element_size_nm: 0.001\n", ""), "elements"},
    {"unknown key", config(small_cube + "    element_size: 1\n", ""), "element_size_nm"}};
  for (const auto &c : cases)
    {
      const auto r = run_continuum(folder, c.text, "out");
      EXPECT_EQ(r.exit_code, 2) << c.name << "\n" << r.output;
      EXPECT_NE(r.output.find(c.expected), std::string::npos) << c.name << "\n" << r.output;
      EXPECT_NE(r.output.find("config.yaml:"), std::string::npos) << c.name << ": no file:line\n" << r.output;
      EXPECT_FALSE(fs::exists(folder / "out")) << c.name << ": wrote results";
    }
}

TEST(ContinuumStage, CyclesModeWritesAPerCycleTableAndRefusesImpossibleBackEnds)
{
  const fs::path folder = test_folder();
  fs::remove_all(folder);
  const std::string cycles =
    "seed: 5\ncontinuum:\n  mode: cycles\n  geometry:\n    shape: periodic_cube\n    box_size_nm: [6, 6, 6]\n"
    "    element_size_nm: 1\n  materials:\n    thermal_expansion_volumetric_per_K: {source: random, mean: 3.0e-5, "
    "standard_deviation: 3.0e-5, correlation_length_nm: 0}\n  cycles:\n    count: 4\n"
    "    yield_stress_family: gaussian\n    yield_stress_relaxed: [0.25, 0.05]\n"
    "    yield_stress_rejuvenated: [0.18, 0.06]\n";
  const auto r = run_continuum(folder, cycles);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("periodic Fourier back-end"), std::string::npos) << r.output;
  const auto table = cryocycle::core::CsvTable::read(folder / "run" / "cycles.csv");
  ASSERT_EQ(table.row_count(), 5u);  // the prepared state and 4 cycles
  EXPECT_EQ(table.column("events_cooling")[0], 0.0);
  EXPECT_GT(table.column("events_cooling")[1], 0.0);
  // The stored energy follows the mean state between the relaxed (0) and rejuvenated
  // (1000 J/mol, the default) energies.
  for (std::size_t i = 0; i < table.row_count(); ++i)
    EXPECT_NEAR(table.column("stored_energy_J_per_mol")[i], 1000.0 * table.column("mean_state")[i], 1e-9);
  EXPECT_TRUE(fs::exists(folder / "run" / "plots" / "cycle_events.gp"));

  // A Fourier back-end for a free rod, and parameters that do not fit the family, are refused.
  const auto rod = run_continuum(folder,
                                 "continuum:\n  mode: cycles\n  backend: fourier\n  geometry:\n    shape: rod\n",
                                 "rod");
  EXPECT_EQ(rod.exit_code, 2) << rod.output;
  EXPECT_NE(rod.output.find("finite_elements"), std::string::npos) << rod.output;
  const auto family = run_continuum(folder,
                                    "continuum:\n  mode: cycles\n  cycles:\n    yield_stress_family: gaussian\n"
                                    "    yield_stress_relaxed: [0.25]\n",
                                    "family");
  EXPECT_EQ(family.exit_code, 2) << family.output;
  EXPECT_NE(family.output.find("takes 2 parameters"), std::string::npos) << family.output;
  EXPECT_FALSE(fs::exists(folder / "rod"));
}

namespace
{
  /// Mode cycles on a small periodic cube with events and relaxation; `backend_and_extra` adds
  /// lines at 2 spaces inside `continuum:` (e.g. the back-end), `alpha` the α source.
  std::string cycles_config(const int count, const std::string &backend, const std::string &box,
                            const std::string &alpha =
                              "{source: random, mean: 3.0e-5, standard_deviation: 3.0e-5, correlation_length_nm: 0}")
  {
    return "seed: 7\ncontinuum:\n  mode: cycles\n  backend: " + backend +
           "\n  geometry:\n    shape: periodic_cube\n    box_size_nm: [" + box + ", " + box + ", " + box +
           "]\n    element_size_nm: 1\n  materials:\n    thermal_expansion_volumetric_per_K: " + alpha +
           "\n  cycles:\n    count: " + std::to_string(count) +
           "\n    activation_volume_nm3: 0.0042\n    yield_stress_family: gaussian\n"
           "    yield_stress_relaxed: [0.25, 0.05]\n    yield_stress_rejuvenated: [0.18, 0.06]\n"
           "    vtu_cycles: [0, 2, -1]\n";
  }

  std::size_t table_rows(const fs::path &csv)
  {
    if (!fs::exists(csv))
      return 0;
    return cryocycle::core::CsvTable::read(csv).row_count();
  }
} // namespace

TEST(ContinuumStage, CyclesResumeAfterSigkillReproducesTheUninterruptedTable)
{
  // Reference: the uninterrupted run. A second run of the same config is killed (SIGKILL, no
  // chance to clean up) as soon as its first checkpoint is on disk, then continued with
  // --resume; its cycles.csv must be byte-identical. FE back-end (CG warm starts, incremental
  // right-hand sides: the hard case for bit-identity), 8³ sites, 8 cycles of ~0.3 s.
  const fs::path folder = test_folder();
  fs::remove_all(folder);
  write_text(folder / "config.yaml", cycles_config(8, "finite_elements", "8"));
  const std::string base = std::string(CRYOCYCLE_EXECUTABLE) + " continuum " + (folder / "config.yaml").string();
  const auto full = run_cryocycle("continuum " + (folder / "config.yaml").string() + " --output-dir " +
                                  (folder / "full").string());
  ASSERT_EQ(full.exit_code, 0) << full.output;

  const fs::path interrupted = folder / "interrupted";
  const fs::path checkpoint = interrupted / "checkpoints" / "continuum_cycles.bin";
  ASSERT_TRUE(run_cryocycle_killed_when_exists({"continuum", (folder / "config.yaml").string(), "--output-dir",
                                                interrupted.string()},
                                               checkpoint, folder / "interrupted.log", std::chrono::seconds(60)))
    << "the run ended before it could be killed";
  ASSERT_TRUE(fs::exists(checkpoint)) << read_text(folder / "interrupted.log");
  const std::size_t at_kill = table_rows(interrupted / "cycles.csv");
  ASSERT_LT(at_kill, 9u) << "the run finished before it could be interrupted";
  EXPECT_EQ(YAML::LoadFile((interrupted / "manifest.yaml").string())["status"].as<std::string>(), "running");

  const auto resumed = run_cryocycle("continuum " + (folder / "config.yaml").string() + " --output-dir " +
                                     interrupted.string() + " --resume");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  EXPECT_NE(resumed.output.find("cycles: resuming after cycle"), std::string::npos) << resumed.output;
  EXPECT_EQ(read_text(interrupted / "cycles.csv"), read_text(folder / "full" / "cycles.csv"))
    << "killed with " << at_kill << " table rows on disk";
  EXPECT_EQ(YAML::LoadFile((interrupted / "manifest.yaml").string())["status"].as<std::string>(),
            "completed (resumed)");
  // The snapshots of cycles 0, 2 and 8 are all in the record, whichever run wrote them.
  const std::string pvd = read_text(interrupted / "fields" / "cycles.pvd");
  for (const std::string name : {"cycle_0000_", "cycle_0002_", "cycle_0008_"})
    EXPECT_NE(pvd.find(name), std::string::npos) << name << "\n" << pvd;
}

#ifdef CRYOCYCLE_MPIEXEC
TEST(ContinuumStage, CyclesResumeOnTwoRanksWithTheDirectSolverReproducesTheUninterruptedTable)
{
  // The same on 2 ranks with the direct solver: the resumed run factorises the stiffness afresh,
  // and that factorisation must be the same bits as the uninterrupted run's (MUMPS on rank 0
  // alone; shared between the ranks it was not). FE back-end, 8³ sites, 8 cycles.
  const fs::path folder = test_folder();
  fs::remove_all(folder);
  write_text(folder / "config.yaml", cycles_config(8, "finite_elements", "8") + "  solver:\n    method: direct\n");
  const std::string config = (folder / "config.yaml").string();
  const auto full = run_cryocycle_mpi(2, "continuum " + config + " --output-dir " + (folder / "full").string());
  ASSERT_EQ(full.exit_code, 0) << full.output;

  const fs::path interrupted = folder / "interrupted";
  const fs::path checkpoint = interrupted / "checkpoints" / "continuum_cycles.bin";
  ASSERT_TRUE(run_cryocycle_mpi_killed_when_exists(2, {"continuum", config, "--output-dir", interrupted.string()},
                                                   checkpoint, folder / "interrupted.log", std::chrono::seconds(60)))
    << "the run ended before it could be killed\n" << read_text(folder / "interrupted.log");
  const std::size_t at_kill = table_rows(interrupted / "cycles.csv");
  ASSERT_LT(at_kill, 9u) << "the run finished before it could be interrupted";

  const auto resumed =
    run_cryocycle_mpi(2, "continuum " + config + " --output-dir " + interrupted.string() + " --resume");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  EXPECT_NE(resumed.output.find("cycles: resuming after cycle"), std::string::npos) << resumed.output;
  EXPECT_EQ(read_text(interrupted / "cycles.csv"), read_text(folder / "full" / "cycles.csv"))
    << "killed with " << at_kill << " table rows on disk";
}
#endif

TEST(ContinuumStage, FourierGreenOperatorIsChosenByTheConfig)
{
  // `fourier_green_operator: continuous` runs the continuous-wave-number operator, whose point
  // response rings along the grid axes: on the same α grid it drives more sites over their
  // threshold than the default q1_hexahedra (the FE discretisation; 3.3× more events at 32³ in
  // bench/RESULTS.md). 10³ sites, 2 cycles each; the resolved config records the choice.
  const fs::path folder = test_folder();
  fs::remove_all(folder);
  std::array<double, 2> events{};
  for (const int continuous : {0, 1})
    {
      const std::string name = continuous ? "continuous" : "default";
      write_text(folder / (name + ".yaml"),
                 cycles_config(2, "fourier", "10") + (continuous ? "  fourier_green_operator: continuous\n" : ""));
      const auto run = run_cryocycle("continuum " + (folder / (name + ".yaml")).string() + " --output-dir " +
                                     (folder / name).string());
      ASSERT_EQ(run.exit_code, 0) << run.output;
      const auto table = cryocycle::core::CsvTable::read(folder / name / "cycles.csv");
      for (const std::string column : {"events_cooling", "events_heating", "events_relaxation"})
        for (const double e : table.column(column))
          events[static_cast<std::size_t>(continuous)] += e;
      const YAML::Node resolved = YAML::LoadFile((folder / name / "config.yaml").string());
      EXPECT_EQ(resolved["continuum"]["fourier_green_operator"].as<std::string>(),
                continuous ? "continuous" : "q1_hexahedra");
    }
  std::printf("events: q1_hexahedra %.0f, continuous %.0f\n", events[0], events[1]);
  EXPECT_GT(events[0], 100.0);
  EXPECT_GT(events[1], 1.5 * events[0]);
}

TEST(ContinuumStage, CyclesResumeIsRefusedWhenACriticalParameterChanged)
{
  // α from a grid file: the config stays the same when the file is edited, so only the
  // checkpoint's fingerprint of the site values can notice; a changed config key is refused by
  // the run directory check. Either way nothing of the interrupted run is touched.
  const fs::path folder = test_folder();
  fs::remove_all(folder);
  const auto grid = [&](const double bump) {
    std::string csv = "x_nm,y_nm,z_nm,alpha_per_K\n";
    for (int k = 0; k < 4; ++k)
      for (int j = 0; j < 4; ++j)
        for (int i = 0; i < 4; ++i)
          csv += fmt::format("{},{},{},{}\n", 0.75 + 1.5 * i, 0.75 + 1.5 * j, 0.75 + 1.5 * k,
                             3e-5 * (1.0 + std::sin(1.0 + i + 2 * j + 3 * k)) + (i + j + k == 0 ? bump : 0.0));
    write_text(folder / "alpha.csv", csv);
  };
  grid(0.0);
  const std::string alpha = "{source: grid_file, file: " + (folder / "alpha.csv").string() + "}";
  write_text(folder / "config.yaml", cycles_config(2, "fourier", "6", alpha));
  const std::string run = "continuum " + (folder / "config.yaml").string() + " --output-dir " + (folder / "run").string();
  ASSERT_EQ(run_cryocycle(run).exit_code, 0);
  const fs::path checkpoint = folder / "run" / "checkpoints" / "continuum_cycles.bin";
  const std::string saved = read_text(checkpoint);
  ASSERT_FALSE(saved.empty());

  grid(1e-6);
  const auto edited = run_cryocycle(run + " --resume");
  EXPECT_NE(edited.exit_code, 0) << edited.output;
  EXPECT_NE(edited.output.find("critical parameter continuum.materials.thermal_expansion_volumetric_per_K"),
            std::string::npos)
    << edited.output;
  EXPECT_EQ(read_text(checkpoint), saved);

  grid(0.0);
  write_text(folder / "config.yaml", cycles_config(2, "fourier", "6", alpha) + "  solver:\n    method: direct\n");
  const auto changed = run_cryocycle(run + " --resume");
  EXPECT_NE(changed.exit_code, 0) << changed.output;
  EXPECT_NE(changed.output.find("differs from the one"), std::string::npos) << changed.output;
  EXPECT_EQ(read_text(checkpoint), saved);

  // Back to the original inputs, the resume is accepted.
  write_text(folder / "config.yaml", cycles_config(2, "fourier", "6", alpha));
  const auto same = run_cryocycle(run + " --resume");
  EXPECT_EQ(same.exit_code, 0) << same.output;
}

namespace
{
  /// cycles.csv of `config` run on 1 and on 2 ranks.
  std::vector<cryocycle::core::CsvTable> cycles_on_one_and_two_ranks(const fs::path &folder, const std::string &config)
  {
    fs::remove_all(folder);
    write_text(folder / "config.yaml", config);
    std::vector<cryocycle::core::CsvTable> tables;
    for (const int ranks : {1, 2})
      {
        const fs::path out = folder / ("ranks_" + std::to_string(ranks));
        const auto r =
          run_cryocycle_mpi(ranks, "continuum " + (folder / "config.yaml").string() + " --output-dir " + out.string());
        EXPECT_EQ(r.exit_code, 0) << r.output;
        tables.push_back(cryocycle::core::CsvTable::read(out / "cycles.csv"));
      }
    return tables;
  }
} // namespace

TEST(ContinuumStage, CyclesGiveTheSameEventsOnOneAndTwoRanks)
{
  // Random streams are keyed by global site id, never by rank, and the event search takes
  // global minima: 1 and 2 ranks must flip the same sites. FE back-end (sites split between the
  // ranks), 6³ sites, 3 cycles with events and relaxation. Event and relaxation counts are
  // compared exactly; sums of doubles may differ in the last bits (reduction order), 1e-9.
  const auto tables = cycles_on_one_and_two_ranks(test_folder(), cycles_config(3, "finite_elements", "6"));
  ASSERT_EQ(tables[0].row_count(), 4u);
  ASSERT_EQ(tables[1].row_count(), 4u);
  double events = 0.0;
  for (const std::string column : {"events_cooling", "events_heating", "events_relaxation", "relaxations"})
    for (std::size_t i = 0; i < 4; ++i)
      {
        EXPECT_EQ(tables[0].column(column)[i], tables[1].column(column)[i]) << column << " cycle " << i;
        events += column == "relaxations" ? 0.0 : tables[0].column(column)[i];
      }
  EXPECT_GT(events, 30.0);  // measured 46
  for (const std::string column : {"mean_state", "yield_median_GPa", "mean_plastic_strain", "elastic_energy_aJ"})
    for (std::size_t i = 0; i < 4; ++i)
      EXPECT_NEAR(tables[0].column(column)[i], tables[1].column(column)[i],
                  1e-9 * std::abs(tables[0].column(column)[i]) + 1e-15)
        << column << " cycle " << i;
}

TEST(ContinuumStage, FourierCyclesAreTheSameOnOneAndTwoRanks)
{
  // The Fourier back-end deals the z-planes out to the ranks in turn; the deferred event search
  // then runs on both ranks with the events of both (every block holds sites of both ranks),
  // and every full solve is the same serial FFT on every rank. A site's stress does not depend
  // on when it was searched, superpositions run in grid order and the elastic energy is summed
  // in site order: so every stress, event and draw is the same bits, and the table equals
  // exactly except for the sums over sites that MPI reduces (last bits, 1e-12). 10³ sites,
  // 3 cycles with events and relaxation.
  const auto tables = cycles_on_one_and_two_ranks(test_folder(), cycles_config(3, "fourier", "10"));
  ASSERT_EQ(tables[0].row_count(), 4u);
  ASSERT_EQ(tables[1].row_count(), 4u);
  double events = 0.0;
  for (const std::string column : {"events_cooling", "events_heating", "events_relaxation"})
    for (std::size_t i = 0; i < 4; ++i)
      events += tables[0].column(column)[i];
  EXPECT_GT(events, 300.0);
  ASSERT_EQ(tables[0].column_names(), tables[1].column_names());
  const std::set<std::string> reduced{"work_aJ",
                                      "residual_work_aJ",
                                      "mean_state",
                                      "mean_plastic_strain",
                                      "residual_von_mises_mean_GPa",
                                      "residual_von_mises_std_GPa",
                                      "stored_energy_J_per_mol",
                                      "stored_energy_change_J_per_mol"};
  for (const auto &column : tables[0].column_names())
    for (std::size_t i = 0; i < 4; ++i)
      if (reduced.count(column) > 0)
        EXPECT_NEAR(tables[0].column(column)[i], tables[1].column(column)[i],
                    1e-12 * std::abs(tables[0].column(column)[i]) + 1e-18)
          << column << " cycle " << i;
      else
        EXPECT_EQ(tables[0].column(column)[i], tables[1].column(column)[i]) << column << " cycle " << i;
}
