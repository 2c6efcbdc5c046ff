"""The analysis package (analysis/reachsim_analysis) against files the real binary writes in this
test run: every dataset round-trips, tidy tables have the right shapes and types, the xarray views
work, bad files get a clear error, and the report renders for every kind of file."""
import subprocess
import sys

import h5py
import numpy as np
import pandas as pd
import pytest

from conftest import SCENARIOS, SOURCE_DIR, reachsim

sys.path.insert(0, str(SOURCE_DIR / "analysis"))
from reachsim_analysis import FORMAT_VERSION, NotReachsimOutput, open_run, open_sweep  # noqa: E402

RUNS = {
    "author": (SCENARIOS / "greencontact.toml", ["--replicates", 3, "--set", "simulation.duration=14d"]),
    "graph": (SCENARIOS / "hersheycareers.toml", ["--replicates", 2]),
    "cascades": (SCENARIOS / "cascades-small.toml", ["--replicates", 2, "--set", "graph.accounts=2000"]),
}


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("analysis")
    paths = {}
    for kind, (scenario, options) in RUNS.items():
        paths[kind] = folder / f"{kind}.h5"
        reachsim("run", scenario, "-o", paths[kind], "-q", *options)
    paths["sweep"] = folder / "sweep.h5"
    reachsim("sweep", SCENARIOS / "frequency-sweep.toml", "-o", paths["sweep"], "-q", "--replicates", 3,
             "--set", "simulation.duration=14d", "--param", "author.posting.per_day=[0.5, 2, 8]")
    return paths


TABLES = {"posts": "post", "followers": "follower", "segments": "segment", "replicates": "replicate",
          "tracked_authors": "tracked_author", "accounts": "account", "cascades": "retweet"}


def as_numbers(column):
    if pd.api.types.is_timedelta64_dtype(column):
        return column.dt.total_seconds().to_numpy()
    return column.to_numpy()


@pytest.mark.parametrize("kind", list(RUNS))
def test_every_dataset_round_trips(files, kind):
    run = open_run(files[kind])
    with h5py.File(files[kind]) as f:
        for group, dimension in TABLES.items():
            if group not in f:
                assert getattr(run, group) is None
                continue
            table = getattr(run, group)
            for name, dataset in f[group].items():
                if dataset.ndim != 1 or h5py.h5ds.is_scale(dataset.id):
                    continue
                if dataset.dims[0][0].name.rsplit("/", 1)[-1] != dimension:
                    continue
                raw = dataset.asstr()[()] if h5py.check_string_dtype(dataset.dtype) else dataset[()]
                np.testing.assert_array_equal(as_numbers(table[name]), raw, err_msg=f"{group}/{name}")
        reached = f["posts/reached_by_segment"][()]
        for s, segment in enumerate(run.segment_names):
            np.testing.assert_array_equal(run.posts[f"reached {segment}"], reached[:, s])
        np.testing.assert_equal(run.summary, {k: d[()].item() for k, d in f["summary"].items()})
        assert run.provenance["seed"] == f.attrs["seed"] and run.provenance["replicates"] == f.attrs["replicates"]
        np.testing.assert_array_equal(run.curves["fraction"], f["curves/seen_by_age/fraction"][()])
        by_segment = f["curves/seen_by_age/fraction_by_segment"][()]
        for s, segment in enumerate(run.segment_names):
            np.testing.assert_array_equal(run.curves[f"fraction {segment}"], by_segment[:, s])


@pytest.mark.parametrize("kind", list(RUNS))
def test_tidy_tables_have_the_right_shapes_and_types(files, kind):
    run = open_run(files[kind])
    replicates = run.provenance["replicates"]
    assert all(isinstance(name, str) for name in run.segments["segment"])
    assert str(run.posts["time_utc"].dt.tz) == "UTC"
    # The author's local clock: UTC shifted by the author's offset.
    offsets = run.tracked_authors.set_index("account")["utc_offset_hours"]
    shift = (run.posts["time_local"] - run.posts["time_utc"].dt.tz_localize(None)).dt.total_seconds() / 3600
    np.testing.assert_allclose(shift, run.posts["author"].map(offsets))
    assert set(run.posts["weekday"]) <= {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
    weeks = run.followers_by_week["week"].nunique()
    assert len(run.followers_by_week) == len(run.followers) * weeks
    assert run.followers_by_week["reach_probability"].between(0, 1).all()
    assert len(run.weekly) == replicates * weeks * len(run.segments)
    assert run.followers["segment_name"].isin(run.segment_names).all()
    assert run.scenario["simulation"]["replicates"] == replicates
    if kind == "graph":  # a file graph: accounts carry the ids of the edge list
        with h5py.File(files[kind]) as f:
            np.testing.assert_array_equal(run.accounts["account_id"], f["graph/original_id"].asstr()[()])
        assert run.posts["author_id"].isin(run.accounts["account_id"]).all()
    if kind == "cascades":
        assert (run.cascades["delay_seconds"] > 0).all()


def test_xarray_views(files):
    run = open_run(files["author"])
    replicates = run.dataset("replicates")
    assert replicates["weekly_reach_by_segment"].dims == ("replicate", "week", "segment")
    sweep = open_sweep(files["sweep"])
    dataset = sweep.to_xarray()
    assert dataset["seen_fraction"].dims == ("point", "replicate")
    np.testing.assert_array_equal(dataset["author.posting.per_day"], [0.5, 2, 8])
    # A row per (point, replicate): parameters, then metrics; and each point is a Run.
    assert len(sweep.table) == 3 * 3
    assert list(sweep.table.columns[:3]) == ["point", "replicate", "author.posting.per_day"]
    point = sweep.point(1)
    np.testing.assert_array_equal(sweep.table.query("point == 1")["seen_fraction"],
                                  point.replicates["seen_fraction"])
    assert point.dataset("posts")["post_time"].dtype.kind == "M"


def test_bad_files_get_a_clear_error(files, tmp_path):
    text = tmp_path / "notes.h5"
    text.write_text("not HDF5")
    with pytest.raises(NotReachsimOutput, match="not an HDF5 file"):
        open_run(text)
    foreign = tmp_path / "foreign.h5"
    with h5py.File(foreign, "w") as f:
        f["x"] = 1
    with pytest.raises(NotReachsimOutput, match="not a reachsim output file"):
        open_run(foreign)
    old = tmp_path / "old.h5"
    old.write_bytes(files["author"].read_bytes())
    with h5py.File(old, "a") as f:
        f.attrs["format_version"] = 2
    with pytest.raises(NotReachsimOutput, match=f"format_version 2, but this package reads format_version {FORMAT_VERSION}"):
        open_run(old)
    with pytest.raises(NotReachsimOutput, match="use open_sweep"):
        open_run(files["sweep"])
    with pytest.raises(NotReachsimOutput, match="use open_run"):
        open_sweep(files["author"])
    result = subprocess.run([sys.executable, "-m", "reachsim_analysis", "report", str(foreign), "-o",
                             str(tmp_path / "r.html")], capture_output=True, text=True,
                            env={"PYTHONPATH": str(SOURCE_DIR / "analysis")})
    assert result.returncode == 2 and "not a reachsim output file" in result.stderr


@pytest.mark.parametrize("kind,figures", [("author", 6), ("graph", 5), ("cascades", 7), ("sweep", 1)])
def test_the_report_renders_for_every_kind(files, tmp_path, kind, figures):
    output = tmp_path / f"{kind}.html"
    result = subprocess.run([sys.executable, "-m", "reachsim_analysis", "report", str(files[kind]), "-o", str(output)],
                            capture_output=True, text=True, env={"PYTHONPATH": str(SOURCE_DIR / "analysis")})
    assert result.returncode == 0, result.stderr
    page = output.read_text()
    assert page.count("<img") == figures
    assert "http://" not in page and "https://" not in page  # self-contained
    assert ("Points" if kind == "sweep" else "Assumptions") in page
