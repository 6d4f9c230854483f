#!/usr/bin/env bash
# run_tls_put.sh PODIUM_CLI — HLS PUT with Basic auth and TLS >= 1.2 against a
# loopback TLS endpoint with a self-signed CA. nginx (TLS 1.2/1.3 only, auth_basic, WebDAV) on a
# free port; podium-cli pushes HLS PUT with user:password in the URL and --publish-ca:
#   1. with the CA: the upload arrives (ffprobe plays the uploaded files from nginx's disk);
#   2. without it: the destination fails with a certificate reason, the broadcast itself ends
#      normally (exit 1 = a destination was not delivered), and nothing is uploaded;
#   3. with a wrong password: refused (401), nothing uploaded.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../browser/origin_lib.sh"  # free_port
cli=${1:?usage: run_tls_put.sh PODIUM_CLI}
nginx_bin=${NGINX:-/usr/sbin/nginx}
work=$(mktemp -d /tmp/podium-tls.XXXXXX)
NGINX_PID=""
cleanup() {
  [[ -n "$NGINX_PID" ]] && kill -QUIT "$NGINX_PID" 2>/dev/null && wait "$NGINX_PID" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

port=$(free_port)
mkdir -p "$work/www" "$work/temp"
chmod 0755 "$work"
chmod 0777 "$work/www" "$work/temp"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=Podium test CA" \
  -keyout "$work/ca.key" -out "$work/ca.pem" >/dev/null 2>&1 || fail "openssl CA"
openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout "$work/server.key" \
  -out "$work/server.csr" >/dev/null 2>&1 || fail "openssl csr"
printf 'subjectAltName=IP:127.0.0.1\n' >"$work/san.ext"
openssl x509 -req -in "$work/server.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" \
  -CAcreateserial -days 1 -extfile "$work/san.ext" -out "$work/server.pem" >/dev/null 2>&1 ||
  fail "openssl sign"
chmod 0644 "$work"/*.pem "$work"/*.key
printf 'enc:%s\n' "$(openssl passwd -apr1 's3cret')" >"$work/htpasswd"
chmod 0644 "$work/htpasswd"
cat >"$work/nginx.conf" <<CONF
daemon off;
pid $work/nginx.pid;
error_log $work/error.log warn;
events { worker_connections 256; }
http {
  access_log $work/access.log;
  client_body_temp_path $work/temp/body;
  proxy_temp_path $work/temp/proxy;
  fastcgi_temp_path $work/temp/fastcgi;
  uwsgi_temp_path $work/temp/uwsgi;
  scgi_temp_path $work/temp/scgi;
  server {
    listen 127.0.0.1:$port ssl;
    ssl_certificate $work/server.pem;
    ssl_certificate_key $work/server.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    location /live/ {
      root $work/www;
      auth_basic "podium ingest";
      auth_basic_user_file $work/htpasswd;
      dav_methods PUT DELETE MKCOL;
      create_full_put_path on;
      client_max_body_size 0;
    }
  }
}
CONF
"$nginx_bin" -p "$work" -c "$work/nginx.conf" -e "$work/error.log" &
NGINX_PID=$!
deadline=$((SECONDS + 10))
until curl -s -o /dev/null --cacert "$work/ca.pem" "https://127.0.0.1:$port/live/"; do
  ((SECONDS < deadline)) || fail "nginx did not start: $(tail -n 5 "$work/error.log")"
  sleep 0.2
done

push() {  # push NAME URL-USERINFO [extra args]
  local name=$1 userinfo=$2
  shift 2
  "$cli" stream --preset "Low bandwidth" --duration 5 \
    --publish "hls=https://$userinfo@127.0.0.1:$port/live/$name/" "$@" >"$work/$name.log" 2>&1
}

push good "enc:s3cret" --publish-ca "$work/ca.pem" || fail "push with the CA failed: $(tail -n 3 "$work/good.log")"
[[ -s "$work/www/live/good/index.m3u8" ]] || fail "no index.m3u8 uploaded"
cat "$work/www/live/good/360p/init.mp4" "$work/www/live/good/360p/"seg_*.m4s >"$work/good.mp4"
probe=$(ffprobe -v error -show_entries stream=codec_name,width -of csv=p=0 "$work/good.mp4")
[[ "$probe" == "h264,640" ]] || fail "uploaded rendition not readable: $probe"

push untrusted "enc:s3cret"
status=$?
((status == 1)) || fail "without the CA: exit $status, expected 1"
grep -qi "certificate" "$work/untrusted.log" || fail "without the CA: no certificate reason: $(tail -n 3 "$work/untrusted.log")"
[[ ! -e "$work/www/live/untrusted" ]] || fail "uploaded without trusting the server"

push refused "enc:wrong" --publish-ca "$work/ca.pem"
status=$?
((status == 1)) || fail "wrong password: exit $status, expected 1"
grep -q "401" "$work/refused.log" || fail "wrong password: no 401 in: $(tail -n 3 "$work/refused.log")"
[[ ! -e "$work/www/live/refused/index.m3u8" ]] || fail "uploaded with a wrong password"
echo "TLS + Basic auth: trusted upload playable, untrusted certificate and wrong password refused"
