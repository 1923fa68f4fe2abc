#include "coupling/stages/extrapolate/extrapolation_stage.h"

#include "calibrate/activation_probability.h"
#include "calibrate/distribution_registry.h"
#include "core/csv_table.h"
#include "core/gnuplot_plot.h"
#include "core/log.h"
#include "core/progress.h"
#include "coupling/bridge/calibration_record.h"
#include "coupling/stages/extrapolate/extrapolation_outputs.h"
#include "coupling/bridge/quench_rate_laws.h"
#include "coupling/bridge/sample_extrapolation.h"
#include "coupling/bridge/scale_bridge.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <tuple>

namespace cryocycle::coupling
{
  namespace
  {
    using core::ConfigRange;
    using core::format_number;
    using Shape = SampleGeometry::Shape;
    namespace fs = std::filesystem;

    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    const char *const dimensions[] = {"edge", "thickness", "width", "diameter", "length"};
    const std::pair<const char *, double> length_units[] = {{"nm", 1e-9}, {"um", 1e-6}, {"mm", 1e-3}};

    /// Which dimensions each shape takes.
    std::vector<std::string> dimensions_of(const std::string &shape)
    {
      if (shape == "cube")
        return {"edge"};
      if (shape == "plate")
        return {"thickness", "width", "length"};
      if (shape == "rod")
        return {"diameter", "length"};
      return {"diameter", "thickness"};
    }

    void declare(core::ConfigSection &root)
    {
      const auto families = calibrate::builtin_distribution_registry().family_names();
      auto &s = root.section("extrapolate", "From the site scale to experimental samples (Shang et al. 2018 §V, Ketov et al. (2015)).");
      s.real("sigma_cg_nm", 0.5, ConfigRange::left_open(0.0, 100.0),
             "Coarse-graining width σ_cg of a site (Shang et al. 2018: 0.5 nm); a site is the sphere of radius σ_cg, "
             "V_site = (4π/3) σ_cg³ (coupling/bridge/scale_bridge.h).");
      s.optional_real("mesh_element_size_nm", ConfigRange::positive(),
                      "With activation.source calibration_record: carry the record's α, K and G to mesh sites "
                      "of this edge (site_fields.csv, site_materials.yaml for continuum.materials).");
      s.real("size_invariance_tolerance", 0.25, ConfigRange::positive(),
             "Largest relative spread of p/σ_cg³ across the record's widths accepted as invariant (Shang et al. 2018 §V).");
      s.real("number_density_per_nm3", 58.6, ConfigRange::positive(),
             "Atoms per nm³ for samples given by their atom count (Cu50Zr50 glass ≈ 58.6, an estimate).");

      auto &a = s.section("activation", "The probability p = p(σ_th > σ_y) per site and cycle.");
      a.choice("source", "parameters", {"parameters", "calibration_record", "probability"},
               "parameters: from the two distributions below (Shang et al. 2018 eq. 10); calibration_record: the "
               "record's p at sigma_cg_nm (or from its fits of the two families); probability: "
               "probability_per_site.");
      a.input_file("calibration_record", "source calibration_record: a calibration.yaml of `cryocycle calibrate`.");
      a.optional_real("probability_per_site", ConfigRange::closed(0.0, 1.0), "source probability: p.");
      a.choice("thermal_stress_family", "lomax", families, "Family of the thermal stress σ_th (Shang et al. 2018: Lomax).");
      a.real_list("thermal_stress_parameters", {8.15, 0.72}, ConfigRange::positive(),
                  "Its parameters in the family's order, scales in GPa (lomax: shape_gamma, scale_eta; "
                  "Shang et al. (2018) Table I, 1e13 K/s).", 1);
      a.choice("yield_stress_family", "hyperbolic", families, "Family of the local yield stress σ_y.");
      a.real_list("yield_stress_parameters", {0.10, 1.61}, ConfigRange::positive(),
                  "Its parameters (hyperbolic: shape_lambda, scale_beta; Shang et al. 2018 Table I, 1e13 K/s).", 1);
      a.check([](const core::ConfigValues &v) {
        const std::string source = v.text("source");
        if (source == "calibration_record" && !v.has("calibration_record"))
          v.fail("calibration_record", "source calibration_record needs a calibration_record file");
        if (source == "probability" && !v.has("probability_per_site"))
          v.fail("probability_per_site", "source probability needs probability_per_site");
        for (const auto &[family_key, list_key] : {std::pair<const char *, const char *>{"thermal_stress_family",
                                                                                         "thermal_stress_parameters"},
                                                   {"yield_stress_family", "yield_stress_parameters"}})
          {
            const auto &f = calibrate::builtin_distribution_registry().family(v.text(family_key));
            if (v.real_list(list_key).size() != f.parameter_names.size())
              v.fail(list_key, fmt::format("{} takes {} parameters ({})", f.name, f.parameter_names.size(),
                                           fmt::join(f.parameter_names, ", ")));
          }
      });

      auto &r = s.section("rve", "Events per volume from a continuum run in mode cycles (optional).");
      r.input_file("cycles_csv", "cycles.csv of the run; absent: no events column.");
      r.optional_real("volume_nm3", ConfigRange::positive(),
                      "Volume of the RVE (default: from the config.yaml next to cycles_csv).");
      r.integer("first_cycle", 1, ConfigRange::closed(1, 1e6),
                "Average the events per cycle over cycles from this one on (skip a transient).");

      auto &i = s.section("immersion", "Plunging the sample from room temperature into liquid nitrogen (Ketov et al. 2015).");
      i.real("initial_temperature_K", 293.0, ConfigRange::positive(), "Sample temperature before immersion.");
      i.real("bath_temperature_K", 77.0, ConfigRange::positive(), "Liquid nitrogen.");
      i.real("film_boiling_heat_transfer_W_per_m2K", 148.0, ConfigRange::positive(),
             "h while a vapour film covers the sample (Ketov et al. 2015).");
      i.real("nucleate_boiling_heat_transfer_W_per_m2K", 1355.0, ConfigRange::positive(),
             "h after the transition at 100–150 K (Ketov et al. 2015).");
      i.real("boiling_switch_K", 125.0, ConfigRange::positive(),
             "Surface temperature of the film → nucleate transition (Ketov et al. 2015: 100–150 K) for the immersion with "
             "switching h (finite volumes, continuum/thermal/finite_volume_conduction.h).");
      i.real("thermal_conductivity_W_per_mK", 4.0, ConfigRange::positive(), "κ (Ketov et al. 2015's estimate for Vitreloy 1).");
      i.real("volumetric_heat_capacity_J_per_m3K", 2.4e6, ConfigRange::positive(),
             "ρ c_p, only for the time of the peak (≈ 6 g/cm³ × 0.4 J/(g K), a rough value).");
      i.real("thermal_expansion_volumetric_per_K", 2.61e-5, ConfigRange::positive(),
             "Volumetric α = 3 × the linear 8.7e-6 /K of Vitreloy 106 (Ketov et al. 2015).");
      i.real("bulk_modulus_GPa", 107.25, ConfigRange::positive(), "K (Shang et al. 2018, 1e13 K/s CuZr).");
      i.real("shear_modulus_GPa", 24.59, ConfigRange::positive(), "G (Shang et al. 2018, 1e13 K/s CuZr).");
      i.check([](const core::ConfigValues &v) {
        if (!(v.real("initial_temperature_K") > v.real("bath_temperature_K")))
          v.fail("bath_temperature_K", "the bath must be colder than the sample");
      });

      auto &c = s.section("activation_curve", "P_act against n for the plot.");
      c.real("smallest_sites", 1.0, ConfigRange::closed(1.0, 1e30), "First n.");
      c.real("largest_sites", 1e21, ConfigRange::closed(1.0, 1e30), "Last n.");
      c.integer("points_per_decade", 20, ConfigRange::closed(1, 1000), "Resolution.");
      c.check([](const core::ConfigValues &v) {
        if (!(v.real("largest_sites") > v.real("smallest_sites")))
          v.fail("largest_sites", "largest_sites must exceed smallest_sites");
      });

      auto &m = s.section_list("samples", "Samples of the table (absent: MD boxes of Shang et al. (2018, 2021), a 10 nm cube, "
                                           "a 40 µm ribbon, 1.5/2/2.5/3 mm rods and discs). Each dimension in "
                                           "exactly one unit: <dimension>_nm, _um or _mm.");
      m.text("name", "", "Label in the table.");
      m.choice("shape", "cube", {"cube", "plate", "rod", "disc"},
               "cube: edge (or atoms); plate (ribbon): thickness, width, length; rod: diameter, length; "
               "disc: diameter, thickness.");
      m.optional_real("atoms", ConfigRange::positive(), "cube: the edge from an atom count at number_density_per_nm3.");
      for (const char *dimension : dimensions)
        for (const auto &[unit, metres] : length_units)
          m.optional_real(fmt::format("{}_{}", dimension, unit), ConfigRange::positive(),
                          fmt::format("{} in {}.", dimension, unit));
      m.check([](const core::ConfigValues &v) {
        if (v.text("name").empty())
          v.fail("name", "every sample needs a name");
        const std::string shape = v.text("shape");
        const auto needed = dimensions_of(shape);
        for (const char *dimension : dimensions)
          {
            std::vector<std::string> given;
            for (const auto &[unit, metres] : length_units)
              if (v.has(fmt::format("{}_{}", dimension, unit)))
                given.push_back(fmt::format("{}_{}", dimension, unit));
            const bool wanted = std::find(needed.begin(), needed.end(), dimension) != needed.end();
            const bool from_atoms = shape == "cube" && std::string(dimension) == "edge" && v.has("atoms");
            if (given.size() > 1)
              v.fail(given[1], fmt::format("{} is given twice ({})", dimension, fmt::join(given, ", ")));
            if (!wanted && !given.empty())
              v.fail(given[0], fmt::format("a {} has no {}", shape, dimension));
            if (wanted && given.empty() && !from_atoms)
              v.fail("shape", fmt::format("a {} needs {}_nm, {}_um or {}_mm", shape, dimension, dimension, dimension));
            if (from_atoms && !given.empty())
              v.fail(given[0], "give either atoms or the edge, not both");
          }
        if (shape != "cube" && v.has("atoms"))
          v.fail("atoms", "atoms sizes a cube only");
      });

      auto &q = s.section("quench_rate", "Calibrations at several quench rates carried to experimental rates, and "
                                         "the state law of continuum.cycles (optional).");
      auto &g = q.section_list("glasses", "One calibrated glass each (two or more, different quench rates).");
      g.input_file("calibration_record", "Its calibration.yaml.", true);
      g.optional_real("quench_rate_K_per_s", ConfigRange::positive(),
                      "Default: the record's glass.quench_rate_K_per_s.");
      g.optional_real("as_quenched_energy_eV_per_atom", ConfigRange::any(),
                      "As-quenched energy, e.g. inherent_structure_energy_eV_per_atom of the atomistic "
                      "run's prepare.yaml (needed for the stored energies of the state law).");
      g.optional_real("as_quenched_energy_standard_error_eV_per_atom", ConfigRange::positive(),
                      "Its standard error (weights the energy trend).");
      q.real_list("experimental_quench_rates_K_per_s", {1e2, 1e4, 1e6}, ConfigRange::positive(),
                  "Rates to carry the trends to (experiments: 1e2–1e6 K/s).", 1);
      q.real("confidence_level", 0.95, {0.0, 1.0, false, false}, "Of the prediction intervals.");
    }

    /// The default samples of the table.
    std::vector<SampleGeometry> default_samples(const double number_density_per_nm3)
    {
      const auto box = [&](const std::string &name, const double atoms) {
        return SampleGeometry{name, Shape::cube, std::cbrt(atoms / number_density_per_nm3) * 1e-9};
      };
      std::vector<SampleGeometry> s{box("MD box of Shang et al. 2018 (8000 atoms)", 8000),
                                    box("MD box of Shang et al. 2021 (10 000 atoms)", 10000),
                                    {"10 nm cube", Shape::cube, 10e-9},
                                    {"ribbon 40 µm × 1 mm × 10 mm", Shape::plate, 0, 40e-6, 1e-3, 0, 10e-3}};
      for (const double d : {1.5, 2.0, 2.5, 3.0})
        s.push_back({fmt::format("rod {} mm × {} mm", d, 2 * d), Shape::rod, 0, 0, 0, d * 1e-3, 2 * d * 1e-3});
      for (const double d : {1.5, 2.0, 2.5, 3.0})
        s.push_back({fmt::format("disc {} mm × 0.5 mm", d), Shape::disc, 0, 0.5e-3, 0, d * 1e-3, 0});
      return s;
    }

    SampleGeometry read_sample(const core::ConfigValues &v, const double number_density_per_nm3)
    {
      SampleGeometry g;
      g.name = v.text("name");
      const std::string shape = v.text("shape");
      g.shape = shape == "plate" ? Shape::plate : shape == "rod" ? Shape::rod : shape == "disc" ? Shape::disc : Shape::cube;
      const auto length = [&](const char *dimension) {
        for (const auto &[unit, metres] : length_units)
          if (v.has(fmt::format("{}_{}", dimension, unit)))
            return v.real(fmt::format("{}_{}", dimension, unit)) * metres;
        return 0.0;
      };
      g.edge_m = v.has("atoms") ? std::cbrt(v.real("atoms") / number_density_per_nm3) * 1e-9 : length("edge");
      g.thickness_m = length("thickness");
      g.width_m = length("width");
      g.diameter_m = length("diameter");
      g.length_m = length("length");
      return g;
    }

    /// Volume of the RVE of a continuum run, from its resolved config.yaml.
    double rve_volume_nm3(const fs::path &config_file)
    {
      const YAML::Node config = YAML::LoadFile(config_file.string());
      const YAML::Node geometry = config["continuum"]["geometry"];
      if (!geometry.IsMap())
        throw std::runtime_error(config_file.string() + " has no continuum.geometry");
      const std::string shape = geometry["shape"].as<std::string>();
      if (shape == "periodic_cube" || shape == "plate")
        {
          const auto box = geometry["box_size_nm"].as<std::vector<double>>();
          return box.at(0) * box.at(1) * box.at(2);
        }
      const double d = geometry["diameter_nm"].as<double>();
      return 0.25 * M_PI * d * d * geometry["length_nm"].as<double>();
    }

    struct RveRate
    {
      std::string file;
      double volume_nm3 = 0.0;
      double events_per_cycle = 0.0;  ///< mean over the averaged cycles
      std::size_t cycles = 0;
      double per_nm3() const { return events_per_cycle / volume_nm3; }
    };

    class ExtrapolationStage final : public Stage
    {
    public:
      std::vector<std::string> sections() const override { return {"extrapolate"}; }

      void prepare(const core::ConfigValues &config) override
      {
        const core::ConfigValues e = config.section("extrapolate");
        sigma_cg_nm_ = e.real("sigma_cg_nm");
        const double density = e.real("number_density_per_nm3");
        read_activation(e.section("activation"));
        read_rve(e.section("rve"));
        read_glasses(e.section("quench_rate"));

        const auto items = e.section_list("samples");
        samples_ = items.empty() ? default_samples(density) : std::vector<SampleGeometry>{};
        for (const auto &item : items)
          {
            samples_.push_back(read_sample(item, density));
            if (samples_.back().volume_m3() * 1e27 < site_volume_nm3(sigma_cg_nm_))
              item.fail("name", fmt::format("'{}' is smaller than one site ({:.3g} nm³)", samples_.back().name,
                                            site_volume_nm3(sigma_cg_nm_)));
          }
      }

      void run(RunContext &context) override
      {
        auto &log = core::Log::instance();
        const core::ConfigValues e = context.config.section("extrapolate");
        for (const auto &[key, file] : inputs_)
          context.manifest.add_input(key, file);
        const auto im = e.section("immersion");
        ImmersionSettings immersion;
        immersion.initial_temperature_K = im.real("initial_temperature_K");
        immersion.bath_temperature_K = im.real("bath_temperature_K");
        immersion.heat_transfer_W_per_m2K = {im.real("film_boiling_heat_transfer_W_per_m2K"),
                                             im.real("nucleate_boiling_heat_transfer_W_per_m2K")};
        immersion.boiling_switch_K = im.real("boiling_switch_K");
        immersion.thermal_conductivity_W_per_mK = im.real("thermal_conductivity_W_per_mK");
        immersion.volumetric_heat_capacity_J_per_m3K = im.real("volumetric_heat_capacity_J_per_m3K");
        immersion.thermal_expansion_volumetric_per_K = im.real("thermal_expansion_volumetric_per_K");
        immersion.bulk_modulus_GPa = im.real("bulk_modulus_GPa");
        immersion.shear_modulus_GPa = im.real("shear_modulus_GPa");

        if (!probability_)
          {
            const auto timer = context.timers.scope("fit");
            const auto p = calibrate::probability_stress_exceeds_yield(
              *calibrate::make_distribution(thermal_family_, thermal_parameters_),
              *calibrate::make_distribution(yield_family_, yield_parameters_));
            probability_ = p.value;
            probability_source_ += fmt::format(" (quadrature, error bound {:.1g})", p.error_bound);
          }
        log.info(fmt::format("extrapolate: p = {:.4g} per site and cycle from {}; σ_cg = {} nm, V_site = {:.4g} nm³",
                             *probability_, probability_source_, sigma_cg_nm_, site_volume_nm3(sigma_cg_nm_)));

        std::vector<SampleExtrapolation> rows;
        {
          const auto timer = context.timers.scope("extrapolate");
          core::ProgressReporter progress("samples", samples_.size());
          for (const auto &sample : samples_)
            {
              rows.push_back(extrapolate_sample(sample, sigma_cg_nm_, *probability_,
                                                rve_ ? rve_->per_nm3() : nan, immersion));
              progress.advance();
            }
        }
        const auto timer = context.timers.scope("output");
        write_sample_table(context.directory, rows);
        write_activation_curve(context.directory, e.section("activation_curve"), rows);
        ReportPart record_part;
        if (record_)
          record_part = write_record_checks(context.directory, *record_,
                                            e.has("mesh_element_size_nm") ? std::optional<double>(e.real("mesh_element_size_nm"))
                                                                          : std::nullopt,
                                            e.real("size_invariance_tolerance"));
        ReportPart quench_part;
        if (!glasses_.empty())
          {
            const auto q = e.section("quench_rate");
            quench_part = write_quench_rate_outputs(context.directory, glasses_, sigma_cg_nm_,
                                                    q.real_list("experimental_quench_rates_K_per_s"),
                                                    q.real("confidence_level"), thermal_family_, yield_family_);
          }
        const std::string summary = summary_text(rows) + record_part.summary + quench_part.summary;
        context.directory.write("extrapolation.md", markdown(rows, immersion) + record_part.markdown + quench_part.markdown);
        context.directory.write("summary.txt", summary);
        log.info(summary);
      }

    private:
      void read_activation(const core::ConfigValues &a)
      {
        const std::string source = a.text("source");
        thermal_family_ = a.text("thermal_stress_family");
        yield_family_ = a.text("yield_stress_family");
        thermal_parameters_ = a.real_list("thermal_stress_parameters");
        yield_parameters_ = a.real_list("yield_stress_parameters");
        if (source == "probability")
          {
            probability_ = a.real("probability_per_site");
            probability_source_ = "the config (activation.probability_per_site)";
            return;
          }
        if (source == "parameters")
          {
            for (const auto &[family, key, values] :
                 {std::tuple{thermal_family_, "thermal_stress_parameters", thermal_parameters_},
                  std::tuple{yield_family_, "yield_stress_parameters", yield_parameters_}})
              try
                {
                  calibrate::make_distribution(family, values);
                }
              catch (const std::exception &ex)
                {
                  a.fail(key, ex.what());
                }
            probability_source_ = fmt::format("{} σ_th {} and {} σ_y {} (config)", thermal_family_,
                                              fmt::join(thermal_parameters_, ", "), yield_family_,
                                              fmt::join(yield_parameters_, ", "));
            return;
          }
        const fs::path file = a.input_file("calibration_record");
        inputs_.emplace_back("activation.calibration_record", file.string());
        try
          {
            record_ = read_calibration_record(file);
            const CalibrationRecord &record = *record_;
            const RecordedCoarseGraining &w = record.width(sigma_cg_nm_);
            if (w.probability)
              {
                probability_ = *w.probability;
                probability_source_ = file.string() + " (its p at σ_cg = " + format_number(sigma_cg_nm_) + " nm)";
                return;
              }
            const RecordedFit &th = record.fit(sigma_cg_nm_, "thermal_stress_GPa", thermal_family_);
            const RecordedFit &y = record.fit(sigma_cg_nm_, "yield_stress_GPa", yield_family_);
            thermal_parameters_ = th.estimates;
            yield_parameters_ = y.estimates;
            calibrate::make_distribution(thermal_family_, thermal_parameters_);
            calibrate::make_distribution(yield_family_, yield_parameters_);
            probability_source_ = file.string() + " (its fits)";
          }
        catch (const std::exception &ex)
          {
            a.fail("calibration_record", ex.what());
          }
      }

      void read_rve(const core::ConfigValues &r)
      {
        if (!r.has("cycles_csv"))
          return;
        RveRate rate;
        const fs::path file = r.input_file("cycles_csv");
        rate.file = file.string();
        inputs_.emplace_back("rve.cycles_csv", rate.file);
        try
          {
            const auto table = core::CsvTable::read(file);
            const auto first = static_cast<double>(r.integer("first_cycle"));
            const auto &cycle = table.column("cycle");
            double total = 0.0;
            for (std::size_t i = 0; i < table.row_count(); ++i)
              if (cycle[i] >= first)
                {
                  total += table.column("events_cooling")[i] + table.column("events_heating")[i] +
                           table.column("events_relaxation")[i];
                  ++rate.cycles;
                }
            if (rate.cycles == 0)
              throw std::runtime_error(fmt::format("{} has no cycle ≥ first_cycle = {}", rate.file, first));
            rate.events_per_cycle = total / static_cast<double>(rate.cycles);
          }
        catch (const std::exception &ex)
          {
            r.fail("cycles_csv", ex.what());
          }
        if (r.has("volume_nm3"))
          rate.volume_nm3 = r.real("volume_nm3");
        else
          {
            const fs::path config = file.parent_path() / "config.yaml";
            try
              {
                rate.volume_nm3 = rve_volume_nm3(config);
              }
            catch (const std::exception &ex)
              {
                r.fail("cycles_csv", fmt::format("the RVE volume comes from {}, which cannot be read ({}); give "
                                                 "rve.volume_nm3",
                                                 config.string(), ex.what()));
              }
          }
        rve_ = rate;
      }

      void read_glasses(const core::ConfigValues &q)
      {
        const auto items = q.section_list("glasses");
        if (items.size() == 1)
          q.fail("glasses", "the cooling-rate trend needs two or more glasses");
        for (const auto &item : items)
          {
            GlassState g;
            const fs::path file = item.input_file("calibration_record");
            inputs_.emplace_back("quench_rate.glasses.calibration_record", file.string());
            try
              {
                g.record = read_calibration_record(file);
                g.record.width(sigma_cg_nm_);
              }
            catch (const std::exception &ex)
              {
                item.fail("calibration_record", ex.what());
              }
            g.label = g.record.glass_label.empty() ? file.parent_path().filename().string() : g.record.glass_label;
            if (item.has("quench_rate_K_per_s"))
              g.quench_rate_K_per_s = item.real("quench_rate_K_per_s");
            else if (g.record.quench_rate_K_per_s)
              g.quench_rate_K_per_s = *g.record.quench_rate_K_per_s;
            else
              item.fail("quench_rate_K_per_s", file.string() + " records no quench rate; give quench_rate_K_per_s");
            for (const auto &other : glasses_)
              if (other.quench_rate_K_per_s == g.quench_rate_K_per_s)
                item.fail("quench_rate_K_per_s",
                          fmt::format("two glasses at {} K/s; the trend needs distinct rates", g.quench_rate_K_per_s));
            if (item.has("as_quenched_energy_eV_per_atom"))
              g.as_quenched_energy_J_per_mol = item.real("as_quenched_energy_eV_per_atom") * joules_per_mole_per_eV_per_atom;
            if (item.has("as_quenched_energy_standard_error_eV_per_atom"))
              g.energy_standard_error_J_per_mol =
                item.real("as_quenched_energy_standard_error_eV_per_atom") * joules_per_mole_per_eV_per_atom;
            glasses_.push_back(std::move(g));
          }
      }

      void write_sample_table(const core::RunDirectory &directory, const std::vector<SampleExtrapolation> &rows) const
      {
        core::CsvWriter csv({"sample", "shape", "volume_m3", "surface_area_m2", "sites", "activation_probability",
                             "expected_sites_activated", "rve_events_per_cycle", "biot_film_boiling",
                             "biot_nucleate_boiling", "peak_stress_film_boiling_MPa", "peak_stress_nucleate_boiling_MPa",
                             "time_to_peak_film_boiling_s", "time_to_peak_nucleate_boiling_s",
                             "peak_stress_boiling_switch_MPa", "time_to_peak_boiling_switch_s"});
        for (const auto &r : rows)
          {
            std::vector<std::string> fields{'"' + r.geometry.name + '"', shape_name(r.geometry.shape),
                                            format_number(r.geometry.volume_m3()),
                                            format_number(r.geometry.surface_area_m2()), format_number(r.sites),
                                            format_number(r.activation_probability),
                                            format_number(r.expected_sites_activated),
                                            std::isnan(r.rve_events_per_cycle) ? "" : format_number(r.rve_events_per_cycle)};
            for (const auto &i : r.immersion)
              fields.push_back(format_number(i.biot_number));
            for (const auto &i : r.immersion)
              fields.push_back(format_number(i.peak_stress_MPa));
            for (const auto &i : r.immersion)
              fields.push_back(std::isnan(i.time_to_peak_s) ? "" : format_number(i.time_to_peak_s));
            fields.push_back(format_number(r.switching.peak_stress_MPa));
            fields.push_back(format_number(r.switching.time_to_peak_s));
            csv.add_text_row(fields);
          }
        directory.write("samples.csv", csv.text());
      }

      void write_activation_curve(const core::RunDirectory &directory, const core::ConfigValues &c,
                                  const std::vector<SampleExtrapolation> &rows) const
      {
        core::CsvWriter curve({"sites", "activation_probability", "expected_sites_activated"});
        const double lo = std::log10(c.real("smallest_sites"));
        const double hi = std::log10(c.real("largest_sites"));
        const auto steps = static_cast<std::size_t>(std::ceil((hi - lo) * static_cast<double>(c.integer("points_per_decade"))));
        for (std::size_t i = 0; i <= steps; ++i)
          {
            const double n = std::pow(10.0, lo + (hi - lo) * static_cast<double>(i) / static_cast<double>(steps));
            curve.add_row({n, calibrate::activation_probability(*probability_, n), n * *probability_});
          }
        directory.write("activation_curve.csv", curve.text());
        core::CsvWriter points({"sites", "activation_probability"});
        for (std::size_t i = 0; i < rows.size(); ++i)
          points.add_row({rows[i].sites, rows[i].activation_probability});
        directory.write("activation_samples.csv", points.text());
        const double n90 = calibrate::sites_for_activation(*probability_, 0.9);
        core::render_png_plot(
          directory, "activation_probability",
          fmt::format("set logscale x\nset format x '10^{{%L}}'\nset xlabel 'number of sites n'\n"
                      "set ylabel 'P_{{act}} = 1 − (1 − p)^n per cycle'\nset yrange [0:1.05]\nset key bottom right\n"
                      "set grid\nset arrow from {0}, graph 0 to {0}, graph 1 nohead dt 2\n"
                      "set label 'P_{{act}} = 0.9 at n = {1:.3g}' at {0}, 0.5 left offset 1,0\n"
                      "plot 'activation_curve.csv' skip 1 using 1:2 with lines lw 2 title 'p = {2:.3g}', "
                      "'activation_samples.csv' skip 1 using 1:2 with points pt 7 ps 1.3 title 'samples'",
                      n90, n90, *probability_));
      }


      std::string markdown(const std::vector<SampleExtrapolation> &rows, const ImmersionSettings &im) const
      {
        std::string md = "# Extrapolation to experimental samples\n\n";
        md += fmt::format("- Sites: coarse-graining width σ_cg = {} nm, frozen-matrix radius r_c = {} nm, site volume "
                          "(4π/3) σ_cg³ = {:.4g} nm³.\n",
                          sigma_cg_nm_, frozen_matrix_radius_nm(sigma_cg_nm_), site_volume_nm3(sigma_cg_nm_));
        md += fmt::format("- p(σ_th > σ_y) = {:.4g} per site and cycle, from {}.\n", *probability_, probability_source_);
        md += fmt::format("- P_act = 1 − (1 − p)^n reaches 0.5 at n = {:.4g}, 0.9 at n = {:.4g}, 0.99 at n = {:.4g}.\n",
                          calibrate::sites_for_activation(*probability_, 0.5),
                          calibrate::sites_for_activation(*probability_, 0.9),
                          calibrate::sites_for_activation(*probability_, 0.99));
        if (rve_)
          md += fmt::format("- RVE: {:.4g} events per cycle in {:.4g} nm³ (mean of {} cycles of {}), {:.4g} per nm³ "
                            "and cycle.\n",
                            rve_->events_per_cycle, rve_->volume_nm3, rve_->cycles, rve_->file, rve_->per_nm3());
        md += fmt::format("- Immersion {} K → {} K; κ = {} W/(m K); h = {} (film boiling) and {} (nucleate boiling) "
                          "W/(m² K), switching at a surface temperature of {} K; Bi = h (V/A)/κ of the conduction model (seed "
                          "003).\n\n",
                          im.initial_temperature_K, im.bath_temperature_K, im.thermal_conductivity_W_per_mK,
                          im.heat_transfer_W_per_m2K[0], im.heat_transfer_W_per_m2K[1], im.boiling_switch_K);
        md += "| sample | volume (m³) | sites n | P_act per cycle | n p | RVE events per cycle | Bi film | Bi "
              "nucleate | peak stress film (MPa) | peak stress nucleate (MPa) | peak stress, switch (MPa) |\n";
        md += "|---|---|---|---|---|---|---|---|---|---|---|\n";
        for (const auto &r : rows)
          md += fmt::format("| {} | {:.3g} | {:.3g} | {:.4g} | {:.3g} | {} | {:.3g} | {:.3g} | {:.3g} | {:.3g} | {:.3g} |\n",
                            r.geometry.name, r.geometry.volume_m3(), r.sites, r.activation_probability,
                            r.expected_sites_activated,
                            std::isnan(r.rve_events_per_cycle) ? "—" : fmt::format("{:.3g}", r.rve_events_per_cycle),
                            r.immersion[0].biot_number, r.immersion[1].biot_number, r.immersion[0].peak_stress_MPa,
                            r.immersion[1].peak_stress_MPa, r.switching.peak_stress_MPa);
        md += "\nWhat this assumes: sites are independent and each is active with the same p every cycle (no "
              "memory, no rejuvenation feedback — the RVE column has those); the thermal stress of p is that of "
              "the calibration's ΔT; the peak stress is the surface stress of an infinite plate (ribbon, disc), "
              "infinite cylinder (rod) or the sphere of equal V/A (cube) with h held at one value for the whole "
              "quench (series solution), and with h switching from film to nucleate boiling at the surface "
              "temperature immersion.boiling_switch_K (finite volumes) — the realistic plunge. Bi < 0.1: Newtonian cooling, negligible gradients "
              "(Ketov et al. 2015).\n";
        return md;
      }

      std::string summary_text(const std::vector<SampleExtrapolation> &rows) const
      {
        std::string out = fmt::format("extrapolation: p = {:.4g} per site and cycle (σ_cg = {} nm); P_act = 0.9 at "
                                      "n = {:.4g} sites\n",
                                      *probability_, sigma_cg_nm_, calibrate::sites_for_activation(*probability_, 0.9));
        for (const auto &r : rows)
          out += fmt::format("  {:<34} n = {:<10.3g} P_act = {:<8.4g} Bi = {:.2g} / {:.2g}, peak stress {:.3g} / {:.3g} / {:.3g} MPa{}\n",
                             r.geometry.name, r.sites, r.activation_probability, r.immersion[0].biot_number,
                             r.immersion[1].biot_number, r.immersion[0].peak_stress_MPa, r.immersion[1].peak_stress_MPa,
                             r.switching.peak_stress_MPa,
                             std::isnan(r.rve_events_per_cycle) ? ""
                                                                : fmt::format(", {:.3g} RVE events per cycle",
                                                                              r.rve_events_per_cycle));
        out += "  (Bi: film / nucleate boiling; peak stress: film / nucleate / switching at the boiling transition; tables in "
               "samples.csv and extrapolation.md)\n";
        return out;
      }

      double sigma_cg_nm_ = 0.5;
      std::optional<double> probability_;
      std::string probability_source_;
      std::string thermal_family_;
      std::string yield_family_;
      std::vector<double> thermal_parameters_;
      std::vector<double> yield_parameters_;
      std::optional<RveRate> rve_;
      std::optional<CalibrationRecord> record_;
      std::vector<GlassState> glasses_;
      std::vector<SampleGeometry> samples_;
      std::vector<std::pair<std::string, std::string>> inputs_;
    };

  } // namespace

  StageEntry extrapolation_stage_entry()
  {
    return {"extrapolate",
            "Carry the site-scale calibration to experimental samples: sites, P_act per cycle, events, Biot "
            "numbers and thermal-gradient stresses of liquid-nitrogen immersion, cooling-rate trends",
            declare, [] { return std::make_unique<ExtrapolationStage>(); }};
  }
} // namespace cryocycle::coupling
