#pragma once
/// @file
/// Results of the continuum stage: the per-site table gathered from all MPI ranks onto rank 0
/// (sorted by global site id, so the files do not depend on the number of ranks), statistics of
/// the von Mises stress and the pressure, and the writers of sites.csv and the histogram.

#include "continuum/fe/thermoelastic_model.h"
#include "core/run_directory.h"

#include <mpi.h>

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace cryocycle::coupling
{
  /// Every site of the sample with its material and stress (rank 0 only; empty elsewhere).
  struct SiteStressTable
  {
    std::vector<std::uint64_t> global_id;
    std::vector<std::array<double, 3>> centre_nm;
    std::vector<double> volume_nm3;
    std::vector<double> alpha_per_K;  ///< volumetric thermal expansion (1/K)
    std::vector<double> bulk_modulus_GPa;
    std::vector<double> shear_modulus_GPa;
    std::vector<SymmetricTensor6> stress_GPa;  ///< Voigt xx, yy, zz, yz, xz, xy
    std::vector<double> von_mises_GPa;
    std::vector<double> pressure_GPa;  ///< −trace/3, positive in compression

    std::size_t size() const { return global_id.size(); }
  };

  /// Collects the model's local sites, their fields and `stress_GPa` (one entry per local site)
  /// on rank 0 of `communicator`, sorted by global id. Collective.
  SiteStressTable gather_site_table(MPI_Comm communicator, const continuum::ThermoelasticModel &model,
                                    const std::vector<SymmetricTensor6> &stress_GPa);

  /// Site statistics of one quantity (unweighted: every site counts once, as the per-site
  /// samples of the atomistic measurements do).
  struct SiteStatistics
  {
    std::size_t count = 0;
    double mean = 0.0;
    double standard_deviation = 0.0;  ///< sample standard deviation (n − 1)
    double minimum = 0.0;
    double maximum = 0.0;
    std::vector<std::pair<double, double>> quantiles;  ///< (level in (0,1), value)
  };

  /// Mean, standard deviation, extremes and quantiles (linear interpolation between order
  /// statistics, Hyndman–Fan type 7) of `values`. Throws std::invalid_argument when empty.
  SiteStatistics site_statistics(std::vector<double> values, const std::vector<double> &quantile_levels);

  /// sites.csv: global_site_id, x_nm, y_nm, z_nm, volume_nm3, alpha_per_K, bulk_modulus_GPa,
  /// shear_modulus_GPa, the six stress components sigma_xx_GPa .. sigma_xy_GPa, von_mises_GPa,
  /// pressure_GPa. The von_mises_GPa column feeds `cryocycle calibrate` (thermal_stress_csv).
  void write_site_table(const core::RunDirectory &directory, const std::string &name,
                        const SiteStressTable &table);
} // namespace cryocycle::coupling
