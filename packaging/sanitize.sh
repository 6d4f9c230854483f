#!/usr/bin/env bash
# Builds the `asan` preset (Debug, AddressSanitizer + UndefinedBehaviorSanitizer) and runs the
# unit, golden and fuzz-corpus tests under it. Any sanitizer report fails the run: both
# sanitizers halt on the first error. CI runs it after packaging/test.sh.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/packaging/setup.sh"
build="$root/build/asan"
jobs="${PODIUM_JOBS:-$(nproc)}"
if [[ ! -f "$build/CMakeCache.txt" ]]; then
  launcher=()
  if command -v ccache >/dev/null; then  # optional: fast rebuilds in fresh checkouts
    launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
  fi
  (cd "$root" && cmake --preset asan "${launcher[@]}" >/dev/null)
fi
cmake --build "$build" -j "$jobs"
cd "$build"
export ASAN_OPTIONS="halt_on_error=1:abort_on_error=1:detect_leaks=1:detect_stack_use_after_return=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
export LSAN_OPTIONS="suppressions=$root/packaging/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
ctest --output-on-failure -j "$(nproc)" -L 'unit|golden|fuzz' --timeout 600 "$@"
