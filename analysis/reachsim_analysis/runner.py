"""Running reachsim from Python (notebooks run their own simulations, so each stands alone)."""
import os
import pathlib
import shutil
import subprocess

REPOSITORY = pathlib.Path(__file__).resolve().parents[2]
SCENARIOS = REPOSITORY / "scenarios"


def binary():
    """$REACHSIM_BINARY, else this repository's build/sim/reachsim, else reachsim on the PATH."""
    if os.environ.get("REACHSIM_BINARY"):
        return os.environ["REACHSIM_BINARY"]
    built = REPOSITORY / "build" / "sim" / "reachsim"
    if built.exists():
        return str(built)
    found = shutil.which("reachsim")
    if not found:
        raise FileNotFoundError("reachsim not found: build it (scripts/build.sh) or set REACHSIM_BINARY")
    return found


def reachsim(*args):
    """Runs `reachsim ARGS...` quietly; returns what it printed. Raises RuntimeError with its message
    if it fails."""
    quiet = ["--quiet"] if args and args[0] in ("run", "sweep") else []
    result = subprocess.run([binary(), *map(str, args), *quiet], capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"reachsim {' '.join(map(str, args))} failed:\n{result.stderr}")
    return result.stdout
