#include "coupling/stages/continuum/continuum_results.h"

#include "continuum/spectral/periodic_spectral_solver.h"
#include "core/csv_table.h"
#include "core/mpi_reduction.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace cryocycle::coupling
{
  namespace
  {
    /// Per-site numbers sent to rank 0: id, centre (3), volume, α, K, G, stress (6).
    constexpr std::size_t values_per_site = 14;
  } // namespace

  SiteStressTable gather_site_table(MPI_Comm communicator, const continuum::ThermoelasticModel &model,
                                    const std::vector<SymmetricTensor6> &stress_GPa)
  {
    const auto &sites = model.local_sites();
    if (stress_GPa.size() != sites.size())
      throw std::invalid_argument("gather_site_table: one stress per local site is needed");
    std::vector<double> local;
    local.reserve(sites.size() * values_per_site);
    for (std::size_t i = 0; i < sites.size(); ++i)
      {
        // Site ids stay below 2^53 for any mesh that fits in memory, so a double carries them.
        local.push_back(static_cast<double>(sites[i].global_id));
        local.insert(local.end(), sites[i].centre_nm.begin(), sites[i].centre_nm.end());
        local.push_back(sites[i].volume_nm3);
        local.push_back(model.thermal_expansion_per_K()[i]);
        local.push_back(model.bulk_modulus_GPa()[i]);
        local.push_back(model.shear_modulus_GPa()[i]);
        local.insert(local.end(), stress_GPa[i].begin(), stress_GPa[i].end());
      }
    int rank = 0;
    MPI_Comm_rank(communicator, &rank);
    const std::vector<double> all = core::gather_to_root(communicator, local);
    SiteStressTable table;
    if (rank != 0)
      return table;
    const std::size_t n = all.size() / values_per_site;
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return all[a * values_per_site] < all[b * values_per_site];
    });
    for (const std::size_t s : order)
      {
        const double *v = &all[s * values_per_site];
        table.global_id.push_back(static_cast<std::uint64_t>(v[0]));
        table.centre_nm.push_back({v[1], v[2], v[3]});
        table.volume_nm3.push_back(v[4]);
        table.alpha_per_K.push_back(v[5]);
        table.bulk_modulus_GPa.push_back(v[6]);
        table.shear_modulus_GPa.push_back(v[7]);
        SymmetricTensor6 sigma{};
        std::copy(v + 8, v + 14, sigma.begin());
        table.stress_GPa.push_back(sigma);
        table.von_mises_GPa.push_back(von_mises_equivalent(sigma));
        table.pressure_GPa.push_back(continuum::pressure_of(sigma));
      }
    return table;
  }

  SiteStatistics site_statistics(std::vector<double> values, const std::vector<double> &quantile_levels)
  {
    if (values.empty())
      throw std::invalid_argument("site_statistics: no values");
    SiteStatistics s;
    s.count = values.size();
    const double n = static_cast<double>(values.size());
    s.mean = std::accumulate(values.begin(), values.end(), 0.0) / n;
    double squares = 0.0;
    for (const double v : values)
      squares += (v - s.mean) * (v - s.mean);
    s.standard_deviation = values.size() > 1 ? std::sqrt(squares / (n - 1.0)) : 0.0;
    std::sort(values.begin(), values.end());
    s.minimum = values.front();
    s.maximum = values.back();
    for (const double level : quantile_levels)
      s.quantiles.emplace_back(level, core::quantile_of_sorted(values, level));
    return s;
  }

  void write_site_table(const core::RunDirectory &directory, const std::string &name,
                        const SiteStressTable &table)
  {
    core::CsvWriter csv({"global_site_id", "x_nm", "y_nm", "z_nm", "volume_nm3", "alpha_per_K",
                         "bulk_modulus_GPa", "shear_modulus_GPa", "sigma_xx_GPa", "sigma_yy_GPa",
                         "sigma_zz_GPa", "sigma_yz_GPa", "sigma_xz_GPa", "sigma_xy_GPa",
                         "von_mises_GPa", "pressure_GPa"});
    for (std::size_t i = 0; i < table.size(); ++i)
      {
        std::vector<double> row{table.centre_nm[i][0],      table.centre_nm[i][1],
                                table.centre_nm[i][2],      table.volume_nm3[i],
                                table.alpha_per_K[i],       table.bulk_modulus_GPa[i],
                                table.shear_modulus_GPa[i]};
        row.insert(row.end(), table.stress_GPa[i].begin(), table.stress_GPa[i].end());
        row.push_back(table.von_mises_GPa[i]);
        row.push_back(table.pressure_GPa[i]);
        std::vector<std::string> fields{std::to_string(table.global_id[i])};
        for (const double v : row)
          fields.push_back(core::format_number(v));
        csv.add_text_row(fields);
      }
    directory.write(name, csv.text());
  }
} // namespace cryocycle::coupling
