"""`reachsim sweep`: points, the sweep file, validation before running, resuming after a kill,
Ctrl-C, the progress line and common random numbers — with the real binary and real files."""
import os
import pty
import shutil
import signal
import subprocess
import time

import h5py
import numpy as np
import pytest

from conftest import BINARY, SCENARIOS, reachsim

FREQUENCY = SCENARIOS / "frequency-sweep.toml"
POSTING_TIME = SCENARIOS / "posting-time-sweep.toml"
SHORT = ["--replicates", 4, "--set", "simulation.duration=14d", "-q"]
VOLATILE = {"created_utc", "command_line", "threads"}


def without_output_path(value):
    """A resolved scenario names its output file; two runs to different files differ only there."""
    if isinstance(value, str) and "[output]" in value:
        return "\n".join(line for line in value.splitlines() if not line.startswith("path = "))
    return value


def group_content(group):
    """Every dataset and attribute under an h5py group, by relative path; references excluded
    (they hold addresses), volatile attributes too."""
    content = {f"@{k}": without_output_path(v) for k, v in group.attrs.items() if k not in VOLATILE}

    def visit(name, node):
        for key, value in node.attrs.items():
            if key not in {"DIMENSION_LIST", "REFERENCE_LIST"}:
                content[f"{name}@{key}"] = value
        if isinstance(node, h5py.Dataset):
            content[name] = node[()]

    group.visititems(visit)
    return content


def assert_equal_content(one, two):
    assert one.keys() == two.keys()
    for key in one:
        np.testing.assert_array_equal(one[key], two[key], err_msg=key)


def test_each_point_is_exactly_the_run_with_its_settings(tmp_path):
    sweep = tmp_path / "sweep.h5"
    result = reachsim("sweep", FREQUENCY, "-o", sweep, "--param", "author.posting.per_day=[0.5, 2]", *SHORT)
    assert "wrote" in result.stdout and "author.posting.per_day=0.5" in result.stdout
    with h5py.File(sweep) as f:
        assert f.attrs["mode"] == "sweep" and f.attrs["complete"] == 1 and f.attrs["points"] == 2
        np.testing.assert_array_equal(f["sweep/parameters/author.posting.per_day"][()], [0.5, 2])
        for point, value in enumerate([0.5, 2]):
            run = tmp_path / f"run-{point}.h5"
            # The same scenario without its [sweep], the value set by --set: the same numbers.
            text = FREQUENCY.read_text().split("[sweep]")[0]
            scenario = tmp_path / "frequency.toml"
            scenario.write_text(text)
            reachsim("run", scenario, "-o", run, "--set", f"author.posting.per_day={value}", *SHORT)
            with h5py.File(run) as r:
                one = {k: v for k, v in group_content(f[f"points/{point}"]).items() if not k.startswith("@")}
                two = {k: v for k, v in group_content(r).items() if not k.startswith("@")}
                assert_equal_content(one, two)
                np.testing.assert_array_equal(f["sweep/summary/seen_fraction"][point], r["replicates/seen_fraction"][()])
                np.testing.assert_array_equal(f["sweep/summary/weekly_reach_by_segment"][point],
                                              r["replicates/weekly_reach_by_segment"][()])


def test_the_sweep_summary_opens_in_xarray_with_the_parameters_as_coordinates(tmp_path):
    import xarray as xr
    sweep = tmp_path / "sweep.h5"
    reachsim("sweep", FREQUENCY, "-o", sweep, *SHORT)
    with xr.open_dataset(sweep, engine="h5netcdf", group="sweep/summary") as summary:
        assert summary["weekly_reach_by_segment"].dims == ("point", "replicate", "week", "segment")
        assert "author.posting.per_day" in summary.coords
        np.testing.assert_array_equal(summary["author.posting.per_day"], [0.25, 0.5, 1, 2, 4, 8, 16])
        assert isinstance(summary["segment"].values[0], str)
        assert summary["week"].dtype.kind == "M"
        # Weekly reach grows with frequency; the per-post seen fraction does not (docs/model.md).
        reach = summary["mean_weekly_reach"].mean("replicate").values
        assert reach[-1] > reach[0] + 0.3
    with h5py.File(sweep) as f:
        groups = [f"points/{p}/{g}" for p in f["points"] for g in f[f"points/{p}"]]
    for group in groups:
        with xr.open_dataset(sweep, engine="h5netcdf", group=group) as dataset:
            assert not any(str(dim).startswith("phony") for dim in dataset.dims), group


def test_array_values_zip_and_ranges(tmp_path):
    scenario = tmp_path / "zip.toml"
    scenario.write_text(FREQUENCY.read_text().split("[sweep]")[0] + """
[sweep]
mode = "zip"
"author.posting" = [{ kind = "schedule", times = ["08:00"], days = "mon-fri" },
                    { kind = "schedule", times = ["08:00", "17:00"], days = "mon-fri" },
                    { kind = "poisson", per_day = 3, days = "mon-fri" }]
"followers.sessions.per_day" = { from = 1, to = 4, steps = 3, scale = "log" }
""")
    sweep = tmp_path / "zip.h5"
    reachsim("sweep", scenario, "-o", sweep, *SHORT)
    with h5py.File(sweep) as f:
        assert f.attrs["sweep_mode"] == "zip"
        np.testing.assert_allclose(f["sweep/parameters/followers.sessions.per_day"][()], [1, 2, 4])
        postings = f["sweep/parameters/author.posting"].asstr()[()]
        assert "'17:00'" in postings[1] and "poisson" in postings[2]
        posts = [len(f[f"points/{p}/posts/post"]) for p in range(3)]
    # Ten business days in 14 days: 1 and 2 posts a business day by schedule, over 4 replicates.
    assert posts[:2] == [4 * 10, 4 * 20]


def test_a_grid_of_two_keys(tmp_path):
    sweep = tmp_path / "grid.h5"
    reachsim("sweep", FREQUENCY, "-o", sweep, "--param", "author.posting.per_day=[1, 2]",
             "--param", "followers.feed_depth=[100, 200, 400]", *SHORT)
    with h5py.File(sweep) as f:
        np.testing.assert_array_equal(f["sweep/parameters/author.posting.per_day"][()], [1, 1, 1, 2, 2, 2])
        np.testing.assert_array_equal(f["sweep/parameters/followers.feed_depth"][()], [100, 200, 400] * 2)


def test_a_bad_point_is_refused_before_anything_runs(tmp_path):
    sweep = tmp_path / "bad.h5"
    result = reachsim("sweep", FREQUENCY, "-o", sweep, "--param", "followers.sessions.per_day=[2, -1]",
                      *SHORT, check=False)
    assert result.returncode == 2
    # The scenario's own [sweep] (7 values) and the --param (2 values) make a grid of 14 points.
    assert "sweep point 1 of 14" in result.stderr and "followers.sessions.per_day = -1" in result.stderr
    assert "'followers.sessions.per_day': expected a non-negative value" in result.stderr
    assert not sweep.exists() and not (tmp_path / "bad.h5.parts").exists()
    # And keys that do not exist, and a run of a sweep scenario.
    result = reachsim("sweep", FREQUENCY, "-o", sweep, "--param", "followers.sesions.per_day=[2]",
                      *SHORT, check=False)
    assert result.returncode == 2 and "sesions" in result.stderr and not sweep.exists()
    result = reachsim("run", FREQUENCY, "-o", sweep, check=False)
    assert result.returncode == 2 and "reachsim sweep" in result.stderr
    result = reachsim("sweep", FREQUENCY.parent / "greencontact.toml", "-o", sweep, check=False)
    assert result.returncode == 2 and "nothing to sweep" in result.stderr
    # validate checks every point of a [sweep] too.
    assert "a sweep of 7 points" in reachsim("validate", FREQUENCY).stdout
    result = reachsim("validate", FREQUENCY, "--set", "sweep.\"author.posting.per_day\"=[1, -3]", check=False)
    assert result.returncode == 2 and "sweep point 1 of 2" in result.stderr


SLOW = ["--replicates", 100, "--threads", 1, "-q"]


def start_slow_sweep(path):
    return subprocess.Popen([BINARY, "sweep", str(POSTING_TIME), "-o", str(path), *map(str, SLOW)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for_points(parts, count, process):
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if parts.exists() and len(list(parts.glob("point-*.h5"))) >= count:
            return
        assert process.poll() is None, "the sweep finished before it could be interrupted"
        time.sleep(0.01)
    raise AssertionError("no point finished in time")


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory):
    path = tmp_path_factory.mktemp("sweep") / "whole.h5"
    reachsim("sweep", POSTING_TIME, "-o", path, *SLOW)
    return path


def assert_same_sweep(one, two):
    with h5py.File(one) as a, h5py.File(two) as b:
        assert a.attrs["complete"] == b.attrs["complete"] == 1
        assert_equal_content(group_content(a["sweep"]), group_content(b["sweep"]))
        for point in a["points"]:
            assert_equal_content(group_content(a[f"points/{point}"]), group_content(b[f"points/{point}"]))


def test_after_kill_9_resume_runs_only_what_is_missing(tmp_path, uninterrupted):
    path = tmp_path / "killed.h5"
    parts = tmp_path / "killed.h5.parts"
    process = start_slow_sweep(path)
    wait_for_points(parts, 2, process)
    process.kill()  # SIGKILL: no clean-up at all
    process.wait()
    assert not path.exists()
    done_before = len(list(parts.glob("point-*.h5")))
    # Without --resume the finished points are not thrown away, and a changed scenario is refused.
    refused = reachsim("sweep", POSTING_TIME, "-o", path, *SLOW, check=False)
    assert refused.returncode == 2 and "--resume" in refused.stderr
    changed = reachsim("sweep", POSTING_TIME, "-o", path, "--resume", "--set", "followers.feed_depth=150",
                       *SLOW, check=False)
    assert changed.returncode == 2 and "changed" in changed.stderr
    resumed = reachsim("sweep", POSTING_TIME, "-o", path, "--resume", *SLOW)
    assert f"{done_before} from before" in resumed.stdout
    assert not parts.exists()
    assert_same_sweep(path, uninterrupted)


def test_ctrl_c_leaves_a_valid_file_with_the_points_done(tmp_path, uninterrupted):
    path = tmp_path / "interrupted.h5"
    process = start_slow_sweep(path)
    wait_for_points(tmp_path / "interrupted.h5.parts", 1, process)
    interrupted_at = time.monotonic()
    process.send_signal(signal.SIGINT)
    stdout, _ = process.communicate(timeout=60)
    assert process.returncode == 130 and "--resume" in stdout
    assert time.monotonic() - interrupted_at < 10
    with h5py.File(path) as f:
        done = f["sweep/summary/done"][()]
        assert f.attrs["complete"] == 0 and 0 < done.sum() < len(done) == f.attrs["points"]
        assert sorted(int(p) for p in f["points"]) == list(np.flatnonzero(done))
        assert np.isnan(f["sweep/summary/seen_fraction"][np.flatnonzero(done == 0)[0]]).all()
    reachsim("sweep", POSTING_TIME, "-o", path, "--resume", *SLOW)
    assert_same_sweep(path, uninterrupted)


def run_on_a_terminal(*args):
    """Runs reachsim with stderr on a pseudo-terminal; returns what it drew there."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen([BINARY, *map(str, args)], stdout=subprocess.PIPE, stderr=terminal)
    os.close(terminal)
    drawn = b""
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:
            break
        if not chunk:
            break
        drawn += chunk
    process.wait()
    os.close(controller)
    assert process.returncode == 0
    return drawn.decode()


def test_a_progress_line_only_on_a_terminal(tmp_path):
    drawn = run_on_a_terminal("run", FREQUENCY.parent / "greencontact.toml", "-o", tmp_path / "a.h5",
                              "--replicates", 8)
    assert "simulating replicates: " in drawn and "of 8" in drawn
    drawn = run_on_a_terminal("sweep", FREQUENCY, "-o", tmp_path / "b.h5", "--replicates", 2)
    assert "sweep points: " in drawn and "of 7" in drawn and "left" in drawn
    assert run_on_a_terminal("run", FREQUENCY.parent / "greencontact.toml", "-o", tmp_path / "c.h5",
                             "--replicates", 2, "--quiet") == ""
    # Not a terminal: nothing on stderr.
    assert reachsim("run", FREQUENCY.parent / "greencontact.toml", "-o", tmp_path / "d.h5",
                    "--replicates", 2).stderr == ""


def test_common_random_numbers_make_differences_between_points_precise(tmp_path):
    """Points share every follower's streams, so the per-replicate difference between two points
    varies far less than between independent runs. With 20 replicates, the ratio of the two sample
    variances is F(19, 19)-distributed around the true ratio (measured ~50 for this pair): the
    check that it exceeds 4 fails by chance with probability < 1e-3 if the true ratio is 20."""
    scenario = tmp_path / "frequency.toml"
    scenario.write_text(FREQUENCY.read_text().split("[sweep]")[0])
    common = ["--replicates", 20, "--set", "retweets.probability=0", "-q"]
    sweep = tmp_path / "crn.h5"
    reachsim("sweep", scenario, "-o", sweep, "--param", "followers.sessions.per_day=[3, 4]", *common)
    with h5py.File(sweep) as f:
        seen = f["sweep/summary/seen_fraction"][()]
    paired = seen[1] - seen[0]
    independent = []
    for value, seed in ((3, 101), (4, 202)):
        path = tmp_path / f"independent-{seed}.h5"
        reachsim("run", scenario, "-o", path, "--set", f"followers.sessions.per_day={value}",
                 "--seed", seed, *common)
        with h5py.File(path) as f:
            independent.append(f["replicates/seen_fraction"][()])
    unpaired = independent[1] - independent[0]
    assert unpaired.var(ddof=1) > 4 * paired.var(ddof=1)
    # Both estimate the same difference.
    standard_error = np.sqrt(paired.var(ddof=1) / 20 + unpaired.var(ddof=1) / 20)
    assert abs(paired.mean() - unpaired.mean()) < 5 * standard_error


@pytest.mark.parametrize("scenario", ["small-power-law.toml", "cascades-small.toml"])
def test_graph_and_retweet_scenarios_sweep_alike(tmp_path, scenario):
    options = ["--replicates", 2, "--set", "graph.accounts=2000", "-q"]
    sweep = tmp_path / "graph-sweep.h5"
    result = reachsim("sweep", SCENARIOS / scenario, "-o", sweep, "--param",
                      "accounts.sessions.per_day=[2, 6]", *options)
    # The points differ in how accounts look, not in who follows whom: the second point takes the
    # first one's graph, and is still exactly the run with its settings (below).
    assert "(2 points; 1 graph built)" in result.stdout
    run = tmp_path / "graph-run.h5"
    reachsim("run", SCENARIOS / scenario, "-o", run, "--set", "accounts.sessions.per_day=6", *options)
    with h5py.File(sweep) as f, h5py.File(run) as r:
        one = {k: v for k, v in group_content(f["points/1"]).items() if not k.startswith("@")}
        two = {k: v for k, v in group_content(r).items() if not k.startswith("@")}
        assert_equal_content(one, two)
        seen = np.nanmean(f["sweep/summary/seen_fraction"][()], axis=1)
    assert seen[1] > seen[0]  # three times the sessions: more of each post seen


def test_points_that_change_the_graph_build_their_own(tmp_path):
    options = ["--replicates", 2, "--set", "graph.accounts=2000", "-q"]
    sweep = tmp_path / "following-sweep.h5"
    result = reachsim("sweep", SCENARIOS / "small-power-law.toml", "-o", sweep, "--param",
                      "graph.mean_following=[10, 20, 20]", *options)
    assert "(3 points; 2 graphs built)" in result.stdout
    run = tmp_path / "following-run.h5"
    reachsim("run", SCENARIOS / "small-power-law.toml", "-o", run, "--set", "graph.mean_following=20",
             *options)
    with h5py.File(sweep) as f, h5py.File(run) as r:
        for point in (1, 2):  # the first built anew, the second taking its graph
            one = {k: v for k, v in group_content(f[f"points/{point}"]).items() if not k.startswith("@")}
            two = {k: v for k, v in group_content(r).items() if not k.startswith("@")}
            assert_equal_content(one, two)


def built_with_mpi():
    version = subprocess.run([BINARY, "--version"], capture_output=True, text=True).stdout
    return "with MPI" in version and shutil.which("mpirun.openmpi") is not None


@pytest.mark.skipif(not built_with_mpi(), reason="reachsim built without -DREACHSIM_MPI=ON")
def test_three_mpi_ranks_write_the_same_file_as_one_process(tmp_path, uninterrupted, monkeypatch):
    # Containers often forbid the cross-process memory copy Open MPI tries first.
    monkeypatch.setenv("OMPI_MCA_btl_vader_single_copy_mechanism", "none")
    path = tmp_path / "ranks.h5"
    result = subprocess.run(["mpirun.openmpi", "--oversubscribe", "--allow-run-as-root", "-np", "3", BINARY,
                             "sweep", str(POSTING_TIME), "-o", str(path), *map(str, SLOW)],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("wrote") == 1  # only rank 0 reports
    assert_same_sweep(path, uninterrupted)
    # A retweet scenario on a graph, two points of three replicates: the (point, replicate) pairs
    # are spread over the ranks, so each point's records are gathered from several of them.
    graph_options = ["--param", "accounts.sessions.per_day=[2, 6]", "--replicates", 3, "--set",
                     "graph.accounts=2000", "-q"]
    serial, ranks = tmp_path / "graph-serial.h5", tmp_path / "graph-ranks.h5"
    reachsim("sweep", SCENARIOS / "cascades-small.toml", "-o", serial, *graph_options)
    result = subprocess.run(["mpirun.openmpi", "--oversubscribe", "--allow-run-as-root", "-np", "3", BINARY,
                             "sweep", str(SCENARIOS / "cascades-small.toml"), "-o", str(ranks),
                             *map(str, graph_options)], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert_same_sweep(ranks, serial)
    # A mistake is reported once, by rank 0, and every rank stops: in a point, and in the folder.
    for mistake in (["--param", "followers.feed_depth=[100, -5]"], []):
        if not mistake:
            (tmp_path / "ranks.h5.parts").mkdir()
        result = subprocess.run(["mpirun.openmpi", "--oversubscribe", "--allow-run-as-root", "-np", "3", BINARY,
                                 "sweep", str(POSTING_TIME), "-o", str(path), *map(str, SLOW), *mistake],
                                capture_output=True, text=True, timeout=600)
        assert result.returncode == 2, result.stdout + result.stderr
        assert result.stderr.count("reachsim: error:") == 1, result.stderr


def test_the_same_file_on_one_and_two_threads_and_an_early_output_check(tmp_path):
    one, two = tmp_path / "one.h5", tmp_path / "two.h5"
    reachsim("sweep", FREQUENCY, "-o", one, "--threads", 1, *SHORT)
    reachsim("sweep", FREQUENCY, "-o", two, "--threads", 2, *SHORT)
    with h5py.File(one) as a, h5py.File(two) as b:
        assert_equal_content(group_content(a["sweep"]), group_content(b["sweep"]))
        for point in a["points"]:
            assert_equal_content(group_content(a[f"points/{point}"]), group_content(b[f"points/{point}"]))
    # An output that cannot be written is refused before any point runs.
    started = time.monotonic()
    result = reachsim("sweep", POSTING_TIME, "-o", tmp_path / "missing" / "sweep.h5", *SLOW, check=False)
    assert result.returncode == 2 and "does not exist" in result.stderr
    assert time.monotonic() - started < 5  # the 17 points x 100 replicates would take longer


def test_attention_sweep_shows_the_cost_of_posting_often(tmp_path):
    """scenarios/attention-sweep.toml: unfollows happen only where their probability is positive,
    and at 16 posts a day fading attention (a = 0.4) and unfollows each cut the posts a follower
    sees per week far below the 25 of attentive, loyal followers."""
    import xarray as xr
    output = tmp_path / "attention.h5"
    reachsim("sweep", SCENARIOS / "attention-sweep.toml", "-o", output, "-q", "--replicates", 2)
    summary = xr.open_dataset(output, engine="h5netcdf", group="sweep/summary")
    rate = summary["author.posting.per_day"].values
    a = summary["followers.attention.same_author"].values
    p = summary["followers.attention.unfollow.probability"].values
    unfollows = summary["unfollows"].sum("replicate").values
    assert (unfollows[p == 0] == 0).all() and unfollows[(p > 0) & (rate == 16)].min() > 0
    seen = summary["weekly_posts_seen_per_follower"].mean(("replicate", "week")).values
    loyal = seen[(rate == 16) & (a == 1) & (p == 0)][0]
    assert seen[(rate == 16) & (a == 0.4) & (p == 0)][0] < 0.7 * loyal
    assert seen[(rate == 16) & (a == 1) & (p > 0)][0] < 0.7 * loyal
