#!/bin/sh
# Reruns the validation case cuzr_8000_1e13 (Shang, Guan & Barrat 2018 at 1e13 K/s) into one
# output folder, step by step, and continues an interrupted one.
#
#   sh run.sh OUT                 # every step, in the order below
#   sh run.sh OUT STEP...         # only these steps, in the given order
#
# Steps: 1_prepare, 2_local, 3_yield_rc10_part1..4, 4_yield_rc8_part1..4 (atomistic runs),
# merge_yield (joins the four parts of each width), calibrate_local, calibrate_paper_lomax,
# calibrate_paper_aic, calibrate_hyperbolic_yield (calibrations).
# Not in the default list: 7_local_snapshots, the local alpha with the paper's single-snapshot
# protocol (a) and its vibrational noise (about 15-20 min). It needs a cryocycle that knows
# atomistic.local.expansion.protocol (commit 56650a2 or later), so a plain rerun with an older
# binary keeps its meaning; run it by name: sh run.sh OUT 7_local_snapshots. calibrate_snapshots
# (not in the default list either, it needs step 7) calibrates its alpha fields as step 5 does.
#
# Environment: CRYOCYCLE (default: cryocycle on the PATH), LAUNCH (a prefix such as
# "nice -n 10" or "mpirun -np 1"; default: nice -n 10).
#
# Everything is written under OUT: the configs are copied to OUT/configs (their relative paths,
# e.g. ../1_prepare/glass.data, point into OUT), each step runs in OUT/<step>. A step whose run
# directory holds a completed manifest is skipped; one that exists but did not complete is
# continued with --resume (an atomistic run keeps its finished tasks); a missing one is started.
# The calibrations take seconds and are redone every time on the tables present.
# Expected wall time on a shared 2-core machine, one process: see README.md.
set -eu

if [ "$#" -lt 1 ]; then
  echo "usage: sh run.sh OUT [STEP...]" >&2
  exit 2
fi
out=$1
shift
here=$(cd "$(dirname "$0")" && pwd)
cryocycle=${CRYOCYCLE:-cryocycle}
launch=${LAUNCH:-nice -n 10}

mkdir -p "$out/configs"
cp "$here"/configs/*.yaml "$out/configs/"

completed() {
  [ -f "$1/manifest.yaml" ] && grep -q '^status: completed' "$1/manifest.yaml"
}

run_stage() {  # stage config-path run-directory
  if completed "$3"; then
    echo "run.sh: $3 completed, skipped"
    return 0
  fi
  if [ -d "$3" ]; then
    echo "run.sh: $3 resumed ($(date -u +%FT%TZ))"
    # shellcheck disable=SC2086
    $launch "$cryocycle" "$1" "$2" --output-dir "$3" --resume
  else
    echo "run.sh: $3 started ($(date -u +%FT%TZ))"
    # shellcheck disable=SC2086
    $launch "$cryocycle" "$1" "$2" --output-dir "$3"
  fi
  echo "run.sh: $3 finished ($(date -u +%FT%TZ))"
}

calibration() {  # config-path run-directory: cheap, so always redone (--overwrite) on the tables as they are
  echo "run.sh: $2 calibrated ($(date -u +%FT%TZ))"
  "$cryocycle" calibrate "$1" --output-dir "$2" --overwrite || echo "run.sh: $2 failed" >&2
}

merge_yield() {  # rc sigma: joins the parts' tables into OUT/yield_tables/ (column part = the seed)
  mkdir -p "$out/yield_tables"
  merged="$out/yield_tables/yield_stress_rc$1A.csv"
  tmp="$merged.tmp"
  first=1
  : > "$tmp"
  for part in "$out"/*_yield_rc"$1"_part*; do
    table="$part/local_yield/yield_stress_sigma_cg_$2A.csv"
    if ! completed "$part" || [ ! -f "$table" ]; then
      echo "run.sh: $part not complete, left out of $merged" >&2
      continue
    fi
    if [ "$first" = 1 ]; then
      sed -n '1p' "$table" | sed 's/^/part,/' >> "$tmp"
      first=0
    fi
    number=${part##*_part}  # the part's number: its seed and the first column
    sed '1d' "$table" | sed "s/^/$number,/" >> "$tmp"
  done
  if [ "$first" = 1 ]; then
    rm -f "$tmp"
    echo "run.sh: no completed part at r_c = $1 A, $merged not written" >&2
    return 0
  fi
  mv "$tmp" "$merged"
  echo "run.sh: $merged has $(($(wc -l < "$merged") - 1)) sites"
}

steps="1_prepare 2_local"
for part in 1 2 3 4; do steps="$steps 3_yield_rc10_part$part"; done
for part in 1 2 3 4; do steps="$steps 4_yield_rc8_part$part"; done
steps="$steps merge_yield calibrate_local calibrate_paper_lomax calibrate_paper_aic calibrate_hyperbolic_yield"
if [ "$#" -gt 0 ]; then
  steps=$*
fi

for step in $steps; do
  case $step in
    [1-4]_*|7_local_snapshots)
      run_stage atomistic "$out/configs/$step.yaml" "$out/$step" ;;
    merge_yield)
      merge_yield 10 5
      merge_yield 8 4 ;;
    calibrate_local)
      # The calibration config the local run writes for its own tables (its own K and G,
      # the local run's temperatures).
      calibration "$out/2_local/calibrate_local.yaml" "$out/5_calibrate_local" ;;
    calibrate_paper_lomax)
      calibration "$out/configs/5_calibrate_paper_lomax.yaml" "$out/5_calibrate_paper_lomax" ;;
    calibrate_paper_aic)
      calibration "$out/configs/5_calibrate_paper_aic.yaml" "$out/5_calibrate_paper_aic" ;;
    calibrate_snapshots)
      calibration "$out/configs/8_calibrate_snapshots_aic.yaml" "$out/8_calibrate_snapshots_aic"
      calibration "$out/configs/8_calibrate_snapshots_paper.yaml" "$out/8_calibrate_snapshots_paper"
      calibration "$out/configs/8_calibrate_snapshots_hyperbolic_yield.yaml" "$out/8_calibrate_snapshots_hyperbolic_yield" ;;
    calibrate_hyperbolic_yield)
      calibration "$out/configs/5_calibrate_hyperbolic_yield.yaml" "$out/5_calibrate_hyperbolic_yield" ;;
    *)
      echo "run.sh: unknown step $step" >&2
      exit 2 ;;
  esac
done
