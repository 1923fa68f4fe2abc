#pragma once
/// @file
/// `cryocycle calibrate`: per-site tables (local TEC α, local K and G, local yield stress σ_y) at
/// one or more coarse-graining widths σ_cg → maximum-likelihood fits with bootstrap confidence
/// intervals and goodness of fit, the thermal internal stress of the α grid by the periodic
/// Fourier solution (Shang et al. 2018 eq. 7) with its Lomax fit, the probability p(σ_th > σ_y) (Shang et al. 2018
/// eq. 9–11) with a Monte Carlo cross-check, P_act(n), the power law of Var(α) against σ_cg and
/// p/σ_cg³. Writes calibration.yaml (read by the later stages), CSV tables and PNG plots.

#include "coupling/pipeline/stage.h"

namespace cryocycle::coupling
{
  StageEntry calibration_stage_entry();
} // namespace cryocycle::coupling
