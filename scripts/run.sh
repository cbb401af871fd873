#!/usr/bin/env bash
# Runs the portal at http://127.0.0.1:3000 on SQLite (data/seedbed.db) with demo accounts.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bootstrap.sh
. scripts/debug-env.sh
export SEEDBED_DEMO="${SEEDBED_DEMO:-true}"
exec cargo leptos serve
