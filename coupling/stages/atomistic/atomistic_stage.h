#pragma once
/// @file
/// `cryocycle atomistic`: molecular dynamics with LAMMPS (library API) under MPI.
/// Tasks, run in this order when listed in `atomistic.tasks`:
///  - prepare: glass by quenching a melt (V(T), E(T) table, T_g from the slope change, data file
///    and inherent-structure energy) — or a perfect crystal for control runs;
///  - cycle: thermal cycling of Shang et al. (2021) (E_N, inherent-structure energy, volume, ΔE_N per cycle)
///    with a checkpoint after every cycle and `--resume`;
///  - expansion: macroscopic volumetric TEC from V(T) on a reversible path with the loop check.
/// Runs on every MPI rank (LAMMPS domain decomposition); rank 0 writes the results.

#include "coupling/pipeline/stage.h"

namespace cryocycle::coupling
{
  StageEntry atomistic_stage_entry();
} // namespace cryocycle::coupling
