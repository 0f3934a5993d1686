// Builds the bundles (extension + engine + discovery worker, webview, CLI entry + commands), copies sql.js's wasm beside them, and with
// --tests bundles the unit and integration test files. --production minifies and drops source maps.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.dirname(new URL(import.meta.url).pathname);
const production = process.argv.includes('--production');
const tests = process.argv.includes('--tests');
const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'warning', absWorkingDir: root };

function findTests(dir) {
  if (!fs.existsSync(path.join(root, dir))) return [];
  return fs.readdirSync(path.join(root, dir), { recursive: true })
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => path.join(dir, f));
}

// A clean dist/ each time, so no stale bundle or source map from another mode lingers.
fs.rmSync(path.join(root, 'dist'), { recursive: true, force: true });
const builds = [
  // The extension glue stays small so activation is cheap; the engine is a second bundle it requires lazily.
  esbuild.build({ ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js',
    platform: 'node', format: 'cjs', target: 'node20', external: ['vscode', './engine.js', './onDemand.js'],
    // When the bundle's own code began and finished running, for the activation log (activationTiming.ts).
    banner: { js: '"use strict";globalThis.__backfillStudioModuleStart = performance.now();' },
    footer: { js: 'globalThis.__backfillStudioModuleEnd = performance.now();' } }),
  // Commands and panels: required by the glue on first use.
  esbuild.build({ ...common, entryPoints: ['src/extension/onDemand.ts'], outfile: 'dist/onDemand.js',
    platform: 'node', format: 'cjs', target: 'node20', external: ['vscode', './engine.js'] }),
  esbuild.build({ ...common, entryPoints: ['src/core/engine.ts'], outfile: 'dist/engine.js',
    platform: 'node', format: 'cjs', target: 'node20' }),
  // Discovery's worker thread (WorkerDiscovery): the extension host only receives its snapshots.
  esbuild.build({ ...common, entryPoints: ['src/core/workspace/discoveryWorker.ts'], outfile: 'dist/discoveryWorker.js',
    platform: 'node', format: 'cjs', target: 'node20' }),
  esbuild.build({ ...common, entryPoints: ['src/webview/webviewMain.ts'], outfile: 'dist/webview.js',
    platform: 'browser', format: 'iife', target: 'es2022' }),
  // The CLI starts fast: a tiny entry answers help and requires only the bundle a command needs (partitions keys/map
  // without the engine). Always minified, since parsing is most of what loading costs; source maps kept outside production.
  esbuild.build({ ...common, minify: true, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js',
    platform: 'node', format: 'cjs', target: 'node20', banner: { js: '#!/usr/bin/env node' }, external: ['./cliCommands.js', './cliPartitions.js'] }),
  esbuild.build({ ...common, minify: true, entryPoints: ['src/cli/cliCommands.ts'], outfile: 'dist/cliCommands.js',
    platform: 'node', format: 'cjs', target: 'node20' }),
  esbuild.build({ ...common, minify: true, entryPoints: ['src/cli/cliPartitions.ts'], outfile: 'dist/cliPartitions.js',
    platform: 'node', format: 'cjs', target: 'node20' }),
];
if (tests) {
  const unit = findTests('test/unit');
  if (unit.length) builds.push(esbuild.build({ ...common, sourcemap: true, minify: false, entryPoints: unit,
    outdir: 'out/test/unit', outbase: 'test/unit', platform: 'node', format: 'cjs', target: 'node20' }));
  const integration = ['test/integration/index.ts', ...findTests('test/integration')].filter((f) => fs.existsSync(path.join(root, f)));
  if (integration.length) builds.push(esbuild.build({ ...common, sourcemap: true, minify: false, entryPoints: integration,
    outdir: 'out/test/integration', outbase: 'test/integration', platform: 'node', format: 'cjs', target: 'node20',
    external: ['vscode', 'mocha'] }));
  // The fake Dagster webserver as a process of its own, for the e2e tests (which drive VS Code from another process).
  builds.push(esbuild.build({ ...common, sourcemap: true, minify: false, entryPoints: ['test/harness/fakeDagsterWebserverMain.ts'],
    outfile: 'out/test/harness/fakeDagsterWebserverMain.js', platform: 'node', format: 'cjs', target: 'node20' }));
}
await Promise.all(builds);
fs.copyFileSync(path.join(root, 'node_modules/sql.js/dist/sql-wasm.wasm'), path.join(root, 'dist/sql-wasm.wasm'));
if (fs.existsSync(path.join(root, 'dist/cli.js'))) fs.chmodSync(path.join(root, 'dist/cli.js'), 0o755);
// The Dagster runner is Python run by the workspace's interpreter: shipped as source beside the bundles.
fs.mkdirSync(path.join(root, 'dist/runner'), { recursive: true });
for (const f of fs.readdirSync(path.join(root, 'src/runner')).filter((n) => n.endsWith('.py'))) {
  fs.copyFileSync(path.join(root, 'src/runner', f), path.join(root, 'dist/runner', f));
}
