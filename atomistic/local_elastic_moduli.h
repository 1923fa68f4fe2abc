#pragma once
/// @file
/// Local elastic moduli (Shang et al. 2018 appendix, following Tsamados et al., its ref. [9]): the
/// inherent structure is strained by ±δ in each of the six independent directions (Voigt, with
/// engineering shear strains), every strained state minimised at fixed box (so the non-affine
/// relaxation is included), and the per-atom stress (LAMMPS compute stress/atom, virial part)
/// coarse-grained with the same kernel as the strain (coarse_graining.h):
///
///   σ(r) = Σ_i s_i φ(r − r_i) / Σ_i v φ(r − r_i),    v = V/N,
///
/// where s_i = σ_i V_i is the per-atom stress·volume; dividing by the coarse-grained volume
/// (instead of taking ∫φ = 1 for granted) makes a homogeneous crystal give the box stress at
/// every site exactly and the sites average to the box stress. The local 6×6 stiffness of a
/// site is the least-squares fit of σ = σ₀ + C ε over the 13 states (reference and 12 strained),
/// with ε the local strain of the coarse-grained displacement from the reference (default) or
/// the imposed strain. K and G per site are the isotropic projections of C (Voigt averages:
/// the projection onto isotropic tensors in the Frobenius norm). The whole-box C comes from
/// the box stress of the same states.
///
/// Sign convention: tension positive; Voigt order xx, yy, zz, yz, xz, xy.

#include "atomistic/local_thermal_expansion.h"

#include <array>
#include <functional>
#include <vector>

namespace cryocycle::atomistic
{
  /// 6×6 stiffness in Voigt notation (engineering shear strains), native pressure units.
  using Stiffness = std::array<std::array<double, 6>, 6>;

  /// K and G of the isotropic projection of a stiffness (Voigt averages).
  struct IsotropicModuli
  {
    double bulk = 0.0;
    double shear = 0.0;
  };
  IsotropicModuli isotropic_projection(const Stiffness &c);

  /// Least-squares fit of σ = σ₀ + C ε over states (each a Voigt strain and stress); needs at
  /// least seven states whose strains span the six directions.
  Stiffness fit_stiffness(const std::vector<std::array<double, 6>> &strains,
                          const std::vector<std::array<double, 6>> &stresses);

  struct LocalModuliProtocol
  {
    /// Amplitude δ of each ± strain (dimensionless; shear as engineering strain).
    double strain_amplitude = 1.0e-4;
    /// Minimisation force tolerance (native force units); energy tolerance 0.
    double force_tolerance_native = 1.0e-6;
    /// Relax the box to the settings' pressure before straining (the reference state).
    bool relax_box = true;
    /// true: local strain of the coarse-grained displacement; false: the imposed strain.
    bool local_strain = true;
    std::vector<double> sigma_cg_native;
    double truncation_sigmas = 3.0;
  };

  struct LocalModuliWidth
  {
    double sigma_cg_native = 0.0;
    std::vector<Stiffness> stiffness;   ///< per site, native pressure
    std::vector<IsotropicModuli> moduli; ///< per site, native pressure
    IsotropicModuli mean, standard_deviation;
  };

  struct LocalModuliResult
  {
    std::vector<Vector3> sites;          ///< native lengths, reference box
    std::vector<LocalModuliWidth> widths;
    Stiffness box_stiffness{};           ///< whole box, native pressure
    IsotropicModuli box_moduli;
    std::array<double, 6> reference_box_stress{};  ///< native pressure
    double reference_energy_eV_per_atom = 0.0;
    int minimisations = 0;
  };

  /// Measures on the current configuration of `system` (changes it: it ends in the reference
  /// inherent structure with a triclinic box).
  LocalModuliResult measure_local_elastic_moduli(MdSystem &system, const LocalModuliProtocol &protocol,
                                                 const SiteChooser &sites,
                                                 const std::function<void(double)> &progress = {});
} // namespace cryocycle::atomistic
