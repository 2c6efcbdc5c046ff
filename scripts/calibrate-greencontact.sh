#!/usr/bin/env bash
# Calibrates scenarios/greencontact.toml's retweets.probability so that the expected retweets per
# tweet match the blog's 18 retweets of 79 tweets: probability = (18/79) / followers reached per
# tweet. Followers reached do not depend on the probability (retweet decisions use their own random
# streams), so one run gives it. Prints the probability to put in the scenario.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh >/dev/null
out=$(mktemp --suffix=.h5)
trap 'rm -f "$out"' EXIT
build/sim/reachsim run scenarios/greencontact.toml -o "$out" --set retweets.probability=0 >/dev/null
/usr/bin/python3 - "$out" <<'PY'
import sys
import h5py
with h5py.File(sys.argv[1]) as f:
    reached = f["summary/mean_followers_reached"][()]
target = 18 / 79
print(f"followers reached per tweet: {reached:.2f}; target retweets per tweet: {target:.4f}")
print(f"retweets.probability = {target / reached:.5f}")
PY
