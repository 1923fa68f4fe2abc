#include "core/mpi_reduction.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace cryocycle::core
{
  std::vector<double> gather_to_root(MPI_Comm communicator, const std::vector<double> &local)
  {
    int ranks = 1;
    int rank = 0;
    MPI_Comm_size(communicator, &ranks);
    MPI_Comm_rank(communicator, &rank);
    const int count = static_cast<int>(local.size());
    std::vector<int> counts(static_cast<std::size_t>(ranks), 0);
    MPI_Gather(&count, 1, MPI_INT, counts.data(), 1, MPI_INT, 0, communicator);
    std::vector<int> offsets(static_cast<std::size_t>(ranks), 0);
    for (std::size_t r = 1; r < offsets.size(); ++r)
      offsets[r] = offsets[r - 1] + counts[r - 1];
    std::vector<double> all(rank == 0 ? static_cast<std::size_t>(offsets.back() + counts.back()) : 0);
    MPI_Gatherv(local.data(), count, MPI_DOUBLE, all.data(), counts.data(), offsets.data(), MPI_DOUBLE, 0,
                communicator);
    return all;
  }

  std::vector<double> gather_to_all(MPI_Comm communicator, const std::vector<double> &local)
  {
    int ranks = 1;
    MPI_Comm_size(communicator, &ranks);
    const int count = static_cast<int>(local.size());
    std::vector<int> counts(static_cast<std::size_t>(ranks), 0);
    MPI_Allgather(&count, 1, MPI_INT, counts.data(), 1, MPI_INT, communicator);
    std::vector<int> offsets(static_cast<std::size_t>(ranks), 0);
    for (std::size_t r = 1; r < offsets.size(); ++r)
      offsets[r] = offsets[r - 1] + counts[r - 1];
    std::vector<double> all(static_cast<std::size_t>(offsets.back() + counts.back()));
    MPI_Allgatherv(local.data(), count, MPI_DOUBLE, all.data(), counts.data(), offsets.data(), MPI_DOUBLE,
                   communicator);
    return all;
  }

  double quantile_of_sorted(const std::vector<double> &sorted, const double level)
  {
    if (sorted.empty())
      throw std::invalid_argument("a quantile needs at least one value");
    const double position = std::clamp(level, 0.0, 1.0) * static_cast<double>(sorted.size() - 1);
    const auto below = static_cast<std::size_t>(std::floor(position));
    const std::size_t above = std::min(below + 1, sorted.size() - 1);
    return sorted[below] + (position - static_cast<double>(below)) * (sorted[above] - sorted[below]);
  }
} // namespace cryocycle::core
