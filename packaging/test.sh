#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test (unit, golden, e2e, browser) via CTest.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/packaging/setup.sh"
"$root/packaging/build.sh"
build="${PODIUM_BUILD_DIR:-$root/build/release}"
cd "$build"
ctest --output-on-failure -j "$(nproc)" "$@"
