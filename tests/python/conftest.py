"""Fixtures for tests that run the real reachsim binary and read its HDF5 output."""
import os
import pathlib
import subprocess

import pytest

SOURCE_DIR = pathlib.Path(os.environ.get("REACHSIM_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))
BINARY = os.environ.get("REACHSIM_BINARY", str(SOURCE_DIR / "build" / "sim" / "reachsim"))
SCENARIOS = SOURCE_DIR / "scenarios"


def reachsim(*args, check=True, cwd=None):
    """Runs reachsim with the given arguments; returns the CompletedProcess."""
    result = subprocess.run([BINARY, *map(str, args)], capture_output=True, text=True, timeout=600, cwd=cwd)
    if check and result.returncode != 0:
        raise AssertionError(f"reachsim {args} exited {result.returncode}:\n{result.stderr}")
    return result


@pytest.fixture(scope="session")
def greencontact_output(tmp_path_factory):
    """A real greencontact run, shortened: 10 replicates of 30 days."""
    path = tmp_path_factory.mktemp("runs") / "greencontact.h5"
    result = reachsim("run", SCENARIOS / "greencontact.toml", "-o", path, "--replicates", 10,
                      "--set", "simulation.duration=30d")
    return path, result.stdout


def table(group):
    """The variables of an open h5py group along its first dimension (its rows) as a DataFrame:
    one column per 1-D dataset labelled by the same dimension scale as the group's rows."""
    import h5py
    import pandas as pd
    rows = None
    columns = {}
    for name, dataset in group.items():
        if dataset.ndim != 1 or h5py.h5ds.is_scale(dataset.id):
            continue
        dimension = dataset.dims[0][0].name if len(dataset.dims[0]) else None
        rows = rows or dimension
        if dimension == rows:
            columns[name] = dataset[()]
    return pd.DataFrame(columns)


VOLATILE_ATTRIBUTES = {"created_utc", "command_line", "threads"}


def read_everything(path):
    """Every dataset and attribute of a file but the volatile ones, keyed by path."""
    import h5py
    content = {}
    with h5py.File(path, "r") as f:
        for key, value in f.attrs.items():
            if key not in VOLATILE_ATTRIBUTES:
                content["@" + key] = value
        f.visititems(lambda name, node: content.__setitem__(name, node[()]) if isinstance(node, h5py.Dataset) else None)
    return content


def assert_same_content(one, two):
    """Two read_everything() results are identical, bit for bit."""
    import numpy as np
    assert one.keys() == two.keys()
    for key in one:
        if isinstance(one[key], (np.ndarray, np.generic)):
            np.testing.assert_array_equal(one[key], two[key], err_msg=key)
        else:
            assert one[key] == two[key], key
