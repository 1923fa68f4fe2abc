// Each parameter has one default: the library structs of the continuum physics and the config of
// `continuum.cycles` / `continuum.heat_conduction` must agree, so a library user, a test and a
// config user get the same model. Reference: the struct's own default-constructed values;
// tolerance: exact equality (the same double).
#include "continuum/cycling/cycling_simulation.h"
#include "continuum/cycling/heat_conduction_cycling.h"
#include "continuum/events/event_engine.h"
#include "continuum/physics/homogenised_cell.h"
#include "continuum/physics/thermal_cycle_schedule.h"
#include "continuum/physics/thermal_relaxation.h"
#include "continuum/thermal/finite_volume_conduction.h"
#include "core/config_schema.h"
#include "core/config_values.h"
#include "coupling/stages/continuum/continuum_cycles.h"

#include <gtest/gtest.h>

using namespace cryocycle;

namespace
{
  /// The settings of mode cycles read from a config that gives no key at all.
  coupling::CyclesSettings settings_of_an_empty_config()
  {
    core::ConfigSection root;
    auto &continuum = root.section("continuum", "");
    coupling::declare_cycles_config(continuum);
    const core::ConfigValues values = core::load_config_text(root, "continuum: {}\n", "defaults.yaml", ".");
    return coupling::read_cycles_settings(values.section("continuum"), true);
  }
} // namespace

TEST(ParameterDefaults, EventRuleAndRelaxationModelEqualTheConfig)
{
  const coupling::CyclesSettings s = settings_of_an_empty_config();
  const continuum::EventRule rule;
  EXPECT_EQ(s.rule.equivalent_strain, rule.equivalent_strain);
  EXPECT_EQ(s.rule.site_volume_fraction, rule.site_volume_fraction);
  EXPECT_EQ(s.rule.rejuvenation_per_event, rule.rejuvenation_per_event);
  const continuum::ThermalRelaxationModel relaxation;
  EXPECT_EQ(s.relaxation_model.attempt_frequency_per_s, relaxation.attempt_frequency_per_s);
  EXPECT_EQ(s.relaxation_model.activation_volume_nm3, relaxation.activation_volume_nm3);
  EXPECT_EQ(s.relaxation_model.relaxation_per_event, relaxation.relaxation_per_event);
  EXPECT_EQ(s.relaxation_model.st_activation_volume_nm3, relaxation.st_activation_volume_nm3);
  // The values documented in docs/stages/continuum.md and configs/.
  EXPECT_EQ(rule.equivalent_strain, 0.002);
  EXPECT_EQ(relaxation.activation_volume_nm3, 0.0045);
  EXPECT_EQ(relaxation.relaxation_per_event, 0.5);
}

TEST(ParameterDefaults, ScheduleAndSubstepEqualTheConfig)
{
  const coupling::CyclesSettings s = settings_of_an_empty_config();
  const continuum::ThermalCycleProtocol protocol;
  EXPECT_EQ(s.high_temperature_K, protocol.high_temperature_K);
  EXPECT_EQ(s.low_temperature_K, protocol.low_temperature_K);
  EXPECT_EQ(s.cooling_rate_K_per_s, protocol.cooling_rate_K_per_s);
  EXPECT_EQ(s.heating_rate_K_per_s, protocol.heating_rate_K_per_s);
  EXPECT_EQ(s.low_hold_s, protocol.low_hold_s);
  EXPECT_EQ(s.high_hold_s, protocol.high_hold_s);
  EXPECT_EQ(s.relaxation_substep_K, continuum::CyclingOptions{}.relaxation_substep_K);
  EXPECT_EQ(s.relaxation_substep_K, continuum::HomogenisedCyclingOptions{}.relaxation_substep_K);
  // The coupling struct's own defaults are the config's too.
  const coupling::CyclesSettings d;
  EXPECT_EQ(s.high_temperature_K, d.high_temperature_K);
  EXPECT_EQ(s.low_temperature_K, d.low_temperature_K);
  EXPECT_EQ(s.cooling_rate_K_per_s, d.cooling_rate_K_per_s);
  EXPECT_EQ(s.heating_rate_K_per_s, d.heating_rate_K_per_s);
  EXPECT_EQ(s.low_hold_s, d.low_hold_s);
  EXPECT_EQ(s.high_hold_s, d.high_hold_s);
  EXPECT_EQ(s.cycle_count, d.cycle_count);
  EXPECT_EQ(s.relaxation_substep_K, d.relaxation_substep_K);
  EXPECT_EQ(s.relaxation, d.relaxation);
  EXPECT_EQ(s.initial_state, d.initial_state);
  EXPECT_EQ(s.stored_energy_relaxed_J_per_mol, d.stored_energy_relaxed_J_per_mol);
  EXPECT_EQ(s.stored_energy_rejuvenated_J_per_mol, d.stored_energy_rejuvenated_J_per_mol);
  EXPECT_EQ(s.yield_family, d.yield_family);
}

TEST(ParameterDefaults, HomogenisedCellsAndHeatConductionEqualTheConfig)
{
  const coupling::CyclesSettings s = settings_of_an_empty_config();
  const coupling::HomogenisedSettings d;
  EXPECT_EQ(s.homogenised.cells.quantum_fraction, continuum::HomogenisedCellRule{}.quantum_fraction);
  EXPECT_EQ(s.homogenised.resolution, d.resolution);
  EXPECT_EQ(s.homogenised.site_size_nm, d.site_size_nm);
  EXPECT_EQ(s.homogenised.site_thermal_stress_family, d.site_thermal_stress_family);
  EXPECT_EQ(s.homogenised.site_thermal_stress_reference_K, d.site_thermal_stress_reference_K);
  EXPECT_EQ(s.homogenised.heat_conduction, d.heat_conduction);
  EXPECT_EQ(s.homogenised.basis_terms, d.basis_terms);
  const continuum::HeatConductionSettings conduction;
  EXPECT_EQ(s.homogenised.conduction.conductivity_W_per_mK, conduction.conductivity_W_per_mK);
  EXPECT_EQ(s.homogenised.conduction.heat_capacity_J_per_m3K, conduction.heat_capacity_J_per_m3K);
  EXPECT_EQ(s.homogenised.conduction.cells, conduction.cells);
  const continuum::SurfaceHeatTransfer surface;
  EXPECT_EQ(s.homogenised.surface.film_boiling_W_per_m2K, surface.film_boiling_W_per_m2K);
  EXPECT_EQ(s.homogenised.surface.nucleate_boiling_W_per_m2K, surface.nucleate_boiling_W_per_m2K);
  EXPECT_EQ(s.homogenised.surface.boiling_switch_K, surface.boiling_switch_K);
  EXPECT_EQ(s.homogenised.surface.warming_W_per_m2K, surface.warming_W_per_m2K);
  const continuum::HomogenisedCyclingOptions options;
  EXPECT_EQ(s.homogenised.max_time_step_s, options.max_time_step_s);
  EXPECT_EQ(s.homogenised.max_surroundings_step_K, options.max_surroundings_step_K);
  EXPECT_EQ(s.homogenised.max_time_step_s, d.max_time_step_s);
  EXPECT_EQ(s.homogenised.max_surroundings_step_K, d.max_surroundings_step_K);
}
