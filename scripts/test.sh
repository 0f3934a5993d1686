#!/usr/bin/env bash
# Sets up a fresh clone (npm packages, Chromium, Node 24 + code-server for the real VS Code tiers) and
# runs every test tier; the last line is "N passed, N failed".
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
if [ ! -d node_modules/esbuild ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
bash scripts/install-vscode.sh
node scripts/runAllTests.mjs "$@"
