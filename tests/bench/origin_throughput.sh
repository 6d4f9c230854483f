#!/usr/bin/env bash
# Segment GET throughput benchmark (not a test): wrk against one segment URL of the Podium origin
# and against nginx serving the very same bytes as a static file, alternating rounds in the same
# run (both share the machine with the live encoder feeding the origin). Prints requests/s per
# round, the medians and the ratio origin/nginx. Loopback only.
#
#   tests/bench/origin_throughput.sh [ROUNDS] [SECONDS] [CONNECTIONS]   (defaults 3, 10, 64)
#   PODIUM_CLI picks the binary; PODIUM_BENCH_PRESET the ladder (default "User group 720p").
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
rounds="${1:-3}"
seconds="${2:-10}"
connections="${3:-64}"
cli="${PODIUM_CLI:-$root/build/release/app/podium-cli}"
source "$root/tests/browser/origin_lib.sh"

work=$(mktemp -d /tmp/podium-throughput.XXXXXX)
NGINX_PID=""
cleanup() {
  [[ -n "$NGINX_PID" ]] && kill -QUIT "$NGINX_PID" 2>/dev/null && wait "$NGINX_PID" 2>/dev/null
  stop_origin
  rm -rf "$work"
}
trap cleanup EXIT

# The origin keeps --dvr seconds of segments: keep the chosen one alive for the whole run.
dvr=$((rounds * seconds * 2 + 120))
port=$(free_port)
PODIUM_BROWSER_PRESET="${PODIUM_BENCH_PRESET:-User group 720p}" start_origin "$cli" "$port" "$work" \
  --duration $((dvr + 60)) --dvr "$dvr"
origin="http://127.0.0.1:$port"
wait_for_channel "$origin" 30

# The top rendition's newest complete segment.
variant=$(curl -s "$origin/live/test/index.m3u8" | grep -v '^#' | grep -m1 .)
track=${variant%/index.m3u8}
segment=$(curl -s "$origin/live/test/$variant" | grep -E '^seg_[0-9]+\.m4s$' | tail -n1)
segment_url="$origin/live/test/$track/$segment"
mkdir -p "$work/www" "$work/temp"
curl -s -o "$work/www/$segment" "$segment_url"
size=$(stat -c %s "$work/www/$segment")
echo "segment: $segment_url ($size bytes)"

chmod 0755 "$work" "$work/www"
chmod 0644 "$work/www/$segment"
chmod 0777 "$work/temp"
nginx_port=$(free_port)
cat >"$work/nginx.conf" <<CONF
daemon off;
worker_processes auto;
pid $work/nginx.pid;
error_log $work/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  client_body_temp_path $work/temp/body;
  proxy_temp_path $work/temp/proxy;
  fastcgi_temp_path $work/temp/fastcgi;
  uwsgi_temp_path $work/temp/uwsgi;
  scgi_temp_path $work/temp/scgi;
  types { video/iso.segment m4s; }
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/www;
    add_header Cache-Control "public, max-age=31536000, immutable";
  }
}
CONF
/usr/sbin/nginx -p "$work" -c "$work/nginx.conf" -e "$work/error.log" &
NGINX_PID=$!
nginx_url="http://127.0.0.1:$nginx_port/$segment"
deadline=$((SECONDS + 10))
until http_ok "$nginx_url"; do
  ((SECONDS < deadline)) || { echo "nginx did not start" >&2; tail "$work/error.log" >&2; exit 1; }
  sleep 0.2
done
cmp -s <(curl -s "$segment_url") "$work/www/$segment" || { echo "origin bytes differ" >&2; exit 1; }

rps() {  # rps URL -> requests/s from wrk
  wrk -t2 -c"$connections" -d"${seconds}s" "$1" | awk '/^Requests\/sec:/ { print $2 }'
}
origin_runs=()
nginx_runs=()
for ((i = 1; i <= rounds; i++)); do
  o=$(rps "$segment_url")
  n=$(rps "$nginx_url")
  origin_runs+=("$o")
  nginx_runs+=("$n")
  printf 'round %d: origin %s req/s, nginx %s req/s\n' "$i" "$o" "$n"
done
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
mo=$(median "${origin_runs[@]}")
mn=$(median "${nginx_runs[@]}")
awk -v o="$mo" -v n="$mn" -v s="$size" -v c="$connections" 'BEGIN {
  printf "\nmedian: origin %.0f req/s (%.0f MB/s), nginx %.0f req/s (%.0f MB/s), ratio %.2fx (%d KB segment, %d connections)\n",
         o, o * s / 1e6, n, n * s / 1e6, o / n, s / 1024, c }'
