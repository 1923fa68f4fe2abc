#include "coupling/stages/atomistic/atomistic_stage.h"

#include "atomistic/bond_order.h"
#include "atomistic/glass_preparation.h"
#include "atomistic/lammps_installation.h"
#include "atomistic/local_thermal_expansion.h"
#include "atomistic/potential_registry.h"
#include "atomistic/thermal_cycling.h"
#include "atomistic/thermal_expansion.h"
#include "core/csv_table.h"
#include "core/gnuplot_plot.h"
#include "core/log.h"
#include "core/progress.h"
#include "core/random_stream.h"
#include "coupling/stages/atomistic/atomistic_outputs.h"
#include "coupling/stages/atomistic/local_measurements.h"
#include "coupling/stages/atomistic/local_yield_outputs.h"

#include <fmt/format.h>
#include <mpi.h>

#include <algorithm>
#include <unistd.h>
#include <optional>
#include <fstream>
#include <cmath>
#include <sstream>

namespace cryocycle::coupling
{
  namespace
  {
    using core::ConfigRange;
    namespace fs = std::filesystem;
    namespace md = cryocycle::atomistic;

    const std::vector<std::string> ensembles{"npt", "nvt"};

    /// Physical bounds of MD times: no MD run integrates more than 10 µs, and a ramp slower than
    /// 1e6 K/s takes longer than that over a few kelvin. Values past them are typos that would
    /// otherwise start a run that never ends.
    constexpr double md_time_limit_ps = 1.0e7;
    constexpr double md_rate_floor_K_per_s = 1.0e6;

    /// The atom count in the header of a LAMMPS data file ("N atoms"), or nothing when the
    /// header (the lines before the first section) has none: then it is not a data file.
    std::optional<long long> data_file_atoms(const fs::path &file)
    {
      std::ifstream in(file);
      std::string line;
      std::getline(in, line);  // the first line is a free title
      for (int n = 0; n < 200 && std::getline(in, line); ++n)
        {
          std::istringstream words(line.substr(0, line.find('#')));
          std::string first;
          std::string second;
          if (!(words >> first))
            continue;
          words >> second;
          if (second == "atoms" && !first.empty() && std::all_of(first.begin(), first.end(), ::isdigit))
            return std::stoll(first);
          if (std::isalpha(static_cast<unsigned char>(first[0])) != 0)
            return std::nullopt;  // a section ("Masses", "Atoms", ...) before the atom count
        }
      return std::nullopt;
    }

    /// Bytes of memory one atom needs in a LAMMPS run (positions, velocities, forces, neighbour
    /// lists of ~100 pairs, ghost atoms; a generous bound so a refusal is never wrong).
    constexpr double md_bytes_per_atom = 4096.0;

    /// Data files are LAMMPS data files, and the system fits the memory of this machine: both
    /// checked before LAMMPS starts, naming the key.
    void check_md_inputs(const core::ConfigValues &v)
    {
      const auto tasks = v.text_list("tasks");
      const auto has = [&](const std::string &t) { return std::find(tasks.begin(), tasks.end(), t) != tasks.end(); };
      const double memory_bytes =
        static_cast<double>(sysconf(_SC_PHYS_PAGES)) * static_cast<double>(sysconf(_SC_PAGE_SIZE));
      const auto check_atoms = [&](const core::ConfigValues &section, const std::string &key, const double atoms) {
        if (atoms * md_bytes_per_atom > 0.8 * memory_bytes)
          section.fail(key, fmt::format("{:.3g} atoms need about {:.3g} GB of memory (at {} bytes per atom), more "
                                        "than this machine has ({:.3g} GB)",
                                        atoms, atoms * md_bytes_per_atom / 1e9, md_bytes_per_atom, memory_bytes / 1e9));
      };
      std::vector<std::pair<core::ConfigValues, std::string>> data_keys;
      const auto prep = v.section("prepare");
      if (has("prepare") && prep.text("initial_structure") != "data_file")
        check_atoms(prep, "atoms", static_cast<double>(prep.integer("atoms")));
      if (has("prepare"))
        data_keys.emplace_back(prep, "data_file");
      if (has("cycle"))
        data_keys.emplace_back(v.section("cycle"), "initial_data_file");
      if (has("expansion"))
        data_keys.emplace_back(v.section("expansion"), "initial_data_file");
      for (const auto &[task, section] : std::vector<std::pair<std::string, std::string>>{
             {"local_expansion", "expansion"}, {"local_moduli", "moduli"}, {"local_yield", "yield_stress"}})
        if (has(task))
          data_keys.emplace_back(v.section("local").section(section), "initial_data_file");
      for (const auto &[section, key] : data_keys)
        {
          if (!section.has(key))
            continue;
          const fs::path file = section.input_file(key);
          const auto atoms = data_file_atoms(file);
          if (!atoms)
            section.fail(key, file.string() + " is not a LAMMPS data file: its header has no 'N atoms' line");
          check_atoms(section, key, static_cast<double>(*atoms));
        }
    }

    void declare_potential(core::ConfigSection &a)
    {
      auto &p = a.section("potential", "Interatomic potential.");
      p.choice("name", "wahnstrom_lj", md::builtin_potential_registry().names(),
               "wahnstrom_lj: binary Lennard-Jones (Derlet & Maaß 2021, 2020), reduced units mapped to physical ones "
               "by lj_epsilon_eV, lj_sigma_A, lj_mass_type_1_g_per_mol; cuzr_eam: Cu–Zr Mendelev eam/fs "
               "(metal units); lammps: your own pair_style / pair_coeff (metal units).");
      p.real("fraction_type_1", 0.5, ConfigRange::closed(0.0, 1.0),
             "Atom fraction of type 1 (A of the LJ mixture, Cu of Cu–Zr).");
      p.input_file("potential_file",
                   "cuzr_eam: the eam/fs file (default: CuZr_mm.eam.fs in Debian's LAMMPS potentials folder).");
      p.real("lj_epsilon_eV", 1.0, ConfigRange::positive(),
             "wahnstrom_lj: ε in eV (Derlet & Maaß 2021: of the order of 1 eV) — T = T* ε/k_B.");
      p.real("lj_sigma_A", 3.2, ConfigRange::positive(), "wahnstrom_lj: σ11 in Å (lengths, volumes, pressures).");
      p.real("lj_mass_type_1_g_per_mol", 91.224, ConfigRange::positive(),
             "wahnstrom_lj: m1 in g/mol (time unit τ = σ √(m1/ε)); m2 = m1/2.");
      p.text("pair_style", "", "lammps: the pair_style arguments, e.g. 'eam/alloy'.");
      p.multiline_text("pair_coeff", "", "lammps: pair_coeff arguments, one line per command, e.g. '* * file.eam.alloy Cu Zr'.");
      p.text("species", "", "lammps: species names in LAMMPS type order, separated by spaces.");
      p.real_list("masses_g_per_mol", {}, ConfigRange::positive(), "lammps: mass of each species.");
      p.real_list("fractions", {}, ConfigRange::closed(0.0, 1.0), "lammps: atom fraction of each species.");
      p.optional_real("number_density_per_nm3", ConfigRange::positive(),
                      "lammps: number density of the random liquid (atoms/nm³).");
    }

    void declare(core::ConfigSection &root)
    {
      auto &a = root.section("atomistic", "Molecular dynamics with LAMMPS: glass preparation, thermal cycling, "
                                          "thermal expansion.");
      a.choice_list("tasks", {"prepare"},
                    {"prepare", "cycle", "expansion", "local_expansion", "local_moduli", "local_yield"},
                    "What to run, in the order prepare → cycle → expansion → local_expansion → local_moduli → "
                    "local_yield. "
                    "The others start from the glass prepared in the same run, or from their "
                    "initial_data_file.", 1);
      a.boolean("lammps_log", false, "Write LAMMPS's own log to lammps.log in the run directory.");
      a.choice("accelerator", "auto", {"auto", "none", "opt"},
               "LAMMPS accelerator suffix: opt (faster pair styles), none, or auto (opt when installed).");
      a.optional_real("timestep_fs", ConfigRange::left_open(0.0, 20.0),
                      "MD time step (default: the potential's: 0.002778 τ for wahnstrom_lj, 2 fs for cuzr_eam, "
                      "1 fs for lammps).");
      a.optional_real("thermostat_damping_ps", ConfigRange::positive(),
                      "Nosé–Hoover / Langevin / Berendsen damping time (default: 100 time steps).");
      a.optional_real("barostat_damping_ps", ConfigRange::positive(),
                      "Nosé–Hoover barostat damping time (default: 1000 time steps).");
      a.real("pressure_GPa", 0.0, ConfigRange::closed(-100.0, 1000.0), "Pressure of every NPT run.");
      declare_potential(a);

      auto &p = a.section("prepare", "Glass preparation by quenching a melt (or a crystal for control runs).");
      p.choice("initial_structure", "random_liquid", {"random_liquid", "crystal", "data_file"},
               "Start: random liquid (melted, then quenched), the potential's perfect crystal (fcc LJ or "
               "B2 CuZr; minimised and held at final_temperature_K, no melt), or data_file (melted and quenched).");
      p.input_file("data_file", "LAMMPS data file to start from (initial_structure: data_file).");
      p.integer("atoms", 2000, ConfigRange::closed(2, 1e9),
                "Number of atoms (random liquid; a crystal takes the nearest complete n³ cells).");
      p.optional_real("number_density_per_nm3", ConfigRange::positive(),
                      "Density of the random liquid (default: the potential's).");
      p.real("melt_temperature_K", 2000.0, ConfigRange::positive(), "Temperature the melt is equilibrated at.");
      p.real("melt_time_ps", 20.0, ConfigRange::closed(0.0, md_time_limit_ps), "Equilibration time of the melt.");
      p.real("quench_rate_K_per_s", 1.0e13, ConfigRange::closed(md_rate_floor_K_per_s, 1e18), "Quench rate Q.");
      p.real("final_temperature_K", 300.0, ConfigRange::positive(), "End temperature of the quench.");
      p.real("final_hold_ps", 0.0, ConfigRange::closed(0.0, md_time_limit_ps), "Hold at the end temperature.");
      p.choice("ensemble", "npt", ensembles, "npt (zero pressure, Nosé–Hoover thermostat and barostat) or nvt.");
      p.real("sample_interval_ps", 1.0, ConfigRange::positive(), "Interval of the quench table samples.");

      auto &c = a.section("cycle", "Thermal cycling (Shang et al. 2021): cool at Q_b to T_b, hold t_b, heat at Q_a to "
                                   "T_a, hold t_a; E_N per cycle.");
      c.input_file("initial_data_file", "Glass to cycle (default: the glass of the prepare task).");
      c.integer("cycles", 10, ConfigRange::closed(1, 100000), "Number of cycles N.");
      c.real("high_temperature_K", 400.0, ConfigRange::positive(), "Upper temperature T_a (Shang et al. 2021: 400 K).");
      c.real("low_temperature_K", 1.0, ConfigRange::positive(), "Lower temperature T_b (Shang et al. 2021: 1 K).");
      c.real("cooling_rate_K_per_s", 1.0e14, ConfigRange::closed(md_rate_floor_K_per_s, 1e18), "Cooling rate Q_b (Shang, Wang, Greer & Guan 2021: ~1e14 K/s).");
      c.real("heating_rate_K_per_s", 1.0e14, ConfigRange::closed(md_rate_floor_K_per_s, 1e18), "Heating rate Q_a (Shang, Wang, Greer & Guan 2021: ~1e14 K/s).");
      c.real("low_hold_ps", 100.0, ConfigRange::closed(0.0, md_time_limit_ps), "Hold time t_b at T_b (Shang, Wang, Greer & Guan 2021: 100 ps).");
      c.real("high_hold_ps", 10.0, ConfigRange::closed(0.0, md_time_limit_ps), "Hold time t_a at T_a (Shang, Wang, Greer & Guan 2021: 10 or 200 ps).");
      c.real("initial_hold_ps", 0.0, ConfigRange::non_negative(),
             "Hold at T_a before E_0 is measured (useful when the start state is not at T_a).");
      c.choice("ensemble", "npt", ensembles, "npt (Nosé–Hoover barostat, zero pressure) or nvt (Shang et al. 2021 Fig. S8).");
      c.choice("heating_thermostat", "nose-hoover", {"nose-hoover", "langevin", "berendsen", "rescale"},
               "Thermostat of the heating ramp (Shang et al. 2021 Fig. S7); cooling and holds use Nosé–Hoover.");
      c.boolean("quasi_equilibrium_start", false,
                "Shang et al. (2021)'s t_b = ∞ state: at T_b minimise, give kinetic energy for 2 T_b and relax under NVE "
                "instead of holding t_b.");
      c.real("quasi_equilibrium_nve_ps", 2.0, ConfigRange::positive(), "NVE time of the quasi-equilibrium start.");
      c.real("sample_interval_ps", 1.0, ConfigRange::positive(), "Interval of the cycle trajectory samples.");

      auto &e = a.section("expansion", "Volumetric thermal expansion α = (1/V) dV/dT on a reversible path: anneal "
                                       "above the range, measure on cooling, check on heating.");
      e.input_file("initial_data_file", "Glass to measure (default: the glass of the prepare task).");
      e.real("anneal_temperature_K", 350.0, ConfigRange::positive(), "Anneal temperature, above the range.");
      e.real("anneal_time_ps", 50.0, ConfigRange::closed(0.0, md_time_limit_ps), "Anneal time.");
      e.real("minimum_temperature_K", 50.0, ConfigRange::positive(), "Lowest temperature of V(T).");
      e.real("maximum_temperature_K", 300.0, ConfigRange::positive(), "Highest temperature of V(T).");
      e.integer("temperature_points", 6, ConfigRange::closed(2, 1000), "Temperatures per branch.");
      e.real("equilibration_ps", 10.0, ConfigRange::non_negative(), "Ramp and settle time before each average.");
      e.real("averaging_ps", 20.0, ConfigRange::positive(), "Averaging time of V at each temperature.");
      e.real("sample_interval_ps", 0.5, ConfigRange::positive(), "Interval of the volume samples.");
      e.real("closure_tolerance", 2.0e-4, ConfigRange::positive(),
             "Largest relative volume difference between cooling and heating for a closed loop.");
      declare_local_yield(declare_local_measurements(a));

      a.check([](const core::ConfigValues &v) {
        const auto tasks = v.text_list("tasks");
        const auto has = [&](const std::string &t) { return std::find(tasks.begin(), tasks.end(), t) != tasks.end(); };
        const auto pot = v.section("potential");
        if (pot.text("name") == "lammps" && (pot.text("pair_style").empty() || pot.text("pair_coeff").empty()))
          v.fail("potential", "potential 'lammps' needs pair_style and pair_coeff");
        const auto prep = v.section("prepare");
        if (has("prepare") && prep.text("initial_structure") == "data_file" && !prep.has("data_file"))
          prep.fail("data_file", "initial_structure is data_file but no data_file is given");
        if (has("prepare") && prep.text("initial_structure") != "crystal" &&
            prep.real("final_temperature_K") >= prep.real("melt_temperature_K"))
          prep.fail("final_temperature_K", "must be below melt_temperature_K");
        const auto cyc = v.section("cycle");
        if (has("cycle") && !has("prepare") && !cyc.has("initial_data_file"))
          cyc.fail("initial_data_file", "the cycle task needs the prepare task or an initial_data_file");
        if (cyc.real("low_temperature_K") >= cyc.real("high_temperature_K"))
          cyc.fail("low_temperature_K", "must be below high_temperature_K");
        const auto exp = v.section("expansion");
        if (has("expansion") && !has("prepare") && !exp.has("initial_data_file"))
          exp.fail("initial_data_file", "the expansion task needs the prepare task or an initial_data_file");
        if (exp.real("minimum_temperature_K") >= exp.real("maximum_temperature_K"))
          exp.fail("minimum_temperature_K", "must be below maximum_temperature_K");
        if (exp.real("anneal_temperature_K") < exp.real("maximum_temperature_K"))
          exp.fail("anneal_temperature_K", "must not be below maximum_temperature_K (anneal above the range)");
        check_local_tasks(v);
        check_local_yield(v);
        check_md_inputs(v);
      });
    }

    md::PotentialSettings potential_settings(const core::ConfigValues &atomistic)
    {
      const auto p = atomistic.section("potential");
      md::PotentialSettings s;
      // The generic potential has no natural step; 1 fs unless atomistic.timestep_fs says otherwise.
      s.timestep_fs = atomistic.has("timestep_fs") ? atomistic.real("timestep_fs") : 1.0;
      s.fraction_type_1 = p.real("fraction_type_1");
      if (p.has("potential_file"))
        s.potential_file = p.input_file("potential_file");
      s.lj_epsilon_eV = p.real("lj_epsilon_eV");
      s.lj_sigma_A = p.real("lj_sigma_A");
      s.lj_mass_type_1_g_per_mol = p.real("lj_mass_type_1_g_per_mol");
      s.pair_style = p.text("pair_style");
      s.pair_coeff = p.text("pair_coeff");
      std::istringstream names(p.text("species"));
      for (std::string n; names >> n;)
        s.species_names.push_back(n);
      s.masses_g_per_mol = p.real_list("masses_g_per_mol");
      s.fractions = p.real_list("fractions");
      if (p.has("number_density_per_nm3"))
        s.number_density_per_nm3 = p.real("number_density_per_nm3");
      return s;
    }

    /// Progress of one task, fed with the fraction of its MD time done.
    class TaskProgress
    {
    public:
      TaskProgress(const std::string &label, double total_ps)
        : reporter_(label + " (ps of MD)", static_cast<std::size_t>(std::max(1.0, std::ceil(total_ps)))),
          total_(static_cast<std::size_t>(std::max(1.0, std::ceil(total_ps))))
      {}
      void operator()(const double fraction)
      {
        const auto target = static_cast<std::size_t>(std::floor(fraction * static_cast<double>(total_)));
        if (target > done_)
          reporter_.advance(target - done_), done_ = target;
      }

    private:
      core::ProgressReporter reporter_;
      std::size_t total_;
      std::size_t done_ = 0;
    };

    class AtomisticStage final : public Stage
    {
    public:
      std::vector<std::string> sections() const override { return {"atomistic"}; }
      bool uses_mpi() const override { return true; }
      bool supports_resume() const override { return true; }

      void prepare(const core::ConfigValues &config) override
      {
        const auto a = config.section("atomistic");
        const auto pot = a.section("potential");
        try
          {
            potential_ = md::builtin_potential_registry().create(pot.text("name"), potential_settings(a));
          }
        catch (const std::invalid_argument &e)
          {
            pot.fail("name", e.what());
          }
        // Mistakes LAMMPS would only report by ending the process are caught here.
        for (const auto &file : potential_.required_files)
          if (!fs::exists(file))
            pot.fail("potential_file", "potential file " + file.string() + " does not exist");
        for (const auto &style : potential_.required_pair_styles)
          if (!md::lammps_has_pair_style(style))
            pot.fail(pot.text("name") == "lammps" ? "pair_style" : "name",
                     "pair style '" + style + "' is not compiled into the linked LAMMPS " +
                       md::lammps_installation().version);
        const auto tasks = a.text_list("tasks");
        if (std::find(tasks.begin(), tasks.end(), "prepare") != tasks.end() &&
            a.section("prepare").text("initial_structure") == "crystal" && !potential_.crystal)
          a.section("prepare").fail("initial_structure", "potential '" + potential_.name + "' defines no crystal");
        // The site file of the local measurements is read and checked before any work.
        read_coarse_graining_settings(a.section("local"));
        prepare_local_yield(a, potential_);
      }

      void run(RunContext &context) override;

    private:
      md::PotentialModel potential_;
    };

    void AtomisticStage::run(RunContext &context)
    {
      auto &log = core::Log::instance();
      const auto a = context.config.section("atomistic");
      const auto &dir = context.directory;
      const auto tasks = a.text_list("tasks");
      const auto has = [&](const std::string &t) { return std::find(tasks.begin(), tasks.end(), t) != tasks.end(); };
      int rank = 0, ranks = 1;
      MPI_Comm_rank(MPI_COMM_WORLD, &rank);
      MPI_Comm_size(MPI_COMM_WORLD, &ranks);

      // Provenance: every file the MD reads, with its SHA-256.
      for (const auto &file : potential_.required_files)
        context.manifest.add_input("atomistic.potential.potential_file", file);
      const std::vector<std::pair<std::string, std::string>> data_keys{
        {"prepare", "data_file"}, {"cycle", "initial_data_file"}, {"expansion", "initial_data_file"}};
      for (const auto &[section, key] : data_keys)
        if (has(section) && a.section(section).has(key))
          context.manifest.add_input("atomistic." + section + "." + key, a.section(section).input_file(key));
      for (const auto &[task, section] : std::vector<std::pair<std::string, std::string>>{
             {"local_expansion", "expansion"}, {"local_moduli", "moduli"}, {"local_yield", "yield_stress"}})
        if (has(task) && a.section("local").section(section).has("initial_data_file"))
          context.manifest.add_input("atomistic.local." + section + ".initial_data_file",
                                     a.section("local").section(section).input_file("initial_data_file"));

      // A LAMMPS error ends the process (no exceptions in Debian's LAMMPS, see
      // atomistic/lammps_error_capture.h) after LAMMPS has finalised MPI. The failed manifest is
      // therefore rendered now, while MPI still works, and completed with the message at exit.
      const std::string placeholder = "@LAMMPS_MESSAGE@";
      context.manifest.set_status("failed: LAMMPS: " + placeholder);
      const std::string failed_manifest = context.manifest.yaml();
      context.manifest.set_status("running");
      const fs::path manifest_file = dir.file("manifest.yaml");
      md::LammpsErrorCapture::instance().set_fatal_error_hook(
        [failed_manifest, placeholder, manifest_file, rank](const std::string &message) {
          if (rank != 0)
            return;
          core::Log::instance().file_only("error: LAMMPS: " + message);
          std::string safe = message;
          std::replace(safe.begin(), safe.end(), '"', '\'');
          std::replace(safe.begin(), safe.end(), '\\', '/');
          std::string text = failed_manifest;
          text.replace(text.find(placeholder), placeholder.size(), safe);
          core::write_file_atomically(manifest_file, text);
        });

      md::LammpsSessionOptions options;
      if (a.boolean("lammps_log"))
        options.log_file = dir.file("lammps.log");
      const std::string accelerator = a.text("accelerator");
      if (accelerator == "opt" || (accelerator == "auto" && md::lammps_has_package("OPT")))
        options.suffix = "opt";
      md::MdSettings settings;
      settings.timestep_ps = a.has("timestep_fs") ? a.real("timestep_fs") * 1e-3 : potential_.default_timestep_ps;
      settings.thermostat_damping_ps =
        a.has("thermostat_damping_ps") ? a.real("thermostat_damping_ps") : 100.0 * settings.timestep_ps;
      settings.barostat_damping_ps =
        a.has("barostat_damping_ps") ? a.real("barostat_damping_ps") : 1000.0 * settings.timestep_ps;
      settings.pressure_GPa = a.real("pressure_GPa");

      log.info(fmt::format("atomistic: potential {} ({} units), time step {:.4g} fs, {} MPI rank(s), LAMMPS {}{}",
                           potential_.name, potential_.units.lammps_style(), settings.timestep_ps * 1e3, ranks,
                           md::lammps_installation().version, options.suffix.empty() ? "" : ", suffix " + options.suffix));
      if (potential_.units.reduced())
        log.info(fmt::format("  LJ units: ε = {} eV ↔ T* = 1 is {:.6g} K; τ = {:.6g} ps; σ = {:.6g} nm; "
                             "ε/σ³ = {:.6g} GPa",
                             potential_.units.eV_per_energy(), potential_.units.kelvin_per_temperature(),
                             potential_.units.ps_per_time(), potential_.units.nm_per_length(),
                             potential_.units.GPa_per_pressure()));

      md::LammpsSession session(MPI_COMM_WORLD, options);
      md::MdSystem system(session, potential_, settings);
      const fs::path glass_restart = dir.file("glass.restart");
      const fs::path prepared_marker = dir.file("prepare.yaml");

      if (has("prepare"))
        {
          if (context.resume && fs::exists(prepared_marker))
            log.info("prepare: done in the interrupted run, kept");
          else
            {
              const auto p = a.section("prepare");
              md::QuenchProtocol q;
              q.initial_structure = md::initial_structure_from_name(p.text("initial_structure"));
              q.atoms = p.integer("atoms");
              if (p.has("number_density_per_nm3"))
                q.number_density_per_nm3 = p.real("number_density_per_nm3");
              if (p.has("data_file"))
                q.data_file = p.input_file("data_file");
              q.melt_temperature_K = p.real("melt_temperature_K");
              q.melt_time_ps = p.real("melt_time_ps");
              q.quench_rate_K_per_s = p.real("quench_rate_K_per_s");
              q.final_temperature_K = p.real("final_temperature_K");
              q.final_hold_ps = p.real("final_hold_ps");
              q.ensemble = md::ensemble_from_name(p.text("ensemble"));
              q.sample_interval_ps = p.real("sample_interval_ps");
              q.seed = context.seed;
              md::QuenchResult result;
              {
                const auto timer = context.timers.scope("md: prepare");
                TaskProgress progress("prepare", md::quench_duration_ps(q));
                result = md::prepare_glass(system, q, dir.file("glass.data"), glass_restart,
                                           dir.file("glass_inherent.data"), std::ref(progress));
              }
              write_preparation_outputs(dir, potential_, q, result, system.atom_count());
              log.info(preparation_summary(potential_, q, result, system.atom_count()));
              // A sample that never melted or crystallised on quenching would poison every
              // number measured on it: stop here (its files stay for a look in OVITO).
              if (q.initial_structure != md::InitialStructure::crystal &&
                  result.inherent_structure_q6 > md::crystalline_q6_threshold)
                throw std::runtime_error(fmt::format(
                  "prepare: the quenched sample is crystalline, not a glass: bond-orientational order Q6 = {:.3f} "
                  "(a glass has a few hundredths, fcc 0.575, bcc and B2 0.511; limit {}); melt hotter or longer "
                  "(melt_temperature_K, melt_time_ps) or quench faster",
                  result.inherent_structure_q6, md::crystalline_q6_threshold));
            }
        }

      const auto start_state = [&](const core::ConfigValues &section) {
        if (!section.has("initial_data_file"))
          {
            system.read_restart(glass_restart, 0.0);
            return;
          }
        system.read_data(section.input_file("initial_data_file"));
        const double q6 =
          md::global_bond_order(md::periodic_box(session.box()), session.gather_positions()).q_l;
        if (q6 > md::crystalline_q6_threshold)
          log.warning(fmt::format("{}: {} is crystalline (bond-orientational order Q6 = {:.3f}; a glass has a few "
                                  "hundredths): what is measured on it is not a glass's",
                                  section.path(), section.input_file("initial_data_file").string(), q6));
      };

      if (has("cycle"))
        {
          const auto c = a.section("cycle");
          md::CycleProtocol p;
          p.cycles = static_cast<int>(c.integer("cycles"));
          p.high_temperature_K = c.real("high_temperature_K");
          p.low_temperature_K = c.real("low_temperature_K");
          p.cooling_rate_K_per_s = c.real("cooling_rate_K_per_s");
          p.heating_rate_K_per_s = c.real("heating_rate_K_per_s");
          p.low_hold_ps = c.real("low_hold_ps");
          p.high_hold_ps = c.real("high_hold_ps");
          p.initial_hold_ps = c.real("initial_hold_ps");
          p.ensemble = md::ensemble_from_name(c.text("ensemble"));
          p.heating_thermostat = md::thermostat_from_name(c.text("heating_thermostat"));
          p.quasi_equilibrium_start = c.boolean("quasi_equilibrium_start");
          p.quasi_equilibrium_nve_ps = c.real("quasi_equilibrium_nve_ps");
          p.sample_interval_ps = c.real("sample_interval_ps");
          p.seed = context.seed;
          const fs::path checkpoints = dir.file("checkpoints/cycles.csv").parent_path();
          md::ThermalCycling cycling(system, p, checkpoints);
          const bool resuming = context.resume && fs::exists(cycling.table_file());
          if (resuming)
            log.info(fmt::format("cycle: resuming after cycle {}", md::read_cycle_table(cycling.table_file()).back().cycle));
          else
            start_state(c);
          const auto timer = context.timers.scope("md: cycle");
          core::ProgressReporter progress("thermal cycles", static_cast<std::size_t>(p.cycles + 1));
          bool first_report = true;
          const auto table = cycling.run(resuming, [&](const std::vector<md::CycleRecord> &rows) {
            if (first_report && rows.size() > 1)
              progress.advance(rows.size() - 1);
            first_report = false;
            progress.advance();
            const auto &r = rows.back();
            log.file_only(fmt::format("cycle {}: E = {:.6f} eV/atom, E_IS = {:.6f} eV/atom, V = {:.6g} nm³, "
                                      "ΔE = {:+.3e} eV/atom",
                                      r.cycle, r.potential_energy_eV_per_atom,
                                      r.inherent_structure_energy_eV_per_atom, r.volume_nm3, r.delta_energy_eV_per_atom));
            dir.write("cycles.csv", md::cycle_table_csv(rows, potential_.units.reduced(), potential_.units));
          });
          progress.finish();
          write_cycle_outputs(dir, potential_, p, table);
          log.info(cycle_summary(potential_, p, table));
        }

      if (has("expansion"))
        {
          const auto e = a.section("expansion");
          md::ExpansionProtocol p;
          p.anneal_temperature_K = e.real("anneal_temperature_K");
          p.anneal_time_ps = e.real("anneal_time_ps");
          p.minimum_temperature_K = e.real("minimum_temperature_K");
          p.maximum_temperature_K = e.real("maximum_temperature_K");
          p.temperature_points = static_cast<int>(e.integer("temperature_points"));
          p.equilibration_ps = e.real("equilibration_ps");
          p.averaging_ps = e.real("averaging_ps");
          p.sample_interval_ps = e.real("sample_interval_ps");
          p.closure_tolerance = e.real("closure_tolerance");
          if (context.resume && fs::exists(dir.file("thermal_expansion.yaml")))
            log.info("expansion: done in the interrupted run, kept");
          else
            {
              start_state(e);
              md::ExpansionResult result;
              {
                const auto timer = context.timers.scope("md: expansion");
                TaskProgress progress("expansion", md::expansion_duration_ps(p));
                result = md::measure_thermal_expansion(system, p, std::ref(progress));
              }
              write_expansion_outputs(dir, p, result);
              if (!result.loop_closed)
                log.warning(fmt::format("thermal expansion: the cooling and heating branches differ by up to {:.3g} "
                                        "(relative volume), above closure_tolerance {:.3g}: the glass still relaxes "
                                        "in the range; anneal longer or higher",
                                        result.loop_closure_max_relative, p.closure_tolerance));
              log.info(expansion_summary(p, result));
            }
        }
      if (has("local_expansion"))
        run_local_expansion(context, system, start_state);
      if (has("local_moduli"))
        run_local_moduli(context, system, start_state);
      if (has("local_yield"))
        run_local_yield(context, system, start_state);
      if (has("local_expansion") || has("local_moduli") || has("local_yield"))
        write_local_calibration_config(dir, read_coarse_graining_settings(a.section("local")));
      log.info(fmt::format("atomistic: {:.4g} million atom-steps in this process's session",
                           static_cast<double>(system.steps_run()) * static_cast<double>(system.atom_count()) * 1e-6));
      md::LammpsErrorCapture::instance().set_fatal_error_hook({});
    }
  } // namespace

  StageEntry atomistic_stage_entry()
  {
    return {"atomistic",
            "LAMMPS molecular dynamics: glass preparation by quench (T_g), thermal cycling (Shang et al. 2021) with "
            "checkpoints, volumetric thermal expansion, local TEC, elastic moduli and frozen-matrix yield stress on sites (Shang et al. 2018)",
            &declare, [] { return std::make_unique<AtomisticStage>(); }};
  }
} // namespace cryocycle::coupling
