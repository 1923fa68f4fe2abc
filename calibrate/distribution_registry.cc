#include "calibrate/distribution_registry.h"

#include <sstream>
#include <stdexcept>

namespace cryocycle::calibrate
{
  namespace
  {
    /// A factory for a two-parameter family whose constructor takes (first, second).
    template <typename ConcreteDistribution>
    std::function<std::unique_ptr<Distribution>(const std::vector<double>&)>
    two_parameter_factory(const std::string& name)
    {
      return [name](const std::vector<double>& parameters) -> std::unique_ptr<Distribution> {
        if (parameters.size() != 2)
          throw std::invalid_argument(name + " distribution: needs 2 parameters, got " +
                                      std::to_string(parameters.size()));
        return std::make_unique<ConcreteDistribution>(parameters[0], parameters[1]);
      };
    }

    std::string joined(const std::vector<std::string>& names)
    {
      std::string text;
      for (const auto& name : names)
        text += (text.empty() ? "" : ", ") + name;
      return text;
    }
  } // namespace

  void DistributionRegistry::add(DistributionFamily family)
  {
    if (family.name.empty())
      throw std::invalid_argument("distribution registry: a family needs a name");
    if (contains(family.name))
      throw std::invalid_argument("distribution registry: family '" + family.name +
                                  "' is already registered");
    std::string name = family.name;
    families_.emplace(std::move(name), std::move(family));
  }

  bool DistributionRegistry::contains(const std::string_view name) const
  {
    return families_.find(name) != families_.end();
  }

  const DistributionFamily& DistributionRegistry::family(const std::string_view name) const
  {
    const auto found = families_.find(name);
    if (found == families_.end())
      {
        std::ostringstream message;
        message << "unknown distribution family '" << name
                << "'; known families: " << joined(family_names());
        throw std::invalid_argument(message.str());
      }
    return found->second;
  }

  std::vector<std::string> DistributionRegistry::family_names() const
  {
    std::vector<std::string> names;
    names.reserve(families_.size());
    for (const auto& entry : families_)
      names.push_back(entry.first);
    return names;
  }

  void register_all(DistributionRegistry& registry)
  {
    registry.add({"gaussian",
                  {"mean", "standard_deviation"},
                  Support::real_line,
                  two_parameter_factory<GaussianDistribution>("gaussian"),
                  fit_gaussian});
    registry.add({"lomax",
                  {"shape_gamma", "scale_eta"},
                  Support::non_negative,
                  two_parameter_factory<LomaxDistribution>("lomax"),
                  fit_lomax});
    registry.add({"hyperbolic",
                  {"shape_lambda", "scale_beta"},
                  Support::positive,
                  two_parameter_factory<HyperbolicDistribution>("hyperbolic"),
                  fit_hyperbolic});
    registry.add({"weibull",
                  {"shape_k", "scale_lambda"},
                  Support::positive,
                  two_parameter_factory<WeibullDistribution>("weibull"),
                  fit_weibull});
  }

  const DistributionRegistry& builtin_distribution_registry()
  {
    static const DistributionRegistry registry = [] {
      DistributionRegistry built;
      register_all(built);
      return built;
    }();
    return registry;
  }

  std::unique_ptr<Distribution> make_distribution(const std::string_view family,
                                                  const std::vector<double>& parameters)
  {
    return builtin_distribution_registry().family(family).make(parameters);
  }
} // namespace cryocycle::calibrate
