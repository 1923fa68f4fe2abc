#include "coupling/stages/compare/compare_stage.h"

#include "core/csv_table.h"
#include "core/gnuplot_plot.h"
#include "core/log.h"
#include "coupling/stages/compare/experimental_data.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

namespace cryocycle::coupling
{
  namespace
  {
    namespace fs = std::filesystem;

    std::vector<std::string> split_names(const std::string &text)
    {
      std::istringstream in(text);
      std::vector<std::string> names;
      for (std::string n; in >> n;)
        names.push_back(n);
      return names;
    }

    bool selected(const std::vector<std::string> &only, const std::string &name)
    {
      return only.empty() || std::find(only.begin(), only.end(), name) != only.end();
    }

    void declare(core::ConfigSection &root)
    {
      std::string observables;
      for (const auto &o : model_observables())
        observables += (observables.empty() ? "" : ", ") + o.name;
      auto &s = root.section("compare", "Model runs against measured data sets (configs/experiments); a data "
                                        "set maps to one model observable: " + observables + ".");
      auto &e = s.section_list("experiments", "Experiment files (format: configs/experiments/*.yaml).", 1);
      e.input_file("file", "An experiment file.", true);
      e.text("only", "", "Names of the data sets of this file to use, separated by spaces (empty: all).");
      auto &m = s.section_list("model_runs", "Continuum runs of mode cycles to compare.", 1);
      m.text("label", "", "Name of the run in the report and plots (default: its folder name).");
      m.text("run_directory", "",
             "The run directory (holding cycles.csv, config.yaml, manifest.yaml), relative to the working "
             "directory like output_dir.");
      m.text("only", "", "Data-set names this run is compared with, separated by spaces (empty: all).");
      m.check([](const core::ConfigValues &v) {
        if (v.text("run_directory").empty())
          v.fail("run_directory", "every model run needs a run_directory");
      });
      s.boolean("plots", true, "Write PNG plots of the per-cycle observables (model curve and measured points).");
    }

    /// One measured point held against one model run.
    struct ComparisonRow
    {
      const ExperimentalDataSet *set = nullptr;
      const MeasuredPoint *point = nullptr;
      const ModelRun *run = nullptr;
      ModelValue model;
      std::optional<Residual> residual;
    };

    std::string number(const double v) { return fmt::format("{:.4g}", v); }
    std::string optional_number(const std::optional<double> &v) { return v ? number(*v) : ""; }
    /// A unit as people write it, with a leading space ("" for dimensionless).
    std::string unit_label(const std::string &unit)
    {
      if (unit == "dimensionless")
        return "";
      if (unit == "J_per_mol")
        return " J/mol";
      if (unit == "um")
        return " µm";
      if (unit == "percent")
        return " %";
      if (unit == "cycle")
        return " (cycle)";
      return " " + unit;
    }

    /// A quoted CSV text field.
    std::string csv_text(const std::string &text)
    {
      std::string quoted = "\"";
      for (const char c : text)
        quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
      return quoted + "\"";
    }

    /// A Markdown table cell: no pipes or line breaks.
    std::string cell(std::string text)
    {
      std::replace(text.begin(), text.end(), '|', '/');
      std::replace(text.begin(), text.end(), '\n', ' ');
      return text;
    }

    class CompareStage final : public Stage
    {
    public:
      std::vector<std::string> sections() const override { return {"compare"}; }

      void prepare(const core::ConfigValues &config) override
      {
        const auto c = config.section("compare");
        sets_.clear();
        runs_.clear();
        files_.clear();
        plots_ = c.boolean("plots");
        std::set<std::string> names;
        for (const auto &e : c.section_list("experiments"))
          {
            const fs::path file = e.input_file("file");
            files_.emplace_back(e.path() + ".file", file);
            const auto only = split_names(e.text("only"));
            const auto loaded = load_experimental_data(file);
            for (const auto &name : only)
              if (std::none_of(loaded.begin(), loaded.end(), [&](const auto &s) { return s.name == name; }))
                e.fail("only", "no data set '" + name + "' in " + file.string());
            for (const auto &set : loaded)
              if (selected(only, set.name))
                {
                  if (!names.insert(set.name).second)
                    e.fail("file", "data set '" + set.name + "' appears in two experiment files");
                  sets_.push_back(set);
                }
          }
        for (const auto &m : c.section_list("model_runs"))
          {
            const fs::path directory = m.text("run_directory");
            std::string label = m.text("label");
            if (label.empty())
              label = fs::absolute(directory).lexically_normal().filename().string();
            try
              {
                runs_.push_back(read_model_run(directory, label));
              }
            catch (const std::exception &e)
              {
                m.fail("run_directory", e.what());
              }
            const auto only = split_names(m.text("only"));
            for (const auto &name : only)
              if (names.count(name) == 0)
                m.fail("only", "no data set '" + name + "' in the experiment files");
            run_only_.push_back(only);
          }
      }

      void run(RunContext &context) override;

    private:
      void write_plots(const core::RunDirectory &directory, const std::vector<ComparisonRow> &rows) const;
      std::string report(const std::vector<ComparisonRow> &rows) const;

      std::vector<ExperimentalDataSet> sets_;
      std::vector<ModelRun> runs_;
      std::vector<std::vector<std::string>> run_only_;
      std::vector<std::pair<std::string, fs::path>> files_;
      bool plots_ = true;
    };

    void CompareStage::run(RunContext &context)
    {
      auto &log = core::Log::instance();
      for (const auto &[key, file] : files_)
        context.manifest.add_input(key, file);
      for (std::size_t r = 0; r < runs_.size(); ++r)
        context.manifest.add_input("compare.model_runs[" + std::to_string(r) + "].config",
                                   runs_[r].directory / "config.yaml");

      std::vector<ComparisonRow> rows;
      for (const auto &set : sets_)
        for (const auto &point : set.points)
          for (std::size_t r = 0; r < runs_.size(); ++r)
            {
              if (!selected(run_only_[r], set.name))
                continue;
              ComparisonRow row{&set, &point, &runs_[r], model_value(set, point, runs_[r]), std::nullopt};
              if (row.model.value)
                row.residual = residual(*row.model.value, point);
              rows.push_back(row);
            }

      core::CsvWriter csv({"data_set", "state", "cycle", "low_temperature_K", "model_run", "observable", "unit",
                           "measured", "uncertainty", "model", "residual_absolute", "residual_relative",
                           "residual_in_uncertainties", "compared", "note"});
      for (const auto &row : rows)
        {
          const auto &p = *row.point;
          const auto &res = row.residual;
          csv.add_text_row(
            {row.set->name, csv_text(p.state), p.cycle ? std::to_string(*p.cycle) : "",
             p.low_temperature_K ? core::format_number(*p.low_temperature_K) : "", csv_text(row.run->label),
             row.set->observable, row.set->unit, core::format_number(p.value),
             p.uncertainty ? core::format_number(*p.uncertainty) : "",
             row.model.value ? core::format_number(*row.model.value) : "",
             res ? core::format_number(res->absolute) : "",
             res && res->relative ? core::format_number(*res->relative) : "",
             res && res->in_uncertainties ? core::format_number(*res->in_uncertainties) : "", res ? "1" : "0",
             csv_text(res ? row.model.note : row.model.not_compared)});
        }
      context.directory.write("residuals.csv", csv.text());
      if (plots_)
        {
          const auto timer = context.timers.scope("output");
          write_plots(context.directory, rows);
        }
      context.directory.write("report.md", report(rows));

      std::size_t compared = 0, within_one = 0, with_uncertainty = 0;
      for (const auto &row : rows)
        if (row.residual)
          {
            ++compared;
            if (row.residual->in_uncertainties)
              {
                ++with_uncertainty;
                within_one += std::abs(*row.residual->in_uncertainties) <= 1.0 ? 1 : 0;
              }
          }
      const std::string summary =
        fmt::format("compared {} measured points of {} data sets with {} model run(s): {} have a stated "
                    "uncertainty, {} of them lie within one uncertainty; report.md, residuals.csv{}\n",
                    compared, sets_.size(), runs_.size(), with_uncertainty, within_one, plots_ ? ", plots/" : "");
      context.directory.write("summary.txt", summary);
      log.info(summary);
    }

    void CompareStage::write_plots(const core::RunDirectory &directory, const std::vector<ComparisonRow> &rows) const
    {
      for (const auto &set : sets_)
        {
          std::vector<std::string> curves;
          for (std::size_t r = 0; r < runs_.size(); ++r)
            {
              const bool compared = std::any_of(rows.begin(), rows.end(), [&](const ComparisonRow &row) {
                return row.set == &set && row.run == &runs_[r] && row.residual;
              });
              const auto curve = compared ? model_curve(set, runs_[r]) : std::vector<std::pair<long long, double>>{};
              if (curve.empty())
                continue;
              core::CsvWriter table({"cycle", "model"});
              for (const auto &[cycle, value] : curve)
                table.add_row({static_cast<double>(cycle), value});
              const std::string file = fmt::format("plot_data/{}_model_{}.csv", set.name, r + 1);
              directory.write(file, table.text());
              curves.push_back(fmt::format("{} skip 1 using 1:2 with linespoints lw 2 pt 6 title {} noenhanced",
                                           core::gnuplot_quoted(file), core::gnuplot_quoted("model: " + runs_[r].label)));
            }
          if (curves.empty())
            continue;
          // Only the points held against a run: others were measured under other conditions.
          core::CsvWriter measured({"cycle", "measured", "uncertainty"});
          for (const auto &p : set.points)
            if (p.cycle && std::any_of(rows.begin(), rows.end(), [&](const ComparisonRow &row) {
                  return row.point == &p && row.residual;
                }))
              measured.add_row({static_cast<double>(*p.cycle), p.value, p.uncertainty.value_or(0.0)});
          const std::string measured_file = "plot_data/" + set.name + "_measured.csv";
          directory.write(measured_file, measured.text());
          std::string script = fmt::format("set xlabel 'cycle N'\nset ylabel {} noenhanced\nset title {} "
                                           "noenhanced\nset key top right\nset offsets 0.5, 0.5, 0, 0\nplot ",
                                           core::gnuplot_quoted(set.observable + unit_label(set.unit)),
                                           core::gnuplot_quoted(set.name + ": " + set.material));
          for (const auto &c : curves)
            script += c + ", ";
          script += core::gnuplot_quoted(measured_file) + " skip 1 using 1:2:3 with yerrorbars pt 7 ps 1.5 lc rgb 'black' "
                    "title 'measured' noenhanced";
          core::render_png_plot(directory, "compare_" + set.name, script);
        }
    }

    std::string CompareStage::report(const std::vector<ComparisonRow> &rows) const
    {
      std::string md = "# Model against experiment\n\n";
      md += fmt::format("{} data sets, {} model run(s). Residual = model − measured; relative = residual / "
                        "|measured|; z = residual / the measurement's stated uncertainty (blank where the source "
                        "states none). Table: residuals.csv.\n\n",
                        sets_.size(), runs_.size());
      md += "## Model runs\n\n| run | directory | cycles | T range (K) | low hold (min) | config SHA-256 |\n"
            "|---|---|---|---|---|---|\n";
      for (const auto &r : runs_)
        md += fmt::format("| {} | {} | {} | {} ↔ {} | {:.4g} | {} |\n", cell(r.label), r.directory.string(),
                          r.cycle_count, r.high_temperature_K, r.low_temperature_K, r.low_hold_s / 60.0,
                          r.config_sha256.substr(0, 12));
      md += "\n## Comparison\n";
      for (const auto &set : sets_)
        {
          if (set.observable == "none")
            continue;
          md += fmt::format("\n### {} — {}\n\n", set.name, set.quantity);
          md += fmt::format("- material: {}\n- source: {}\n- model observable: `{}` — {}\n", set.material,
                            set.reference, set.observable, set.mapping);
          if (!set.uncertainty_note.empty())
            md += "- uncertainty: " + set.uncertainty_note + "\n";
          if (set.figure_only)
            md += "- the source gives the full data only as a figure; compared are the numbers its text states" +
                  (set.figure_note.empty() ? std::string() : " (" + set.figure_note + ")") + "\n";
          md += fmt::format("\n| state | N | T_low (K) | model run | measured{0} | model{0} | model − measured | "
                            "relative | z | note |\n|---|---|---|---|---|---|---|---|---|---|\n",
                            unit_label(set.unit));
          bool plotted = false;
          for (const auto &row : rows)
            {
              if (row.set != &set)
                continue;
              const auto &p = *row.point;
              const std::string measured =
                number(p.value) + (p.uncertainty ? " ± " + number(*p.uncertainty) : std::string());
              if (!row.residual)
                {
                  md += fmt::format("| {} | {} | {} | {} | {} | — | — | — | — | not compared: {} |\n", cell(p.state),
                                    p.cycle ? std::to_string(*p.cycle) : "", optional_number(p.low_temperature_K),
                                    cell(row.run->label), measured, cell(row.model.not_compared));
                  continue;
                }
              plotted = plotted || row.point->cycle.has_value();
              const auto &res = *row.residual;
              md += fmt::format("| {} | {} | {} | {} | {} | {} | {:+.4g} | {} | {} | {} |\n", cell(p.state),
                                p.cycle ? std::to_string(*p.cycle) : "", optional_number(p.low_temperature_K),
                                cell(row.run->label), measured, number(*row.model.value), res.absolute,
                                res.relative ? fmt::format("{:+.1f}%", 100.0 * *res.relative) : "",
                                res.in_uncertainties ? fmt::format("{:+.2f}", *res.in_uncertainties) : "",
                                cell(row.model.note));
            }
          if (plotted && plots_ &&
              std::any_of(model_observables().begin(), model_observables().end(),
                          [&](const ObservableInfo &o) { return o.name == set.observable && o.per_cycle; }))
            md += fmt::format("\n![{0}](plots/compare_{0}.png)\n", set.name);
        }

      md += "\n## What the model cannot speak to\n\n";
      for (const auto &set : sets_)
        {
          if (set.observable != "none")
            continue;
          std::string values;
          for (const auto &p : set.points)
            values += (values.empty() ? "" : "; ") + (p.state.empty() ? "" : p.state + ": ") + number(p.value) +
                      (p.uncertainty ? " ± " + number(*p.uncertainty) : std::string()) + unit_label(set.unit);
          md += fmt::format("- **{}** — {} ({}; {}): {}. *Why not compared:* {}\n", set.name, set.quantity,
                            set.material, set.reference, values, set.reason);
        }
      md += "\nGeneral limits of this comparison:\n\n"
            "- The model's stored energy is relative to its own relaxed state; absolute enthalpies "
            "(`stored_energy_J_per_mol`) mean something only when continuum.cycles' relaxed and rejuvenated "
            "energies are calibrated absolutely. Ratios use the measured as-cast H_rel to turn ΔE into a ratio.\n"
            "- σ_y is a local shear-transformation stress; indentation pressures and hardness are compared only "
            "as relative changes, and hardness, moduli and plasticity not at all.\n"
            "- A continuum run is one set of conditions (temperatures, holds, rates); measured points under "
            "other conditions are listed as not compared rather than stretched to fit.\n"
            "- Where a source gives a curve only as a figure, only the numbers its text states are compared.\n";
      bool any = false;
      for (const auto &row : rows)
        if (!row.residual && row.set->observable != "none")
          {
            if (!any)
              md += "\nMeasured points not compared with a run:\n\n";
            any = true;
            md += fmt::format("- {} / {} / {}: {}\n", row.set->name, row.point->state, row.run->label,
                              row.model.not_compared);
          }
      return md;
    }
  } // namespace

  StageEntry compare_stage_entry()
  {
    return {"compare",
            "Model against experiment: continuum cycle runs held against measured data sets "
            "(configs/experiments) with residuals, plots and a Markdown report",
            &declare, [] { return std::make_unique<CompareStage>(); }};
  }
} // namespace cryocycle::coupling
