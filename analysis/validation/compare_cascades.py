#!/usr/bin/python3
"""Compares simulated retweet cascades with real ones (TiDeH, #auspol, SEISMIC).

Usage: /usr/bin/python3 analysis/validation/compare_cascades.py [SIMULATED.h5] [--data DIR] [--set KEY=VALUE]...

With no HDF5 file, runs `reachsim run scenarios/cascades-validation.toml` first (build/sim/reachsim,
or $REACHSIM_BINARY), with any --set overrides.
Prints Markdown tables for each real data set and the simulation: a summary of retweet delays
(share within 5 minutes, 1 hour, 24 hours; quantiles) and cascade sizes (retweets per post), the
CCDF of delays and the CCDF of sizes.
docs/validation.md discusses the result.
"""
import argparse
import os
import pathlib
import subprocess
import sys
import tempfile

import h5py
import numpy as np
import pandas as pd

REPO = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "analysis"))
from reachsim_analysis.real_cascades import DEFAULT_DATA, auspol, seismic, tideh  # noqa: E402
THRESHOLDS = {"5 min": 300, "1 h": 3600, "24 h": 86400}
DELAY_CCDF_POINTS = {"1 min": 60, "10 min": 600, "1 h": 3600, "6 h": 21600, "24 h": 86400, "72 h": 259200}
SIZE_CCDF_POINTS = (1, 2, 5, 10, 100, 1000)


def simulated(path):
    with h5py.File(path) as f:
        post_time = f["posts/post_time"][()]
        retweets = f["posts/retweets"][()]
        rows = pd.DataFrame({k: f["cascades"][k][()] for k in ("post", "time")})
    delays = rows["time"].to_numpy() - post_time[rows["post"].to_numpy()]
    return delays, retweets


def delay_row(name, delays, sizes):
    row = {"data": name, "cascades": len(sizes), "retweets": len(delays)}
    for label, seconds in THRESHOLDS.items():
        row[f"within {label}"] = float(np.mean(delays <= seconds)) if len(delays) else float("nan")
    for q in (0.5, 0.9):
        row[f"delay q{int(q * 100)} (h)"] = float(np.quantile(delays, q) / 3600) if len(delays) else float("nan")
    row["no retweet"] = float(np.mean(sizes == 0))
    row["mean size"] = float(np.mean(sizes))
    row["p90 size"] = float(np.quantile(sizes, 0.9))
    return row


def comparison(simulated_path, data):
    """Three tables (summary, CCDF of delays, CCDF of sizes) and TiDeH's per-cascade medians."""
    tideh_delays, tideh_sizes, per_cascade = tideh(data)
    sets = {
        "TiDeH (50 large cascades, 7 d)": (tideh_delays, tideh_sizes),
        "#auspol (3,333 ordinary tweets)": auspol(data),
        "SEISMIC (1 tweet, 7 d)": seismic(data),
        "reachsim: cascades-validation.toml": simulated(simulated_path),
    }
    summary = pd.DataFrame([delay_row(name, *values) for name, values in sets.items()]).set_index("data")
    delay_ccdf = pd.DataFrame(
        [{"data": name, **{f"P(delay > {label})": float(np.mean(delays > seconds)) if len(delays) else float("nan")
                           for label, seconds in DELAY_CCDF_POINTS.items()}}
         for name, (delays, _) in sets.items()]).set_index("data")
    size_ccdf = pd.DataFrame(
        [{"data": name, **{f"P(size >= {size})": float(np.mean(sizes >= size)) for size in SIZE_CCDF_POINTS}}
         for name, (_, sizes) in sets.items()]).set_index("data")
    median_within = {label: float(np.median([np.mean(d <= s) for d in per_cascade]))
                     for label, s in THRESHOLDS.items()}
    return summary, delay_ccdf, size_ccdf, median_within


def markdown(table):
    """A Markdown table (Debian has no python3-tabulate for DataFrame.to_markdown)."""
    header = [table.index.name] + list(table.columns)
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for name, row in table.iterrows():
        cells = [f"{value:,.0f}" if column in ("cascades", "retweets") else f"{value:.3f}"
                 for column, value in row.items()]
        lines.append("| " + " | ".join([name] + cells) + " |")
    return "\n".join(lines)


def run_simulation(output, overrides):
    binary = os.environ.get("REACHSIM_BINARY", str(REPO / "build" / "sim" / "reachsim"))
    sets = [arg for override in overrides for arg in ("--set", override)]
    subprocess.run([binary, "run", str(REPO / "scenarios" / "cascades-validation.toml"), "-o", str(output), *sets],
                   check=True, stdout=subprocess.DEVNULL)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("simulated", nargs="?", help="a reachsim output with /cascades")
    parser.add_argument("--data", default=str(DEFAULT_DATA), help="the shared data folder")
    parser.add_argument("--set", action="append", default=[], help="override a key of the validation scenario")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        path = pathlib.Path(args.simulated) if args.simulated else pathlib.Path(folder) / "validation.h5"
        if not args.simulated:
            run_simulation(path, args.set)
        summary, delay_ccdf, size_ccdf, median_within = comparison(path, pathlib.Path(args.data))
    print("## Summary\n")
    print(markdown(summary))
    print("\n## CCDF of retweet delays (from the original post)\n")
    print(markdown(delay_ccdf))
    print("\n## CCDF of cascade sizes (retweets per post)\n")
    print(markdown(size_ccdf))
    print("\nTiDeH, median over cascades of the share of retweets within: " +
          ", ".join(f"{label} {share:.3f}" for label, share in median_within.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
