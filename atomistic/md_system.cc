#include "atomistic/md_system.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace cryocycle::atomistic
{
  Ensemble ensemble_from_name(const std::string &name)
  {
    if (name == "npt")
      return Ensemble::npt;
    if (name == "nvt")
      return Ensemble::nvt;
    throw std::invalid_argument("unknown ensemble '" + name + "' (npt, nvt)");
  }

  Thermostat thermostat_from_name(const std::string &name)
  {
    if (name == "nose-hoover")
      return Thermostat::nose_hoover;
    if (name == "langevin")
      return Thermostat::langevin;
    if (name == "berendsen")
      return Thermostat::berendsen;
    if (name == "rescale")
      return Thermostat::rescale;
    throw std::invalid_argument("unknown thermostat '" + name + "' (nose-hoover, langevin, berendsen, rescale)");
  }

  int lammps_seed(const std::uint64_t stream_seed) { return static_cast<int>(stream_seed % 900000000ULL) + 1; }

  MdSystem::MdSystem(LammpsSession &session, PotentialModel potential, MdSettings settings)
    : session_(session), potential_(std::move(potential)), settings_(settings)
  {
    if (!(settings_.timestep_ps > 0.0))
      throw std::invalid_argument("the MD time step must be positive");
  }

  void MdSystem::begin_system()
  {
    session_.commands({"clear", "units " + potential_.units.lammps_style(), "atom_style atomic",
                       "atom_modify map array", "boundary p p p"});
  }

  void MdSystem::finish_setup()
  {
    const auto &u = potential_.units;
    for (std::size_t i = 0; i < potential_.species.size(); ++i)
      session_.command(fmt::format("mass {} {:.12g}", i + 1, potential_.native_mass(i)));
    session_.commands(potential_.pair_commands);
    session_.commands({fmt::format("neighbor {:.6g} bin", potential_.neighbor_skin_native),
                       "neigh_modify every 1 delay 0 check yes",
                       fmt::format("timestep {:.12g}", u.time_native(settings_.timestep_ps)),
                       "thermo_style custom step temp pe ke vol press", "thermo_modify norm no",
                       "thermo 0"});
    atoms_ = session_.atom_count();
  }

  void MdSystem::create_random_liquid(const std::int64_t atoms, const double number_density_per_nm3,
                                      const std::uint64_t seed)
  {
    if (atoms < 2)
      throw std::invalid_argument("a random liquid needs at least 2 atoms");
    if (!(number_density_per_nm3 > 0.0))
      throw std::invalid_argument("the liquid number density must be positive");
    const auto &u = potential_.units;
    const double density_native = number_density_per_nm3 * std::pow(u.nm_per_length(), 3);
    const double side = std::cbrt(static_cast<double>(atoms) / density_native);
    // Random placement can put two atoms almost on top of each other. Tabulated many-body
    // potentials (Mendelev eam/fs) turn over at such distances, and the overlap removal can then
    // sink the pair into that unphysical well (E ≈ −1e11 eV, forces ≈ 1e13 eV/Å) and stop on its
    // energy criterion; the melt would blow up ("Domain too large for neighbor bins"). Such a
    // placement is detected by its largest force (sane liquids: below 10 native units after the
    // removal; 1e4 is far above any real one in metal or LJ units) and redrawn with a derived
    // seed; attempt 0 is the plain seed, so every placement that worked before is unchanged.
    constexpr int attempts = 4;
    double largest_force = 0.0;
    for (int attempt = 0; attempt < attempts; ++attempt)
      {
        const std::uint64_t attempt_seed = seed + 104729ULL * static_cast<std::uint64_t>(attempt);
        begin_system();
        session_.commands({fmt::format("region cc_box block 0 {0:.12g} 0 {0:.12g} 0 {0:.12g}", side),
                           fmt::format("create_box {} cc_box", potential_.species.size())});
        // Exact counts per species; the last species takes the rounding remainder.
        std::int64_t placed = 0;
        for (std::size_t i = 0; i < potential_.species.size(); ++i)
          {
            const std::int64_t count =
              i + 1 == potential_.species.size()
                ? atoms - placed
                : static_cast<std::int64_t>(std::llround(potential_.species[i].fraction * static_cast<double>(atoms)));
            placed += count;
            if (count > 0)
              session_.command(fmt::format("create_atoms {} random {} {} NULL", i + 1, count,
                                           lammps_seed(attempt_seed + 7919 * i)));
          }
        finish_setup();
        if (atoms_ != atoms)
          throw std::runtime_error(fmt::format("placed {} of {} atoms in the random liquid", atoms_, atoms));
        // Only the overlaps of random placement need removing before the melt.
        session_.commands({"min_style cg", "min_modify dmax 0.1", "minimize 1.0e-4 1.0e-4 2000 20000"});
        largest_force = session_.thermo("fmax");
        if (largest_force < 1.0e4)
          break;
      }
    if (!(largest_force < 1.0e4))
      throw std::runtime_error(fmt::format("no overlap-free random liquid of {} atoms in {} placements (largest force "
                                           "{:.3g} in LAMMPS {} units after the overlap removal); try another seed "
                                           "or a lower density",
                                           atoms, attempts, largest_force, u.lammps_style()));
    steps_run_ = 0;
    time_ps_ = 0.0;
  }

  void MdSystem::create_crystal(const std::int64_t approximate_atoms)
  {
    if (!potential_.crystal)
      throw std::invalid_argument("potential '" + potential_.name + "' defines no crystal");
    const auto &c = *potential_.crystal;
    const auto basis = static_cast<double>(c.basis_types.size());
    const int cells = std::max(1, static_cast<int>(std::lround(std::cbrt(static_cast<double>(approximate_atoms) / basis))));
    // In lj units the lattice scale is a reduced density; in metal units the lattice constant.
    const double scale = potential_.units.reduced() ? basis / std::pow(c.lattice_constant_native, 3)
                                                    : c.lattice_constant_native;
    begin_system();
    std::string create = "create_atoms 1 box";
    for (std::size_t b = 0; b < c.basis_types.size(); ++b)
      create += fmt::format(" basis {} {}", b + 1, c.basis_types[b]);
    session_.commands({fmt::format("lattice {} {:.12g}", c.lattice_style, scale),
                       fmt::format("region cc_box block 0 {0} 0 {0} 0 {0}", cells),
                       fmt::format("create_box {} cc_box", potential_.species.size()), create});
    finish_setup();
    steps_run_ = 0;
    time_ps_ = 0.0;
  }

  void MdSystem::read_data(const std::filesystem::path &file)
  {
    if (!std::filesystem::exists(file))
      throw std::invalid_argument("data file " + file.string() + " does not exist");
    begin_system();
    // A data file with a Pair Coeffs section needs the pair style defined first.
    session_.command(potential_.pair_commands.front());
    session_.command("read_data " + lammps_quoted(file.string()));
    finish_setup();
    steps_run_ = 0;
    time_ps_ = 0.0;
  }

  void MdSystem::read_restart(const std::filesystem::path &file, const double time_ps)
  {
    if (!std::filesystem::exists(file))
      throw std::invalid_argument("restart file " + file.string() + " does not exist");
    begin_system();
    session_.command("read_restart " + lammps_quoted(file.string()));
    finish_setup();
    time_ps_ = time_ps;
  }

  void MdSystem::write_data(const std::filesystem::path &file)
  {
    // No force-field coefficients: the file describes the structure only (OVITO, any potential).
    session_.command("write_data " + lammps_quoted(file.string()) + " nocoeff");
  }

  void MdSystem::write_restart(const std::filesystem::path &file)
  {
    session_.command("write_restart " + lammps_quoted(file.string()));
  }

  void MdSystem::create_velocities(const double temperature_K, const std::uint64_t seed)
  {
    session_.command(fmt::format("velocity all create {:.12g} {} mom yes rot no dist gaussian loop geom",
                                 potential_.units.temperature_native(temperature_K), lammps_seed(seed)));
  }

  void MdSystem::scale_velocities(const double temperature_K)
  {
    session_.command(fmt::format("velocity all scale {:.12g}", potential_.units.temperature_native(temperature_K)));
  }

  std::int64_t MdSystem::steps_for(const double duration_ps) const
  {
    return static_cast<std::int64_t>(std::llround(duration_ps / settings_.timestep_ps));
  }

  MdObservation MdSystem::observation_after_run()
  {
    const auto &u = potential_.units;
    MdObservation o;
    o.step = static_cast<std::int64_t>(session_.thermo("step"));
    o.time_ps = time_ps_;
    o.temperature_native = session_.thermo("temp");
    o.potential_energy_native_per_atom = session_.thermo("pe") / static_cast<double>(atoms_);
    o.volume_native = session_.thermo("vol");
    o.pressure_native = session_.thermo("press");
    o.temperature_K = o.temperature_native * u.kelvin_per_temperature();
    o.potential_energy_eV_per_atom = o.potential_energy_native_per_atom * u.eV_per_energy();
    o.volume_nm3 = u.volume_nm3(o.volume_native);
    o.pressure_GPa = o.pressure_native * u.GPa_per_pressure();
    if (segment_steps_ > 0)
      o.target_temperature_K =
        segment_start_K_ + (segment_end_K_ - segment_start_K_) *
                             static_cast<double>(o.step - segment_first_step_) / static_cast<double>(segment_steps_);
    return o;
  }

  MdObservation MdSystem::observe()
  {
    segment_steps_ = 0;
    session_.command("run 0 post no");
    return observation_after_run();
  }

  void MdSystem::run_segment(const std::int64_t steps, const double sample_interval_ps, const Sampler &sample)
  {
    // LAMMPS's screen text of earlier segments is of no further use; dropping it keeps the
    // in-memory capture small over long runs.
    LammpsErrorCapture::instance().clear();
    const std::int64_t first = static_cast<std::int64_t>(session_.thermo("step"));
    const std::int64_t last = first + steps;
    segment_first_step_ = first;
    segment_steps_ = steps;
    const std::int64_t chunk = std::max<std::int64_t>(1, steps_for(sample_interval_ps));
    std::int64_t at = first;
    bool setup_done = false;
    while (at < last)
      {
        const std::int64_t n = std::min(chunk, last - at);
        // start/stop keep a ramp continuous across chunks; setup is needed once per segment.
        session_.command(fmt::format("run {} start {} stop {} pre {} post no", n, first, last,
                                     setup_done ? "no" : "yes"));
        setup_done = true;
        at += n;
        steps_run_ += n;
        time_ps_ += static_cast<double>(n) * settings_.timestep_ps;
        if (sample)
          sample(observation_after_run());
      }
  }

  void MdSystem::ramp(const double start_K, const double end_K, const double duration_ps,
                      const Ensemble ensemble, const Thermostat thermostat,
                      const double sample_interval_ps, const Sampler &sample, const std::uint64_t seed)
  {
    const auto &u = potential_.units;
    const std::int64_t steps = steps_for(duration_ps);
    if (steps <= 0)
      return;
    const double t0 = u.temperature_native(start_K), t1 = u.temperature_native(end_K);
    const double tdamp = u.time_native(settings_.thermostat_damping_ps);
    const std::string barostat =
      fmt::format("iso {0:.12g} {0:.12g} {1:.12g}", u.pressure_native(settings_.pressure_GPa),
                  u.time_native(settings_.barostat_damping_ps));
    std::vector<std::string> fixes;
    if (thermostat == Thermostat::nose_hoover)
      fixes.push_back(ensemble == Ensemble::npt
                        ? fmt::format("fix cc_md all npt temp {:.12g} {:.12g} {:.12g} {}", t0, t1, tdamp, barostat)
                        : fmt::format("fix cc_md all nvt temp {:.12g} {:.12g} {:.12g}", t0, t1, tdamp));
    else
      {
        fixes.push_back(ensemble == Ensemble::npt ? "fix cc_md all nph " + barostat : "fix cc_md all nve");
        if (thermostat == Thermostat::langevin)
          fixes.push_back(fmt::format("fix cc_thermostat all langevin {:.12g} {:.12g} {:.12g} {} zero yes", t0,
                                      t1, tdamp, lammps_seed(seed)));
        else if (thermostat == Thermostat::berendsen)
          fixes.push_back(fmt::format("fix cc_thermostat all temp/berendsen {:.12g} {:.12g} {:.12g}", t0, t1, tdamp));
        else
          fixes.push_back(fmt::format("fix cc_thermostat all temp/rescale 1 {:.12g} {:.12g} 0.0 1.0", t0, t1));
      }
    session_.commands(fixes);
    segment_start_K_ = start_K;
    segment_end_K_ = end_K;
    run_segment(steps, sample_interval_ps, sample);
    segment_start_K_ = segment_end_K_ = 0.0;
    session_.command("unfix cc_md");
    if (thermostat != Thermostat::nose_hoover)
      session_.command("unfix cc_thermostat");
  }

  void MdSystem::run_nve(const double duration_ps, const double sample_interval_ps, const Sampler &sample)
  {
    const std::int64_t steps = steps_for(duration_ps);
    if (steps <= 0)
      return;
    session_.command("fix cc_md all nve");
    segment_start_K_ = segment_end_K_ = 0.0;
    run_segment(steps, sample_interval_ps, sample);
    session_.command("unfix cc_md");
  }

  double MdSystem::minimise(const bool relax_box, const double energy_tolerance, const double force_tolerance_native)
  {
    if (relax_box)
      session_.command(fmt::format("fix cc_relax all box/relax iso {:.12g} vmax 0.001",
                                   potential_.units.pressure_native(settings_.pressure_GPa)));
    // Stops when an iteration changes the energy by less than 1e-10 of itself (≈ 1e-9 ε/atom,
    // far below the differences the cycle tables resolve) or the force norm falls below 1e-6.
    session_.commands({"min_style cg", "min_modify dmax 0.1",
                       fmt::format("minimize {:.6g} {:.6g} 20000 200000", energy_tolerance, force_tolerance_native)});
    if (relax_box)
      session_.command("unfix cc_relax");
    const double pe = session_.thermo("pe") / static_cast<double>(atoms_);
    return pe * potential_.units.eV_per_energy();
  }
} // namespace cryocycle::atomistic
