#pragma once
/// @file
/// In-house energy minimisation of a carved frozen-matrix cluster under an EAM potential
/// (frozen_matrix_yield.h, `relaxer: frozen_density`). Only the relaxed atoms move, so
/// everything that involves frozen atoms alone is computed once per minimisation rather than at
/// every force evaluation: the embedding density each frozen atom near the sphere receives from
/// the other frozen atoms is stored, and an evaluation visits only the pairs with a relaxed atom
/// in them. For an r_c = 10 Å sphere of Cu–Zr (≈ 240 relaxed atoms in a 3 700-atom cluster) that
/// is about a fifth of the pairs LAMMPS must visit even with the far pairs excluded. The forces
/// on the relaxed atoms are the full EAM forces (eam_tables.h), so the minima are those of the
/// whole sample.
///
/// Minimiser: GSL's vector BFGS (`gsl_multimin_fdfminimizer_vector_bfgs2`), stopped when the
/// 2-norm of the relaxed atoms' force vector falls below the tolerance — LAMMPS's force
/// criterion with the frozen atoms' forces zeroed.
/// Units: metal (Å, eV); per-atom stresses are −virial, LAMMPS's `compute stress/atom NULL
/// virial` in eV (multiply by 1.6021766e6 for bar·Å³).
#include "atomistic/eam_tables.h"

#include <array>
#include <cstddef>
#include <vector>

namespace cryocycle::atomistic
{
  struct RelaxationResult
  {
    bool converged = false;
    std::size_t iterations = 0;   ///< minimiser iterations
    std::size_t evaluations = 0;  ///< energy and force evaluations
    double force_norm = 0.0;      ///< 2-norm of the relaxed atoms' forces at the end (eV/Å)
  };

  class FrozenDensityRelaxer
  {
  public:
    /// @param skin neighbour-list skin (Å); the lists are rebuilt when a relaxed atom has moved
    ///   more than half of it
    FrozenDensityRelaxer(const EamTables &tables, double skin);

    /// Minimises the energy over the positions of the atoms `mobile` (indices into `types`,
    /// distinct), all other atoms fixed. `positions` (x0, y0, z0, x1, …; non-periodic) is updated
    /// in place; `types` are 0-based. Stops at a force 2-norm below `force_tolerance` (eV/Å),
    /// after `max_iterations`, or when the minimiser can make no further progress (converged
    /// false).
    RelaxationResult relax(std::vector<double> &positions, const std::vector<int> &types,
                           const std::vector<std::size_t> &mobile, double force_tolerance, std::size_t max_iterations);

    /// The forces on the atoms `mobile` (eV/Å, 3 per atom) and the energy relative to the frozen
    /// atoms' own (eV: differences between configurations of the mobile atoms are the
    /// potential's) at `positions`, without moving anything; sets mobile_stress().
    std::vector<double> forces(const std::vector<double> &positions, const std::vector<int> &types,
                               const std::vector<std::size_t> &mobile, double &energy);

    /// Per-atom stress × volume of the relaxed atoms of the last relax() or forces() call at its final
    /// positions (eV; LAMMPS order xx, yy, zz, xy, xz, yz; one entry per atom of `mobile`).
    const std::vector<std::array<double, 6>> &mobile_stress() const { return stress_; }

    /// One relax() call's working data (frozen_density_relaxer.cc).
    struct Work;

  private:
    void check(const std::vector<double> &positions, const std::vector<int> &types) const;
    const EamTables &tables_;
    double skin_;
    std::vector<std::array<double, 6>> stress_;
  };
} // namespace cryocycle::atomistic
