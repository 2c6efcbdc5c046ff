"""The HDF5 output, read back by h5py and pandas as users' notebooks do."""
import h5py
import numpy as np
import pandas as pd
import pytest

from conftest import SCENARIOS, reachsim, table


def posts_frame(path):
    with h5py.File(path, "r") as f:
        posts = f["posts"]
        return table(posts)


def test_root_attributes_describe_the_run(greencontact_output):
    path, _ = greencontact_output
    with h5py.File(path, "r") as f:
        attrs = f.attrs
        assert attrs["format"] == "reachsim"
        assert attrs["format_version"] == 4
        for key in ("reachsim_version", "git_commit", "created_utc", "command_line"):
            assert isinstance(attrs[key], str) and attrs[key]
        assert attrs["seed"] == 2012
        assert attrs["replicates"] == 10
        assert attrs["scenario"] == (SCENARIOS / "greencontact.toml").read_text()
        resolved = attrs["resolved_scenario"]
        assert 'duration = "30d"' in resolved or "duration = '30d'" in resolved
        assert "replicates = 10" in resolved


def test_resolved_scenario_reruns_to_the_same_results(greencontact_output, tmp_path):
    path, _ = greencontact_output
    with h5py.File(path, "r") as f:
        resolved = f.attrs["resolved_scenario"]
        original_posts = f["posts/followers_reached"][()]
    scenario = tmp_path / "resolved.toml"
    scenario.write_text(resolved)
    rerun = tmp_path / "rerun.h5"
    reachsim("run", scenario, "-o", rerun)
    with h5py.File(rerun, "r") as f:
        np.testing.assert_array_equal(f["posts/followers_reached"][()], original_posts)


def test_posts_table_is_consistent(greencontact_output):
    path, _ = greencontact_output
    posts = posts_frame(path)
    with h5py.File(path, "r") as f:
        by_segment = f["posts/reached_by_segment"][()]
        sizes = f["segments/size"][()]
        followers = f["followers/segment"].shape[0]
        total_posts = f["summary/posts"][()]
    assert len(posts) == total_posts > 0
    assert sorted(posts["replicate"].unique()) == list(range(10))
    assert (posts["post_time"] >= 0).all() and (posts["post_time"] < 30 * 86400).all()
    assert by_segment.shape == (len(posts), len(sizes))
    np.testing.assert_array_equal(by_segment.sum(axis=1), posts["followers_reached"])
    assert (by_segment <= sizes).all()
    assert (posts["followers_reached"] <= followers).all()
    assert (posts["impressions"] >= posts["followers_reached"]).all()
    unseen = posts["followers_reached"] == 0
    assert posts.loc[unseen, "first_seen_delay"].isna().all()
    assert (posts.loc[~unseen, "first_seen_delay"] >= 0).all()
    # Posts of a replicate are in posting order.
    assert posts.groupby("replicate")["post_time"].apply(lambda t: t.is_monotonic_increasing).all()


def test_followers_segments_and_summary_agree(greencontact_output):
    path, _ = greencontact_output
    posts = posts_frame(path)
    with h5py.File(path, "r") as f:
        rows = f["followers"]["follower"].shape
        followers = pd.DataFrame(
            {name: f["followers"][name][()] for name in f["followers"] if f["followers"][name].shape == rows}
        )
        segments = table(f["segments"])
        segments["segment"] = f["segments/segment"][()]
        summary = {name: f["summary"][name][()] for name in f["summary"]}
    segments["segment"] = segments["segment"].str.decode("utf-8")
    assert list(segments["segment"])[:2] == ["UK", "journalists (Europe)"]
    assert segments["size"].sum() == len(followers) == 564
    assert (followers["posts_delivered"] == len(posts)).all()
    assert followers["posts_seen"].sum() == posts["followers_reached"].sum()
    assert followers["impressions"].sum() == posts["impressions"].sum()
    pairs = len(posts) * len(followers)
    assert summary["seen_fraction"] == pytest.approx(posts["followers_reached"].sum() / pairs, rel=1e-12)
    assert summary["mean_followers_reached"] == pytest.approx(posts["followers_reached"].mean(), rel=1e-12)
    assert summary["mean_impressions"] == pytest.approx(posts["impressions"].mean(), rel=1e-12)
    assert 0 < summary["seen_fraction_stderr"] < 0.05
    per_segment_seen = followers.groupby("segment")["posts_seen"].sum().to_numpy()
    np.testing.assert_allclose(segments["seen_fraction"], per_segment_seen / (len(posts) * segments["size"]),
                               rtol=1e-12)
    uk = followers[followers["segment"] == 0]
    assert (uk["utc_offset_hours"] == 0).all()


def test_seen_by_age_curve_is_a_cumulative_share(greencontact_output):
    path, _ = greencontact_output
    with h5py.File(path, "r") as f:
        age = f["curves/seen_by_age/age_seconds"][()]
        fraction = f["curves/seen_by_age/fraction"][()]
        delays = f["posts/first_seen_delay"][()]
    assert (np.diff(age) > 0).all() and age[0] == 1.0
    np.testing.assert_allclose(np.log10(age[1:] / age[:-1]), 0.05)
    assert (np.diff(fraction) >= 0).all() and 0 <= fraction[0] and fraction[-1] <= 1
    # The earliest first view of any post bounds the curve from below.
    first = np.nanmin(delays)
    assert fraction[age < first].sum() == 0


def test_output_opens_in_xarray_style_tools_as_plain_columns(greencontact_output):
    path, _ = greencontact_output
    posts = posts_frame(path)
    reached = posts.groupby("replicate")["followers_reached"].mean()
    assert len(reached) == 10 and (reached > 0).all()


def test_the_table_names_every_segment(greencontact_output):
    _, stdout = greencontact_output
    for name in ("UK", "journalists (Europe)", "North America", "Asia-Pacific", "all"):
        assert name in stdout
    assert "95% interval" in stdout


def test_greencontact_retweets_are_calibrated_to_the_blog(greencontact_output):
    # scenarios/greencontact.toml sets retweets.probability so that expected retweets per tweet
    # = 18/79. Retweets are Bernoulli(q) per first view, so over V first views their sd is
    # sqrt(V q (1 - q)); the calibration itself rounds q to 3 significant digits (< 0.3%).
    path, stdout = greencontact_output
    with h5py.File(path) as f:
        posts = pd.DataFrame({k: f["posts"][k][()] for k in ("followers_reached", "retweets",
                                                                "reach_beyond_followers", "reach")})
        assert f["summary/mean_retweets"][()] == pytest.approx(posts["retweets"].mean())
    q = 0.00125
    views = posts["followers_reached"].sum()
    assert abs(posts["retweets"].sum() - q * views) < 5 * np.sqrt(views * q * (1 - q))
    target = 18 / 79 * len(posts)
    assert abs(posts["retweets"].sum() - target) < 5 * np.sqrt(views * q * (1 - q)) + 0.003 * target
    assert (posts["reach"] == posts["followers_reached"] + posts["reach_beyond_followers"]).all()
    assert (posts.loc[posts["retweets"] == 0, "reach_beyond_followers"] == 0).all()
    assert "retweets:" in stdout


def test_views_by_channel_add_up_and_open_in_xarray(tmp_path):
    """Notifications, profile visits and sessions that last: every view is counted by its channel,
    in /posts and in /channels, which xarray opens with the channel names as coordinate."""
    import xarray as xr
    output = tmp_path / "channels.h5"
    result = reachsim("run", SCENARIOS / "greencontact.toml", "-o", output, "--replicates", 3, "--set", 'simulation.follow_up="7d"',
                      "--set", "followers.notifications.share=0.1", "--set", "followers.profile_visits.per_day=0.05",
                      "--set", 'followers.sessions.duration="2m"')
    assert "first views by channel: feed" in result.stdout
    with h5py.File(output, "r") as f:
        posts = f["posts"]
        impressions = posts["impressions_by_channel"][()]
        reach = posts["reach_by_channel"][()]
        assert list(posts["channel"].asstr()[()]) == ["feed", "live", "notification", "profile"]
        np.testing.assert_array_equal(impressions.sum(axis=1), posts["impressions"][()])
        np.testing.assert_array_equal(reach.sum(axis=1), posts["reach"][()])
        assert (reach > 0).any(axis=0).all()  # every channel brought someone a post
        mean_reach = f["channels/mean_reach"][()]
        np.testing.assert_allclose(mean_reach, reach.sum(axis=0) / len(reach))
    channels = xr.open_dataset(output, engine="h5netcdf", group="channels")
    assert list(channels["channel"].values) == ["feed", "live", "notification", "profile"]
    np.testing.assert_allclose(channels["mean_impressions"].values, impressions.sum(axis=0) / len(impressions))
