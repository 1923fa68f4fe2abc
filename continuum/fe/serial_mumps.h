#pragma once
/// @file
/// A symmetric positive definite sparse matrix, distributed by rows over the ranks of a
/// communicator, factorised once by MUMPS on rank 0 alone and solved there.
///
/// Why one process. MUMPS shared between processes assembles the contribution blocks of its
/// fronts in the order their messages arrive, so two factorisations of the same matrix on two
/// ranks differ in the last bits, and a run resumed from a checkpoint (a fresh factorisation)
/// would drift from the run it continues. On one process the factorisation and every solve are
/// the same bits on every run. (Trilinos Amesos cannot restrict MUMPS to fewer processes in the
/// Debian build, which lacks MPI_Comm_c2f support, so MUMPS is called directly.) The direct
/// solver serves small problems (ThermoelasticModel's direct_solver_max_dofs, 50 000 by
/// default), where one process factorises in about a second; the other ranks wait.

#include <mpi.h>

#include <cstdint>
#include <memory>
#include <vector>

namespace cryocycle::continuum
{
  class SerialMumps
  {
  public:
    /// Gathers the matrix to rank 0 and factorises it there (LDLᵀ of one triangle, nested
    /// dissection ordering by METIS). Each rank passes its owned rows in CSR form with global
    /// indices: `rows[k]` is the global id of local row k, its entries are
    /// [row_start[k], row_start[k + 1]) of `columns` and `values` (both triangles may be given;
    /// the upper one is used). Collective; throws std::runtime_error on every rank if MUMPS fails.
    SerialMumps(MPI_Comm communicator, std::int64_t global_rows, const std::vector<std::int64_t> &rows,
                const std::vector<std::int64_t> &row_start, const std::vector<std::int64_t> &columns,
                const std::vector<double> &values);
    ~SerialMumps();
    SerialMumps(const SerialMumps &) = delete;
    SerialMumps &operator=(const SerialMumps &) = delete;

    /// Solves A x = b: `rhs` and `solution` hold the owned rows in the order of `rows` (they may
    /// be the same array). Collective.
    void solve(const double *rhs, double *solution) const;

  private:
    struct Mumps;
    MPI_Comm communicator_;
    int rank_ = 0;
    std::size_t local_rows_ = 0;
    std::vector<int> counts_, displacements_;  ///< rows per rank (rank 0)
    std::vector<std::int64_t> gathered_rows_;   ///< global ids of all rows, rank by rank (rank 0)
    std::unique_ptr<Mumps> mumps_;              ///< rank 0 only
    mutable std::vector<double> gathered_, dense_;
  };
} // namespace cryocycle::continuum
