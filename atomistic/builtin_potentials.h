#pragma once
/// @file
/// The potentials cryocycle ships (registered in potential_registry.cc).

#include "atomistic/potential.h"

namespace cryocycle::atomistic
{
  /// Wahnström binary Lennard-Jones mixture (G. Wahnström, Phys. Rev. A 44, 3752 (1991); as used
  /// in Derlet & Maaß (2021, 2020)): ε11 = ε22 = ε12 = ε, σ22 = 5/6 σ11, σ12 = 11/12 σ11, m1/m2 = 2, cut-off
  /// 2.5 σ11 for every pair (energy shifted to zero there so NVE conserves energy), time step
  /// 0.002778 σ11 √(m1/ε), reduced (`lj`) units with σ = σ11, m = m1. Composition from
  /// `fraction_type_1` (default 50:50). The random liquid starts at the Derlet & Maaß (2020) volume of
  /// 0.767 σ³ per atom. Physical mapping from lj_epsilon_eV, lj_sigma_A and
  /// lj_mass_type_1_g_per_mol (defaults 1 eV, 3.2 Å, 91.224 g/mol: Derlet & Maaß 2021 takes ε ~ 1 eV with
  /// σ, m of a CuZr-like metal, which makes the step ≈ 0.86 fs). Crystal control: fcc of type-1
  /// atoms, lattice constant 1.5415 σ (T = 0, P = 0 for the shifted 2.5 σ cut-off).
  PotentialModel make_wahnstrom_lj(const PotentialSettings &settings);

  /// Cu–Zr embedded-atom potential of Mendelev et al. (eam/fs, file CuZr_mm.eam.fs from
  /// Debian's lammps-data unless `potential_file` names another), metal units, 2 fs time step
  /// (Shang et al. 2021), composition Cu_x Zr_(1−x) with x = fraction_type_1 (default Cu50Zr50). Random
  /// liquid at 52 atoms/nm³; crystal control: B2 CuZr, a = 3.27 Å.
  PotentialModel make_cuzr_eam(const PotentialSettings &settings);

  /// A user's own potential: `pair_style` and `pair_coeff` lines as LAMMPS reads them, species
  /// names, masses (g/mol) and fractions, liquid number density and time step; metal units.
  PotentialModel make_generic_lammps_potential(const PotentialSettings &settings);
} // namespace cryocycle::atomistic
