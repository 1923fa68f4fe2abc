#include "coupling/stages/extrapolate/extrapolation_outputs.h"

#include "calibrate/activation_probability.h"
#include "calibrate/distribution_registry.h"
#include "core/csv_table.h"
#include "coupling/bridge/scale_bridge.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>

namespace cryocycle::coupling
{
  using core::format_number;

  ReportPart write_record_checks(const core::RunDirectory &directory, const CalibrationRecord &record,
                                 const std::optional<double> element_size_nm, const double tolerance)
  {
    std::string summary;
    std::string md;
    std::vector<double> sigma, p;
    for (const auto &w : record.coarse_grainings)
      if (w.probability && *w.probability > 0.0)
        {
          sigma.push_back(w.sigma_cg_nm);
          p.push_back(*w.probability);
        }
    if (sigma.size() >= 2)
      {
        const double volume_nm3 = 1000.0;
        const SizeInvarianceCheck check =
          check_size_invariance(sigma, p, volume_nm3, tolerance);
        md += fmt::format("\n## p/σ_cg³ invariance (Shang et al. 2018 §V)\n\np/σ_cg³ = {:.4g} nm⁻³ on average, relative "
                          "spread {:.3f} across {} widths: {} (tolerance {}).\n\n| σ_cg (nm) | p | p/σ_cg³ (nm⁻³) | n p "
                          "in 1000 nm³ | P in 1000 nm³ |\n|---|---|---|---|---|\n",
                          check.ratios.mean, check.ratios.relative_standard_deviation, sigma.size(),
                          check.consistent ? "consistent" : "NOT invariant", check.tolerance);
        for (std::size_t i = 0; i < sigma.size(); ++i)
          md += fmt::format("| {} | {:.4g} | {:.4g} | {:.4g} | {:.4g} |\n", sigma[i], p[i], check.ratios.ratios[i],
                            check.expected_events[i], check.cell_probabilities[i]);
        summary += fmt::format("  p/σ_cg³ = {:.4g} nm⁻³, relative spread {:.3f} across {} widths: {}\n",
                                 check.ratios.mean, check.ratios.relative_standard_deviation, sigma.size(),
                                 check.consistent ? "invariant within the tolerance" : "NOT invariant");
      }
    if (!element_size_nm)
      return {summary, md};
    const double h = *element_size_nm;
    const auto fields = site_fields_from_record(record, h);
    core::CsvWriter csv({"quantity", "element_size_nm", "equivalent_sigma_cg_nm", "mean", "standard_deviation",
                         "variance", "variance_lower", "variance_upper", "confidence_level", "exponent",
                         "exponent_standard_error", "widths", "assumed_exponent", "decades_outside_fit"});
    YAML::Emitter y;
    y.SetDoublePrecision(10);
    y << YAML::Comment(fmt::format("Per-site fields for continuum.materials on elements of {} nm, carried from {} with "
                                     "the fitted Var(σ_cg) power laws (cryocycle extrapolate)",
                                     h, record.file.string()));
    y << YAML::BeginMap << YAML::Key << "continuum" << YAML::Value << YAML::BeginMap << YAML::Key << "materials"
      << YAML::Value << YAML::BeginMap;
    md += fmt::format("\n## Local properties on mesh sites of {} nm (σ_cg = {:.4g} nm of equal volume)\n\n| quantity | "
                      "mean | standard deviation | variance interval | Var ∝ σ_cg^b, b |\n|---|---|---|---|---|\n",
                      h, sigma_cg_for_element_size_nm(h));
    for (const auto &f : fields)
      {
        const auto &v = f.variance;
        csv.add_text_row({f.quantity, format_number(h), format_number(v.sigma_cg_nm), format_number(f.mean),
                          format_number(v.standard_deviation), format_number(v.variance), format_number(v.lower),
                          format_number(v.upper), format_number(v.confidence_level), format_number(f.law.fit.exponent),
                          format_number(f.law.fit.exponent_standard_error), std::to_string(f.law.fit.point_count),
                          f.law.assumed_exponent ? "1" : "0", format_number(v.decades_outside_fit)});
        const std::string key = f.quantity == "thermal_expansion_per_K" ? "thermal_expansion_volumetric_per_K" : f.quantity;
        y << YAML::Key << key << YAML::Value << YAML::BeginMap << YAML::Key << "source" << YAML::Value << "random"
          << YAML::Key << "mean" << YAML::Value << f.mean << YAML::Key << "standard_deviation" << YAML::Value
          << v.standard_deviation << YAML::Key << "correlation_length_nm" << YAML::Value << 0 << YAML::EndMap;
        md += fmt::format("| {} | {:.4g} | {:.4g} | [{:.3g}, {:.3g}] | {:.3f}{} |\n", f.quantity, f.mean,
                          v.standard_deviation, v.lower, v.upper, f.law.fit.exponent,
                          f.law.assumed_exponent ? " (assumed: one width)" : "");
        summary += fmt::format("  {} on {} nm sites: mean {:.4g}, standard deviation {:.4g} (Var ∝ σ_cg^{:.2f}{})\n",
                                 f.quantity, h, f.mean, v.standard_deviation, f.law.fit.exponent,
                                 f.law.assumed_exponent ? ", assumed" : "");
      }
    y << YAML::EndMap << YAML::EndMap << YAML::EndMap;
    directory.write("site_fields.csv", csv.text());
    directory.write("site_materials.yaml", std::string(y.c_str()) + "\n");
    return {summary, md};
  }

  ReportPart write_quench_rate_outputs(const core::RunDirectory &directory, const std::vector<GlassState> &glasses,
                                       const double sigma_cg_nm, const std::vector<double> &rates, const double level,
                                       const std::string &thermal_family, const std::string &yield_family)
  {
    std::vector<QuenchRateTrend> trends;
    // Every family fitted to every quantity in all records at this width.
    const RecordedCoarseGraining &first = glasses.front().record.width(sigma_cg_nm);
    for (const auto &quantity : first.quantities)
      for (const auto &fit : quantity.fits)
        {
          bool everywhere = true;
          for (const auto &g : glasses)
            {
              const auto *other = g.record.width(sigma_cg_nm).quantity(quantity.name);
              everywhere = everywhere && other != nullptr && other->fit(fit.family) != nullptr;
            }
          if (everywhere)
            for (auto &t : distribution_parameter_trends(glasses, sigma_cg_nm, quantity.name, fit.family))
              trends.push_back(std::move(t));
        }
    const bool energies = std::all_of(glasses.begin(), glasses.end(),
                                        [](const GlassState &g) { return g.as_quenched_energy_J_per_mol.has_value(); });
    if (energies)
      trends.push_back(as_quenched_energy_trend(glasses));

    core::CsvWriter fits({"quantity", "scale", "intercept", "slope_per_decade", "intercept_standard_error",
                          "slope_standard_error", "points", "weighted", "smallest_log10_rate", "largest_log10_rate"});
    core::CsvWriter predictions({"quantity", "quench_rate_K_per_s", "value", "lower", "upper", "confidence_level",
                                   "decades_extrapolated"});
    std::string md = fmt::format("\n## Cooling-rate extrapolation\n\n{} glasses at {}; each parameter is fitted "
                                   "against log10 Q (ln of positive parameters), {:.0f}% prediction intervals.\n\n"
                                   "| quantity | Q (K/s) | value | interval | decades extrapolated |\n|---|---|---|---|---|\n",
                                   glasses.size(), [&] {
                                     std::string list;
                                     for (const auto &g : glasses)
                                       list += fmt::format("{}{:.3g} K/s", list.empty() ? "" : ", ", g.quench_rate_K_per_s);
                                     return list;
                                   }(),
                                   100 * level);
    double worst = 0.0;
    for (const auto &t : trends)
      {
        fits.add_text_row({'"' + t.name + '"', t.scale == TrendScale::linear ? "linear" : "logarithmic",
                           format_number(t.fit.intercept), format_number(t.fit.slope),
                           format_number(t.fit.intercept_standard_error), format_number(t.fit.slope_standard_error),
                           std::to_string(t.fit.point_count), t.fit.weighted ? "1" : "0",
                           format_number(t.fit.smallest_x), format_number(t.fit.largest_x)});
        for (const double rate : rates)
          {
            const auto p = predict_at_quench_rate(t, rate, level);
            worst = std::max(worst, p.decades_extrapolated);
            predictions.add_text_row({'"' + t.name + '"', format_number(rate), format_number(p.value),
                                        format_number(p.lower), format_number(p.upper), format_number(level),
                                        format_number(p.decades_extrapolated)});
            const std::string interval = std::isnan(p.lower) ? "unknown (two points without standard errors)"
                                                             : fmt::format("[{:.4g}, {:.4g}]", p.lower, p.upper);
            md += fmt::format("| {} | {:.3g} | {:.4g} | {} | {:.1f}{} |\n", t.name, rate, p.value, interval,
                              p.decades_extrapolated, p.extrapolated() ? " (extrapolated)" : "");
          }
      }
    // p(σ_th > σ_y) from the carried parameters of both stress distributions (central values).
    const auto carried_parameters = [&](const std::string &quantity, const std::string &family, const double rate) {
      std::vector<double> values;
      for (const auto &name : calibrate::builtin_distribution_registry().family(family).parameter_names)
        for (const auto &t : trends)
          if (t.name == quantity + " " + family + " " + name)
            values.push_back(predict_at_quench_rate(t, rate, level).value);
      return values;
    };
    for (const double rate : rates)
      {
        const auto thermal = carried_parameters("thermal_stress_GPa", thermal_family, rate);
        const auto yield = carried_parameters("yield_stress_GPa", yield_family, rate);
        if (thermal.empty() || yield.empty())
          break;
        try
          {
            const double p = calibrate::probability_stress_exceeds_yield(
                               *calibrate::make_distribution(thermal_family, thermal),
                               *calibrate::make_distribution(yield_family, yield))
                               .value;
            const double decades = predict_at_quench_rate(trends.front(), rate, level).decades_extrapolated;
            predictions.add_text_row({"\"p(sigma_th > sigma_y)\"", format_number(rate), format_number(p), "", "",
                                      format_number(level), format_number(decades)});
            md += fmt::format("| p(σ_th > σ_y) from the carried {} σ_th and {} σ_y | {:.3g} | {:.4g} (P_act = 0.9 at n = "
                              "{:.4g}) | — | {:.1f} |\n",
                              thermal_family, yield_family, rate, p, calibrate::sites_for_activation(p, 0.9), decades);
          }
        catch (const std::exception &e)
          {
            md += fmt::format("| p(σ_th > σ_y) | {:.3g} | not defined: {} | — | — |\n", rate, e.what());
          }
      }
    directory.write("quench_rate_trends.csv", fits.text());
    directory.write("quench_rate_extrapolation.csv", predictions.text());
    std::string summary = fmt::format("  cooling-rate trends of {} quantities from {} glasses carried to {} rates, up "
                                        "to {:.1f} decades beyond the calibrated ones (quench_rate_extrapolation.csv)\n",
                                        trends.size(), glasses.size(), rates.size(), worst);
    if (energies)
      {
        const ContinuumStateLaw law = continuum_state_law(glasses, sigma_cg_nm, yield_family);
        YAML::Emitter y;
        y.SetDoublePrecision(10);
        y << YAML::Comment("State law for continuum.cycles from the calibrations at the slowest- and fastest-"
                           "quenched glasses (cryocycle extrapolate)");
        y << YAML::BeginMap << YAML::Key << "continuum" << YAML::Value << YAML::BeginMap << YAML::Key << "cycles"
          << YAML::Value << YAML::BeginMap;
        y << YAML::Key << "yield_stress_family" << YAML::Value << law.yield_family;
        y << YAML::Key << "yield_stress_relaxed" << YAML::Value << YAML::Flow << law.yield_relaxed;
        y << YAML::Key << "yield_stress_rejuvenated" << YAML::Value << YAML::Flow << law.yield_rejuvenated;
        y << YAML::Key << "stored_energy_relaxed_J_per_mol" << YAML::Value << law.stored_energy_relaxed_J_per_mol;
        y << YAML::Key << "stored_energy_rejuvenated_J_per_mol" << YAML::Value
          << law.stored_energy_rejuvenated_J_per_mol;
        y << YAML::EndMap << YAML::EndMap << YAML::EndMap;
        directory.write("state_law.yaml", std::string(y.c_str()) + "\n");
        summary += fmt::format("  state law (state_law.yaml): σ_y {} [{}] at {:.3g} K/s → [{}] at {:.3g} K/s, stored "
                                 "energy 0 → {:.4g} J/mol\n",
                                 law.yield_family, fmt::join(law.yield_relaxed, ", "), law.relaxed_quench_rate_K_per_s,
                                 fmt::join(law.yield_rejuvenated, ", "), law.rejuvenated_quench_rate_K_per_s,
                                 law.stored_energy_rejuvenated_J_per_mol);
        md += "\nState law for `continuum.cycles`: state_law.yaml.\n";
      }
    return {summary, md};
  }
} // namespace cryocycle::coupling
