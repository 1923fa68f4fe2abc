#pragma once
/// @file
/// Result files and summaries of the atomistic stage: CSV tables (physical units, plus reduced
/// columns for Lennard-Jones), YAML records, gnuplot PNG plots. Written on rank 0 through the run
/// directory (a no-op on the other ranks).

#include "atomistic/glass_preparation.h"
#include "atomistic/thermal_cycling.h"
#include "atomistic/thermal_expansion.h"
#include "core/run_directory.h"

#include <string>
#include <vector>

namespace cryocycle::coupling
{
  /// quench.csv (time, set-point and kinetic T, E_pot, V, P along the quench), prepare.yaml
  /// (T_g fits, final state, inherent-structure energy) and plots/quench_volume.png.
  void write_preparation_outputs(const core::RunDirectory &directory, const atomistic::PotentialModel &potential,
                                 const atomistic::QuenchProtocol &protocol, const atomistic::QuenchResult &result,
                                 std::int64_t atoms);
  std::string preparation_summary(const atomistic::PotentialModel &potential, const atomistic::QuenchProtocol &protocol,
                                  const atomistic::QuenchResult &result, std::int64_t atoms);

  /// cycles.csv (final), plots/cycles.png (ΔE_N and ΔE_IS,N against N).
  void write_cycle_outputs(const core::RunDirectory &directory, const atomistic::PotentialModel &potential,
                           const atomistic::CycleProtocol &protocol, const std::vector<atomistic::CycleRecord> &table);
  std::string cycle_summary(const atomistic::PotentialModel &potential, const atomistic::CycleProtocol &protocol,
                            const std::vector<atomistic::CycleRecord> &table);

  /// expansion.csv (both branches), thermal_expansion.yaml (α with its loop check).
  void write_expansion_outputs(const core::RunDirectory &directory, const atomistic::ExpansionProtocol &protocol,
                               const atomistic::ExpansionResult &result);
  std::string expansion_summary(const atomistic::ExpansionProtocol &protocol, const atomistic::ExpansionResult &result);
} // namespace cryocycle::coupling
