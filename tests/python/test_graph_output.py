"""Graph runs: the HDF5 output of a real follower graph, checked against the edge list itself."""
import h5py
import numpy as np
import pandas as pd
import pytest

from conftest import SCENARIOS, assert_same_content, read_everything, reachsim, table

HERSHEY = SCENARIOS / "hersheycareers.toml"


@pytest.fixture(scope="module")
def hershey_output(tmp_path_factory):
    path = tmp_path_factory.mktemp("graph") / "hershey.h5"
    result = reachsim("run", HERSHEY, "-o", path, "--replicates", 2, "--set", "simulation.duration=3d")
    return path, result.stdout


def frame(group):
    return table(group)


def edges():
    """(follower, followee) pairs of the bundled edge list: 'src trg' means trg follows src."""
    table = pd.read_csv(SCENARIOS / "data" / "hersheycareers.edges.tsv", sep="\t", comment="#",
                        names=["src", "trg"])
    return set(zip(table["trg"], table["src"]))


def test_graph_group_describes_the_real_graph(hershey_output):
    path, _ = hershey_output
    with h5py.File(path) as f:
        graph = f["graph"]
        assert graph.attrs["source"] == "file"
        assert len(graph.attrs["sha256"]) == 64
        assert graph["accounts"][()] == 3726
        assert graph["follows"][()] == len(edges()) == 23939
        assert graph["reciprocity"][()] == pytest.approx(0.377, abs=5e-4)
        assert graph["followers_max"][()] == 1627
        assert graph["followers_histogram"][()].sum() == 3726
        ids = graph["original_id"][()].astype(str)
        assert list(ids[:3]) == ["0", "1", "2"]


def test_accounts_table_ranks_every_account(hershey_output):
    path, _ = hershey_output
    with h5py.File(path) as f:
        accounts = frame(f["accounts"])
    assert len(accounts) == 3726
    posted = accounts[accounts["posts"] > 0]
    assert (posted["mean_followers_reached"] <= posted["followers"]).all()
    with_followers = posted[posted["followers"] > 0]
    assert ((with_followers["seen_fraction"] >= 0) & (with_followers["seen_fraction"] <= 1)).all()
    assert posted.loc[posted["followers"] == 0, "seen_fraction"].isna().all()  # no (post, follower) pairs
    np.testing.assert_allclose(with_followers["seen_fraction"],
                               with_followers["mean_followers_reached"] / with_followers["followers"], rtol=1e-12)
    assert accounts.loc[accounts["posts"] == 0, "mean_followers_reached"].isna().all()
    followers_from_edges = pd.Series([followee for _, followee in edges()]).value_counts()
    np.testing.assert_array_equal(accounts["followers"].to_numpy()[followers_from_edges.index.to_numpy()],
                                  followers_from_edges.to_numpy())


def test_tracked_followers_are_the_authors_followers(hershey_output):
    path, _ = hershey_output
    with h5py.File(path) as f:
        followers = frame(f["followers"])
        posts = frame(f["posts"])
        by_segment = f["posts/reached_by_segment"][()]
    follows = edges()
    assert all((follower, author) in follows for author, follower in zip(followers["author"], followers["account"]))
    for author, rows in followers.groupby("author"):
        assert len(rows) == sum(1 for _, followee in follows if followee == author)
        assert (rows["posts_seen"] <= rows["posts_delivered"]).all()
        assert rows["posts_seen"].sum() == posts.loc[posts["author"] == author, "followers_reached"].sum()
    assert set(posts["author"]) <= set(followers["author"])
    np.testing.assert_array_equal(by_segment.sum(axis=1), posts["followers_reached"])


def test_graph_output_is_identical_on_one_and_two_threads(tmp_path):
    contents = []
    for threads in (1, 2):
        folder = tmp_path / str(threads)
        folder.mkdir()
        reachsim("run", SCENARIOS / "small-power-law.toml", "-o", "out.h5", "--threads", threads,
                 "--set", "graph.accounts=4000", cwd=folder)
        contents.append(read_everything(folder / "out.h5"))
    assert_same_content(*contents)


def test_graph_group_records_the_generator_and_its_parameters(tmp_path):
    path = tmp_path / "generated.h5"
    reachsim("run", SCENARIOS / "small-power-law.toml", "-o", path, "--set", "graph.accounts=2000")
    with h5py.File(path) as f:
        attrs = f["graph"].attrs
        assert attrs["source"] == "power_law"
        assert attrs["generated_accounts"] == 2000 == f["graph/accounts"][()]
        assert attrs["mean_following"] == 50 and attrs["followers_exponent"] == 2.2
        assert attrs["reciprocity_requested"] == 0.22 and attrs["homophily_requested"] == 0.6
        assert f["graph/reciprocity"][()] == pytest.approx(0.22, abs=0.02)
        assert "original_id" not in f["graph"]


def test_oversize_graph_is_refused_with_the_estimate(tmp_path):
    result = reachsim("run", SCENARIOS / "small-power-law.toml", "-o", tmp_path / "x.h5",
                      "--set", "graph.accounts=4000000000", "--set", "graph.mean_following=100", check=False)
    assert result.returncode == 2
    assert "needs an estimated" in result.stderr and "GiB" in result.stderr
    result = reachsim("run", SCENARIOS / "small-power-law.toml", "-o", tmp_path / "x.h5",
                      "--memory-limit", "2MiB", check=False)
    assert result.returncode == 2 and "limit of 2.0 MiB" in result.stderr
    assert not (tmp_path / "x.h5").exists()


def test_tracked_authors_who_never_post_are_named(tmp_path):
    """A tracked author with no post in the run is listed with 0 posts, and the table says so."""
    path = tmp_path / "silent.h5"
    result = reachsim("run", SCENARIOS / "small-power-law.toml", "-o", path, "--replicates", 1,
                      "--set", "simulation.duration=1h", "--set", "accounts.posting.per_day.mean=0.5")
    with h5py.File(path) as f:
        tracked = frame(f["tracked_authors"])
        posts = frame(f["posts"])
    made = posts.groupby("author").size().reindex(tracked["account"], fill_value=0)
    np.testing.assert_array_equal(tracked["posts"].to_numpy(), made.to_numpy())
    silent = tracked[tracked["posts"] == 0]
    assert len(silent) > 0  # an hour at 0.5 posts a day: most tracked authors make none
    assert f"{len(silent)} of them made no posts during the run" in result.stdout
