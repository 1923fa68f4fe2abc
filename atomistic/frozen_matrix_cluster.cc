#include "atomistic/frozen_matrix_cluster.h"

#include "core/random_stream.h"

#include <boost/random/uniform_01.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace cryocycle::atomistic
{
  AtomicConfiguration capture_configuration(LammpsSession &session)
  {
    AtomicConfiguration c;
    c.box = session.box();
    c.positions = session.gather_positions();
    c.types = session.gather_types();
    return c;
  }

  PeriodicCell::PeriodicCell(const SimulationBox &box) : low_(box.low)
  {
    h_ = Matrix3{{{box.high[0] - box.low[0], box.xy, box.xz}, {0.0, box.high[1] - box.low[1], box.yz},
                  {0.0, 0.0, box.high[2] - box.low[2]}}};
    h_inverse_ = inverse(h_);
  }

  Vector3 PeriodicCell::nearest_image(const Vector3 &d) const
  {
    auto s = multiply(h_inverse_, d);
    for (auto &f : s)
      f -= std::floor(f + 0.5);
    return multiply(h_, s);
  }

  Vector3 PeriodicCell::wrap(const Vector3 &x) const
  {
    auto s = multiply(h_inverse_, Vector3{x[0] - low_[0], x[1] - low_[1], x[2] - low_[2]});
    for (auto &f : s)
      {
        f -= std::floor(f);
        if (f >= 1.0)  // rounding of a value just below an integer
          f = 0.0;
      }
    const auto y = multiply(h_, s);
    return {y[0] + low_[0], y[1] + low_[1], y[2] + low_[2]};
  }

  double PeriodicCell::minimum_width() const
  {
    // Width along each axis = volume / area of the opposite face.
    const Vector3 a{h_[0][0], h_[1][0], h_[2][0]}, b{h_[0][1], h_[1][1], h_[2][1]}, c{h_[0][2], h_[1][2], h_[2][2]};
    const auto cross = [](const Vector3 &u, const Vector3 &v) {
      return Vector3{u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]};
    };
    const auto norm = [](const Vector3 &u) { return std::sqrt(u[0] * u[0] + u[1] * u[1] + u[2] * u[2]); };
    const double volume = h_[0][0] * h_[1][1] * h_[2][2];
    return std::min({volume / norm(cross(b, c)), volume / norm(cross(c, a)), volume / norm(cross(a, b))});
  }

  CarvedCluster carve_cluster(const AtomicConfiguration &sample, const PeriodicCell &cell, const Vector3 &centre,
                              const double inner_radius, const double outer_radius)
  {
    if (!(inner_radius > 0.0 && outer_radius >= inner_radius))
      throw std::invalid_argument("a cluster needs 0 < inner radius <= outer radius");
    if (2.0 * outer_radius > cell.minimum_width())
      throw std::invalid_argument(fmt::format("a cluster of radius {:.4g} (sphere plus frozen shell) does not fit in "
                                              "the sample: its smallest width is {:.4g}",
                                              outer_radius, cell.minimum_width()));
    CarvedCluster cluster;
    cluster.centre = centre;
    std::vector<std::size_t> shell;
    std::vector<Vector3> shell_offsets;
    const double inner2 = inner_radius * inner_radius, outer2 = outer_radius * outer_radius;
    for (std::size_t i = 0; i < sample.size(); ++i)
      {
        const auto x = sample.position(i);
        const auto d = cell.nearest_image({x[0] - centre[0], x[1] - centre[1], x[2] - centre[2]});
        const double r2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
        if (r2 < inner2)
          {
            cluster.atoms.push_back(i);
            cluster.offsets.push_back(d);
          }
        else if (r2 < outer2)
          {
            shell.push_back(i);
            shell_offsets.push_back(d);
          }
      }
    cluster.inner_count = cluster.atoms.size();
    cluster.atoms.insert(cluster.atoms.end(), shell.begin(), shell.end());
    cluster.offsets.insert(cluster.offsets.end(), shell_offsets.begin(), shell_offsets.end());
    return cluster;
  }

  namespace
  {
    std::vector<std::string> words(const std::string &line) { return lammps_words(line); }

    /// The cut-off on line 5 of a setfl / eam/fs file ("Nrho drho Nr dr cutoff").
    double eam_file_cutoff(const std::string &file)
    {
      std::ifstream in(file);
      if (!in)
        throw std::invalid_argument("cannot read the potential file " + file);
      std::string line;
      for (int i = 0; i < 5 && std::getline(in, line); ++i)
        {}
      const auto w = words(line);
      if (w.size() < 5)
        throw std::invalid_argument("line 5 of " + file + " is not 'Nrho drho Nr dr cutoff'");
      return std::stod(w[4]);
    }
  } // namespace

  PairCommandWords pair_command_words(const PotentialModel &potential)
  {
    PairCommandWords p;
    for (const auto &line : potential.pair_commands)
      {
        const auto w = words(line);
        if (!w.empty() && w[0] == "pair_style")
          p.style = w;
        else if (!w.empty() && w[0] == "pair_coeff" && p.coeff_lines++ == 0)
          p.first_coeff = w;
      }
    return p;
  }

  InteractionRange interaction_range(const PotentialModel &potential)
  {
    const auto words_of = pair_command_words(potential);
    const auto &style = words_of.style;
    const auto &coeff = words_of.first_coeff;
    if (style.size() < 2)
      throw std::invalid_argument("potential '" + potential.name + "' has no pair_style");
    const std::string &name = style[1];
    if (name.rfind("lj/", 0) == 0 && style.size() >= 3)
      return {std::stod(style[2]), false};
    if ((name == "eam/fs" || name == "eam/alloy") && coeff.size() >= 4)
      return {eam_file_cutoff(coeff[3]), true};
    throw std::invalid_argument("the interaction range of pair style '" + name +
                                "' is not known: give the frozen shell thickness explicitly");
  }

  std::vector<Vector3> random_sites(const SimulationBox &box, const std::size_t count, const std::uint64_t seed)
  {
    const PeriodicCell cell(box);
    auto engine = core::make_random_stream(seed, "frozen_matrix_sites");
    boost::random::uniform_01<double> uniform;
    std::vector<Vector3> sites;
    for (std::size_t i = 0; i < count; ++i)
      {
        const Vector3 s{uniform(engine), uniform(engine), uniform(engine)};
        const auto x = multiply(cell.h(), s);
        sites.push_back({x[0] + cell.low()[0], x[1] + cell.low()[1], x[2] + cell.low()[2]});
      }
    return sites;
  }

  std::vector<Vector3> slot_centres(const std::size_t count, const double spacing)
  {
    std::size_t n = 1;
    while (n * n * n < count)
      ++n;
    std::vector<Vector3> centres;
    for (std::size_t k = 0; k < count; ++k)
      centres.push_back({spacing * static_cast<double>(k % n), spacing * static_cast<double>((k / n) % n),
                         spacing * static_cast<double>(k / (n * n))});
    return centres;
  }
} // namespace cryocycle::atomistic
