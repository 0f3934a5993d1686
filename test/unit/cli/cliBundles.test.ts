// What each CLI bundle holds: `partitions keys|map` (dist/cliPartitions.js) must start without the engine's libraries.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { repoRoot } from '../project/repoRoot';

const root = repoRoot();
// Loaded at run time, not bundled into the test: esbuild finds its native binary beside its own package.
const esbuild = createRequire(__filename)('esbuild') as typeof import('esbuild');

/**
 * The source files esbuild puts in a CLI bundle, from its metafile: bundled here as esbuild.mjs bundles it (the same
 * entry and the same external siblings), whatever build (development or production) dist/ holds.
 */
async function bundledSources(entry: string): Promise<string[]> {
  const result = await esbuild.build({
    absWorkingDir: root, entryPoints: [`src/cli/${entry}`], bundle: true, write: false, metafile: true, logLevel: 'silent',
    platform: 'node', format: 'cjs', target: 'node20', external: ['./cliCommands.js', './cliPartitions.js'],
  });
  return Object.keys(result.metafile.inputs);
}

const heavy = [/^node_modules\/sql\.js\//, /^node_modules\/yaml\//, /^src\/core\/deployment\//, /^src\/core\/storage\//, /^src\/core\/workspace\//, /^src\/core\/engine\.ts$/];

test('the partitions bundle holds the Python parser and partitions, and none of sql.js, yaml, the deployment client or the workspace', async () => {
  const sources = await bundledSources('cliPartitions.ts');
  assert.ok(sources.some((s) => s.startsWith('node_modules/@lezer/python/')), sources.join('\n'));
  assert.ok(sources.includes('src/cli/partitionKeysCommand.ts'));
  assert.deepEqual(sources.filter((s) => heavy.some((h) => h.test(s))), []);
});

test('the same check finds those libraries in the commands bundle, which needs them', async () => {
  const sources = await bundledSources('cliCommands.ts');
  for (const h of heavy.slice(0, 3)) assert.ok(sources.some((s) => h.test(s)), `${h} not in dist/cliCommands.js`);
});

test('the entry answers help without either bundle: it holds no module of the engine or the parser', async () => {
  const sources = await bundledSources('main.ts');
  assert.deepEqual(sources.filter((s) => s.startsWith('node_modules/') || s.startsWith('src/core/')), []);
});
