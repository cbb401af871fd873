#!/usr/bin/env bash
# Builds the app, starts it on a fresh SQLite database with demo data, runs Playwright, stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bootstrap.sh
. scripts/debug-env.sh
# Both sides compiled alike (scripts/debug-env.sh): a server built without erase_components and
# a wasm built with it did not hydrate (every JS-on journey waited forever for data-hydrated).
# --all-targets: the server binary the integration tests already built (scripts/test.sh), not a
# second copy of every crate compiled with the server's features alone.
scripts/build.sh --all-targets
TARGET="${CARGO_TARGET_DIR:-target}"
SITE_ROOT="$TARGET/site"
WORK="$(mktemp -d)"
# A free port unless one is given: a server left on a fixed port would answer in ours' place.
PORT="${SEEDBED_E2E_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
if curl -fsS --max-time 5 "http://127.0.0.1:$PORT/health" >/dev/null 2>&1; then
  echo "Something already answers on port $PORT; stop it or set SEEDBED_E2E_PORT" >&2
  exit 1
fi
export SEEDBED_E2E_OUTBOX="$WORK/outbox"
export SEEDBED_E2E_BASE_URL="http://127.0.0.1:$PORT"
LEPTOS_SITE_ROOT="$SITE_ROOT" LEPTOS_SITE_PKG_DIR=pkg LEPTOS_OUTPUT_NAME=seedbed LEPTOS_ENV=PROD \
SEEDBED_DATABASE_URL="sqlite://$WORK/seedbed.db?mode=rwc" SEEDBED_OUTBOX_DIR="$WORK/outbox" \
SEEDBED_BASE_URL="$SEEDBED_E2E_BASE_URL" SEEDBED_ADDR="127.0.0.1:$PORT" SEEDBED_LOG=warn \
SEEDBED_TRUSTED_PROXIES=127.0.0.1 \
  "$TARGET/debug/seedbed" serve --demo > "$WORK/server.log" 2>&1 &
SERVER_PID=$!
cleanup() { kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
for _ in $(seq 1 60); do
  curl -fsS --max-time 5 "$SEEDBED_E2E_BASE_URL/health" >/dev/null 2>&1 && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log"; exit 1; }
  sleep 1
done
cd end2end
if ! npx playwright test "$@"; then
  echo "--- server log ---"; tail -50 "$WORK/server.log"; exit 1
fi
