#!/usr/bin/env bash
# Runs the browser suite (Tests/Browser, Selenium + headless chromium) against a
# throwaway `parley serve --dev --demo` on a free loopback port.
#
#   scripts/browser-test.sh [pytest args…]
#
# PARLEY_BIN      the parley executable (default .build/debug/parley; build it first)
# PARLEY_WEB_ROOT serve the web client from this folder instead of the built-in copy
#                 (e.g. Sources/ParleyServer/WebClient/Assets: edits show on reload)
# Screenshots go to docs/screenshots/ (PARLEY_SCREENSHOTS to change).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
PARLEY_BIN=${PARLEY_BIN:-.build/debug/parley}
case "$PARLEY_BIN" in /*) ;; *) PARLEY_BIN="$ROOT/$PARLEY_BIN" ;; esac
VENV=${PARLEY_BROWSER_VENV:-$ROOT/.build-browser-venv}
export PARLEY_SCREENSHOTS=${PARLEY_SCREENSHOTS:-$ROOT/docs/screenshots}

if [ ! -x "$PARLEY_BIN" ]; then
  echo "browser-test: $PARLEY_BIN is missing; build it first (swift build)" >&2
  exit 2
fi

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Debian's chromium and its driver.
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  echo "browser-test: installing chromium and chromium-driver"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
fi

# Selenium and pytest in a virtual environment (gitignored).
if [ ! -x "$VENV/bin/python" ]; then
  if ! python3 -m venv "$VENV" 2>/dev/null; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
    python3 -m venv "$VENV"
  fi
fi
STAMP="$VENV/.parley-requirements"
if ! cmp -s Tests/Browser/requirements.txt "$STAMP"; then
  "$VENV/bin/pip" install -q --disable-pip-version-check -r Tests/Browser/requirements.txt
  cp Tests/Browser/requirements.txt "$STAMP"
fi

# A throwaway server on a free loopback port.
WORK=$(mktemp -d "${TMPDIR:-/tmp}/parley-browser.XXXXXX")
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# The "marketplace" that embeds the page: the same server under another name
# (localhost instead of 127.0.0.1), the one origin allowed to frame it and post it
# tokens. Pages on other origins (the suite serves one) must get nowhere.
export PARLEY_EMBEDDER_URL="http://localhost:$PORT"
SERVE_ARGS=(serve --dev --demo --host 127.0.0.1 --port "$PORT" --database "sqlite://$WORK/parley.sqlite"
  --allowed-origins "$PARLEY_EMBEDDER_URL")
if [ -n "${PARLEY_WEB_ROOT:-}" ]; then
  # The server runs from the work folder: a relative root is the repository's.
  case "$PARLEY_WEB_ROOT" in /*) ;; *) PARLEY_WEB_ROOT="$ROOT/$PARLEY_WEB_ROOT" ;; esac
  SERVE_ARGS+=(--web-root "$PARLEY_WEB_ROOT")
fi
# --dev keeps its generated secret beside the database; run from the work folder so
# nothing lands in the repository.
(cd "$WORK" && exec "$PARLEY_BIN" "${SERVE_ARGS[@]}") >"$WORK/server.log" 2>&1 &
SERVER_PID=$!

healthy() {
  python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' "http://127.0.0.1:$PORT/health" 2>/dev/null
}
for _ in $(seq 1 150); do
  if healthy; then break; fi
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "browser-test: the server exited:" >&2
    cat "$WORK/server.log" >&2
    exit 1
  fi
  sleep 0.2
done
healthy || { echo "browser-test: no /health answer" >&2; cat "$WORK/server.log" >&2; exit 1; }
# The demo is seeded just after the server starts listening.
for _ in $(seq 1 50); do
  grep -q -- "--demo:" "$WORK/server.log" && break
  sleep 0.2
done

export PARLEY_URL="http://127.0.0.1:$PORT"
export PYTHONDONTWRITEBYTECODE=1
echo "browser-test: parley at $PARLEY_URL (pid $SERVER_PID); screenshots in $PARLEY_SCREENSHOTS"
set +e
"$VENV/bin/python" -m pytest -p no:cacheprovider -q Tests/Browser "$@"
status=$?
set -e
if [ $status -ne 0 ]; then
  echo "browser-test: server log (last 40 lines):" >&2
  tail -n 40 "$WORK/server.log" >&2
fi
exit $status
