#!/usr/bin/python3
"""Compares simulated retweet cascades with real ones (TiDeH, #auspol, SEISMIC).

Usage: /usr/bin/python3 analysis/validation/compare_cascades.py [SIMULATED.h5] [--seeds N]
       [--data DIR] [--set KEY=VALUE]...

With no HDF5 file, runs scenarios/cascades-validation.toml for every model variant of
variants.py (today's model; + sessions that last; + notifications; + late discovery; all) with
seeds 1..N (default 5), using build/sim/reachsim or $REACHSIM_BINARY, with any --set overrides,
and reports each figure as the mean ± the standard deviation over the seeds. With a file,
compares that one simulation.
Prints Markdown tables: a summary of retweet delays (share within 5 minutes, 1 hour, 24 hours;
quantiles) and cascade sizes (retweets per post: share with none, mean, quantiles), the CCDF of
delays and the CCDF of sizes. docs/validation.md discusses the result.
"""
import argparse
import pathlib
import sys
import tempfile

import h5py
import numpy as np
import pandas as pd

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1] / "analysis"))
import variants  # noqa: E402
from reachsim_analysis.real_cascades import DEFAULT_DATA, auspol, seismic, tideh  # noqa: E402

THRESHOLDS = {"5 min": 300, "1 h": 3600, "24 h": 86400}
DELAY_CCDF_POINTS = {"1 min": 60, "10 min": 600, "1 h": 3600, "6 h": 21600, "24 h": 86400, "72 h": 259200}
SIZE_CCDF_POINTS = (1, 2, 5, 10, 100, 1000)
COUNTS = ("cascades", "retweets")


def simulated(path):
    """Retweet delays (seconds after the original) and retweets per tracked post."""
    with h5py.File(path) as f:
        post_time = f["posts/post_time"][()]
        retweets = f["posts/retweets"][()]
        rows = pd.DataFrame({k: f["cascades"][k][()] for k in ("post", "time")})
    delays = rows["time"].to_numpy() - post_time[rows["post"].to_numpy()]
    return delays, retweets


def figures(delays, sizes):
    """Every figure of the three tables for one data set, by table."""
    nan = float("nan")
    summary = {"cascades": len(sizes), "retweets": len(delays)}
    for label, seconds in THRESHOLDS.items():
        summary[f"within {label}"] = float(np.mean(delays <= seconds)) if len(delays) else nan
    for q in (0.5, 0.9):
        summary[f"delay q{int(q * 100)} (h)"] = float(np.quantile(delays, q) / 3600) if len(delays) else nan
    summary["no retweet"] = float(np.mean(sizes == 0))
    summary["mean size"] = float(np.mean(sizes))
    for q in (0.9, 0.99):
        summary[f"size q{int(q * 100)}"] = float(np.quantile(sizes, q))
    delay_ccdf = {f"P(delay > {label})": float(np.mean(delays > seconds)) if len(delays) else nan
                  for label, seconds in DELAY_CCDF_POINTS.items()}
    size_ccdf = {f"P(size >= {size})": float(np.mean(sizes >= size)) for size in SIZE_CCDF_POINTS}
    return {"Summary": summary, "delays": delay_ccdf, "sizes": size_ccdf}


def cell(column, values):
    """One figure, or the mean ± standard deviation of a figure over seeds."""
    values = np.asarray(values, dtype=float)
    if column in COUNTS:
        text = f"{np.mean(values):,.0f}"
        return text if len(values) == 1 else text + f" ± {np.std(values, ddof=1):,.0f}"
    if len(values) == 1:
        return f"{values[0]:.3f}"
    return f"{np.nanmean(values):.3f} ± {np.nanstd(values, ddof=1):.3f}"


def real_sets(data):
    tideh_delays, tideh_sizes, per_cascade = tideh(data)
    sets = {"TiDeH (50 large cascades, 7 d)": (tideh_delays, tideh_sizes),
            "#auspol (3,333 ordinary tweets)": auspol(data),
            "SEISMIC (1 tweet, 7 d)": seismic(data)}
    median_within = {label: float(np.median([np.mean(d <= s) for d in per_cascade]))
                     for label, s in THRESHOLDS.items()}
    return sets, median_within


def tables(rows):
    """rows: {name: [figures per seed]} -> {table: DataFrame of text cells}."""
    result = {}
    for table in ("Summary", "delays", "sizes"):
        records = []
        for name, per_seed in rows.items():
            columns = per_seed[0][table].keys()
            records.append({"data": name, **{c: cell(c, [f[table][c] for f in per_seed]) for c in columns}})
        result[table] = pd.DataFrame(records).set_index("data")
    return result


def markdown(table):
    """A Markdown table (Debian has no python3-tabulate for DataFrame.to_markdown)."""
    header = [table.index.name] + list(table.columns)
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for name, row in table.iterrows():
        lines.append("| " + " | ".join([name] + list(row.values)) + " |")
    return "\n".join(lines)


def simulate_variants(seeds, extra, folder):
    """{variant: [figures per seed]}."""
    rows = {}
    for name, overrides in variants.variants().items():
        rows[f"reachsim: {name}"] = []
        for seed in range(1, seeds + 1):
            path = pathlib.Path(folder) / "validation.h5"
            variants.run(path, overrides, seed, extra)
            rows[f"reachsim: {name}"].append(figures(*simulated(path)))
    return rows


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("simulated", nargs="?", help="a reachsim output with /cascades")
    parser.add_argument("--seeds", type=int, default=5, help="seeds per variant (default 5)")
    parser.add_argument("--data", default=str(DEFAULT_DATA), help="the real cascades (analysis/validation/data)")
    parser.add_argument("--set", action="append", default=[], help="override a key of the validation scenario")
    args = parser.parse_args(argv)
    sets, median_within = real_sets(pathlib.Path(args.data))
    rows = {name: [figures(*values)] for name, values in sets.items()}
    if args.simulated:
        rows[f"reachsim: {args.simulated}"] = [figures(*simulated(args.simulated))]
    else:
        with tempfile.TemporaryDirectory() as folder:
            rows.update(simulate_variants(args.seeds, args.set, folder))
    result = tables(rows)
    print("## Summary\n")
    print(markdown(result["Summary"]))
    print("\n## CCDF of retweet delays (from the original post)\n")
    print(markdown(result["delays"]))
    print("\n## CCDF of cascade sizes (retweets per post)\n")
    print(markdown(result["sizes"]))
    print("\nTiDeH, median over cascades of the share of retweets within: " +
          ", ".join(f"{label} {share:.3f}" for label, share in median_within.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
