"""A catalogue of bad input, one case per class and kind of value: every case exits 2 within 2 s
with a message naming the file (or --set) and the key, and leaves no output behind."""
import gzip
import time

import pytest

from conftest import SCENARIOS, reachsim

GREENCONTACT = SCENARIOS / "greencontact.toml"
GRAPH = SCENARIOS / "small-power-law.toml"
HERSHEY = SCENARIOS / "hersheycareers.toml"

NOT_FINITE = ["nan", "inf", "-inf"]
NOT_A_NUMBER = ['"many"', "true"]
# Per key of an author scenario: values that must be refused (besides NOT_FINITE and NOT_A_NUMBER).
AUTHOR_KEYS = {
    "simulation.replicates": ["0", "-3", "1e30", "2000000", "1.5"],
    "simulation.seed": ["-1", "0.5"],
    "simulation.duration": ["30", '"-1d"', '"1e300d"', '"20000d"', '"0s"'],
    "simulation.follow_up": ["2", '"99999d"'],
    "author.utc_offset": ['"+17:00"', "15", '"+25"'],
    "author.posting.per_day": ["-1", "1e30", "20000"],
    "followers.count": ["0", "-5", "1e30", "200000000", "1.5"],
    "followers.sessions.per_day": ["-1", "1e30", "100000"],
    "followers.feed.per_hour": ["-1", "1e30"],
    "followers.feed_depth": ["0", "-1", "1e30", "2000000"],
    "retweets.probability": ["-0.1", "1.5", "1e30"],
    "retweets.followers": ["-1", "1e30", "2000000"],
    "retweets.min_delay": ['"0s"', '"20000d"'],
    "retweets.delay": ['"-5m"', '"20000d"'],
    "followers.notifications.share": ["-0.1", "1.5", "1e30"],
    "followers.notifications.delay": ['"-5m"', '"20000d"'],
    "followers.profile_visits.per_day": ["-1", "1e30", "100000"],
    "followers.profile_visits.depth": ["0", "-1", "1.5", "20000"],
    "followers.profile_visits.after_retweet": ["-0.1", "1.5"],
    "followers.sessions.item_budget": ["-1", "1.5", "2000000"],
    "followers.attention.same_author": ["-0.1", "1.5"],
    "followers.attention.unfollow.after_posts": ["-1", "1.5", "2000000"],
    "followers.attention.unfollow.window": ['"0s"', '"-1d"', '"20000d"', "7"],
    "followers.attention.unfollow.probability": ["-0.1", "2"],
}
GRAPH_KEYS = {
    "graph.accounts": ["1", "-5", "1e30", "5000000000"],
    "graph.mean_following": ["0", "-1", "1e30"],
    "graph.followers_exponent": ["2", "1.5"],
    "graph.reciprocity": ["1", "-0.5"],
    "accounts.sessions.per_day": ["-1", "1e30"],
    "accounts.notifications.share": ["2"],
    "accounts.profile_visits.depth": ["0"],
}


def author_cases():
    for key, values in AUTHOR_KEYS.items():
        for value in values + NOT_FINITE + NOT_A_NUMBER:
            if key == "author.utc_offset" and value in ("true",):
                continue
            yield pytest.param(GREENCONTACT, key, value, id=f"author-{key}={value}")


def graph_cases():
    for key, values in GRAPH_KEYS.items():
        for value in values + NOT_FINITE + NOT_A_NUMBER:
            yield pytest.param(GRAPH, key, value, id=f"graph-{key}={value}")


def check_refused(result, *names, started):
    assert result.returncode == 2, result.stdout + result.stderr
    assert time.monotonic() - started < 2
    for name in names:
        assert str(name) in result.stderr, (name, result.stderr)
    assert "internal error" not in result.stderr


@pytest.mark.parametrize("scenario,key,value", list(author_cases()) + list(graph_cases()))
def test_a_bad_value_is_refused_naming_the_key(tmp_path, scenario, key, value):
    output = tmp_path / "out.h5"
    started = time.monotonic()
    result = reachsim("run", scenario, "-o", output, "--set", f"{key}={value}", check=False)
    check_refused(result, "--set", f"'{key}", started=started)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("key", ["followers.segment.99999999999999999999.count", "followers.segment.-1.count",
                                 "followers.segment.7.count", "followers..count", ".x"])
def test_a_bad_override_key_is_refused(key):
    started = time.monotonic()
    check_refused(reachsim("validate", GREENCONTACT, "--set", f"{key}=3", check=False), "--set", started=started)


@pytest.mark.parametrize("key", ["author.posting.per_day", "followers.sessions.per_day"])
@pytest.mark.parametrize("rate", ["1e-30", "1e-300", "5e-324"])
def test_a_tiny_positive_rate_runs_promptly(tmp_path, key, rate):
    """A rate far below one event in a lifetime counts as zero: the run ends at once."""
    started = time.monotonic()
    result = reachsim("run", GREENCONTACT, "-o", tmp_path / "out.h5", "--replicates", 1, "--set", f"{key}={rate}",
                      check=False)
    assert result.returncode == 0, result.stderr
    assert time.monotonic() - started < 5


def write(folder, name, text):
    path = folder / name
    path.write_text(text)
    return path


FILE_CASES = {
    "empty-followers": "[followers]\n",
    "unknown-table": "[folowers]\ncount = 3\n",
    "nested-too-deep": "a = " + "[" * 5000 + "]" * 5000 + "\n[followers]\ncount = 3\n",
    "not-toml": "[followers\ncount = 3\n",
    "binary": "\x00\x01\x02garbage",
    "nan-in-profile": "[profiles]\np = [" + ", ".join(["nan"] * 24) + "]\n[followers]\ncount = 3\n",
    "inf-share": "[followers]\ncount = 3\n[[followers.segment]]\nname = \"a\"\nshare = inf\n",
    "huge-segment-total": "[followers]\n[[followers.segment]]\nname = \"a\"\ncount = 90000000\n"
                          "[[followers.segment]]\nname = \"b\"\ncount = 90000000\n",
    "graph-and-author": "[graph]\nsource = \"power_law\"\naccounts = 10\nmean_following = 2\n[author]\n",
    "unlimited-graph": "[simulation]\nfollow_up = \"unlimited\"\n[graph]\nsource = \"power_law\"\n"
                       "accounts = 100\nmean_following = 2\n",
    "lognormal-probability-mean": "[followers]\ncount = 3\nretweet_probability = { distribution = "
                                  "\"lognormal\", mean = 2 }\n[retweets]\nfollowers = 1\n",
    "per-on-a-rate": "[followers]\ncount = 3\nsessions = { per_day = { distribution = \"geometric\", "
                     "mean = 3, per = \"session\" } }\n",
    "schedule-without-times": "[author]\nposting = { kind = \"schedule\" }\n[followers]\ncount = 3\n",
    "days-of-work": "[simulation]\nduration = \"3650d\"\nreplicates = 100\n[followers]\ncount = 100000\n"
                    "sessions = { per_day = 9999 }\n",
    "profile-visits-for-ever": "[simulation]\nfollow_up = \"unlimited\"\n[followers]\ncount = 3\n"
                               "profile_visits = { per_day = 0.1 }\n",
    "visits-after-retweets-in-a-star": "[followers]\ncount = 3\nprofile_visits = { after_retweet = 0.5 }\n",
    "negative-jitter": "[author]\nposting = { kind = \"schedule\", times = [\"09:00\"], jitter = \"-1h\" }\n"
                       "[followers]\ncount = 3\n",
}


@pytest.mark.parametrize("name", list(FILE_CASES))
def test_a_bad_scenario_file_is_refused_naming_it(tmp_path, name):
    scenario = write(tmp_path, "s.toml", FILE_CASES[name])
    started = time.monotonic()
    result = reachsim("run", scenario, "-o", tmp_path / "out.h5", check=False)
    check_refused(result, scenario, started=started)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.toml"]


@pytest.mark.parametrize("path", ["/dev/zero", "/", "/nonexistent/s.toml"])
def test_what_is_not_a_scenario_file_is_refused(path):
    started = time.monotonic()
    check_refused(reachsim("validate", path, check=False), path, started=started)


def graph_file_scenario(folder, edges_name, extra=""):
    return write(folder, "g.toml", f"[graph]\nsource = \"file\"\npath = \"{edges_name}\"\n"
                                   f"direction = \"follower_followee\"\n{extra}")


def test_a_truncated_gzip_edge_list_is_refused(tmp_path):
    data = gzip.compress(b"".join(f"{i} {i + 1}\n".encode() for i in range(20000)))
    (tmp_path / "e.tsv.gz").write_bytes(data[: len(data) // 2])
    scenario = graph_file_scenario(tmp_path, "e.tsv.gz")
    started = time.monotonic()
    check_refused(reachsim("validate", scenario, check=False), "e.tsv.gz", "truncated", started=started)


def test_an_edge_list_with_no_follows_is_refused(tmp_path):
    write(tmp_path, "e.tsv", "# only self-loops\n1 1\n2 2\n")
    scenario = graph_file_scenario(tmp_path, "e.tsv")
    started = time.monotonic()
    check_refused(reachsim("validate", scenario, check=False), "e.tsv", started=started)


@pytest.mark.parametrize("cell", ["nan", "inf", "-inf", "1e-310", "1e400", "many"])
@pytest.mark.parametrize("column", ["utc_offset", "posts_per_day", "sessions_per_day", "feed_depth",
                                    "retweet_probability"])
def test_a_bad_attribute_cell_is_refused_naming_file_line_and_column(tmp_path, column, cell):
    write(tmp_path, "e.tsv", "1 2\n2 3\n")
    write(tmp_path, "a.csv", f"id,{column}\n1,1\n2,{cell}\n")
    scenario = graph_file_scenario(tmp_path, "e.tsv", "attributes = \"a.csv\"\n")
    started = time.monotonic()
    check_refused(reachsim("validate", scenario, check=False), "a.csv:3", column, started=started)


def test_tracked_ids_are_checked_against_the_graph_by_validate(tmp_path):
    scenario = write(tmp_path, "h.toml", HERSHEY.read_text().replace(
        '"data/', f'"{SCENARIOS}/data/').replace(
        'authors = ["top_followers:3", "followers_percentile:50"]', 'authors = ["no-such-account"]'))
    started = time.monotonic()
    check_refused(reachsim("validate", scenario, check=False), "track.authors", "no-such-account",
                  started=started)


@pytest.mark.parametrize("size", ["infGiB", "nanMiB", "-1GiB", "1e30GiB", "lots"])
def test_a_bad_memory_limit_is_a_usage_error(size):
    started = time.monotonic()
    check_refused(reachsim("run", GRAPH, "--memory-limit", size, check=False), "--memory-limit",
                  started=started)


def test_a_graph_over_the_memory_limit_is_refused_with_the_estimate(tmp_path):
    started = time.monotonic()
    result = reachsim("run", GRAPH, "-o", tmp_path / "out.h5", "--memory-limit", "50KiB", check=False)
    check_refused(result, "needs an estimated", "50.0 KiB", started=started)
