#!/usr/bin/env bash
# Runs every benchmark built in bench/ and prints its figures (see bench/RESULTS.md).
set -euo pipefail
build_dir=${1:-build}
for b in "$build_dir"/bench/bench_*; do
  [ -x "$b" ] || continue
  echo "=== $(basename "$b") ==="
  "$b"
done
