#!/usr/bin/env bash
# Soak (not a test): MINUTES (default 60) of the default ladder, on loopback:
#   podium-cli stream --origin A  --publish cmaf=<origin B>   (the local origin, and a push)
#   podium-origin B, restarted (Ctrl-C, then started again on the same port) every 5 minutes
#   200 simulated LL-HLS viewers on A (llhls_viewers.mjs, 2 worker processes) the whole time
# Prints the RSS of podium-cli and podium-origin every minute; at the end the RSS at minute 5
# and at the last minute (goal: flat within 10 %), the viewers' missed parts (goal 0) and the
# restarts of B the push survived (B serves the channel again, with new segments, within 60 s).
#
#   tests/bench/soak.sh [MINUTES]     PODIUM_CLI / PODIUM_ORIGIN pick the binaries;
#                                     PODIUM_SOAK_VIEWERS (200), PODIUM_SOAK_RESTART_MINUTES (5)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
minutes="${1:-60}"
cli="${PODIUM_CLI:-$root/build/release/app/podium-cli}"
origin_bin="${PODIUM_ORIGIN:-$root/build/release/app/podium-origin}"
viewers="${PODIUM_SOAK_VIEWERS:-200}"
restart_every="${PODIUM_SOAK_RESTART_MINUTES:-5}"
token="soak-$RANDOM$RANDOM"
source "$root/tests/browser/origin_lib.sh"

work=$(mktemp -d /tmp/podium-soak.XXXXXX)
B_PID=""
VIEWERS_PID=""
cleanup() {
  [[ -n "$VIEWERS_PID" ]] && kill "$VIEWERS_PID" 2>/dev/null && wait "$VIEWERS_PID" 2>/dev/null
  # podium-cli first: stopped after B, its push ends "unreachable" and the run reports failure.
  stop_origin || true
  stop_b || true
  echo "logs: $work"
}
trap cleanup EXIT

rss_mb() {  # rss_mb PID -> resident set in MB (one decimal), or "-" when the process is gone
  awk '/^VmRSS:/ { printf "%.1f", $2 / 1024; found = 1 } END { if (!found) print "-" }' \
    "/proc/$1/status" 2>/dev/null || echo "-"
}

start_b() {
  "$origin_bin" --listen "127.0.0.1:$port_b" --publish-token "$token" >>"$work/origin-b.log" 2>&1 &
  B_PID=$!
}
stop_b() {
  [[ -n "$B_PID" ]] || return 0
  kill -INT "$B_PID" 2>/dev/null || true
  for _ in $(seq 100); do
    kill -0 "$B_PID" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$B_PID" 2>/dev/null || true
  wait "$B_PID" 2>/dev/null || true
  B_PID=""
}
newest_b_segment() {  # the newest segment number B lists for the 360p track (-1: none)
  curl -s -m 5 "http://127.0.0.1:$port_b/live/soak/360p/index.m3u8" 2>/dev/null |
    sed -n 's/^seg_\([0-9]*\)\.m4s$/\1/p' | sort -n | tail -n1 | grep . || echo -1
}
wait_for_b() {  # wait_for_b SECONDS: B lists new segments of the pushed channel
  local deadline=$((SECONDS + $1)) first
  first=$(newest_b_segment)
  while ((SECONDS < deadline)); do
    local now
    now=$(newest_b_segment)
    if ((now >= 0 && now > first)); then
      return 0
    fi
    sleep 1
  done
  return 1
}

port_b=$(free_port)
start_b
port_a=$(free_port)
PODIUM_BROWSER_PRESET="User group 720p" start_origin "$cli" "$port_a" "$work" \
  --duration $((minutes * 60 + 180)) --publish "cmaf=http://soak:$token@127.0.0.1:$port_b/live/soak.isml"
wait_for_channel "http://127.0.0.1:$port_a" 30
wait_for_b 60 || { echo "origin B never received the push" >&2; tail "$work/origin-b.log" >&2; exit 1; }
echo "A: podium-cli pid $ORIGIN_PID on :$port_a (default preset); B: podium-origin on :$port_b;" \
     "$viewers viewers on A for $minutes min; B restarts every $restart_every min"

node "$root/tests/bench/llhls_viewers.mjs" --origin "http://127.0.0.1:$port_a" --pid "$ORIGIN_PID" \
  --viewers "$viewers" --seconds $((minutes * 60)) --ramp 5 --workers 2 --report 300 \
  >"$work/viewers.log" 2>&1 &
VIEWERS_PID=$!

declare -A rss_a rss_b
restarts=0
survived=0
start=$SECONDS
for ((minute = 1; minute <= minutes; minute++)); do
  while ((SECONDS - start < minute * 60)); do sleep 1; done
  kill -0 "$ORIGIN_PID" 2>/dev/null || { echo "podium-cli died" >&2; tail "$ORIGIN_LOG" >&2; exit 1; }
  rss_a[$minute]=$(rss_mb "$ORIGIN_PID")
  rss_b[$minute]=$(rss_mb "$B_PID")
  printf 'minute %3d: podium-cli RSS %7s MB | podium-origin RSS %7s MB | restarts survived %d/%d\n' \
    "$minute" "${rss_a[$minute]}" "${rss_b[$minute]}" "$survived" "$restarts"
  if ((minute % restart_every == 0 && minute < minutes)); then
    stop_b
    start_b
    restarts=$((restarts + 1))
    if wait_for_b 60; then
      survived=$((survived + 1))
    else
      echo "minute $minute: origin B did not get the stream back within 60 s" >&2
    fi
  fi
done

wait "$VIEWERS_PID" || true
VIEWERS_PID=""
result=$(grep -m1 '^{' "$work/viewers.log" || true)
missed=$(sed -n 's/.*"missed":\([0-9]*\).*/\1/p' <<<"$result")
parts=$(sed -n 's/.*"partsFetched":\([0-9]*\).*/\1/p' <<<"$result")
first=$((minutes >= 5 ? 5 : 1))
echo
echo "== soak: $minutes min, default preset, $viewers LL-HLS viewers on A, B restarted every $restart_every min"
awk -v a5="${rss_a[$first]}" -v a="${rss_a[$minutes]}" -v b5="${rss_b[$first]}" -v b="${rss_b[$minutes]}" \
    -v m="$minutes" -v f="$first" 'BEGIN {
  printf "podium-cli RSS: minute %d %.1f MB, minute %d %.1f MB (%+.1f %%)\n", f, a5, m, a, (a - a5) * 100 / a5
  printf "podium-origin RSS: minute %d %s MB, minute %d %s MB (restarted every few minutes)\n", f, b5, m, b }'
echo "viewers: ${parts:-?} parts fetched, ${missed:-?} missed"
echo "restarts of origin B survived: $survived/$restarts"
grep -o 'dropped [0-9]*' "$ORIGIN_LOG" | tail -n1 | sed 's/^/encoder frames /'  # CPU starvation
tail -n 3 "$ORIGIN_LOG" | sed 's/^/podium-cli: /'
[[ "${missed:-1}" == 0 && "$survived" == "$restarts" ]]
