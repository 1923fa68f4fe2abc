#pragma once
/// @file
/// The families cryocycle can fit, by name. The registry is filled by an explicit call,
/// register_all(), rather than by static initialisers (which a static library silently drops):
/// configuration keys such as `yield_stress_families: [hyperbolic, weibull]` are validated
/// against family_names(), and a fit is dispatched through family(name).

#include "calibrate/distribution.h"
#include "calibrate/maximum_likelihood.h"

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace cryocycle::calibrate
{
  /// Everything the calibration needs to know about one family.
  struct DistributionFamily
  {
    /// Registry name, e.g. "lomax".
    std::string name;
    /// Parameter names in the order factories and fitters use.
    std::vector<std::string> parameter_names;
    /// Where data must lie for a fit (validated before fitting).
    Support support = Support::real_line;
    /// Builds a distribution from parameters in parameter_names order; throws
    /// std::invalid_argument for a wrong count or invalid values.
    std::function<std::unique_ptr<Distribution>(const std::vector<double>&)> make;
    /// Maximum-likelihood fit of samples (see maximum_likelihood.h).
    std::function<MaximumLikelihoodEstimate(const std::vector<double>&)> fit_maximum_likelihood;
  };

  /// Family name -> DistributionFamily.
  class DistributionRegistry
  {
  public:
    /// Adds a family; throws std::invalid_argument if the name is empty or already taken.
    void add(DistributionFamily family);
    /// True if a family of this name is registered.
    bool contains(std::string_view name) const;
    /// The family of this name; throws std::invalid_argument listing the known names otherwise.
    const DistributionFamily& family(std::string_view name) const;
    /// Registered names in alphabetical order.
    std::vector<std::string> family_names() const;

  private:
    std::map<std::string, DistributionFamily, std::less<>> families_;
  };

  /// Registers the built-in families: gaussian, lomax, hyperbolic, weibull.
  void register_all(DistributionRegistry& registry);

  /// A registry holding exactly the built-in families, built once by register_all() on first
  /// use (thread-safe function-local static).
  const DistributionRegistry& builtin_distribution_registry();

  /// builtin_distribution_registry().family(name).make(parameters).
  std::unique_ptr<Distribution> make_distribution(std::string_view family,
                                                  const std::vector<double>& parameters);
} // namespace cryocycle::calibrate
