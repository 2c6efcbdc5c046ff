#!/usr/bin/env bash
# Wall time of one sweep on 1, 2 and 3 MPI ranks (docs/cluster.md). Needs a build with
# -DREACHSIM_MPI=ON (scripts/test.sh makes one in build/). Usage: bench/sweep_ranks.sh [REPLICATES]
set -euo pipefail
cd "$(dirname "$0")/.."
binary=build/sim/reachsim
"$binary" --version | grep -q "with MPI" || { echo "build/ was built without -DREACHSIM_MPI=ON" >&2; exit 2; }
replicates="${1:-200}"
folder=$(mktemp -d)
trap 'rm -rf "$folder"' EXIT
scenario=scenarios/posting-time-sweep.toml
echo "sweep: $scenario (17 points) x $replicates replicates; $(nproc) cores"
printf "%-6s %-8s %10s %9s\n" ranks threads seconds speedup
serial=""
for ranks in 1 2 3; do
  threads=$(( ranks == 1 ? $(nproc) : 1 ))
  start=$(date +%s.%N)
  mpirun.openmpi --oversubscribe --allow-run-as-root --bind-to none -np "$ranks" "$binary" sweep "$scenario" \
    -o "$folder/ranks-$ranks.h5" --replicates "$replicates" --threads "$threads" -q > /dev/null
  seconds=$(echo "$(date +%s.%N) - $start" | bc -l)
  serial=${serial:-$seconds}
  printf "%-6s %-8s %10.2f %9.2f\n" "$ranks" "$threads" "$seconds" "$(echo "$serial / $seconds" | bc -l)"
done
