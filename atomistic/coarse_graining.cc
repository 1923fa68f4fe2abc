#include "atomistic/coarse_graining.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace cryocycle::atomistic
{
  namespace
  {
    constexpr double pi = 3.14159265358979323846;

    Matrix3 inverse(const Matrix3 &m, const char *what)
    {
      const double det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) -
                         m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
                         m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
      if (!(std::abs(det) > 0.0) || !std::isfinite(det))
        throw std::invalid_argument(std::string(what) + " is singular");
      Matrix3 r{};
      r[0][0] = (m[1][1] * m[2][2] - m[1][2] * m[2][1]) / det;
      r[0][1] = (m[0][2] * m[2][1] - m[0][1] * m[2][2]) / det;
      r[0][2] = (m[0][1] * m[1][2] - m[0][2] * m[1][1]) / det;
      r[1][0] = (m[1][2] * m[2][0] - m[1][0] * m[2][2]) / det;
      r[1][1] = (m[0][0] * m[2][2] - m[0][2] * m[2][0]) / det;
      r[1][2] = (m[0][2] * m[1][0] - m[0][0] * m[1][2]) / det;
      r[2][0] = (m[1][0] * m[2][1] - m[1][1] * m[2][0]) / det;
      r[2][1] = (m[0][1] * m[2][0] - m[0][0] * m[2][1]) / det;
      r[2][2] = (m[0][0] * m[1][1] - m[0][1] * m[1][0]) / det;
      return r;
    }

    double determinant(const Matrix3 &m)
    {
      return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
             m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
    }

    Matrix3 product(const Matrix3 &a, const Matrix3 &b)
    {
      Matrix3 r{};
      for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j)
          for (int k = 0; k < 3; ++k)
            r[i][j] += a[i][k] * b[k][j];
      return r;
    }

    Vector3 multiply(const Matrix3 &m, const Vector3 &v)
    {
      return {m[0][0] * v[0] + m[0][1] * v[1] + m[0][2] * v[2], m[1][0] * v[0] + m[1][1] * v[1] + m[1][2] * v[2],
              m[2][0] * v[0] + m[2][1] * v[1] + m[2][2] * v[2]};
    }

    int floor_div(const int a, const int n) { return a >= 0 ? a / n : -((-a + n - 1) / n); }

    void check_field(const std::vector<double> &field, const std::size_t atoms, const std::size_t components,
                     const char *name)
    {
      if (components == 0 || field.size() != atoms * components)
        throw std::invalid_argument(fmt::format("{}: {} values for {} atoms × {} components", name, field.size(),
                                                atoms, components));
    }
  } // namespace

  Matrix3 identity_matrix() { return {{{1.0, 0.0, 0.0}, {0.0, 1.0, 0.0}, {0.0, 0.0, 1.0}}}; }

  PeriodicBox PeriodicBox::orthorhombic(const Vector3 &low, const Vector3 &high)
  {
    return triclinic(low, high, 0.0, 0.0, 0.0);
  }

  PeriodicBox PeriodicBox::triclinic(const Vector3 &low, const Vector3 &high, const double xy, const double xz,
                                     const double yz)
  {
    PeriodicBox b;
    b.low = low;
    b.edges = {{{high[0] - low[0], xy, xz}, {0.0, high[1] - low[1], yz}, {0.0, 0.0, high[2] - low[2]}}};
    if (!(b.edges[0][0] > 0.0 && b.edges[1][1] > 0.0 && b.edges[2][2] > 0.0))
      throw std::invalid_argument("a periodic box needs positive edge lengths");
    return b;
  }

  double PeriodicBox::volume() const { return std::abs(determinant(edges)); }

  Vector3 PeriodicBox::fractional(const Vector3 &r) const
  {
    return multiply(inverse(edges, "the box matrix"), {r[0] - low[0], r[1] - low[1], r[2] - low[2]});
  }

  Vector3 PeriodicBox::cartesian(const Vector3 &s) const
  {
    const Vector3 d = multiply(edges, s);
    return {low[0] + d[0], low[1] + d[1], low[2] + d[2]};
  }

  Vector3 PeriodicBox::widths() const
  {
    // Width along reciprocal direction k = V / |e_i × e_j|.
    Vector3 w{};
    const double v = volume();
    for (int k = 0; k < 3; ++k)
      {
        const int i = (k + 1) % 3, j = (k + 2) % 3;
        const Vector3 a{edges[0][i], edges[1][i], edges[2][i]}, b{edges[0][j], edges[1][j], edges[2][j]};
        const Vector3 c{a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
        w[k] = v / std::sqrt(c[0] * c[0] + c[1] * c[1] + c[2] * c[2]);
      }
    return w;
  }

  bool PeriodicBox::is_orthorhombic() const { return edges[0][1] == 0.0 && edges[0][2] == 0.0 && edges[1][2] == 0.0; }

  CoarseGrainingKernel::CoarseGrainingKernel(const double sigma, const double truncation_sigmas)
    : sigma_(sigma), cutoff_(sigma * truncation_sigmas), cutoff2_(cutoff_ * cutoff_)
  {
    if (!(sigma > 0.0) || !std::isfinite(sigma))
      throw std::invalid_argument(fmt::format("the coarse-graining width must be positive, got {}", sigma));
    if (!(truncation_sigmas >= 1.5) || !std::isfinite(truncation_sigmas))
      throw std::invalid_argument(
        fmt::format("the kernel truncation must be at least 1.5 σ_cg, got {} σ_cg", truncation_sigmas));
    const double t = truncation_sigmas;
    shift_ = std::exp(-0.5 * t * t);
    // ∫ exp(−s²/2σ²) over the ball of radius tσ, minus the shift times the ball's volume.
    const double gaussian_mass = std::pow(2.0 * pi * sigma * sigma, 1.5) *
                                 (std::erf(t / std::sqrt(2.0)) - std::sqrt(2.0 / pi) * t * std::exp(-0.5 * t * t));
    const double ball = 4.0 / 3.0 * pi * cutoff_ * cutoff_ * cutoff_;
    normalisation_ = 1.0 / (gaussian_mass - shift_ * ball);
  }

  double CoarseGrainingKernel::value(const double distance2) const
  {
    if (distance2 >= cutoff2_)
      return 0.0;
    return normalisation_ * (std::exp(-0.5 * distance2 / (sigma_ * sigma_)) - shift_);
  }

  double CoarseGrainingKernel::gradient_factor(const double distance2) const
  {
    if (distance2 >= cutoff2_)
      return 0.0;
    return -normalisation_ * std::exp(-0.5 * distance2 / (sigma_ * sigma_)) / (sigma_ * sigma_);
  }

  void CoarseGrainingKernel::value_and_gradient_factor(const double distance2, double &value,
                                                       double &gradient_factor) const
  {
    if (distance2 >= cutoff2_)
      {
        value = gradient_factor = 0.0;
        return;
      }
    const double e = normalisation_ * std::exp(-0.5 * distance2 / (sigma_ * sigma_));
    value = e - normalisation_ * shift_;
    gradient_factor = -e / (sigma_ * sigma_);
  }

  NeighbourSearch::NeighbourSearch(const PeriodicBox &box, const std::vector<double> &positions, const double cutoff)
    : box_(box), inverse_edges_(inverse(box.edges, "the box matrix")), cutoff_(cutoff)
  {
    if (positions.size() % 3 != 0)
      throw std::invalid_argument("positions must hold three coordinates per atom");
    if (!(cutoff > 0.0))
      throw std::invalid_argument("the neighbour cut-off must be positive");
    const std::size_t atoms = positions.size() / 3;
    const Vector3 w = box.widths();
    widths_ = w;
    orthorhombic_ = box.is_orthorhombic();
    for (int k = 0; k < 3; ++k)
      {
        // Cells at least a third of a cut-off wide; a point searches the cells its cut-off
        // sphere's bounding slab overlaps (about (2.7 r_cut)³ of volume), orthorhombic boxes
        // also skip the cells wholly outside the sphere.
        cells_[k] = std::max(1, std::min(1000, static_cast<int>(std::floor(3.0 * w[k] / cutoff))));
        reach_[k] = cutoff / w[k];
      }
    wrapped_.resize(atoms);
    std::vector<std::uint32_t> cell_of(atoms);
    const std::size_t cell_count = static_cast<std::size_t>(cells_[0]) * cells_[1] * cells_[2];
    cell_start_.assign(cell_count + 1, 0);
    for (std::size_t i = 0; i < atoms; ++i)
      {
        Vector3 s = multiply(inverse_edges_, {positions[3 * i] - box.low[0], positions[3 * i + 1] - box.low[1],
                                           positions[3 * i + 2] - box.low[2]});
        std::array<int, 3> c{};
        for (int k = 0; k < 3; ++k)
          {
            s[k] -= std::floor(s[k]);
            if (s[k] >= 1.0)  // −1e-17 − floor(−1e-17) rounds to 1
              s[k] = 0.0;
            c[k] = std::min(cells_[k] - 1, static_cast<int>(s[k] * cells_[k]));
          }
        wrapped_[i] = s;
        cell_of[i] = static_cast<std::uint32_t>((c[2] * cells_[1] + c[1]) * cells_[0] + c[0]);
        ++cell_start_[cell_of[i] + 1];
      }
    for (std::size_t c = 0; c < cell_count; ++c)
      cell_start_[c + 1] += cell_start_[c];
    cell_atoms_.resize(atoms);
    std::vector<std::uint32_t> fill(cell_start_.begin(), cell_start_.end() - 1);
    for (std::size_t i = 0; i < atoms; ++i)
      cell_atoms_[fill[cell_of[i]]++] = static_cast<std::uint32_t>(i);
  }

  void NeighbourSearch::find(const Vector3 &point, std::vector<Neighbour> &out) const
  {
    out.clear();
    Vector3 s = multiply(inverse_edges_, {point[0] - box_.low[0], point[1] - box_.low[1], point[2] - box_.low[2]});
    std::array<int, 3> first{}, last{};
    for (int k = 0; k < 3; ++k)
      {
        s[k] -= std::floor(s[k]);
        first[k] = static_cast<int>(std::floor((s[k] - reach_[k]) * cells_[k]));
        last[k] = static_cast<int>(std::floor((s[k] + reach_[k]) * cells_[k]));
      }
    const double cutoff2 = cutoff_ * cutoff_;
    const auto &h = box_.edges;
    // Squared distance from the point to the slab of unwrapped cell o along axis k (a lower
    // bound of the distance to the cell; their sum is one only for orthorhombic boxes).
    const auto slab_distance2 = [&](const int k, const int o) {
      const double below = static_cast<double>(o) / cells_[k] - s[k];
      const double above = s[k] - static_cast<double>(o + 1) / cells_[k];
      const double d = std::max({0.0, below, above}) * widths_[k];
      return orthorhombic_ ? d * d : 0.0;
    };
    // Every unwrapped cell index o stands for one (cell, image) pair, so each periodic image of
    // an atom is met at most once even when the search wraps around a small box several times.
    for (int oz = first[2]; oz <= last[2]; ++oz)
      {
        const double dz2 = slab_distance2(2, oz);
        if (dz2 >= cutoff2)
          continue;
        const int iz = floor_div(oz, cells_[2]);
        const int cz = oz - iz * cells_[2];
        for (int oy = first[1]; oy <= last[1]; ++oy)
          {
            const double dyz2 = dz2 + slab_distance2(1, oy);
            if (dyz2 >= cutoff2)
              continue;
            const int iy = floor_div(oy, cells_[1]);
            const int cy = oy - iy * cells_[1];
            for (int ox = first[0]; ox <= last[0]; ++ox)
              {
                if (dyz2 + slab_distance2(0, ox) >= cutoff2)
                  continue;
                const int ix = floor_div(ox, cells_[0]);
                const int cx = ox - ix * cells_[0];
                const std::size_t cell = (static_cast<std::size_t>(cz) * cells_[1] + cy) * cells_[0] + cx;
                const double image[3] = {static_cast<double>(ix) - s[0], static_cast<double>(iy) - s[1],
                                         static_cast<double>(iz) - s[2]};
                for (std::uint32_t n = cell_start_[cell]; n < cell_start_[cell + 1]; ++n)
                  {
                    const std::uint32_t atom = cell_atoms_[n];
                    const Vector3 &a = wrapped_[atom];
                    const double f0 = a[0] + image[0], f1 = a[1] + image[1], f2 = a[2] + image[2];
                    const Vector3 d{h[0][0] * f0 + h[0][1] * f1 + h[0][2] * f2, h[1][1] * f1 + h[1][2] * f2,
                                    h[2][2] * f2};
                    const double r2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
                    if (r2 < cutoff2)
                      out.push_back({atom, d, r2});
                  }
              }
          }
      }
  }

  Matrix3 CoarseGrainedDisplacement::small_strain() const
  {
    Matrix3 e{};
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 3; ++j)
        e[i][j] = 0.5 * (gradient[i][j] + gradient[j][i]);
    return e;
  }

  double CoarseGrainedDisplacement::volumetric_small_strain() const
  {
    return gradient[0][0] + gradient[1][1] + gradient[2][2];
  }

  double CoarseGrainedDisplacement::volume_change() const
  {
    Matrix3 f = gradient;
    for (int i = 0; i < 3; ++i)
      f[i][i] += 1.0;
    return determinant(f) - 1.0;
  }

  std::vector<Vector3> regular_site_grid(const PeriodicBox &box, const std::array<int, 3> &n)
  {
    if (n[0] < 1 || n[1] < 1 || n[2] < 1)
      throw std::invalid_argument("a site grid needs at least one site per edge");
    std::vector<Vector3> sites;
    sites.reserve(static_cast<std::size_t>(n[0]) * n[1] * n[2]);
    for (int k = 0; k < n[2]; ++k)
      for (int j = 0; j < n[1]; ++j)
        for (int i = 0; i < n[0]; ++i)
          sites.push_back(box.cartesian({(i + 0.5) / n[0], (j + 0.5) / n[1], (k + 0.5) / n[2]}));
    return sites;
  }

  std::array<int, 3> sites_per_edge_for_spacing(const PeriodicBox &box, const double spacing)
  {
    if (!(spacing > 0.0))
      throw std::invalid_argument("the site spacing must be positive");
    std::array<int, 3> n{};
    for (int k = 0; k < 3; ++k)
      {
        const double length =
          std::sqrt(box.edges[0][k] * box.edges[0][k] + box.edges[1][k] * box.edges[1][k] +
                    box.edges[2][k] * box.edges[2][k]);
        n[k] = std::max(1, static_cast<int>(std::lround(length / spacing)));
      }
    return n;
  }

  AffineAndPeriodic affine_and_periodic_displacements(const PeriodicBox &box1, const std::vector<double> &positions1,
                                                      const PeriodicBox &box2, const std::vector<double> &positions2)
  {
    if (positions1.size() != positions2.size() || positions1.size() % 3 != 0)
      throw std::invalid_argument("the two configurations differ in their number of atoms");
    AffineAndPeriodic r;
    r.box_deformation = product(box2.edges, inverse(box1.edges, "the first box matrix"));
    // w_i = low₂ − B low₁ + H₂ Δs_i with Δs_i the minimum-image change of fractional position.
    const Vector3 b_low = multiply(r.box_deformation, box1.low);
    const Vector3 offset{box2.low[0] - b_low[0], box2.low[1] - b_low[1], box2.low[2] - b_low[2]};
    const Matrix3 inv1 = inverse(box1.edges, "the first box matrix"), inv2 = inverse(box2.edges, "the second box matrix");
    r.periodic.resize(positions1.size());
    for (std::size_t i = 0; i < positions1.size() / 3; ++i)
      {
        const Vector3 s1 = multiply(inv1, {positions1[3 * i] - box1.low[0], positions1[3 * i + 1] - box1.low[1],
                                        positions1[3 * i + 2] - box1.low[2]});
        const Vector3 s2 = multiply(inv2, {positions2[3 * i] - box2.low[0], positions2[3 * i + 1] - box2.low[1],
                                        positions2[3 * i + 2] - box2.low[2]});
        Vector3 ds{};
        for (int k = 0; k < 3; ++k)
          ds[k] = (s2[k] - s1[k]) - std::round(s2[k] - s1[k]);
        const Vector3 w = multiply(box2.edges, ds);
        for (int k = 0; k < 3; ++k)
          r.periodic[3 * i + k] = offset[k] + w[k];
      }
    return r;
  }

  CoarseGraining::CoarseGraining(const PeriodicBox &box, const std::vector<double> &positions,
                                 std::vector<double> masses, const std::vector<double> &sigmas,
                                 const double truncation_sigmas)
    : masses_(std::move(masses)),
      kernels_([&] {
        if (sigmas.empty())
          throw std::invalid_argument("coarse graining needs at least one width σ_cg");
        std::vector<CoarseGrainingKernel> k;
        for (const double s : sigmas)
          k.emplace_back(s, truncation_sigmas);
        return k;
      }()),
      search_(box, positions,
              std::max_element(kernels_.begin(), kernels_.end(), [](const auto &a, const auto &b) {
                return a.cutoff() < b.cutoff();
              })->cutoff())
  {
    if (positions.size() != 3 * masses_.size())
      throw std::invalid_argument(
        fmt::format("{} coordinates for {} atom masses", positions.size(), masses_.size()));
    for (const double m : masses_)
      if (!(m > 0.0))
        throw std::invalid_argument("atom masses (coarse-graining weights) must be positive");
  }

  std::vector<std::vector<double>> CoarseGraining::average(const std::vector<Vector3> &points,
                                                           const std::vector<double> &field,
                                                           const std::size_t components,
                                                           const std::vector<double> &weights) const
  {
    check_field(field, atom_count(), components, "coarse-grained field");
    const std::vector<double> &w = weights.empty() ? masses_ : weights;
    if (w.size() != atom_count())
      throw std::invalid_argument("one coarse-graining weight per atom is needed");
    std::vector<std::vector<double>> result(kernels_.size(), std::vector<double>(points.size() * components, 0.0));
    std::vector<Neighbour> near;
    std::vector<double> sum(components);
    for (std::size_t p = 0; p < points.size(); ++p)
      {
        search_.find(points[p], near);
        for (std::size_t k = 0; k < kernels_.size(); ++k)
          {
            double z = 0.0;
            std::fill(sum.begin(), sum.end(), 0.0);
            for (const auto &n : near)
              {
                const double phi = w[n.atom] * kernels_[k].value(n.distance2);
                z += phi;
                for (std::size_t c = 0; c < components; ++c)
                  sum[c] += phi * field[n.atom * components + c];
              }
            if (!(z > 0.0))
              throw std::runtime_error(fmt::format(
                "no atom within the kernel cut-off {:g} of point ({:g}, {:g}, {:g})", kernels_[k].cutoff(),
                points[p][0], points[p][1], points[p][2]));
            for (std::size_t c = 0; c < components; ++c)
              result[k][p * components + c] = sum[c] / z;
          }
      }
    return result;
  }

  std::vector<std::vector<double>> CoarseGraining::density(const std::vector<Vector3> &points,
                                                           const std::vector<double> &field,
                                                           const std::size_t components) const
  {
    check_field(field, atom_count(), components, "coarse-grained density");
    std::vector<std::vector<double>> result(kernels_.size(), std::vector<double>(points.size() * components, 0.0));
    std::vector<Neighbour> near;
    for (std::size_t p = 0; p < points.size(); ++p)
      {
        search_.find(points[p], near);
        for (std::size_t k = 0; k < kernels_.size(); ++k)
          for (const auto &n : near)
            {
              const double phi = kernels_[k].value(n.distance2);
              for (std::size_t c = 0; c < components; ++c)
                result[k][p * components + c] += phi * field[n.atom * components + c];
            }
      }
    return result;
  }

  std::vector<std::vector<CoarseGrainedDisplacement>> CoarseGraining::displacement(
    const std::vector<Vector3> &points, const std::vector<double> &periodic, const Matrix3 &box_deformation) const
  {
    check_field(periodic, atom_count(), 3, "displacements");
    Matrix3 affine = box_deformation;
    for (int i = 0; i < 3; ++i)
      affine[i][i] -= 1.0;
    std::vector<std::vector<CoarseGrainedDisplacement>> result(kernels_.size(),
                                                               std::vector<CoarseGrainedDisplacement>(points.size()));
    std::vector<Neighbour> near;
    for (std::size_t p = 0; p < points.size(); ++p)
      {
        search_.find(points[p], near);
        for (std::size_t k = 0; k < kernels_.size(); ++k)
          {
            const auto &kernel = kernels_[k];
            double z = 0.0;
            Vector3 sum_u{}, sum_d{}, sum_gd{};
            Matrix3 sum_gdu{}, sum_gdd{};
            std::uint32_t count = 0;
            const double cutoff2 = kernel.cutoff() * kernel.cutoff();
            for (const auto &n : near)
              {
                if (n.distance2 >= cutoff2)
                  continue;
                ++count;
                const double m = masses_[n.atom];
                double phi = 0.0, gamma = 0.0;
                kernel.value_and_gradient_factor(n.distance2, phi, gamma);
                phi *= m, gamma *= m;
                const double *u = &periodic[3 * n.atom];
                z += phi;
                for (int a = 0; a < 3; ++a)
                  {
                    sum_u[a] += phi * u[a];
                    sum_d[a] += phi * n.separation[a];
                    sum_gd[a] += gamma * n.separation[a];
                    for (int b = 0; b < 3; ++b)
                      {
                        sum_gdu[a][b] += gamma * n.separation[a] * u[b];
                        sum_gdd[a][b] += gamma * n.separation[a] * n.separation[b];
                      }
                  }
              }
            if (!(z > 0.0))
              throw std::runtime_error(fmt::format("no atom within the kernel cut-off {:g} of point ({:g}, {:g}, {:g})",
                                                   kernel.cutoff(), points[p][0], points[p][1], points[p][2]));
            auto &out = result[k][p];
            out.weight_sum = z;
            out.atoms = count;
            Vector3 mean_u{}, mean_d{};
            for (int a = 0; a < 3; ++a)
              mean_u[a] = sum_u[a] / z, mean_d[a] = sum_d[a] / z;
            // A[a][b] = ∂_a ū_b and P[a][b] = ∂_a R̄_b (see the file comment).
            Matrix3 A{}, P{};
            for (int a = 0; a < 3; ++a)
              for (int b = 0; b < 3; ++b)
                {
                  A[a][b] = -(sum_gdu[a][b] - mean_u[b] * sum_gd[a]) / z;
                  P[a][b] = -(sum_gdd[a][b] - mean_d[b] * sum_gd[a]) / z;
                }
            Matrix3 P_inverse{};
            try
              {
                P_inverse = inverse(P, "∂R/∂r");
              }
            catch (const std::invalid_argument &)
              {
                throw std::runtime_error(fmt::format(
                  "the coarse-grained position gradient is singular at ({:g}, {:g}, {:g}) for σ_cg = {:g}: {} atoms "
                  "in the kernel (a wider σ_cg is needed)",
                  points[p][0], points[p][1], points[p][2], kernel.sigma(), count));
              }
            const Matrix3 D = product(P_inverse, A);  // D[c][b] = ∂u_b/∂R̄_c
            const Vector3 R{points[p][0] + mean_d[0], points[p][1] + mean_d[1], points[p][2] + mean_d[2]};
            const Vector3 affine_at_R = multiply(affine, R);
            for (int b = 0; b < 3; ++b)
              {
                out.displacement[b] = mean_u[b] + affine_at_R[b];
                for (int c = 0; c < 3; ++c)
                  {
                    out.gradient[b][c] = D[c][b] + affine[b][c];
                    out.position_gradient[b][c] = P[c][b];
                    // Plain ∂_c u_b of the total field: the affine part enters through ∂R̄/∂r.
                    double affine_plain = 0.0;
                    for (int d = 0; d < 3; ++d)
                      affine_plain += affine[b][d] * P[c][d];
                    out.plain_gradient[b][c] = A[c][b] + affine_plain;
                  }
              }
          }
      }
    return result;
  }
} // namespace cryocycle::atomistic
