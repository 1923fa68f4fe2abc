#include "coupling/stages/continuum/continuum_report.h"

#include "core/build_info.h"
#include "core/csv_table.h"
#include "core/gnuplot_plot.h"
#include "coupling/stages/calibrate/calibration_results.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <limits>
#include <memory>

namespace cryocycle::coupling
{
  namespace
  {
    void emit_statistics(YAML::Emitter &out, const std::string &key, const SiteStatistics &s)
    {
      out << YAML::Key << key << YAML::Value << YAML::BeginMap;
      out << YAML::Key << "mean" << YAML::Value << s.mean;
      out << YAML::Key << "standard_deviation" << YAML::Value << s.standard_deviation;
      out << YAML::Key << "minimum" << YAML::Value << s.minimum;
      out << YAML::Key << "maximum" << YAML::Value << s.maximum;
      out << YAML::Key << "quantiles" << YAML::Value << YAML::BeginMap;
      for (const auto &[level, value] : s.quantiles)
        out << YAML::Key << core::format_number(level) << YAML::Value << value;
      out << YAML::EndMap << YAML::EndMap;
    }
  } // namespace

  void fit_von_mises(const SiteStressTable &table, const ThermalStressOptions &options,
                     ThermalStressReport &report)
  {
    calibrate::FitOptions fit_options;
    fit_options.bootstrap_resamples = options.bootstrap_resamples;
    fit_options.seed = options.seed;
    for (const auto &family : options.fit_families)
      {
        try
          {
            report.fits.push_back(calibrate::fit_distribution(family, table.von_mises_GPa, fit_options));
          }
        catch (const std::exception &e)
          {
            report.failed_fits.emplace_back(family, e.what());
          }
      }
  }

  void write_thermal_stress_report(const core::RunDirectory &directory, const SiteStressTable &table,
                                   const ThermalStressOptions &options,
                                   const ThermalStressReport &report)
  {
    const SiteStatistics von_mises = site_statistics(table.von_mises_GPa, options.quantile_levels);
    const SiteStatistics pressure = site_statistics(table.pressure_GPa, options.quantile_levels);

    YAML::Emitter out;
    out.SetDoublePrecision(12);
    out << YAML::Comment("cryocycle continuum thermal_stress: internal stress of heterogeneous "
                         "thermal expansion (stresses in GPa, energies in aJ = 1e-18 J)");
    out << YAML::BeginMap;
    out << YAML::Key << "shape" << YAML::Value << options.shape;
    out << YAML::Key << "reference_temperature_K" << YAML::Value << options.reference_temperature_K;
    out << YAML::Key << "temperature_K" << YAML::Value << options.temperature_K;
    out << YAML::Key << "temperature_change_K" << YAML::Value << report.temperature_change_K;
    out << YAML::Key << "sites" << YAML::Value << table.size();
    out << YAML::Key << "degrees_of_freedom" << YAML::Value << report.n_dofs;
    out << YAML::Key << "solver" << YAML::Value << report.solver;
    out << YAML::Key << "volume_nm3" << YAML::Value << report.total_volume_nm3;
    out << YAML::Key << "elastic_energy_aJ" << YAML::Value << report.elastic_energy_aJ;
    // 1 aJ/nm³ = 1e-18 J / 1e-27 m³ = 1e9 J/m³, so aJ/nm³ · 1000 = MJ/m³.
    out << YAML::Key << "elastic_energy_density_MJ_per_m3" << YAML::Value
        << (report.total_volume_nm3 > 0.0 ? 1000.0 * report.elastic_energy_aJ / report.total_volume_nm3 : 0.0);
    emit_statistics(out, "von_mises_GPa", von_mises);
    emit_statistics(out, "pressure_GPa", pressure);
    out << YAML::Key << "von_mises_fits" << YAML::Value << YAML::BeginSeq;
    double lowest_aic = std::numeric_limits<double>::infinity();
    for (const auto &f : report.fits)
      lowest_aic = std::min(lowest_aic, f.aic);
    for (const auto &f : report.fits)
      emit_distribution_fit(out, f, lowest_aic);
    out << YAML::EndSeq;
    out << YAML::Key << "failed_fits" << YAML::Value << YAML::BeginMap;
    for (const auto &[family, reason] : report.failed_fits)
      out << YAML::Key << family << YAML::Value << reason;
    out << YAML::EndMap;
    if (report.fourier)
      {
        out << YAML::Key << "fourier_cross_check" << YAML::Value << YAML::BeginMap;
        out << YAML::Key << "relative_l2_difference_von_mises" << YAML::Value
            << report.fourier->relative_l2_difference_von_mises;
        out << YAML::Key << "fourier_mean_von_mises_GPa" << YAML::Value << report.fourier->mean_von_mises_GPa;
        out << YAML::EndMap;
      }
    out << YAML::Key << "cryocycle_version" << YAML::Value << core::cryocycle_version();
    out << YAML::EndMap;
    directory.write("thermal_stress.yaml", std::string(out.c_str()) + "\n");

    // Histogram (density) with the fitted densities at the bin centres.
    const double lo = von_mises.minimum;
    const double hi = von_mises.maximum > lo ? von_mises.maximum : lo + 1.0;
    const std::size_t bins = options.histogram_bins;
    const double width = (hi - lo) / static_cast<double>(bins);
    std::vector<double> counts(bins, 0.0);
    for (const double x : table.von_mises_GPa)
      counts[std::min(bins - 1, static_cast<std::size_t>((x - lo) / width))] += 1.0;
    std::vector<std::string> columns{"von_mises_GPa", "density_per_GPa"};
    std::vector<std::unique_ptr<calibrate::Distribution>> pdfs;
    for (const auto &f : report.fits)
      {
        columns.push_back("pdf_" + f.family + "_per_GPa");
        pdfs.push_back(f.distribution());
      }
    core::CsvWriter csv(columns);
    for (std::size_t b = 0; b < bins; ++b)
      {
        const double x = lo + (static_cast<double>(b) + 0.5) * width;
        std::vector<double> row{x, counts[b] / (static_cast<double>(table.size()) * width)};
        for (const auto &pdf : pdfs)
          row.push_back(pdf->pdf(x));
        csv.add_row(row);
      }
    directory.write("von_mises_histogram.csv", csv.text());
    std::string plot = fmt::format(
      "set title 'thermal stress, ΔT = {} K, {} sites'\nset xlabel 'von Mises stress (GPa)'\n"
      "set ylabel 'probability density (1/GPa)'\nset style fill transparent solid 0.35 noborder\n"
      "plot 'von_mises_histogram.csv' skip 1 using 1:2 with boxes lc rgb '#4477aa' title 'sites'",
      report.temperature_change_K, table.size());
    for (std::size_t i = 0; i < report.fits.size(); ++i)
      plot += fmt::format(", '' skip 1 using 1:{} with lines lw 2 title '{} fit'", i + 3,
                          report.fits[i].family);
    core::render_png_plot(directory, "von_mises_histogram", plot);
  }

  std::string thermal_stress_summary(const SiteStressTable &table, const ThermalStressOptions &options,
                                     const ThermalStressReport &report)
  {
    const SiteStatistics vm = site_statistics(table.von_mises_GPa, {0.5, 0.99});
    std::string text = fmt::format(
      "thermal stress of a {} sample, ΔT = {} K ({} K → {} K), {} sites, {} unknowns\n"
      "  von Mises: mean {:.4g} GPa, standard deviation {:.4g} GPa, median {:.4g} GPa, 99% "
      "quantile {:.4g} GPa, maximum {:.4g} GPa\n"
      "  elastic energy {:.4g} aJ ({:.4g} MJ/m³)\n",
      options.shape, report.temperature_change_K, options.reference_temperature_K,
      options.temperature_K, table.size(), report.n_dofs, vm.mean, vm.standard_deviation,
      vm.quantiles[0].second, vm.quantiles[1].second, vm.maximum, report.elastic_energy_aJ,
      report.total_volume_nm3 > 0.0 ? 1000.0 * report.elastic_energy_aJ / report.total_volume_nm3 : 0.0);
    for (const auto &f : report.fits)
      {
        text += fmt::format("  {} fit:", f.family);
        for (std::size_t i = 0; i < f.parameter_names.size(); ++i)
          text += fmt::format(" {} = {:.4g} ± {:.2g}", f.parameter_names[i], f.estimates[i],
                              f.standard_errors[i]);
        text += fmt::format(" (KS p = {:.3g})\n", f.ks_p_value);
      }
    for (const auto &[family, reason] : report.failed_fits)
      text += fmt::format("  {} fit failed: {}\n", family, reason);
    if (report.fourier)
      text += fmt::format("  periodic Fourier solution of the same α grid: von Mises differs by "
                          "{:.3g} (relative L2)\n",
                          report.fourier->relative_l2_difference_von_mises);
    return text;
  }
} // namespace cryocycle::coupling
