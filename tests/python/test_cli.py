"""The command line: exit codes, errors, overrides, reproducibility."""
import h5py
import numpy as np

from conftest import SCENARIOS, assert_same_content, read_everything, reachsim

GREENCONTACT = SCENARIOS / "greencontact.toml"
def test_identical_output_for_one_and_two_threads(tmp_path):
    outputs = []
    for threads in (1, 2):
        # Same relative output path, so that even the resolved scenario is the same.
        folder = tmp_path / f"threads{threads}"
        folder.mkdir()
        reachsim("run", GREENCONTACT, "-o", "out.h5", "--threads", threads, "--replicates", 8,
                 "--set", "simulation.duration=21d", cwd=folder)
        outputs.append(read_everything(folder / "out.h5"))
    assert_same_content(*outputs)


def test_seed_changes_results(tmp_path):
    a, b = tmp_path / "a.h5", tmp_path / "b.h5"
    reachsim("run", GREENCONTACT, "-o", a, "--replicates", 2, "--seed", 1)
    reachsim("run", GREENCONTACT, "-o", b, "--replicates", 2, "--seed", 2)
    with h5py.File(a) as fa, h5py.File(b) as fb:
        assert not np.array_equal(fa["posts/post_time"][()], fb["posts/post_time"][()])


def test_validate_accepts_the_bundled_scenarios():
    for scenario in SCENARIOS.glob("*.toml"):
        result = reachsim("validate", scenario)
        assert "valid" in result.stdout


def test_bad_scenario_exits_2_naming_file_line_and_key(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[followers]\ncount = 10\nfeed = { per_hour = -5 }\n')
    out = tmp_path / "never.h5"
    result = reachsim("run", bad, "-o", out, check=False)
    assert result.returncode == 2
    assert f"{bad}:3" in result.stderr and "followers.feed.per_hour" in result.stderr
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [bad]  # no temporary file left behind


def test_a_failed_run_keeps_the_earlier_result(tmp_path):
    out = tmp_path / "result.h5"
    reachsim("run", GREENCONTACT, "-o", out, "--replicates", 2)
    before = out.read_bytes()
    result = reachsim("run", GREENCONTACT, "-o", out, "--set", "followers.feed_depth=0", check=False)
    assert result.returncode == 2 and "feed_depth" in result.stderr
    assert out.read_bytes() == before


def test_unwritable_output_is_an_input_error(tmp_path):
    result = reachsim("run", GREENCONTACT, "-o", tmp_path / "missing" / "x.h5", "--replicates", 1, check=False)
    assert result.returncode == 2
    assert "'output.path'" in result.stderr and "does not exist" in result.stderr
    assert not (tmp_path / "missing").exists()


def test_usage_errors_exit_2_and_help_exits_0():
    assert reachsim("run", check=False).returncode == 2
    assert reachsim("run", GREENCONTACT, "--threads", "two", check=False).returncode == 2
    assert reachsim("frobnicate", check=False).returncode == 2
    assert reachsim("run", GREENCONTACT, "--bogus", check=False).returncode == 2
    for command in (["--help"], ["run", "--help"], ["validate", "--help"]):
        result = reachsim(*command)
        assert "Usage" in result.stdout


def test_set_overrides_are_validated_and_suggest_names(tmp_path):
    result = reachsim("validate", GREENCONTACT, "--set", "simulation.duraton=3d", check=False)
    assert result.returncode == 2
    assert "--set" in result.stderr and "did you mean 'duration'" in result.stderr
    out = tmp_path / "short.h5"
    reachsim("run", GREENCONTACT, "-o", out, "--replicates", 1, "--set", "simulation.duration=7d")
    with h5py.File(out) as f:
        assert (f["posts/post_time"][()] < 7 * 86400).all()


def test_help_keys_lists_every_key_the_docs_document():
    result = reachsim("help", "keys")
    keys = [line.strip() for line in result.stdout.splitlines() if line.startswith("  ")]
    assert "simulation.follow_up" in keys and "accounts.segment.posting.times" in keys
    docs = (SCENARIOS.parent / "docs" / "scenarios.md").read_text()
    assert all(f"`{key}`" in docs for key in keys)
