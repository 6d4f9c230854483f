#!/usr/bin/env bash
# Latency-to-live benchmark (not a test): hls.js in low-latency mode on loopback, the page's
# readout (wall clock minus the PROGRAM-DATE-TIME on screen) sampled for SECONDS, median.
#  1. Podium: podium-cli streams the test pattern (default preset) into its own origin (LL-HLS).
#  2. Reference: ffmpeg's own HLS muxer, 1 s segments, testsrc2 at 720p30 with x264 veryfast and
#     a 1 s GOP, served by a static server (tests/browser/dev_server.mjs), same page and hls.js.
#
#   tests/bench/origin_latency.sh [SECONDS]          (default 30; PODIUM_CLI to pick a binary)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
seconds="${1:-30}"
cli="${PODIUM_CLI:-$root/build/release/app/podium-cli}"
source "$root/tests/browser/origin_lib.sh"

work=$(mktemp -d /tmp/podium-latency.XXXXXX)
FFMPEG_PID=""
SERVER_PID=""
cleanup() {
  [[ -n "$SERVER_PID" ]] && kill "$SERVER_PID" 2>/dev/null
  [[ -n "$FFMPEG_PID" ]] && kill -INT "$FFMPEG_PID" 2>/dev/null && wait "$FFMPEG_PID" 2>/dev/null
  stop_origin
  rm -rf "$work"
}
trap cleanup EXIT

echo "== Podium origin, LL-HLS (default preset), hls.js lowLatencyMode, ${seconds} s"
port=$(free_port)
PODIUM_BROWSER_PRESET="${PODIUM_BENCH_PRESET:-User group 720p}" start_origin "$cli" "$port" "$work" \
  --duration $((seconds + 60))
wait_for_channel "http://127.0.0.1:$port" 30
podium=$(node "$root/tests/bench/measure_latency.mjs" "http://127.0.0.1:$port/watch/test" "$seconds")
echo "$podium"
stop_origin
ORIGIN_PID=""

echo "== Reference: ffmpeg HLS muxer, 1 s segments, static server, same page"
mkdir -p "$work/ref"
ffmpeg -v error -re -f lavfi -i "testsrc2=size=1280x720:rate=30" -f lavfi -i "sine=f=440:r=48000" \
  -c:v libx264 -preset veryfast -b:v 2500k -maxrate 2500k -bufsize 2500k -g 30 -keyint_min 30 \
  -sc_threshold 0 -pix_fmt yuv420p -c:a aac -b:a 128k \
  -f hls -hls_time 1 -hls_list_size 10 -hls_segment_type fmp4 \
  -hls_flags delete_segments+program_date_time+independent_segments \
  -hls_fmp4_init_filename init.mp4 "$work/ref/index.m3u8" &
FFMPEG_PID=$!
ref_port=$(free_port)
node "$root/tests/browser/dev_server.mjs" --archive "$work/ref" --channel ref --port "$ref_port" \
  >"$work/server.log" 2>&1 &
SERVER_PID=$!
deadline=$((SECONDS + 20))
until [[ -f "$work/ref/index.m3u8" ]] && (($(grep -c '^#EXTINF' "$work/ref/index.m3u8") >= 3)); do
  ((SECONDS < deadline)) || { echo "ffmpeg produced no playlist" >&2; exit 1; }
  sleep 0.2
done
reference=$(node "$root/tests/bench/measure_latency.mjs" "http://127.0.0.1:$ref_port/watch/ref" "$seconds")
echo "$reference"

median() { sed -n 's/.*"medianS":\([0-9.]*\).*/\1/p' <<<"$1"; }
printf '\nlatency to live, median over %s s: podium LL-HLS %s s, ffmpeg 1 s-segment HLS %s s\n' \
  "$seconds" "$(median "$podium")" "$(median "$reference")"
