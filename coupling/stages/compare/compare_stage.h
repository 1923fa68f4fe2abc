#pragma once
/// @file
/// `cryocycle compare`: continuum runs of mode cycles against measured data sets
/// (configs/experiments/*.yaml, experimental_data.h). Writes report.md (model and measurement side
/// by side with residuals: absolute, relative and in units of the measurement's uncertainty, and
/// what the model cannot speak to), residuals.csv, PNG plots of each per-cycle observable (model
/// curve against the measured points) and summary.txt.

#include "coupling/pipeline/stage.h"

namespace cryocycle::coupling
{
  StageEntry compare_stage_entry();
} // namespace cryocycle::coupling
