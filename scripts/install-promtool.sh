#!/usr/bin/env bash
# Installs Prometheus's promtool (from Debian's `prometheus` package, without installing or starting
# the server) into .tools/prometheus/ (git-ignored) and prints its path. Idempotent: a working
# promtool there is reused. `$PROMTOOL`, when set to a runnable promtool, is used as it is.
#
#   scripts/install-promtool.sh      → prints e.g. /repo/.tools/prometheus/usr/bin/promtool
#
# Needs the Debian mirror this machine's apt is set up with; on a machine whose apt lists are empty,
# root (for `apt-get update`). The test suite jest.promtool.config.js finds the same path.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR="$ROOT/.tools/prometheus"
BIN="$DIR/usr/bin/promtool"
say() { echo "[promtool] $*" >&2; }

if [[ -n ${PROMTOOL:-} ]] && "$PROMTOOL" --version >/dev/null 2>&1; then echo "$PROMTOOL"; exit 0; fi
if [[ -x $BIN ]] && "$BIN" --version >/dev/null 2>&1; then echo "$BIN"; exit 0; fi

command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null || { say "needs apt-get and dpkg-deb (a Debian or Ubuntu machine)"; exit 1; }
work=$(mktemp -d "$ROOT/.tools.download.XXXXXX")
trap 'rm -rf "$work"' EXIT
download() { (cd "$work" && apt-get download -qq prometheus 2>"$work/apt.err") ; }
if ! download; then
  if [[ $(id -u) -eq 0 ]]; then
    say "apt-get download failed ($(tail -1 "$work/apt.err")); running apt-get update"
    apt-get update -qq
    download || { cat "$work/apt.err" >&2; exit 1; }
  else
    cat "$work/apt.err" >&2
    say "apt-get download prometheus failed and this is not root, so apt-get update can't run: run it as root, or set PROMTOOL=/path/to/promtool"
    exit 1
  fi
fi
deb=$(ls "$work"/prometheus_*.deb)
rm -rf "$DIR"
mkdir -p "$DIR"
dpkg-deb -x "$deb" "$work/x"
mkdir -p "$DIR/usr/bin"
mv "$work/x/usr/bin/promtool" "$BIN"
dpkg-deb -f "$deb" Version >"$DIR/VERSION"
"$BIN" --version >/dev/null
say "installed $BIN (Debian prometheus $(cat "$DIR/VERSION"))"
echo "$BIN"
