#!/usr/bin/env bash
# Screen capture benchmark (not a test): a 1920x1080 screen with a moving picture, captured into
# a 1920x1080 canvas through the Wayland path (ScreenCast portal + PipeWire, in the headless
# Wayland session of tests/support/wayland-session.sh) and through the X11 path (XShm, on an
# Xvfb), alternating, in one run. Each environment runs only during its own measurement. The
# moving picture is a small GStreamer window (a bouncing ball, 320x180 at FPS): any change makes
# both paths take and convert the whole 1080p screen, and the painter itself stays cheap. Prints
# every measurement and the medians: distinct pictures captured per second, frames delivered
# per second, Podium's CPU (% of one core), and the desktop side's CPU (compositor + portal +
# PipeWire, or the X server; the painter that moves the picture is not counted).
#
#   tests/bench/screen_capture_bench.sh [ROUNDS] [SECONDS] [FPS]   (defaults: 3 rounds, 20 s, 30)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
rounds="${1:-3}"
seconds="${2:-20}"
fps="${3:-30}"
bench="${CAPTURE_BENCH:-$root/build/release/tests/bench/capture_bench}"
session_script="$root/tests/support/wayland-session.sh"
results="$(mktemp)"
trap 'rm -f "$results"' EXIT

# CPU seconds (user + system) used so far by the given PIDs.
cpu_seconds() {
  local total=0 pid stat fields
  for pid in "$@"; do
    stat=$(cat "/proc/$pid/stat" 2>/dev/null) || continue
    stat=${stat##*) }
    read -r -a fields <<<"$stat"
    total=$((total + fields[11] + fields[12]))
  done
  echo "scale=3; $total / $(getconf CLK_TCK)" | bc
}

# measure PATH PIDS...: runs the bench, appends "<its line> desktop_cpu_percent=X".
measure() {
  local path=$1 line before after
  shift
  before=$(cpu_seconds "$@")
  line=$("$bench" "$path" "$seconds" 1920x1080 "$fps")
  after=$(cpu_seconds "$@")
  # The bench measures its window after a 2 s warm-up; the desktop side is spread over all of it.
  line+=" desktop_cpu_percent=$(echo "scale=1; 100 * ($after - $before) / ($seconds + 2)" | bc)"
  echo "$line" | tee -a "$results"
}

# painter SINK: starts the moving picture (painter_pid), fails if it does not keep running.
painter() {
  gst-launch-1.0 -q videotestsrc is-live=true pattern=ball \
    ! "video/x-raw,width=320,height=180,framerate=$fps/1" ! videoconvert ! "$1" >/dev/null 2>&1 &
  painter_pid=$!
  sleep 1
  kill -0 "$painter_pid" || { echo "the painter ($1) did not start" >&2; exit 1; }
}

run_wayland() {
  local env pids
  env=$(bash "$session_script" start --size 1920x1080 --fps "$fps" --no-painter 2>/dev/null)
  pids=$(echo "$env" | awk '/^# pid/ && $4 != "dbus-daemon" {print $3}')
  (
    eval "$env"
    unset DISPLAY
    painter "waylandsink"
    # shellcheck disable=SC2086
    measure portal $pids
    kill "$painter_pid"
    wait "$painter_pid" 2>/dev/null || true
  )
  bash "$session_script" stop "$(echo "$env" | sed -n 's/^export WAYLAND_SESSION_DIR=//p')" \
    2>/dev/null
}

run_x11() {
  local n=150 xvfb painter
  while [[ -e /tmp/.X11-unix/X$n || -e /tmp/.X$n-lock ]]; do n=$((n + 1)); done
  Xvfb ":$n" -screen 0 1920x1080x24 -nolisten tcp -noreset >/dev/null 2>&1 &
  xvfb=$!
  for _ in $(seq 100); do xdpyinfo -display ":$n" >/dev/null 2>&1 && break; sleep 0.1; done
  DISPLAY=":$n" painter ximagesink
  DISPLAY=":$n" measure x11 "$xvfb"
  kill "$painter_pid" "$xvfb"
  wait "$painter_pid" "$xvfb" 2>/dev/null || true
}

for round in $(seq "$rounds"); do
  echo "round $round"
  run_wayland
  run_x11
done

median() {  # median PATH KEY
  grep "path=$1 " "$results" | sed -n "s/.* $2=\([0-9.]*\).*/\1/p" | sort -n |
    awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'
}

echo
echo "medians of $rounds rounds, ${seconds} s each, 1920x1080 canvas at $fps fps"
printf '%-8s %14s %12s %12s %16s\n' path pictures/s frames/s cpu% desktop_cpu%
for path in portal x11; do
  printf '%-8s %14s %12s %12s %16s\n' "$path" "$(median $path pictures_per_s)" \
    "$(median $path frames_per_s)" "$(median $path cpu_percent)" \
    "$(median $path desktop_cpu_percent)"
done
