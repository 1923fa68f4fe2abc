#include "continuum/cycling/cycling_checkpoint.h"

#include "core/run_directory.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>
#include <numeric>
#include <stdexcept>
#include <type_traits>

namespace cryocycle::continuum
{
  namespace
  {
    const std::string magic = "cryocycle cycling checkpoint\n";
    constexpr std::uint32_t format_version = 3;  // 2: row extras, site extras, run state; 3: mismatch scale in homogenised cell records
    constexpr std::uint64_t byte_order_mark = 0x0102030405060708ULL;
    const std::string end_mark = "end of checkpoint\n";

    // A change of CycleObservables must be mirrored in put_row/get_row below.
    static_assert(sizeof(CycleObservables) == 5 * sizeof(std::uint64_t) + 9 * sizeof(double),
                  "CycleObservables changed: update the checkpoint row layout (and format_version)");

    class Writer
    {
    public:
      template <typename T>
      void put(const T &value)
      {
        static_assert(std::is_trivially_copyable_v<T>);
        const auto *bytes = reinterpret_cast<const char *>(&value);
        buffer_.append(bytes, sizeof(T));
      }
      template <typename T>
      void put_array(const std::vector<T> &values)
      {
        put(static_cast<std::uint64_t>(values.size()));
        buffer_.append(reinterpret_cast<const char *>(values.data()), values.size() * sizeof(T));
      }
      void put_text(const std::string &text)
      {
        put(static_cast<std::uint64_t>(text.size()));
        buffer_ += text;
      }
      void put_raw(const std::string &text) { buffer_ += text; }
      const std::string &bytes() const { return buffer_; }

    private:
      std::string buffer_;
    };

    class Reader
    {
    public:
      Reader(std::string bytes, std::filesystem::path file) : bytes_(std::move(bytes)), file_(std::move(file)) {}

      template <typename T>
      T get()
      {
        T value{};
        require(sizeof(T));
        std::memcpy(&value, bytes_.data() + at_, sizeof(T));
        at_ += sizeof(T);
        return value;
      }
      template <typename T>
      std::vector<T> get_array()
      {
        const auto n = get<std::uint64_t>();
        if (n > (bytes_.size() - at_) / sizeof(T))
          fail("an array is longer than the file");
        std::vector<T> values(n);
        std::memcpy(values.data(), bytes_.data() + at_, n * sizeof(T));
        at_ += n * sizeof(T);
        return values;
      }
      std::string get_text()
      {
        const auto n = get<std::uint64_t>();
        require(n);
        std::string text = bytes_.substr(at_, n);
        at_ += n;
        return text;
      }
      void expect_raw(const std::string &text, const std::string &what)
      {
        if (bytes_.compare(at_, text.size(), text) != 0)
          fail(what);
        at_ += text.size();
      }
      [[noreturn]] void fail(const std::string &what) const
      {
        throw std::runtime_error(fmt::format("{} is not a usable cycling checkpoint: {}", file_.string(), what));
      }

    private:
      void require(const std::size_t n) const
      {
        if (n > bytes_.size() - at_)
          fail("the file ends early (truncated)");
      }
      std::string bytes_;
      std::filesystem::path file_;
      std::size_t at_ = 0;
    };

    void put_row(Writer &w, const CycleObservables &r)
    {
      for (const std::uint64_t v : {static_cast<std::uint64_t>(r.cycle), r.events_cooling, r.events_heating,
                                    r.events_holds, r.relaxations})
        w.put(v);
      for (const double v : {r.work_aJ, r.residual_work_aJ, r.mean_state, r.yield_median_GPa, r.yield_decile_width,
                             r.residual_von_mises_mean_GPa, r.residual_von_mises_std_GPa, r.mean_plastic_strain,
                             r.elastic_energy_aJ})
        w.put(v);
    }

    CycleObservables get_row(Reader &in)
    {
      CycleObservables r;
      r.cycle = static_cast<std::size_t>(in.get<std::uint64_t>());
      r.events_cooling = in.get<std::uint64_t>();
      r.events_heating = in.get<std::uint64_t>();
      r.events_holds = in.get<std::uint64_t>();
      r.relaxations = in.get<std::uint64_t>();
      for (double *v : {&r.work_aJ, &r.residual_work_aJ, &r.mean_state, &r.yield_median_GPa, &r.yield_decile_width,
                        &r.residual_von_mises_mean_GPa, &r.residual_von_mises_std_GPa, &r.mean_plastic_strain,
                        &r.elastic_energy_aJ})
        *v = in.get<double>();
      return r;
    }

    /// Byte-wise gather of every rank's buffer on rank 0, in rank order.
    std::vector<char> gather_bytes(MPI_Comm communicator, const std::vector<char> &local)
    {
      int rank = 0;
      int size = 1;
      MPI_Comm_rank(communicator, &rank);
      MPI_Comm_size(communicator, &size);
      const int count = static_cast<int>(local.size());
      std::vector<int> counts(static_cast<std::size_t>(size));
      MPI_Gather(&count, 1, MPI_INT, counts.data(), 1, MPI_INT, 0, communicator);
      std::vector<int> offsets(counts.size(), 0);
      std::vector<char> all;
      if (rank == 0)
        {
          std::exclusive_scan(counts.begin(), counts.end(), offsets.begin(), 0);
          all.resize(static_cast<std::size_t>(offsets.back() + counts.back()));
        }
      MPI_Gatherv(local.data(), count, MPI_BYTE, all.data(), counts.data(), offsets.data(), MPI_BYTE, 0,
                  communicator);
      return all;
    }

    template <typename T>
    void append_bytes(std::vector<char> &out, const T &value)
    {
      const auto *bytes = reinterpret_cast<const char *>(&value);
      out.insert(out.end(), bytes, bytes + sizeof(T));
    }

    template <typename T>
    T read_bytes(const std::vector<char> &in, std::size_t &at)
    {
      T value{};
      std::memcpy(&value, in.data() + at, sizeof(T));
      at += sizeof(T);
      return value;
    }
  } // namespace

  SiteStates gather_site_states(MPI_Comm communicator, const SiteStates &local)
  {
    const bool extras = !local.extra.empty();
    if (extras && local.extra.size() != local.size())
      throw std::invalid_argument("gather_site_states: one extra record per site or none");
    // One record per site: id, ε*, σ_y, s, draws, events, extra length and values.
    std::vector<char> packed;
    packed.reserve(local.size() * (4 * sizeof(std::uint64_t) + 8 * sizeof(double)));
    for (std::size_t i = 0; i < local.size(); ++i)
      {
        append_bytes(packed, local.global_id[i]);
        append_bytes(packed, local.eigenstrain[i]);
        append_bytes(packed, local.yield_stress_GPa[i]);
        append_bytes(packed, local.structural_state[i]);
        append_bytes(packed, local.draws[i]);
        append_bytes(packed, local.events[i]);
        append_bytes(packed, static_cast<std::uint64_t>(extras ? local.extra[i].size() : 0));
        if (extras)
          for (const double v : local.extra[i])
            append_bytes(packed, v);
      }
    const std::vector<char> all = gather_bytes(communicator, packed);
    SiteStates unsorted;
    for (std::size_t at = 0; at < all.size();)
      {
        unsorted.global_id.push_back(read_bytes<std::uint64_t>(all, at));
        unsorted.eigenstrain.push_back(read_bytes<SymmetricTensor6>(all, at));
        unsorted.yield_stress_GPa.push_back(read_bytes<double>(all, at));
        unsorted.structural_state.push_back(read_bytes<double>(all, at));
        unsorted.draws.push_back(read_bytes<std::uint64_t>(all, at));
        unsorted.events.push_back(read_bytes<std::uint64_t>(all, at));
        std::vector<double> extra(read_bytes<std::uint64_t>(all, at));
        for (auto &v : extra)
          v = read_bytes<double>(all, at);
        unsorted.extra.push_back(std::move(extra));
      }
    const std::size_t n = unsorted.size();
    int any_extras = extras ? 1 : 0;
    MPI_Allreduce(MPI_IN_PLACE, &any_extras, 1, MPI_INT, MPI_MAX, communicator);
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(), [&](const std::size_t a, const std::size_t b) {
      return unsorted.global_id[a] < unsorted.global_id[b];
    });
    SiteStates sorted;
    for (const std::size_t k : order)
      {
        sorted.global_id.push_back(unsorted.global_id[k]);
        sorted.eigenstrain.push_back(unsorted.eigenstrain[k]);
        sorted.yield_stress_GPa.push_back(unsorted.yield_stress_GPa[k]);
        sorted.structural_state.push_back(unsorted.structural_state[k]);
        sorted.draws.push_back(unsorted.draws[k]);
        sorted.events.push_back(unsorted.events[k]);
        if (any_extras != 0)
          sorted.extra.push_back(std::move(unsorted.extra[k]));
      }
    return sorted;
  }

  void write_cycling_checkpoint(const std::filesystem::path &file, const CyclingCheckpoint &checkpoint)
  {
    const SiteStates &s = checkpoint.sites;
    const std::size_t n = s.size();
    if (s.eigenstrain.size() != n || s.yield_stress_GPa.size() != n || s.structural_state.size() != n ||
        s.draws.size() != n || s.events.size() != n || (!s.extra.empty() && s.extra.size() != n))
      throw std::invalid_argument("checkpoint: the site arrays differ in length");
    if (!checkpoint.row_extras.empty() && checkpoint.row_extras.size() != checkpoint.rows.size())
      throw std::invalid_argument("checkpoint: one list of extra columns per row or none");
    Writer w;
    w.put_raw(magic);
    w.put(format_version);
    w.put(byte_order_mark);
    w.put(static_cast<std::uint64_t>(checkpoint.critical_parameters.size()));
    for (const auto &p : checkpoint.critical_parameters)
      {
        w.put_text(p.key);
        w.put_text(p.value);
      }
    w.put(static_cast<std::uint64_t>(checkpoint.rows.size()));
    for (const auto &row : checkpoint.rows)
      put_row(w, row);
    w.put(static_cast<std::uint64_t>(checkpoint.row_extras.size()));
    for (const auto &extra : checkpoint.row_extras)
      w.put_array(extra);
    w.put_array(s.global_id);
    w.put_array(s.eigenstrain);
    w.put_array(s.yield_stress_GPa);
    w.put_array(s.structural_state);
    w.put_array(s.draws);
    w.put_array(s.events);
    w.put(static_cast<std::uint64_t>(s.extra.size()));
    for (const auto &extra : s.extra)
      w.put_array(extra);
    w.put_array(checkpoint.run_state);
    w.put_raw(end_mark);
    core::write_file_atomically(file, w.bytes());
  }

  CyclingCheckpoint read_cycling_checkpoint(const std::filesystem::path &file)
  {
    std::ifstream stream(file, std::ios::binary);
    if (!stream)
      throw std::runtime_error(fmt::format("cannot read the checkpoint {}", file.string()));
    Reader in(std::string(std::istreambuf_iterator<char>(stream), std::istreambuf_iterator<char>()), file);
    in.expect_raw(magic, "it does not start with the checkpoint header");
    if (const auto version = in.get<std::uint32_t>(); version != format_version)
      in.fail(fmt::format("format version {}, this cryocycle reads version {}", version, format_version));
    if (in.get<std::uint64_t>() != byte_order_mark)
      in.fail("it was written on a machine of another byte order");
    CyclingCheckpoint checkpoint;
    const auto parameters = in.get<std::uint64_t>();
    for (std::uint64_t i = 0; i < parameters; ++i)
      {
        CriticalParameter p;
        p.key = in.get_text();
        p.value = in.get_text();
        checkpoint.critical_parameters.push_back(std::move(p));
      }
    const auto rows = in.get<std::uint64_t>();
    for (std::uint64_t i = 0; i < rows; ++i)
      checkpoint.rows.push_back(get_row(in));
    if (checkpoint.rows.empty())
      in.fail("it holds no cycle table");
    const auto row_extras = in.get<std::uint64_t>();
    if (row_extras != 0 && row_extras != rows)
      in.fail("its extra columns do not match its rows");
    for (std::uint64_t i = 0; i < row_extras; ++i)
      checkpoint.row_extras.push_back(in.get_array<double>());
    SiteStates &s = checkpoint.sites;
    s.global_id = in.get_array<std::uint64_t>();
    s.eigenstrain = in.get_array<SymmetricTensor6>();
    s.yield_stress_GPa = in.get_array<double>();
    s.structural_state = in.get_array<double>();
    s.draws = in.get_array<std::uint64_t>();
    s.events = in.get_array<std::uint64_t>();
    const std::size_t n = s.size();
    const auto site_extras = in.get<std::uint64_t>();
    if (s.eigenstrain.size() != n || s.yield_stress_GPa.size() != n || s.structural_state.size() != n ||
        s.draws.size() != n || s.events.size() != n || (site_extras != 0 && site_extras != n))
      in.fail("its site arrays differ in length");
    for (std::uint64_t i = 0; i < site_extras; ++i)
      s.extra.push_back(in.get_array<double>());
    checkpoint.run_state = in.get_array<double>();
    in.expect_raw(end_mark, "it does not end with the end mark (truncated)");
    return checkpoint;
  }

  void require_same_critical_parameters(const std::vector<CriticalParameter> &saved,
                                        const std::vector<CriticalParameter> &current)
  {
    const auto find = [](const std::vector<CriticalParameter> &list, const std::string &key) {
      return std::find_if(list.begin(), list.end(), [&](const CriticalParameter &p) { return p.key == key; });
    };
    for (const auto &now : current)
      {
        const auto before = find(saved, now.key);
        if (before == saved.end())
          throw std::runtime_error(fmt::format("--resume refused: the checkpoint does not record the critical "
                                               "parameter {} (now {}); it was written by another version",
                                               now.key, now.value));
        if (before->value != now.value)
          throw std::runtime_error(fmt::format("--resume refused: critical parameter {} changed (checkpoint: {}, "
                                               "now: {}); restore it or start a new run",
                                               now.key, before->value, now.value));
      }
    for (const auto &before : saved)
      if (find(current, before.key) == current.end())
        throw std::runtime_error(fmt::format("--resume refused: the checkpoint records critical parameter {} = {}, "
                                             "which this run does not have",
                                             before.key, before.value));
  }

  std::string site_field_fingerprint(MPI_Comm communicator, const std::vector<std::uint64_t> &global_id,
                                     const std::vector<double> &values)
  {
    if (global_id.size() != values.size())
      throw std::invalid_argument("site_field_fingerprint: one value per site is needed");
    std::vector<char> packed;
    for (std::size_t i = 0; i < values.size(); ++i)
      {
        append_bytes(packed, global_id[i]);
        append_bytes(packed, values[i]);
      }
    const std::vector<char> all = gather_bytes(communicator, packed);
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    constexpr std::size_t record = sizeof(std::uint64_t) + sizeof(double);
    std::vector<std::pair<std::uint64_t, double>> sorted;
    for (std::size_t at = 0; at + record <= all.size();)
      {
        const auto id = read_bytes<std::uint64_t>(all, at);
        sorted.emplace_back(id, read_bytes<double>(all, at));
      }
    std::sort(sorted.begin(), sorted.end(),
              [](const auto &a, const auto &b) { return a.first < b.first; });
    for (const auto &[id, value] : sorted)
      {
        std::uint64_t bits = 0;
        std::memcpy(&bits, &value, sizeof(bits));
        for (const std::uint64_t word : {id, bits})
          for (unsigned int b = 0; b < 8; ++b)
            {
              hash ^= (word >> (8U * b)) & 0xffU;
              hash *= 0x100000001b3ULL;
            }
      }
    MPI_Bcast(&hash, 1, MPI_UINT64_T, 0, communicator);
    return fmt::format("{:016x}", hash);
  }
} // namespace cryocycle::continuum
