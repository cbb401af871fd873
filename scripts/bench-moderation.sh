#!/usr/bin/env bash
# Times the moderation page with 300 bids and 15 assessors (and at one tenth of the data)
# on SQLite, in a release build. Prints p50/p99/max latency and the page size.
set -euo pipefail
cd "$(dirname "$0")/.."
LEPTOS_OUTPUT_NAME=seedbed cargo run --release -q -p server --example bench_moderation
