#!/usr/bin/env bash
# Installs what is missing, builds, and starts the studio. Without a display (and until the GUI
# lands) it runs podium-cli streaming the test pattern with the default preset to the local
# origin, printing the viewer link (and a QR code), and keeping an archive of what went out.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/packaging/setup.sh"
"$root/packaging/build.sh" >/dev/null
build="${PODIUM_BUILD_DIR:-$root/build/release}"
archive="${PODIUM_ARCHIVE_DIR:-$HOME/podium-archive-$(date +%Y%m%d-%H%M%S)}"
if [[ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" && -x "$build/app/gui/podium" ]]; then
  exec "$build/app/gui/podium" "$@"  # the studio window; its settings pick source and preset
fi
exec "$build/app/podium-cli" stream --source testpattern --origin "${PODIUM_ORIGIN:-127.0.0.1:8080}" \
  --archive "$archive" "$@"
