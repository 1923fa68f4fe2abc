#include "atomistic/bond_order.h"

#include <boost/math/special_functions/spherical_harmonic.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <complex>
#include <stdexcept>

namespace cryocycle::atomistic
{
  namespace
  {
    /// Atoms binned in fractional space, cells at least `cutoff` wide along each reciprocal
    /// direction (one cell per direction when the box is thinner than three cut-offs).
    struct CellList
    {
      std::array<int, 3> count{};
      std::vector<std::vector<std::size_t>> atoms;

      CellList(const PeriodicBox &box, const std::vector<Vector3> &fractional, const double cutoff)
      {
        const Vector3 widths = box.widths();
        for (std::size_t a = 0; a < 3; ++a)
          {
            const int n = static_cast<int>(std::floor(widths[a] / cutoff));
            count[a] = n >= 3 ? n : 1;
          }
        atoms.resize(static_cast<std::size_t>(count[0] * count[1] * count[2]));
        for (std::size_t i = 0; i < fractional.size(); ++i)
          atoms[index(cell_of(fractional[i]))].push_back(i);
      }

      std::array<int, 3> cell_of(const Vector3 &s) const
      {
        std::array<int, 3> c{};
        for (std::size_t a = 0; a < 3; ++a)
          c[a] = std::min(count[a] - 1, static_cast<int>(std::floor((s[a] - std::floor(s[a])) * count[a])));
        return c;
      }

      std::size_t index(const std::array<int, 3> &c) const
      {
        const auto wrap = [](const int i, const int n) { return ((i % n) + n) % n; };
        return static_cast<std::size_t>((wrap(c[2], count[2]) * count[1] + wrap(c[1], count[1])) * count[0] +
                                        wrap(c[0], count[0]));
      }
    };
  } // namespace

  BondOrder global_bond_order(const PeriodicBox &box, const std::vector<double> &positions, const int l,
                              double cutoff)
  {
    const std::size_t n = positions.size() / 3;
    if (n == 0 || positions.size() % 3 != 0)
      throw std::invalid_argument("the bond order needs a non-empty configuration");
    if (l < 1)
      throw std::invalid_argument("the bond order needs l ≥ 1");
    if (cutoff <= 0.0)
      cutoff = 1.3 * std::cbrt(box.volume() / static_cast<double>(n));
    std::vector<Vector3> fractional(n);
    for (std::size_t i = 0; i < n; ++i)
      fractional[i] = box.fractional({positions[3 * i], positions[3 * i + 1], positions[3 * i + 2]});
    const CellList cells(box, fractional, cutoff);

    std::vector<std::complex<double>> sum(static_cast<std::size_t>(2 * l + 1));
    std::size_t bonds = 0;
    const double cutoff2 = cutoff * cutoff;
    for (std::size_t i = 0; i < n; ++i)
      {
        const auto home = cells.cell_of(fractional[i]);
        // Each neighbouring cell once, even where a direction has fewer than three cells.
        std::vector<std::size_t> visited;
        for (int dz = -1; dz <= 1; ++dz)
          for (int dy = -1; dy <= 1; ++dy)
            for (int dx = -1; dx <= 1; ++dx)
              {
                const std::size_t c = cells.index({home[0] + dx, home[1] + dy, home[2] + dz});
                if (std::find(visited.begin(), visited.end(), c) != visited.end())
                  continue;
                visited.push_back(c);
                for (const std::size_t j : cells.atoms[c])
                  {
                    if (j == i)
                      continue;
                    Vector3 ds{};
                    for (std::size_t a = 0; a < 3; ++a)
                      ds[a] = fractional[j][a] - fractional[i][a] - std::round(fractional[j][a] - fractional[i][a]);
                    const Vector3 d = box.cartesian(ds);
                    const double x = d[0] - box.low[0], y = d[1] - box.low[1], z = d[2] - box.low[2];
                    const double r2 = x * x + y * y + z * z;
                    if (r2 >= cutoff2 || r2 == 0.0)
                      continue;
                    const double theta = std::acos(std::clamp(z / std::sqrt(r2), -1.0, 1.0));
                    const double phi = std::atan2(y, x);
                    for (int m = -l; m <= l; ++m)
                      sum[static_cast<std::size_t>(m + l)] +=
                        boost::math::spherical_harmonic(static_cast<unsigned>(l), m, theta, phi);
                    ++bonds;
                  }
              }
      }
    BondOrder order;
    order.l = l;
    order.cutoff = cutoff;
    order.bonds_per_atom = static_cast<double>(bonds) / static_cast<double>(n);
    if (bonds == 0)
      return order;
    double total = 0.0;
    for (const auto &q : sum)
      total += std::norm(q / static_cast<double>(bonds));
    order.q_l = std::sqrt(4.0 * M_PI / (2.0 * l + 1.0) * total);
    return order;
  }
} // namespace cryocycle::atomistic
