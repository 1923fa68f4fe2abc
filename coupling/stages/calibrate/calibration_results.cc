#include "coupling/stages/calibrate/calibration_results.h"

#include "calibrate/activation_probability.h"
#include "core/build_info.h"
#include "core/csv_table.h"
#include "core/gnuplot_plot.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace cryocycle::coupling
{
  SampleMoments sample_moments(const std::vector<double> &samples)
  {
    SampleMoments m;
    for (const double x : samples)
      m.mean += x;
    m.mean /= static_cast<double>(samples.size());
    for (const double x : samples)
      m.variance += (x - m.mean) * (x - m.mean);
    m.variance /= static_cast<double>(samples.size() - 1);
    return m;
  }

  const calibrate::DistributionFit *QuantityCalibration::fit(const std::string &family) const
  {
    for (const auto &f : fits)
      if (f.family == family)
        return &f;
    return nullptr;
  }

  namespace
  {
    using core::format_number;

    std::string tag(const double sigma_cg_nm) { return fmt::format("sigma{}nm", sigma_cg_nm); }

    /// Axis label for plots (gnuplot enhanced text).
    std::string plot_label(const QuantityCalibration &q)
    {
      if (q.name == "thermal_expansion_per_K")
        return "local volumetric TEC α (K^{-1})";
      if (q.name == "bulk_modulus_GPa")
        return "local bulk modulus K (GPa)";
      if (q.name == "shear_modulus_GPa")
        return "local shear modulus G (GPa)";
      if (q.name == "yield_stress_GPa")
        return "local yield stress σ_y (GPa)";
      if (q.name == "thermal_stress_GPa")
        return "von Mises thermal stress σ_{th} (GPa)";
      return q.name;
    }

    std::vector<const QuantityCalibration *> quantities(const CoarseGrainingCalibration &w)
    {
      std::vector<const QuantityCalibration *> out;
      for (const auto *q : {&w.thermal_expansion, &w.bulk_modulus, &w.shear_modulus, &w.yield_stress,
                            &w.thermal_stress})
        if (q->has_value())
          out.push_back(&q->value());
      return out;
    }

    double best_aic(const QuantityCalibration &q)
    {
      double best = std::numeric_limits<double>::infinity();
      for (const auto &f : q.fits)
        best = std::min(best, f.aic);
      return best;
    }

    void emit_quantity(YAML::Emitter &out, const QuantityCalibration &q)
    {
      const SampleMoments moments = sample_moments(q.samples);

      out << YAML::Key << q.name << YAML::Value << YAML::BeginMap;
      out << YAML::Key << "unit" << YAML::Value << q.unit;
      out << YAML::Key << "source" << YAML::Value << q.source;
      out << YAML::Key << "sample_count" << YAML::Value << q.samples.size();
      out << YAML::Key << "mean" << YAML::Value << moments.mean;
      out << YAML::Key << "standard_deviation" << YAML::Value << std::sqrt(moments.variance);
      out << YAML::Key << "fits" << YAML::Value << YAML::BeginSeq;
      const double lowest_aic = best_aic(q);
      for (const auto &f : q.fits)
        emit_distribution_fit(out, f, lowest_aic);
      out << YAML::EndSeq;
      if (!q.failed_fits.empty())
        {
          out << YAML::Key << "failed_fits" << YAML::Value << YAML::BeginMap;
          for (const auto &[family, reason] : q.failed_fits)
            out << YAML::Key << family << YAML::Value << reason;
          out << YAML::EndMap;
        }
      out << YAML::EndMap;
    }
  } // namespace

  void emit_distribution_fit(YAML::Emitter &out, const calibrate::DistributionFit &f, const double lowest_aic)
  {
    out << YAML::BeginMap;
    out << YAML::Key << "family" << YAML::Value << f.family;
    out << YAML::Key << "parameters" << YAML::Value << YAML::BeginMap;
    for (std::size_t i = 0; i < f.estimates.size(); ++i)
      {
        out << YAML::Key << f.parameter_names[i] << YAML::Value << YAML::Flow << YAML::BeginMap;
        out << YAML::Key << "estimate" << YAML::Value << f.estimates[i];
        out << YAML::Key << "standard_error" << YAML::Value << f.standard_errors[i];
        out << YAML::Key << "ci_lower" << YAML::Value << f.ci_lower[i];
        out << YAML::Key << "ci_upper" << YAML::Value << f.ci_upper[i];
        out << YAML::EndMap;
      }
    out << YAML::EndMap;
    out << YAML::Key << "log_likelihood" << YAML::Value << f.log_likelihood;
    out << YAML::Key << "aic" << YAML::Value << f.aic;
    out << YAML::Key << "delta_aic" << YAML::Value << f.aic - lowest_aic;
    out << YAML::Key << "ks_statistic" << YAML::Value << f.ks_statistic;
    out << YAML::Key << "ks_p_value" << YAML::Value << f.ks_p_value;
    out << YAML::EndMap;
  }

  std::string calibration_record_yaml(const CalibrationResults &r)
  {
    YAML::Emitter out;
    out.SetDoublePrecision(12);
    out << YAML::Comment("cryocycle calibration record: fitted distributions of local properties, "
                         "p(sigma_th > sigma_y), scaling laws. Parameters that have the dimension of "
                         "the quantity are in its unit.");
    out << YAML::BeginMap;
    out << YAML::Key << "format_version" << YAML::Value << 1;
    out << YAML::Key << "glass" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "label" << YAML::Value << r.glass_label;
    out << YAML::Key << "quench_rate_K_per_s" << YAML::Value;
    if (r.glass_quench_rate_K_per_s)
      out << *r.glass_quench_rate_K_per_s;
    else
      out << YAML::Null;
    out << YAML::EndMap;
    out << YAML::Key << "thermal_cycle" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "high_temperature_K" << YAML::Value << r.high_temperature_K;
    out << YAML::Key << "low_temperature_K" << YAML::Value << r.low_temperature_K;
    out << YAML::Key << "temperature_change_K" << YAML::Value << r.high_temperature_K - r.low_temperature_K;
    out << YAML::EndMap;

    out << YAML::Key << "coarse_grainings" << YAML::Value << YAML::BeginSeq;
    for (const auto &w : r.widths)
      {
        out << YAML::BeginMap;
        out << YAML::Key << "sigma_cg_nm" << YAML::Value << w.sigma_cg_nm;
        out << YAML::Key << "frozen_matrix_radius_nm" << YAML::Value << 2.0 * w.sigma_cg_nm;
        if (w.thermal_stress && w.bulk_modulus_for_stress_GPa > 0.0)
          {
            out << YAML::Key << "moduli_for_thermal_stress" << YAML::Value << YAML::BeginMap;
            out << YAML::Key << "bulk_modulus_GPa" << YAML::Value << w.bulk_modulus_for_stress_GPa;
            out << YAML::Key << "shear_modulus_GPa" << YAML::Value << w.shear_modulus_for_stress_GPa;
            out << YAML::Key << "source" << YAML::Value << r.moduli_source;
            out << YAML::EndMap;
          }
        for (const auto *q : quantities(w))
          emit_quantity(out, *q);
        if (w.activation)
          {
            const auto &a = *w.activation;
            out << YAML::Key << "activation" << YAML::Value << YAML::BeginMap;
            out << YAML::Key << "thermal_stress_model" << YAML::Value << a.thermal_stress_model;
            out << YAML::Key << "yield_stress_model" << YAML::Value << a.yield_stress_model;
            out << YAML::Key << "probability" << YAML::Value << a.probability;
            out << YAML::Key << "quadrature_error_bound" << YAML::Value << a.quadrature_error_bound;
            out << YAML::Key << "probability_monte_carlo" << YAML::Value << a.probability_monte_carlo;
            out << YAML::Key << "monte_carlo_standard_error" << YAML::Value << a.monte_carlo_standard_error;
            out << YAML::Key << "monte_carlo_samples" << YAML::Value << a.monte_carlo_samples;
            out << YAML::Key << "probability_empirical" << YAML::Value << a.probability_empirical;
            out << YAML::Key << "probability_per_sigma_cg_cubed_per_nm3" << YAML::Value
                << a.probability_per_sigma_cg_cubed_per_nm3;
            out << YAML::Key << "sites_for_activation" << YAML::Value << YAML::BeginSeq;
            for (const auto &[level, sites] : a.sites_for_level)
              out << YAML::Flow << YAML::BeginMap << YAML::Key << "level" << YAML::Value << level
                  << YAML::Key << "sites" << YAML::Value << sites << YAML::EndMap;
            out << YAML::EndSeq << YAML::EndMap;
          }
        out << YAML::EndMap;
      }
    out << YAML::EndSeq;

    if (r.thermal_expansion_variance_scaling)
      {
        const auto &s = *r.thermal_expansion_variance_scaling;
        out << YAML::Key << "thermal_expansion_variance_scaling" << YAML::Value << YAML::BeginMap;
        out << YAML::Key << "law" << YAML::Value << "Var(alpha) = prefactor * sigma_cg_nm^exponent";
        out << YAML::Key << "prefactor_per_K2" << YAML::Value << s.prefactor;
        out << YAML::Key << "exponent" << YAML::Value << s.exponent;
        out << YAML::Key << "exponent_standard_error" << YAML::Value << s.exponent_standard_error;
        out << YAML::Key << "r_squared" << YAML::Value << s.r_squared;
        out << YAML::EndMap;
      }
    if (r.probability_per_volume)
      {
        out << YAML::Key << "probability_per_sigma_cg_cubed" << YAML::Value << YAML::BeginMap;
        out << YAML::Key << "mean_per_nm3" << YAML::Value << r.probability_per_volume->first;
        out << YAML::Key << "relative_spread" << YAML::Value << r.probability_per_volume->second;
        out << YAML::EndMap;
      }

    out << YAML::Key << "provenance" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "cryocycle_version" << YAML::Value << core::cryocycle_version();
    out << YAML::Key << "git_commit" << YAML::Value << core::git_commit();
    out << YAML::Key << "seed" << YAML::Value << r.seed;
    out << YAML::Key << "bootstrap_resamples" << YAML::Value << r.bootstrap_resamples;
    out << YAML::Key << "confidence_level" << YAML::Value << r.confidence_level;
    out << YAML::Key << "inputs" << YAML::Value << YAML::BeginSeq;
    for (std::size_t i = 0; i < r.inputs.size(); ++i)
      out << YAML::BeginMap << YAML::Key << "key" << YAML::Value << r.inputs[i].first << YAML::Key
          << "path" << YAML::Value << r.inputs[i].second << YAML::Key << "sha256" << YAML::Value
          << r.input_checksums[i] << YAML::EndMap;
    out << YAML::EndSeq << YAML::EndMap;
    out << YAML::EndMap;
    return std::string(out.c_str()) + "\n";
  }

  namespace
  {
    /// Histogram (density) of the samples with every fitted pdf at the bin centres.
    void write_histogram(const QuantityCalibration &q, const double sigma_cg_nm,
                         const core::RunDirectory &directory, const std::size_t bins)
    {
      const auto [lo_it, hi_it] = std::minmax_element(q.samples.begin(), q.samples.end());
      const double lo = *lo_it;
      const double hi = *hi_it > *lo_it ? *hi_it : *lo_it + 1.0;
      const double width = (hi - lo) / static_cast<double>(bins);
      std::vector<double> counts(bins, 0.0);
      for (const double x : q.samples)
        counts[std::min(bins - 1, static_cast<std::size_t>((x - lo) / width))] += 1.0;
      std::vector<std::string> columns{"bin_center_" + q.unit, "density_per_" + q.unit};
      std::vector<std::unique_ptr<calibrate::Distribution>> pdfs;
      for (const auto &f : q.fits)
        {
          columns.push_back("pdf_" + f.family);
          pdfs.push_back(f.distribution());
        }
      for (auto &c : columns)
        std::replace(c.begin(), c.end(), '/', '_');
      core::CsvWriter csv(columns);
      for (std::size_t b = 0; b < bins; ++b)
        {
          const double x = lo + (static_cast<double>(b) + 0.5) * width;
          std::vector<double> row{x, counts[b] / (static_cast<double>(q.samples.size()) * width)};
          for (const auto &pdf : pdfs)
            row.push_back(pdf->pdf(x));
          csv.add_row(row);
        }
      const std::string name = fmt::format("histogram_{}_{}", q.name, tag(sigma_cg_nm));
      directory.write("histograms/" + name + ".csv", csv.text());

      std::string plot = fmt::format(
        "set title 'σ_{{cg}} = {} nm, {} sites'\nset xlabel '{}'\n"
        "set ylabel 'probability density'\nset style fill transparent solid 0.35 noborder\n"
        "plot 'histograms/{}.csv' skip 1 using 1:2 with boxes lc rgb '#4477aa' title 'samples'",
        sigma_cg_nm, q.samples.size(), plot_label(q), name);
      for (std::size_t i = 0; i < q.fits.size(); ++i)
        plot += fmt::format(", '' skip 1 using 1:{} with lines lw 2 title '{} (AIC {:.1f})'", i + 3,
                            q.fits[i].family, q.fits[i].aic);
      core::render_png_plot(directory, name, plot);
    }
  } // namespace

  void write_calibration_tables(const CalibrationResults &r, const core::RunDirectory &directory,
                                const std::size_t histogram_bins)
  {
    core::CsvWriter fits({"quantity", "sigma_cg_nm", "family", "sample_count", "log_likelihood", "aic",
                          "delta_aic", "ks_statistic", "ks_p_value"});
    core::CsvWriter parameters({"quantity", "sigma_cg_nm", "family", "parameter", "estimate",
                                "standard_error", "ci_lower", "ci_upper"});
    for (const auto &w : r.widths)
      for (const auto *q : quantities(w))
        {
          const double lowest = best_aic(*q);
          for (const auto &f : q->fits)
            {
              fits.add_text_row({q->name, format_number(w.sigma_cg_nm), f.family,
                                 std::to_string(f.sample_count), format_number(f.log_likelihood),
                                 format_number(f.aic), format_number(f.aic - lowest),
                                 format_number(f.ks_statistic), format_number(f.ks_p_value)});
              for (std::size_t i = 0; i < f.estimates.size(); ++i)
                parameters.add_text_row({q->name, format_number(w.sigma_cg_nm), f.family,
                                         f.parameter_names[i], format_number(f.estimates[i]),
                                         format_number(f.standard_errors[i]),
                                         format_number(f.ci_lower[i]), format_number(f.ci_upper[i])});
            }
          write_histogram(*q, w.sigma_cg_nm, directory, histogram_bins);
        }
    directory.write("fits.csv", fits.text());
    directory.write("fit_parameters.csv", parameters.text());

    core::CsvWriter activation({"sigma_cg_nm", "probability", "quadrature_error_bound",
                                "probability_monte_carlo", "monte_carlo_standard_error",
                                "probability_empirical", "probability_per_sigma_cg_cubed_per_nm3"});
    core::CsvWriter curve({"sigma_cg_nm", "sites", "activation_probability"});
    std::string curve_plot;
    for (const auto &w : r.widths)
      if (w.activation)
        {
          const auto &a = *w.activation;
          activation.add_row({w.sigma_cg_nm, a.probability, a.quadrature_error_bound,
                              a.probability_monte_carlo, a.monte_carlo_standard_error,
                              a.probability_empirical, a.probability_per_sigma_cg_cubed_per_nm3});
          for (int decade = 0; decade <= 80; ++decade)
            {
              const double sites = std::pow(10.0, decade / 10.0);
              curve.add_row({w.sigma_cg_nm, sites, calibrate::activation_probability(a.probability, sites)});
            }
          curve_plot += fmt::format("{}'activation_curve.csv' skip 1 using ($1=={} ? $2 : 1/0):3 with "
                                    "lines lw 2 title 'σ_{{cg}} = {} nm, p = {:.3g}'",
                                    curve_plot.empty() ? "plot " : ", ", w.sigma_cg_nm, w.sigma_cg_nm,
                                    a.probability);
        }
    if (!curve_plot.empty())
      {
        directory.write("activation.csv", activation.text());
        directory.write("activation_curve.csv", curve.text());
        core::render_png_plot(directory, "activation_probability",
                              "set logscale x\nset format x '10^{%L}'\nset xlabel 'number of sites n'\n"
                              "set ylabel 'P_{act} = 1 − (1 − p)^n'\nset key bottom right\nset grid\n" +
                                curve_plot);
      }

    if (r.thermal_expansion_variance_scaling)
      {
        core::CsvWriter scaling({"sigma_cg_nm", "alpha_variance_per_K2", "power_law_per_K2"});
        const auto &s = *r.thermal_expansion_variance_scaling;
        for (const auto &w : r.widths)
          if (w.thermal_expansion)
            scaling.add_row({w.sigma_cg_nm, sample_moments(w.thermal_expansion->samples).variance,
                             s.prefactor * std::pow(w.sigma_cg_nm, s.exponent)});
        directory.write("variance_scaling.csv", scaling.text());
        core::render_png_plot(
          directory, "thermal_expansion_variance",
          fmt::format("set logscale xy\nset xlabel 'σ_{{cg}} (nm)'\nset ylabel 'Var(α) (K^{{-2}})'\n"
                      "set grid\nplot 'variance_scaling.csv' skip 1 using 1:2 with points pt 7 ps 1.5 "
                      "title 'measured', '' skip 1 using 1:3 with lines lw 2 title 'σ_{{cg}}^{{{:.2f}}}'",
                      s.exponent));
      }
  }

  std::string calibration_summary(const CalibrationResults &r)
  {
    std::string out = fmt::format("calibration summary (ΔT = {} K)\n", r.high_temperature_K - r.low_temperature_K);
    for (const auto &w : r.widths)
      {
        out += fmt::format("  σ_cg = {} nm\n", w.sigma_cg_nm);
        for (const auto *q : quantities(w))
          {
            const double lowest = best_aic(*q);
            for (const auto &f : q->fits)
              {
                std::string params;
                for (std::size_t i = 0; i < f.estimates.size(); ++i)
                  params += fmt::format("{}{} = {:.4g} [{:.4g}, {:.4g}]", i ? ", " : "",
                                        f.parameter_names[i], f.estimates[i], f.ci_lower[i], f.ci_upper[i]);
                out += fmt::format("    {:<24} {:<10} {}  KS p = {:.3g}{}\n", q->name, f.family, params,
                                   f.ks_p_value, f.aic == lowest && q->fits.size() > 1 ? "  (lowest AIC)" : "");
              }
          }
        if (w.activation)
          {
            const auto &a = *w.activation;
            out += fmt::format("    p(σ_th > σ_y) = {:.4g} (quadrature, ± {:.1g}); Monte Carlo {:.4g} ± {:.2g}; "
                               "empirical {:.3g}\n",
                               a.probability, a.quadrature_error_bound, a.probability_monte_carlo,
                               a.monte_carlo_standard_error, a.probability_empirical);
            for (const auto &[level, sites] : a.sites_for_level)
              out += fmt::format("    P_act = {:g} needs n = {:.4g} sites\n", level, sites);
          }
      }
    if (r.thermal_expansion_variance_scaling)
      out += fmt::format("  Var(α) ∝ σ_cg^{:.3f} ± {:.3f} (R² = {:.4f})\n",
                         r.thermal_expansion_variance_scaling->exponent,
                         r.thermal_expansion_variance_scaling->exponent_standard_error,
                         r.thermal_expansion_variance_scaling->r_squared);
    if (r.probability_per_volume)
      out += fmt::format("  p/σ_cg³ = {:.4g} nm⁻³ (relative spread across widths {:.2f})\n",
                         r.probability_per_volume->first, r.probability_per_volume->second);
    return out;
  }
} // namespace cryocycle::coupling
