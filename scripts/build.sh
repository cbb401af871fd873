#!/usr/bin/env bash
# Builds the portal with plain cargo (no cargo-leptos): the server binary, and the browser side
# into $TARGET/site (the app crate for wasm32, its JavaScript glue by tools/bindgen, the
# stylesheet and the public assets). The two cargo builds run side by side (the wasm one in
# $TARGET/front, so that neither waits for the other's lock).
#
#   scripts/build.sh                # debug: $TARGET/debug/seedbed (the portal's first run)
#   scripts/build.sh --all-targets  # debug, with every test target (scripts/test.sh, e2e.sh)
#   scripts/build.sh --release      # release: $TARGET/release/seedbed, wasm-release + wasm-opt,
#                                   # file names with content hashes (LEPTOS_HASH_FILES=true)
#
# Run from scripts that have sourced scripts/bootstrap.sh and, for debug builds,
# scripts/debug-env.sh (server and wasm must be compiled alike or the pages never hydrate).
set -euo pipefail
cd "$(dirname "$0")/.."
MODE=debug
case "${1:-}" in
  "") ;;
  --all-targets) MODE=all-targets ;;
  --release) MODE=release ;;
  *) echo "unknown option $1 (see the top of $0)" >&2; exit 2 ;;
esac
TARGET="${CARGO_TARGET_DIR:-target}"
FRONT="$TARGET/front"
SITE="$TARGET/site"
started=$(date +%s)

case "$MODE" in
  debug) server=(cargo build -p server -p bindgen); wasm_profile=debug; tools=debug ;;
  all-targets) server=(cargo build --workspace --all-targets); wasm_profile=debug; tools=debug ;;
  release)
    server=(cargo build --release -p server -p bindgen); wasm_profile=wasm-release; tools=release ;;
esac
wasm=(cargo build -p app --lib --target wasm32-unknown-unknown --no-default-features
      --features hydrate --target-dir "$FRONT")
[ "$MODE" = release ] && wasm+=(--profile wasm-release)
# SEEDBED_TIMINGS=1: cargo's --timings report of each build (where a cold build's time goes).
if [ "${SEEDBED_TIMINGS:-}" = 1 ]; then server+=(--timings); wasm+=(--timings); fi

# Side by side; the first failure stops the other.
"${server[@]}" &
server_pid=$!
"${wasm[@]}" &
wasm_pid=$!
status=0
wait "$server_pid" || status=$?
if [ "$status" != 0 ]; then kill "$wasm_pid" 2>/dev/null || true; wait "$wasm_pid" 2>/dev/null || true
else wait "$wasm_pid" || status=$?; fi
[ "$status" = 0 ] || { echo "build failed" >&2; exit "$status"; }

rm -rf "$SITE.new"
mkdir -p "$SITE.new/pkg"
"$TARGET/$tools/seedbed-bindgen" "$FRONT/wasm32-unknown-unknown/$wasm_profile/app.wasm" "$SITE.new/pkg"
if [ "$MODE" = release ]; then
  # npm's binaryen (bootstrap.sh puts end2end/node_modules/.bin first on PATH); Debian's
  # binaryen built a wasm that failed to hydrate.
  # The features rustc enables for wasm32 by default.
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$SITE.new/pkg/seedbed.wasm" -o "$SITE.new/pkg/seedbed.wasm"
fi
cp style/main.css "$SITE.new/pkg/seedbed.css"
cp -R public/. "$SITE.new/"
# Release builds (or SEEDBED_HASH_FILES=1): a copy of the JavaScript, wasm and stylesheet named
# with their content's hash, and hash.txt beside the server binary naming them; a server run
# with LEPTOS_HASH_FILES=true links those, so nginx may let browsers cache them for a year.
HASHES="$TARGET/$tools/hash.txt"
rm -f "$HASHES"
if [ "$MODE" = release ] || [ "${SEEDBED_HASH_FILES:-}" = 1 ]; then
  for kind in js wasm css; do
    hash=$(sha256sum "$SITE.new/pkg/seedbed.$kind" | cut -c1-16)
    cp "$SITE.new/pkg/seedbed.$kind" "$SITE.new/pkg/seedbed.$hash.$kind"
    echo "$kind: $hash" >> "$HASHES"
  done
fi
# Swapped in whole, so that a server already running never serves half a site.
rm -rf "$SITE.old"
[ ! -d "$SITE" ] || mv "$SITE" "$SITE.old"
mv "$SITE.new" "$SITE"
rm -rf "$SITE.old"
echo "Built the server and the site ($SITE) in $(( $(date +%s) - started )) s"
