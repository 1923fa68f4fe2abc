"""Site-by-site comparison of the two local-TEC protocols on the same glass and grid: cryocycle's
time-averaged protocol (b) of step 2 and the paper's single-snapshot protocol (a) of step 7
(Shang, Guan & Barrat 2018).

    python3 tools/compare_protocols.py OUT > protocols.yaml

Each protocol measures alpha twice (b: cooling and heat-back; a: first and repeat pair). With
alpha = s + n (s the glass's own field, n the measurement noise, independent between the two
measurements), the covariance of the two measurements estimates Var(s) and half the variance of
their difference Var(n). The covariance across protocols estimates how much of s they share.
No value is adjusted; sites are matched by index and their coordinates checked.

Neighbouring sites overlap (5.2 A spacing against sigma_cg = 4-7 A), so the 1000 values are far
from independent and 1/sqrt(1000) understates the chance level of a correlation. The chance level
given here is the std of the correlation of one field with the other field cyclically shifted on
the periodic grid, over every non-zero shift: two fields with the same spatial structure that
share nothing.
"""
import csv
import math
import os
import statistics
import sys

import yaml


def table(path, repeat_column):
    rows = list(csv.DictReader(open(path)))
    xyz = [(float(r["x_nm"]), float(r["y_nm"]), float(r["z_nm"])) for r in rows]
    return xyz, [float(r["alpha_per_K"]) for r in rows], [float(r[repeat_column]) for r in rows]


def cov(a, b):
    ma, mb = statistics.mean(a), statistics.mean(b)
    return sum((x - ma) * (y - mb) for x, y in zip(a, b)) / (len(a) - 1)


def corr(a, b):
    return cov(a, b) / (statistics.stdev(a) * statistics.stdev(b))


def grid_index(xyz):
    """Integer (i, j, k) of each site on the regular grid of cell centres."""
    axes = []
    for c in range(3):
        values = sorted({round(p[c], 6) for p in xyz})
        axes.append({v: i for i, v in enumerate(values)})
    return [tuple(axes[c][round(p[c], 6)] for c in range(3)) for p in xyz], [len(a) for a in axes]


def chance_correlation_std(a, b, index, shape):
    position = {ijk: n for n, ijk in enumerate(index)}
    values = []
    for di in range(shape[0]):
        for dj in range(shape[1]):
            for dk in range(shape[2]):
                if di == dj == dk == 0:
                    continue
                shifted = [b[position[((i + di) % shape[0], (j + dj) % shape[1], (k + dk) % shape[2])]]
                           for (i, j, k) in index]
                values.append(corr(a, shifted))
    return statistics.pstdev(values)


def main(out):
    result = {}
    for w in (5, 4, 7):
        b_path = os.path.join(out, "2_local", "local_expansion", f"alpha_sigma_cg_{w}A.csv")
        a_path = os.path.join(out, "7_local_snapshots", "local_expansion", f"alpha_sigma_cg_{w}A.csv")
        if not (os.path.exists(a_path) and os.path.exists(b_path)):
            continue
        xb, b1, b2 = table(b_path, "alpha_heating_per_K")
        xa, a1, a2 = table(a_path, "alpha_repeat_per_K")
        if len(xa) != len(xb):
            raise SystemExit(f"{w} A: {len(xa)} and {len(xb)} sites, not the same grid")
        # the two boxes differ by the thermal and relaxation strain only (well below 1%)
        shift = max(math.dist(p, q) for p, q in zip(xa, xb))
        index, shape = grid_index(xa)
        entry = {"sites": len(xa), "largest_site_shift_nm": shift,
                 "chance_correlation_std": chance_correlation_std(a1, a2, index, shape)}
        for name, m1, m2 in (("time_averaged", b1, b2), ("snapshots", a1, a2)):
            d = [y - x for x, y in zip(m1, m2)]
            var_s = cov(m1, m2)
            entry[name] = {
                "mean_alpha_per_K": statistics.mean(m1),
                "std_alpha_per_K": statistics.stdev(m1),
                "std_alpha_repeat_per_K": statistics.stdev(m2),
                "noise_rms_per_K": statistics.stdev(d) / math.sqrt(2.0),
                "repeat_correlation": corr(m1, m2),
                # the glass's own spread as this protocol sees it (covariance of its two measurements)
                "std_shared_by_the_two_measurements_per_K": math.sqrt(var_s) if var_s > 0 else -math.sqrt(-var_s),
            }
        pairs = {"a_first_vs_b_cooling": (a1, b1), "a_first_vs_b_heating": (a1, b2),
                 "a_repeat_vs_b_cooling": (a2, b1), "a_repeat_vs_b_heating": (a2, b2)}
        entry["cross_protocol_correlation"] = {k: corr(*v) for k, v in pairs.items()}
        shared = statistics.mean(cov(*v) for v in pairs.values())
        entry["cross_protocol_shared_std_per_K"] = math.sqrt(shared) if shared > 0 else -math.sqrt(-shared)
        # average of the two snapshot fields: half the noise variance of one
        am = [(x + y) / 2.0 for x, y in zip(a1, a2)]
        bm = [(x + y) / 2.0 for x, y in zip(b1, b2)]
        entry["correlation_of_the_two_means"] = corr(am, bm)
        result[w] = entry
    yaml.safe_dump(result, sys.stdout, sort_keys=False, default_flow_style=False, width=120)


if __name__ == "__main__":
    main(sys.argv[1])
