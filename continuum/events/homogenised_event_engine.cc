#include "continuum/events/homogenised_event_engine.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace cryocycle::continuum
{
  HomogenisedCells::HomogenisedCells(const std::vector<SiteGeometry> &sites, ThresholdDistribution thresholds,
                                     const std::vector<double> &initial_state, const HomogenisedCellRule &cells,
                                     const std::uint64_t seed)
    : thresholds_(std::move(thresholds))
  {
    if (initial_state.size() != sites.size())
      throw std::invalid_argument(fmt::format("{} structural states for {} local cells", initial_state.size(), sites.size()));
    if (cells.site_volume_nm3 < 0.0 || !std::isfinite(cells.site_volume_nm3))
      throw std::invalid_argument(fmt::format("site volume {} nm³", cells.site_volume_nm3));
    cells_.reserve(sites.size());
    for (std::size_t i = 0; i < sites.size(); ++i)
      {
        HomogenisedCellRule rule_of_cell = cells;
        if (cells.site_volume_nm3 > 0.0)
          rule_of_cell.sites_per_cell = std::max(1.0, std::round(sites[i].volume_nm3 / cells.site_volume_nm3));
        cells_.emplace_back(sites[i].global_id, initial_state[i], rule_of_cell, thresholds_, seed);
      }
    mismatch_ = thresholds_.site_thermal_stress.get();
  }

  bool HomogenisedCells::yields_at(const std::size_t i, const double von_mises_GPa, const double tolerance) const
  {
    return cells_[i].yields_at(von_mises_GPa, tolerance, thresholds_);
  }

  bool HomogenisedCells::may_yield_below(const std::size_t i, const double upper_GPa) const
  {
    return cells_[i].may_yield_below(upper_GPa, thresholds_);
  }

  Transformation HomogenisedCells::transform(const std::size_t i, const double von_mises_GPa, const double rejuvenation)
  {
    const double before = cells_[i].transformed_sites();
    const double fraction = cells_[i].flip(von_mises_GPa, rejuvenation, thresholds_);
    return {fraction, cells_[i].transformed_sites() - before};
  }

  Transformation HomogenisedCells::activate(const std::size_t i, const double von_mises_GPa, const double sites,
                                            const double rejuvenation)
  {
    const double before = cells_[i].transformed_sites();
    const double fraction = cells_[i].activate(von_mises_GPa, sites, rejuvenation, thresholds_);
    return {fraction, cells_[i].transformed_sites() - before};
  }

  double HomogenisedCells::driving_offset_GPa(const std::size_t i) const
  {
    return mismatch_ ? cells_[i].mismatch_scale() * mismatch_->mean_GPa() : 0.0;
  }

  void HomogenisedCells::save(const std::size_t i, SiteStates &states) const
  {
    const auto &cell = cells_[i];
    auto record = cell.save();
    // (A pending trigger is not computed here: saving must not change the cells.)
    states.yield_stress_GPa.push_back(cell.last_trigger_stress_GPa());
    states.structural_state.push_back(cell.state());
    states.draws.push_back(static_cast<std::uint64_t>(record[1]));
    states.events.push_back(static_cast<std::uint64_t>(std::llround(std::min(cell.transformed_sites(), 1e18))));
    states.extra.push_back(std::move(record));
  }

  void HomogenisedCells::check_saved(const SiteStates &states) const
  {
    if (states.extra.size() != states.size())
      throw std::invalid_argument("saved cell states: the arrays differ in length or hold no cell records");
  }

  std::string HomogenisedCells::restore(const std::size_t i, const SiteStates &states, const std::size_t k)
  {
    try
      {
        cells_[i].restore(states.extra[k]);
      }
    catch (const std::invalid_argument &e)
      {
        return fmt::format("the saved state of cell {}: {}", cells_[i].id(), e.what());
      }
    return {};
  }

  double HomogenisedCells::relax(const std::vector<double> &relaxations, const double relaxation_per_event)
  {
    if (relaxations.size() != cells_.size())
      throw std::invalid_argument("one relaxation count per local cell is needed");
    if (!(relaxation_per_event >= 0.0 && relaxation_per_event <= 1.0))
      throw std::invalid_argument("the relaxation per event must lie in [0, 1]");
    double total = 0.0;
    for (std::size_t i = 0; i < cells_.size(); ++i)
      {
        cells_[i].relax(relaxations[i], relaxation_per_event, thresholds_);
        total += relaxations[i];
      }
    return total;
  }

  void HomogenisedCells::set_site_temperature_change(const std::vector<double> &temperature_change_K)
  {
    if (temperature_change_K.size() != cells_.size())
      throw std::invalid_argument("one temperature change per local cell is needed");
    if (!mismatch_)
      return;
    for (std::size_t i = 0; i < cells_.size(); ++i)
      cells_[i].set_mismatch_scale(mismatch_->scale(temperature_change_K[i]), thresholds_);
  }

  HomogenisedEventEngine::HomogenisedEventEngine(ElasticBackend &backend, ThresholdDistribution thresholds,
                                                 const std::vector<double> &initial_state, const EventRule &rule,
                                                 const HomogenisedCellRule &cells, const std::uint64_t seed)
    : EventEngine(backend,
                  std::make_unique<HomogenisedCells>(backend.local_sites(), std::move(thresholds), initial_state, cells,
                                                     seed),
                  rule, cells.deferred_strain_tolerance)
  {
  }

  void HomogenisedEventEngine::set_site_temperature_change(const std::vector<double> &temperature_change_K)
  {
    homogenised().set_site_temperature_change(temperature_change_K);
    refresh_triggers();
  }

  void HomogenisedEventEngine::set_site_temperature_change(const double temperature_change_K)
  {
    set_site_temperature_change(std::vector<double>(cells().size(), temperature_change_K));
  }

  double HomogenisedEventEngine::relax(const std::vector<double> &relaxations, const double relaxation_per_event)
  {
    const double total = homogenised().relax(relaxations, relaxation_per_event);
    refresh_triggers();
    return total;
  }

  std::vector<double> HomogenisedEventEngine::trigger_stress_GPa() const
  {
    std::vector<double> t(cells().size());
    for (std::size_t i = 0; i < t.size(); ++i)
      t[i] = population().trigger_stress_GPa(i);
    return t;
  }

  std::vector<double> HomogenisedEventEngine::structural_state() const
  {
    std::vector<double> s(cells().size());
    for (std::size_t i = 0; i < s.size(); ++i)
      s[i] = cells()[i].state();
    return s;
  }
} // namespace cryocycle::continuum
