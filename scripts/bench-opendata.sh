#!/usr/bin/env bash
# Times the 360Giving JSON and CSV downloads with 5,000 and 50,000 awards (SQLite, release
# build) and prints the process's peak resident memory during each download.
set -euo pipefail
cd "$(dirname "$0")/.."
LEPTOS_OUTPUT_NAME=seedbed cargo run --release -q -p server --example bench_opendata
