#!/usr/bin/env bash
# Ladder encode benchmark (not a test): the default preset's three renditions encoded as fast
# as possible by `podium-cli bench` and by the ffmpeg CLI with the same x264 settings (one input,
# split, scale, three libx264 encodes), alternating, in one run. Prints medians and the ratio.
#
#   tests/bench/ladder_bench.sh [ROUNDS] [SECONDS]        (defaults: 5 rounds of a 20 s clip)
#   PODIUM_BENCH_PRESET="Interactive 720p" measures that preset (ffmpeg gets its x264 settings)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
rounds="${1:-5}"
seconds="${2:-20}"
cli="${PODIUM_CLI:-$root/build/release/app/podium-cli}"
work="${BENCH_DIR:-/tmp/podium-bench}"
mkdir -p "$work"
clip="$work/clip-720p30-${seconds}s.y4m"
frames=$((seconds * 30))

if [[ ! -f "$clip" ]]; then
  echo "making $clip (testsrc2 + noise, ${seconds} s of 1280x720 at 30 fps)"
  ffmpeg -v error -y -f lavfi -i "testsrc2=size=1280x720:rate=30" \
    -vf "noise=alls=12:allf=t+u,format=yuv420p" -t "$seconds" "$clip"
fi

# The same x264 settings as the preset: veryfast, high profile, CBR with a 1 s VBV buffer and
# HRD filler, IDRs forced on every segment, scene cuts as plain I-frames, and the preset's own
# lookahead (default: 3 frames) or tune (Interactive: zerolatency, 1 s segments).
preset="${PODIUM_BENCH_PRESET:-User group 720p}"
case "$preset" in
  "User group 720p")
    x264_common=(-preset veryfast -profile:v high
      -x264-params "nal-hrd=cbr:keyint=120:min-keyint=61:open-gop=0:rc-lookahead=3"
      -force_key_frames "expr:gte(t,n_forced*2)") ;;
  "Interactive 720p")
    x264_common=(-preset veryfast -tune zerolatency -profile:v high
      -x264-params "nal-hrd=cbr:keyint=60:min-keyint=31:open-gop=0:sliced-threads=0"
      -force_key_frames "expr:gte(t,n_forced*1)") ;;
  *) echo "ladder_bench.sh knows the x264 settings of the default and Interactive presets only" >&2
     exit 2 ;;
esac
ffmpeg_args=(-v error -y -i "$clip" -filter_complex
  "[0:v]split=3[a][b][c];[b]scale=854:480:flags=bilinear[b1];[c]scale=640:360:flags=bilinear[c1]"
  -map "[a]" -c:v libx264 "${x264_common[@]}" -b:v 2500k -maxrate 2500k -bufsize 2500k -f null -
  -map "[b1]" -c:v libx264 "${x264_common[@]}" -b:v 1000k -maxrate 1000k -bufsize 1000k -f null -
  -map "[c1]" -c:v libx264 "${x264_common[@]}" -b:v 600k -maxrate 600k -bufsize 600k -f null -)
podium_args=(bench --input "$clip" --preset "$preset")

measure() {  # prints "wall_seconds peak_rss_kb"
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" >/dev/null
  cat "$work/time.txt"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

: >"$work/podium.txt"
: >"$work/ffmpeg.txt"
for ((i = 1; i <= rounds; i++)); do
  read -r pw pm < <(measure "$cli" "${podium_args[@]}" 2>/dev/null)
  read -r fw fm < <(measure ffmpeg "${ffmpeg_args[@]}")
  echo "round $i: podium ${pw}s ${pm} kB | ffmpeg ${fw}s ${fm} kB"
  echo "$pw $pm" >>"$work/podium.txt"
  echo "$fw $fm" >>"$work/ffmpeg.txt"
done

pw=$(cut -d' ' -f1 "$work/podium.txt" | median)
fw=$(cut -d' ' -f1 "$work/ffmpeg.txt" | median)
pm=$(cut -d' ' -f2 "$work/podium.txt" | median)
fm=$(cut -d' ' -f2 "$work/ffmpeg.txt" | median)
awk -v p="$preset" -v pw="$pw" -v fw="$fw" -v pm="$pm" -v fm="$fm" -v n="$frames" -v r="$rounds" 'BEGIN {
  printf "median of %d rounds, %d frames of 720p30 through the 3-rendition ladder of %s:\n", r, n, p
  printf "  podium: %6.2f s  %6.1f fps  %5.2fx real time  peak RSS %6.0f MB\n", pw, n/pw, n/pw/30, pm/1024
  printf "  ffmpeg: %6.2f s  %6.1f fps  %5.2fx real time  peak RSS %6.0f MB\n", fw, n/fw, n/fw/30, fm/1024
  printf "  throughput ratio podium/ffmpeg: %.3f   memory ratio: %.2f\n", fw/pw, pm/fm
}'
