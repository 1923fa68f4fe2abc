#include "coupling/local_measurements.h"

#include "core/csv_table.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace cryocycle::coupling
{
  namespace md = cryocycle::atomistic;
  using core::ConfigRange;

  core::ConfigSection &declare_local_measurements(core::ConfigSection &atomistic)
  {
    auto &local = atomistic.section(
      "local", "Local measurements on a grid of sites (seed 000): coarse-grained thermal expansion, elastic "
               "moduli, frozen-matrix yield stress.");
    auto &cg = local.section("coarse_graining",
                             "Goldhirsch–Goldenberg coarse graining (seed 000 eq. 2) shared by every local measurement: "
                             "widths, kernel truncation, sites.");
    cg.real_list("sigma_cg_A", {5.0}, ConfigRange::closed(0.5, 100.0),
                 "Coarse-graining widths σ_cg, all measured in one pass (seed 000: 5 Å, scan 4, 5, 7 Å; the "
                 "yield-stress radius is r_c = 2 σ_cg).",
                 1);
    cg.real("truncation_sigmas", 3.0, ConfigRange::closed(1.5, 10.0),
            "Kernel cut-off in units of σ_cg: the Gaussian is shifted to zero there and renormalised.");
    cg.integer("sites_per_edge", 10, ConfigRange::closed(1, 1000),
               "Regular grid of sites: this many along each box edge, at the cell centres.");
    cg.optional_real("site_spacing_A", ConfigRange::closed(0.1, 1000.0),
                     "Regular grid with this spacing instead (round(edge / spacing) sites per edge).");
    cg.input_file("site_file", "CSV of explicit sites instead of a grid: columns x_nm, y_nm, z_nm.");
    cg.check([](const core::ConfigValues &v) {
      if (v.has("site_spacing_A") && v.has("site_file"))
        v.fail("site_spacing_A", "give either site_spacing_A or site_file, not both");
      auto widths = v.real_list("sigma_cg_A");
      std::sort(widths.begin(), widths.end());
      if (std::adjacent_find(widths.begin(), widths.end()) != widths.end())
        v.fail("sigma_cg_A", "a width is listed twice");
    });
    return local;
  }

  std::string sigma_cg_tag(const double sigma_cg_A) { return fmt::format("{:g}A", sigma_cg_A); }

  CoarseGrainingSettings read_coarse_graining_settings(const core::ConfigValues &local)
  {
    const auto cg = local.section("coarse_graining");
    CoarseGrainingSettings s;
    s.sigma_cg_A = cg.real_list("sigma_cg_A");
    s.truncation_sigmas = cg.real("truncation_sigmas");
    s.sites_per_edge = static_cast<int>(cg.integer("sites_per_edge"));
    if (cg.has("site_spacing_A"))
      s.site_spacing_A = cg.real("site_spacing_A");
    if (cg.has("site_file"))
      {
        s.site_file = cg.input_file("site_file").string();
        try
          {
            const auto table = core::CsvTable::read(s.site_file);
            const auto &x = table.column("x_nm"), &y = table.column("y_nm"), &z = table.column("z_nm");
            for (std::size_t i = 0; i < x.size(); ++i)
              s.site_list_nm.push_back({x[i], y[i], z[i]});
          }
        catch (const std::runtime_error &e)
          {
            cg.fail("site_file", e.what());
          }
      }
    return s;
  }

  std::vector<md::Vector3> CoarseGrainingSettings::site_points(const md::PeriodicBox &box,
                                                                const md::UnitSystem &units) const
  {
    if (!site_list_nm.empty())
      {
        std::vector<md::Vector3> points;
        for (const auto &p : site_list_nm)
          points.push_back({units.length_native(p[0]), units.length_native(p[1]), units.length_native(p[2])});
        return points;
      }
    if (site_spacing_A)
      return md::regular_site_grid(box, md::sites_per_edge_for_spacing(box, units.length_native(*site_spacing_A * 0.1)));
    return md::regular_site_grid(box, {sites_per_edge, sites_per_edge, sites_per_edge});
  }

  std::vector<double> CoarseGrainingSettings::sigma_cg_native(const md::UnitSystem &units) const
  {
    std::vector<double> native;
    for (const double s : sigma_cg_A)
      native.push_back(units.length_native(0.1 * s));
    return native;
  }
} // namespace cryocycle::coupling
