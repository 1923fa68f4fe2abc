// Throughput of cryocycle's LAMMPS driver against the `lmp` executable on the same MD runs
// (Wahnström LJ glass former, Cu–Zr Mendelev eam/fs), 1 and 2 MPI ranks, and the wall time of a
// 10 000-atom Cu–Zr quench at 1e13 and 1e12 K/s extrapolated from the measured throughput.
//
//   bench_atomistic                 runs everything (launches itself and lmp under mpiexec;
//                                   this process does not initialise MPI)
//   bench_atomistic --prepare SYSTEM DATA          writes the start state (under mpiexec)
//   bench_atomistic --driver SYSTEM DATA STEPS DECK   one timed driver run (under mpiexec); its
//                                                   command history is written to DECK
//
// The lmp run replays the driver's own command history (LammpsSession::history()), so both sides
// do exactly the same LAMMPS work: the same data file, pair style (with the opt suffix when
// LAMMPS has it), NPT Nosé–Hoover run in 100-step chunks, thermo settings. What differs is only
// what the driver adds: the library calls, the state read back after every chunk, the callbacks.
// Driver time = wall time of MdSystem::ramp; lmp time = sum of LAMMPS's "Loop time" of the runs.
// Throughput = atoms × steps / time.
#include "atomistic/lammps_installation.h"
#include "atomistic/md_system.h"
#include "atomistic/potential_registry.h"

#include <fmt/format.h>
#include <mpi.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>
#include <string>

namespace fs = std::filesystem;
namespace md = cryocycle::atomistic;

namespace
{
  constexpr int sample_every = 100;

  struct BenchSystem
  {
    std::string name;
    std::string potential;
    std::int64_t atoms;
    double temperature_K;  // of the timed NPT run
    int steps;
  };

  const std::vector<BenchSystem> systems{
    // LJ: a glass at T* = 0.3 (ε = 1 eV mapping), 4000 atoms.
    {"lj", "wahnstrom_lj", 4000, 0.3 * 11604.518, 5000},
    // Cu–Zr: a supercooled liquid at 1200 K, 10 000 atoms (Shang et al. 2021's size).
    {"cuzr", "cuzr_eam", 10000, 1200.0, 1000}};

  const BenchSystem &find_system(const std::string &name)
  {
    for (const auto &s : systems)
      if (s.name == name)
        return s;
    throw std::invalid_argument("unknown system " + name);
  }

  std::string suffix() { return md::lammps_has_package("OPT") ? "opt" : ""; }

  std::string capture(const std::string &command);

  /// Writes the start state of `system`: random liquid, overlaps removed, a short NPT run at the
  /// bench temperature so both sides start from a relaxed state with velocities.
  int prepare(const std::string &name, const fs::path &data)
  {
    const auto &b = find_system(name);
    md::LammpsSession session(MPI_COMM_WORLD, {std::nullopt, suffix()});
    const auto p = md::builtin_potential_registry().create(b.potential, {});
    md::MdSystem system(session, p, md::MdSettings::for_potential(p));
    system.create_random_liquid(b.atoms, p.liquid_number_density_per_nm3, 7);
    system.create_velocities(b.temperature_K, 7);
    system.ramp(b.temperature_K, b.temperature_K, 2000 * system.settings().timestep_ps, md::Ensemble::npt,
                md::Thermostat::nose_hoover, 1000 * system.settings().timestep_ps, nullptr);
    system.write_data(data);
    return 0;
  }

  /// One timed driver run; prints "driver_seconds <s>" on rank 0 and writes the commands it
  /// issued to `deck` (an lmp input that repeats the run).
  int driver(const std::string &name, const fs::path &data, int steps, const fs::path &deck)
  {
    const auto &b = find_system(name);
    md::LammpsSession session(MPI_COMM_WORLD, {std::nullopt, suffix()});
    const auto p = md::builtin_potential_registry().create(b.potential, {});
    md::MdSystem system(session, p, md::MdSettings::for_potential(p));
    system.read_data(data);
    double sink = 0.0;
    MPI_Barrier(MPI_COMM_WORLD);
    const auto start = std::chrono::steady_clock::now();
    system.ramp(b.temperature_K, b.temperature_K, steps * system.settings().timestep_ps, md::Ensemble::npt,
                md::Thermostat::nose_hoover, sample_every * system.settings().timestep_ps,
                [&](const md::MdObservation &o) { sink += o.potential_energy_eV_per_atom; });
    MPI_Barrier(MPI_COMM_WORLD);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (session.rank() == 0)
      std::cout << fmt::format("driver_seconds {:.6f} atoms {} steps {} check {:.6f}\n", seconds,
                               system.atom_count(), system.steps_run(), sink);
    if (session.rank() == 0)
      {
        std::ofstream out(deck);
        for (const auto &line : session.history())
          out << line << '\n';
      }
    return 0;
  }

  std::string capture(const std::string &command)
  {
    std::string out;
    FILE *pipe = popen((command + " 2>&1").c_str(), "r");
    std::array<char, 4096> buffer{};
    while (pipe != nullptr && fgets(buffer.data(), buffer.size(), pipe) != nullptr)
      out += buffer.data();
    if (pipe != nullptr)
      pclose(pipe);
    return out;
  }

  double number_after(const std::string &text, const std::string &pattern)
  {
    std::smatch m;
    if (!std::regex_search(text, m, std::regex(pattern)))
      throw std::runtime_error("cannot find '" + pattern + "' in:\n" + text);
    return std::stod(m[1]);
  }

  /// Sum of LAMMPS's "Loop time" over all runs of a log (the driver's history runs in chunks).
  double total_loop_time(const std::string &log)
  {
    const std::regex pattern(R"(Loop time of ([0-9.eE+-]+) on)");
    double total = 0.0;
    int runs = 0;
    for (auto it = std::sregex_iterator(log.begin(), log.end(), pattern); it != std::sregex_iterator(); ++it, ++runs)
      total += std::stod((*it)[1]);
    if (runs == 0)
      throw std::runtime_error("no 'Loop time' in the lmp log:\n" + log);
    return total;
  }

  /// Repeats of every timed run (medians are reported).
  constexpr int repeats = 5;

  int orchestrate(const std::string &self)
  {
    const std::string mpiexec = std::string("OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 ") +
                                CRYOCYCLE_MPIEXEC + " --oversubscribe -np ";
    const fs::path work = fs::temp_directory_path() / "cryocycle_bench_atomistic";
    fs::remove_all(work);
    fs::create_directories(work);
    std::cout << fmt::format("LAMMPS {} (library and {}), suffix: {}\n", md::lammps_installation().version,
                             CRYOCYCLE_LMP_EXECUTABLE, suffix().empty() ? "none" : suffix());
    std::cout << fmt::format("medians of {} alternating runs each\n", repeats);
    std::cout << "system | atoms | steps | ranks | driver (atom-steps/s) | lmp (atom-steps/s) | driver/lmp | driver spread | lmp spread\n";
    double cuzr_best_throughput = 0.0;
    int cuzr_best_ranks = 1;
    for (const auto &b : systems)
      {
        const fs::path data = work / (b.name + ".data");
        capture(mpiexec + "1 " + self + " --prepare " + b.name + " " + data.string());
        if (!fs::exists(data))
          throw std::runtime_error("the start state of " + b.name + " was not written");
        for (const int ranks : {1, 2})
          {
            // Alternating repeats and medians: single 2-rank runs on this shared machine scatter
            // by ±15% (identical lmp runs took 20.4–26.5 s), more than the overhead measured.
            std::vector<double> driver_runs;
            std::vector<double> lmp_runs;
            for (int repeat = 0; repeat < repeats; ++repeat)
              {
                const fs::path deck = work / fmt::format("{}_{}.in", b.name, ranks);
                const std::string d = capture(mpiexec + std::to_string(ranks) + " " + self + " --driver " + b.name +
                                              " " + data.string() + " " + std::to_string(b.steps) + " " +
                                              deck.string());
                driver_runs.push_back(number_after(d, R"(driver_seconds ([0-9.eE+-]+))"));
                const fs::path log = work / fmt::format("{}_{}.log", b.name, ranks);
                capture(mpiexec + std::to_string(ranks) + " " + CRYOCYCLE_LMP_EXECUTABLE + " -in " + deck.string() +
                        " -log " + log.string() + " -screen none -nocite" +
                        (suffix().empty() ? "" : " -sf " + suffix()));
                std::ifstream in(log);
                std::stringstream text;
                text << in.rdbuf();
                lmp_runs.push_back(total_loop_time(text.str()));
              }
            const auto median = [](std::vector<double> v) {
              std::sort(v.begin(), v.end());
              return v[v.size() / 2];
            };
            const double driver_s = median(driver_runs);
            const double lmp_s = median(lmp_runs);
            const double work_atom_steps = static_cast<double>(b.atoms) * b.steps;
            const auto [lmp_low, lmp_high] = std::minmax_element(lmp_runs.begin(), lmp_runs.end());
            const auto [driver_low, driver_high] = std::minmax_element(driver_runs.begin(), driver_runs.end());
            std::cout << fmt::format("{} | {} | {} | {} | {:.3g} | {:.3g} | {:.3f} | {:.0f}% | {:.0f}%", b.name, b.atoms,
                                     b.steps, ranks, work_atom_steps / driver_s, work_atom_steps / lmp_s,
                                     lmp_s / driver_s, 100.0 * (*driver_high - *driver_low) / driver_s,
                                     100.0 * (*lmp_high - *lmp_low) / lmp_s)
                      << std::endl;
            if (b.name == "cuzr" && work_atom_steps / driver_s > cuzr_best_throughput)
              cuzr_best_throughput = work_atom_steps / driver_s, cuzr_best_ranks = ranks;
          }
      }
    // A 10 000-atom quench 2500 K → 300 K with 2 fs steps (Shang et al. 2021 protocol, no melt hold).
    for (const double rate : {1e13, 1e12})
      {
        const double ps = 2200.0 / rate * 1e12;
        const double atom_steps = 1e4 * ps / 0.002;
        std::cout << fmt::format("cuzr quench 10000 atoms at {:.0e} K/s: {:.3g} ps, {:.3g} atom-steps, "
                                 "{:.3g} h at the best measured driver throughput ({} rank(s))\n",
                                 rate, ps, atom_steps, atom_steps / cuzr_best_throughput / 3600.0, cuzr_best_ranks);
      }
    return 0;
  }
} // namespace

int main(int argc, char **argv)
{
  const bool worker = argc >= 4 && (std::string(argv[1]) == "--driver" || std::string(argv[1]) == "--prepare");
  // The orchestrator launches mpiexec; an MPI process of its own would confuse the launched jobs.
  if (worker)
    MPI_Init(&argc, &argv);
  int code = 0;
  try
    {
      if (argc == 6 && std::string(argv[1]) == "--driver")
        code = driver(argv[2], argv[3], std::stoi(argv[4]), argv[5]);
      else if (argc == 4 && std::string(argv[1]) == "--prepare")
        code = prepare(argv[2], argv[3]);
      else
        code = orchestrate(fs::canonical("/proc/self/exe").string());
    }
  catch (const std::exception &e)
    {
      std::cerr << "bench_atomistic: " << e.what() << std::endl;
      code = 1;
    }
  if (worker)
    MPI_Finalize();
  return code;
}
