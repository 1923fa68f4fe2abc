"""Collects the numbers of the cuzr_8000_1e13 table from a run folder (the OUT of run.sh).

    python3 tools/collect.py OUT > numbers.yaml

Reads what exists (prepare.yaml, local_expansion.yaml, local_moduli.yaml, the merged sigma_y
tables, the calibration records) and prints one YAML map; missing parts are left out. No value is
adjusted: the script only copies, and for sigma_y computes medians, deciles, bootstrap intervals of
the median and mean (percentile bootstrap, fixed seed), the minimum over the three positive shears
only (what a three-mode measurement would give), the statistics of every (site, mode) pair, and the
site-by-site comparison of the two radii (the parts of both widths use the same random sites).
"""
import csv
import glob
import math
import os
import random
import statistics
import sys

import yaml


def load(path):
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return yaml.safe_load(f)


def quantile(values, q):
    v = sorted(values)
    if not v:
        return float("nan")
    x = q * (len(v) - 1)
    i = int(math.floor(x))
    return v[i] if i + 1 >= len(v) else v[i] + (x - i) * (v[i + 1] - v[i])


def bootstrap_interval(values, statistic, resamples=2000, level=0.95, seed=1):
    rng = random.Random(seed)
    n = len(values)
    stats = sorted(statistic([values[rng.randrange(n)] for _ in range(n)]) for _ in range(resamples))
    return [quantile(stats, (1.0 - level) / 2.0), quantile(stats, (1.0 + level) / 2.0)]


def hyperbolic_median(lam, beta):
    # F(x) = 1 - exp(lam (1 - cosh(x / beta))) = 1/2
    return beta * math.acosh(1.0 + math.log(2.0) / lam)


def main(out):
    r = {}
    prep = load(os.path.join(out, "1_prepare", "prepare.yaml"))
    if prep:
        r["glass"] = {
            "T_g_volume_K": prep["glass_transition_temperature_K"],
            "T_g_energy_K": prep["energy_two_line_fit"]["break_temperature_K"],
            "volume_per_atom_A3": 1000.0 * prep["final_volume_nm3"] / prep["atoms"],
            "final_temperature_K": prep["final_temperature_K"],
            "inherent_structure_energy_eV_per_atom": prep["inherent_structure_energy_eV_per_atom"],
        }
    le = load(os.path.join(out, "2_local", "local_expansion.yaml"))
    if le:
        r["local_expansion"] = {
            "macroscopic_alpha_per_K": le["macroscopic_alpha_per_K"],
            "macroscopic_alpha_heating_per_K": le["reversibility_check"]["macroscopic_alpha_heating_per_K"],
            "loop_closure_relative_volume": le["reversibility_check"]["loop_closure_relative_volume"],
            "sites": le["sites"],
            "widths": {
                w["sigma_cg_A"]: {
                    "mean": w["mean_alpha_per_K"],
                    "std": w["std_alpha_per_K"],
                    "noise_rms": w["noise_rms_per_K"],
                    # the spread of the field once the measured noise is taken out
                    "std_without_noise": math.sqrt(max(w["std_alpha_per_K"] ** 2 - w["noise_rms_per_K"] ** 2, 0.0)),
                }
                for w in le["widths"]
            },
        }
    ls = load(os.path.join(out, "7_local_snapshots", "local_expansion.yaml"))
    if ls:
        r["local_expansion_snapshots"] = {
            "protocol": ls["protocol"],
            "snapshot_samples": ls.get("snapshot_samples"),
            "mean_temperatures_K": ls.get("mean_temperatures_K"),
            "macroscopic_alpha_per_K": ls["macroscopic_alpha_per_K"],
            "macroscopic_alpha_repeat_per_K": ls["reversibility_check"]["macroscopic_alpha_heating_per_K"],
            "loop_closure_relative_volume": ls["reversibility_check"]["loop_closure_relative_volume"],
            "sites": ls["sites"],
            "widths": {
                w["sigma_cg_A"]: {
                    "mean": w["mean_alpha_per_K"],
                    "std": w["std_alpha_per_K"],
                    "noise_rms": w["noise_rms_per_K"],
                    "repeat_difference_std": w["repeat_difference_std_per_K"],
                    "repeat_correlation": w["repeat_correlation"],
                }
                for w in ls["widths"]
            },
        }
    lm = load(os.path.join(out, "2_local", "local_moduli.yaml"))
    if lm:
        r["local_moduli"] = {
            "box_K_GPa": lm["box_bulk_modulus_GPa"],
            "box_G_GPa": lm["box_shear_modulus_GPa"],
            "widths": {
                w["sigma_cg_A"]: {
                    "K_mean": w["mean_bulk_modulus_GPa"],
                    "K_std": w["std_bulk_modulus_GPa"],
                    "G_mean": w["mean_shear_modulus_GPa"],
                    "G_std": w["std_shear_modulus_GPa"],
                    "non_positive": w["sites_with_non_positive_modulus"],
                }
                for w in lm["widths"]
            },
        }
    ys = {}
    for rc, sigma in (("10", "5"), ("8", "4")):
        table = os.path.join(out, "yield_tables", f"yield_stress_rc{rc}A.csv")
        if not os.path.exists(table):
            continue
        rows = list(csv.DictReader(open(table)))
        y = [float(x["yield_stress_GPa"]) for x in rows]
        resolved = [float(x["resolved_stress_GPa"]) for x in rows]
        kinds = [int(float(x["yield_kind"])) for x in rows]
        # every (site, mode) pair of the parts that are in the merged table
        pairs = []
        positive_shears = {}  # (part, site) -> von Mises at yield of modes +xy, +xz, +yz (indices 0, 2, 4)
        not_yielded = 0
        modes_without_yield = modes_without_yield_below_minimum = 0
        parts = sorted({x["part"] for x in rows})
        for part in parts:
            pattern = os.path.join(out, f"*_yield_rc{rc}_part{part}", "local_yield", f"modes_sigma_cg_{sigma}A.csv")
            for f in glob.glob(pattern):
                site_yield = {x["site"]: float(x["yield_stress_GPa"]) for x in rows if x["part"] == part}
                for m in csv.DictReader(open(f)):
                    if int(float(m["yield_kind"])) == 0:
                        # a mode without yield up to max_strain matters only if it stayed below the
                        # site's minimum over the other modes (then sigma_y would be overestimated)
                        modes_without_yield += 1
                        if float(m["max_von_mises_GPa"]) < site_yield[m["site"]]:
                            modes_without_yield_below_minimum += 1
                    if int(float(m["yield_kind"])) > 0:
                        pairs.append(float(m["von_mises_GPa"]))
                        if int(m["mode"]) in (0, 2, 4):
                            positive_shears.setdefault((part, m["site"]), []).append(float(m["von_mises_GPa"]))
            for f in glob.glob(os.path.join(out, f"*_yield_rc{rc}_part{part}", "local_yield",
                                            f"not_yielded_sigma_cg_{sigma}A.csv")):
                not_yielded += max(sum(1 for _ in open(f)) - 1, 0)
        ys[int(rc)] = {
            "parts": [int(p) for p in parts],
            "sites": len(y),
            "sites_not_yielded": not_yielded,
            "sites_yield_by_drop": sum(1 for k in kinds if k == 1),
            "sites_yield_by_smooth_peak": sum(1 for k in kinds if k == 2),
            "mean_GPa": statistics.mean(y),
            "std_GPa": statistics.stdev(y) if len(y) > 1 else float("nan"),
            "median_GPa": statistics.median(y),
            "median_95ci_GPa": bootstrap_interval(y, statistics.median),
            "mean_95ci_GPa": bootstrap_interval(y, statistics.mean),
            "decile_1_GPa": quantile(y, 0.1),
            "decile_9_GPa": quantile(y, 0.9),
            "median_resolved_GPa": statistics.median(resolved),
            "site_modes": len(pairs),
            "site_modes_without_yield": modes_without_yield,
            "site_modes_without_yield_below_the_site_minimum": modes_without_yield_below_minimum,
            "site_modes_median_GPa": statistics.median(pairs) if pairs else float("nan"),
            "site_modes_decile_1_GPa": quantile(pairs, 0.1),
            "sites_three_positive_shears": len(positive_shears),
            "median_three_positive_shears_GPa": statistics.median(min(v) for v in positive_shears.values())
            if positive_shears else float("nan"),
            "by_site": {(x["part"], x["site"]): float(x["yield_stress_GPa"]) for x in rows},
        }
    if 8 in ys and 10 in ys:
        common = sorted(set(ys[8]["by_site"]) & set(ys[10]["by_site"]))
        if len(common) > 2:
            a = [ys[10]["by_site"][k] for k in common]
            b = [ys[8]["by_site"][k] for k in common]
            ma, mb = statistics.mean(a), statistics.mean(b)
            cov = sum((u - ma) * (v - mb) for u, v in zip(a, b)) / (len(a) - 1)
            ys["rc8_vs_rc10_same_sites"] = {
                "sites": len(common),
                "correlation": cov / (statistics.stdev(a) * statistics.stdev(b)),
                "median_ratio_rc8_over_rc10": statistics.median(v / u for u, v in zip(a, b)),
                "fraction_stronger_at_rc8": sum(1 for u, v in zip(a, b) if v > u) / len(a),
            }
    for v in ys.values():
        v.pop("by_site", None)
    if ys:
        r["yield_stress"] = {k: ys[k] for k in sorted(ys, key=str)}
    for name in ("5_calibrate_local", "5_calibrate_paper_lomax", "5_calibrate_paper_aic",
                 "5_calibrate_hyperbolic_yield", "8_calibrate_snapshots_aic", "8_calibrate_snapshots_paper"):
        cal = load(os.path.join(out, name, "calibration.yaml"))
        if not cal:
            continue
        c = {"temperature_change_K": cal["thermal_cycle"]["temperature_change_K"], "widths": {}}
        for cg in cal["coarse_grainings"]:
            w = {}
            if "moduli_for_thermal_stress" in cg:
                w["moduli_for_thermal_stress"] = {
                    k: cg["moduli_for_thermal_stress"][k] for k in ("bulk_modulus_GPa", "shear_modulus_GPa")}
            for q in ("thermal_stress_GPa", "yield_stress_GPa", "thermal_expansion_per_K"):
                if q not in cg:
                    continue
                entry = {"mean": cg[q].get("mean"), "standard_deviation": cg[q].get("standard_deviation"),
                         "fits": {}}
                for f in cg[q].get("fits", []):
                    entry["fits"][f["family"]] = {
                        "parameters": {p: [v["estimate"], v.get("ci_lower"), v.get("ci_upper")]
                                       for p, v in f["parameters"].items()},
                        "delta_aic": f["delta_aic"], "ks_p": f["ks_p_value"]}
                    if f["family"] == "hyperbolic" and q == "yield_stress_GPa":
                        p = f["parameters"]
                        entry["fits"]["hyperbolic"]["median"] = hyperbolic_median(
                            p["shape_lambda"]["estimate"], p["scale_beta"]["estimate"])
                    if f["family"] == "lomax" and q == "thermal_stress_GPa":
                        p = f["parameters"]
                        g = [k for k in p if k.startswith("shape")][0]
                        s = [k for k in p if k.startswith("scale")][0]
                        if p[g]["estimate"] > 1:
                            entry["fits"]["lomax"]["mean"] = p[s]["estimate"] / (p[g]["estimate"] - 1.0)
                if cg[q].get("failed_fits"):
                    entry["failed_fits"] = cg[q]["failed_fits"]
                w[q] = entry
            if "activation" in cg:
                a = cg["activation"]
                w["activation"] = {k: a.get(k) for k in (
                    "thermal_stress_model", "yield_stress_model", "probability", "probability_monte_carlo",
                    "probability_empirical", "probability_per_sigma_cg_cubed_per_nm3")}
                if a.get("probability_per_sigma_cg_cubed_per_nm3") is not None:
                    w["activation"]["probability_per_sigma_cg_cubed_per_A3"] = (
                        a["probability_per_sigma_cg_cubed_per_nm3"] * 1e-3)
            c["widths"][cg["sigma_cg_nm"]] = w
        r[name] = c
    yaml.safe_dump(r, sys.stdout, sort_keys=False, default_flow_style=None, width=120)


if __name__ == "__main__":
    main(sys.argv[1])
