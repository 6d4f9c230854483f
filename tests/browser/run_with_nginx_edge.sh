#!/usr/bin/env bash
# run_with_nginx_edge.sh PODIUM_CLI PLAYER_SCRIPT.mjs EXPECTED_LEVELS
# The edge check: Debian's nginx as a caching reverse proxy (proxy_cache honouring the origin's
# Cache-Control, proxy_cache_lock on) in front of a podium-cli origin, both on free loopback ports,
# nginx with its own prefix, config, cache and logs in a temp dir (never the system nginx).
# The player script plays the channel through the edge; then every segment, part and init that
# reached the edge must have been fetched from the origin at most once (nginx's
# $upstream_status per URI) even when a second viewer fetches them all again, and the origin's own counters (/metrics,
# podium_origin_requests_total) must agree. Exit code 0 when all of that holds.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/origin_lib.sh"

cli=${1:?usage: run_with_nginx_edge.sh PODIUM_CLI PLAYER_SCRIPT EXPECTED_LEVELS}
script=${2:?player script}
levels=${3:-0}
nginx_bin=${NGINX:-/usr/sbin/nginx}

work=$(mktemp -d /tmp/podium-edge.XXXXXX)
NGINX_PID=""
cleanup() {
  [[ -n "$NGINX_PID" ]] && kill -QUIT "$NGINX_PID" 2>/dev/null && wait "$NGINX_PID" 2>/dev/null
  stop_origin
  rm -rf "$work"
}
trap cleanup EXIT

origin_port=$(free_port)
edge_port=$(free_port)
while [[ "$edge_port" == "$origin_port" ]]; do edge_port=$(free_port); done
origin="http://127.0.0.1:$origin_port"
edge="http://127.0.0.1:$edge_port"

mkdir -p "$work/cache" "$work/temp"
# Run as root, nginx's workers drop to "nobody": let them into the temp dir and its cache.
chmod 0755 "$work"
chmod 0777 "$work/cache" "$work/temp"
cat >"$work/nginx.conf" <<CONF
daemon off;
master_process on;
worker_processes 1;
pid $work/nginx.pid;
error_log $work/error.log warn;
events { worker_connections 1024; }
http {
  log_format edge '\$request_uri|\$status|\$upstream_cache_status|\$upstream_status';
  access_log $work/access.log edge;
  client_body_temp_path $work/temp/body;
  proxy_temp_path $work/temp/proxy;
  fastcgi_temp_path $work/temp/fastcgi;
  uwsgi_temp_path $work/temp/uwsgi;
  scgi_temp_path $work/temp/scgi;
  proxy_cache_path $work/cache levels=1:2 keys_zone=podium:10m max_size=1g inactive=10m
                   use_temp_path=off;
  server {
    listen 127.0.0.1:$edge_port;
    location / {
      proxy_pass $origin;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_cache podium;
      proxy_cache_key \$scheme\$proxy_host\$request_uri;
      proxy_cache_lock on;
      proxy_cache_lock_timeout 10s;
      proxy_cache_lock_age 10s;
      proxy_read_timeout 30s;
      add_header X-Cache-Status \$upstream_cache_status always;
    }
  }
}
CONF

start_origin "$cli" "$origin_port" "$work"
"$nginx_bin" -p "$work" -c "$work/nginx.conf" -e "$work/error.log" &
NGINX_PID=$!
wait_for_channel "$origin" 30 || exit 1
deadline=$((SECONDS + 10))
until http_ok "$edge/live/test/index.m3u8"; do
  if ((SECONDS >= deadline)) || ! kill -0 "$NGINX_PID" 2>/dev/null; then
    echo "nginx edge did not come up on $edge" >&2
    tail -n 20 "$work/error.log" >&2
    exit 1
  fi
  sleep 0.2
done

# origin_count KIND: podium_origin_requests_total{kind="KIND"} from the origin's /metrics.
origin_count() {
  curl -s -m 5 "$origin/metrics" |
    awk -v k="podium_origin_requests_total{kind=\"$1\"}" '$1 == k { print $2; found = 1 }
                                                          END { if (!found) print -1 }'
}
declare -A before
for kind in segment part init; do before[$kind]=$(origin_count "$kind"); done

node "$script" "$(viewer_url "$edge")" "$levels"
status=$?
if ((status != 0)); then
  echo "--- podium-cli log (last lines) ---" >&2
  tail -n 20 "$ORIGIN_LOG" >&2
  exit "$status"
fi

# A second viewer: fetch every media object the player got through the edge once more; the edge
# must answer all of them from its cache.
awk -F'|' '$1 ~ /\/(seg_[0-9]+\.m4s|part_[0-9]+_[0-9]+\.m4s|init\.mp4)$/ { print $1 }' \
  "$work/access.log" | sort -u | while read -r uri; do
  curl -s -o /dev/null -m 10 "$edge$uri"
done

# Per media object: how many of the edge's answers went to the origin (upstream_status set).
# Kinds by URL: seg_N.m4s segment, part_N_M.m4s part, init.mp4 init.
report=$(awk -F'|' '
  function kind(uri) {
    if (uri ~ /\/seg_[0-9]+\.m4s$/) return "segment"
    if (uri ~ /\/part_[0-9]+_[0-9]+\.m4s$/) return "part"
    if (uri ~ /\/init\.mp4$/) return "init"
    return ""
  }
  {
    k = kind($1); if (k == "") next
    served[k]++
    if ($3 == "HIT") hits[k]++
    if ($4 != "-" && $4 != "") { fetched[$1]++; if (fetched[$1] == 1) distinct[k]++ }
  }
  END {
    for (uri in fetched) if (fetched[uri] > 1) { print "DUP " uri " " fetched[uri]; dup++ }
    split("segment part init", ks, " ")
    for (i = 1; i <= 3; i++) {
      k = ks[i]
      printf "KIND %s served=%d hits=%d origin_fetches=%d\n", k, served[k], hits[k], distinct[k]
    }
  }' "$work/access.log")
echo "$report"

ok=1
if grep -q '^DUP ' <<<"$report"; then
  echo "FAIL: the edge fetched these objects from the origin more than once:" >&2
  grep '^DUP ' <<<"$report" >&2
  ok=0
fi
# hls.js at the LL-HLS live edge loads parts only; DASH and catching-up players load segments.
media_fetched=$(awk '$1 == "KIND" && ($2 == "segment" || $2 == "part") { split($5, a, "=");
                     n += a[2] } END { print n + 0 }' <<<"$report")
if ((media_fetched == 0)); then
  echo "FAIL: no segment or part went through the edge" >&2
  ok=0
fi
for kind in segment part init; do
  after=$(origin_count "$kind")
  edge_fetches=$(awk -v k="$kind" '$1 == "KIND" && $2 == k { split($5, a, "="); print a[2] }' \
                 <<<"$report")
  if ((after < 0 || before[$kind] < 0)); then
    echo "note: the origin's /metrics has no podium_origin_requests_total{kind=\"$kind\"}"
    continue
  fi
  origin_requests=$((after - before[$kind]))
  echo "origin answered $origin_requests $kind requests; the edge fetched $edge_fetches distinct"
  if ((origin_requests != edge_fetches)); then
    echo "FAIL: the origin saw $origin_requests $kind requests for $edge_fetches distinct objects" >&2
    ok=0
  fi
done
((ok)) && echo "edge: every segment, part and init was requested from the origin once"
((ok)) || exit 1
