# Sourced by run_with_origin.sh and run_with_nginx_edge.sh: start podium-cli streaming the test
# pattern into its own origin on a free loopback port, wait until the channel is playable, stop it.
# Every wait has a deadline; nothing here sleeps to synchronise beyond short polling steps.

# A TCP port nobody listens on right now (the kernel picks it).
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# http_ok URL: true when URL answers 200.
http_ok() {
  [[ "$(curl -s -o /dev/null -m 5 -w '%{http_code}' "$1")" == 200 ]]
}

# wait_for_channel BASE SECONDS: waits until BASE/live/test/index.m3u8 answers 200 and its first
# media playlist lists a segment. Fails if the origin process dies or the deadline passes.
wait_for_channel() {
  local base=$1 deadline=$((SECONDS + $2)) variant
  while ((SECONDS < deadline)); do
    if ! kill -0 "$ORIGIN_PID" 2>/dev/null; then
      echo "podium-cli exited early:" >&2
      cat "$ORIGIN_LOG" >&2
      return 1
    fi
    if http_ok "$base/live/test/index.m3u8"; then
      variant=$(curl -s -m 5 "$base/live/test/index.m3u8" | grep -v '^#' | grep -m1 .)
      if [[ -n "$variant" ]] && curl -s -m 5 "$base/live/test/$variant" | grep -q '^#EXTINF'; then
        return 0
      fi
    fi
    sleep 0.2
  done
  echo "the channel did not become playable at $base within $2 s" >&2
  cat "$ORIGIN_LOG" >&2
  return 1
}

# start_origin CLI PORT WORKDIR [extra podium-cli args...]: sets ORIGIN_PID and ORIGIN_LOG.
# The preset is PODIUM_BROWSER_PRESET, by default "Low bandwidth" (three renditions, 360p24 and
# below): Chromium decoding and the live encoder share the machine, and an encoder that falls
# behind real time makes every live player stall, which is not what these tests are about.
start_origin() {
  local cli=$1 port=$2 work=$3
  shift 3
  ORIGIN_LOG="$work/podium-cli.log"
  "$cli" stream --origin "127.0.0.1:$port" --channel test --duration 90 \
    --preset "${PODIUM_BROWSER_PRESET:-Low bandwidth}" "$@" >"$ORIGIN_LOG" 2>&1 &
  ORIGIN_PID=$!
}

# The viewer URL podium-cli printed (it carries ?code= when a passcode is set), else the default.
viewer_url() {
  local base=$1 printed
  printed=$(grep -m1 -o 'viewer: http[^ ]*' "$ORIGIN_LOG" | cut -d' ' -f2)
  if [[ -n "$printed" ]]; then
    # Keep the path and query, but talk to `base` (an edge may sit in front).
    echo "$base/${printed#http://*/}"
  else
    echo "$base/watch/test"
  fi
}

# Ctrl-C first (podium-cli finishes cleanly), then insist.
stop_origin() {
  [[ -n "${ORIGIN_PID:-}" ]] || return 0
  kill -INT "$ORIGIN_PID" 2>/dev/null || return 0
  for _ in $(seq 50); do
    kill -0 "$ORIGIN_PID" 2>/dev/null || { wait "$ORIGIN_PID" 2>/dev/null; return 0; }
    sleep 0.1
  done
  kill -KILL "$ORIGIN_PID" 2>/dev/null
  wait "$ORIGIN_PID" 2>/dev/null
  return 0
}
