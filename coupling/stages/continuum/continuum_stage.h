#pragma once
/// @file
/// `cryocycle continuum`: the deal.II thermo-elastic finite-element model of a sample (periodic
/// cube, plate/ribbon, rod, disc) with heterogeneous volumetric thermal expansion α and moduli K,
/// G given as constants, CSV grids or correlated Gaussian random fields.
///
/// mode thermal_stress (Shang et al. 2018 §III): the thermal internal stress of one temperature change
/// ΔT = T − T_ref from the stress-free reference temperature; per-site table (sites.csv), von
/// Mises and pressure statistics, elastic energy, the fit of the von Mises distribution (Lomax
/// by default, as in Shang et al. (2018)), a histogram plot, VTU/PVTU/PVD fields for ParaView and, for a
/// periodic cube of uniform moduli, the periodic Fourier solution of the same α as an
/// independent cross-check. Runs on all MPI ranks.

#include "coupling/pipeline/stage.h"

namespace cryocycle::coupling
{
  StageEntry continuum_stage_entry();
} // namespace cryocycle::coupling
