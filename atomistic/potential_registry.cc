#include "atomistic/potential_registry.h"

#include "atomistic/builtin_potentials.h"

#include <stdexcept>

namespace cryocycle::atomistic
{
  void PotentialRegistry::add(const std::string &name, const std::string &summary, Factory factory)
  {
    for (const auto &e : entries_)
      if (e.name == name)
        throw std::logic_error("potential '" + name + "' registered twice");
    entries_.push_back({name, summary, std::move(factory)});
  }

  const PotentialRegistry::Entry &PotentialRegistry::find(const std::string &name) const
  {
    for (const auto &e : entries_)
      if (e.name == name)
        return e;
    std::string known;
    for (const auto &e : entries_)
      known += (known.empty() ? "" : ", ") + e.name;
    throw std::invalid_argument("unknown potential '" + name + "' (known: " + known + ")");
  }

  PotentialModel PotentialRegistry::create(const std::string &name, const PotentialSettings &settings) const
  {
    return find(name).factory(settings);
  }

  std::vector<std::string> PotentialRegistry::names() const
  {
    std::vector<std::string> n;
    for (const auto &e : entries_)
      n.push_back(e.name);
    return n;
  }

  const std::string &PotentialRegistry::summary(const std::string &name) const { return find(name).summary; }

  void register_builtin_potentials(PotentialRegistry &registry)
  {
    registry.add("wahnstrom_lj",
                 "Wahnström binary Lennard-Jones glass former (Derlet & Maaß 2021, 2020), reduced units",
                 &make_wahnstrom_lj);
    registry.add("cuzr_eam", "Cu–Zr Mendelev eam/fs potential (CuZr_mm.eam.fs), metal units",
                 &make_cuzr_eam);
    registry.add("lammps", "any LAMMPS pair style with its pair_coeff lines, metal units",
                 &make_generic_lammps_potential);
  }

  const PotentialRegistry &builtin_potential_registry()
  {
    static const PotentialRegistry registry = [] {
      PotentialRegistry r;
      register_builtin_potentials(r);
      return r;
    }();
    return registry;
  }
} // namespace cryocycle::atomistic
