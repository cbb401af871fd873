#!/usr/bin/env bash
# Installs what a fresh machine lacks, idempotently: the wasm target and the npm packages; then
# compiles govuk-frontend's styles. Nothing is installed with `cargo install`: the browser
# side's JavaScript glue comes from tools/bindgen (wasm-bindgen as a library, built with the
# workspace), so neither cargo-leptos nor wasm-bindgen-cli is needed (scripts/build.sh).
# Source it (". scripts/bootstrap.sh") to get node_modules/.bin on PATH.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi
# npm packages: govuk-frontend, sass, binaryen (wasm-opt), Playwright. Never a browser download.
if ! cmp -s "$ROOT/end2end/package-lock.json" "$ROOT/end2end/node_modules/.seedbed-installed-lock"; then
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --prefix "$ROOT/end2end" --no-audit --no-fund
  cp "$ROOT/end2end/package-lock.json" "$ROOT/end2end/node_modules/.seedbed-installed-lock"
fi
export PATH="$ROOT/end2end/node_modules/.bin:$PATH"
# govuk-frontend compiled with our font settings (see style/govuk.scss) into the site's assets.
if [ ! -f "$ROOT/public/govuk.css" ] || [ "$ROOT/style/govuk.scss" -nt "$ROOT/public/govuk.css" ] \
   || [ "$ROOT/end2end/package-lock.json" -nt "$ROOT/public/govuk.css" ]; then
  mkdir -p "$ROOT/public"
  sass --quiet-deps --no-source-map --style=compressed --load-path="$ROOT/end2end/node_modules" \
    "$ROOT/style/govuk.scss" "$ROOT/public/govuk.css"
fi
