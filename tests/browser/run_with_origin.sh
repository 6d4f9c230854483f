#!/usr/bin/env bash
# run_with_origin.sh PODIUM_CLI PLAYER_SCRIPT.mjs EXPECTED_LEVELS
# Starts `podium-cli stream --origin 127.0.0.1:<free port> --channel test` (test pattern, default
# preset), waits until the channel is playable, runs `node PLAYER_SCRIPT WATCH_URL EXPECTED_LEVELS`
# and stops podium-cli. The exit code is the player script's.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/origin_lib.sh"

cli=${1:?usage: run_with_origin.sh PODIUM_CLI PLAYER_SCRIPT EXPECTED_LEVELS}
script=${2:?player script}
levels=${3:-0}

work=$(mktemp -d /tmp/podium-browser.XXXXXX)
trap 'stop_origin; rm -rf "$work"' EXIT
port=$(free_port)
start_origin "$cli" "$port" "$work"
wait_for_channel "http://127.0.0.1:$port" 30 || exit 1

export ORIGIN_LOG  # scripts that read podium-cli's status lines (qoe_check.mjs)
node "$script" "$(viewer_url "http://127.0.0.1:$port")" "$levels"
status=$?
if ((status != 0)); then
  echo "--- podium-cli log (last lines) ---" >&2
  tail -n 20 "$ORIGIN_LOG" >&2
fi
exit "$status"
