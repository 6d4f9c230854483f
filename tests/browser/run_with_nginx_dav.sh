#!/usr/bin/env bash
# run_with_nginx_dav.sh PODIUM_CLI PLAYER_SCRIPT.mjs EXPECTED_LEVELS
# Issue #4's Interface-2 check: podium-cli pushes its ladder with HLS PUT into Debian's nginx
# (WebDAV: PUT/DELETE into a folder of its own), and the viewer page plays the channel FROM
# NGINX: /live/test/ is nginx's WebDAV folder, filled only by the PUTs; the page itself and its
# scripts come from a podium-cli origin behind nginx that streams under another channel name.
# Exit code 0 when the player check passes and the uploaded tree is on nginx's disk.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/origin_lib.sh"

cli=${1:?usage: run_with_nginx_dav.sh PODIUM_CLI PLAYER_SCRIPT EXPECTED_LEVELS}
script=${2:?player script}
levels=${3:-0}
nginx_bin=${NGINX:-/usr/sbin/nginx}

work=$(mktemp -d /tmp/podium-dav.XXXXXX)
NGINX_PID=""
cleanup() {
  [[ -n "$NGINX_PID" ]] && kill -QUIT "$NGINX_PID" 2>/dev/null && wait "$NGINX_PID" 2>/dev/null
  stop_origin
  rm -rf "$work"
}
trap cleanup EXIT

origin_port=$(free_port)
dav_port=$(free_port)
while [[ "$dav_port" == "$origin_port" ]]; do dav_port=$(free_port); done
origin="http://127.0.0.1:$origin_port"
dav="http://127.0.0.1:$dav_port"

mkdir -p "$work/www" "$work/temp"
# Run as root, nginx's workers drop to "nobody": they must write the WebDAV folder.
chmod 0755 "$work"
chmod 0777 "$work/www" "$work/temp"
cat >"$work/nginx.conf" <<CONF
daemon off;
master_process on;
worker_processes 1;
pid $work/nginx.pid;
error_log $work/error.log warn;
events { worker_connections 1024; }
http {
  types { application/vnd.apple.mpegurl m3u8; video/mp4 mp4 m4s; application/dash+xml mpd; }
  access_log $work/access.log;
  client_body_temp_path $work/temp/body;
  proxy_temp_path $work/temp/proxy;
  fastcgi_temp_path $work/temp/fastcgi;
  uwsgi_temp_path $work/temp/uwsgi;
  scgi_temp_path $work/temp/scgi;
  server {
    listen 127.0.0.1:$dav_port;
    location /live/ {
      root $work/www;
      dav_methods PUT DELETE MKCOL;
      create_full_put_path on;
      dav_access user:rw group:rw all:r;
      client_max_body_size 0;
      add_header Cache-Control "no-cache";
    }
    location / {
      proxy_pass $origin;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
CONF

"$nginx_bin" -p "$work" -c "$work/nginx.conf" -e "$work/error.log" &
NGINX_PID=$!
start_origin "$cli" "$origin_port" "$work" --channel page --publish "hls=$dav/live/test/"
wait_for_channel "$dav" 40 || { tail -n 20 "$work/error.log" >&2; exit 1; }

node "$script" "$dav/watch/test" "$levels"
status=$?
if ((status != 0)); then
  echo "--- podium-cli log (last lines) ---" >&2
  tail -n 20 "$ORIGIN_LOG" >&2
  exit "$status"
fi
for f in index.m3u8 index.mpd audio/init.mp4 audio/index.m3u8; do
  [[ -s "$work/www/live/test/$f" ]] || { echo "missing on nginx's disk: $f" >&2; exit 1; }
done
echo "played the HLS PUT upload from nginx"
