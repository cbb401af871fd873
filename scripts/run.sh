#!/usr/bin/env bash
# Runs the portal at http://127.0.0.1:3000 on SQLite (data/seedbed.db) with demo accounts.
# Builds with plain cargo (scripts/build.sh); no cargo-leptos needed. For live reload while
# editing, install cargo-leptos and run `cargo leptos watch` instead (docs/development.md).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bootstrap.sh
. scripts/debug-env.sh
scripts/build.sh
TARGET="${CARGO_TARGET_DIR:-target}"
export SEEDBED_DEMO="${SEEDBED_DEMO:-true}"
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-$TARGET/site}" LEPTOS_SITE_PKG_DIR=pkg
exec "$TARGET/debug/seedbed" serve
