#!/usr/bin/env bash
# Installs every Debian package Podium's build and tests need. Idempotent:
# apt-get update runs only when something is missing. Safe to run repeatedly.
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential cmake ninja-build pkg-config git
  # GUI and tests; QtKeychain keeps the GUI's passwords in the system keychain
  qt6-base-dev libgl-dev qtkeychain-qt6-dev
  # media libraries
  libx264-dev libavcodec-dev libavformat-dev libavutil-dev libswscale-dev
  libswresample-dev libavdevice-dev
  libopencv-core-dev libopencv-imgproc-dev libopencv-videoio-dev
  # support libraries
  libexpected-dev nlohmann-json3-dev libcurl4-openssl-dev libboost-dev libqrencode-dev
  # screen, audio and camera capture (issue 5)
  libx11-dev libxext-dev libxfixes-dev libxcb1-dev libxcb-shm0-dev libxcb-xfixes0-dev
  libpulse-dev
  # Wayland screens (issue 11): the ScreenCast portal over D-Bus (sd-bus) and its PipeWire
  # stream; the GUI runs natively on Wayland
  libpipewire-0.3-dev libsystemd-dev qt6-wayland
  # test peers: ffprobe / ffmpeg; nginx (edge cache, WebDAV sink); Chromium + Node for the
  # browser tests; Xvfb, PulseAudio and X11 tools for capture tests; wrk and /usr/bin/time
  # for the benchmarks
  ffmpeg nginx chromium nodejs xvfb xauth x11-utils pulseaudio pulseaudio-utils
  wrk time curl openssl
  # fuzzing (packaging/fuzz.sh): clang 16 with libFuzzer and the ASan/UBSan runtimes
  clang-16 libfuzzer-16-dev libclang-rt-16-dev
  # the headless Wayland desktop the screen-capture tests start (tests/support/wayland-session.sh:
  # compositor, PipeWire + WirePlumber, the portals, a GStreamer painter and test producer, and
  # gcc for its xdg-desktop-portal-wlr 0.7 shim)
  sway swaybg xdg-desktop-portal xdg-desktop-portal-wlr pipewire pipewire-bin wireplumber dbus
  procps gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-bad
  gstreamer1.0-pipewire gcc libc6-dev
  # tests/bench/screen_capture_bench.sh paints on its Xvfb with ximagesink
  gstreamer1.0-x
)

# npm ships with NodeSource's nodejs; with Debian's nodejs it is a package of its own.
if ! command -v npm >/dev/null 2>&1; then
  PACKAGES+=(npm)
fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "podium setup: installing ${#missing[@]} missing package(s): ${missing[*]}"
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  echo "podium setup: packages installed"
else
  echo "podium setup: all packages present"
fi

# npm packages (hls.js and dash.js embedded in the player page, playwright-core for the browser
# tests), installed from the lock file when missing or older than it.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
player="$root/resources/player"
if [[ -f "$player/package-lock.json" ]]; then
  if [[ ! -d "$player/node_modules" || "$player/package-lock.json" -nt "$player/node_modules/.package-lock.json" ]]; then
    echo "podium setup: installing npm packages in resources/player"
    (cd "$player" && npm ci --no-audit --no-fund --loglevel=error)
  fi
fi
