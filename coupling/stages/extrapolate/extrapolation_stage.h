#pragma once
/// @file
/// `cryocycle extrapolate`: from the site scale to experimental samples. For a list of samples
/// (MD boxes of Shang et al. (2018, 2021), a 10 nm cube, a 40 µm ribbon, 1.5–3 mm rods and discs by
/// default): number of sites, activation probability per cycle P_act = 1 − (1 − p)^n (Shang et al. 2018
/// §V) with p from the config's distributions (default: Shang et al. 2018 Table I, 1e13 K/s) or a
/// calibration record, events per cycle from a continuum RVE's rate per volume, and the Biot
/// number and peak thermal-gradient stress of liquid-nitrogen immersion (Ketov et al. 2015 Methods).
/// Optionally, calibrations at several quench rates are carried to experimental rates and give
/// the two-point state law of continuum.cycles. Writes samples.csv, extrapolation.md,
/// activation_curve.csv, plots/activation_probability.png (and quench_rate_*.csv,
/// state_law.yaml) and summary.txt.

#include "coupling/pipeline/stage.h"

namespace cryocycle::coupling
{
  StageEntry extrapolation_stage_entry();
} // namespace cryocycle::coupling
