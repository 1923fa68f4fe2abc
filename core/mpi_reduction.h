#pragma once
/// @file
/// Small collective helpers shared by the stages: per-site values of all ranks gathered on rank
/// 0 or on every rank, and quantiles of sorted values (the linear rule between order statistics, Hyndman–Fan
/// type 7).

#include <mpi.h>

#include <vector>

namespace cryocycle::core
{
  /// The values of every rank, concatenated in rank order on rank 0 (empty elsewhere). Collective.
  std::vector<double> gather_to_root(MPI_Comm communicator, const std::vector<double> &local);
  /// The values of every rank, concatenated in rank order on every rank. Collective.
  std::vector<double> gather_to_all(MPI_Comm communicator, const std::vector<double> &local);

  /// Quantile at `level` in [0, 1] of non-empty, ascending `sorted` values.
  double quantile_of_sorted(const std::vector<double> &sorted, double level);
} // namespace cryocycle::core
