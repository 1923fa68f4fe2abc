#!/usr/bin/env bash
# Runs every benchmark built in bench/ and prints its figures (see bench/RESULTS.md).
set -euo pipefail
build_dir=${1:-build}
for b in "$build_dir"/bench/bench_*; do
  [ -x "$b" ] || continue
  echo "=== $(basename "$b") ==="
  "$b"
done
# The FE model once more on 2 MPI ranks, for the speed-up over the 1-rank figures above.
if [ -x "$build_dir/bench/bench_fe" ] && command -v mpiexec > /dev/null; then
  echo "=== bench_fe (2 ranks) ==="
  OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 \
    mpiexec -n 2 --oversubscribe "$build_dir/bench/bench_fe" scaling 32 1 iterative
fi
