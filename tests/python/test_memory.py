"""The memory guard tells the truth: the estimated peak a run prints is within 25% of the peak
resident memory the process reaches, at three graph sizes and for an author scenario."""
import os
import re
import subprocess

import pytest

from conftest import BINARY, SCENARIOS

pytestmark = pytest.mark.skipif(os.environ.get("REACHSIM_SANITIZED") == "1",
                                reason="sanitizers' shadow memory inflates resident memory")

UNITS = {"bytes": 1, "KiB": 2**10, "MiB": 2**20, "GiB": 2**30}


def estimated_and_measured(*args):
    """The printed estimate and the peak resident memory, measured by GNU time: a process forked
    from this (large) Python process would report Python's resident memory as its own peak, so
    time, small itself, forks the run."""
    result = subprocess.run(["/usr/bin/time", "-f", "peak %M KB", BINARY, "run", *map(str, args)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    value, unit = re.search(r"memory: estimated peak ([\d.]+) (\w+)", result.stdout).groups()
    measured_kb = int(re.search(r"peak (\d+) KB", result.stderr).group(1))
    return float(value) * UNITS[unit], measured_kb * 1024


@pytest.mark.parametrize("accounts", [100_000, 200_000, 400_000])
def test_the_estimate_of_a_graph_run_is_within_25_percent(tmp_path, accounts):
    estimated, measured = estimated_and_measured(SCENARIOS / "small-power-law.toml", "-o", tmp_path / "g.h5",
                                                 "--set", f"graph.accounts={accounts}", "--replicates", 1,
                                                 "--set", "simulation.follow_up=6h")
    assert abs(estimated - measured) <= 0.25 * measured, (estimated, measured)


def test_the_estimate_of_an_author_run_is_within_25_percent(tmp_path):
    estimated, measured = estimated_and_measured(SCENARIOS / "greencontact.toml", "-o", tmp_path / "g.h5")
    assert abs(estimated - measured) <= 0.25 * measured, (estimated, measured)
