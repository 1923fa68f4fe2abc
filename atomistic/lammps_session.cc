#include "atomistic/lammps_session.h"

#define LAMMPS_LIB_MPI 1
#include <lammps/library.h>

#include <array>
#include <stdexcept>

namespace cryocycle::atomistic
{
  std::string lammps_quoted(const std::string_view text)
  {
    for (const char c : text)
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
        throw std::invalid_argument("'" + std::string(text) +
                                    "' holds a control character and cannot be passed to LAMMPS");
    if (text.find("\"\"\"") != std::string_view::npos || (!text.empty() && text.back() == '"'))
      throw std::invalid_argument("'" + std::string(text) +
                                  "' cannot be quoted for LAMMPS (it holds \"\"\" or ends with \")");
    return "\"\"\"" + std::string(text) + "\"\"\"";
  }

  std::vector<std::string> lammps_words(const std::string_view line)
  {
    std::vector<std::string> words;
    std::size_t i = 0;
    const auto blank = [](const char c) { return c == ' ' || c == '\t'; };
    while (i < line.size())
      {
        while (i < line.size() && blank(line[i]))
          ++i;
        if (i == line.size())
          break;
        std::string word;
        while (i < line.size() && !blank(line[i]))
          {
            const std::string_view rest = line.substr(i);
            const std::string_view quote = rest.rfind("\"\"\"", 0) == 0 ? "\"\"\""
                                           : (line[i] == '"' || line[i] == '\'') ? rest.substr(0, 1)
                                                                              : std::string_view();
            if (quote.empty())
              {
                word += line[i++];
                continue;
              }
            const std::size_t close = line.find(quote, i + quote.size());
            const std::size_t end = close == std::string_view::npos ? line.size() : close;
            word.append(line.substr(i + quote.size(), end - i - quote.size()));
            i = close == std::string_view::npos ? line.size() : close + quote.size();
          }
        words.push_back(word);
      }
    return words;
  }

  LammpsSession::LammpsSession(MPI_Comm communicator, const LammpsSessionOptions &options)
    : communicator_(communicator)
  {
    int initialized = 0;
    MPI_Initialized(&initialized);
    if (!initialized)
      lammps_mpi_init();
    MPI_Comm_rank(communicator_, &rank_);

    auto &capture = LammpsErrorCapture::instance();
    capture.clear();
    std::vector<std::string> arguments{"cryocycle", "-nocite", "-screen", capture.screen_path(),
                                       "-log", options.log_file ? options.log_file->string() : "none"};
    if (!options.suffix.empty())
      arguments.insert(arguments.end(), {"-suffix", options.suffix});
    std::vector<char *> argv;
    for (auto &a : arguments)
      argv.push_back(a.data());
    capture.set_session_open(true);
    handle_ = lammps_open(static_cast<int>(argv.size()), argv.data(), communicator_, nullptr);
    if (handle_ == nullptr)
      {
        capture.set_session_open(false);
        throw LammpsError("could not create a LAMMPS instance: " +
                          LammpsErrorCapture::error_message(capture.captured_text()));
      }
  }

  LammpsSession::~LammpsSession()
  {
    if (handle_ != nullptr)
      lammps_close(handle_);
    LammpsErrorCapture::instance().set_session_open(false);
  }

  void LammpsSession::command(const std::string &line)
  {
    history_.push_back(line);
    lammps_command(handle_, line.c_str());
    if (lammps_has_error(handle_) != 0)
      {
        std::array<char, 2048> buffer{};
        lammps_get_last_error_message(handle_, buffer.data(), static_cast<int>(buffer.size()));
        throw LammpsError(std::string(buffer.data()) + " (command: " + line + ")");
      }
  }

  void LammpsSession::commands(const std::vector<std::string> &lines)
  {
    for (const auto &line : lines)
      command(line);
  }

  double LammpsSession::thermo(const std::string &keyword)
  {
    return lammps_get_thermo(handle_, keyword.c_str());
  }

  std::int64_t LammpsSession::atom_count()
  {
    return static_cast<std::int64_t>(lammps_get_natoms(handle_));
  }

  SimulationBox LammpsSession::box()
  {
    SimulationBox b;
    int periodicity[3];
    int box_change = 0;
    lammps_extract_box(handle_, b.low.data(), b.high.data(), &b.xy, &b.yz, &b.xz, periodicity,
                       &box_change);
    return b;
  }

  std::vector<double> LammpsSession::gather_positions()
  {
    std::vector<double> x(static_cast<std::size_t>(3 * atom_count()));
    lammps_gather_atoms(handle_, const_cast<char *>("x"), 1, 3, x.data());
    return x;
  }

  std::vector<int> LammpsSession::gather_types()
  {
    std::vector<int> types(static_cast<std::size_t>(atom_count()));
    lammps_gather_atoms(handle_, const_cast<char *>("type"), 0, 1, types.data());
    return types;
  }

  std::vector<double> LammpsSession::gather_per_atom(const std::string &name, const int components)
  {
    if (components < 1)
      throw std::invalid_argument("gather_per_atom: at least one component per atom");
    std::vector<double> values(static_cast<std::size_t>(components * atom_count()));
    std::string mutable_name = name;
    lammps_gather(handle_, mutable_name.data(), 1, components, values.data());
    return values;
  }

  void LammpsSession::scatter_positions(const std::vector<double> &positions)
  {
    if (positions.size() != static_cast<std::size_t>(3 * atom_count()))
      throw std::invalid_argument("scatter_positions: need 3 coordinates per atom");
    std::vector<double> copy = positions;
    lammps_scatter_atoms(handle_, const_cast<char *>("x"), 1, 3, copy.data());
  }

  std::int64_t LammpsSession::create_atoms(const std::vector<std::int64_t> &ids, const std::vector<int> &types,
                                           const std::vector<double> &positions)
  {
    if (types.size() != ids.size() || positions.size() != 3 * ids.size())
      throw std::invalid_argument("create_atoms: one type and three coordinates per atom ID");
    // Every rank passes the full list; LAMMPS keeps the atoms inside each rank's sub-domain.
    const std::int64_t before = atom_count();
#if defined(LAMMPS_BIGBIG)
    const std::vector<int64_t> lammps_ids(ids.begin(), ids.end());
#else
    const std::vector<int> lammps_ids(ids.begin(), ids.end());
#endif
    lammps_create_atoms(handle_, static_cast<int>(ids.size()), lammps_ids.data(), types.data(), positions.data(),
                        nullptr, nullptr, 0);
    if (lammps_has_error(handle_) != 0)
      {
        std::array<char, 2048> buffer{};
        lammps_get_last_error_message(handle_, buffer.data(), static_cast<int>(buffer.size()));
        throw LammpsError(std::string(buffer.data()) + " (lammps_create_atoms)");
      }
    return atom_count() - before;
  }

  bool LammpsSession::has_style(const std::string &category, const std::string &style)
  {
    return lammps_has_style(handle_, category.c_str(), style.c_str()) != 0;
  }
} // namespace cryocycle::atomistic
