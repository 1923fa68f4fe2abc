// The closing summary of `cryocycle demo`, assembled from the files its stages wrote.
#include "core/csv_table.h"
#include "coupling/stages/demo/demo_config.h"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

namespace cryocycle::coupling
{
  namespace
  {
    namespace fs = std::filesystem;

    std::vector<std::string> lines_of(const fs::path &file)
    {
      std::ifstream in(file);
      std::vector<std::string> lines;
      for (std::string line; std::getline(in, line);)
        lines.push_back(line);
      return lines;
    }

    /// The lines of a stage's summary.txt, indented; a note when it is missing.
    std::string indented_summary(const fs::path &file, std::size_t max_lines)
    {
      const auto lines = lines_of(file);
      if (lines.empty())
        return "  (no " + file.string() + ")\n";
      std::string text;
      for (std::size_t i = 0; i < lines.size() && i < max_lines; ++i)
        text += "  " + lines[i] + "\n";
      return text;
    }

    /// Events per cycle and the stored-energy curve of the RVE from its cycles.csv.
    std::string cycles_part(const fs::path &file)
    {
      const core::CsvTable table = core::CsvTable::read(file);
      const auto &cycle = table.column("cycle");
      const auto &cooling = table.column("events_cooling");
      const auto &heating = table.column("events_heating");
      const auto &energy = table.column("stored_energy_change_J_per_mol");
      std::vector<std::size_t> rows;  // cycle > 0
      for (std::size_t i = 0; i < cycle.size(); ++i)
        if (cycle[i] > 0.0)
          rows.push_back(i);
      if (rows.empty())
        return "  (no cycles in " + file.string() + ")\n";
      const auto events = [&](std::size_t i) { return cooling[i] + heating[i]; };
      double later = 0.0;
      for (std::size_t k = 1; k < rows.size(); ++k)
        later += events(rows[k]);
      std::string text = fmt::format("  shear-transformation events per cycle: {:.0f} in cycle 1", events(rows.front()));
      if (rows.size() > 1)
        text += fmt::format(", {:.0f} on average over cycles 2–{:.0f}, {:.0f} in cycle {:.0f}",
                            later / static_cast<double>(rows.size() - 1), cycle[rows.back()],
                            events(rows.back()), cycle[rows.back()]);
      text += "\n  stored-energy change (J/mol) after cycle";
      const std::size_t n = rows.size();
      std::vector<std::size_t> picks{0};
      for (const std::size_t at : {n / 4, n / 2, 3 * n / 4, n})
        if (at >= 1 && at - 1 > picks.back())
          picks.push_back(at - 1);
      for (const std::size_t k : picks)
        text += fmt::format(" {:.0f}: {:+.0f}{}", cycle[rows[k]], energy[rows[k]], k == picks.back() ? "" : ",");
      return text + "\n";
    }
  } // namespace

  std::vector<std::string> demo_stage_folders()
  {
    return {"1_atomistic", "2_calibrate", "3_continuum", "4_extrapolate", "5_compare"};
  }

  std::string demo_summary(const fs::path &root)
  {
    std::string text = "cryocycle demo summary (" + root.string() + ")\n";
    text += "Fitted to the LJ glass (2_calibrate/calibration.yaml):\n";
    text += indented_summary(root / "2_calibrate" / "summary.txt", 12);
    text += "RVE cycles (3_continuum/cycles.csv; α spread and σ_y set, see configs/demo.yaml):\n";
    try
      {
        text += cycles_part(root / "3_continuum" / "cycles.csv");
      }
    catch (const std::exception &e)
      {
        text += std::string("  (") + e.what() + ")\n";
      }
    text += "p(σ_th > σ_y) (Shang et al. 2018 Table I, set) and the samples of the experiments "
            "(4_extrapolate/extrapolation.md):\n";
    text += indented_summary(root / "4_extrapolate" / "summary.txt", 12);
    text += "Model against experiment (5_compare/report.md):\n";
    text += indented_summary(root / "5_compare" / "summary.txt", 4);
    text += "Plots (PNG):\n";
    for (const auto &folder : demo_stage_folders())
      if (fs::is_directory(root / folder / "plots"))
        text += "  " + (root / folder / "plots").string() + "/\n";
    text += "Report: " + (root / "5_compare" / "report.md").string() + "\n";
    text += "Extrapolation table: " + (root / "4_extrapolate" / "extrapolation.md").string() + "\n";
    text += "Every stage's summary: " + (root / "summary.txt").string() + "\n";
    return text;
  }
} // namespace cryocycle::coupling
