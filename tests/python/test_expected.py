"""`reachsim run --expected`: expected values computed rather than sampled, in a real HDF5 file read
by h5py, pandas (through the analysis package) and xarray, and close to a sampled run's."""
import sys

import h5py
import numpy as np
import pytest
import xarray as xr

from conftest import SCENARIOS, SOURCE_DIR, reachsim

sys.path.insert(0, str(SOURCE_DIR / "analysis"))
from reachsim_analysis import Expected, open_run  # noqa: E402


@pytest.fixture(scope="module")
def expected_greencontact(tmp_path_factory):
    path = tmp_path_factory.mktemp("expected") / "greencontact-expected.h5"
    result = reachsim("run", SCENARIOS / "greencontact.toml", "--expected", "-o", path)
    return path, result.stdout


def test_the_file_holds_expected_values_by_follower_segment_and_overall(expected_greencontact):
    path, stdout = expected_greencontact
    with h5py.File(path) as f:
        assert f.attrs["mode"] == "expected"
        assert f.attrs["replicates"] == 0
        posts = f["summary/posts"][()]
        seen = f["followers/posts_seen"][()]
        impressions = f["followers/impressions"][()]
        sizes = f["segments/size"][()]
    assert seen.shape == (564,) and sizes.sum() == 564
    assert np.all((seen >= 0) & (seen <= posts)) and np.all(impressions >= 0)
    # The overall figures are the followers' sums, and each segment's are its followers'.
    run = open_run(path)
    assert isinstance(run, Expected)
    assert run.summary["seen_fraction"] == pytest.approx(seen.sum() / (posts * 564), rel=1e-12)
    assert run.summary["mean_followers_reached"] == pytest.approx(seen.sum() / posts, rel=1e-12)
    by_segment = run.followers.groupby("segment")["posts_seen"].sum()
    for _, row in run.segments.iterrows():
        assert row["seen_fraction"] == pytest.approx(by_segment[row["segment"]] / (posts * row["size"]), rel=1e-12)
    assert "all" in stdout and "expected values" in stdout
    followers = xr.open_dataset(path, engine="h5netcdf", group="followers")
    assert followers["seen_fraction"].dims == ("follower",)


def test_expected_values_agree_with_a_sampled_run(expected_greencontact, greencontact_output):
    # The sampled fixture is 10 replicates of 30 days; the expected file is the whole 90 days, so
    # compare a 30-day expected run with it, segment by segment within 4 standard errors.
    path, _ = expected_greencontact
    short = path.with_name("greencontact-30d-expected.h5")
    reachsim("run", SCENARIOS / "greencontact.toml", "--expected", "-o", short, "--set", "simulation.duration=30d")
    expected = open_run(short).segments.set_index("segment")
    sampled = open_run(greencontact_output[0]).segments.set_index("segment")
    for name, row in sampled.iterrows():
        assert abs(row["seen_fraction"] - expected.loc[name, "seen_fraction"]) < 4 * row["seen_fraction_stderr"], name


def test_a_graph_run_has_a_row_per_tracked_author_and_follower(tmp_path):
    out = tmp_path / "graph-expected.h5"
    result = reachsim("run", SCENARIOS / "small-power-law.toml", "--expected", "-o", out, "--set", "graph.accounts=800")
    # The scenario asks for a row per account, which only sampled runs write: it says so.
    assert "track.all_accounts" in result.stdout and "sampled runs only" in result.stdout
    with h5py.File(out) as file:
        assert "accounts" not in file
    assert "computed in" in result.stdout and "building the world" in result.stdout
    run = open_run(out)
    authors = run.tracked_authors
    assert len(authors) == 6 and (authors["posts"] > 0).all()
    # Each author's followers reached per post is its rows' sum over its expected posts.
    for _, author in authors.iterrows():
        rows = run.followers[run.followers["author"] == author["account"]]
        assert len(rows) == author["followers"]
        assert rows["posts_seen"].sum() / author["posts"] == pytest.approx(author["mean_followers_reached"], rel=1e-12)
        assert ((rows["seen_fraction"] >= 0) & (rows["seen_fraction"] <= 1)).all()
    assert run.summary["posts"] == pytest.approx(authors["posts"].sum(), rel=1e-12)


def test_what_it_cannot_compute_is_refused_naming_the_file_and_key(tmp_path):
    out = tmp_path / "never.h5"
    result = reachsim("run", SCENARIOS / "cascades-small.toml", "--expected", "-o", out, check=False)
    assert result.returncode == 2
    assert "cascades-small.toml" in result.stderr and "'retweets'" in result.stderr
    assert not out.exists()
    lasting = reachsim("run", SCENARIOS / "constant-rates.toml", "--expected", "-o", out, "--set",
                       'followers.sessions.duration="2m"', check=False)
    assert lasting.returncode == 2 and "sessions.duration" in lasting.stderr and "constant-rates.toml" in lasting.stderr
    assert not out.exists()
