#!/usr/bin/env bash
# Sets up a fresh clone and runs the quickstart backfill: 31 daily partitions of the `daily_counts`
# command target in examples/quickstart, recorded in examples/quickstart/.backfills/state.sqlite.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
[ -d node_modules/esbuild ] || npm ci --no-audit --no-fund --loglevel=error
node esbuild.mjs
node dist/cli.js asset --select daily_counts --from 2024-01-01 --to 2024-01-31 --noprompt -w examples/quickstart
node dist/cli.js list -w examples/quickstart
