#!/usr/bin/env python3
"""Runs one regression case and compares its outputs with the stored reference (tests/README.md).

A case is a folder tests/regression/<case>/ with config.yaml, the reference outputs under
reference/ and a README.md stating what it covers and its tolerance. The case runs
`cryocycle <stage> config.yaml --output-dir <fresh temporary folder>`; every file under reference/
is then compared with the file of the same name in the run directory, line by line. Each line is
cut into numbers and the text between them: the text must be identical, and each pair of numbers
must agree within

    |run - reference| <= relative_tolerance * max(|run|, |reference|) + absolute_tolerance.

The temporary folder is removed when the case passes and kept (its path printed) when it fails.
With --update the reference files are replaced by those of the run (regenerating a case).
Python 3 standard library only.
"""
import argparse
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|[-+]?(?:inf|nan)\b")
MAX_REPORTED = 20


def split_numbers(line):
    """The text pieces and the numbers of a line: text[0] number[0] text[1] ... text[n]."""
    texts, numbers, start = [], [], 0
    for m in NUMBER.finditer(line):
        texts.append(line[start:m.start()])
        numbers.append(m.group(0))
        start = m.end()
    texts.append(line[start:])
    return texts, numbers


def numbers_agree(run, reference, rtol, atol):
    a, b = float(run), float(reference)
    if a == b or (a != a and b != b):  # equal, or both NaN
        return True
    return abs(a - b) <= rtol * max(abs(a), abs(b)) + atol


def compare_file(run_file, reference_file, rtol, atol):
    """The differences between two files as human-readable lines (empty when they agree)."""
    if not run_file.exists():
        return [f"{reference_file.name}: not written by the run"]
    run_lines = run_file.read_text(encoding="utf-8").splitlines()
    ref_lines = reference_file.read_text(encoding="utf-8").splitlines()
    problems = []
    if len(run_lines) != len(ref_lines):
        problems.append(f"{reference_file.name}: {len(run_lines)} lines, reference {len(ref_lines)}")
    for number, (run_line, ref_line) in enumerate(zip(run_lines, ref_lines), start=1):
        run_text, run_numbers = split_numbers(run_line)
        ref_text, ref_numbers = split_numbers(ref_line)
        where = f"{reference_file.name}:{number}"
        if run_text != ref_text or len(run_numbers) != len(ref_numbers):
            problems.append(f"{where}: text differs\n    run:       {run_line}\n    reference: {ref_line}")
            continue
        for column, (a, b) in enumerate(zip(run_numbers, ref_numbers), start=1):
            if not numbers_agree(a, b, rtol, atol):
                difference = abs(float(a) - float(b)) / max(abs(float(a)), abs(float(b)))
                problems.append(f"{where}: number {column}: run {a}, reference {b} "
                                f"(relative difference {difference:.3g})")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cryocycle", required=True, help="the cryocycle executable")
    parser.add_argument("--stage", required=True, help="the command: continuum, extrapolate, ...")
    parser.add_argument("--case", required=True, type=pathlib.Path, help="the case folder")
    parser.add_argument("--relative-tolerance", type=float, required=True)
    parser.add_argument("--absolute-tolerance", type=float, required=True)
    parser.add_argument("--update", action="store_true", help="overwrite the reference with this run")
    args = parser.parse_args()

    case = args.case.resolve()
    reference = case / "reference"
    work = pathlib.Path(tempfile.mkdtemp(prefix=f"cryocycle_regression_{case.name}_"))
    run_dir = work / "run"
    command = [args.cryocycle, args.stage, str(case / "config.yaml"), "--output-dir", str(run_dir)]
    result = subprocess.run(command, cwd=case, capture_output=True, text=True)
    if result.returncode != 0:
        print(" ".join(command))
        print(result.stdout + result.stderr)
        print(f"{case.name}: cryocycle exited with {result.returncode}; run kept in {run_dir}")
        return 1

    files = sorted(p.relative_to(reference) for p in reference.rglob("*") if p.is_file())
    if not files:
        print(f"{case.name}: no reference files in {reference}")
        return 1
    if args.update:
        for name in files:
            shutil.copyfile(run_dir / name, reference / name)
        shutil.rmtree(work)
        print(f"{case.name}: reference updated ({', '.join(map(str, files))})")
        return 0

    problems = []
    for name in files:
        problems += compare_file(run_dir / name, reference / name,
                                 args.relative_tolerance, args.absolute_tolerance)
    if problems:
        for line in problems[:MAX_REPORTED]:
            print(line)
        if len(problems) > MAX_REPORTED:
            print(f"... and {len(problems) - MAX_REPORTED} more differences")
        print(f"{case.name}: {len(problems)} differences from the reference "
              f"(relative tolerance {args.relative_tolerance:g}, absolute {args.absolute_tolerance:g}); "
              f"run kept in {run_dir}")
        return 1
    shutil.rmtree(work)
    print(f"{case.name}: {', '.join(map(str, files))} agree with the reference "
          f"(relative tolerance {args.relative_tolerance:g}, absolute {args.absolute_tolerance:g})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
