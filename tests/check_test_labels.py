#!/usr/bin/env python3
"""Fails when a ctest test has no label or a label outside the known set (tests/README.md).

Reads the registered tests with `ctest --show-only=json-v1` in the build directory, so it sees
every test however it was added: cryocycle_add_gtest, a bare add_test, a discovered GoogleTest
case or the `<target>_NOT_BUILT` placeholder of an executable that is not built yet.
"""
import argparse
import json
import subprocess
import sys


def labels_of(test):
    for prop in test.get("properties", []):
        if prop.get("name") == "LABELS":
            return list(prop.get("value", []))
    return []


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ctest", default="ctest", help="the ctest executable")
    parser.add_argument("--build-dir", required=True, help="the CMake build directory")
    parser.add_argument("--labels", required=True, help="the known labels, ';'-separated")
    args = parser.parse_args()

    known = set(filter(None, args.labels.split(";")))
    listing = subprocess.run([args.ctest, "--show-only=json-v1"], cwd=args.build_dir,
                             capture_output=True, text=True, check=True)
    tests = json.loads(listing.stdout)["tests"]

    unlabelled = [t["name"] for t in tests if not labels_of(t)]
    unknown = [(t["name"], sorted(set(labels_of(t)) - known)) for t in tests
               if set(labels_of(t)) - known]
    for name in unlabelled:
        print(f"no label: {name}")
    for name, labels in unknown:
        print(f"unknown label {', '.join(labels)}: {name} (known: {', '.join(sorted(known))})")
    print(f"{len(tests)} tests, {len(unlabelled)} without a label, {len(unknown)} with an unknown one")
    return 1 if unlabelled or unknown or not tests else 0


if __name__ == "__main__":
    sys.exit(main())
