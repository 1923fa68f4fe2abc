#pragma once
/// @file
/// The thermal stress of a non-uniform temperature field from heat conduction (finite_volume_conduction.h)
/// on the finite-element sample. The stress is linear in the temperature field, so with the
/// profile written as T(x) = Σ_{k=0..K} a_k x^{2k} (x = r/R of rod, disc and sphere, the
/// distance from the mid-plane over the half-thickness of a plate; even in x by symmetry)
///   σ_i = (a_0 − T_ref) S_T,i + Σ_{k>=1} a_k S_k,i ,
/// where S_T is the response to a uniform kelvin and S_k the response to the temperature field
/// x^{2k}, i.e. to the thermal strain α x^{2k}/3 I — one FE solve each, done once on
/// construction with the model's own matrix (only the right-hand side changes). The a_k are a
/// volume-weighted least-squares fit to the conduction profile at each time step.
///
/// The conduction is one-dimensional: a rod or disc conducts radially (its ends are taken as
/// insulated: a long rod), a plate through its thinnest dimension, a sphere radially.

#include "continuum/thermal/finite_volume_conduction.h"
#include "continuum/physics/shear_transformation.h"
#include "continuum/fe/thermoelastic_model.h"

#include <cstddef>
#include <vector>

namespace cryocycle::continuum
{
  /// The conduction shape of a finite-element sample (rod, disc → cylinder; plate → plate;
  /// sphere → sphere) and its conduction length R in m (radius or half-thickness).
  /// @throws std::invalid_argument for a periodic cube (it has no surface).
  std::pair<ConductionShape, double> conduction_geometry(const FiniteElementGeometry &geometry);

  class HeatConductionLoad
  {
  public:
    /// The model must have its α, K, G set. Solves it once per basis field (x^2 .. x^2K) and
    /// once more with α restored, so it is ready for FiniteElementBackend. Collective.
    HeatConductionLoad(ThermoelasticModel &model, std::size_t even_terms = 3);

    ConductionShape shape() const { return shape_; }
    double radius_m() const { return radius_m_; }
    /// x of every local site (cell centre).
    const std::vector<double> &site_position() const { return position_; }
    /// a_0 .. a_K fitted to the profile (K).
    std::vector<double> fit(const HeatConduction &conduction) const;
    /// The load stress per local site for coefficients a (GPa).
    std::vector<SymmetricTensor6> load_stress_GPa(const std::vector<double> &coefficients, double reference_K) const;
    /// Temperature of every local site from the profile (K).
    std::vector<double> site_temperature_K(const HeatConduction &conduction) const;
    /// Largest |T(x_j) − Σ a_k x_j^{2k}| over the profile's cells (K): the fit's error.
    double fit_error_K(const HeatConduction &conduction, const std::vector<double> &coefficients) const;

  private:
    ConductionShape shape_;
    double radius_m_;
    std::size_t terms_;
    std::vector<double> position_;
    std::vector<SymmetricTensor6> uniform_;            ///< S_T (GPa/K)
    std::vector<std::vector<SymmetricTensor6>> basis_;  ///< S_k, k = 1..K (GPa/K)
  };
} // namespace cryocycle::continuum
