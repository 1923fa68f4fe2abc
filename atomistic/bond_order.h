#pragma once
/// @file
/// Global bond-orientational order Q_l (Steinhardt, Nelson & Ronchetti, Phys. Rev. B 28, 784
/// (1983)): the spherical harmonics of every nearest-neighbour bond direction averaged over the
/// whole sample, Q_l = [4π/(2l+1) Σ_m |⟨Y_lm(r̂_ij)⟩|²]^½. Crystals keep their bond directions
/// over the sample (Q_6 = 0.5745 fcc, 0.5106 bcc with its 14 first- and second-shell neighbours,
/// also B2), a glass does not (Q_6 of order 1/√bonds, a few hundredths for a thousand atoms).
/// cryocycle uses it to tell a glass from a sample that crystallised or never melted.

#include "atomistic/coarse_graining.h"

#include <vector>

namespace cryocycle::atomistic
{
  struct BondOrder
  {
    double q_l = 0.0;             ///< Q_l of the sample
    int l = 6;
    double cutoff = 0.0;          ///< bond length limit (native length)
    double bonds_per_atom = 0.0;  ///< mean neighbour count within the cut-off
  };

  /// Q_l of the configuration `positions` (x0, y0, z0, ...) in `box` (periodic), bonds shorter
  /// than `cutoff`; a cut-off of 0 takes 1.3 (V/N)^⅓, which lies between the first and second
  /// shells of fcc and just beyond the second shell of bcc, so perfect lattices give the
  /// tabulated values. Throws std::invalid_argument for an empty configuration or l < 1.
  BondOrder global_bond_order(const PeriodicBox &box, const std::vector<double> &positions, int l = 6,
                              double cutoff = 0.0);

  /// Q_6 above which a sample is taken to be crystalline: midway between a thermal crystal
  /// (≥ 0.4) and a glass of a few hundred atoms (< 0.1).
  constexpr double crystalline_q6_threshold = 0.25;
} // namespace cryocycle::atomistic
