#include "continuum/elastic_backend.h"

#include <fmt/format.h>

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

  FiniteElementBackend::FiniteElementBackend(ThermoelasticModel &model, MPI_Comm communicator)
    : model_(model)
    , communicator_(communicator)
  {
    model_.solve();
    ++solves_;
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
    model_.set_eigenstrain(eigenstrain);
    model_.solve();
    ++solves_;
  }

  void FiniteElementBackend::resolve_from_scratch()
  {
    // Cold: the thermal and eigenstrain right-hand sides rebuilt, CG (if used) started from zero.
    model_.solve_cold();
    ++solves_;
  }

  const std::vector<SymmetricTensor6> &FiniteElementBackend::eigenstrain_stress_GPa() const
  {
    return model_.eigenstrain_stress_GPa();
  }

  double FiniteElementBackend::elastic_energy_aJ(const double temperature_change_K) const
  {
    return model_.elastic_energy_aJ(temperature_change_K);
  }

  PeriodicFourierBackend::PeriodicFourierBackend(MPI_Comm communicator,
                                                 const std::array<std::size_t, 3> &site_count,
                                                 const double site_size_nm, const double bulk_modulus_GPa,
                                                 const double shear_modulus_GPa,
                                                 const std::vector<double> &alpha_per_K,
                                                 const PointUpdatePolicy &policy)
    : communicator_(communicator)
    , policy_(policy)
    , bulk_(bulk_modulus_GPa)
    , shear_(shear_modulus_GPa)
  {
    int rank = 0;
    MPI_Comm_rank(communicator, &rank);
    owner_ = rank == 0;
    if (!owner_)
      return;
    const std::size_t n = site_count[0] * site_count[1] * site_count[2];
    if (alpha_per_K.size() != n)
      throw std::invalid_argument(fmt::format("{} thermal expansion values for {} sites", alpha_per_K.size(), n));
    solver_ = std::make_unique<PeriodicEigenstrainSolver>(
      site_count, std::array<double, 3>{site_size_nm, site_size_nm, site_size_nm}, bulk_, shear_);
    const double volume = site_size_nm * site_size_nm * site_size_nm;
    sites_.resize(n);
    for (std::size_t p = 0; p < n; ++p)
      {
        const std::size_t i = p % site_count[0];
        const std::size_t j = (p / site_count[0]) % site_count[1];
        const std::size_t k = p / (site_count[0] * site_count[1]);
        sites_[p].centre_nm = {(static_cast<double>(i) + 0.5) * site_size_nm,
                               (static_cast<double>(j) + 0.5) * site_size_nm,
                               (static_cast<double>(k) + 0.5) * site_size_nm};
        sites_[p].global_id = p;
        sites_[p].volume_nm3 = volume;
      }
    // S_T: the stress of the thermal strain α/3 I of one kelvin.
    alpha_ = alpha_per_K;
    std::vector<SymmetricTensor6> thermal_strain(n);
    for (std::size_t p = 0; p < n; ++p)
      thermal_strain[p] = {alpha_per_K[p] / 3.0, alpha_per_K[p] / 3.0, alpha_per_K[p] / 3.0, 0, 0, 0};
    solver_->solve(thermal_strain, thermal_);
    eigenstrain_.assign(n, SymmetricTensor6{});
    stress_.assign(n, SymmetricTensor6{});
    ++solves_;
  }

  void PeriodicFourierBackend::update_eigenstrain(const std::vector<SymmetricTensor6> &eigenstrain)
  {
    if (!owner_)
      return;
    if (eigenstrain.size() != sites_.size())
      throw std::invalid_argument("one eigenstrain per site is needed");
    std::vector<std::size_t> changed;
    std::vector<SymmetricTensor6> increments;
    for (std::size_t p = 0; p < sites_.size(); ++p)
      if (eigenstrain[p] != eigenstrain_[p])
        {
          changed.push_back(p);
          SymmetricTensor6 d{};
          for (std::size_t c = 0; c < 6; ++c)
            d[c] = eigenstrain[p][c] - eigenstrain_[p][c];
          increments.push_back(d);
          // Few changes are superposed; more are solved anyway, so stop collecting.
          if (changed.size() > policy_.max_sites)
            break;
        }
    eigenstrain_ = eigenstrain;
    resolve(changed, increments);
  }

  void PeriodicFourierBackend::add_eigenstrain(const std::vector<std::size_t> &sites,
                                               const std::vector<SymmetricTensor6> &increments)
  {
    if (!owner_)
      return;
    if (sites.size() != increments.size())
      throw std::invalid_argument(fmt::format("{} sites for {} eigenstrain increments", sites.size(), increments.size()));
    for (std::size_t j = 0; j < sites.size(); ++j)
      {
        if (sites[j] >= sites_.size())
          throw std::invalid_argument(fmt::format("local site {} of {}", sites[j], sites_.size()));
        for (std::size_t c = 0; c < 6; ++c)
          eigenstrain_[sites[j]][c] += increments[j][c];
      }
    resolve(sites, increments);
  }

  void PeriodicFourierBackend::resolve(const std::vector<std::size_t> &sites,
                                       const std::vector<SymmetricTensor6> &increments)
  {
    ++solves_;
    const bool fits = sites_.size() * 36 * sizeof(double) <= policy_.max_response_bytes;
    if (!sites.empty() && sites.size() <= policy_.max_sites && fits &&
        consecutive_point_updates_ < policy_.resynchronise_after)
      {
        solver_->add_point_responses(sites, increments, stress_);
        ++point_updates_;
        ++consecutive_point_updates_;
        return;
      }
    solver_->solve(eigenstrain_, stress_);
    consecutive_point_updates_ = 0;
  }

  void PeriodicFourierBackend::resolve_from_scratch()
  {
    if (!owner_)
      return;
    solver_->solve(eigenstrain_, stress_);
    ++solves_;
    consecutive_point_updates_ = 0;
  }

  double PeriodicFourierBackend::elastic_energy_aJ(const double temperature_change_K) const
  {
    // Mura's form for eigenstrain problems, E = −½ ∫ σ : ε⁰ dV with ε⁰ = ΔT α/3 I + ε*. It equals
    // ½ ∫ σ : C⁻¹ : σ dV for any equilibrated, compatible field with zero mean stress, and is the
    // quadratic form of the solver's own (symmetric) response, also on the Nyquist modes where
    // the response is an average over the sign of the wave number; so the energy released by
    // eigenstrain increments equals their work exactly.
    double energy = 0.0;
    for (std::size_t p = 0; p < sites_.size(); ++p)
      {
        SymmetricTensor6 sigma{};
        SymmetricTensor6 strain = eigenstrain_[p];
        for (std::size_t c = 0; c < 6; ++c)
          sigma[c] = temperature_change_K * thermal_[p][c] + stress_[p][c];
        for (std::size_t c = 0; c < 3; ++c)
          strain[c] += temperature_change_K * alpha_[p] / 3.0;
        energy -= 0.5 * sites_[p].volume_nm3 * double_contraction(sigma, strain);
      }
    MPI_Bcast(&energy, 1, MPI_DOUBLE, 0, communicator_);
    return energy;
  }
} // namespace cryocycle::continuum
