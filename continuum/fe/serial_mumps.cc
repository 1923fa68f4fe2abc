#include "continuum/fe/serial_mumps.h"

#include <dmumps_c.h>
#include <fmt/format.h>

#include <stdexcept>
#include <string>

namespace cryocycle::continuum
{
  struct SerialMumps::Mumps
  {
    DMUMPS_STRUC_C id{};
    std::vector<MUMPS_INT> row, column;
    std::vector<double> value;
    bool initialised = false;

    // MUMPS numbers ICNTL, INFOG from 1.
    MUMPS_INT &icntl(const int i) { return id.icntl[i - 1]; }
    int status() const { return id.infog[0]; }
  };

  namespace
  {
    /// MPI_Gatherv of `local` to rank 0 with the given counts.
    template <typename T>
    std::vector<T> gather(MPI_Comm communicator, const std::vector<T> &local, MPI_Datatype type, int rank, int size)
    {
      int count = static_cast<int>(local.size());
      std::vector<int> counts(static_cast<std::size_t>(size)), displacements(static_cast<std::size_t>(size));
      MPI_Gather(&count, 1, MPI_INT, counts.data(), 1, MPI_INT, 0, communicator);
      std::vector<T> all;
      if (rank == 0)
        {
          int total = 0;
          for (int r = 0; r < size; ++r)
            {
              displacements[static_cast<std::size_t>(r)] = total;
              total += counts[static_cast<std::size_t>(r)];
            }
          all.resize(static_cast<std::size_t>(total));
        }
      MPI_Gatherv(local.data(), count, type, all.data(), counts.data(), displacements.data(), type, 0, communicator);
      return all;
    }
  } // namespace

  SerialMumps::SerialMumps(MPI_Comm communicator, const std::int64_t global_rows, const std::vector<std::int64_t> &rows,
                           const std::vector<std::int64_t> &row_start, const std::vector<std::int64_t> &columns,
                           const std::vector<double> &values)
    : communicator_(communicator)
    , local_rows_(rows.size())
  {
    int size = 1;
    MPI_Comm_rank(communicator_, &rank_);
    MPI_Comm_size(communicator_, &size);
    if (row_start.size() != rows.size() + 1 || columns.size() != values.size() ||
        static_cast<std::size_t>(row_start.back()) != columns.size())
      throw std::invalid_argument("SerialMumps: inconsistent CSR arrays");
    if (global_rows > std::int64_t{2147483647})
      throw std::invalid_argument(fmt::format("SerialMumps: {} rows are beyond MUMPS' 32-bit indices", global_rows));

    // The upper triangle as 1-based triplets, gathered to rank 0.
    std::vector<int> triplet_row, triplet_column;
    std::vector<double> triplet_value;
    for (std::size_t k = 0; k < rows.size(); ++k)
      for (auto e = row_start[k]; e < row_start[k + 1]; ++e)
        if (columns[static_cast<std::size_t>(e)] >= rows[k])
          {
            triplet_row.push_back(static_cast<int>(rows[k] + 1));
            triplet_column.push_back(static_cast<int>(columns[static_cast<std::size_t>(e)] + 1));
            triplet_value.push_back(values[static_cast<std::size_t>(e)]);
          }
    std::vector<int> all_row = gather(communicator_, triplet_row, MPI_INT, rank_, size);
    std::vector<int> all_column = gather(communicator_, triplet_column, MPI_INT, rank_, size);
    std::vector<double> all_value = gather(communicator_, triplet_value, MPI_DOUBLE, rank_, size);

    // Where each rank's rows go in a solve.
    int count = static_cast<int>(rows.size());
    counts_.assign(static_cast<std::size_t>(size), 0);
    displacements_.assign(static_cast<std::size_t>(size), 0);
    MPI_Gather(&count, 1, MPI_INT, counts_.data(), 1, MPI_INT, 0, communicator_);
    gathered_rows_ = gather(communicator_, rows, MPI_INT64_T, rank_, size);
    if (rank_ == 0)
      for (int r = 1; r < size; ++r)
        displacements_[static_cast<std::size_t>(r)] =
          displacements_[static_cast<std::size_t>(r - 1)] + counts_[static_cast<std::size_t>(r - 1)];

    int status = 0;
    std::string message;
    if (rank_ == 0)
      {
        mumps_ = std::make_unique<Mumps>();
        auto &m = *mumps_;
        m.row = std::move(all_row);
        m.column = std::move(all_column);
        m.value = std::move(all_value);
        m.id.comm_fortran = static_cast<MUMPS_INT>(MPI_Comm_c2f(MPI_COMM_SELF));
        m.id.par = 1;  // the host works
        m.id.sym = 1;  // symmetric positive definite
        m.id.job = -1;
        dmumps_c(&m.id);
        m.initialised = true;
        status = m.status();
        if (status >= 0)
          {
            m.icntl(1) = -1;  // no error, diagnostic, global or statistics output
            m.icntl(2) = -1;
            m.icntl(3) = -1;
            m.icntl(4) = 0;
            m.icntl(7) = 5;  // METIS nested dissection: low fill for a 3D stiffness
            m.id.n = static_cast<MUMPS_INT>(global_rows);
            m.id.nnz = static_cast<MUMPS_INT8>(m.value.size());
            m.id.irn = m.row.data();
            m.id.jcn = m.column.data();
            m.id.a = m.value.data();
            m.id.job = 4;  // analysis and factorisation
            dmumps_c(&m.id);
            status = m.status();
          }
        if (status < 0)
          message = fmt::format("MUMPS factorisation of the stiffness matrix failed (INFOG(1) = {}, INFOG(2) = {})",
                                status, m.id.infog[1]);
      }
    MPI_Bcast(&status, 1, MPI_INT, 0, communicator_);
    if (status < 0)
      throw std::runtime_error(rank_ == 0 ? message : "MUMPS factorisation of the stiffness matrix failed (rank 0)");
  }

  SerialMumps::~SerialMumps()
  {
    if (mumps_ && mumps_->initialised)
      {
        mumps_->id.job = -2;
        dmumps_c(&mumps_->id);
      }
  }

  void SerialMumps::solve(const double *rhs, double *solution) const
  {
    gathered_.resize(rank_ == 0 ? gathered_rows_.size() : 0);
    MPI_Gatherv(rhs, static_cast<int>(local_rows_), MPI_DOUBLE, gathered_.data(), counts_.data(),
                displacements_.data(), MPI_DOUBLE, 0, communicator_);
    int status = 0;
    if (rank_ == 0)
      {
        auto &m = *mumps_;
        dense_.assign(static_cast<std::size_t>(m.id.n), 0.0);
        for (std::size_t k = 0; k < gathered_rows_.size(); ++k)
          dense_[static_cast<std::size_t>(gathered_rows_[k])] = gathered_[k];
        m.id.rhs = dense_.data();
        m.id.nrhs = 1;
        m.id.lrhs = m.id.n;
        m.id.job = 3;
        dmumps_c(&m.id);
        status = m.status();
        for (std::size_t k = 0; k < gathered_rows_.size(); ++k)
          gathered_[k] = dense_[static_cast<std::size_t>(gathered_rows_[k])];
      }
    MPI_Bcast(&status, 1, MPI_INT, 0, communicator_);
    if (status < 0)
      throw std::runtime_error(fmt::format("MUMPS solve failed (INFOG(1) = {})", status));
    MPI_Scatterv(gathered_.data(), counts_.data(), displacements_.data(), MPI_DOUBLE, solution,
                 static_cast<int>(local_rows_), MPI_DOUBLE, 0, communicator_);
  }
} // namespace cryocycle::continuum
