// The cryocycle executable: parses the command line and calls the pipeline in coupling/.
#include "core/build_info.h"
#include "coupling/pipeline/pipeline.h"

#include <CLI/CLI.hpp>
#include <mpi.h>

#include <iostream>

namespace
{
  /// MPI for the whole process lifetime (stages that need it use MPI_COMM_WORLD).
  struct MpiScope
  {
    MpiScope(int &argc, char **&argv)
    {
      int provided = 0;
      MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
    }
    ~MpiScope() { MPI_Finalize(); }
    MpiScope(const MpiScope &) = delete;
    MpiScope &operator=(const MpiScope &) = delete;
  };

  std::string joined_command_line(int argc, char **argv)
  {
    std::string line;
    for (int i = 0; i < argc; ++i)
      line += (i ? " " : "") + std::string(argv[i]);
    return line;
  }
} // namespace

int main(int argc, char **argv)
{
  using namespace cryocycle;
  MpiScope mpi(argc, argv);
  const std::string command_line = joined_command_line(argc, argv);

  CLI::App app{"cryocycle — multiscale simulation of cryogenic thermal cycling rejuvenation in "
               "metallic glasses.\nEach stage reads a YAML config; `cryocycle <stage> "
               "--print-config` lists every key with its unit, default and range."};
  app.set_version_flag("--version", core::cryocycle_version() + " (" + core::git_commit() + ")");
  app.require_subcommand(1);

  struct StageArguments
  {
    std::string config_file;
    std::string output_dir;
    bool overwrite = false;
    bool resume = false;
    bool print = false;
    bool validate = false;
  };
  std::vector<std::pair<std::string, std::unique_ptr<StageArguments>>> stages;
  for (const auto &entry : coupling::registered_stages())
    {
      auto arguments = std::make_unique<StageArguments>();
      CLI::App *sub = app.add_subcommand(entry.name, entry.summary);
      sub->add_option("config", arguments->config_file, "YAML config file");
      sub->add_flag("--print-config", arguments->print,
                    "Print a documented YAML of all keys with their defaults, then exit");
      sub->add_flag("--validate", arguments->validate,
                    "Check the config and its input files without running, then exit");
      sub->add_option("-o,--output-dir", arguments->output_dir, "Run directory (replaces output_dir)");
      sub->add_flag("--overwrite", arguments->overwrite, "Replace a previous run directory");
      sub->add_flag("--resume", arguments->resume,
                    "Continue an interrupted run in its run directory from its last checkpoint "
                    "(same config; stages that checkpoint)");
      stages.emplace_back(entry.name, std::move(arguments));
    }
  StageArguments demo_arguments;
  CLI::App *demo = app.add_subcommand("demo", "Run the built-in multiscale demo (configs/demo.yaml): LJ glass, local α/K/G, fits, RVE cycles, extrapolation, comparison with experiment");
  demo->add_option("-o,--output-dir", demo_arguments.output_dir, "Run directory")->default_val("runs/demo");
  demo->add_flag("--overwrite", demo_arguments.overwrite, "Replace a previous demo run directory");

  if (argc > 1 && argv[1][0] != '-')
    {
      const std::string first = argv[1];
      std::string known;
      bool found = first == "demo";
      for (const auto &entry : coupling::registered_stages())
        {
          found = found || entry.name == first;
          known += entry.name + ", ";
        }
      if (!found)
        {
          int rank = 0;
          MPI_Comm_rank(MPI_COMM_WORLD, &rank);
          if (rank == 0)
            std::cerr << "error: unknown stage '" << first << "'; stages are " << known << "demo" << std::endl;
          return coupling::exit_input_error;
        }
    }
  CLI11_PARSE(app, argc, argv);

  coupling::RunOptions options;
  options.command_line = command_line;
  if (demo->parsed())
    {
      options.output_dir = demo_arguments.output_dir;
      options.overwrite = demo_arguments.overwrite;
      return coupling::run_demo(options);
    }
  for (const auto &[name, arguments] : stages)
    {
      if (!app.got_subcommand(name))
        continue;
      if (arguments->print)
        {
          std::cout << coupling::print_config(name);
          return coupling::exit_success;
        }
      if (arguments->config_file.empty())
        {
          std::cerr << "error: cryocycle " << name << " needs a config file (see cryocycle " << name
                    << " --print-config)" << std::endl;
          return coupling::exit_input_error;
        }
      if (arguments->validate)
        return coupling::validate_config(name, arguments->config_file);
      if (!arguments->output_dir.empty())
        options.output_dir = arguments->output_dir;
      options.overwrite = arguments->overwrite;
      options.resume = arguments->resume;
      return coupling::run_stage(name, arguments->config_file, options);
    }
  return coupling::exit_input_error;
}
