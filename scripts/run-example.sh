#!/usr/bin/env bash
# Installs what is missing, builds, and runs the bundled greencontact scenario into
# out/greencontact.h5. Extra arguments go to `reachsim run` (e.g. --replicates 10).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
mkdir -p out
build/sim/reachsim run scenarios/greencontact.toml -o out/greencontact.h5 "$@"
