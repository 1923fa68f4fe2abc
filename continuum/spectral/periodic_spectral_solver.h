#pragma once
/// @file
/// Thermal internal stress of a periodic cube with uniform elastic moduli and a heterogeneous
/// volumetric thermal expansion coefficient, solved in Fourier space (Shang et al. 2018, section III,
/// eq. 4-7).
///
/// Model. Linear thermo-elasticity with bulk modulus K, shear modulus G and volumetric thermal
/// expansion coefficient alpha(r) = eps_v / dT (Shang et al. 2018 eq. 1, 3):
///   sigma = C : (eps(u) - (alpha/3) dT I) = K (eps_v - alpha dT) I + 2 G dev eps.
/// A periodic box at zero mean stress takes the mean strain (alpha_mean dT / 3) I. The
/// fluctuating displacement is curl-free, u = grad Phi, and div sigma = 0 gives
///   (K + 4G/3) lap Phi = K dT (alpha - alpha_mean)                                  (eq. 7)
/// Sign: Shang et al. (2018) writes the source with the opposite sign; the sign here follows from
/// div sigma = 0 with the constitutive law above, so a region with larger alpha dilates on
/// heating, by the Eshelby factor K / (K + 4G/3) of its free thermal dilatation. The von Mises
/// stress does not depend on this choice, the sign of each component does.
/// Then eps_ij = d_i d_j Phi and
///   sigma_ij = K (lap Phi - (alpha - alpha_mean) dT) delta_ij
///              + 2 G (d_i d_j Phi - delta_ij lap Phi / 3).
/// Two consequences used and tested: the trace is local, lap Phi = K dT (alpha - alpha_mean) /
/// (K + 4G/3), so the mean stress is -(4G/3) K/(K + 4G/3) (alpha - alpha_mean) dT at every point;
/// and a laminate alpha(x) has sigma_xx = 0, sigma_yy = sigma_zz = -6 G K / (3K + 4G)
/// (alpha - alpha_mean) dT.
///
/// Discretisation. alpha is taken as the trigonometric (band-limited) interpolant of its grid
/// values and eq. 7 is solved exactly for it: Phi_hat(k) = -K dT alpha_hat(k) / ((K + 4G/3) |k|^2)
/// for k != 0, eps_hat_ij = -k_i k_j Phi_hat, with the continuous wave numbers k = 2 pi m / L,
/// m in (-n/2, n/2] (the spectral derivative, which is what eq. 7 means; not the
/// finite-difference-consistent "discrete" wave numbers). The k = 0 mode is the mean strain.
///
/// Nyquist modes (m = n/2 of an even n). On the grid a Nyquist component can only be a cosine
/// (its sine vanishes at every grid point), so it is interpreted as one. The even (second)
/// derivative -k_a^2 along a Nyquist axis is then well defined and kept; the odd derivatives
/// k_a k_b (a != b) along a Nyquist axis are those of sin(k_N x), which vanish at the grid
/// points, so shear strains get no contribution from any mode whose index is Nyquist along a or
/// b. The result is the exact solution of the cosine interpolant sampled at the grid points, and
/// the trace identity above holds exactly. Grids with odd counts have no Nyquist modes.

#include "continuum/spectral/periodic_grid.h"
#include "core/tensor6.h"

#include <array>
#include <cstddef>
#include <memory>
#include <vector>

namespace cryocycle::continuum
{
  /// Thermal stress, strain and von Mises stress at every grid point (flat index as in
  /// PeriodicGrid: i + nx (j + ny k)).
  struct ThermalStressField
  {
    /// Stress tensor (GPa), Voigt order xx, yy, zz, yz, xz, xy; zero mean over the box.
    std::vector<std::array<double, 6>> stress_GPa;
    /// von Mises stress sqrt(3 J2) (GPa), the sigma_th of Shang et al. (2018) section III.
    std::vector<double> von_mises_GPa;
    /// Total volumetric strain (dimensionless): the box's mean alpha_mean dT plus the local
    /// K dT (alpha - alpha_mean) / (K + 4G/3).
    std::vector<double> volumetric_strain;
    /// Grid average of alpha (1/K), the alpha_mean of Shang et al. (2018) eq. 7.
    double mean_alpha_per_K = 0.0;
  };

  /// Fourier solver of Shang et al. (2018) eq. 7 for one grid shape and spacing (see the file comment for
  /// the model, sign, wave numbers and Nyquist convention).
  ///
  /// The FFTW plans (FFTW_ESTIMATE, so results are reproducible bit for bit) and buffers are made
  /// once in the constructor and reused by every solve(). Construction and destruction take a
  /// library-wide lock because FFTW's planner is not thread-safe; solve() mutates the owned
  /// buffers, so one object must not be used from two threads at once (use one object per
  /// thread). Cost per solve: one forward and five inverse real transforms (the sixth strain
  /// component follows from the local trace). Memory owned: five real and two half-spectrum
  /// buffers, about 7 doubles (56 bytes) per grid point; the returned field adds 64 bytes per
  /// point.
  class PeriodicSpectralThermalStress
  {
  public:
    /// Plans for an nx x ny x nz periodic grid with spacing spacing_nm (nm; box length n h).
    /// Throws std::invalid_argument for a zero count or a non-positive or non-finite spacing.
    PeriodicSpectralThermalStress(const std::array<std::size_t, 3>& point_count,
                                  const std::array<double, 3>& spacing_nm);
    ~PeriodicSpectralThermalStress();
    PeriodicSpectralThermalStress(PeriodicSpectralThermalStress&&) noexcept;
    PeriodicSpectralThermalStress& operator=(PeriodicSpectralThermalStress&&) noexcept;
    PeriodicSpectralThermalStress(const PeriodicSpectralThermalStress&) = delete;
    PeriodicSpectralThermalStress& operator=(const PeriodicSpectralThermalStress&) = delete;

    /// Thermal stress for a temperature change dT from the stress-free reference.
    /// @param alpha_per_K        volumetric thermal expansion coefficient per grid point (1/K)
    /// @param bulk_modulus_GPa   K (GPa), > 0
    /// @param shear_modulus_GPa  G (GPa), > 0
    /// @param temperature_change_K  dT = T - T_ref (K), finite; negative on cooling
    /// @throws std::invalid_argument naming the quantity and value: size mismatch, non-finite
    ///         alpha (with its index), K or G not positive and finite, non-finite dT.
    ThermalStressField solve(const std::vector<double>& alpha_per_K, double bulk_modulus_GPa,
                             double shear_modulus_GPa, double temperature_change_K);

    /// As solve(), writing into `field` and reusing its storage when it already has the grid's
    /// size: for repeated solves (e.g. every temperature step of a cycle) this saves allocating
    /// and zeroing the output, a large share of the time on big grids (see bench_spectral).
    /// Invalid input throws before `field` is touched.
    void solve_into(const std::vector<double>& alpha_per_K, double bulk_modulus_GPa,
                    double shear_modulus_GPa, double temperature_change_K,
                    ThermalStressField& field);

    /// Grid shape nx, ny, nz.
    const std::array<std::size_t, 3>& point_count() const;
    /// Grid spacing (nm).
    const std::array<double, 3>& spacing_nm() const;

  private:
    struct Implementation;
    std::unique_ptr<Implementation> implementation_;
  };

  /// Convenience: plans a solver for the grid's shape and solves once for alpha = grid.values
  /// (1/K). Prefer a PeriodicSpectralThermalStress object when solving repeatedly.
  ThermalStressField solve_periodic_thermal_stress(const PeriodicGrid& alpha_per_K_grid,
                                                   double bulk_modulus_GPa,
                                                   double shear_modulus_GPa,
                                                   double temperature_change_K);
} // namespace cryocycle::continuum
