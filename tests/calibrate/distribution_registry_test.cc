// Tests of calibrate/distribution_registry.h: the explicit registration of the built-in
// families, lookup errors that list the known names, and factories that validate their input.

#include "calibrate/distribution_registry.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace cryocycle::calibrate
{
  TEST(DistributionRegistry, BuiltinFamiliesAreRegistered)
  {
    const DistributionRegistry& registry = builtin_distribution_registry();
    EXPECT_EQ(registry.family_names(),
              (std::vector<std::string>{"gaussian", "hyperbolic", "lomax", "weibull"}));
    for (const std::string& name : registry.family_names())
      {
        const DistributionFamily& family = registry.family(name);
        EXPECT_EQ(family.name, name);
        const auto distribution = family.make({1.5, 2.5});
        EXPECT_EQ(distribution->family(), name);
        EXPECT_EQ(distribution->parameter_names(), family.parameter_names);
        EXPECT_EQ(distribution->support(), family.support);
        EXPECT_TRUE(family.fit_maximum_likelihood);
      }
  }

  TEST(DistributionRegistry, UnknownFamilyListsKnownOnes)
  {
    try
      {
        builtin_distribution_registry().family("lognormal");
        FAIL() << "no exception";
      }
    catch (const std::invalid_argument& error)
      {
        const std::string message = error.what();
        EXPECT_NE(message.find("lognormal"), std::string::npos);
        EXPECT_NE(message.find("gaussian, hyperbolic, lomax, weibull"), std::string::npos);
      }
    EXPECT_FALSE(builtin_distribution_registry().contains("lognormal"));
    EXPECT_TRUE(builtin_distribution_registry().contains("hyperbolic"));
  }

  TEST(DistributionRegistry, FactoriesCheckParameters)
  {
    EXPECT_THROW(make_distribution("lomax", {6.0}), std::invalid_argument);
    EXPECT_THROW(make_distribution("lomax", {6.0, -0.4}), std::invalid_argument);
    const auto lomax = make_distribution("lomax", {6.0, 0.411});
    EXPECT_EQ(lomax->parameters(), (std::vector<double>{6.0, 0.411}));
  }

  TEST(DistributionRegistry, ExplicitRegistrationIntoAFreshRegistry)
  {
    DistributionRegistry registry;
    EXPECT_TRUE(registry.family_names().empty());
    register_all(registry);
    EXPECT_EQ(registry.family_names().size(), 4U);
    EXPECT_THROW(register_all(registry), std::invalid_argument); // duplicates are refused
    EXPECT_THROW(registry.add(DistributionFamily{}), std::invalid_argument);
  }
} // namespace cryocycle::calibrate
