#include "coupling/pipeline/pipeline.h"

#include "core/config_values.h"
#include "core/log.h"
#include "core/progress.h"
#include "core/random_stream.h"
#include "coupling/stages/atomistic/atomistic_stage.h"
#include "coupling/stages/calibrate/calibration_stage.h"
#include "coupling/stages/compare/compare_stage.h"
#include "coupling/stages/continuum/continuum_stage.h"
#include "coupling/stages/demo/demo_config.h"
#include "coupling/stages/extrapolate/extrapolation_stage.h"
#include "coupling/pipeline/run_chain.h"
#include "coupling/stages/synthesize/synthetic_data_stage.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <mpi.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>
#include <optional>
#include <iostream>

namespace cryocycle::coupling
{
  namespace fs = std::filesystem;

  namespace
  {
    /// Keys every run reads, declared here because the pipeline reads them.
    void declare_common_keys(core::ConfigSection &root)
    {
      root.output_path("output_dir", "cryocycle_run",
                       "Run directory for all results (created; must be empty or a previous run "
                       "replaced with --overwrite).");
      root.integer("seed", 1, core::ConfigRange::closed(0, 9.0e15),
                   "Master random seed; every random stream derives from it, its purpose and a "
                   "global id, so the same seed gives the same results on any number of ranks.");
    }

    const StageEntry *find_stage(const std::string &name)
    {
      for (const auto &entry : registered_stages())
        if (entry.name == name)
          return &entry;
      return nullptr;
    }

    const StageEntry &stage_or_throw(const std::string &name)
    {
      if (const StageEntry *entry = find_stage(name))
        return *entry;
      std::string known;
      for (const auto &entry : registered_stages())
        known += (known.empty() ? "" : ", ") + entry.name;
      throw std::invalid_argument("unknown stage '" + name + "' (stages: " + known + ")");
    }

    /// The stage called `name`, or nullptr after printing which stages exist.
    const StageEntry *stage_or_report(const std::string &name)
    {
      try
        {
          return &stage_or_throw(name);
        }
      catch (const std::invalid_argument &e)
        {
          std::cerr << "error: " << e.what() << std::endl;
          return nullptr;
        }
    }

    /// A config for stage `entry` must give at least one of its sections and none that only
    /// other stages read: a config meant for another stage would otherwise run on defaults.
    void check_sections(const StageEntry &entry, const Stage &stage, const core::ConfigValues &config)
    {
      const auto own = stage.sections();
      for (const auto &other : registered_stages())
        {
          if (other.name == entry.name || other.name == "run")
            continue;
          for (const auto &section : other.create()->sections())
            if (config.given(section) && std::find(own.begin(), own.end(), section) == own.end())
              config.fail(section, fmt::format("section '{}' belongs to stage {}, not {}: run `cryocycle {} "
                                               "<config>` with this config, or remove the section",
                                               section, other.name, entry.name, other.name));
        }
      if (std::none_of(own.begin(), own.end(), [&](const std::string &s) { return config.given(s); }))
        config.fail("", fmt::format("the config gives no '{}' section, so stage {} has nothing to do "
                                    "(`cryocycle {} --print-config` shows its keys)",
                                    fmt::join(own, "' or '"), entry.name, entry.name));
    }

    /// Loads and validates the config, then lets the stage check its inputs.
    std::pair<core::ConfigValues, std::unique_ptr<Stage>>
    load_and_prepare(const StageEntry &entry, const std::function<core::ConfigValues()> &load)
    {
      core::ConfigValues config = load();
      std::unique_ptr<Stage> stage = entry.create();
      check_sections(entry, *stage, config);
      stage->prepare(config);
      return {config, std::move(stage)};
    }

    /// Ranks other than 0 wait for a serial stage and return its exit code.
    int serial_stage_on_other_rank()
    {
      int exit_code = exit_success;
      MPI_Bcast(&exit_code, 1, MPI_INT, 0, MPI_COMM_WORLD);
      return exit_code;
    }

    /// Rank 0 tells the waiting ranks how a serial stage ended.
    int finish_serial_stage(const Stage &stage, const int exit_code)
    {
      int initialized = 0;
      MPI_Initialized(&initialized);
      int code = exit_code;
      if (initialized && !stage.uses_mpi())
        MPI_Bcast(&code, 1, MPI_INT, 0, MPI_COMM_WORLD);
      return code;
    }

    /// On a parallel stage, rank 0's verdict (empty: fine) reaches every rank, so all ranks
    /// stop or go on together.
    std::string shared_verdict(const Stage &stage, std::string verdict)
    {
      int initialized = 0;
      MPI_Initialized(&initialized);
      if (!initialized || !stage.uses_mpi())
        return verdict;
      int length = static_cast<int>(verdict.size());
      MPI_Bcast(&length, 1, MPI_INT, 0, MPI_COMM_WORLD);
      verdict.resize(static_cast<std::size_t>(length));
      MPI_Bcast(verdict.data(), length, MPI_CHAR, 0, MPI_COMM_WORLD);
      return verdict;
    }

    void barrier_if_parallel(const Stage &stage)
    {
      int initialized = 0;
      MPI_Initialized(&initialized);
      if (initialized && stage.uses_mpi())
        MPI_Barrier(MPI_COMM_WORLD);
    }

    /// A run resumes on the number of ranks it started with: sums over sites are taken in an
    /// order that depends on the rank count, so another count would change the last bits of
    /// the tables from the resumed cycle on.
    void check_same_rank_count(const fs::path &output_dir)
    {
      int ranks = 1;
      MPI_Comm_size(MPI_COMM_WORLD, &ranks);
      YAML::Node manifest;
      try
        {
          manifest = YAML::LoadFile((output_dir / "manifest.yaml").string());
        }
      catch (const YAML::Exception &e)
        {
          throw std::runtime_error("--resume: " + (output_dir / "manifest.yaml").string() + " cannot be read: " + e.msg);
        }
      if (manifest["mpi_ranks"] && manifest["mpi_ranks"].as<int>() != ranks)
        throw std::runtime_error(fmt::format("--resume: the run in {} was started on {} MPI rank(s), this one has {}; "
                                             "resume it with mpirun -np {}",
                                             output_dir.string(), manifest["mpi_ranks"].as<int>(), ranks,
                                             manifest["mpi_ranks"].as<int>()));
    }

    /// Checks that the run directory can be used (new, replaced or resumed), on rank 0.
    std::string run_directory_verdict(const Stage &stage, const StageEntry &entry,
                                      const fs::path &output_dir, const std::string &resolved_config,
                                      const RunOptions &options)
    {
      try
        {
          if (options.resume && options.overwrite)
            throw std::runtime_error("--resume and --overwrite exclude each other");
          if (options.resume && !stage.supports_resume())
            throw std::runtime_error("stage " + entry.name +
                                     " does not checkpoint its work and cannot --resume; run it "
                                     "again with --overwrite");
          if (options.resume)
            {
              core::RunDirectory::check_resumable(output_dir, resolved_config);
              check_same_rank_count(output_dir);
            }
          else
            core::RunDirectory::check_usable(output_dir, options.overwrite);
          return {};
        }
      catch (const std::exception &e)
        {
          return e.what();
        }
    }

    /// Rank 0 creates (or reopens) the run directory; the other ranks of a parallel stage open
    /// it once it exists.
    core::RunDirectory open_run_directory(const Stage &stage, const fs::path &output_dir,
                                          const RunOptions &options)
    {
      std::string failure;
      std::optional<core::RunDirectory> directory;
      if (core::is_output_rank())
        {
          try
            {
              directory = options.resume ? core::RunDirectory::open_existing(output_dir, true)
                                         : core::RunDirectory(output_dir, options.overwrite);
            }
          catch (const std::exception &e)
            {
              failure = e.what();
            }
        }
      failure = shared_verdict(stage, failure);
      if (!failure.empty())
        throw std::runtime_error(failure);
      if (!directory)
        directory = core::RunDirectory::open_existing(output_dir);
      return *directory;
    }

    int execute(const StageEntry &entry, const std::function<core::ConfigValues()> &load,
                const RunOptions &options)
    {
      auto &log = core::Log::instance();
      const auto start = std::chrono::steady_clock::now();
      core::ConfigValues config;
      std::unique_ptr<Stage> stage;
      fs::path output_dir;
      try
        {
          // Every rank reads the same config and inputs, so every rank fails here alike.
          std::tie(config, stage) = load_and_prepare(entry, load);
          output_dir = options.output_dir ? *options.output_dir : fs::path(config.text("output_dir"));
        }
      catch (const std::exception &e)
        {
          if (core::is_output_rank())
            std::cerr << "error: " << e.what() << "\nnothing was written." << std::endl;
          return exit_input_error;
        }
      if (!stage->uses_mpi() && !core::is_output_rank())
        return serial_stage_on_other_rank();

      const std::string resolved_config = core::emit_resolved_config(config);
      const std::string verdict = shared_verdict(
        *stage, core::is_output_rank()
                  ? run_directory_verdict(*stage, entry, output_dir, resolved_config, options)
                  : std::string());
      if (!verdict.empty())
        {
          if (core::is_output_rank())
            std::cerr << "error: " << verdict << "\nnothing was written." << std::endl;
          return finish_serial_stage(*stage, exit_input_error);
        }

      core::RunManifest manifest(options.command_line);
      std::optional<core::InterruptedManifestGuard> interrupt_guard;
      std::optional<core::RunDirectory> opened;
      // The manifest lists the run's outputs; a signal from here on leaves it "interrupted".
      const auto write_manifest = [&](const core::RunDirectory &directory) {
        if (!core::is_output_rank())
          return;
        const fs::path file = directory.file("manifest.yaml");
        manifest.set_outputs(directory.outputs());
        core::write_file_atomically(file, manifest.yaml());
        if (!interrupt_guard)
          interrupt_guard.emplace(file);
        interrupt_guard->update(manifest.interrupted_yaml());
      };
      try
        {
          opened = open_run_directory(*stage, output_dir, options);
          const core::RunDirectory &directory = *opened;
          log.attach_file(directory.file("log.txt"));
          log.info(fmt::format("cryocycle {}: {} in {}", entry.name,
                               options.resume ? "resuming the run" : "results",
                               directory.path().string()));

          const auto seed = static_cast<std::uint64_t>(config.integer("seed"));
          manifest.add_seed("seed", seed);
          if (!options.resume)
            directory.write("config.yaml", resolved_config);
          write_manifest(directory);
          barrier_if_parallel(*stage);

          core::TimerSections timers;
          RunContext context{config, directory, timers, manifest, seed, options.resume};
          stage->run(context);

          const double wall_s =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
          manifest.add_stage_time(entry.name, wall_s);
          manifest.set_status(options.resume ? "completed (resumed)" : "completed");
          write_manifest(directory);
          interrupt_guard.reset();
          log.info(timers.summary(entry.name + " stage", wall_s));
          log.info(fmt::format("{} finished in {}; results in {}", entry.name,
                               core::format_duration(wall_s), directory.path().string()));
          log.detach_file();
          return finish_serial_stage(*stage, exit_success);
        }
      catch (const std::exception &e)
        {
          log.file_only(std::string("error: ") + e.what());
          if (core::is_output_rank())
            {
              std::cerr << "error: " << e.what() << std::endl;
              manifest.set_status(std::string("failed: ") + e.what());
              try
                {
                  if (opened)
                    write_manifest(*opened);
                  interrupt_guard.reset();
                }
              catch (const std::exception &)
                {
                  // The run directory itself is unusable; the message above says why.
                }
            }
          log.detach_file();
          return finish_serial_stage(*stage, exit_runtime_error);
        }
    }
  } // namespace

  const std::vector<StageEntry> &registered_stages()
  {
    static const std::vector<StageEntry> stages = [] {
      std::vector<StageEntry> all;
      all.push_back(synthetic_data_stage_entry());
      all.push_back(calibration_stage_entry());
      all.push_back(atomistic_stage_entry());
      all.push_back(continuum_stage_entry());
      all.push_back(extrapolation_stage_entry());
      all.push_back(compare_stage_entry());
      all.push_back(run_chain_stage_entry());
      return all;
    }();
    return stages;
  }

  const core::ConfigSection &config_schema()
  {
    static const core::ConfigSection schema = [] {
      core::ConfigSection root("cryocycle configuration");
      declare_common_keys(root);
      for (const auto &entry : registered_stages())
        entry.declare_config(root);
      return root;
    }();
    return schema;
  }

  std::string print_config(const std::string &stage)
  {
    const StageEntry &entry = stage_or_throw(stage);
    std::vector<std::string> keys{"output_dir", "seed"};
    const auto sections = entry.create()->sections();
    keys.insert(keys.end(), sections.begin(), sections.end());
    return fmt::format("# cryocycle {} — {}\n# All keys with their defaults; units are part of "
                       "the key names.\n\n{}",
                       entry.name, entry.summary, core::document_config(config_schema(), keys));
  }

  int validate_config(const std::string &stage, const fs::path &config_file)
  {
    try
      {
        const StageEntry &entry = stage_or_throw(stage);
        if (entry.name == "run")
          return validate_chain(config_file);
        load_and_prepare(entry, [&] { return core::load_config_file(config_schema(), config_file); });
        std::cout << config_file.string() << ": valid for stage " << stage << std::endl;
        return exit_success;
      }
    catch (const std::exception &e)
      {
        std::cerr << "error: " << e.what() << std::endl;
        return exit_input_error;
      }
  }

  int run_stage(const std::string &stage, const fs::path &config_file, const RunOptions &options)
  {
    const StageEntry *entry = stage_or_report(stage);
    if (entry == nullptr)
      return exit_input_error;
    if (entry->name == "run")
      return run_chain(config_file, options);
    return execute(*entry, [&] { return core::load_config_file(config_schema(), config_file); },
                   options);
  }

  int run_stage_on_text(const std::string &stage, const std::string &config_text,
                        const std::string &display_name, const fs::path &base_dir,
                        const RunOptions &options, const std::vector<core::ScalarSubstitution> &substitutions)
  {
    const StageEntry *entry = stage_or_report(stage);
    if (entry == nullptr)
      return exit_input_error;
    return execute(*entry,
                   [&] {
                     return core::load_config_text(config_schema(), config_text, display_name,
                                                   base_dir, substitutions);
                   },
                   options);
  }

  int run_demo(const RunOptions &options)
  {
    auto &log = core::Log::instance();
    RunOptions chain = options;
    if (!chain.output_dir)
      chain.output_dir = fs::path("runs/demo");
    const fs::path root = fs::absolute(*chain.output_dir).lexically_normal();
    log.info("cryocycle demo: the whole chain of the embedded configs/demo.yaml — a small LJ glass "
             "(LAMMPS) with local α, K, G → fits → 20 cryogenic cycles of a periodic RVE → extrapolation "
             "to the samples of the experiments → comparison with them");
    const int code = run_chain_text(demo_config_text(), "<embedded configs/demo.yaml>",
                                    demo_base_directory(), chain);
    if (code != exit_success || !core::is_output_rank())
      return code;
    const std::string summary = demo_summary(root);
    core::RunDirectory::open_existing(root, true).write("demo_summary.txt", summary);
    std::cout << "\n" << summary << std::flush;
    return exit_success;
  }
} // namespace cryocycle::coupling
