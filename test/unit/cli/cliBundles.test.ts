// What each CLI bundle holds: `partitions keys|map` (dist/cliPartitions.js) must start without the engine's libraries.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../project/repoRoot';

const root = repoRoot();

/** The source files esbuild put in a bundle, read from its source map (the development build writes one). */
function bundledSources(bundle: string): string[] {
  const map = path.join(root, 'dist', `${bundle}.map`);
  assert.ok(fs.existsSync(map), `${map} is missing: build first (node esbuild.mjs, not --production)`);
  return (JSON.parse(fs.readFileSync(map, 'utf8')) as { sources: string[] }).sources.map((s) => path.relative(root, path.resolve(root, 'dist', s)));
}

const heavy = [/^node_modules\/sql\.js\//, /^node_modules\/yaml\//, /^src\/core\/deployment\//, /^src\/core\/storage\//, /^src\/core\/workspace\//, /^src\/core\/engine\.ts$/];

test('the partitions bundle holds the Python parser and partitions, and none of sql.js, yaml, the deployment client or the workspace', () => {
  const sources = bundledSources('cliPartitions.js');
  assert.ok(sources.some((s) => s.startsWith('node_modules/@lezer/python/')), sources.join('\n'));
  assert.ok(sources.includes('src/cli/partitionKeysCommand.ts'));
  assert.deepEqual(sources.filter((s) => heavy.some((h) => h.test(s))), []);
});

test('the same check finds those libraries in the commands bundle, which needs them', () => {
  const sources = bundledSources('cliCommands.js');
  for (const h of heavy.slice(0, 3)) assert.ok(sources.some((s) => h.test(s)), `${h} not in dist/cliCommands.js`);
});

test('the entry answers help without either bundle: it holds no module of the engine or the parser', () => {
  const sources = bundledSources('cli.js');
  assert.deepEqual(sources.filter((s) => s.startsWith('node_modules/') || s.startsWith('src/core/')), []);
});
