#!/usr/bin/env bash
# Latency benchmark (not a test), issue #12: how far behind live, and glass to glass, viewers of
# Podium's /watch page are on loopback, median over SECONDS of steady playback, in one run:
#  1. Podium "User group 720p" (the default preset): hls.js (lowLatencyMode), stock dash.js.
#  2. Podium "Interactive 720p": hls.js, stock dash.js.
#  3. Reference: ffmpeg's own HLS muxer, 1 s segments, testsrc2 at 720p30 with x264 veryfast and
#     a 1 s GOP, served by a static server (tests/browser/dev_server.mjs), same page and hls.js.
# and, per Podium preset, where the delay goes (tests/bench/part_arrival.mjs): the part wait,
# the encoder and packaging until a part is available, the network, and the player (hold-back,
# buffer, decode) as the rest of glass to glass.
# The browser runs at nice 10 (PODIUM_BENCH_NICE): on a 2-core machine it would otherwise take
# the encoder's CPU, which a viewer on another machine does not.
#
#   tests/bench/origin_latency.sh [SECONDS]          (default 60; PODIUM_CLI to pick a binary)
# PODIUM_BENCH_PRESETS="A;B" measures other presets (user presets included) instead of the two,
# PODIUM_BENCH_PLAYERS="hls" picks players, PODIUM_BENCH_REFERENCE=0 skips the ffmpeg reference.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
seconds="${1:-60}"
cli="${PODIUM_CLI:-$root/build/release/app/podium-cli}"
nice_level="${PODIUM_BENCH_NICE:-10}"
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

viewer() {  # viewer URL SECONDS: one player's JSON line
  nice -n "$nice_level" node "$root/tests/bench/measure_latency.mjs" "$1" "$2"
}

results="$work/results.jsonl"
json_string() { node -e 'process.stdout.write(JSON.stringify(process.argv[1]))' "$1"; }
for player in ${PODIUM_BENCH_PLAYERS:-hls dash}; do
  [[ $player == hls || $player == dash ]] || { echo "PODIUM_BENCH_PLAYERS: hls and/or dash" >&2; exit 2; }
done
IFS=';' read -r -a presets <<<"${PODIUM_BENCH_PRESETS:-User group 720p;Interactive 720p}"
for preset in "${presets[@]}"; do
  echo "== Podium \"$preset\", ${seconds} s per player"
  port=$(free_port)
  PODIUM_BROWSER_PRESET="$preset" start_origin "$cli" "$port" "$work" --duration $((3 * seconds + 90))
  wait_for_channel "http://127.0.0.1:$port" 30
  base="http://127.0.0.1:$port"
  parts=$(node "$root/tests/bench/part_arrival.mjs" "$base/live/test/720p/index.m3u8" 20)
  echo "$parts"
  for player in ${PODIUM_BENCH_PLAYERS:-hls dash}; do
    url="$base/watch/test"
    [[ $player == dash ]] && url="$url?dash=1"
    line=$(viewer "$url" "$seconds")
    echo "$line"
    printf '{"preset":%s,"player":"%s","viewer":%s,"parts":%s}\n' "$(json_string "$preset")" \
      "$player" "$line" "$parts" >>"$results"
  done
  echo "podium-cli: $(grep -o 'dropped [0-9]*' "$ORIGIN_LOG" | tail -1) frames by the encoders"
  stop_origin
  ORIGIN_PID=""
done

if [[ "${PODIUM_BENCH_REFERENCE:-1}" != 0 ]]; then
  echo "== Reference: ffmpeg HLS muxer, 1 s segments, static server, same page (hls.js)"
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
  reference=$(viewer "http://127.0.0.1:$ref_port/watch/ref" "$seconds")
  echo "$reference"
  printf '{"preset":"ffmpeg 1 s HLS","player":"hls","viewer":%s,"parts":null}\n' "$reference" \
    >>"$results"
fi

# The tables of the README: behind live and glass to glass per player, then where the delay goes.
node - "$results" "$seconds" <<'EOF'
const fs = require('fs');
const [file, seconds] = process.argv.slice(2);
const rows = fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const s = (x) => (x === null || x === undefined ? '–' : x.toFixed(2) + ' s');
console.log(`\nmedians over ${seconds} s of steady playback, loopback:`);
console.log('| source | player | behind live | glass to glass | stalls |');
console.log('|---|---|---|---|---|');
for (const r of rows) {
  const v = r.viewer;
  const player = r.player === 'hls' ? 'hls.js (low latency)' : 'dash.js (stock)';
  console.log(`| ${r.preset} | ${player} | ${s(v.medianS)} | ${s(v.glassMedianS)} | ` +
              `${v.stalls ?? '–'} (${s(v.stallSeconds)}) |`);
}
console.log('\nwhere the glass-to-glass delay goes (hls.js):');
console.log('| preset | part wait (mean) | encoder + packaging | network | player | total |');
console.log('|---|---|---|---|---|---|');
for (const r of rows.filter((r) => r.parts && r.player === 'hls')) {
  const p = r.parts;
  const total = r.viewer.glassMedianS;
  const wait = p.partS / 2;
  const player = total - wait - p.afterPartEndS - p.fetchS;
  console.log(`| ${r.preset} | ${s(wait)} | ${s(p.afterPartEndS)} | ${s(p.fetchS)} | ` +
              `${s(player)} (hold-back ${s(p.holdBackS)}) | ${s(total)} |`);
}
EOF
