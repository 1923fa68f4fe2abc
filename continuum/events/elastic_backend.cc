#include "continuum/events/elastic_backend.h"

#include "core/mpi_reduction.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace cryocycle::continuum
{
  void ElasticBackend::add_eigenstrain(const std::vector<std::size_t> &sites,
                                       const std::vector<SymmetricTensor6> &increments)
  {
    if (sites.size() != increments.size())
      throw std::invalid_argument(fmt::format("{} sites for {} eigenstrain increments", sites.size(), increments.size()));
    std::vector<SymmetricTensor6> updated = eigenstrain();
    for (std::size_t j = 0; j < sites.size(); ++j)
      {
        if (sites[j] >= updated.size())
          throw std::invalid_argument(fmt::format("local site {} of {}", sites[j], updated.size()));
        for (std::size_t c = 0; c < 6; ++c)
          updated[sites[j]][c] += increments[j][c];
      }
    update_eigenstrain(updated);
  }

  FiniteElementBackend::FiniteElementBackend(ThermoelasticModel &model, MPI_Comm communicator,
                                             const PointUpdatePolicy &policy)
    : model_(model)
    , communicator_(communicator)
    , policy_(policy)
  {
    model_.solve();
    ++solves_;
    if (point_updates_enabled())
      build_point_responses();
  }

  namespace
  {
    /// Cells per edge of a periodic cube's regular mesh ("ceil(L / h) cells per edge").
    std::array<std::size_t, 3> cells_per_edge(const FiniteElementGeometry &geometry)
    {
      std::array<std::size_t, 3> n{};
      for (std::size_t d = 0; d < 3; ++d)
        n[d] = static_cast<std::size_t>(std::llround(std::ceil(geometry.box_size_nm[d] / geometry.element_size_nm - 1e-9)));
      return n;
    }
  } // namespace

  std::string FiniteElementBackend::translation_invariance_problem(const ThermoelasticModel &model,
                                                                   MPI_Comm communicator)
  {
    const auto &geometry = model.geometry();
    if (geometry.shape != SampleShape::periodic_cube)
      return "the sample is not a periodic cube";
    // min K, min G, −max K, −max G over every rank.
    double extremes[4] = {std::numeric_limits<double>::max(), std::numeric_limits<double>::max(),
                          std::numeric_limits<double>::max(), std::numeric_limits<double>::max()};
    for (std::size_t i = 0; i < model.local_sites().size(); ++i)
      {
        const double k = model.bulk_modulus_GPa()[i], g = model.shear_modulus_GPa()[i];
        extremes[0] = std::min(extremes[0], k), extremes[1] = std::min(extremes[1], g);
        extremes[2] = std::min(extremes[2], -k), extremes[3] = std::min(extremes[3], -g);
      }
    MPI_Allreduce(MPI_IN_PLACE, extremes, 4, MPI_DOUBLE, MPI_MIN, communicator);
    if (extremes[0] != -extremes[2] || extremes[1] != -extremes[3])
      return "the moduli are not uniform";
    const auto n = cells_per_edge(geometry);
    if (n[0] * n[1] * n[2] != model.n_global_sites())
      return fmt::format("{} sites are not the {}×{}×{} cells of the box", model.n_global_sites(), n[0], n[1], n[2]);
    return {};
  }

  void FiniteElementBackend::build_point_responses()
  {
    const auto &geometry = model_.geometry();
    const auto &sites = model_.local_sites();
    const auto refuse = [](const std::string &why) {
      throw std::invalid_argument("finite-element point updates need a translation-invariant sample: " + why);
    };
    if (const auto problem = translation_invariance_problem(model_, communicator_); !problem.empty())
      refuse(problem);
    grid_ = cells_per_edge(geometry);
    const std::size_t total = grid_[0] * grid_[1] * grid_[2];
    if (total * 36 * sizeof(double) > policy_.max_response_bytes)
      refuse(fmt::format("the unit responses would take {} bytes", total * 36 * sizeof(double)));
    grid_index_.resize(sites.size());
    grid_position_.resize(sites.size());
    std::size_t origin = sites.size();
    for (std::size_t i = 0; i < sites.size(); ++i)
      {
        std::size_t index = 0;
        for (std::size_t d = 3; d-- > 0;)
          {
            const double h = geometry.box_size_nm[d] / static_cast<double>(grid_[d]);
            const double u = sites[i].centre_nm[d] / h - 0.5;
            const double j = std::round(u);
            if (std::abs(u - j) > 1e-6 || j < 0.0 || j >= static_cast<double>(grid_[d]))
              refuse("a site is not at a cell centre of the grid");
            index = index * grid_[d] + static_cast<std::size_t>(j);
          }
        grid_index_[i] = index;
        grid_position_[i] = {index % grid_[0], (index / grid_[0]) % grid_[1], index / (grid_[0] * grid_[1])};
        if (index == 0)
          origin = i;
      }
    grid_order_.resize(sites.size());
    for (std::size_t i = 0; i < sites.size(); ++i)
      grid_order_[i] = i;
    std::sort(grid_order_.begin(), grid_order_.end(),
              [this](std::size_t a, std::size_t b) { return grid_index_[a] < grid_index_[b]; });
    // Responses to a unit eigenstrain component at grid index 0, less the zero-eigenstrain
    // solution (a prescribed mean strain), on every rank.
    const std::vector<SymmetricTensor6> initial = model_.eigenstrain();
    std::vector<SymmetricTensor6> unit(sites.size(), SymmetricTensor6{});
    model_.set_eigenstrain(unit);
    model_.solve_cold();
    const std::vector<SymmetricTensor6> baseline = model_.eigenstrain_stress_GPa();
    responses_.assign(total * 36, 0.0);
    for (std::size_t k = 0; k < 6; ++k)
      {
        if (origin < sites.size())
          {
            unit[origin] = SymmetricTensor6{};
            unit[origin][k] = 1.0;
          }
        model_.set_eigenstrain(unit);
        model_.solve_cold();
        const auto &stress = model_.eigenstrain_stress_GPa();
        for (std::size_t i = 0; i < sites.size(); ++i)
          for (std::size_t c = 0; c < 6; ++c)
            responses_[36 * grid_index_[i] + 6 * k + c] = stress[i][c] - baseline[i][c];
      }
    MPI_Allreduce(MPI_IN_PLACE, responses_.data(), static_cast<int>(responses_.size()), MPI_DOUBLE, MPI_SUM,
                  communicator_);
    eigenstrain_ = initial;
    solve_model_cold();
  }

  void FiniteElementBackend::solve_model_cold()
  {
    model_.set_eigenstrain(eigenstrain_);
    model_.solve_cold();
    stress_ = model_.eigenstrain_stress_GPa();
    model_behind_ = false;
    consecutive_point_updates_ = 0;
  }

  std::string FiniteElementBackend::name() const
  {
    return fmt::format("finite elements (Q{}, {} unknowns)", model_.geometry().fe_degree, model_.n_dofs());
  }

  const std::vector<SymmetricTensor6> &FiniteElementBackend::thermal_stress_per_K_GPa() const
  {
    return model_.thermal_stress_per_K_GPa();
  }

  void FiniteElementBackend::update_eigenstrain(const std::vector<SymmetricTensor6> &eigenstrain)
  {
    ++solves_;
    if (point_updates_enabled())
      {
        if (eigenstrain.size() != eigenstrain_.size())
          throw std::invalid_argument(fmt::format("{} eigenstrains for {} sites", eigenstrain.size(), eigenstrain_.size()));
        eigenstrain_ = eigenstrain;
        solve_model_cold();
        return;
      }
    model_.set_eigenstrain(eigenstrain);
    model_.solve();
  }

  void FiniteElementBackend::add_eigenstrain(const std::vector<std::size_t> &sites,
                                             const std::vector<SymmetricTensor6> &increments)
  {
    if (!point_updates_enabled())
      {
        ElasticBackend::add_eigenstrain(sites, increments);
        return;
      }
    if (sites.size() != increments.size())
      throw std::invalid_argument(fmt::format("{} sites for {} eigenstrain increments", sites.size(), increments.size()));
    // Every rank needs every changed site: (grid index, 6 increments) each.
    std::vector<double> mine;
    for (std::size_t j = 0; j < sites.size(); ++j)
      {
        if (sites[j] >= eigenstrain_.size())
          throw std::invalid_argument(fmt::format("local site {} of {}", sites[j], eigenstrain_.size()));
        mine.push_back(static_cast<double>(grid_index_[sites[j]]));
        for (std::size_t c = 0; c < 6; ++c)
          {
            mine.push_back(increments[j][c]);
            eigenstrain_[sites[j]][c] += increments[j][c];
          }
      }
    const std::vector<double> changed = core::gather_to_all(communicator_, mine);
    const std::size_t total = changed.size() / 7;
    ++solves_;
    if (total > policy_.max_sites || consecutive_point_updates_ >= policy_.resynchronise_after)
      {
        solve_model_cold();
        return;
      }
    // In grid order, so the sums do not depend on the partition.
    std::vector<std::size_t> order(total);
    for (std::size_t e = 0; e < total; ++e)
      order[e] = e;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return changed[7 * a] < changed[7 * b]; });
    // Sites in grid order: consecutive sites read consecutive responses.
    for (const std::size_t e : order)
      {
        const auto p = static_cast<std::size_t>(changed[7 * e]);
        const std::size_t px = p % grid_[0], py = (p / grid_[0]) % grid_[1], pz = p / (grid_[0] * grid_[1]);
        const double *d = &changed[7 * e + 1];
        for (const std::size_t i : grid_order_)
          {
            const std::array<std::size_t, 3> &q = grid_position_[i];
            const std::size_t offset = (q[0] + grid_[0] - px) % grid_[0] +
                                       grid_[0] * ((q[1] + grid_[1] - py) % grid_[1] + grid_[1] * ((q[2] + grid_[2] - pz) % grid_[2]));
            const double *r = &responses_[36 * offset];
            for (std::size_t c = 0; c < 6; ++c)
              stress_[i][c] += r[c] * d[0] + r[6 + c] * d[1] + r[12 + c] * d[2] + r[18 + c] * d[3] + r[24 + c] * d[4] +
                               r[30 + c] * d[5];
          }
      }
    ++point_updates_;
    ++consecutive_point_updates_;
    model_behind_ = true;
  }

  void FiniteElementBackend::resolve_from_scratch()
  {
    ++solves_;
    if (point_updates_enabled())
      {
        solve_model_cold();
        return;
      }
    // Cold: the thermal and eigenstrain right-hand sides rebuilt, CG (if used) started from zero.
    model_.solve_cold();
  }

  const std::vector<SymmetricTensor6> &FiniteElementBackend::eigenstrain_stress_GPa() const
  {
    return point_updates_enabled() ? stress_ : model_.eigenstrain_stress_GPa();
  }

  double FiniteElementBackend::elastic_energy_aJ(const double temperature_change_K) const
  {
    if (model_behind_)
      {
        // The model (held by reference) catches up with the superposed updates; the back-end's
        // stresses stay those of the updates, so this observation changes no trajectory.
        model_.set_eigenstrain(eigenstrain_);
        model_.solve_cold();
        model_behind_ = false;
      }
    return model_.elastic_energy_aJ(temperature_change_K);
  }

  PeriodicFourierBackend::PeriodicFourierBackend(MPI_Comm communicator,
                                                 const std::array<std::size_t, 3> &site_count,
                                                 const double site_size_nm, const double bulk_modulus_GPa,
                                                 const double shear_modulus_GPa,
                                                 const std::vector<double> &alpha_per_K,
                                                 const PointUpdatePolicy &policy,
                                                 const FourierDiscretisation discretisation)
    : communicator_(communicator)
    , policy_(policy)
    , site_count_(site_count)
    , bulk_(bulk_modulus_GPa)
    , shear_(shear_modulus_GPa)
  {
    int rank = 0;
    int ranks = 1;
    MPI_Comm_rank(communicator, &rank);
    MPI_Comm_size(communicator, &ranks);
    const std::size_t n = site_count[0] * site_count[1] * site_count[2];
    if (alpha_per_K.size() != n)
      throw std::invalid_argument(fmt::format("{} thermal expansion values for {} sites", alpha_per_K.size(), n));
    solver_ = std::make_unique<PeriodicEigenstrainSolver>(
      site_count, std::array<double, 3>{site_size_nm, site_size_nm, site_size_nm}, bulk_, shear_, discretisation);
    // Whole z-planes, dealt out in turn (plane k to rank k mod ranks): every event's
    // neighbourhood, where the work of the event search lies, is shared by all ranks.
    const std::size_t plane = site_count[0] * site_count[1];
    for (std::size_t k = static_cast<std::size_t>(rank); k < site_count[2]; k += static_cast<std::size_t>(ranks))
      planes_.push_back(k);
    const std::size_t local = planes_.size() * plane;
    const double volume = site_size_nm * site_size_nm * site_size_nm;
    sites_.resize(local);
    for (std::size_t q = 0; q < local; ++q)
      {
        const std::size_t p = global_index(q);
        const std::size_t i = p % site_count[0];
        const std::size_t j = (p / site_count[0]) % site_count[1];
        const std::size_t k = p / plane;
        sites_[q].centre_nm = {(static_cast<double>(i) + 0.5) * site_size_nm,
                               (static_cast<double>(j) + 0.5) * site_size_nm,
                               (static_cast<double>(k) + 0.5) * site_size_nm};
        sites_[q].global_id = p;
        sites_[q].volume_nm3 = volume;
      }
    // S_T: the stress of the thermal strain α/3 I of one kelvin. Every rank solves the whole
    // grid (the same FFTs on the same input: the same bits) and keeps its planes.
    alpha_.resize(local);
    for (std::size_t q = 0; q < local; ++q)
      alpha_[q] = alpha_per_K[global_index(q)];
    std::vector<SymmetricTensor6> thermal_strain(n);
    for (std::size_t p = 0; p < n; ++p)
      thermal_strain[p] = {alpha_per_K[p] / 3.0, alpha_per_K[p] / 3.0, alpha_per_K[p] / 3.0, 0, 0, 0};
    solver_->solve(thermal_strain, full_stress_);
    thermal_.resize(local);
    for (std::size_t q = 0; q < local; ++q)
      thermal_[q] = full_stress_[global_index(q)];
    all_eigenstrain_.assign(n, SymmetricTensor6{});
    eigenstrain_.assign(local, SymmetricTensor6{});
    stress_.assign(local, SymmetricTensor6{});
    ++solves_;
  }

  void PeriodicFourierBackend::update_eigenstrain(const std::vector<SymmetricTensor6> &eigenstrain)
  {
    if (eigenstrain.size() != sites_.size())
      throw std::invalid_argument("one eigenstrain per local site is needed");
    // The changed sites of every rank (few are superposed; more are solved anyway, so a rank
    // stops collecting after max_sites + 1).
    std::vector<double> mine;
    for (std::size_t q = 0; q < sites_.size() && mine.size() / 7 <= policy_.max_sites; ++q)
      if (eigenstrain[q] != eigenstrain_[q])
        {
          mine.push_back(static_cast<double>(global_index(q)));
          for (std::size_t c = 0; c < 6; ++c)
            mine.push_back(eigenstrain[q][c] - eigenstrain_[q][c]);
        }
    const std::vector<double> changed = core::gather_to_all(communicator_, mine);
    // The whole field on every rank.
    std::vector<double> local(7 * sites_.size());
    for (std::size_t q = 0; q < sites_.size(); ++q)
      {
        local[7 * q] = static_cast<double>(global_index(q));
        for (std::size_t c = 0; c < 6; ++c)
          local[7 * q + 1 + c] = eigenstrain[q][c];
      }
    const std::vector<double> field = core::gather_to_all(communicator_, local);
    if (field.size() != 7 * all_eigenstrain_.size())
      throw std::logic_error("the Fourier back-end's planes do not cover the grid");
    for (std::size_t e = 0; e < all_eigenstrain_.size(); ++e)
      for (std::size_t c = 0; c < 6; ++c)
        all_eigenstrain_[static_cast<std::size_t>(field[7 * e])][c] = field[7 * e + 1 + c];
    eigenstrain_ = eigenstrain;
    resolve(changed);
  }

  void PeriodicFourierBackend::add_eigenstrain(const std::vector<std::size_t> &sites,
                                               const std::vector<SymmetricTensor6> &increments)
  {
    if (sites.size() != increments.size())
      throw std::invalid_argument(fmt::format("{} sites for {} eigenstrain increments", sites.size(), increments.size()));
    std::vector<double> mine;
    for (std::size_t j = 0; j < sites.size(); ++j)
      {
        if (sites[j] >= sites_.size())
          throw std::invalid_argument(fmt::format("local site {} of {}", sites[j], sites_.size()));
        mine.push_back(static_cast<double>(global_index(sites[j])));
        for (std::size_t c = 0; c < 6; ++c)
          {
            mine.push_back(increments[j][c]);
            eigenstrain_[sites[j]][c] += increments[j][c];
          }
      }
    const std::vector<double> changed = core::gather_to_all(communicator_, mine);
    for (std::size_t e = 0; e < changed.size() / 7; ++e)
      {
        const auto p = static_cast<std::size_t>(changed[7 * e]);
        for (std::size_t c = 0; c < 6; ++c)
          all_eigenstrain_[p][c] += changed[7 * e + 1 + c];
      }
    resolve(changed);
  }

  void PeriodicFourierBackend::resolve(const std::vector<double> &changed)
  {
    ++solves_;
    const std::size_t total = changed.size() / 7;
    const bool fits = all_eigenstrain_.size() * 36 * sizeof(double) <= policy_.max_response_bytes;
    if (total > 0 && total <= policy_.max_sites && fits && consecutive_point_updates_ < policy_.resynchronise_after)
      {
        // In grid order, so the sums do not depend on the partition.
        std::vector<std::size_t> order(total);
        for (std::size_t e = 0; e < total; ++e)
          order[e] = e;
        std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return changed[7 * a] < changed[7 * b]; });
        std::vector<std::size_t> points(total);
        std::vector<SymmetricTensor6> increments(total);
        for (std::size_t e = 0; e < total; ++e)
          {
            points[e] = static_cast<std::size_t>(changed[7 * order[e]]);
            std::copy(changed.begin() + static_cast<std::ptrdiff_t>(7 * order[e] + 1),
                      changed.begin() + static_cast<std::ptrdiff_t>(7 * order[e] + 7), increments[e].begin());
          }
        solver_->add_point_responses(points, increments, stress_, planes_);
        ++point_updates_;
        ++consecutive_point_updates_;
        return;
      }
    solve_all();
  }

  void PeriodicFourierBackend::solve_all()
  {
    solver_->solve(all_eigenstrain_, full_stress_);
    for (std::size_t q = 0; q < stress_.size(); ++q)
      stress_[q] = full_stress_[global_index(q)];
    consecutive_point_updates_ = 0;
  }

  std::optional<PointResponseView> PeriodicFourierBackend::point_responses()
  {
    const std::size_t total = site_count_[0] * site_count_[1] * site_count_[2];
    if (policy_.max_sites == 0 || total * 36 * sizeof(double) > policy_.max_response_bytes)
      return std::nullopt;
    PointResponseView view;
    view.grid = site_count_;
    view.grid_index.resize(sites_.size());
    for (std::size_t q = 0; q < sites_.size(); ++q)
      view.grid_index[q] = global_index(q);
    if (!sites_.empty())
      view.responses = solver_->unit_responses();
    return view;
  }

  void PeriodicFourierBackend::resolve_from_scratch()
  {
    solve_all();
    ++solves_;
  }

  double PeriodicFourierBackend::elastic_energy_aJ(const double temperature_change_K) const
  {
    // Mura's form for eigenstrain problems, E = −½ ∫ σ : ε⁰ dV with ε⁰ = ΔT α/3 I + ε*. It equals
    // ½ ∫ σ : C⁻¹ : σ dV for any equilibrated, compatible field with zero mean stress, and is the
    // quadratic form of the solver's own (symmetric) response, also on the Nyquist modes where
    // the response is an average over the sign of the wave number; so the energy released by
    // eigenstrain increments equals their work exactly.
    std::vector<double> terms(2 * sites_.size());  // (global index, term)
    for (std::size_t q = 0; q < sites_.size(); ++q)
      {
        SymmetricTensor6 sigma{};
        SymmetricTensor6 strain = eigenstrain_[q];
        for (std::size_t c = 0; c < 6; ++c)
          sigma[c] = temperature_change_K * thermal_[q][c] + stress_[q][c];
        for (std::size_t c = 0; c < 3; ++c)
          strain[c] += temperature_change_K * alpha_[q] / 3.0;
        terms[2 * q] = static_cast<double>(global_index(q));
        terms[2 * q + 1] = -0.5 * sites_[q].volume_nm3 * double_contraction(sigma, strain);
      }
    // Summed in site order on rank 0, so that the figure does not depend on the partition.
    const std::vector<double> all = core::gather_to_root(communicator_, terms);
    std::vector<double> ordered(all.size() / 2);
    for (std::size_t e = 0; e < ordered.size(); ++e)
      ordered[static_cast<std::size_t>(all[2 * e])] = all[2 * e + 1];
    double energy = 0.0;
    for (const double t : ordered)
      energy += t;
    MPI_Bcast(&energy, 1, MPI_DOUBLE, 0, communicator_);
    return energy;
  }
} // namespace cryocycle::continuum
