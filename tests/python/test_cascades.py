"""Retweet cascades: invariants of every cascade tree, read back from HDF5 with h5py and pandas."""
import h5py
import pandas as pd
import pytest

from conftest import SCENARIOS, reachsim, table

MIN_DELAY = 60.0  # scenarios/cascades-small.toml: min_delay = "1m"


@pytest.fixture(scope="module")
def cascades(tmp_path_factory):
    path = tmp_path_factory.mktemp("cascades") / "cascades.h5"
    reachsim("run", SCENARIOS / "cascades-small.toml", "-o", path, "--replicates", 2,
             "--set", "graph.accounts=3000")
    with h5py.File(path) as f:
        posts = table(f["posts"])
        rows = table(f["cascades"])
        viewers = f["posts/viewers_by_generation"][()]
        retweeters = f["posts/retweeters_by_generation"][()]
        accounts = table(f["accounts"])
    return posts, rows, viewers, retweeters, accounts


def test_there_are_cascades_to_check(cascades):
    posts, rows, *_ = cascades
    assert len(rows) > 50 and rows["depth"].max() >= 2


def test_every_cascade_is_a_tree_rooted_at_the_author(cascades):
    posts, rows, *_ = cascades
    rows = rows.join(posts[["author", "post_time"]], on="post")
    assert (rows["retweeter"] != rows["author"]).all()  # authors never retweet their own posts
    assert not rows.duplicated(["post", "retweeter"]).any()  # at most one retweet per account and post
    first = rows[rows["depth"] == 1]
    assert (first["parent"] == first["author"]).all()  # one root per post: the author
    assert (first["time"] >= first["post_time"] + MIN_DELAY).all()
    deeper = rows[rows["depth"] > 1].merge(rows[["post", "retweeter", "time", "depth"]],
                                           left_on=["post", "parent"], right_on=["post", "retweeter"],
                                           suffixes=("", "_parent"))
    assert len(deeper) == (rows["depth"] > 1).sum()  # every parent retweeted the same post
    assert (deeper["depth"] == deeper["depth_parent"] + 1).all()
    # The parent's retweet reached the retweeter before they retweeted: times increase down the tree.
    assert (deeper["time"] >= deeper["time_parent"] + MIN_DELAY).all()


def test_post_columns_agree_with_the_cascade_table(cascades):
    posts, rows, viewers, retweeters, _ = cascades
    per_post = rows.groupby("post").agg(count=("retweeter", "size"), depth=("depth", "max"))
    per_post = per_post.reindex(range(len(posts)), fill_value=0)
    assert (posts["retweets"] == per_post["count"]).all()
    assert (posts["cascade_depth"] == per_post["depth"]).all()
    assert (posts["reach"] >= posts["retweets"]).all()
    assert (posts["reach"] >= posts["followers_reached"]).all()
    assert (posts["reach_beyond_followers"] == posts["reach"] - posts["followers_reached"]).all()
    assert (viewers.sum(axis=1) == posts["reach"]).all()
    assert (retweeters.sum(axis=1) == posts["retweets"]).all()
    assert (retweeters[:, 0] == 0).all()
    seen = posts[posts["reach"] > 0]
    assert (seen["time_to_reach_50"] <= seen["time_to_reach_90"]).all()
    assert posts.loc[posts["reach"] == 0, "time_to_reach_50"].isna().all()


def test_accounts_gain_retweets_and_reach_including_retweets(cascades):
    *_, accounts = cascades
    posted = accounts[accounts["posts"] > 0]
    assert (posted["mean_reach"] >= posted["mean_followers_reached"]).all()
    assert (posted["mean_retweets"] >= 0).all() and posted["mean_retweets"].sum() > 0
