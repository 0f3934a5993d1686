// The fast path (top-level scanner + hand-written statement parser) against @lezer/python for every statement:
// both must discover exactly the same snapshot, on every discovery fixture and on generated modules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateWorkspace } from '../../../bench/discovery/generateWorkspace.mjs';
import { InProcessDiscovery } from '../../../src/core/workspace/inProcessDiscovery';
import { NodeSourceFiles } from '../../../src/core/workspace/nodeSourceFiles';
import { repoRoot } from '../project/repoRoot';
import { pythonVarietyModule } from './pythonVarietyModule';

/** Both snapshots as JSON (partitions through toJSON): every field of every asset, job and diagnostic. */
async function bothWays(root: string): Promise<{ fast: string; lezer: string; assets: number }> {
  const fast = await new InProcessDiscovery(new NodeSourceFiles(root)).load();
  const lezer = await new InProcessDiscovery(new NodeSourceFiles(root), { parser: 'lezer' }).load();
  return { fast: JSON.stringify(fast, null, 1), lezer: JSON.stringify(lezer, null, 1), assets: fast.assets.length };
}

const fixtures = path.join(repoRoot(), 'test', 'fixtures', 'discovery');
for (const folder of fs.readdirSync(fixtures).sort()) {
  test(`fixture ${folder}: the fast path and @lezer/python discover the same snapshot`, async () => {
    const { fast, lezer } = await bothWays(path.join(fixtures, folder));
    assert.equal(fast, lezer);
  });
}

test('the quickstart example: the same snapshot both ways', async () => {
  const { fast, lezer, assets } = await bothWays(path.join(repoRoot(), 'examples', 'quickstart'));
  assert.ok(assets > 0);
  assert.equal(fast, lezer);
});

test('60 modules of the discovery benchmark\'s generated workspace: the same snapshot both ways', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'differential-bench-'));
  try {
    generateWorkspace(root, 60);
    const { fast, lezer, assets } = await bothWays(root);
    assert.equal(assets, 180);
    assert.equal(fast, lezer);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('200 seeded modules of varied statement syntax: the same snapshot both ways, module by module', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'differential-variety-'));
  try {
    for (let seed = 1; seed <= 200; seed++) {
      const dir = path.join(root, `m${seed}`);
      fs.mkdirSync(dir);
      fs.writeFileSync(path.join(dir, `module_${seed}.py`), pythonVarietyModule(seed));
      const { fast, lezer, assets } = await bothWays(dir);
      assert.ok(assets > 0, `seed ${seed} defines no asset`);
      assert.equal(fast, lezer, `seed ${seed} (${path.join(dir, `module_${seed}.py`)})`);
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('statements after a `;` are statements of their own (the scanner once read `a = 1; b = 2` as one: a broken, b unbound)', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'differential-semicolon-'));
  try {
    fs.writeFileSync(path.join(root, 'assets.py'), [
      'from dagster import asset; import dagster as dg',
      'GROUP = "semi"; PREFIX = "colon" ;',
      'x = 1;',
      '',
      '@asset(group_name=GROUP, key_prefix=PREFIX, partitions_def=dg.StaticPartitionsDefinition(["a"]))',
      'def orders(): return 1; x = 2',
      '',
    ].join('\n'));
    const d = await new InProcessDiscovery(new NodeSourceFiles(root)).load();
    assert.deepEqual(d.assets.map((a) => ({ key: a.key, group: a.group, keys: a.partitions?.keys(new Date()) })), [{ key: ['colon', 'orders'], group: 'semi', keys: ['a'] }]);
    assert.deepEqual(d.diagnostics, []);
    const { fast, lezer } = await bothWays(root);
    assert.equal(fast, lezer);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('an unterminated docstring is a syntax error both ways (the scanner once let it run silently to the end of the file)', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'differential-unterminated-'));
  try {
    fs.writeFileSync(path.join(root, 'assets.py'), 'from dagster import asset\n\nNAME = "orders\n\n@asset\ndef orders(): return 1\n');
    fs.writeFileSync(path.join(root, 'docs.py'), 'import dagster\n"""A module docstring never closed.\n\nX = 1\n');
    const d = await new InProcessDiscovery(new NodeSourceFiles(root)).load();
    // @lezer/python places the unclosed docstring's error at the end of the file, and accepts an unclosed one-line string.
    assert.deepEqual(d.diagnostics.map((x) => `${x.location.file}:${x.location.line} ${x.message.split(';')[0]}`), [
      'docs.py:5 Python syntax error at line 5, column 1',
    ]);
    assert.deepEqual(d.assets.map((a) => a.key.join('/')), ['orders']);
    const { fast, lezer } = await bothWays(root);
    assert.equal(fast, lezer);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
