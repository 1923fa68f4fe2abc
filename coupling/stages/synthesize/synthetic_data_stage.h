#pragma once
/// @file
/// `cryocycle synthesize`: per-site tables drawn from known distributions (a correlated Gaussian
/// α grid per coarse-graining width, Gaussian K and G, hyperbolic local yield stress), in the CSV
/// conventions of the calibration stage, plus a calibrate.yaml that reads them. Used for the demo
/// data in configs/demo and for end-to-end tests where the true parameters are known.

#include "coupling/pipeline/stage.h"

namespace cryocycle::coupling
{
  StageEntry synthetic_data_stage_entry();
} // namespace cryocycle::coupling
