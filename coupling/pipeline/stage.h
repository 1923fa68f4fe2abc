#pragma once
/// @file
/// A stage of the cryocycle pipeline (calibrate, synthesize, later atomistic, continuum, ...).
/// Each stage declares its own config section, checks every input before any file is written
/// (prepare), then works inside a run directory (run).

#include "core/config_schema.h"
#include "core/config_values.h"
#include "core/run_directory.h"
#include "core/run_manifest.h"
#include "core/timers.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace cryocycle::coupling
{
  /// What a running stage can use.
  struct RunContext
  {
    const core::ConfigValues &config;  ///< the whole resolved config
    const core::RunDirectory &directory;
    core::TimerSections &timers;
    core::RunManifest &manifest;
    std::uint64_t seed;  ///< top-level `seed`
    /// `--resume`: continue an interrupted run from the checkpoints in `directory` (only for
    /// stages whose supports_resume() is true; the pipeline has checked that the directory is a
    /// previous run of the same config).
    bool resume = false;
  };

  class Stage
  {
  public:
    virtual ~Stage() = default;
    /// Top-level config sections the stage reads (besides output_dir and seed).
    virtual std::vector<std::string> sections() const = 0;
    /// Reads and checks every input named by the config; throws core::ConfigError naming the
    /// key. Writes nothing.
    virtual void prepare(const core::ConfigValues &config) = 0;
    /// Does the work and writes its results into the run directory.
    virtual void run(RunContext &context) = 0;
    /// Whether run() uses all MPI ranks. Serial stages run on rank 0 only; the other ranks
    /// check the config too (so every rank exits with the same code) and then wait.
    /// Parallel stages (true) have run() called on every rank of MPI_COMM_WORLD: the run
    /// directory exists on all ranks, RunDirectory::write and the log act on rank 0 only.
    virtual bool uses_mpi() const { return false; }
    /// Whether the stage checkpoints its work and can continue it with `--resume`.
    virtual bool supports_resume() const { return false; }
  };

  /// A registered stage: its name, one-line summary, the declaration of its config section(s)
  /// and a factory.
  struct StageEntry
  {
    std::string name;
    std::string summary;
    std::function<void(core::ConfigSection &root)> declare_config;
    std::function<std::unique_ptr<Stage>()> create;
  };
} // namespace cryocycle::coupling
