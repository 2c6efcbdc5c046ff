#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test (Catch2 and pytest, through CTest).
#   SANITIZE=1  builds in build-sanitize/ with AddressSanitizer + UndefinedBehaviorSanitizer
#   TSAN=1      builds in build-tsan/ with ThreadSanitizer (parallel loops on plain threads, which
#               TSan sees, rather than on Debian's uninstrumented TBB: core/parallel.hpp)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
if [ "${SANITIZE:-0}" = 1 ]; then
  export BUILD_DIR=build-sanitize BUILD_TYPE=RelWithDebInfo
  scripts/build.sh -DREACHSIM_SANITIZE=ON -DREACHSIM_BENCHMARKS=OFF
elif [ "${TSAN:-0}" = 1 ]; then
  export BUILD_DIR=build-tsan BUILD_TYPE=RelWithDebInfo
  export TSAN_OPTIONS="suppressions=$PWD/tests/tsan.supp halt_on_error=1"
  scripts/build.sh -DREACHSIM_TSAN=ON -DREACHSIM_BENCHMARKS=OFF
else
  scripts/build.sh -DREACHSIM_MPI=ON  # the sweep over MPI ranks is tested in this build
fi
cd "${BUILD_DIR:-build}"
ctest --output-on-failure -j"$(nproc)"
