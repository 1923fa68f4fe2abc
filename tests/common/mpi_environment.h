#pragma once
// MPI for the LAMMPS-based tests: initialised before the first test, finalised after the last.
#include <gtest/gtest.h>
#include <mpi.h>

namespace cryocycle::testing
{
  class MpiEnvironment : public ::testing::Environment
  {
  public:
    void SetUp() override
    {
      int initialized = 0;
      MPI_Initialized(&initialized);
      if (!initialized)
        MPI_Init(nullptr, nullptr);
    }
    void TearDown() override
    {
      int finalized = 0;
      MPI_Finalized(&finalized);
      if (!finalized)
        MPI_Finalize();
    }
  };
  inline ::testing::Environment *const mpi_environment =
    ::testing::AddGlobalTestEnvironment(new MpiEnvironment);
} // namespace cryocycle::testing
