#include "continuum/events/deferred_far_field.h"

#include <Eigen/Dense>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace cryocycle::continuum
{
  namespace
  {
    constexpr double infinity = std::numeric_limits<double>::infinity();
    constexpr std::uint64_t never = std::numeric_limits<std::uint64_t>::max();

    /// The largest divisor of n not above `limit` (at least 1).
    std::size_t divisor_at_most(const std::size_t n, const std::size_t limit)
    {
      for (std::size_t d = std::min(n, std::max<std::size_t>(limit, 1)); d > 1; --d)
        if (n % d == 0)
          return d;
      return 1;
    }
  } // namespace

  DeferredFarField::DeferredFarField(const PointResponseView &view, const std::vector<SymmetricTensor6> &thermal_per_K_GPa,
                                     const std::vector<double> &yield_GPa, const DeferredFarFieldSettings &settings,
                                     const double trigger_tolerance)
    : thermal_(thermal_per_K_GPa)
    , yield_(yield_GPa)
    , settings_(settings)
    , tolerance_(trigger_tolerance)
    , responses_(view.responses)
    , n_(view.grid)
  {
    const std::size_t sites = view.grid_index.size();
    if (thermal_.size() != sites || yield_.size() != sites)
      throw std::invalid_argument(fmt::format("deferred far field: {} grid indices for {} sites", sites, thermal_.size()));
    if (sites > 0 && responses_ == nullptr)
      throw std::invalid_argument("deferred far field: a rank with sites needs the unit responses");
    if (settings_.events_between_solves > (std::size_t{1} << 31U))
      throw std::invalid_argument("deferred far field: at most 2^31 events between solves");
    const std::size_t total = n_[0] * n_[1] * n_[2];
    // Automatic: a solve (O(N log N) plus O(N) keys) per N/2048 events, at least 32 —
    // measured best at 32³ and 64³ on the avalanche RVE (bench/RESULTS.md).
    events_between_solves_ =
      settings_.events_between_solves > 0 ? settings_.events_between_solves : std::max<std::size_t>(32, total / 2048);
    for (std::size_t a = 0; a < 3; ++a)
      {
        edge_[a] = divisor_at_most(n_[a], settings_.block_edge);
        blocks_[a] = n_[a] / edge_[a];
        // Offsets −r..r must be distinct points of the periodic axis.
        radius_[a] = std::min(settings_.near_radius, (n_[a] - 1) / 2);
      }
    block_total_ = blocks_[0] * blocks_[1] * blocks_[2];
    position_.resize(sites);
    block_of_.resize(sites);
    local_of_point_.assign(total, -1);
    block_start_.assign(block_total_ + 1, 0);
    for (std::size_t i = 0; i < sites; ++i)
      {
        const std::size_t g = view.grid_index[i];
        if (g >= total)
          throw std::invalid_argument(fmt::format("deferred far field: grid index {} of {}", g, total));
        position_[i] = {g % n_[0], (g / n_[0]) % n_[1], g / (n_[0] * n_[1])};
        local_of_point_[g] = static_cast<std::int64_t>(i);
        block_of_[i] = position_[i][0] / edge_[0] +
                       blocks_[0] * (position_[i][1] / edge_[1] + blocks_[1] * (position_[i][2] / edge_[2]));
        ++block_start_[block_of_[i] + 1];
      }
    for (std::size_t b = 0; b < block_total_; ++b)
      block_start_[b + 1] += block_start_[b];
    // The z-layers of blocks that hold local sites (an MPI rank's slab): the only ones visited.
    local_z_blocks_ = {blocks_[2], 0};
    for (std::size_t i = 0; i < sites; ++i)
      {
        const std::size_t bz = position_[i][2] / edge_[2];
        local_z_blocks_[0] = std::min(local_z_blocks_[0], bz);
        local_z_blocks_[1] = std::max(local_z_blocks_[1], bz + 1);
      }
    if (sites == 0)
      local_z_blocks_ = {0, 0};
    local_blocks_ = {local_z_blocks_[0] * blocks_[0] * blocks_[1], local_z_blocks_[1] * blocks_[0] * blocks_[1]};
    block_sites_.resize(sites);
    {
      std::vector<std::size_t> fill(block_start_.begin(), block_start_.end() - 1);
      for (std::size_t i = 0; i < sites; ++i)
        block_sites_[fill[block_of_[i]]++] = i;
    }
    // β per block offset: the largest bound g(r) = √(Σ_k σ_eq(response_k(r))²) over the
    // separations r of a site and an event in blocks that far apart, outside the near zone.
    // Every rank needs it for its own blocks; ranks without sites have no responses and no use.
    const std::size_t block_volume = edge_[0] * edge_[1] * edge_[2];
    beta_.assign(block_volume * block_total_, 0.0);
    if (sites == 0)
      return;
    // g(r): the largest σ_eq at offset r per unit Euclidean norm of a deviatoric Δε* (Voigt
    // entries): the largest singular value of A T B, T the 6 × 6 response at r, A the von Mises
    // weighting (σ_eq = |A σ|) and B an orthonormal basis of the deviatoric Voigt vectors.
    Eigen::Matrix<double, 6, 6> weight = Eigen::Matrix<double, 6, 6>::Zero();
    for (std::size_t a = 0; a < 3; ++a)
      for (std::size_t b = 0; b < 3; ++b)
        weight(static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(b)) = std::sqrt(1.5) * ((a == b ? 1.0 : 0.0) - 1.0 / 3.0);
    for (Eigen::Index a = 3; a < 6; ++a)
      weight(a, a) = std::sqrt(3.0);
    Eigen::Matrix<double, 6, 5> basis = Eigen::Matrix<double, 6, 5>::Zero();
    basis(0, 0) = 1.0 / std::sqrt(2.0);
    basis(1, 0) = -1.0 / std::sqrt(2.0);
    basis(0, 1) = 1.0 / std::sqrt(6.0);
    basis(1, 1) = 1.0 / std::sqrt(6.0);
    basis(2, 1) = -2.0 / std::sqrt(6.0);
    basis(3, 2) = basis(4, 3) = basis(5, 4) = 1.0;
    std::vector<double> g(total);
    for (std::size_t r = 0; r < total; ++r)
      {
        Eigen::Matrix<double, 6, 6> response;
        for (std::size_t k = 0; k < 6; ++k)
          for (std::size_t c = 0; c < 6; ++c)
            response(static_cast<Eigen::Index>(c), static_cast<Eigen::Index>(k)) = responses_[r][6 * k + c];
        const Eigen::Matrix<double, 6, 5> map = weight * response * basis;
        const Eigen::Matrix<double, 5, 5> gram = map.transpose() * map;
        const double largest = Eigen::SelfAdjointEigenSolver<Eigen::Matrix<double, 5, 5>>(gram, Eigen::EigenvaluesOnly).eigenvalues()(4);
        // A hair above the computed value, so that round-off cannot make the bound too small.
        g[r] = std::sqrt(std::max(0.0, largest)) * (1.0 + 1e-9) + 1e-300;
      }
    // β per position v of the event within its block and block offset Δb: the largest g over
    // the sites u of the block Δb away, outside the near zone.
    for (std::size_t v = 0; v < block_volume; ++v)
      {
        const std::array<std::size_t, 3> vp{v % edge_[0], (v / edge_[0]) % edge_[1], v / (edge_[0] * edge_[1])};
        for (std::size_t db = 0; db < block_total_; ++db)
          {
            const std::array<std::size_t, 3> b{db % blocks_[0], (db / blocks_[0]) % blocks_[1], db / (blocks_[0] * blocks_[1])};
            double beta = 0.0;
            std::array<std::size_t, 3> u{};
            for (u[2] = 0; u[2] < edge_[2]; ++u[2])
              for (u[1] = 0; u[1] < edge_[1]; ++u[1])
                for (u[0] = 0; u[0] < edge_[0]; ++u[0])
                  {
                    std::array<std::size_t, 3> r{};
                    bool is_near = true;
                    for (std::size_t a = 0; a < 3; ++a)
                      {
                        r[a] = (b[a] * edge_[a] + u[a] + n_[a] - vp[a]) % n_[a];
                        is_near = is_near && std::min(r[a], n_[a] - r[a]) <= radius_[a];
                      }
                    if (!is_near)
                      beta = std::max(beta, g[flat(r)]);
                  }
            beta_[v * block_total_ + db] = beta;
          }
      }
    thermal_deviator_.resize(sites);
    thermal_square_.resize(sites);
    for (std::size_t i = 0; i < sites; ++i)
      {
        thermal_deviator_[i] = deviator(thermal_[i]);
        thermal_square_[i] = 1.5 * double_contraction(thermal_deviator_[i], thermal_deviator_[i]);
      }
    residual_.resize(sites);
    near_.resize(sites);
    key_base_.resize(sites);
    slope_.resize(sites);
    base_.resize(sites);
    early_u_.resize(sites);
    root_u_.resize(sites);
    root_K_.resize(sites);
    applied_.resize(sites);
    epoch_.resize(sites);
    bound_.resize(block_total_);
    block_epoch_.resize(block_total_);
    exact_epoch_.resize(block_total_);
    stale_min_a_.resize(block_total_);
    stale_max_s_.resize(block_total_);
    exact_min_a_.resize(block_total_);
    exact_max_s_.resize(block_total_);
    exact_min_root_.resize(block_total_);
    exact_min_early_.resize(block_total_);
  }

  bool DeferredFarField::near(const std::array<std::size_t, 3> &a, const std::array<std::size_t, 3> &b) const
  {
    for (std::size_t k = 0; k < 3; ++k)
      {
        const std::size_t d = a[k] >= b[k] ? a[k] - b[k] : b[k] - a[k];
        if (std::min(d, n_[k] - d) > radius_[k])
          return false;
      }
    return true;
  }

  SymmetricTensor6 DeferredFarField::response(const std::array<std::size_t, 3> &to, const std::array<std::size_t, 3> &from,
                                              const SymmetricTensor6 &d) const
  {
    const std::array<std::size_t, 3> r{(to[0] + n_[0] - from[0]) % n_[0], (to[1] + n_[1] - from[1]) % n_[1],
                                       (to[2] + n_[2] - from[2]) % n_[2]};
    const double *g = responses_[flat(r)].data();
    SymmetricTensor6 s;
    for (std::size_t c = 0; c < 6; ++c)
      s[c] = d[0] * g[c] + d[1] * g[6 + c] + d[2] * g[12 + c] + d[3] * g[18 + c] + d[4] * g[24 + c] + d[5] * g[30 + c];
    return s;
  }

  void DeferredFarField::compute_key(const std::size_t i)
  {
    const double u_now = direction_ * current_K_;
    const double u_end = direction_ * end_K_;
    const double y_low = yield_[i] * (1.0 - 2.0 * tolerance_);
    // σ_eq² = a ΔT² + 2 b ΔT + c (as von_mises_quadratic, with dev S_T and a kept per site).
    const VonMisesQuadratic q =
      von_mises_quadratic_of_deviators(thermal_deviator_[i], thermal_square_[i], deviator(known_residual(i)));
    const double a = q.a, b = q.b, c = q.c;
    const double f_now = std::sqrt(std::max(0.0, q.squared_at(current_K_))) - y_low;
    double early = u_now;
    double slope = 0.0;
    if (f_now < 0.0)
      {
        // Inside the yield surface now: the ramp leaves it through the root on its side (the
        // logic of first_yield_temperature_change; a bound needs no more than its accuracy,
        // far inside the 1e-9 margin of σ_y (1 − 2 tol)).
        const double y2 = y_low * y_low;
        const double discriminant = b * b - a * (c - y2);
        double root_u = infinity;
        if (a > 0.0 && discriminant > 0.0)
          {
            const double p = -(b + std::copysign(std::sqrt(discriminant), b));
            double low = p / a;
            double high = p != 0.0 ? (c - y2) / p : -low;
            if (low > high)
              std::swap(low, high);
            const double exit = direction_ > 0.0 ? high : low;
            if (direction_ * exit >= u_now && direction_ * exit <= u_end)
              root_u = direction_ * exit;
          }
        if (root_u < infinity)
          {
            early = root_u;
            slope = (early - u_now) / -f_now;
          }
        else
          {
            // No root before the end: σ_eq − σ_y(1 − 2 tol) <= max(f_now, f_end) < 0 on the whole
            // ramp (convexity), so no error below that can make the site trigger; any line
            // through (|f_max|, u_now) that stays beyond the end at B = 0 is a valid key.
            const double f_max = std::max(f_now, std::sqrt(std::max(0.0, q.squared_at(end_K_))) - y_low);
            if (f_max < 0.0)
              {
                early = u_end + std::max(u_end - u_now, 1.0);
                slope = (early - u_now) / -f_max;
              }
          }
      }
    early_u_[i] = early;
    slope_[i] = slope;
    key_base_[i] = early + base_[i] * slope;
  }

  void DeferredFarField::start(const std::vector<SymmetricTensor6> &residual_GPa, const double current_K, const double end_K)
  {
    if (residual_GPa.size() != position_.size())
      throw std::invalid_argument(fmt::format("deferred far field: {} stresses for {} sites", residual_GPa.size(), position_.size()));
    direction_ = end_K >= current_K ? 1.0 : -1.0;
    current_K_ = current_K;
    end_K_ = end_K;
    log_.clear();
    if (position_.empty())
      return;
    residual_ = residual_GPa;
    std::fill(near_.begin(), near_.end(), SymmetricTensor6{});
    std::fill(bound_.begin(), bound_.end(), 0.0);
    std::fill(block_epoch_.begin(), block_epoch_.end(), 0);
    std::fill(exact_epoch_.begin(), exact_epoch_.end(), 0);
    std::fill(stale_min_a_.begin(), stale_min_a_.end(), infinity);
    std::fill(stale_max_s_.begin(), stale_max_s_.end(), 0.0);
    std::fill(exact_min_a_.begin(), exact_min_a_.end(), infinity);
    std::fill(exact_max_s_.begin(), exact_max_s_.end(), 0.0);
    std::fill(exact_min_root_.begin(), exact_min_root_.end(), infinity);
    std::fill(exact_min_early_.begin(), exact_min_early_.end(), infinity);
    // Every site starts "stale" with no error: its key is its first root at σ_y (1 − 2 tol).
    for (std::size_t i = 0; i < position_.size(); ++i)
      {
        base_[i] = 0.0;
        applied_[i] = 0;
        epoch_[i] = never;
        compute_key(i);
        const std::size_t b = block_of_[i];
        stale_min_a_[b] = std::min(stale_min_a_[b], key_base_[i]);
        stale_max_s_[b] = std::max(stale_max_s_[b], slope_[i]);
      }
  }

  void DeferredFarField::advance(const double current_K) { current_K_ = current_K; }

  void DeferredFarField::refresh(const std::size_t i)
  {
    const std::size_t end = log_.size();
    for (std::size_t e = applied_[i]; e < end; ++e)
      {
        const Event &event = log_[e];
        if (near(position_[i], event.position))
          continue;  // applied when it happened
        const SymmetricTensor6 d = response(position_[i], event.position, event.increment);
        for (std::size_t c = 0; c < 6; ++c)
          residual_[i][c] += d[c];
        ++applications_;
      }
    ++refreshed_;
    const std::size_t b = block_of_[i];
    applied_[i] = static_cast<std::uint32_t>(end);
    base_[i] = bound_[b];
    compute_key(i);
    const auto root = first_yield_temperature_change(thermal_[i], known_residual(i), yield_[i], current_K_, end_K_);
    root_K_[i] = root ? *root : infinity;
    root_u_[i] = root ? direction_ * *root : infinity;
    add_to_exact_part(b, i);
  }

  void DeferredFarField::merge_exact_part(const std::size_t b)
  {
    if (exact_epoch_[b] == block_epoch_[b])
      return;
    // The block's error grew since its exact sites were brought to date: they are stale now.
    stale_min_a_[b] = std::min(stale_min_a_[b], exact_min_a_[b]);
    stale_max_s_[b] = std::max(stale_max_s_[b], exact_max_s_[b]);
    exact_min_a_[b] = infinity;
    exact_max_s_[b] = 0.0;
    exact_min_root_[b] = infinity;
    exact_min_early_[b] = infinity;
    exact_epoch_[b] = block_epoch_[b];
  }

  void DeferredFarField::add_to_exact_part(const std::size_t b, const std::size_t i)
  {
    merge_exact_part(b);
    epoch_[i] = block_epoch_[b];
    exact_min_a_[b] = std::min(exact_min_a_[b], key_base_[i]);
    exact_max_s_[b] = std::max(exact_max_s_[b], slope_[i]);
    exact_min_root_[b] = std::min(exact_min_root_[b], root_u_[i]);
    exact_min_early_[b] = std::min(exact_min_early_[b], early_u_[i]);
  }

  double DeferredFarField::trigger_bound(const std::size_t b)
  {
    merge_exact_part(b);
    return std::min(stale_min_a_[b] - bound_[b] * stale_max_s_[b], exact_min_root_[b]);
  }

  double DeferredFarField::unstable_bound(const std::size_t b)
  {
    merge_exact_part(b);
    return std::min(stale_min_a_[b] - bound_[b] * stale_max_s_[b], exact_min_early_[b]);
  }

  void DeferredFarField::scan(const std::size_t b, double threshold, const ScanMode mode, const double temperature_change_K,
                              std::vector<std::size_t> *unstable)
  {
    merge_exact_part(b);
    const double bound = bound_[b];
    double min_key = infinity;
    double max_s = 0.0;
    for (std::size_t k = block_start_[b]; k < block_start_[b + 1]; ++k)
      {
        const std::size_t i = block_sites_[k];
        if (!exact(i))
          {
            const double key = key_base_[i] - bound * slope_[i];
            if (key > threshold)
              {
                min_key = std::min(min_key, key);
                max_s = std::max(max_s, slope_[i]);
                continue;
              }
            refresh(i);
          }
        if (mode == ScanMode::trigger)
          {
            if (root_u_[i] < threshold)
              threshold = root_u_[i];
          }
        else if (early_u_[i] <= threshold)
          {
            const SymmetricTensor6 residual = known_residual(i);
            SymmetricTensor6 stress;
            for (std::size_t c = 0; c < 6; ++c)
              stress[c] = temperature_change_K * thermal_[i][c] + residual[c];
            const double sigma_eq = von_mises_equivalent(stress);
            if (sigma_eq >= yield_[i] * (1.0 - tolerance_) && sigma_eq > 0.0)
              unstable->push_back(i);
          }
      }
    // The stale sites' bound, tight at the present C_b: min_i (A_i − C_b s_i) = A − C_b max s.
    stale_min_a_[b] = min_key + bound * max_s;
    stale_max_s_[b] = max_s;
    // The exact part was rebuilt by refresh() for the sites brought to date; recompute it whole.
    exact_min_a_[b] = infinity;
    exact_max_s_[b] = 0.0;
    exact_min_root_[b] = infinity;
    exact_min_early_[b] = infinity;
    for (std::size_t k = block_start_[b]; k < block_start_[b + 1]; ++k)
      {
        const std::size_t i = block_sites_[k];
        if (exact(i))
          {
            exact_min_a_[b] = std::min(exact_min_a_[b], key_base_[i]);
            exact_max_s_[b] = std::max(exact_max_s_[b], slope_[i]);
            exact_min_root_[b] = std::min(exact_min_root_[b], root_u_[i]);
            exact_min_early_[b] = std::min(exact_min_early_[b], early_u_[i]);
          }
      }
  }

  std::optional<double> DeferredFarField::next_trigger()
  {
    if (position_.empty())
      return std::nullopt;
    const double u_end = direction_ * end_K_;
    // Visiting a block changes no other block's bound. First the block of the lowest bound, then
    // by rising bound those that lie below the best trigger found there (usually few).
    double lowest = infinity;
    std::size_t first = block_total_;
    for (std::size_t b = local_blocks_[0]; b < local_blocks_[1]; ++b)
      if (block_start_[b + 1] > block_start_[b])
        if (const double lower = trigger_bound(b); lower < lowest)
          {
            lowest = lower;
            first = b;
          }
    double best_u = infinity;
    std::size_t best_block = block_total_;
    if (!(lowest <= u_end))
      return std::nullopt;
    scan(first, u_end, ScanMode::trigger, current_K_, nullptr);
    if (exact_min_root_[first] <= u_end)
      {
        best_u = exact_min_root_[first];
        best_block = first;
      }
    const double cut = std::min(best_u, u_end);
    order_.clear();
    for (std::size_t b = local_blocks_[0]; b < local_blocks_[1]; ++b)
      if (block_start_[b + 1] > block_start_[b] && b != first)
        if (const double lower = trigger_bound(b); lower <= cut && lower < best_u)
          order_.emplace_back(lower, b);
    std::sort(order_.begin(), order_.end());
    for (const auto &[lower, b] : order_)
      {
        if (lower >= best_u)
          break;
        scan(b, std::min(best_u, u_end), ScanMode::trigger, current_K_, nullptr);
        if (exact_min_root_[b] < best_u)
          {
            best_u = exact_min_root_[b];
            best_block = b;
          }
      }
    if (!(best_u <= u_end))
      return std::nullopt;
    // The ΔT of the best root, as first_yield_temperature_change gave it.
    for (std::size_t k = block_start_[best_block]; k < block_start_[best_block + 1]; ++k)
      if (const std::size_t i = block_sites_[k]; exact(i) && root_u_[i] == best_u)
        return root_K_[i];
    throw std::logic_error("deferred far field: the first trigger was lost");
  }

  void DeferredFarField::unstable_sites(const double temperature_change_K, std::vector<std::size_t> &sites)
  {
    sites.clear();
    const double u = direction_ * temperature_change_K;
    for (std::size_t b = local_blocks_[0]; b < local_blocks_[1]; ++b)
      if (block_start_[b + 1] > block_start_[b] && unstable_bound(b) <= u)
        scan(b, u, ScanMode::unstable, temperature_change_K, &sites);
    std::sort(sites.begin(), sites.end());
  }

  SymmetricTensor6 DeferredFarField::exact_residual(const std::size_t site)
  {
    if (!exact(site))
      refresh(site);
    return known_residual(site);
  }

  void DeferredFarField::add_events(const std::vector<std::size_t> &grid_points,
                                    const std::vector<SymmetricTensor6> &increments)
  {
    if (grid_points.size() != increments.size())
      throw std::invalid_argument("deferred far field: one increment per event point is needed");
    const std::size_t total = n_[0] * n_[1] * n_[2];
    for (std::size_t e = 0; e < grid_points.size(); ++e)
      {
        if (grid_points[e] >= total)
          throw std::invalid_argument(fmt::format("deferred far field: grid point {} of {}", grid_points[e], total));
        const std::size_t g = grid_points[e];
        Event event;
        event.position = {g % n_[0], (g / n_[0]) % n_[1], g / (n_[0] * n_[1])};
        event.block = event.position[0] / edge_[0] +
                      blocks_[0] * (event.position[1] / edge_[1] + blocks_[1] * (event.position[2] / edge_[2]));
        event.increment = increments[e];
        double norm2 = 0.0;
        for (const double v : event.increment)
          norm2 += v * v;
        event.norm = std::sqrt(norm2);
        // The bounds hold for deviatoric increments (every ST's Δε* = ε0 (3/2) dev σ/σ_eq).
        if (std::abs(event.increment[0] + event.increment[1] + event.increment[2]) > 1e-12 * event.norm)
          throw std::invalid_argument("deferred far field: an eigenstrain increment is not deviatoric");
        log_.push_back(event);
        if (position_.empty())
          continue;
        // Near zone: exact at once; the error of each changed site grows by the change's own size
        // until it is searched again.
        std::array<std::size_t, 3> p{};
        for (std::size_t oz = 0; oz <= 2 * radius_[2]; ++oz)
          {
            p[2] = (event.position[2] + n_[2] + oz - radius_[2]) % n_[2];
            for (std::size_t oy = 0; oy <= 2 * radius_[1]; ++oy)
              {
                p[1] = (event.position[1] + n_[1] + oy - radius_[1]) % n_[1];
                for (std::size_t ox = 0; ox <= 2 * radius_[0]; ++ox)
                  {
                    p[0] = (event.position[0] + n_[0] + ox - radius_[0]) % n_[0];
                    const std::int64_t local = local_of_point_[flat(p)];
                    if (local < 0)
                      continue;
                    const auto i = static_cast<std::size_t>(local);
                    const SymmetricTensor6 d = response(p, event.position, event.increment);
                    for (std::size_t c = 0; c < 6; ++c)
                      near_[i][c] += d[c];
                    const double change = von_mises_equivalent(d) * (1.0 + 1e-12);
                    base_[i] -= change;
                    key_base_[i] -= change * slope_[i];
                    epoch_[i] = never;
                    const std::size_t b = block_of_[i];
                    stale_min_a_[b] = std::min(stale_min_a_[b], key_base_[i]);
                    stale_max_s_[b] = std::max(stale_max_s_[b], slope_[i]);
                  }
              }
          }
        // Far: every block's error grows by β(offset) |Δε*|.
        const std::array<std::size_t, 3> eb{event.block % blocks_[0], (event.block / blocks_[0]) % blocks_[1],
                                            event.block / (blocks_[0] * blocks_[1])};
        const std::size_t v = event.position[0] % edge_[0] +
                              edge_[0] * (event.position[1] % edge_[1] + edge_[1] * (event.position[2] % edge_[2]));
        const double *beta_of_v = beta_.data() + v * block_total_;
        for (std::size_t bz = local_z_blocks_[0]; bz < local_z_blocks_[1]; ++bz)
          {
            const std::size_t dz = (bz + blocks_[2] - eb[2]) % blocks_[2];
            for (std::size_t by = 0; by < blocks_[1]; ++by)
              {
                const std::size_t dy = (by + blocks_[1] - eb[1]) % blocks_[1];
                const std::size_t row = blocks_[0] * (by + blocks_[1] * bz);
                const double *beta_row = beta_of_v + blocks_[0] * (dy + blocks_[1] * dz);
                for (std::size_t bx = 0; bx < blocks_[0]; ++bx)
                  {
                    const double beta = beta_row[(bx + blocks_[0] - eb[0]) % blocks_[0]];
                    if (beta > 0.0)
                      {
                        bound_[row + bx] += beta * event.norm;
                        ++block_epoch_[row + bx];
                      }
                  }
              }
          }
      }
  }
} // namespace cryocycle::continuum
