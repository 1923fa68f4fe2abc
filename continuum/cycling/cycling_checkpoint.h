#pragma once
/// @file
/// Checkpoints of a cycling run (cycling_simulation.h). After every cycle one file keeps
///  - the critical parameters of the run: the values that change its physics or its random
///    streams (back-end, site count, seed, schedule, event and relaxation laws, fingerprints of
///    the per-site material fields), as key/value text;
///  - the per-cycle table so far;
///  - the state of every site (ε*, σ_y, s, draw and event counters; athermal_event_engine.h;
///    a homogenised cell's further record), gathered from all ranks and sorted by global id, so a
///    checkpoint does not depend on the number of MPI ranks;
///  - the state of the run beyond the sites (the heat conduction's temperature profile) and extra
///    table columns per row, both empty for explicit sites at uniform temperature.
/// The back-end is not saved: it is rebuilt and re-solved from the saved ε*
/// (AthermalEventEngine::restore_state). Numbers are stored as their bytes, so restored values
/// are bit-identical; the file records the byte order and refuses another one. Written through a
/// temporary file and a rename: an interrupted write leaves the previous checkpoint intact.

#include "continuum/events/athermal_event_engine.h"
#include "continuum/cycling/cycling_simulation.h"

#include <mpi.h>

#include <filesystem>
#include <string>
#include <vector>

namespace cryocycle::continuum
{
  /// One critical parameter: its config key (or a descriptive name) and its value as text.
  struct CriticalParameter
  {
    std::string key;
    std::string value;
  };

  struct CyclingCheckpoint
  {
    std::vector<CriticalParameter> critical_parameters;
    /// rows[0] is the state before cycling; rows.back().cycle cycles are complete.
    std::vector<CycleObservables> rows;
    /// Extra table columns of each row (empty, or one list per row).
    std::vector<std::vector<double>> row_extras;
    /// All sites, ascending global id.
    SiteStates sites;
    /// State of the run beyond the sites (e.g. HeatConduction::save_state()).
    std::vector<double> run_state;
  };

  /// The local states of all ranks gathered on rank 0, sorted by global id (empty on the other
  /// ranks). Collective.
  SiteStates gather_site_states(MPI_Comm communicator, const SiteStates &local);

  /// Writes the checkpoint atomically (temporary file + rename). Call on one rank.
  void write_cycling_checkpoint(const std::filesystem::path &file, const CyclingCheckpoint &checkpoint);

  /// Reads a checkpoint; throws std::runtime_error naming the file if it is not one, is
  /// truncated, or comes from a machine of another byte order.
  CyclingCheckpoint read_cycling_checkpoint(const std::filesystem::path &file);

  /// Throws std::runtime_error naming the first key whose value differs (with both values), or
  /// that only one of the lists has.
  void require_same_critical_parameters(const std::vector<CriticalParameter> &saved,
                                        const std::vector<CriticalParameter> &current);

  /// A rank-independent fingerprint of a per-site field: the values ordered by global id, their
  /// bytes hashed (64-bit FNV-1a), as 16 hex digits. Collective; the same on every rank.
  std::string site_field_fingerprint(MPI_Comm communicator, const std::vector<std::uint64_t> &global_id,
                                     const std::vector<double> &values);
} // namespace cryocycle::continuum
