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
    virtual bool uses_mpi() const { return false; }
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
