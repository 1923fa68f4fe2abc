// Frozen-matrix local yield stress on 2 MPI ranks with the in-house relaxation of carved Cu–Zr
// clusters: the clusters of a batch are shared among the ranks, and every site's stress curve
// equals, bit for bit, that of a serial twin (the same test on a one-rank session of each rank).
#include "atomistic/frozen_matrix_yield.h"
#include "atomistic/md_system.h"
#include "atomistic/potential_registry.h"

#include <gtest/gtest.h>
#include <mpi.h>

#include <map>
#include <random>
#include <tuple>

using namespace cryocycle::atomistic;

TEST(FrozenMatrixMpi, InHouseBatchesSharedAmongRanksEqualOneRank)
{
  // Reference: the same measurement on one rank (independent run). Clusters are relaxed alone,
  // whoever owns them, so the trace (site, mode, strain, σ_vm) must agree exactly.
  int ranks = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &ranks);
  ASSERT_EQ(ranks, 2) << "run under mpiexec -n 2";
  const auto p = builtin_potential_registry().create("cuzr_eam", PotentialSettings{});
  AtomicConfiguration sample;
  {
    LammpsSession serial(MPI_COMM_SELF);
    MdSystem system(serial, p, MdSettings::for_potential(p));
    system.create_crystal(3456);  // B2, 12³ cells
    system.minimise(true);
    sample = capture_configuration(serial);
  }
  std::mt19937_64 engine(3);
  std::uniform_real_distribution<double> shift(-0.15, 0.15);
  for (auto &x : sample.positions)
    x += shift(engine);
  FrozenMatrixSettings settings;
  settings.inner_radius = 4.0;
  settings.modes = {simple_shear_mode(0, 1, 1.0), simple_shear_mode(0, 2, -1.0)};
  settings.search.strain_step = 5e-3;
  settings.search.strain_precision = 5e-3;
  settings.search.max_strain = 0.02;
  settings.relaxer = ClusterRelaxer::frozen_density;
  settings.sites_per_batch = 3;
  const auto sites = random_sites(sample.box, 3, 4);
  using Trace = std::map<std::tuple<std::size_t, std::size_t, double>, double>;
  const auto measure = [&](MPI_Comm communicator, std::size_t &minimisations) {
    LammpsSession session(communicator);
    FrozenMatrixYieldTest test(session, p, settings);
    Trace trace;
    test.measure(sample, sites, {},
                 [&](std::size_t site, std::size_t mode, double strain, double, double vm) {
                   trace[{site, mode, strain}] = vm;
                 });
    minimisations = test.statistics().minimisations;
    return trace;
  };
  std::size_t parallel_minimisations = 0, serial_minimisations = 0;
  const auto parallel = measure(MPI_COMM_WORLD, parallel_minimisations);
  const auto serial = measure(MPI_COMM_SELF, serial_minimisations);
  EXPECT_EQ(parallel_minimisations, serial_minimisations);
  ASSERT_EQ(parallel.size(), serial.size());
  ASSERT_GE(parallel.size(), 3u * 2u * 5u);
  for (const auto &[key, vm] : serial)
    {
      ASSERT_EQ(parallel.count(key), 1u);
      EXPECT_EQ(parallel.at(key), vm);
    }
}
