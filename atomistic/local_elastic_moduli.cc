#include "atomistic/local_elastic_moduli.h"

#include <Eigen/Dense>
#include <fmt/format.h>

#include <cmath>
#include <stdexcept>

namespace cryocycle::atomistic
{
  namespace
  {
    using Voigt = std::array<double, 6>;

    /// LAMMPS per-atom stress order xx, yy, zz, xy, xz, yz → Voigt xx, yy, zz, yz, xz, xy.
    constexpr int voigt_from_lammps[6] = {0, 1, 2, 5, 4, 3};

    Voigt voigt_strain(const Matrix3 &e)
    {
      return {e[0][0], e[1][1], e[2][2], 2.0 * e[1][2], 2.0 * e[0][2], 2.0 * e[0][1]};
    }

    /// Displacement gradient of Voigt direction j with amplitude δ, upper triangular so the
    /// strained box keeps LAMMPS's triclinic form.
    Matrix3 imposed_gradient(const int j, const double delta)
    {
      Matrix3 g{};
      if (j < 3)
        g[j][j] = delta;
      else if (j == 3)
        g[1][2] = delta;  // u_y = γ z
      else if (j == 4)
        g[0][2] = delta;  // u_x = γ z
      else
        g[0][1] = delta;  // u_x = γ y
      return g;
    }

    void mean_and_deviation(const std::vector<IsotropicModuli> &m, IsotropicModuli &mean, IsotropicModuli &deviation)
    {
      const double n = static_cast<double>(m.size());
      mean = {};
      for (const auto &x : m)
        mean.bulk += x.bulk / n, mean.shear += x.shear / n;
      double sk = 0.0, sg = 0.0;
      for (const auto &x : m)
        sk += std::pow(x.bulk - mean.bulk, 2), sg += std::pow(x.shear - mean.shear, 2);
      deviation.bulk = m.size() > 1 ? std::sqrt(sk / (n - 1.0)) : 0.0;
      deviation.shear = m.size() > 1 ? std::sqrt(sg / (n - 1.0)) : 0.0;
    }

    /// The box `change_box` sets: H' = F H with F = I + gradient, low corner kept.
    std::string change_box_command(const PeriodicBox &reference, const Matrix3 &gradient, const bool remap)
    {
      Matrix3 h{};
      for (int r = 0; r < 3; ++r)
        for (int c = 0; c < 3; ++c)
          {
            h[r][c] = reference.edges[r][c];
            for (int k = 0; k < 3; ++k)
              h[r][c] += gradient[r][k] * reference.edges[k][c];
          }
      const auto &lo = reference.low;
      return fmt::format("change_box all x final {:.17g} {:.17g} y final {:.17g} {:.17g} z final {:.17g} {:.17g} "
                         "xy final {:.17g} xz final {:.17g} yz final {:.17g}{} units box",
                         lo[0], lo[0] + h[0][0], lo[1], lo[1] + h[1][1], lo[2], lo[2] + h[2][2], h[0][1], h[0][2],
                         h[1][2], remap ? " remap" : "");
    }
  } // namespace

  IsotropicModuli isotropic_projection(const Stiffness &c)
  {
    double normal = 0.0, off = 0.0, shear = 0.0;
    for (int a = 0; a < 3; ++a)
      {
        normal += c[a][a];
        shear += c[a + 3][a + 3];
        for (int b = 0; b < 3; ++b)
          if (a != b)
            off += c[a][b];
      }
    // off holds C12 + C21 + ... (both triangles), so the averages use the symmetrised C.
    return {(normal + off) / 9.0, (normal - 0.5 * off + 3.0 * shear) / 15.0};
  }

  Stiffness fit_stiffness(const std::vector<Voigt> &strains, const std::vector<Voigt> &stresses)
  {
    const auto n = static_cast<Eigen::Index>(strains.size());
    if (strains.size() != stresses.size() || n < 7)
      throw std::invalid_argument("a stiffness fit needs at least seven states with strain and stress");
    // Columns scaled by the largest strain keep the normal equations well conditioned.
    double scale = 0.0;
    for (const auto &e : strains)
      for (const double x : e)
        scale = std::max(scale, std::abs(x));
    if (!(scale > 0.0))
      throw std::invalid_argument("a stiffness fit needs non-zero strains");
    Eigen::MatrixXd x(n, 7), y(n, 6);
    for (Eigen::Index i = 0; i < n; ++i)
      {
        x(i, 0) = 1.0;
        for (int b = 0; b < 6; ++b)
          {
            x(i, 1 + b) = strains[static_cast<std::size_t>(i)][b] / scale;
            y(i, b) = stresses[static_cast<std::size_t>(i)][b];
          }
      }
    const Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(x);
    if (qr.rank() < 7)
      throw std::runtime_error("the strains of a stiffness fit do not span the six directions");
    const Eigen::MatrixXd solution = qr.solve(y);
    Stiffness c{};
    for (int a = 0; a < 6; ++a)
      for (int b = 0; b < 6; ++b)
        c[a][b] = solution(1 + b, a) / scale;
    return c;
  }

  LocalModuliResult measure_local_elastic_moduli(MdSystem &system, const LocalModuliProtocol &p,
                                                 const SiteChooser &choose_sites,
                                                 const std::function<void(double)> &progress)
  {
    if (!(p.strain_amplitude > 0.0 && p.strain_amplitude < 0.05))
      throw std::invalid_argument(fmt::format("the strain amplitude must lie in (0, 0.05), got {}", p.strain_amplitude));
    if (p.sigma_cg_native.empty())
      throw std::invalid_argument("the local moduli need at least one coarse-graining width");
    auto &session = system.session();
    LocalModuliResult result;
    const int total_minimisations = 13 + (p.relax_box ? 1 : 0);
    const auto done = [&] {
      ++result.minimisations;
      if (progress)
        progress(static_cast<double>(result.minimisations) / total_minimisations);
    };
    // Measurement commands of this file: a triclinic box (shear strains), the virial part of
    // the per-atom stress, the strained boxes. The velocities play no part in an inherent
    // structure and are zeroed so thermo pressures are pure virials.
    session.commands({"velocity all set 0.0 0.0 0.0", "change_box all triclinic",
                      "compute cc_stress all stress/atom NULL virial"});
    if (p.relax_box)
      {
        system.minimise(true, 0.0, p.force_tolerance_native);
        done();
      }
    result.reference_energy_eV_per_atom = system.minimise(false, 0.0, p.force_tolerance_native);
    done();

    const auto atoms = static_cast<std::size_t>(system.atom_count());
    struct State
    {
      PeriodicBox box;
      std::vector<double> positions, stress;
    };
    const auto observe_state = [&] {
      system.observe();  // run 0: tallies the per-atom virial
      State s{periodic_box(session.box()), session.gather_positions(), session.gather_per_atom("c_cc_stress", 6)};
      if (s.stress.size() != 6 * atoms)
        throw std::runtime_error("compute stress/atom returned the wrong number of values");
      return s;
    };
    const State reference = observe_state();
    // The per-atom stress must add up to the box's virial stress (−P): catches a stale compute.
    double trace = 0.0;
    for (std::size_t i = 0; i < atoms; ++i)
      trace += reference.stress[6 * i] + reference.stress[6 * i + 1] + reference.stress[6 * i + 2];
    const double pressure = session.thermo("press");
    if (std::abs(trace / (3.0 * reference.box.volume()) + pressure) > 1e-8 * (1.0 + std::abs(pressure)))
      throw std::runtime_error(fmt::format("per-atom stresses (mean normal stress {}) do not add up to the box "
                                           "pressure ({})",
                                           trace / (3.0 * reference.box.volume()), pressure));

    result.sites = choose_sites(reference.box);
    const auto masses = atom_masses(system);
    const CoarseGraining cg(reference.box, reference.positions, masses, p.sigma_cg_native, p.truncation_sigmas);
    const std::size_t widths = p.sigma_cg_native.size(), sites = result.sites.size();
    const std::vector<double> unit_weights(atoms, 1.0);
    // strains[k][site] and stresses[k][site]: one Voigt vector per state.
    std::vector<std::vector<std::vector<Voigt>>> strains(widths, std::vector<std::vector<Voigt>>(sites)),
      stresses = strains;
    std::vector<Voigt> box_strains, box_stresses;

    const auto record = [&](const State &s, const Matrix3 &imposed) {
      const double volume_per_atom = s.box.volume() / static_cast<double>(atoms);
      const auto mean_stress = cg.average(result.sites, s.stress, 6, unit_weights);
      std::vector<std::vector<CoarseGrainedDisplacement>> local;
      if (p.local_strain)
        {
          const auto split = affine_and_periodic_displacements(reference.box, reference.positions, s.box, s.positions);
          local = cg.displacement(result.sites, split.periodic, split.box_deformation);
        }
      Matrix3 imposed_strain{};
      for (int a = 0; a < 3; ++a)
        for (int b = 0; b < 3; ++b)
          imposed_strain[a][b] = 0.5 * (imposed[a][b] + imposed[b][a]);
      for (std::size_t k = 0; k < widths; ++k)
        for (std::size_t i = 0; i < sites; ++i)
          {
            Voigt sigma{};
            for (int c = 0; c < 6; ++c)
              sigma[voigt_from_lammps[c]] = mean_stress[k][6 * i + c] / volume_per_atom;
            stresses[k][i].push_back(sigma);
            strains[k][i].push_back(voigt_strain(p.local_strain ? local[k][i].small_strain() : imposed_strain));
          }
      Voigt box_sigma{};
      for (std::size_t a = 0; a < atoms; ++a)
        for (int c = 0; c < 6; ++c)
          box_sigma[voigt_from_lammps[c]] += s.stress[6 * a + c] / s.box.volume();
      box_stresses.push_back(box_sigma);
      box_strains.push_back(voigt_strain(imposed_strain));
    };
    record(reference, Matrix3{});
    for (int c = 0; c < 6; ++c)
      result.reference_box_stress[voigt_from_lammps[c]] = box_stresses.front()[voigt_from_lammps[c]];

    for (int j = 0; j < 6; ++j)
      for (const double sign : {1.0, -1.0})
        {
          const Matrix3 gradient = imposed_gradient(j, sign * p.strain_amplitude);
          // Back to the reference box and positions, then the affine strain of box and atoms.
          session.command(change_box_command(reference.box, Matrix3{}, false));
          session.scatter_positions(reference.positions);
          session.command(change_box_command(reference.box, gradient, true));
          system.minimise(false, 0.0, p.force_tolerance_native);
          done();
          record(observe_state(), gradient);
        }
    // Leave the system in its reference inherent structure.
    session.command(change_box_command(reference.box, Matrix3{}, false));
    session.scatter_positions(reference.positions);
    session.command("uncompute cc_stress");

    result.box_stiffness = fit_stiffness(box_strains, box_stresses);
    result.box_moduli = isotropic_projection(result.box_stiffness);
    result.widths.resize(widths);
    for (std::size_t k = 0; k < widths; ++k)
      {
        auto &w = result.widths[k];
        w.sigma_cg_native = p.sigma_cg_native[k];
        for (std::size_t i = 0; i < sites; ++i)
          {
            w.stiffness.push_back(fit_stiffness(strains[k][i], stresses[k][i]));
            w.moduli.push_back(isotropic_projection(w.stiffness.back()));
          }
        mean_and_deviation(w.moduli, w.mean, w.standard_deviation);
      }
    return result;
  }
} // namespace cryocycle::atomistic
