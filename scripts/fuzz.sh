#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, with ASan + UBSan) in build-fuzz/ and runs each for SECONDS
# seconds (default 60; docs/testing.md reports hour-long runs) on a corpus seeded from the bundled
# scenarios and data. Exits non-zero on any finding; the input that triggered it is kept in
# build-fuzz/findings/. Usage: scripts/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(scenario edge_list attributes)

scripts/install-deps.sh
CC=clang CXX=clang++ BUILD_DIR=build-fuzz BUILD_TYPE=RelWithDebInfo \
  scripts/build.sh -DREACHSIM_FUZZ=ON -DREACHSIM_TESTS=OFF -DREACHSIM_BENCHMARKS=OFF

# Seeds: every bundled scenario (and one with overrides); the start of every bundled edge list,
# plain and to be gzip-compressed; the attribute files.
seeds=build-fuzz/seeds
rm -rf "$seeds"
mkdir -p "$seeds"/{scenario,edge_list,attributes} build-fuzz/findings
cp scenarios/*.toml "$seeds/scenario/"
printf '[followers]\ncount = 3\n#--set\nsimulation.duration=2d\nfollowers.sessions.per_day=4\n' \
  > "$seeds/scenario/with-overrides"
for data in scenarios/data/*.tsv scenarios/data/*.txt; do
  name=$(basename "$data")
  { printf '\x00'; head -c 4096 "$data"; } > "$seeds/edge_list/plain-$name"
  { printf '\x02'; head -c 4096 "$data"; } > "$seeds/edge_list/gzip-$name"
done
for data in scenarios/data/*.csv; do
  head -c 4096 "$data" > "$seeds/attributes/$(basename "$data")"
done

status=0
for target in "${targets[@]}"; do
  corpus=build-fuzz/corpus/$target
  mkdir -p "$corpus"
  echo "== fuzz_$target for ${seconds}s"
  build-fuzz/tests/fuzz/fuzz_"$target" -max_total_time="$seconds" -rss_limit_mb=2048 \
    -max_len=65536 -print_final_stats=1 -artifact_prefix=build-fuzz/findings/"$target"- \
    "$corpus" "$seeds/$target" 2>&1 | grep -E "^(Done|stat::number_of_executed_units|==|SUMMARY|ERROR)|INFO: seed corpus" \
    || status=1
  if [ "${PIPESTATUS[0]}" -ne 0 ]; then
    echo "fuzz_$target found a problem: see build-fuzz/findings/"
    status=1
  fi
done
exit $status
