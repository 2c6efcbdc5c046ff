#!/usr/bin/python3
"""The validation's one fitting step: the two new parameters without a published value, each set
from TiDeH alone (docs/validation.md, "Parameters and their sources"); #auspol and SEISMIC are
never fitted to.

- notifications.share: TiDeH's share of retweets within 5 minutes, simulated with the
  "+ notifications" variant;
- profile_visits.per_day: TiDeH's share of retweets after 24 hours, with "+ late discovery".

Each candidate on a log grid runs with seeds 101 and 102 (the comparison uses 1-5); the value is
interpolated in log space between the two candidates whose means bracket the target. Writes
analysis/validation/fitted.json (values, targets and the whole grid).

Usage: /usr/bin/python3 analysis/validation/fit_to_tideh.py [--output FILE] [--set KEY=VALUE]...
"""
import argparse
import json
import math
import pathlib
import sys
import tempfile

import numpy as np

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1] / "analysis"))
import variants  # noqa: E402
from compare_cascades import simulated  # noqa: E402
from reachsim_analysis.real_cascades import DEFAULT_DATA, tideh  # noqa: E402

SEEDS = (101, 102)
FITS = {
    "notifications.share": {
        "variant": "+ notifications", "grid": [0.001, 0.003, 0.01, 0.03],
        "statistic": "share of retweets within 5 min", "measure": lambda delays: float(np.mean(delays <= 300))},
    "profile_visits.per_day": {
        "variant": "+ late discovery", "grid": [0.001, 0.003, 0.01, 0.03],
        "statistic": "share of retweets after 24 h", "measure": lambda delays: float(np.mean(delays > 86400))},
}


def interpolate(grid, means, target):
    """The value at which the means reach `target`, linear in log(value) between bracketing
    candidates; the nearer end of the grid if none brackets it."""
    for (x0, y0), (x1, y1) in zip(zip(grid, means), zip(grid[1:], means[1:])):
        if (y0 - target) * (y1 - target) <= 0 and y0 != y1:
            share = (target - y0) / (y1 - y0)
            return math.exp(math.log(x0) + share * (math.log(x1) - math.log(x0))), True
    nearest = int(np.argmin([abs(m - target) for m in means]))
    return grid[nearest], False


def fit(extra, folder):
    tideh_delays, _, _ = tideh(DEFAULT_DATA)
    neutral = {"notifications.share": 0.0, "profile_visits.per_day": 0.0}
    result = {"seeds": list(SEEDS), "overrides": list(extra), "parameters": {}}
    for key, how in FITS.items():
        target = how["measure"](tideh_delays)
        means = []
        for value in how["grid"]:
            overrides = variants.variants({**neutral, key: value})[how["variant"]]
            per_seed = []
            for seed in SEEDS:
                path = pathlib.Path(folder) / "fit.h5"
                variants.run(path, overrides, seed, extra)
                delays, _ = simulated(path)
                per_seed.append(how["measure"](delays))
            means.append(float(np.mean(per_seed)))
            print(f"{key} = {value}: {how['statistic']} {means[-1]:.4f} (seeds {per_seed})", flush=True)
        value, bracketed = interpolate(how["grid"], means, target)
        result["parameters"][key] = {"value": float(f"{value:.3g}"), "target": target, "statistic": how["statistic"],
                                     "variant": how["variant"], "grid": how["grid"], "means": means,
                                     "bracketed": bracketed}
        print(f"{key}: {value:.3g} (TiDeH {how['statistic']} {target:.4f}; bracketed: {bracketed})", flush=True)
    result.update({key: entry["value"] for key, entry in result["parameters"].items()})
    return result


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--output", default=str(variants.FITTED))
    parser.add_argument("--set", action="append", default=[], help="override a key of the validation scenario")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        result = fit(args.set, folder)
    pathlib.Path(args.output).write_text(json.dumps(result, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
