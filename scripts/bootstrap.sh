#!/usr/bin/env bash
# Installs what a fresh machine lacks, idempotently: the wasm target, the pinned
# cargo-leptos and wasm-bindgen-cli, the npm packages; then compiles govuk-frontend's styles.
# Source it (". scripts/bootstrap.sh") to get node_modules/.bin on PATH.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CARGO_LEPTOS_VERSION=0.3.10      # 0.3.11 --locked needs rustc 1.96
WASM_BINDGEN_VERSION=0.2.129     # must equal the wasm-bindgen pinned in Cargo.toml

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi
if [ "$(cargo leptos --version 2>/dev/null | awk '{print $2}')" != "$CARGO_LEPTOS_VERSION" ]; then
  echo "Installing cargo-leptos $CARGO_LEPTOS_VERSION (about 20 minutes on 2 cores, once per machine)"
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install --locked cargo-leptos --version "$CARGO_LEPTOS_VERSION"
fi
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  echo "Installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  cargo install --locked wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
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
