"""One layout for every kind of run: an author's followers, a graph, with and without retweets."""
import h5py
import numpy as np
import pandas as pd
import pytest

from conftest import SCENARIOS, reachsim, table

COMMON = {
    "posts": ["replicate", "author", "post_time", "followers_reached", "impressions",
              "first_seen_delay", "reached_by_segment"],
    "followers": ["author", "account", "segment", "utc_offset_hours", "posts_delivered", "posts_seen",
                  "impressions", "replicates_reached", "weeks_reached", "months_reached", "week", "month"],
    "segments": ["segment", "size", "seen_fraction", "seen_fraction_stderr", "impressions_per_post_follower",
                 "mean_followers_reached"],
    "summary": ["seen_fraction", "seen_fraction_stderr", "mean_followers_reached", "mean_impressions", "posts",
                "deliveries", "unresolved_pairs", "run_reach", "run_reach_stderr", "mean_weekly_reach",
                "mean_weekly_reach_stderr"],
    "replicates": ["posts", "seen_fraction", "mean_followers_reached", "mean_impressions", "seen_fraction_by_segment",
                   "run_reach", "run_reach_by_segment", "mean_weekly_reach", "weekly_reach", "weekly_reach_by_segment",
                   "weekly_posts_seen_per_follower", "weekly_impressions_per_follower", "monthly_reach",
                   "monthly_reach_by_segment", "run_reach_by_author", "weekly_reach_by_author", "deliveries",
                   "unresolved_pairs", "tracked_author"],
    "tracked_authors": ["account", "followers", "posts"],
    "curves/seen_by_age": ["age_seconds", "fraction"],
}
RETWEETS = {"posts": ["reach", "reach_beyond_followers", "retweets", "cascade_depth", "time_to_reach_50",
                      "time_to_reach_90"],
            "cascades": ["post", "retweeter", "parent", "time", "depth"],
            "summary": ["mean_retweets", "mean_reach"],
            "replicates": ["mean_retweets", "mean_reach", "mean_reach_beyond_followers"]}

RUNS = {
    "author": (SCENARIOS / "greencontact.toml", ["--replicates", 4, "--set", "simulation.duration=14d"]),
    "graph": (SCENARIOS / "small-power-law.toml", ["--replicates", 2, "--set", "graph.accounts=3000"]),
    "cascades": (SCENARIOS / "cascades-small.toml", ["--replicates", 2, "--set", "graph.accounts=2000"]),
}


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("layout")
    paths = {}
    for kind, (scenario, options) in RUNS.items():
        paths[kind] = folder / f"{kind}.h5"
        reachsim("run", scenario, "-o", paths[kind], *options)
    return paths


def dtypes(path, layout):
    with h5py.File(path) as f:
        return {f"{group}/{name}": f[group][name].dtype for group, names in layout.items() for name in names}


def test_every_kind_writes_the_same_groups_with_the_same_types(outputs):
    reference = dtypes(outputs["author"], COMMON)
    for kind in ("graph", "cascades"):
        assert dtypes(outputs[kind], COMMON) == reference, kind
    assert dtypes(outputs["author"], RETWEETS) == dtypes(outputs["cascades"], RETWEETS)
    with h5py.File(outputs["graph"]) as f:
        assert "cascades" not in f and "reach_beyond_followers" not in f["posts"]


@pytest.mark.parametrize("kind", list(RUNS))
def test_replicate_summaries_agree_with_the_posts(outputs, kind):
    with h5py.File(outputs[kind]) as f:
        posts = pd.DataFrame({name: f["posts"][name][()] for name in ["replicate", "author", "followers_reached",
                                                                        "impressions"]})
        replicates = table(f["replicates"])
        tracked = table(f["tracked_authors"])
        followers = pd.DataFrame({name: f["followers"][name][()] for name in ["author", "account"]})
        summary_posts = f["summary/posts"][()]
    per_replicate = posts.groupby("replicate")
    np.testing.assert_array_equal(replicates["posts"], per_replicate.size())
    np.testing.assert_allclose(replicates["mean_followers_reached"], per_replicate["followers_reached"].mean())
    np.testing.assert_allclose(replicates["mean_impressions"], per_replicate["impressions"].mean())
    assert replicates["posts"].sum() == summary_posts == len(posts)
    # Each tracked author's followers are rows of /followers, and its posts are counted.
    np.testing.assert_array_equal(followers.groupby("author").size().reindex(tracked["account"], fill_value=0),
                                  tracked["followers"])
    np.testing.assert_array_equal(posts.groupby("author").size().reindex(tracked["account"], fill_value=0),
                                  tracked["posts"])


def test_an_author_run_is_a_star_whose_author_is_account_0(outputs):
    with h5py.File(outputs["author"]) as f:
        assert f.attrs["mode"] == "single_author"
        assert (f["posts/author"][()] == 0).all()
        assert list(f["tracked_authors/account"][()]) == [0]
        np.testing.assert_array_equal(f["followers/account"][()], np.arange(1, 565))
        rows = table(f["cascades"])
        retweets = f["posts/retweets"][()]
    assert (rows["parent"] == 0).all() and (rows["depth"] == 1).all()
    np.testing.assert_array_equal(rows.groupby("post").size().reindex(range(len(retweets)), fill_value=0),
                                  retweets)


@pytest.mark.parametrize("kind", list(RUNS))
def test_every_group_opens_in_xarray_with_labelled_dimensions(outputs, kind):
    import xarray as xr
    with h5py.File(outputs[kind]) as f:
        groups = []
        f.visititems(lambda name, node: groups.append(name) if isinstance(node, h5py.Group) else None)
    assert "replicates" in groups and "curves/seen_by_age" in groups
    for group in groups:
        with xr.open_dataset(outputs[kind], engine="h5netcdf", group=group) as dataset:
            # No dimension is left unnamed (h5netcdf would need phony_dims for those).
            assert not any(str(dim).startswith("phony") for dim in dataset.dims), group
    with xr.open_dataset(outputs[kind], engine="h5netcdf", group="replicates") as replicates:
        assert replicates["weekly_reach_by_segment"].dims == ("replicate", "week", "segment")
        assert isinstance(replicates["segment"].values[0], str)
        assert replicates["week"].dtype.kind == "M"  # instants, from the CF units
    with xr.open_dataset(outputs[kind], engine="h5netcdf", group="posts") as posts:
        assert posts["post_time"].dtype.kind == "M"
        assert posts["reached_by_segment"].dims == ("post", "segment")


@pytest.mark.parametrize("kind", list(RUNS))
def test_campaign_reach_agrees_between_followers_and_replicates(outputs, kind):
    """Every follower's count of reaching replicates, summed per author and week, is the replicates'
    reach times the author's followers; and the overall reach is the authors' reach weighted by
    followers."""
    with h5py.File(outputs[kind]) as f:
        author = f["followers/author"][()]
        replicates_reached = f["followers/replicates_reached"][()]
        weeks_reached = f["followers/weeks_reached"][()]
        tracked = f["tracked_authors/account"][()]
        followers = f["tracked_authors/followers"][()].astype(float)
        by_author = f["replicates/run_reach_by_author"][()]          # [replicate, author]
        weekly_by_author = f["replicates/weekly_reach_by_author"][()]  # [replicate, week, author]
        run_reach = f["replicates/run_reach"][()]
    for k, account in enumerate(tracked):
        rows = author == account
        np.testing.assert_allclose(replicates_reached[rows].sum(), by_author[:, k].sum() * followers[k])
        np.testing.assert_allclose(weeks_reached[rows].sum(axis=0), weekly_by_author[:, :, k].sum(axis=0) * followers[k])
    np.testing.assert_allclose(run_reach, (by_author * followers).sum(axis=1) / followers.sum())
