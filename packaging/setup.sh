#!/usr/bin/env bash
# Installs every Debian package Podium's build and tests need. Idempotent:
# apt-get update runs only when something is missing. Safe to run repeatedly.
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential cmake ninja-build pkg-config git
  # GUI and tests
  qt6-base-dev libgl-dev
  # media libraries
  libx264-dev libavcodec-dev libavformat-dev libavutil-dev libswscale-dev
  libswresample-dev libavdevice-dev
  libopencv-core-dev libopencv-imgproc-dev libopencv-videoio-dev
  # support libraries
  libexpected-dev nlohmann-json3-dev libcurl4-openssl-dev libboost-dev libqrencode-dev
  # test peers: ffprobe / ffmpeg; /usr/bin/time for the benchmarks
  ffmpeg time
)

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
