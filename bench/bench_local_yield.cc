// Frozen-matrix local yield stress: sites per hour of carved batches against the plain method
// (one site at a time in the whole periodic box), side by side on the same Wahnström LJ glass and
// the same sites, with the σ_y of both (rates from CPU time: the machine is shared), and the
// measurement time as a fraction of the MD time that prepared the glass; or the same on a Cu–Zr
// glass (`cuzr`, below).
//
//   bench_local_yield [atoms] [sites]          (default 2200 atoms, 8 sites; one MPI rank or
//                                               under mpiexec)
//   bench_local_yield cuzr GLASS.data [sites]  (a Cu–Zr glass, e.g. the 10 000-atom one of
//                                               configs/cuzr_local.yaml's prepare task; 8 sites)
//
// The Cu–Zr case measures the carved throughput against the whole box directly, in Shang et al. (2018)'s
// geometry (r_c = 10 Å, shell 2 × 7.6 Å), modes +xy +xz +yz, coarse step 4e-3, yield strain to
// 1e-4, forces to 1e-4 eV/Å: the first site one at a time in the whole box (plain LAMMPS, the baseline), the same site
// carved and relaxed by LAMMPS with the far pairs excluded, the same site carved and relaxed
// in-house (frozen_density_relaxer.h), then all sites carved in-house in one batch; σ_y of each
// against the whole box, sites per hour from CPU time.
//
// Settings are those of a real run with Shang et al. (2018)'s geometry mapped to LJ: σ_cg = 5 Å ↔
// r_c = 10 Å = 3.125 σ (σ = 3.2 Å), shell = LJ cut-off 2.5 σ, loading modes +xy, +xz, +yz,
// coarse step 4e-3, bracket 1e-5, drop tolerance 0.01 GPa, forces to 1e-5 eV/Å. The whole-box
// runs (plain, and with frozen–frozen pairs left out of the neighbour lists) take the first site;
// the carved run takes the same site alone (σ_y compared), then all sites in one batch for the
// throughput at scale.
#include "atomistic/frozen_matrix_yield.h"
#include "atomistic/glass_preparation.h"
#include "atomistic/md_system.h"
#include "atomistic/potential_registry.h"

#include <fmt/format.h>
#include <mpi.h>
#include <sys/resource.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <stdexcept>
#include <string>

namespace md = cryocycle::atomistic;
namespace fs = std::filesystem;

namespace
{
  /// CPU seconds of this process (user + system): on a shared, loaded machine the wall time
  /// depends on the other jobs, the CPU time much less.
  double cpu_seconds()
  {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           1e-6 * static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec);
  }

  struct RunFigures
  {
    std::string label;
    std::size_t sites = 0;
    md::FrozenMatrixStatistics statistics;
    double cpu_seconds = 0.0;
    double sites_per_hour() const { return 3600.0 * static_cast<double>(sites) / cpu_seconds; }
    double seconds_per_atom_iteration() const { return cpu_seconds / statistics.atom_iterations; }
  };

  void print(const RunFigures &r)
  {
    const auto &s = r.statistics;
    fmt::print("  {:<34} {:>3} sites  {:>7.1f} s CPU ({:>7.1f} s wall)  {:>8.1f} sites/h (CPU)  {:>5} minimisations  "
               "{:>7.0f} CG iterations  {:>6.0f} atoms/system  {:.3g} µs CPU per atom-iteration\n",
               r.label, r.sites, r.cpu_seconds, s.wall_seconds, r.sites_per_hour(), s.minimisations, s.iterations,
               s.atom_minimisations / std::max<double>(1.0, static_cast<double>(s.minimisations)),
               1e6 * r.seconds_per_atom_iteration());
  }
} // namespace

namespace
{
  /// Carved against whole-box throughput on a Cu–Zr glass read from `data_file` (see the file comment).
  void bench_cuzr(const fs::path &data_file, const std::size_t site_count, const int rank)
  {
    const auto cuzr = md::builtin_potential_registry().create("cuzr_eam", md::PotentialSettings{});
    md::LammpsSession session(MPI_COMM_WORLD);
    md::AtomicConfiguration glass;
    {
      md::MdSystem system(session, cuzr, md::MdSettings::for_potential(cuzr));
      system.read_data(data_file);
      system.minimise(true);
      glass = md::capture_configuration(session);
    }
    md::FrozenMatrixSettings s;
    s.inner_radius = 10.0;
    s.modes = {md::simple_shear_mode(0, 1, 1.0), md::simple_shear_mode(0, 2, 1.0), md::simple_shear_mode(1, 2, 1.0)};
    s.search.strain_step = 4e-3;
    s.search.max_strain = 0.2;
    s.search.strain_precision = 1e-4;
    s.search.drop_tolerance = cuzr.units.pressure_native(0.01);
    s.force_tolerance = 1e-4;
    s.kick_amplitude = 3e-4;
    s.sites_per_batch = site_count;
    const auto sites = md::random_sites(glass.box, site_count, 23);
    const std::vector<md::Vector3> first(sites.begin(), sites.begin() + 1);
    std::vector<RunFigures> figures;
    std::vector<std::vector<md::SiteYield>> results;
    const auto run = [&](const std::string &label, const bool carve, const md::ClusterRelaxer relaxer,
                         const std::vector<md::Vector3> &at) {
      auto settings = s;
      settings.carve = carve;
      settings.exclude_frozen_pairs = carve;  // the whole box is the plain method
      settings.relaxer = relaxer;
      md::FrozenMatrixYieldTest test(session, cuzr, settings);
      const double cpu = cpu_seconds();
      results.push_back(test.measure(glass, at));
      figures.push_back({label, at.size(), test.statistics(), cpu_seconds() - cpu});
      if (rank == 0)
        print(figures.back());
    };
    if (rank == 0)
      fmt::print("bench_local_yield cuzr: {} atoms from {} (box {:.1f} Å), r_c = 10 Å, modes +xy +xz +yz, {} sites\n",
                 glass.size(), data_file.string(), glass.box.high[0] - glass.box.low[0], sites.size());
    run("whole box, one site at a time", false, md::ClusterRelaxer::lammps, first);
    run("carved, LAMMPS, far pairs excluded", true, md::ClusterRelaxer::lammps, first);
    run("carved, in-house (same site)", true, md::ClusterRelaxer::frozen_density, first);
    run(fmt::format("carved, in-house, batched ({} sites)", sites.size()), true, md::ClusterRelaxer::frozen_density,
        sites);
    if (rank != 0)
      return;
    const double gpa = cuzr.units.GPa_per_pressure();
    double worst = 0.0;
    for (std::size_t m = 0; m < s.modes.size(); ++m)
      {
        const auto &w = results[0][0].modes[m];
        fmt::print("  site 0 {}: σ_vm whole box {:.7g} GPa at γ = {:.6f}", s.modes[m].name, w.von_mises * gpa, w.strain);
        for (std::size_t r = 1; r < results.size(); ++r)
          {
            const auto &c = results[r][0].modes[m];
            worst = std::max(worst, std::abs(c.von_mises - w.von_mises) / w.von_mises);
            fmt::print(" | {:.7g} at {:.6f}", c.von_mises * gpa, c.strain);
          }
        fmt::print("\n");
      }
    fmt::print("  largest σ_vm difference to the whole box: {:.2e} (relative)\n", worst);
    const double whole = figures[0].sites_per_hour();
    fmt::print("  speed-up against the whole box one site at a time: carved LAMMPS {:.1f}×, carved in-house {:.1f}×, "
               "carved in-house batched {:.1f}×; target ≥ 5×: ratio {:.2f}\n",
               figures[1].sites_per_hour() / whole, figures[2].sites_per_hour() / whole,
               figures[3].sites_per_hour() / whole, figures[3].sites_per_hour() / whole / 5.0);
  }
} // namespace

int main(int argc, char **argv)
{
  MPI_Init(&argc, &argv);
  int rank = 0, ranks = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &ranks);
  if (argc > 1 && std::string(argv[1]) == "cuzr")
    {
      int status = 0;
      try
        {
          if (argc < 3)
            throw std::invalid_argument("bench_local_yield cuzr needs a glass data file");
          bench_cuzr(argv[2], argc > 3 ? std::stoul(argv[3]) : 8, rank);
        }
      catch (const std::exception &e)
        {
          if (rank == 0)
            std::fprintf(stderr, "bench_local_yield cuzr: %s\n", e.what());
          status = 2;
        }
      MPI_Finalize();
      return status;
    }
  std::int64_t atoms = 2200;
  std::size_t site_count = 8;
  try
    {
      if (argc > 1)
        atoms = std::stoll(argv[1]);
      if (argc > 2)
        site_count = std::stoul(argv[2]);
    }
  catch (const std::exception &)
    {
      if (rank == 0)
        std::fprintf(stderr, "usage: bench_local_yield [atoms (2200)] [sites (8)]\n");
      MPI_Finalize();
      return 2;
    }
  {
    const auto lj = md::builtin_potential_registry().create("wahnstrom_lj", md::PotentialSettings{});
    const auto &u = lj.units;
    const auto folder = fs::temp_directory_path() / "cryocycle_bench_local_yield";
    fs::create_directories(folder);

    // The glass: melt at T* = 0.8 for 10 τ, quench at 1e15 K/s (2.7e-3 T*/τ) to T* = 0.05 under
    // NPT, minimised with the box relaxed (its inherent structure).
    md::QuenchProtocol q;
    q.atoms = atoms;
    q.melt_temperature_K = 0.8 * u.kelvin_per_temperature();
    q.melt_time_ps = 10.0 * u.ps_per_time();
    q.quench_rate_K_per_s = 1.0e15;
    q.final_temperature_K = 0.05 * u.kelvin_per_temperature();
    q.sample_interval_ps = 10.0 * u.ps_per_time();
    q.seed = 17;
    md::AtomicConfiguration glass;
    double md_seconds = 0.0;
    {
      md::LammpsSession session(MPI_COMM_WORLD);
      md::MdSystem system(session, lj, md::MdSettings::for_potential(lj));
      const double start = cpu_seconds();
      md::prepare_glass(system, q, folder / "g.data", folder / "g.restart", folder / "gi.data");
      md_seconds = cpu_seconds() - start;
      system.minimise(true);
      glass = md::capture_configuration(session);
    }
    const double quench_ps = md::quench_duration_ps(q);

    md::FrozenMatrixSettings s;
    s.inner_radius = u.length_native(1.0);  // 10 Å
    s.modes = {md::simple_shear_mode(0, 1, 1.0), md::simple_shear_mode(0, 2, 1.0), md::simple_shear_mode(1, 2, 1.0)};
    s.search.strain_step = 4e-3;
    s.search.max_strain = 0.2;
    s.search.strain_precision = 1e-5;
    s.search.drop_tolerance = u.pressure_native(0.01);
    s.force_tolerance = 1e-5 / u.eV_per_energy() / u.length_native(0.1);
    s.kick_amplitude = u.length_native(3e-5);
    s.sites_per_batch = 64;
    const auto sites = md::random_sites(glass.box, site_count, 23);
    const std::vector<md::Vector3> pair(sites.begin(), sites.begin() + 1);

    md::LammpsSession session(MPI_COMM_WORLD);
    std::vector<RunFigures> figures;
    std::vector<std::vector<md::SiteYield>> results;
    const auto run = [&](const std::string &label, bool carve, bool exclude, const std::vector<md::Vector3> &at) {
      auto settings = s;
      settings.carve = carve;
      settings.exclude_frozen_pairs = exclude;
      md::FrozenMatrixYieldTest test(session, lj, settings);
      const double cpu = cpu_seconds();
      results.push_back(test.measure(glass, at));
      figures.push_back({label, at.size(), test.statistics(), cpu_seconds() - cpu});
    };
    run("whole box, one site at a time", false, false, pair);
    run("whole box, frozen pairs excluded", false, true, pair);
    run("carved (the same site alone)", true, true, pair);
    run(fmt::format("carved, batched ({} sites)", sites.size()), true, true, sites);

    if (rank == 0)
      {
        fmt::print("bench_local_yield: {} MPI rank(s); Wahnström LJ glass of {} atoms (box {:.2f} σ), quenched at "
                   "{:.0e} K/s: {:.1f} ps of MD in {:.1f} s CPU\n",
                   ranks, glass.size(), glass.box.high[0] - glass.box.low[0], q.quench_rate_K_per_s, quench_ps,
                   md_seconds);
        fmt::print("  r_c = 10 Å = {:.3f} σ, shell {:.2f} σ, modes +xy +xz +yz, step {}, bracket {}, {} sites\n",
                   s.inner_radius, 2.5, s.search.strain_step, s.search.strain_precision, sites.size());
        for (const auto &f : figures)
          print(f);
        // Same σ_y: the whole box against the carved batch, site by site and mode by mode.
        double worst = 0.0;
        for (std::size_t i = 0; i < pair.size(); ++i)
          for (std::size_t m = 0; m < s.modes.size(); ++m)
            {
              const auto &w = results[0][i].modes[m], &c = results[2][i].modes[m], &x = results[1][i].modes[m];
              worst = std::max({worst, std::abs(c.von_mises - w.von_mises) / w.von_mises,
                                std::abs(x.von_mises - w.von_mises) / w.von_mises});
              fmt::print("  site {} {}: σ_vm whole {:.5g} GPa at γ = {:.5f} | excluded {:.5g} | carved {:.5g} GPa at "
                         "γ = {:.5f} ({})\n",
                         i, s.modes[m].name, w.von_mises * u.GPa_per_pressure(), w.strain,
                         x.von_mises * u.GPa_per_pressure(), c.von_mises * u.GPa_per_pressure(), c.strain,
                         c.kind == md::YieldKind::drop ? "drop" : c.kind == md::YieldKind::peak ? "peak" : "not yielded");
            }
        const double speedup = figures[3].sites_per_hour() / figures[0].sites_per_hour();
        fmt::print("  largest σ_vm difference to the whole box: {:.2e} (relative)\n", worst);
        fmt::print("  speed-up, carved batch against whole box one at a time: {:.1f}× (the same site carved alone {:.1f}×); "
                   "target ≥ 5×: ratio {:.2f}\n",
                   speedup, figures[2].sites_per_hour() / figures[0].sites_per_hour(), speedup / 5.0);
        // Six modes cost twice the three measured; the quench MD scales as 1/Q.
        const double per_site_batch = figures[3].cpu_seconds / static_cast<double>(sites.size());
        const double measured = static_cast<double>(sites.size()) * per_site_batch;
        const double grid = 512.0 * 2.0 * per_site_batch;
        fmt::print("  measurement / preparation MD: these {} sites × 3 modes took {:.3g} s = {:.3g}× the quench MD "
                   "({:.1f} s); an 8³ grid × 6 modes would take {:.3g} s = {:.3g}× the quench MD at 1e15 K/s, "
                   "{:.3g}× at 1e14 K/s, {:.3g}× at 1e13 K/s\n",
                   sites.size(), measured, measured / md_seconds, md_seconds, grid, grid / md_seconds,
                   grid / (10.0 * md_seconds), grid / (100.0 * md_seconds));
      }
  }
  MPI_Finalize();
  return 0;
}
