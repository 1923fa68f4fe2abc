#include "atomistic/frozen_density_relaxer.h"

#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_multimin.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <stdexcept>

namespace cryocycle::atomistic
{
  /// Everything one relax() call needs: the cluster, the frozen atoms binned once, the
  /// neighbour lists of the relaxed atoms and the frozen atoms' stored densities.
  struct FrozenDensityRelaxer::Work
  {
    const EamTables &tables;
    std::vector<double> x;  ///< all positions; the relaxed atoms' entries follow the minimiser
    const std::vector<int> &types;
    const std::vector<std::size_t> &mobile;
    double cutoff, list_radius, skin;
    static constexpr std::size_t none = std::numeric_limits<std::size_t>::max();
    std::vector<std::size_t> mobile_slot;  ///< atom → index in `mobile`, or none
    // Frozen atoms in cells of edge ≥ list_radius.
    std::array<double, 3> low{};
    std::array<std::size_t, 3> cells{};
    double cell_edge = 0.0;
    std::vector<std::size_t> cell_start, cell_atoms;
    // Neighbour lists of the relaxed atoms (every frozen neighbour; relaxed neighbours of a
    // higher slot, so each relaxed pair appears once).
    std::vector<std::size_t> list_start, list_atoms;
    std::vector<double> built_at;  ///< relaxed positions at the last build
    // Frozen atoms near a relaxed atom ("shell"): their stored density from the frozen atoms and
    // its embedding energy.
    std::vector<std::size_t> shell_slot;  ///< atom → shell index, or none
    std::vector<double> shell_frozen_density, shell_frozen_embedding;
    std::vector<int> shell_type;
    // Scratch of an evaluation.
    std::vector<double> mobile_density, shell_density, mobile_fp, shell_fp;
    std::vector<double> last_x, last_gradient;
    double last_energy = 0.0;
    bool has_last = false;
    std::size_t evaluations = 0;

    Work(const EamTables &t, std::vector<double> positions, const std::vector<int> &ty,
         const std::vector<std::size_t> &mob, const double skin_length)
      : tables(t), x(std::move(positions)), types(ty), mobile(mob), cutoff(t.cutoff()),
        list_radius(t.cutoff() + skin_length), skin(skin_length)
    {
      const std::size_t n = types.size();
      mobile_slot.assign(n, none);
      for (std::size_t k = 0; k < mobile.size(); ++k)
        {
          if (mobile[k] >= n || mobile_slot[mobile[k]] != none)
            throw std::invalid_argument("frozen-density relaxer: relaxed atoms out of range or repeated");
          mobile_slot[mobile[k]] = k;
        }
      shell_slot.assign(n, none);
      bin_frozen_atoms();
    }

    std::array<std::size_t, 3> cell_of(const double *p) const
    {
      std::array<std::size_t, 3> c{};
      for (int d = 0; d < 3; ++d)
        {
          const double u = std::floor((p[d] - low[d]) / cell_edge);
          c[d] = static_cast<std::size_t>(std::clamp(u, 0.0, static_cast<double>(cells[d] - 1)));
        }
      return c;
    }

    void bin_frozen_atoms()
    {
      const std::size_t n = types.size();
      std::array<double, 3> high{};
      low.fill(std::numeric_limits<double>::max());
      high.fill(std::numeric_limits<double>::lowest());
      for (std::size_t a = 0; a < n; ++a)
        for (int d = 0; d < 3; ++d)
          low[d] = std::min(low[d], x[3 * a + d]), high[d] = std::max(high[d], x[3 * a + d]);
      cell_edge = list_radius;
      for (int d = 0; d < 3; ++d)
        cells[d] = std::max<std::size_t>(1, static_cast<std::size_t>((high[d] - low[d]) / cell_edge) + 1);
      const std::size_t total = cells[0] * cells[1] * cells[2];
      std::vector<std::size_t> cell(n);
      cell_start.assign(total + 1, 0);
      for (std::size_t a = 0; a < n; ++a)
        if (mobile_slot[a] == none)
          {
            const auto c = cell_of(&x[3 * a]);
            cell[a] = c[0] + cells[0] * (c[1] + cells[1] * c[2]);
            ++cell_start[cell[a] + 1];
          }
      for (std::size_t c = 0; c < total; ++c)
        cell_start[c + 1] += cell_start[c];
      cell_atoms.resize(cell_start[total]);
      std::vector<std::size_t> fill(cell_start.begin(), cell_start.end() - 1);
      for (std::size_t a = 0; a < n; ++a)
        if (mobile_slot[a] == none)
          cell_atoms[fill[cell[a]]++] = a;
    }

    /// Calls visit(j) for every frozen atom j in the 27 cells around point p.
    template <typename Visit>
    void for_frozen_near(const double *p, Visit &&visit) const
    {
      const auto c = cell_of(p);
      for (std::size_t k = (c[2] > 0 ? c[2] - 1 : 0); k <= std::min(c[2] + 1, cells[2] - 1); ++k)
        for (std::size_t j = (c[1] > 0 ? c[1] - 1 : 0); j <= std::min(c[1] + 1, cells[1] - 1); ++j)
          for (std::size_t i = (c[0] > 0 ? c[0] - 1 : 0); i <= std::min(c[0] + 1, cells[0] - 1); ++i)
            {
              const std::size_t cell = i + cells[0] * (j + cells[1] * k);
              for (std::size_t q = cell_start[cell]; q < cell_start[cell + 1]; ++q)
                visit(cell_atoms[q]);
            }
    }

    double distance_squared(const std::size_t a, const std::size_t b) const
    {
      const double dx = x[3 * a] - x[3 * b], dy = x[3 * a + 1] - x[3 * b + 1], dz = x[3 * a + 2] - x[3 * b + 2];
      return dx * dx + dy * dy + dz * dz;
    }

    /// The density a frozen atom receives from the other frozen atoms (fixed during relax()).
    void add_to_shell(const std::size_t atom)
    {
      shell_slot[atom] = shell_frozen_density.size();
      double rho = 0.0;
      const double cut2 = cutoff * cutoff;
      for_frozen_near(&x[3 * atom], [&](const std::size_t j) {
        if (j == atom)
          return;
        const double r2 = distance_squared(atom, j);
        if (r2 < cut2)
          {
            double f = 0.0, df = 0.0;
            tables.density(static_cast<std::size_t>(types[j]), static_cast<std::size_t>(types[atom]), std::sqrt(r2), f,
                           df);
            rho += f;
          }
      });
      double value = 0.0, derivative = 0.0;
      tables.embedding(static_cast<std::size_t>(types[atom]), rho, value, derivative);
      shell_frozen_density.push_back(rho);
      shell_frozen_embedding.push_back(value);
      shell_type.push_back(types[atom]);
    }

    void build_lists()
    {
      const double r2max = list_radius * list_radius;
      list_start.assign(1, 0);
      list_atoms.clear();
      built_at.resize(3 * mobile.size());
      for (std::size_t k = 0; k < mobile.size(); ++k)
        {
          const std::size_t i = mobile[k];
          for_frozen_near(&x[3 * i], [&](const std::size_t j) {
            if (distance_squared(i, j) < r2max)
              {
                list_atoms.push_back(j);
                if (shell_slot[j] == none)
                  add_to_shell(j);
              }
          });
          for (std::size_t l = k + 1; l < mobile.size(); ++l)
            if (distance_squared(i, mobile[l]) < r2max)
              list_atoms.push_back(mobile[l]);
          list_start.push_back(list_atoms.size());
          for (int d = 0; d < 3; ++d)
            built_at[3 * k + d] = x[3 * i + d];
        }
      shell_density.resize(shell_frozen_density.size());
      shell_fp.resize(shell_frozen_density.size());
    }

    void set_mobile_positions(const double *q)
    {
      double largest = 0.0;
      for (std::size_t k = 0; k < mobile.size(); ++k)
        {
          double d2 = 0.0;
          for (int d = 0; d < 3; ++d)
            {
              x[3 * mobile[k] + d] = q[3 * k + d];
              const double u = q[3 * k + d] - built_at[3 * k + d];
              d2 += u * u;
            }
          largest = std::max(largest, d2);
        }
      if (4.0 * largest > skin * skin)
        build_lists();
    }

    /// Energy (relative to the frozen atoms' own, eV) and its gradient over the relaxed
    /// positions q (eV/Å); with `stress`, also the relaxed atoms' per-atom −virial.
    double evaluate(const double *q, double *gradient, std::vector<std::array<double, 6>> *stress)
    {
      ++evaluations;
      set_mobile_positions(q);
      const std::size_t m = mobile.size();
      const double cut2 = cutoff * cutoff;
      mobile_density.assign(m, 0.0);
      std::copy(shell_frozen_density.begin(), shell_frozen_density.end(), shell_density.begin());
      double energy = 0.0;
      for (std::size_t k = 0; k < m; ++k)
        {
          const std::size_t i = mobile[k];
          const auto ti = static_cast<std::size_t>(types[i]);
          for (std::size_t p = list_start[k]; p < list_start[k + 1]; ++p)
            {
              const std::size_t j = list_atoms[p];
              const double r2 = distance_squared(i, j);
              if (r2 >= cut2)
                continue;
              const double r = std::sqrt(r2);
              const auto tj = static_cast<std::size_t>(types[j]);
              double f = 0.0, df = 0.0, phi = 0.0, dphi = 0.0;
              tables.density(tj, ti, r, f, df);
              mobile_density[k] += f;
              tables.density(ti, tj, r, f, df);
              if (mobile_slot[j] == none)
                shell_density[shell_slot[j]] += f;
              else
                mobile_density[mobile_slot[j]] += f;
              tables.pair(ti, tj, r, phi, dphi);
              energy += phi;
            }
        }
      mobile_fp.resize(m);
      for (std::size_t k = 0; k < m; ++k)
        {
          double value = 0.0;
          tables.embedding(static_cast<std::size_t>(types[mobile[k]]), mobile_density[k], value, mobile_fp[k]);
          energy += value;
        }
      for (std::size_t s = 0; s < shell_density.size(); ++s)
        {
          double value = 0.0;
          tables.embedding(static_cast<std::size_t>(shell_type[s]), shell_density[s], value, shell_fp[s]);
          energy += value - shell_frozen_embedding[s];
        }
      std::fill(gradient, gradient + 3 * m, 0.0);
      if (stress)
        stress->assign(m, std::array<double, 6>{});
      for (std::size_t k = 0; k < m; ++k)
        {
          const std::size_t i = mobile[k];
          const auto ti = static_cast<std::size_t>(types[i]);
          for (std::size_t p = list_start[k]; p < list_start[k + 1]; ++p)
            {
              const std::size_t j = list_atoms[p];
              const double dx = x[3 * i] - x[3 * j], dy = x[3 * i + 1] - x[3 * j + 1], dz = x[3 * i + 2] - x[3 * j + 2];
              const double r2 = dx * dx + dy * dy + dz * dz;
              if (r2 >= cut2)
                continue;
              const double r = std::sqrt(r2);
              const auto tj = static_cast<std::size_t>(types[j]);
              const std::size_t l = mobile_slot[j];
              const double fp_j = l == none ? shell_fp[shell_slot[j]] : mobile_fp[l];
              double f = 0.0, df_ji = 0.0, df_ij = 0.0, phi = 0.0, dphi = 0.0;
              tables.density(tj, ti, r, f, df_ji);
              tables.density(ti, tj, r, f, df_ij);
              tables.pair(ti, tj, r, phi, dphi);
              const double dE_dr = mobile_fp[k] * df_ji + fp_j * df_ij + dphi;
              const double s = dE_dr / r;
              gradient[3 * k] += s * dx, gradient[3 * k + 1] += s * dy, gradient[3 * k + 2] += s * dz;
              if (l != none)
                gradient[3 * l] -= s * dx, gradient[3 * l + 1] -= s * dy, gradient[3 * l + 2] -= s * dz;
              if (stress)
                {
                  const std::array<double, 6> v{0.5 * s * dx * dx, 0.5 * s * dy * dy, 0.5 * s * dz * dz,
                                                0.5 * s * dx * dy, 0.5 * s * dx * dz, 0.5 * s * dy * dz};
                  for (int c = 0; c < 6; ++c)
                    {
                      (*stress)[k][c] += v[c];
                      if (l != none)
                        (*stress)[l][c] += v[c];
                    }
                }
            }
        }
      return energy;
    }
  };

  namespace
  {
    using Work = FrozenDensityRelaxer::Work;
    /// GSL callbacks; a point evaluated twice in a row (GSL asks for f and then df) costs one
    /// evaluation.
    void evaluate_cached(const gsl_vector *q, Work &w)
    {
      const std::size_t n = q->size;
      if (w.has_last && std::memcmp(w.last_x.data(), q->data, n * sizeof(double)) == 0)
        return;
      w.last_x.assign(q->data, q->data + n);
      w.last_gradient.resize(n);
      w.last_energy = w.evaluate(q->data, w.last_gradient.data(), nullptr);
      w.has_last = true;
    }
    double energy_of(const gsl_vector *q, void *work)
    {
      auto &w = *static_cast<Work *>(work);
      evaluate_cached(q, w);
      return w.last_energy;
    }
    void gradient_of(const gsl_vector *q, void *work, gsl_vector *g)
    {
      auto &w = *static_cast<Work *>(work);
      evaluate_cached(q, w);
      std::copy(w.last_gradient.begin(), w.last_gradient.end(), g->data);
    }
    void energy_and_gradient_of(const gsl_vector *q, void *work, double *e, gsl_vector *g)
    {
      *e = energy_of(q, work);
      gradient_of(q, work, g);
    }
  } // namespace

  FrozenDensityRelaxer::FrozenDensityRelaxer(const EamTables &tables, const double skin) : tables_(tables), skin_(skin)
  {
    if (!(skin > 0.0))
      throw std::invalid_argument("frozen-density relaxer: the neighbour skin must be positive");
    gsl_set_error_handler_off();  // GSL reports through return codes, never aborts
  }

  std::vector<double> FrozenDensityRelaxer::forces(const std::vector<double> &positions, const std::vector<int> &types,
                                                   const std::vector<std::size_t> &mobile, double &energy)
  {
    check(positions, types);
    Work w(tables_, positions, types, mobile, skin_);
    w.built_at.assign(3 * mobile.size(), std::numeric_limits<double>::infinity());
    std::vector<double> q(3 * mobile.size()), f(3 * mobile.size());
    for (std::size_t k = 0; k < mobile.size(); ++k)
      for (std::size_t d = 0; d < 3; ++d)
        q[3 * k + d] = positions[3 * mobile[k] + d];
    energy = w.evaluate(q.data(), f.data(), &stress_);
    for (auto &c : f)
      c = -c;
    return f;
  }

  void FrozenDensityRelaxer::check(const std::vector<double> &positions, const std::vector<int> &types) const
  {
    if (positions.size() != 3 * types.size())
      throw std::invalid_argument("frozen-density relaxer: positions and types disagree");
    for (const int t : types)
      if (t < 0 || static_cast<std::size_t>(t) >= tables_.type_count())
        throw std::invalid_argument("frozen-density relaxer: an atom type has no element");
  }

  RelaxationResult FrozenDensityRelaxer::relax(std::vector<double> &positions, const std::vector<int> &types,
                                               const std::vector<std::size_t> &mobile, const double force_tolerance,
                                               const std::size_t max_iterations)
  {
    check(positions, types);
    RelaxationResult result;
    stress_.clear();
    if (mobile.empty())
      return result.converged = true, result;
    Work w(tables_, positions, types, mobile, skin_);
    const std::size_t n = 3 * mobile.size();
    std::unique_ptr<gsl_vector, decltype(&gsl_vector_free)> q(gsl_vector_alloc(n), &gsl_vector_free);
    for (std::size_t k = 0; k < mobile.size(); ++k)
      for (std::size_t d = 0; d < 3; ++d)
        gsl_vector_set(q.get(), 3 * k + d, positions[3 * mobile[k] + d]);
    w.built_at.assign(n, std::numeric_limits<double>::infinity());  // first evaluation builds the lists
    gsl_multimin_function_fdf function{&energy_of, &gradient_of, &energy_and_gradient_of, n, &w};
    std::unique_ptr<gsl_multimin_fdfminimizer, decltype(&gsl_multimin_fdfminimizer_free)> minimiser(
      gsl_multimin_fdfminimizer_alloc(gsl_multimin_fdfminimizer_vector_bfgs2, n), &gsl_multimin_fdfminimizer_free);
    // First trial step 0.01 Å; line searches to 0.1 of the directional derivative (GSL's advice).
    gsl_multimin_fdfminimizer_set(minimiser.get(), &function, q.get(), 0.01, 0.1);
    int stalls = 0;
    while (true)
      {
        result.force_norm = gsl_blas_dnrm2(minimiser->gradient);
        if (result.force_norm < force_tolerance)
          {
            result.converged = true;
            break;
          }
        if (result.iterations >= max_iterations)
          break;
        const int status = gsl_multimin_fdfminimizer_iterate(minimiser.get());
        ++result.iterations;
        if (status == GSL_SUCCESS)
          stalls = 0;
        else if (++stalls > 3)  // the line search cannot lower the energy any more
          break;
        else
          gsl_multimin_fdfminimizer_restart(minimiser.get());
      }
    std::vector<double> gradient(n);
    w.evaluate(minimiser->x->data, gradient.data(), &stress_);
    for (std::size_t k = 0; k < mobile.size(); ++k)
      for (std::size_t d = 0; d < 3; ++d)
        positions[3 * mobile[k] + d] = gsl_vector_get(minimiser->x, 3 * k + d);
    result.evaluations = w.evaluations;
    return result;
  }
} // namespace cryocycle::atomistic
