#!/usr/bin/env bash
# Installs what is missing, builds, and starts the studio. Without a display (and until the GUI
# lands) it runs podium-cli streaming the test pattern with the default preset into an archive.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/packaging/setup.sh"
"$root/packaging/build.sh" >/dev/null
build="${PODIUM_BUILD_DIR:-$root/build/release}"
archive="${PODIUM_ARCHIVE_DIR:-$HOME/podium-archive-$(date +%Y%m%d-%H%M%S)}"
exec "$build/app/podium-cli" stream --source testpattern --archive "$archive" "$@"
