#!/usr/bin/env bash
# packaging/fuzz.sh [SECONDS]: builds the libFuzzer targets of tests/fuzz with clang-16 and
# -fsanitize=fuzzer,address,undefined into build/fuzz, runs each for SECONDS (default 60)
# from its seed corpus (tests/fuzz/corpus/<target>, read-only; new inputs go to
# build/fuzz/corpus/<target>), prints the executions per target and exits non-zero on any
# finding. A crashing input is written to build/fuzz/findings/<target>/: make it a corpus file
# and a fix. PODIUM_JOBS limits the build; PODIUM_FUZZ_TARGETS="a b" runs only those.
set -euo pipefail
seconds="${1:-60}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${PODIUM_FUZZ_BUILD_DIR:-$root/build/fuzz}"
jobs="${PODIUM_JOBS:-$(nproc)}"
read -r -a targets <<< "${PODIUM_FUZZ_TARGETS:-box_reader fragment_reader ingest_session lsm_parser playlist_parser qoe_beacon request_router}"

for tool in clang-16 clang++-16; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "fuzz.sh: $tool not found (packaging/setup.sh installs clang-16 and libfuzzer-16-dev)" >&2
    exit 2
  fi
done

sanitizers="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
# podium_set_warnings has GCC-only options; clang would warn about each one per file.
quiet="-Wno-unknown-warning-option"
if [[ ! -f "$build/CMakeCache.txt" ]]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_COMPILER=clang-16 -DCMAKE_CXX_COMPILER=clang++-16 \
    -DCMAKE_C_FLAGS="$sanitizers $quiet -fsanitize=fuzzer-no-link" \
    -DCMAKE_CXX_FLAGS="$sanitizers $quiet -fsanitize=fuzzer-no-link" \
    -DCMAKE_EXE_LINKER_FLAGS="$sanitizers" -DPODIUM_FUZZING=ON >/dev/null
fi
cmake --build "$build" -j "$jobs" --target "${targets[@]/#/fuzz_}"

export ASAN_OPTIONS="halt_on_error=1:abort_on_error=1:detect_leaks=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
status=0
summary=()
for target in "${targets[@]}"; do
  work="$build/corpus/$target"
  findings="$build/findings/$target"
  mkdir -p "$work" "$findings"
  dict=()
  case "$target" in
    box_reader | fragment_reader | ingest_session) dict=(-dict="$root/tests/fuzz/mp4.dict") ;;
    playlist_parser) dict=(-dict="$root/tests/fuzz/m3u8.dict") ;;
  esac
  log="$build/$target.log"
  echo "== fuzz_$target for ${seconds}s"
  set +e
  "$build/tests/fuzz/fuzz_$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$findings/" "${dict[@]}" \
    "$work" "$root/tests/fuzz/corpus/$target" >"$log" 2>&1
  rc=$?
  set -e
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  if [[ $rc -ne 0 ]]; then
    status=1
    grep -E "^(==[0-9]+==ERROR|SUMMARY|.*runtime error|artifact_prefix|Test unit written)" "$log" \
      | head -20 || true
    summary+=("fuzz_$target: FINDING after ${execs:-?} executions (log: $log)")
  else
    summary+=("fuzz_$target: ${execs:-?} executions in ${seconds}s, clean")
  fi
done
echo "== fuzzing summary"
printf '%s\n' "${summary[@]}"
exit $status
