#pragma once
// A small Wahnström LJ system for the MD tests, with reduced-unit helpers: the tests think in
// reduced units (T*, t/τ) and convert once through the potential's UnitSystem.
#include "atomistic/glass_preparation.h"
#include "atomistic/potential_registry.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

namespace cryocycle::testing
{
  inline atomistic::PotentialModel lj_potential()
  {
    return atomistic::builtin_potential_registry().create("wahnstrom_lj", atomistic::PotentialSettings{});
  }

  /// Default MD settings of the stage: Derlet & Maaß (2021) time step, damping 100 / 1000 steps.
  inline atomistic::MdSettings lj_settings(const atomistic::PotentialModel &p)
  {
    return atomistic::MdSettings::for_potential(p);
  }

  /// A quench protocol in reduced units: melt at T*_melt for `melt_tau`, cool at `rate` (1/τ) to
  /// T*_end, NPT at zero pressure.
  inline atomistic::QuenchProtocol lj_quench(const atomistic::PotentialModel &p, std::int64_t atoms, double melt_T,
                                             double melt_tau, double rate_per_tau, double end_T)
  {
    const auto &u = p.units;
    atomistic::QuenchProtocol q;
    q.atoms = atoms;
    q.melt_temperature_K = melt_T * u.kelvin_per_temperature();
    q.melt_time_ps = melt_tau * u.ps_per_time();
    q.quench_rate_K_per_s = rate_per_tau * u.kelvin_per_temperature() / (u.ps_per_time() * 1e-12);
    q.final_temperature_K = end_T * u.kelvin_per_temperature();
    q.sample_interval_ps = 0.5 * u.ps_per_time();
    q.ensemble = atomistic::Ensemble::npt;
    return q;
  }

  /// A fresh folder for the running test (ctest runs tests in parallel).
  inline std::filesystem::path fresh_test_folder()
  {
    const auto *info = ::testing::UnitTest::GetInstance()->current_test_info();
    const auto folder = std::filesystem::temp_directory_path() /
                        (std::string("cryocycle_atomistic_") + info->test_suite_name() + "_" + info->name());
    std::filesystem::remove_all(folder);
    std::filesystem::create_directories(folder);
    return folder;
  }
} // namespace cryocycle::testing
