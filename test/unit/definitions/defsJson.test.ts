// `backfill defs --json` over the multi-package fixture: the exact documented shape, field by field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runDefs } from '../../../src/cli/defsCommand';
import type { CliOutput } from '../../../src/cli/cliOutput';
import { BackfillWorkspace } from '../../../src/core/workspace/backfillWorkspace';
import { repoRoot } from '../project/repoRoot';
import { python, runnerScript } from '../runner/dagsterTestDouble';

const folder = path.resolve(__dirname, '../../../../test/fixtures/discovery/multi_package');

function capture(json: boolean): { out: CliOutput; documents: unknown[]; lines: string[] } {
  const documents: unknown[] = [];
  const lines: string[] = [];
  return { documents, lines, out: { json, tty: false, line: (t) => lines.push(t), status: () => undefined, document: (v) => documents.push(v), error: (t) => lines.push(t) } };
}

test('defs --json: assets, jobs, commandTargets and diagnostics with exactly the documented fields', async () => {
  const ws = new BackfillWorkspace({ root: folder, origin: 'test' });
  const { out, documents } = capture(true);
  assert.equal(await runDefs(ws, out), 0);
  const doc = documents[0] as { codeLocations: unknown; assets: Record<string, unknown>[]; jobs: Record<string, unknown>[]; commandTargets: unknown[]; diagnostics: Record<string, unknown>[] };
  assert.deepEqual(Object.keys(doc), ['codeLocations', 'assets', 'jobs', 'commandTargets', 'diagnostics']);
  for (const a of doc.assets) assert.deepEqual(Object.keys(a), ['key', 'group', 'codeLocation', 'file', 'line', 'partitions', 'deps', 'backfillPolicy']);
  for (const j of doc.jobs) assert.deepEqual(Object.keys(j), ['name', 'codeLocation', 'file', 'line', 'partitions']);
  for (const d of doc.diagnostics) assert.deepEqual(Object.keys(d), ['file', 'line', 'severity', 'message']);
  const expected = JSON.parse(fs.readFileSync(path.join(folder, 'expected.json'), 'utf8'));
  // The discovery fixture predates code locations in the document: compared without them, then checked apart.
  assert.deepEqual(doc.assets.map(({ codeLocation: _l, ...a }) => a), expected.assets);
  assert.deepEqual(doc.jobs.map(({ codeLocation: _l, ...j }) => j), expected.jobs);
  const locations = doc.codeLocations as { label: string; groups: { name: string; assets: string[] }[]; jobs: string[] }[];
  for (const a of doc.assets) {
    const key = (a.key as string[]).join('/');
    const holders = locations.filter((l) => l.groups.some((g) => g.name === a.group && g.assets.includes(key)));
    assert.deepEqual(holders.map((l) => l.label), [a.codeLocation], key);
  }
  for (const j of doc.jobs) assert.deepEqual(locations.filter((l) => l.jobs.includes(j.name as string)).map((l) => l.label), [j.codeLocation], String(j.name));
  assert.deepEqual(doc.commandTargets, []);
  assert.deepEqual(doc.diagnostics.map((d) => `${d.file}:${d.line}`), expected.diagnostics.map((d: string) => d.split(':').slice(0, 2).join(':')));
  await ws.close();
});

test('defs (text) counts a dynamic-partitioned asset\'s keys where they live: without dagster, the project\'s state, saying why', async () => {
  // A copy: listing dynamic keys opens the project's state store, which must not be written into the fixture.
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-defs-'));
  fs.cpSync(path.join(folder, '../docs_examples'), root, { recursive: true });
  const ws = new BackfillWorkspace({
    root, origin: 'test', clock: { now: () => new Date('2024-06-01T00:00:00Z') }, python, runnerScript, adoptOrphansOnStart: false, commandSpawner: false,
    wasmPath: path.join(repoRoot(), 'node_modules/sql.js/dist/sql-wasm.wasm'),
    // The interpreter without the stand-in dagster package: it cannot import dagster.
    runnerEnv: { PYTHONPATH: '' },
  });
  const { out, lines } = capture(false);
  assert.equal(await runDefs(ws, out), 0);
  assert.ok(lines.includes('    asset   image_processing  [Dynamic partitions: "images", 0 partitions, keys from the project\'s state]  partitioned_assets.py:40'), lines.join('\n'));
  assert.ok(lines.some((l) => l.startsWith(`dynamic partitions "images": no keys yet in the project's state (${ws.statePath}), because: The Python interpreter `) && /cannot import dagster/.test(l)), lines.join('\n'));
  assert.ok(lines.includes('  add some with `backfill partitions add images KEY…`'), lines.join('\n'));
  await ws.close();
});
