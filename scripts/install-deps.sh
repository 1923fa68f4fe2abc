#!/usr/bin/env bash
# Installs the Debian 12 packages cryocycle builds and runs with, only those that are missing.
# Idempotent: when everything is present it changes nothing and needs no network.
# `apt-get update` runs only when a package is missing and the package lists cannot provide it.
set -euo pipefail

packages=(
  build-essential cmake make pkg-config git ca-certificates
  libdeal.ii-dev            # finite elements (MPI, p4est, Trilinos, PETSc, UMFPACK)
  liblammps-dev lammps lammps-data   # molecular dynamics library, binary, potentials
  libopenmpi-dev openmpi-bin
  libeigen3-dev libboost-random-dev libyaml-cpp-dev libfftw3-dev libcli11-dev libfmt-dev
  libgsl-dev                # minimiser of the in-house frozen-matrix cluster relaxation
  libmumps-dev              # direct solver of small FE problems (MUMPS called on one process)
  libgtest-dev libssl-dev     # tests; SHA-256 checksums of input files
  gnuplot-nox               # PNG plots of results
  libopenblas0              # optimised BLAS: direct solvers 3-4x faster than reference BLAS
)

missing=()
for p in "${packages[@]}"; do
  if [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" != "install ok installed" ]; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "deps: all ${#packages[@]} Debian packages present"
  exit 0
fi

echo "deps: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo="sudo"
  else
    echo "deps: missing packages and not root; run as root: apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
# Try with the package lists already on the machine; refresh them only if that fails.
if ! $sudo apt-get install -y --no-install-recommends "${missing[@]}"; then
  echo "deps: refreshing package lists (apt-get update)"
  $sudo apt-get update
  $sudo apt-get install -y --no-install-recommends "${missing[@]}"
fi
