#!/usr/bin/env bash
# Runs every check and test: format, clippy (server and wasm), unit and integration tests
# on SQLite and PostgreSQL, then the Playwright end-to-end suite in Debian's Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bootstrap.sh
. scripts/debug-env.sh

# Debian's chromium for the end-to-end tests, and nginx for the several-instances test.
missing=()
command -v chromium >/dev/null || missing+=(chromium)
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null || missing+=(nginx)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "Installing Debian's ${missing[*]}"
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq "${missing[@]}"
  else sudo apt-get update -qq && sudo apt-get install -y -qq "${missing[@]}"; fi
fi
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  echo "Starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi

started=$(date +%s)
step() { echo; echo "==> $* ($(( $(date +%s) - started )) s in)"; }
step "cargo fmt --check"
cargo fmt --all -- --check
step "clippy (server side, all targets)"
cargo clippy --workspace --all-targets -- -D warnings
step "clippy (browser side, wasm)"
cargo clippy -p app --lib --target wasm32-unknown-unknown --no-default-features --features hydrate -- -D warnings
step "unit and integration tests (SQLite and PostgreSQL)"
# One test at a time: each integration test runs its own server in its own tokio runtime,
# and with several runtimes in one process a page request hung now and then (about one
# full run in three, always on PostgreSQL). One at a time is also faster on 2 cores.
# Built first without a limit (a cold build is slow); the run itself has one, so a hang fails.
# scripts/build.sh builds every test target and, beside it, the browser side for the
# end-to-end tests (two cargo processes fill both cores through each one's slow tail).
scripts/build.sh --all-targets
timeout -k 30 1800 cargo test --workspace -- --test-threads=1
step "end-to-end tests (Chromium, JavaScript on and off, axe)"
scripts/e2e.sh
step "all tests passed"
