#pragma once
/// @file
/// Potentials selectable by name in the config (`atomistic.potential.name`), registered
/// explicitly by register_builtin_potentials() — no static-initialiser registration, which a
/// static library would silently drop.

#include "atomistic/potential.h"

#include <functional>
#include <string>
#include <vector>

namespace cryocycle::atomistic
{
  class PotentialRegistry
  {
  public:
    using Factory = std::function<PotentialModel(const PotentialSettings &)>;

    /// Adds a potential; throws std::logic_error on a duplicate name.
    void add(const std::string &name, const std::string &summary, Factory factory);
    /// Builds the potential `name`; throws std::invalid_argument naming the known potentials.
    PotentialModel create(const std::string &name, const PotentialSettings &settings) const;
    /// Registered names in registration order.
    std::vector<std::string> names() const;
    /// One-line summary of `name`.
    const std::string &summary(const std::string &name) const;

  private:
    struct Entry
    {
      std::string name;
      std::string summary;
      Factory factory;
    };
    const Entry &find(const std::string &name) const;
    std::vector<Entry> entries_;
  };

  /// Registers wahnstrom_lj, cuzr_eam and lammps.
  void register_builtin_potentials(PotentialRegistry &registry);
  /// A registry holding the built-in potentials.
  const PotentialRegistry &builtin_potential_registry();
} // namespace cryocycle::atomistic
