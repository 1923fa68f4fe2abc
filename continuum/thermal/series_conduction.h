#pragma once
/// @file
/// Transient heat conduction in a plate, a long cylinder and a sphere plunged into a bath (a
/// convective, Robin surface condition with a constant heat-transfer coefficient h): the classical
/// series solutions, and the thermal stress of the resulting radial temperature profile in a long
/// free cylinder. They answer the size-effect question of Ketov et al. (2015) (are thermal gradients in
/// mm-sized rods in liquid nitrogen large enough to stress them?) in closed form, and are the
/// reference the finite-element heat conduction of the cycling engine is verified against.
///
/// With θ = (T − T_bath)/(T_initial − T_bath), Biot number Bi = h R/κ and Fourier number
/// Fo = κ t/(ρ c_p R²), R the half-thickness of the plate or the radius of cylinder and sphere:
///   θ(x, Fo) = Σ_n C_n exp(−λ_n² Fo) X(λ_n x),   x = r/R ∈ [0, 1],
///   plate:    λ tan λ = Bi,          X = cos,            C_n = 4 sin λ / (2λ + sin 2λ);
///   cylinder: λ J1(λ)/J0(λ) = Bi,    X = J0,             C_n = (2/λ) J1(λ)/(J0(λ)² + J1(λ)²);
///   sphere:   1 − λ cot λ = Bi,      X = sin(λx)/(λx),   C_n = 4 (sin λ − λ cos λ)/(2λ − sin 2λ).
/// Ketov et al. (2015) quotes Bi with the length V/A (R for a plate, R/2 for a cylinder, R/3 for a sphere);
/// volume_to_area_biot() converts.

#include <cstddef>
#include <vector>

namespace cryocycle::continuum
{
  enum class ConductionShape
  {
    plate,     ///< infinite plate, half-thickness R, insulated mid-plane by symmetry
    cylinder,  ///< infinite cylinder of radius R
    sphere     ///< sphere of radius R
  };

  /// Dimensionless series solution for one shape and one Biot number.
  class ConvectiveCooling
  {
  public:
    /// Computes the first `terms` eigenvalues λ_n and coefficients C_n.
    /// @throws std::invalid_argument for Bi <= 0 (or not finite) or terms == 0.
    ConvectiveCooling(ConductionShape shape, double biot_number, std::size_t terms = 200);

    ConductionShape shape() const { return shape_; }
    double biot_number() const { return biot_; }
    const std::vector<double> &eigenvalues() const { return lambda_; }
    const std::vector<double> &coefficients() const { return coefficient_; }

    /// θ at x = r/R in [0, 1] and Fourier number Fo > 0. Terms whose exp(−λ² Fo) falls below
    /// 1e-17 are skipped; at very small Fo (< ~1e-4) the computed terms may not suffice and the
    /// function throws std::domain_error rather than return an unconverged value.
    double temperature_ratio(double x, double fourier_number) const;
    /// Volume average of θ at Fo > 0 (the fraction of the heat still to be removed).
    double mean_temperature_ratio(double fourier_number) const;

  private:
    double shape_function(double z) const;   ///< X(z)
    double mean_weight(double lambda) const;  ///< volume average of X(λ x) over the body
    void check_convergence(double fourier_number) const;
    /// Σ C_n exp(−λ_n² Fo) term(λ_n) over the terms that still count.
    template <typename Term>
    double sum_series(double fourier_number, Term term) const;

    ConductionShape shape_;
    double biot_;
    std::vector<double> lambda_;
    std::vector<double> coefficient_;
  };

  /// Bi = h L / κ for the length L of the body (SI units: W m⁻² K⁻¹, m, W m⁻¹ K⁻¹).
  double biot_number(double heat_transfer_W_per_m2K, double length_m, double conductivity_W_per_mK);

  /// The Biot number with the V/A length of Ketov et al. (2015) for a body of half-thickness/radius R.
  double volume_to_area_biot(ConductionShape shape, double heat_transfer_W_per_m2K, double radius_m,
                             double conductivity_W_per_mK);

  /// Fourier number κ t / (ρ c_p R²) (SI units).
  double fourier_number(double conductivity_W_per_mK, double volumetric_heat_capacity_J_per_m3K,
                        double radius_m, double time_s);

  /// Thermal stress at the surface of a long free cylinder with a radial temperature profile
  /// (Timoshenko & Goodier, generalised plane strain, free ends): at r = R the radial stress is
  /// zero and σ_θθ = σ_zz = α_lin E/(1 − ν) (T_mean − T_surface), so the von Mises stress there
  /// is |σ_θθ|. Inputs: volumetric α (1/K; α_lin = α/3), bulk and shear moduli (GPa), mean and
  /// surface temperatures (K). Returns σ_θθ(R) in GPa (tensile when the surface is colder).
  double cylinder_surface_thermal_stress_GPa(double alpha_volumetric_per_K, double bulk_modulus_GPa,
                                             double shear_modulus_GPa, double mean_temperature_K,
                                             double surface_temperature_K);
} // namespace cryocycle::continuum
