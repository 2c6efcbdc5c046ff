"""The model variants docs/validation.md compares with real cascades, and how each new parameter is
set: from a published figure, or fitted to TiDeH alone (fit_to_tideh.py writes fitted.json), never
to #auspol or SEISMIC, which are only compared against."""
import json
import os
import pathlib
import subprocess

REPO = pathlib.Path(__file__).resolve().parents[2]
SCENARIO = REPO / "scenarios" / "cascades-validation.toml"
FITTED = pathlib.Path(__file__).resolve().parent / "fitted.json"

# Published figures.
SESSION_DURATION = '"142s"'  # IDC/Facebook 2013: ~14 sessions a day of ~2 min 22 s each
NOTIFICATION_DELAY = '{ distribution = "exponential", mean = "3m" }'  # Pielot et al. 2014: "typically viewed within minutes"


def fitted():
    """The values fit_to_tideh.py chose (docs/validation.md, "Parameters and their sources")."""
    return json.loads(FITTED.read_text())


def variants(values=None):
    """{name: [KEY=VALUE overrides]} for the five variants, with the fitted values."""
    values = fitted() if values is None else values
    durations = [f"accounts.sessions.duration={SESSION_DURATION}"]
    notifications = [f"accounts.notifications.share={values['notifications.share']}",
                     f"accounts.notifications.delay={NOTIFICATION_DELAY}"]
    late = [f"accounts.profile_visits.per_day={values['profile_visits.per_day']}"]
    return {
        "today's model": [],
        "+ sessions that last": durations,
        "+ notifications": notifications,
        "+ late discovery": late,
        "all": durations + notifications + late,
    }


def run(output, overrides, seed, extra=()):
    """Runs the validation scenario with `overrides` and `seed` into `output`."""
    binary = os.environ.get("REACHSIM_BINARY", str(REPO / "build" / "sim" / "reachsim"))
    sets = [arg for override in [*overrides, f"simulation.seed={seed}", *extra] for arg in ("--set", override)]
    subprocess.run([binary, "run", str(SCENARIO), "-o", str(output), "-q", *sets], check=True,
                   stdout=subprocess.DEVNULL)
