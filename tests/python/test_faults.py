"""Faults: a full disk, signals at any moment, and a wrong output path. The earlier result at the
output path survives each, no temporary file is left behind, and the run ends with a clear
message (exit 1 for a full disk, 2 for a wrong path) or by the signal."""
import os
import signal
import subprocess
import time

import h5py
import pytest

from conftest import BINARY, SCENARIOS, reachsim

GREENCONTACT = SCENARIOS / "greencontact.toml"


def leftovers(folder):
    return [name for name in os.listdir(folder) if ".tmp-" in name]


def earlier_result(path):
    reachsim("run", GREENCONTACT, "-o", path, "--replicates", 2, "--set", "simulation.duration=7d")
    return path.read_bytes()


@pytest.mark.parametrize("output", ["{dir}", "{dir}/", "{dir}/missing/out.h5"])
def test_a_wrong_output_path_is_refused_before_simulating(tmp_path, output):
    path = output.format(dir=tmp_path)
    start = time.monotonic()
    # 10,000 replicates would take a minute: the refusal must come first.
    result = reachsim("run", GREENCONTACT, "-o", path, "--replicates", 10000, check=False)
    assert result.returncode == 2
    assert "'output.path'" in result.stderr and path in result.stderr
    assert time.monotonic() - start < 2


@pytest.fixture
def small_disk(tmp_path):
    """A 1 MiB tmpfs, where mounting is permitted (root, as on CI)."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount_point)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", str(mount_point)], check=False)


def test_a_full_disk_keeps_the_earlier_result(small_disk):
    path = small_disk / "greencontact.h5"
    before = earlier_result(path)  # ~0.1 MB: fits
    result = reachsim("run", GREENCONTACT, "-o", path, check=False)  # ~1.2 MB: does not
    assert result.returncode == 1
    assert "could not write" in result.stderr and "disk full" in result.stderr
    assert "internal error" not in result.stderr
    assert path.read_bytes() == before
    assert leftovers(small_disk) == []


def wait_for_partial_output(folder, process, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        if leftovers(folder):
            return
        time.sleep(0.0005)


@pytest.mark.parametrize("signal_number", [signal.SIGINT, signal.SIGTERM])
@pytest.mark.parametrize("moment", ["starting", "simulating", "writing"])
def test_a_signal_at_any_moment_leaves_no_partial_file(tmp_path, signal_number, moment):
    path = tmp_path / "greencontact.h5"
    before = earlier_result(path)
    process = subprocess.Popen([BINARY, "run", str(GREENCONTACT), "-o", str(path), "--replicates", "600"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if moment == "starting":
        time.sleep(0.05)
    elif moment == "simulating":
        time.sleep(1.0)
    else:
        wait_for_partial_output(tmp_path, process)
    process.send_signal(signal_number)
    process.wait(timeout=30)
    assert leftovers(tmp_path) == []
    if process.returncode == 0:  # it finished just before the signal: the new file is whole
        with h5py.File(path) as f:
            assert f.attrs["replicates"] == 600
    else:
        assert process.returncode == -signal_number  # ended by the signal, promptly
        assert path.read_bytes() == before
