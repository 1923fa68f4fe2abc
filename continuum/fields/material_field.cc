#include "continuum/fields/material_field.h"

#include "core/csv_table.h"
#include "core/random_stream.h"

#include <boost/random/normal_distribution.hpp>
#include <fmt/format.h>

#include <cmath>
#include <stdexcept>

namespace cryocycle::continuum
{
  namespace
  {
    constexpr const char *axis_names[3] = {"x", "y", "z"};

    /// Points of the lattice of spacing h that starts at `first` and covers [first, last].
    std::size_t lattice_points(const double first, const double last, const double h)
    {
      return static_cast<std::size_t>(std::floor((last - first) / h + 1e-9)) + 1;
    }
  } // namespace

  MaterialField MaterialField::constant(const double value)
  {
    if (!std::isfinite(value))
      throw std::invalid_argument("a constant material field needs a finite value");
    MaterialField field;
    field.kind_ = Kind::constant;
    field.value_ = value;
    field.description_ = fmt::format("constant {}", core::format_number(value));
    return field;
  }

  MaterialField MaterialField::from_grid(PeriodicGrid grid, const SampleExtent &sample)
  {
    for (std::size_t a = 0; a < 3; ++a)
      {
        const double h = grid.spacing_nm[a];
        const double edge = sample.upper_nm[a] - sample.lower_nm[a];
        if (sample.periodic)
          {
            const double period = grid.box_length_nm(a);
            if (std::abs(period - edge) > 1e-6 * edge)
              throw std::invalid_argument(fmt::format(
                "the grid's period along {} is {} points x {} nm = {} nm but the periodic sample "
                "is {} nm long; a periodic grid must not repeat its first plane at the far face",
                axis_names[a], grid.point_count[a], h, period, edge));
            continue;
          }
        // Site centres lie at least half a site inside the sample.
        const double need_low = sample.lower_nm[a] + 0.5 * sample.site_size_nm;
        const double need_high = sample.upper_nm[a] - 0.5 * sample.site_size_nm;
        const double have_low = grid.origin_nm[a];
        const double have_high = grid.origin_nm[a] + h * static_cast<double>(grid.point_count[a] - 1);
        const double slack = 1e-9 * std::max(1.0, std::abs(edge));
        if (have_low > need_low + slack || have_high < need_high - slack)
          throw std::invalid_argument(fmt::format(
            "the grid spans {} = {} .. {} nm but the site centres of the sample span {} .. {} nm; "
            "the grid must cover the whole sample",
            axis_names[a], have_low, have_high, need_low, need_high));
      }
    MaterialField field;
    field.kind_ = Kind::grid;
    field.periodic_ = sample.periodic;
    field.description_ = fmt::format("grid of {} x {} x {} points, spacing {} nm", grid.point_count[0],
                                     grid.point_count[1], grid.point_count[2], grid.spacing_nm[0]);
    field.grid_ = std::move(grid);
    return field;
  }

  MaterialField MaterialField::from_grid_file(const std::filesystem::path &file,
                                              const std::string &value_column,
                                              const SampleExtent &sample, const bool positive)
  {
    const core::CsvTable table = core::CsvTable::read(file);
    if (positive && table.has_column(value_column))
      {
        const auto &values = table.column(value_column);
        for (std::size_t row = 0; row < values.size(); ++row)
          if (!(values[row] > 0.0))
            throw std::runtime_error(fmt::format("{}:{}: column '{}': {} must be positive", file.string(),
                                                 table.line_of_row(row), value_column, values[row]));
      }
    try
      {
        PeriodicGrid grid =
          periodic_grid_from_points(table.column("x_nm"), table.column("y_nm"),
                                    table.column("z_nm"), table.column(value_column));
        MaterialField field = from_grid(std::move(grid), sample);
        field.description_ += " from " + file.string() + " (" + value_column + ")";
        return field;
      }
    catch (const std::exception &e)
      {
        throw std::runtime_error(file.string() + ": " + e.what());
      }
  }

  MaterialField MaterialField::gaussian_random(const GaussianRandomFieldSpec &spec,
                                               const SampleExtent &sample,
                                               const std::size_t max_grid_points)
  {
    if (!std::isfinite(spec.mean) || !(spec.standard_deviation >= 0.0) ||
        !std::isfinite(spec.standard_deviation) || !(spec.correlation_length_nm >= 0.0) ||
        !std::isfinite(spec.correlation_length_nm))
      throw std::invalid_argument("a random field needs a finite mean, and a finite non-negative "
                                  "standard deviation and correlation length");
    if (!(sample.site_size_nm > 0.0))
      throw std::invalid_argument("a random field needs a positive site size");
    MaterialField field;
    if (spec.correlation_length_nm == 0.0 || spec.standard_deviation == 0.0)
      {
        field.kind_ = Kind::site_noise;
        field.noise_ = spec;
        field.description_ = fmt::format("uncorrelated Gaussian, mean {}, standard deviation {}",
                                         core::format_number(spec.mean),
                                         core::format_number(spec.standard_deviation));
        return field;
      }

    const double h = sample.site_size_nm;
    const double padding = sample.periodic ? 0.0 : 3.0 * spec.correlation_length_nm;
    std::array<std::size_t, 3> count{};
    std::array<double, 3> spacing{};
    std::array<double, 3> origin{};
    std::size_t total = 1;
    for (std::size_t a = 0; a < 3; ++a)
      {
        const double edge = sample.upper_nm[a] - sample.lower_nm[a];
        if (sample.periodic)
          {
            // The grid points are the cell centres of a structured mesh of cells of size ~h.
            count[a] = std::max<std::size_t>(2, static_cast<std::size_t>(std::llround(edge / h)));
            spacing[a] = edge / static_cast<double>(count[a]);
            origin[a] = sample.lower_nm[a] + 0.5 * spacing[a];
          }
        else
          {
            // Whole cells of padding keep the grid aligned with the sample's cell centres.
            const double cells = std::ceil(padding / h);
            origin[a] = sample.lower_nm[a] + 0.5 * h - cells * h;
            const double last = sample.upper_nm[a] - 0.5 * h + cells * h;
            count[a] = std::max<std::size_t>(2, lattice_points(origin[a], last, h) + 1);
            spacing[a] = h;
          }
        total *= count[a];
        if (total > max_grid_points)
          throw std::invalid_argument(fmt::format(
            "a random field with correlation length {} nm on sites of {} nm over this sample "
            "needs more than {} grid points; use larger sites or correlation_length_nm: 0 "
            "(uncorrelated)",
            spec.correlation_length_nm, h, max_grid_points));
      }
    field.kind_ = Kind::grid;
    field.periodic_ = sample.periodic;
    field.grid_ = periodic_gaussian_random_grid(count, spacing, spec, origin);
    field.description_ = fmt::format(
      "correlated Gaussian, mean {}, standard deviation {}, correlation length {} nm "
      "(grid {} x {} x {})",
      core::format_number(spec.mean), core::format_number(spec.standard_deviation),
      spec.correlation_length_nm, count[0], count[1], count[2]);
    return field;
  }

  double MaterialField::at(const std::array<double, 3> &position_nm,
                           const std::uint64_t global_site_id) const
  {
    switch (kind_)
      {
        case Kind::constant:
          return value_;
        case Kind::site_noise:
          {
            auto stream = core::make_random_stream(noise_.seed, noise_.stream_purpose, global_site_id);
            boost::random::normal_distribution<double> normal(0.0, 1.0);
            return noise_.mean + noise_.standard_deviation * normal(stream);
          }
        case Kind::grid:
          return interpolate(position_nm);
      }
    return value_;
  }

  double MaterialField::interpolate(const std::array<double, 3> &position_nm) const
  {
    std::array<std::size_t, 3> low{};
    std::array<std::size_t, 3> high{};
    std::array<double, 3> weight{};
    for (std::size_t a = 0; a < 3; ++a)
      {
        const auto n = static_cast<long long>(grid_.point_count[a]);
        const double s = (position_nm[a] - grid_.origin_nm[a]) / grid_.spacing_nm[a];
        auto i = static_cast<long long>(std::floor(s));
        double t = s - static_cast<double>(i);
        if (periodic_)
          {
            i = ((i % n) + n) % n;
            low[a] = static_cast<std::size_t>(i);
            high[a] = static_cast<std::size_t>((i + 1) % n);
          }
        else
          {
            const double tolerance = 1e-9 * static_cast<double>(n);
            if (s < -tolerance || s > static_cast<double>(n - 1) + tolerance)
              throw std::out_of_range(fmt::format("position {} = {} nm lies outside the field's grid",
                                                  axis_names[a], position_nm[a]));
            i = std::clamp<long long>(i, 0, n - 2);
            t = std::clamp(s - static_cast<double>(i), 0.0, 1.0);
            low[a] = static_cast<std::size_t>(i);
            high[a] = static_cast<std::size_t>(i + 1);
          }
        weight[a] = t;
      }
    double value = 0.0;
    for (unsigned corner = 0; corner < 8; ++corner)
      {
        double w = 1.0;
        std::array<std::size_t, 3> index{};
        for (std::size_t a = 0; a < 3; ++a)
          {
            const bool upper = ((corner >> a) & 1U) != 0U;
            index[a] = upper ? high[a] : low[a];
            w *= upper ? weight[a] : 1.0 - weight[a];
          }
        if (w != 0.0)
          value += w * grid_.values[grid_.flat_index(index[0], index[1], index[2])];
      }
    return value;
  }
} // namespace cryocycle::continuum
