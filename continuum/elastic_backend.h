#pragma once
/// @file
/// The elastic back-end the shear-transformation event engine is written against: sites with a
/// fixed thermal stress per kelvin S_T and a stress caused by their eigenstrains, re-solved when
/// the eigenstrains change. Two implementations (DESIGN.md):
///  - FiniteElementBackend: the deal.II model of thermoelastic_model.h — any geometry,
///    heterogeneous moduli, MPI; the matrix and its preconditioner or factorisation are kept
///    between re-solves;
///  - PeriodicFourierBackend: a periodic cube of uniform moduli solved with the exact periodic
///    Green's function (periodic_eigenstrain_solver.h) — one grid point per site, far cheaper.
/// Stresses in GPa, Voigt order xx, yy, zz, yz, xz, xy, tensor components.

#include "continuum/periodic_eigenstrain_solver.h"
#include "continuum/thermoelastic_model.h"

#include <mpi.h>

#include <array>
#include <cstddef>
#include <string>
#include <vector>

namespace cryocycle::continuum
{
  class ElasticBackend
  {
  public:
    virtual ~ElasticBackend() = default;
    /// "finite elements (...)" or "periodic Fourier".
    virtual std::string name() const = 0;
    virtual MPI_Comm communicator() const = 0;
    /// Sites owned by this rank (centre, rank-independent global id, volume).
    virtual const std::vector<SiteGeometry> &local_sites() const = 0;
    /// Thermal stress per kelvin of temperature change per local site (GPa/K); fixed.
    virtual const std::vector<SymmetricTensor6> &thermal_stress_per_K_GPa() const = 0;
    /// Replaces the eigenstrains of the local sites and re-solves. Collective.
    virtual void update_eigenstrain(const std::vector<SymmetricTensor6> &eigenstrain) = 0;
    virtual const std::vector<SymmetricTensor6> &eigenstrain() const = 0;
    /// Stress caused by the eigenstrains per local site (GPa).
    virtual const std::vector<SymmetricTensor6> &eigenstrain_stress_GPa() const = 0;
    /// Elastic energy of the whole sample at temperature change ΔT (aJ). Collective.
    virtual double elastic_energy_aJ(double temperature_change_K) const = 0;
    /// Linear solves done so far (statistics).
    virtual std::size_t solve_count() const = 0;
  };

  /// The deal.II model as a back-end. The model must have its α, K, G set; the back-end solves
  /// it once on construction (S_T) and after every eigenstrain update.
  class FiniteElementBackend final : public ElasticBackend
  {
  public:
    FiniteElementBackend(ThermoelasticModel &model, MPI_Comm communicator);
    std::string name() const override;
    MPI_Comm communicator() const override { return communicator_; }
    const std::vector<SiteGeometry> &local_sites() const override { return model_.local_sites(); }
    const std::vector<SymmetricTensor6> &thermal_stress_per_K_GPa() const override;
    void update_eigenstrain(const std::vector<SymmetricTensor6> &eigenstrain) override;
    const std::vector<SymmetricTensor6> &eigenstrain() const override { return model_.eigenstrain(); }
    const std::vector<SymmetricTensor6> &eigenstrain_stress_GPa() const override;
    double elastic_energy_aJ(double temperature_change_K) const override;
    std::size_t solve_count() const override { return solves_; }

  private:
    ThermoelasticModel &model_;
    MPI_Comm communicator_;
    std::size_t solves_ = 0;
  };

  /// A periodic cube of n_x × n_y × n_z sites of edge h (nm) with uniform K, G (GPa), free mean
  /// stress. Site p = i + n_x (j + n_y k) sits at ((i + ½) h, (j + ½) h, (k + ½) h), global id p.
  /// All sites live on rank 0 of the communicator (the Fourier solve is serial); other ranks own
  /// none and only take part in collective calls.
  class PeriodicFourierBackend final : public ElasticBackend
  {
  public:
    /// @param alpha_per_K volumetric thermal expansion of every site (rank 0; ignored elsewhere)
    PeriodicFourierBackend(MPI_Comm communicator, const std::array<std::size_t, 3> &site_count,
                           double site_size_nm, double bulk_modulus_GPa, double shear_modulus_GPa,
                           const std::vector<double> &alpha_per_K);
    std::string name() const override { return "periodic Fourier"; }
    MPI_Comm communicator() const override { return communicator_; }
    const std::vector<SiteGeometry> &local_sites() const override { return sites_; }
    const std::vector<SymmetricTensor6> &thermal_stress_per_K_GPa() const override { return thermal_; }
    void update_eigenstrain(const std::vector<SymmetricTensor6> &eigenstrain) override;
    const std::vector<SymmetricTensor6> &eigenstrain() const override { return eigenstrain_; }
    const std::vector<SymmetricTensor6> &eigenstrain_stress_GPa() const override { return stress_; }
    double elastic_energy_aJ(double temperature_change_K) const override;
    std::size_t solve_count() const override { return solves_; }

  private:
    MPI_Comm communicator_;
    bool owner_ = false;
    double bulk_ = 0.0;
    double shear_ = 0.0;
    std::vector<SiteGeometry> sites_;
    std::vector<double> alpha_;
    std::vector<SymmetricTensor6> thermal_;
    std::vector<SymmetricTensor6> eigenstrain_;
    std::vector<SymmetricTensor6> stress_;
    std::unique_ptr<PeriodicEigenstrainSolver> solver_;
    std::size_t solves_ = 0;
  };
} // namespace cryocycle::continuum
