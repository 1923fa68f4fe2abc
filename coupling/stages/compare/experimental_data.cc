#include "coupling/stages/compare/experimental_data.h"

#include "core/config_values.h"
#include "core/csv_table.h"
#include "core/run_directory.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>

namespace cryocycle::coupling
{
  namespace fs = std::filesystem;
  using core::ConfigRange;

  namespace
  {
    const std::vector<std::string> units{"dimensionless", "GPa", "J_per_mol", "cycle", "percent", "um", "K"};

    /// The key of a point's value (or uncertainty) in `unit`: units are part of key names.
    std::string unit_key(const std::string &stem, const std::string &unit)
    {
      return unit == "dimensionless" ? stem : stem + "_" + unit;
    }

    const ObservableInfo *find_observable(const std::string &name)
    {
      for (const auto &o : model_observables())
        if (o.name == name)
          return &o;
      return nullptr;
    }

    std::string observable_names()
    {
      std::string names;
      for (const auto &o : model_observables())
        names += (names.empty() ? "" : ", ") + o.name;
      return names;
    }

    /// Stored-energy ratio at row i: 1 + ΔE/reference, or E(N)/E(0) without a reference.
    std::optional<double> stored_energy_ratio(const ExperimentalDataSet &set, const ModelRun &run,
                                              const std::size_t i, std::string &why)
    {
      const double initial = run.cycles.front().stored_energy_J_per_mol;
      const double energy = run.cycles[i].stored_energy_J_per_mol;
      if (set.reference_J_per_mol)
        return 1.0 + (energy - initial) / *set.reference_J_per_mol;
      if (!(initial > 0.0))
        {
          why = fmt::format("the model's stored energy at cycle 0 is {} J/mol, so E(N)/E(0) is undefined; "
                            "give model.reference_J_per_mol (the measured as-cast H_rel) to compare 1 + ΔE/H_rel",
                            initial);
          return std::nullopt;
        }
      return energy / initial;
    }

    /// Per-cycle observable at row i of the run.
    std::optional<double> per_cycle_value(const ExperimentalDataSet &set, const ModelRun &run, const std::size_t i,
                                          std::string &why)
    {
      const auto &row = run.cycles[i];
      const auto &first = run.cycles.front();
      if (set.observable == "stored_energy_ratio")
        return stored_energy_ratio(set, run, i, why);
      if (set.observable == "stored_energy_J_per_mol")
        return row.stored_energy_J_per_mol;
      if (set.observable == "stored_energy_change_J_per_mol")
        return row.stored_energy_J_per_mol - first.stored_energy_J_per_mol;
      if (set.observable == "yield_median_ratio")
        {
          if (!(first.yield_median_GPa > 0.0))
            {
              why = "the model's σ_y median at cycle 0 is not positive";
              return std::nullopt;
            }
          return row.yield_median_GPa / first.yield_median_GPa;
        }
      if (set.observable == "yield_relative_half_width")
        return 0.5 * row.yield_decile_width;
      why = "observable " + set.observable + " is not per cycle";
      return std::nullopt;
    }
  } // namespace

  const std::vector<ObservableInfo> &model_observables()
  {
    static const std::vector<ObservableInfo> all{
      {"stored_energy_ratio", "dimensionless", true,
       "1 + (E(N) − E(0)) / model.reference_J_per_mol, or E(N)/E(0) without a reference (stored energy of "
       "cycles.csv ↔ heat of relaxation H_rel)"},
      {"stored_energy_J_per_mol", "J_per_mol", true, "E(N), the stored energy of cycles.csv"},
      {"stored_energy_change_J_per_mol", "J_per_mol", true, "E(N) − E(0)"},
      {"stored_energy_peak_cycle", "cycle", false, "the cycle N at which E(N) is largest (first one)"},
      {"maximum_stored_energy_ratio", "dimensionless", false, "the largest stored_energy_ratio over all cycles"},
      {"maximum_stored_energy_increase_J_per_mol", "J_per_mol", false, "max over N of E(N) − E(0)"},
      {"yield_median_ratio", "dimensionless", true, "median σ_y(N) / median σ_y(0) of cycles.csv"},
      {"yield_relative_half_width", "dimensionless", true,
       "half the 1st–9th decile width of σ_y relative to its median, (σ_y,90% − σ_y,10%) / (2 median)"},
      {"none", "", false, "not compared: the model cannot speak to it (model.reason says why)"}};
    return all;
  }

  const core::ConfigSection &experimental_data_schema()
  {
    static const core::ConfigSection schema = [] {
      core::ConfigSection root("cryocycle experimental data sets");
      root.integer("format_version", 1, ConfigRange::closed(1, 1), "Format of this file.");
      auto &source = root.section("source", "Where the numbers come from.");
      source.text("reference", "", "Publication.");
      source.text("note", "", "Remarks that apply to every data set of the file.");
      auto &set = root.section_list("data_sets", "Measured data sets.", 1);
      set.identifier("name", "", "Unique name (used by compare's `only` and in the report).");
      set.text("quantity", "", "What was measured, in words.");
      set.text("material", "", "Glass composition and sample form.");
      set.text("reference", "", "Figure, table or section of the source.");
      set.boolean("figure_only", false,
                  "The source gives the full data only as a figure; the points are the numbers its text states.");
      set.text("figure_note", "", "What the figure shows beyond the points given here.");
      set.choice("unit", "dimensionless", units,
                 "Unit of the values; point keys carry it: value / uncertainty (dimensionless), value_GPa, "
                 "uncertainty_GPa, value_J_per_mol, value_cycle, value_percent, value_um, value_K.");
      set.text("uncertainty_note", "", "What the uncertainties are (standard deviation, stated range, ...).");
      auto &model = set.section("model", "The model observable the data set maps to.");
      model.text("observable", "", "A model observable (compare --print-config lists them) or none.");
      model.optional_real("reference_J_per_mol", ConfigRange::positive(),
                          "stored_energy_ratio, maximum_stored_energy_ratio: measured as-cast H_rel; the model "
                          "ratio is then 1 + ΔE(N)/reference instead of E(N)/E(0).");
      model.text("mapping", "", "How measurement and model observable correspond, and what is assumed.");
      model.text("reason", "", "observable none: why the model cannot speak to this data set.");
      auto &point = set.section_list("points", "Measured points.");
      point.text("state", "", "Treatment state, e.g. 'as cast', 'after 10 RT-77K cycles'.");
      point.optional_real("cycle", ConfigRange::closed(0, 1e9), "Model cycle N this state corresponds to.");
      point.optional_real("low_temperature_K", ConfigRange::closed(0, 5000), "Lowest temperature of the treatment.");
      point.optional_real("low_hold_min", ConfigRange::non_negative(), "Hold time at the lowest temperature.");
      point.optional_real("high_temperature_K", ConfigRange::closed(0, 5000), "Upper temperature of the cycles.");
      for (const auto &unit : units)
        {
          point.optional_real(unit_key("value", unit), ConfigRange::any(), "Measured value in " + unit + ".");
          point.optional_real(unit_key("uncertainty", unit), ConfigRange::non_negative(),
                              "Its uncertainty (see the data set's uncertainty_note); absent when none is stated.");
        }
      point.text("reference", "", "Figure / table / section of this number.");
      point.text("note", "", "How the number was read or derived.");
      return root;
    }();
    return schema;
  }

  std::vector<ExperimentalDataSet> load_experimental_data(const fs::path &file)
  {
    const core::ConfigValues root = core::load_config_file(experimental_data_schema(), file);
    std::vector<ExperimentalDataSet> sets;
    for (const auto &v : root.section_list("data_sets"))
      {
        ExperimentalDataSet s;
        s.file = file.string();
        s.name = v.text("name");
        if (s.name.empty())
          v.fail("name", "every data set needs a name");
        for (const auto &other : sets)
          if (other.name == s.name)
            v.fail("name", "data set name '" + s.name + "' is used twice in this file");
        s.quantity = v.text("quantity");
        s.material = v.text("material");
        s.reference = v.text("reference");
        if (s.reference.empty())
          v.fail("reference", "data set '" + s.name + "' gives no reference (figure, table or section)");
        s.figure_only = v.boolean("figure_only");
        s.figure_note = v.text("figure_note");
        s.unit = v.text("unit");
        s.uncertainty_note = v.text("uncertainty_note");
        const auto m = v.section("model");
        s.observable = m.text("observable");
        s.mapping = m.text("mapping");
        s.reason = m.text("reason");
        if (m.has("reference_J_per_mol"))
          s.reference_J_per_mol = m.real("reference_J_per_mol");
        if (s.observable.empty())
          m.fail("observable", "data set '" + s.name + "' declares no model observable; give one of " +
                                 observable_names() + " (none with a reason when the model cannot speak to it)");
        const ObservableInfo *info = find_observable(s.observable);
        if (info == nullptr)
          {
            std::string nearest;
            std::size_t best = 1000;
            for (const auto &o : model_observables())
              if (const std::size_t d = core::edit_distance(o.name, s.observable); d < best)
                best = d, nearest = o.name;
            m.fail("observable", "unknown model observable '" + s.observable + "' (did you mean '" + nearest +
                                   "'? known: " + observable_names() + ")");
          }
        if (s.observable == "none")
          {
            if (s.reason.empty())
              m.fail("reason", "data set '" + s.name + "' maps to no observable (none) but gives no reason");
          }
        else
          {
            if (s.mapping.empty())
              m.fail("mapping", "data set '" + s.name + "' maps to " + s.observable +
                                  " but does not say how (model.mapping)");
            if (info->unit != s.unit)
              v.fail("unit", fmt::format("observable {} is in {}, the data set in {}", s.observable, info->unit,
                                         s.unit));
          }
        if (m.has("reference_J_per_mol") && s.observable != "stored_energy_ratio" &&
            s.observable != "maximum_stored_energy_ratio")
          m.fail("reference_J_per_mol", "only stored_energy_ratio and maximum_stored_energy_ratio use a reference");
        const std::string value_key = unit_key("value", s.unit);
        const std::string uncertainty_key = unit_key("uncertainty", s.unit);
        for (const auto &p : v.section_list("points"))
          {
            for (const auto &unit : units)
              if (unit != s.unit)
                for (const char *stem : {"value", "uncertainty"})
                  if (p.has(unit_key(stem, unit)))
                    p.fail(unit_key(stem, unit), fmt::format("the data set's unit is {}: use {}", s.unit,
                                                             unit_key(stem, s.unit)));
            if (!p.has(value_key))
              p.fail(value_key, "a point of data set '" + s.name + "' has no " + value_key);
            MeasuredPoint point;
            point.state = p.text("state");
            point.value = p.real(value_key);
            if (p.has(uncertainty_key))
              point.uncertainty = p.real(uncertainty_key);
            if (p.has("cycle"))
              {
                const double c = p.real("cycle");
                if (c != std::floor(c))
                  p.fail("cycle", fmt::format("cycle must be a whole number, got {}", c));
                point.cycle = static_cast<long long>(c);
              }
            else if (info->per_cycle)
              p.fail("cycle", "observable " + s.observable + " is per cycle: every point needs the model cycle N");
            if (p.has("low_temperature_K"))
              point.low_temperature_K = p.real("low_temperature_K");
            if (p.has("low_hold_min"))
              point.low_hold_min = p.real("low_hold_min");
            point.reference = p.text("reference");
            point.note = p.text("note");
            s.points.push_back(point);
          }
        if (s.points.empty() && !s.figure_only)
          v.fail("points", "data set '" + s.name + "' has no points (set figure_only for a figure without numbers)");
        sets.push_back(std::move(s));
      }
    return sets;
  }

  ModelRun read_model_run(const fs::path &directory, const std::string &label)
  {
    ModelRun run;
    run.label = label;
    run.directory = fs::absolute(directory).lexically_normal();
    const fs::path manifest = run.directory / "manifest.yaml";
    const fs::path config = run.directory / "config.yaml";
    const fs::path table = run.directory / "cycles.csv";
    if (!fs::is_directory(run.directory))
      throw std::runtime_error("model run directory " + run.directory.string() + " does not exist");
    for (const auto &f : {manifest, config, table})
      if (!fs::is_regular_file(f))
        throw std::runtime_error(run.directory.string() + " is not a completed continuum run of mode cycles: no " +
                                 f.filename().string());
    const YAML::Node m = YAML::LoadFile(manifest.string());
    const std::string status = m["status"] ? m["status"].as<std::string>() : "";
    if (status.rfind("completed", 0) != 0)
      throw std::runtime_error(manifest.string() + ": the run did not complete (status: " + status + ")");
    const YAML::Node c = YAML::LoadFile(config.string());
    const YAML::Node continuum = c["continuum"];
    if (!continuum || !continuum["mode"] || continuum["mode"].as<std::string>() != "cycles")
      throw std::runtime_error(config.string() + ": not a continuum run of mode cycles");
    const YAML::Node cycles = continuum["cycles"];
    run.high_temperature_K = cycles["high_temperature_K"].as<double>();
    run.low_temperature_K = cycles["low_temperature_K"].as<double>();
    run.low_hold_s = cycles["low_hold_s"].as<double>();
    run.cycle_count = cycles["count"].as<long long>();
    run.config_sha256 = core::sha256_of_file(config);
    const auto csv = core::CsvTable::read(table);
    for (const char *column : {"cycle", "stored_energy_J_per_mol", "yield_median_GPa", "yield_decile_width"})
      if (!csv.has_column(column))
        throw std::runtime_error(table.string() + ": no column " + column);
    for (std::size_t i = 0; i < csv.row_count(); ++i)
      run.cycles.push_back({std::llround(csv.column("cycle")[i]), csv.column("stored_energy_J_per_mol")[i],
                            csv.column("yield_median_GPa")[i], csv.column("yield_decile_width")[i]});
    if (run.cycles.empty() || run.cycles.front().cycle != 0)
      throw std::runtime_error(table.string() + ": the first row must be cycle 0 (the state before cycling)");
    return run;
  }

  ModelValue model_value(const ExperimentalDataSet &set, const MeasuredPoint &point, const ModelRun &run)
  {
    ModelValue out;
    if (set.observable == "none")
      {
        out.not_compared = set.reason;
        return out;
      }
    if (point.low_temperature_K && std::abs(*point.low_temperature_K - run.low_temperature_K) > 0.5)
      {
        out.not_compared = fmt::format("the model run cycles to {} K, the measurement to {} K", run.low_temperature_K,
                                       *point.low_temperature_K);
        return out;
      }
    if (point.low_hold_min && std::abs(*point.low_hold_min - run.low_hold_s / 60.0) > 1e-6 * (1.0 + *point.low_hold_min))
      out.note = fmt::format("hold at the low temperature: model {:.4g} min, measurement {:.4g} min",
                             run.low_hold_s / 60.0, *point.low_hold_min);
    const ObservableInfo *info = find_observable(set.observable);
    std::string why;
    if (info->per_cycle)
      {
        const auto row = std::find_if(run.cycles.begin(), run.cycles.end(),
                                      [&](const ModelCycle &c) { return c.cycle == *point.cycle; });
        if (row == run.cycles.end())
          {
            out.not_compared = fmt::format("the model run has cycles 0–{}, the point is at cycle {}",
                                           run.cycles.back().cycle, *point.cycle);
            return out;
          }
        out.value = per_cycle_value(set, run, static_cast<std::size_t>(row - run.cycles.begin()), why);
      }
    else
      {
        // Curve summaries: the peak (first largest) stored energy and its cycle.
        std::size_t peak = 0;
        for (std::size_t i = 1; i < run.cycles.size(); ++i)
          if (run.cycles[i].stored_energy_J_per_mol > run.cycles[peak].stored_energy_J_per_mol)
            peak = i;
        if (peak + 1 == run.cycles.size() && run.cycles.size() > 1)
          out.note += std::string(out.note.empty() ? "" : "; ") +
                      "the model's stored energy is largest at its last cycle: it may peak later";
        if (set.observable == "stored_energy_peak_cycle")
          out.value = static_cast<double>(run.cycles[peak].cycle);
        else if (set.observable == "maximum_stored_energy_ratio")
          out.value = stored_energy_ratio(set, run, peak, why);
        else if (set.observable == "maximum_stored_energy_increase_J_per_mol")
          out.value = run.cycles[peak].stored_energy_J_per_mol - run.cycles.front().stored_energy_J_per_mol;
      }
    if (!out.value)
      out.not_compared = why;
    return out;
  }

  std::vector<std::pair<long long, double>> model_curve(const ExperimentalDataSet &set, const ModelRun &run)
  {
    std::vector<std::pair<long long, double>> curve;
    const ObservableInfo *info = find_observable(set.observable);
    if (info == nullptr || !info->per_cycle)
      return curve;
    for (std::size_t i = 0; i < run.cycles.size(); ++i)
      {
        std::string why;
        const auto v = per_cycle_value(set, run, i, why);
        if (!v)
          return {};
        curve.emplace_back(run.cycles[i].cycle, *v);
      }
    return curve;
  }

  Residual residual(const double model, const MeasuredPoint &point)
  {
    Residual r;
    r.absolute = model - point.value;
    if (point.value != 0.0)
      r.relative = r.absolute / std::abs(point.value);
    if (point.uncertainty && *point.uncertainty > 0.0)
      r.in_uncertainties = r.absolute / *point.uncertainty;
    return r;
  }
} // namespace cryocycle::coupling
