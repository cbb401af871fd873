#!/usr/bin/env bash
# Times the portfolio page and its CSV with 500 funded schemes of 12 returns each (and at one
# tenth of the data) on SQLite, in a release build. Prints p50/p99/max latency and the size.
set -euo pipefail
cd "$(dirname "$0")/.."
LEPTOS_OUTPUT_NAME=seedbed cargo run --release -q -p server --example bench_portfolio
