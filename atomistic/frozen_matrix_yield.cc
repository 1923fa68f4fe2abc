#include "atomistic/frozen_matrix_yield.h"

#include "atomistic/eam_tables.h"
#include "atomistic/frozen_density_relaxer.h"
#include "core/random_stream.h"

#include <Eigen/Dense>
#include <boost/random/uniform_real_distribution.hpp>
#include <fmt/format.h>
#include <mpi.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace cryocycle::atomistic
{
  std::size_t SiteYield::modes_yielded() const
  {
    return static_cast<std::size_t>(std::count_if(modes.begin(), modes.end(), [](const auto &m) { return m.yielded; }));
  }

  std::size_t SiteYield::weakest_mode() const
  {
    std::optional<std::size_t> best;
    for (std::size_t m = 0; m < modes.size(); ++m)
      if (modes[m].yielded && (!best || modes[m].von_mises < modes[*best].von_mises))
        best = m;
    if (!best)
      throw std::logic_error("no loading mode of this site yielded");
    return *best;
  }

  namespace
  {
    /// The box F h of `box` (box vectors as columns of h; F and h upper triangular), same corner.
    SimulationBox deformed_box(const SimulationBox &box, const Matrix3 &f)
    {
      const PeriodicCell cell(box);
      const Matrix3 g = multiply(f, cell.h());
      SimulationBox b;
      b.low = box.low;
      b.high = {box.low[0] + g[0][0], box.low[1] + g[1][1], box.low[2] + g[2][2]};
      b.xy = g[0][1];
      b.xz = g[0][2];
      b.yz = g[1][2];
      return b;
    }

    /// Smallest principal stretch (singular value of F) of any mode over strains 0 … max_strain,
    /// sampled in 64 steps.
    double smallest_stretch(const std::vector<LoadingMode> &modes, const double max_strain)
    {
      double smallest = 1.0;
      for (const auto &mode : modes)
        for (int i = 1; i <= 64; ++i)
          {
            const Matrix3 f = deformation_gradient(mode, max_strain * i / 64.0);
            Eigen::Matrix3d m;
            for (int r = 0; r < 3; ++r)
              for (int c = 0; c < 3; ++c)
                m(r, c) = f[static_cast<std::size_t>(r)][static_cast<std::size_t>(c)];
            const Eigen::Matrix3d c = m.transpose() * m;  // principal stretches² are its eigenvalues
            const Eigen::SelfAdjointEigenSolver<Eigen::Matrix3d> eigen(c, Eigen::EigenvaluesOnly);
            smallest = std::min(smallest, std::sqrt(eigen.eigenvalues()(0)));
          }
      return smallest;
    }

    /// The EAM tables of an eam/fs or eam/alloy potential in metal units (`pair_style` and one
    /// `pair_coeff * * file elements…` line), or none for any other potential.
    std::shared_ptr<const EamTables> eam_tables_of(const PotentialModel &potential)
    {
      const auto words = pair_command_words(potential);
      const auto &style = words.style;
      const auto &coeff = words.first_coeff;
      if (words.coeff_lines != 1)
        return nullptr;
      const bool metal = potential.units.eV_per_energy() == 1.0 && potential.units.nm_per_length() == 0.1;
      if (!metal || style.size() != 2 || (style[1] != "eam/fs" && style[1] != "eam/alloy") || coeff.size() < 5 ||
          coeff[1] != "*" || coeff[2] != "*" || coeff.size() - 4 != potential.species.size())
        return nullptr;
      return std::make_shared<const EamTables>(
        EamTables::read(coeff[3], style[1], std::vector<std::string>(coeff.begin() + 4, coeff.end())));
    }

    /// "id" group arguments for 0-based atom indices: sorted 1-based IDs, runs as a:b.
    std::string id_ranges(std::vector<std::size_t> atoms)
    {
      std::sort(atoms.begin(), atoms.end());
      std::string list;
      for (std::size_t i = 0; i < atoms.size();)
        {
          std::size_t j = i;
          while (j + 1 < atoms.size() && atoms[j + 1] == atoms[j] + 1)
            ++j;
          list += j > i ? fmt::format(" {}:{}", atoms[i] + 1, atoms[j] + 1) : fmt::format(" {}", atoms[i] + 1);
          i = j + 1;
        }
      return list;
    }
  } // namespace

  /// One site under test: its atoms in the LAMMPS system, its loading state and its results.
  struct FrozenMatrixYieldTest::Slot
  {
    std::size_t site = 0;
    /// Point the affine maps act about (cluster centre; box corner for the whole box).
    Vector3 origin{};
    /// Atom indices in the LAMMPS system (ID − 1), the inner ones first.
    std::vector<std::size_t> atoms;
    std::size_t inner_count = 0;
    /// Positions of `atoms` at zero strain.
    std::vector<Vector3> reference;
    /// Inner-atom positions of the stable configuration, the stable one before it and the
    /// dropped one, and the stresses of the stable and dropped ones.
    std::vector<Vector3> stable, previous, dropped;
    SymmetricTensor6 stable_stress{}, dropped_stress{}, peak_stress{};
    std::size_t mode = 0;
    std::optional<YieldStrainSearch> search;
    bool active = true;
    /// The box deforms with this slot (whole-box runs).
    bool deforms_box = false;
    SiteYield result;

    void start_mode(const YieldSearchSettings &settings)
    {
      search.emplace(settings);
      previous.clear();
      stable.assign(reference.begin(), reference.begin() + static_cast<std::ptrdiff_t>(inner_count));
    }
  };

  FrozenMatrixYieldTest::FrozenMatrixYieldTest(LammpsSession &session, PotentialModel potential,
                                               FrozenMatrixSettings settings)
    : session_(session), potential_(std::move(potential)), settings_(std::move(settings))
  {
    check(settings_.search);
    if (!(settings_.inner_radius > 0.0))
      throw std::invalid_argument("the frozen-matrix sphere radius must be positive");
    if (settings_.modes.empty())
      throw std::invalid_argument("the frozen-matrix test needs at least one loading mode");
    if (!(settings_.kick_amplitude >= 0.0))
      throw std::invalid_argument("the kick amplitude must not be negative");
    if (!(settings_.force_tolerance > 0.0) || settings_.max_iterations < 1)
      throw std::invalid_argument("the minimiser needs a positive force tolerance and iteration limit");
    if (settings_.sites_per_batch < 1)
      throw std::invalid_argument("at least one site per batch");
    // An imposed tilt beyond half the box length is refused by LAMMPS; stay well inside.
    if (settings_.search.max_strain > 0.45)
      throw std::invalid_argument("the largest frozen-matrix strain must not exceed 0.45");
    if (settings_.shell_thickness)
      {
        if (!(*settings_.shell_thickness >= 0.0))
          throw std::invalid_argument("the frozen shell thickness must not be negative");
        shell_ = *settings_.shell_thickness;
        try
          {
            range_ = interaction_range(potential_);
          }
        catch (const std::invalid_argument &)
          {
            range_ = InteractionRange{shell_, true};
          }
      }
    else
      {
        range_ = interaction_range(potential_);
        shell_ = range_.required_shell();
      }
    far_radius_ = settings_.inner_radius + range_.cutoff / smallest_stretch(settings_.modes, settings_.search.max_strain);
    if (settings_.relaxer != ClusterRelaxer::lammps && settings_.carve)
      eam_ = eam_tables_of(potential_);
    if (settings_.relaxer == ClusterRelaxer::frozen_density && !eam_)
      throw std::invalid_argument("the frozen-density relaxer needs carved clusters and an eam/fs or eam/alloy "
                                  "potential in metal units (one 'pair_coeff * * file elements' line)");
  }

  void FrozenMatrixYieldTest::build_system(const std::vector<int> &types, const std::vector<double> &positions,
                                           const SimulationBox &box, const bool periodic)
  {
    session_.commands({"clear", "units " + potential_.units.lammps_style(), "atom_style atomic",
                       "atom_modify map array"});
    // Carved clusters: shrink-wrapped with a minimum, never smaller than the region, so
    // binning always works and no atom can be lost.
    const auto &b = box;
    session_.commands({periodic ? "boundary p p p" : "boundary m m m",
                       periodic ? fmt::format("region cc_box prism {:.17g} {:.17g} {:.17g} {:.17g} {:.17g} {:.17g} "
                                              "{:.17g} {:.17g} {:.17g} units box",
                                              b.low[0], b.high[0], b.low[1], b.high[1], b.low[2], b.high[2], b.xy,
                                              b.xz, b.yz)
                                : fmt::format("region cc_box block {:.17g} {:.17g} {:.17g} {:.17g} {:.17g} {:.17g} units box",
                                              b.low[0], b.high[0], b.low[1], b.high[1], b.low[2], b.high[2])});
    session_.command(fmt::format("create_box {} cc_box", potential_.species.size()));
    std::vector<std::int64_t> ids(types.size());
    for (std::size_t i = 0; i < ids.size(); ++i)
      ids[i] = static_cast<std::int64_t>(i + 1);
    if (session_.create_atoms(ids, types, positions) != static_cast<std::int64_t>(types.size()))
      throw std::runtime_error("frozen-matrix test: LAMMPS did not create every atom of the system");
    for (std::size_t i = 0; i < potential_.species.size(); ++i)
      session_.command(fmt::format("mass {} {:.12g}", i + 1, potential_.native_mass(i)));
    session_.commands(potential_.pair_commands);
    session_.commands({fmt::format("neighbor {:.6g} bin", potential_.neighbor_skin_native),
                       "neigh_modify every 1 delay 0 check yes", "compute cc_stress all stress/atom NULL virial",
                       "group cc_mobile empty", "group cc_frozen subtract all cc_mobile",
                       "fix cc_freeze cc_frozen setforce 0.0 0.0 0.0", "thermo_style custom step pe",
                       "thermo_modify norm no", "thermo 0", "min_style cg", "min_modify dmax 0.1 line quadratic"});
    if (!range_.many_body && settings_.exclude_frozen_pairs)
      session_.command("neigh_modify exclude group cc_frozen cc_frozen");
    if (excludes_far_pairs())
      session_.commands({"group cc_near empty", "group cc_far subtract all cc_near",
                         "neigh_modify exclude group cc_far cc_far"});
  }

  std::size_t FrozenMatrixYieldTest::set_far_group(const std::vector<std::size_t> &near_atoms)
  {
    if (!excludes_far_pairs())
      return 0;
    const auto list = id_ranges(near_atoms);
    session_.commands({"group cc_near clear", "group cc_far clear"});
    if (!list.empty())
      session_.command("group cc_near id" + list);
    session_.command("group cc_far subtract all cc_near");
    return static_cast<std::size_t>(session_.atom_count()) - near_atoms.size();
  }

  void FrozenMatrixYieldTest::set_mobile_group(const std::vector<Slot> &slots)
  {
    if (eam_)
      return;
    std::vector<std::size_t> atoms;
    for (const auto &s : slots)
      if (s.active)
        atoms.insert(atoms.end(), s.atoms.begin(), s.atoms.begin() + static_cast<std::ptrdiff_t>(s.inner_count));
    const auto list = id_ranges(std::move(atoms));
    session_.commands({"group cc_mobile clear", "group cc_frozen clear"});
    if (!list.empty())
      session_.command("group cc_mobile id" + list);
    session_.command("group cc_frozen subtract all cc_mobile");
  }

  std::vector<double> FrozenMatrixYieldTest::relax(const std::vector<Slot> &slots, std::vector<double> &positions)
  {
    if (!eam_)
      {
        session_.scatter_positions(positions);
        const double first_step = session_.thermo("step");
        session_.command(fmt::format("minimize 0.0 {:.6g} {} {}", settings_.force_tolerance, settings_.max_iterations,
                                     10 * settings_.max_iterations));
        const double iterations = session_.thermo("step") - first_step;
        statistics_.iterations += iterations;
        statistics_.atom_iterations += iterations * static_cast<double>(positions.size() / 3);
        session_.command("run 0 post no");
        LammpsErrorCapture::instance().clear();
        ++statistics_.minimisations;
        statistics_.atom_minimisations += static_cast<double>(positions.size() / 3);
        positions = session_.gather_positions();
        return session_.gather_per_atom("c_cc_stress", 6);
      }
    // In-house: each cluster on its own (clusters of a batch are independent, so none waits for
    // another's convergence), shared round-robin among the ranks and broadcast by its owner; the
    // result does not depend on the number of ranks. Stress × volume from eV to native
    // pressure × volume (bar Å³).
    const double native_per_eV_per_A3 = 160.21766339999999 / potential_.units.GPa_per_pressure();
    const MPI_Comm communicator = session_.communicator();
    int rank = 0, ranks = 1;
    MPI_Comm_rank(communicator, &rank);
    MPI_Comm_size(communicator, &ranks);
    FrozenDensityRelaxer relaxer(*eam_, potential_.neighbor_skin_native);
    std::vector<double> per_atom(2 * positions.size(), 0.0);
    // First every rank relaxes its own clusters, then the owners broadcast (a broadcast inside
    // the loop would make every rank wait for each owner in turn).
    std::vector<std::vector<double>> shared(slots.size());
    std::vector<int> owner(slots.size(), -1);
    std::size_t turn = 0;
    for (std::size_t j = 0; j < slots.size(); ++j)
      {
        const auto &s = slots[j];
        if (!s.active)
          continue;
        owner[j] = static_cast<int>(turn++ % static_cast<std::size_t>(ranks));
        // Relaxed positions, stresses (eV), iterations, evaluations and not-converged flag.
        shared[j].assign(9 * s.inner_count + 3, 0.0);
        if (owner[j] != rank)
          continue;
        std::vector<double> x(3 * s.atoms.size());
        std::vector<int> types(s.atoms.size());
        for (std::size_t a = 0; a < s.atoms.size(); ++a)
          {
            types[a] = types_[s.atoms[a]] - 1;
            for (std::size_t k = 0; k < 3; ++k)
              x[3 * a + k] = positions[3 * s.atoms[a] + k];
          }
        std::vector<std::size_t> inner(s.inner_count);
        for (std::size_t a = 0; a < s.inner_count; ++a)
          inner[a] = a;
        const auto r =
          relaxer.relax(x, types, inner, settings_.force_tolerance, static_cast<std::size_t>(settings_.max_iterations));
        auto &out = shared[j];
        std::copy(x.begin(), x.begin() + static_cast<std::ptrdiff_t>(3 * s.inner_count), out.begin());
        for (std::size_t a = 0; a < s.inner_count; ++a)
          for (std::size_t c = 0; c < 6; ++c)
            out[3 * s.inner_count + 6 * a + c] = relaxer.mobile_stress()[a][c];
        out[9 * s.inner_count] = static_cast<double>(r.iterations);
        out[9 * s.inner_count + 1] = static_cast<double>(r.evaluations);
        out[9 * s.inner_count + 2] = r.converged ? 0.0 : 1.0;
      }
    for (std::size_t j = 0; j < slots.size(); ++j)
      {
        const auto &s = slots[j];
        if (!s.active)
          continue;
        auto &in = shared[j];
        if (ranks > 1)
          MPI_Bcast(in.data(), static_cast<int>(in.size()), MPI_DOUBLE, owner[j], communicator);
        for (std::size_t a = 0; a < s.inner_count; ++a)
          {
            for (std::size_t k = 0; k < 3; ++k)
              positions[3 * s.atoms[a] + k] = in[3 * a + k];
            for (std::size_t c = 0; c < 6; ++c)
              per_atom[6 * s.atoms[a] + c] = native_per_eV_per_A3 * in[3 * s.inner_count + 6 * a + c];
          }
        const double iterations = in[9 * s.inner_count];
        statistics_.iterations += iterations;
        statistics_.atom_iterations += iterations * static_cast<double>(s.atoms.size());
        statistics_.evaluations += in[9 * s.inner_count + 1];
        statistics_.unconverged += in[9 * s.inner_count + 2] != 0.0;
        ++statistics_.minimisations;
        statistics_.atom_minimisations += static_cast<double>(s.atoms.size());
      }
    return per_atom;
  }

  void FrozenMatrixYieldTest::run_batch(std::vector<Slot> &slots, std::vector<double> &positions,
                                        const SimulationBox &reference_box, const double atomic_volume,
                                        const std::size_t total_site_modes, std::size_t &done,
                                        const Progress &progress)
  {
    const auto &modes = settings_.modes;
    for (auto &s : slots)
      s.start_mode(settings_.search);
    set_mobile_group(slots);
    const auto set = [&](const std::size_t atom, const Vector3 &x) {
      for (std::size_t k = 0; k < 3; ++k)
        positions[3 * atom + k] = x[k];
    };
    const auto affine = [](const Matrix3 &f, const Vector3 &origin, const Vector3 &x) {
      const auto y = multiply(f, Vector3{x[0] - origin[0], x[1] - origin[1], x[2] - origin[2]});
      return Vector3{origin[0] + y[0], origin[1] + y[1], origin[2] + y[2]};
    };

    while (std::any_of(slots.begin(), slots.end(), [](const Slot &s) { return s.active; }))
      {
        for (auto &s : slots)
          {
            if (!s.active)
              continue;
            const auto &mode = modes[s.mode];
            const double strain = s.search->next_strain();
            const Matrix3 f = deformation_gradient(mode, strain);
            // The relaxed atoms start from the stable configuration carried along affinely, plus
            // its non-affine displacement since the previous stable one, extrapolated (at most
            // one interval ahead, so the start never runs past the branch): far fewer minimiser
            // iterations on an elastic branch.
            const auto &search = *s.search;
            const Matrix3 to_stable = deformation_gradient(mode, search.stable().strain);
            const Matrix3 step = multiply(f, inverse(to_stable));
            double ahead = 0.0;
            Matrix3 previous_to_stable{};
            std::optional<PeriodicCell> stable_cell;
            if (search.has_previous() && search.stable().strain > search.previous().strain)
              {
                ahead = std::min(1.0, (strain - search.stable().strain) /
                                        (search.stable().strain - search.previous().strain));
                previous_to_stable =
                  multiply(to_stable, inverse(deformation_gradient(mode, search.previous().strain)));
                if (s.deforms_box)
                  stable_cell.emplace(deformed_box(reference_box, to_stable));
              }
            const auto start = [&](const std::size_t a) {
              Vector3 x = s.stable[a];
              if (ahead > 0.0)
                {
                  const auto carried = affine(previous_to_stable, s.origin, s.previous[a]);
                  Vector3 d{x[0] - carried[0], x[1] - carried[1], x[2] - carried[2]};
                  if (stable_cell)  // LAMMPS may have wrapped the atom in between
                    d = stable_cell->nearest_image(d);
                  for (std::size_t k = 0; k < 3; ++k)
                    x[k] += ahead * d[k];
                }
              return affine(step, s.origin, x);
            };
            if (settings_.kick_amplitude > 0.0)
              {
                auto engine = core::make_random_stream(settings_.seed, "frozen_matrix_kick", s.site,
                                                       (s.mode << 32) + s.search->evaluations());
                boost::random::uniform_real_distribution<double> kick(-settings_.kick_amplitude,
                                                                      settings_.kick_amplitude);
                for (std::size_t a = 0; a < s.inner_count; ++a)
                  {
                    auto x = start(a);
                    for (auto &c : x)
                      c += kick(engine);
                    set(s.atoms[a], x);
                  }
              }
            else
              for (std::size_t a = 0; a < s.inner_count; ++a)
                set(s.atoms[a], start(a));
            for (std::size_t a = s.inner_count; a < s.atoms.size(); ++a)
              set(s.atoms[a], affine(f, s.origin, s.reference[a]));
            if (s.deforms_box)
              {
                const auto b = deformed_box(reference_box, f);
                session_.command(fmt::format("change_box all x final {:.17g} {:.17g} y final {:.17g} {:.17g} z final "
                                             "{:.17g} {:.17g} xy final {:.17g} xz final {:.17g} yz final {:.17g} units box",
                                             b.low[0], b.high[0], b.low[1], b.high[1], b.low[2], b.high[2], b.xy, b.xz,
                                             b.yz));
              }
          }
        const auto per_atom = relax(slots, positions);

        bool membership_changed = false;
        for (auto &s : slots)
          {
            if (!s.active)
              continue;
            const auto &mode = modes[s.mode];
            const double strain = s.search->next_strain();
            SymmetricTensor6 sum{};
            for (std::size_t a = 0; a < s.inner_count; ++a)
              {
                const double *w = &per_atom[6 * s.atoms[a]];
                // LAMMPS order xx yy zz xy xz yz → Voigt xx yy zz yz xz xy.
                sum[0] += w[0], sum[1] += w[1], sum[2] += w[2], sum[3] += w[5], sum[4] += w[4], sum[5] += w[3];
              }
            const Matrix3 f = deformation_gradient(mode, strain);
            const double det = f[0][0] * (f[1][1] * f[2][2] - f[1][2] * f[2][1]) -
                               f[0][1] * (f[1][0] * f[2][2] - f[1][2] * f[2][0]) +
                               f[0][2] * (f[1][0] * f[2][1] - f[1][1] * f[2][0]);
            const double volume = static_cast<double>(s.inner_count) * atomic_volume * det;
            SymmetricTensor6 stress;
            for (std::size_t k = 0; k < 6; ++k)
              stress[k] = sum[k] / volume;
            const double resolved = resolved_stress(stress, mode), von_mises = von_mises_equivalent(stress);
            if (trace_)
              trace_(s.site, s.mode, strain, resolved, von_mises);
            const auto update = s.search->record(resolved, von_mises);
            std::vector<Vector3> tried(s.inner_count);
            for (std::size_t a = 0; a < s.inner_count; ++a)
              for (std::size_t k = 0; k < 3; ++k)
                tried[a][k] = positions[3 * s.atoms[a] + k];
            if (update.tried_is_stable)
              s.previous = std::move(s.stable), s.stable = tried, s.stable_stress = stress;
            if (update.tried_is_peak)
              s.peak_stress = stress;
            if (update.tried_is_dropped)
              s.dropped = std::move(tried), s.dropped_stress = stress;
            if (update.dropped_is_stable)
              s.previous = std::move(s.stable), s.stable = s.dropped, s.stable_stress = s.dropped_stress;
            if (update.dropped_is_peak)
              s.peak_stress = s.dropped_stress;
            if (!s.search->finished())
              continue;
            const auto &search = *s.search;

            ModeYield r;
            r.kind = search.kind();
            r.yielded = search.yielded();
            r.strain = search.yield_point().strain;
            r.stress = r.kind == YieldKind::peak ? s.peak_stress : s.stable_stress;
            r.von_mises = search.yield_point().von_mises;
            r.resolved = search.yield_point().resolved;
            r.strain_after = search.after_point().strain;
            r.resolved_after = search.after_point().resolved;
            r.von_mises_after = search.after_point().von_mises;
            r.max_von_mises = search.max_stable_von_mises();
            r.minimisations = search.evaluations();
            s.result.modes.push_back(r);
            ++done;
            if (progress)
              progress(done, total_site_modes);
            if (s.mode + 1 < modes.size())
              {
                ++s.mode;
                s.start_mode(settings_.search);
              }
            else
              {
                s.active = false;
                membership_changed = true;
              }
          }
        if (membership_changed && std::any_of(slots.begin(), slots.end(), [](const Slot &s) { return s.active; }))
          set_mobile_group(slots);
      }
  }

  std::vector<SiteYield> FrozenMatrixYieldTest::measure(const AtomicConfiguration &sample,
                                                        const std::vector<Vector3> &sites, const Progress &progress,
                                                        const Trace &trace)
  {
    trace_ = trace;
    const double start = MPI_Wtime();
    statistics_ = {};
    if (sample.size() == 0 || sample.positions.size() != 3 * sample.size())
      throw std::invalid_argument("frozen-matrix test: the sample has no atoms or inconsistent arrays");
    const PeriodicCell cell(sample.box);
    const double r_c = settings_.inner_radius, outer = r_c + shell_;
    if (required_width() > cell.minimum_width())
      throw std::invalid_argument(fmt::format("frozen-matrix test: the sample (smallest width {:.4g}) is smaller than "
                                              "{} = {:.4g}",
                                              cell.minimum_width(),
                                              settings_.carve ? "a carved cluster, 2 (r_c + shell)"
                                                              : "the sphere and its periodic image, 2 r_c + shell",
                                              required_width()));
    const double atomic_volume = sample.box.volume() / static_cast<double>(sample.size());
    const SimulationBox &reference_box = sample.box;
    const std::size_t total = sites.size() * settings_.modes.size();
    std::size_t done = 0;
    std::vector<SiteYield> results(sites.size());
    double cluster_atoms = 0.0, far_atoms = 0.0;

    if (settings_.carve)
      {
        const double max_extent = outer * (1.0 + 2.0 * settings_.search.max_strain);
        const double spacing = 2.0 * max_extent + range_.cutoff + 2.0 * potential_.neighbor_skin_native;
        for (std::size_t first = 0; first < sites.size(); first += settings_.sites_per_batch)
          {
            const std::size_t count = std::min(settings_.sites_per_batch, sites.size() - first);
            const auto centres = slot_centres(count, spacing);
            std::vector<Slot> slots(count);
            std::vector<double> positions;
            std::vector<int> types;
            std::vector<std::size_t> near;
            double far = 0.0;
            for (std::size_t k = 0; k < count; ++k)
              {
                const auto cluster = carve_cluster(sample, cell, sites[first + k], r_c, outer);
                auto &s = slots[k];
                s.site = first + k;
                s.origin = centres[k];
                s.inner_count = cluster.inner_count;
                for (std::size_t a = 0; a < cluster.atoms.size(); ++a)
                  {
                    s.atoms.push_back(types.size());
                    types.push_back(sample.types[cluster.atoms[a]]);
                    const auto &d = cluster.offsets[a];
                    if (std::sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]) <= far_radius_)
                      near.push_back(s.atoms.back());
                    s.reference.push_back({centres[k][0] + d[0], centres[k][1] + d[1], centres[k][2] + d[2]});
                    positions.insert(positions.end(), s.reference.back().begin(), s.reference.back().end());
                  }
                for (const double c : centres[k])
                  far = std::max(far, c);
                statistics_.max_cluster_atoms = std::max(statistics_.max_cluster_atoms, cluster.atoms.size());
                cluster_atoms += static_cast<double>(cluster.atoms.size());
                if (cluster.inner_count == 0)
                  throw std::invalid_argument(fmt::format("frozen-matrix site {} has no atom within r_c", first + k));
              }
            SimulationBox region;
            region.low = {-0.5 * spacing, -0.5 * spacing, -0.5 * spacing};
            region.high = {far + 0.5 * spacing, far + 0.5 * spacing, far + 0.5 * spacing};
            if (eam_)
              types_ = types;
            else
              {
                build_system(types, positions, region, false);
                far_atoms += static_cast<double>(set_far_group(near));
              }
            ++statistics_.batches;
            run_batch(slots, positions, reference_box, atomic_volume, total, done, progress);
            for (auto &s : slots)
              {
                s.result.centre = sites[s.site];
                s.result.inner_atoms = s.inner_count;
                s.result.inner_volume = static_cast<double>(s.inner_count) * atomic_volume;
                results[s.site] = std::move(s.result);
              }
          }
        statistics_.mean_cluster_atoms = sites.empty() ? 0.0 : cluster_atoms / static_cast<double>(sites.size());
      }
    else
      {
        std::vector<double> positions(sample.positions.size());
        for (std::size_t i = 0; i < sample.size(); ++i)
          {
            const auto x = cell.wrap(sample.position(i));
            std::copy(x.begin(), x.end(), positions.begin() + static_cast<std::ptrdiff_t>(3 * i));
          }
        build_system(sample.types, positions, sample.box, true);
        ++statistics_.batches;
        statistics_.max_cluster_atoms = sample.size();
        statistics_.mean_cluster_atoms = static_cast<double>(sample.size());
        for (std::size_t site = 0; site < sites.size(); ++site)
          {
            const auto inner = carve_cluster(sample, cell, sites[site], r_c, r_c);
            if (inner.inner_count == 0)
              throw std::invalid_argument(fmt::format("frozen-matrix site {} has no atom within r_c", site));
            std::vector<Slot> slots(1);
            auto &s = slots.front();
            s.site = site;
            s.origin = sample.box.low;
            s.deforms_box = true;
            s.inner_count = inner.inner_count;
            std::vector<char> is_inner(sample.size(), 0);
            s.atoms = inner.atoms;
            for (const auto a : inner.atoms)
              is_inner[a] = 1;
            for (std::size_t a = 0; a < sample.size(); ++a)
              if (is_inner[a] == 0)
                s.atoms.push_back(a);
            for (const auto a : s.atoms)
              {
                const auto x = cell.wrap(sample.position(a));
                s.reference.push_back(x);
              }
            if (excludes_far_pairs())
              {
                // Beyond half the smallest width an atom may reach the sphere through another
                // image: then nothing is excluded.
                std::vector<std::size_t> near;
                for (std::size_t a = 0; a < sample.size(); ++a)
                  {
                    const auto &c = sites[site];
                    const auto x = sample.position(a);
                    const auto d = cell.nearest_image({x[0] - c[0], x[1] - c[1], x[2] - c[2]});
                    if (2.0 * far_radius_ >= cell.minimum_width() ||
                        std::sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]) <= far_radius_)
                      near.push_back(a);
                  }
                far_atoms += static_cast<double>(set_far_group(near));
              }
            run_batch(slots, positions, reference_box, atomic_volume, total, done, progress);
            s.result.centre = sites[site];
            s.result.inner_atoms = s.inner_count;
            s.result.inner_volume = static_cast<double>(s.inner_count) * atomic_volume;
            results[site] = std::move(s.result);
          }
      }
    statistics_.mean_far_atoms = sites.empty() ? 0.0 : far_atoms / static_cast<double>(sites.size());
    statistics_.wall_seconds = MPI_Wtime() - start;
    return results;
  }
} // namespace cryocycle::atomistic
