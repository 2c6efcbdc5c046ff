#!/usr/bin/env bash
# The performance table of docs/performance.md in one command: builds Release (in build-release/,
# or $BUILD_DIR) and measures on this machine: deliveries per second on 1 and 2 threads for
# scenarios/power-law-1m.toml and a 10 M-account graph (twitter-2010-scale.toml's parameters),
# graph build rate, peak memory, instructions per delivery (callgrind, on a small graph), the
# machine's random-gather rate and the engine's share of it, the cost of new memory, the rate of
# the generator's followee draws and of its row sorting, the single-author and cascade benchmarks,
# the floor under the pull scheduler at 10 M accounts, and process start-up time.
# Takes 6 to 15 minutes; QUICK=1 skips the 10 M graph.
# Instructions per delivery need valgrind (apt-get install valgrind); without it the row is left out.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
build="${BUILD_DIR:-build-release}"
BUILD_DIR="$build" scripts/build.sh -DREACHSIM_TESTS=OFF -DREACHSIM_BENCHMARKS=ON >/dev/null
reachsim="$build/sim/reachsim"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# A whole run: sets build_s, follows, deliveries, simulate_s, rate, peak_gb.
run() {
    local scenario="$1" threads="$2"
    shift 2
    /usr/bin/time -f "%M" -o "$work/rss" "$reachsim" run "$scenario" -o "$work/run.h5" \
        --threads "$threads" "$@" >"$work/log" 2>&1
    read -r follows build_s < <(sed -nE 's/^graph: [0-9]+ accounts, ([0-9]+) follows.*built in ([0-9.]+) s$/\1 \2/p' "$work/log")
    read -r deliveries simulate_s rate < <(sed -nE 's/^simulated .*: ([0-9.e+]+) deliveries in ([0-9.]+) s \(([0-9.e+]+) deliveries\/s\)$/\1 \2 \3/p' "$work/log")
    peak_gb=$(awk '{printf "%.2f", $1 / 1048576}' "$work/rss")
}

millions() { awk -v x="$1" 'BEGIN { printf "%.1f M", x / 1e6 }'; }

benchmark_counter() {  # PROGRAM FILTER COUNTER: the counter of each matching benchmark, in order
    "$1" --benchmark_filter="$2" --benchmark_format=csv 2>/dev/null |
        awk -F, -v name="$3" 'NR == 1 { for (i = 1; i <= NF; ++i) if ($i == name || $i == "\"" name "\"") c = i; next }
                              c { print $c }'
}

echo "# reachsim performance, $(date -u +%Y-%m-%d), $(nproc) CPUs ($(lscpu | sed -nE 's/^Model name: +//p')), $(git rev-parse --short HEAD)"
echo
echo "| measure | 1 thread | 2 threads |"
echo "|---|---|---|"

mapfile -t gather < <(benchmark_counter "$build/bench/reachsim_gather_probe" random_gather gathers_per_second)
echo "| random 4-byte gathers in 1 GiB (machine) | $(millions "${gather[0]}")/s | $(millions "${gather[1]}")/s |"
mapfile -t touch < <(benchmark_counter "$build/bench/reachsim_gather_probe" first_touch bytes_per_second)
echo "| first touch of new memory (machine), 4 KiB pages / 2 MiB pages | $(awk -v a="${touch[0]}" -v b="${touch[1]}" 'BEGIN { printf "%.2f / %.1f GB/s", a / 1e9, b / 1e9 }') | |"
mapfile -t draws < <(benchmark_counter "$build/bench/reachsim_gather_probe" followee_draws draws_per_second)
echo "| followees drawn from a 10 M-account alias table, lookups prefetched one by one / in a burst per row (the generator's way) | $(millions "${draws[0]}") / $(millions "${draws[1]}")/s | |"
mapfile -t sorted < <(benchmark_counter "$build/bench/reachsim_gather_probe" row_sort ids_per_second)
echo "| rows of drawn followees sorted and de-duplicated, quicksort / short rows ranked (the generator's way) | $(millions "${sorted[0]}") / $(millions "${sorted[1]}") ids/s | |"

scenarios=("power-law-1m|scenarios/power-law-1m.toml|")
if [[ "${QUICK:-0}" != 1 ]]; then
    scenarios+=("10 M accounts (twitter-2010-scale.toml, accounts = 10 M)|scenarios/twitter-2010-scale.toml|graph.accounts=10000000")
fi
for entry in "${scenarios[@]}"; do
    IFS='|' read -r name scenario set <<<"$entry"
    sets=()
    [[ -n "$set" ]] && sets=(--set "$set")
    declare -A by_threads=()
    for threads in 1 2; do
        run "$scenario" "$threads" "${sets[@]}"
        by_threads[rate$threads]=$rate
        by_threads[build$threads]=$(awk -v f="$follows" -v s="$build_s" 'BEGIN { printf "%.1f M", f / s / 1e6 }')
        by_threads[peak$threads]=$peak_gb
        by_threads[gather_share$threads]=$(awk -v r="$rate" -v g="${gather[$((threads - 1))]}" 'BEGIN { printf "%.2f", r / g }')
    done
    echo "| $name: deliveries/s ($(millions "$deliveries") per run, $(millions "$follows") follows) | $(millions "${by_threads[rate1]}")/s | $(millions "${by_threads[rate2]}")/s ($(awk -v a="${by_threads[rate2]}" -v b="${by_threads[rate1]}" 'BEGIN { printf "%.2f", a / b }')×) |"
    echo "| $name: deliveries/s ÷ gather rate | ${by_threads[gather_share1]} | ${by_threads[gather_share2]} |"
    echo "| $name: graph build, follows/s | ${by_threads[build1]}/s | ${by_threads[build2]}/s |"
    echo "| $name: peak resident memory | ${by_threads[peak1]} GB | ${by_threads[peak2]} GB |"
done

if [[ "${QUICK:-0}" != 1 ]]; then
    # The same 10 M-account world with the pull scheduler's gathers and counts but none of its
    # model (bench/pull_floor_probe.cpp): the most this data layout allows, and the engine's share.
    mapfile -t floor < <(REACHSIM_PROBE_ACCOUNTS=10000000 benchmark_counter \
        "$build/bench/reachsim_pull_floor_probe" 'pull_floor/gather:0/' deliveries_per_second)
    echo "| 10 M accounts: floor under the pull scheduler (its gathers without its model), deliveries/s | $(millions "${floor[0]}")/s | $(millions "${floor[1]}")/s |"
    echo "| 10 M accounts: engine ÷ floor | $(awk -v r="${by_threads[rate1]}" -v f="${floor[0]}" 'BEGIN { printf "%.2f", r / f }') | $(awk -v r="${by_threads[rate2]}" -v f="${floor[1]}" 'BEGIN { printf "%.2f", r / f }') |"
fi

if command -v valgrind >/dev/null; then
    # Instructions in simulate_pull alone (the graph build is not counted), per delivery.
    valgrind --tool=callgrind --callgrind-out-file="$work/callgrind" \
        --toggle-collect='reachsim::simulate_pull*' \
        "$reachsim" run scenarios/power-law-1m.toml -o "$work/small.h5" --threads 1 \
        --set graph.accounts=30000 >"$work/log" 2>"$work/valgrind"
    read -r deliveries _ < <(sed -nE 's/^simulated .*: ([0-9.e+]+) deliveries in.*/\1 x/p' "$work/log")
    instructions=$(sed -nE 's/.*Collected : ([0-9]+).*/\1/p' "$work/valgrind")
    echo "| instructions per delivery (callgrind, power-law-1m at 30 k accounts) | $(awk -v i="$instructions" -v d="$deliveries" 'BEGIN { printf "%.0f", i / d }') | |"
fi

star=$(benchmark_counter "$build/bench/reachsim_bench" 'resolve_pairs/150/' pairs_per_second)
echo "| single author, greencontact at 150 items/h: (post, follower) pairs/s | $(millions "$star")/s | |"
mapfile -t cascades < <(benchmark_counter "$build/bench/reachsim_graph_bench" simulate_cascades deliveries_per_second)
echo "| cascades-small ×20 k: no retweets / q = 0 / retweets, deliveries/s | | $(millions "${cascades[0]}") / $(millions "${cascades[1]}") / $(millions "${cascades[2]}")/s |"

mean_ms() {  # COMMAND...: mean wall time of 20 runs, in milliseconds
    local start
    start=$(date +%s%N)
    for _ in $(seq 20); do "$@" >/dev/null; done
    echo $(( ($(date +%s%N) - start) / 20000000 ))
}
libraries=$(ldd "$reachsim" | wc -l)
echo "| process start-up: \`reachsim --version\` ($libraries shared libraries) / a tiny run (constant-rates.toml, 1 day, 1 replicate, output written), mean of 20 | $(mean_ms "$reachsim" --version) ms / $(mean_ms "$reachsim" run scenarios/constant-rates.toml -o "$work/tiny.h5" --set simulation.replicates=1 --set 'simulation.duration="1d"') ms | |"
