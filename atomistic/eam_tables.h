#pragma once
/// @file
/// An embedded-atom potential read from a setfl file (LAMMPS pair styles eam/alloy and eam/fs,
/// metal units: Å, eV), for the in-house relaxation of carved frozen-matrix clusters
/// (frozen_density_relaxer.h). The energy is
///   E = Σ_i F_{t_i}(ρ_i) + ½ Σ_{i≠j} φ_{t_i t_j}(r_ij),   ρ_i = Σ_{j≠i} f_{t_j→t_i}(r_ij),
/// with f_{J→I} the density an atom of element J puts at an atom of element I (eam/fs: one
/// function per ordered pair, listed in the block of element J at position I; eam/alloy: one per
/// source element). The tabulated F, f and r·φ are interpolated as LAMMPS's eam styles do: a
/// cubic per interval with the node slopes from fourth-order central differences (second order
/// next to the ends), the argument clamped to the last interval, so forces and energies agree
/// with LAMMPS's to rounding.
#include <filesystem>
#include <string>
#include <vector>

namespace cryocycle::atomistic
{
  /// A function tabulated on the uniform grid x_k = k Δ, k = 0 … n − 1, interpolated piecewise
  /// cubically with slopes from central differences (see the file comment).
  class UniformCubicTable
  {
  public:
    UniformCubicTable() = default;
    /// @param values f(x_k); at least 5
    UniformCubicTable(std::vector<double> values, double spacing);
    /// f(x) and f'(x); x ≥ 0 (beyond the grid: the cubic of the last interval at its end).
    void evaluate(double x, double &value, double &derivative) const;
    double spacing() const { return spacing_; }
    std::size_t size() const { return values_.size(); }

  private:
    /// The cubic of interval m in p ∈ [0, 1]: ((c3 p + c2) p + c1) p + c0.
    std::vector<double> c0_, c1_, c2_, c3_;
    std::vector<double> values_;
    double spacing_ = 0.0;
    double inverse_spacing_ = 0.0;
  };

  class EamTables
  {
  public:
    /// Reads `file` (`style` "eam/fs" or "eam/alloy") and maps atom types 1 … n to the elements
    /// named in `type_elements` (as on a LAMMPS pair_coeff line). Throws std::invalid_argument
    /// naming the file and what is wrong.
    static EamTables read(const std::filesystem::path &file, const std::string &style,
                          const std::vector<std::string> &type_elements);

    /// Beyond this distance (Å) nothing interacts.
    double cutoff() const { return cutoff_; }
    std::size_t type_count() const { return type_element_.size(); }
    /// F_t(ρ) and dF/dρ for atom type t (0-based). Beyond the tabulated densities F continues
    /// linearly.
    void embedding(std::size_t type, double density, double &value, double &derivative) const;
    /// f_{from→to}(r) and its derivative: the density an atom of type `from` puts at distance r.
    void density(std::size_t from, std::size_t to, double r, double &value, double &derivative) const;
    /// φ(r) and dφ/dr of a pair of types; r > 0.
    void pair(std::size_t a, std::size_t b, double r, double &value, double &derivative) const;

  private:
    double cutoff_ = 0.0;
    double max_density_ = 0.0;
    std::vector<std::size_t> type_element_;
    std::size_t elements_ = 0;
    std::vector<UniformCubicTable> embedding_;  ///< per element
    std::vector<UniformCubicTable> density_;    ///< [from element × elements + to element]
    std::vector<UniformCubicTable> pair_;       ///< r φ, [a × elements + b], symmetric
  };
} // namespace cryocycle::atomistic
