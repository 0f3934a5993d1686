// Dagster assets and jobs from the CLI through the runner: against the stand-in dagster package (a test double,
// since Dagster cannot be installed here), and with an interpreter that has no dagster at all.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../project/repoRoot';

const root = repoRoot();
const cli = path.join(root, 'dist', 'cli.js');
const testDouble = path.join(root, 'test', 'fixtures', 'dagster-test-double');

function quickstartCopy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-dagster-'));
  fs.cpSync(path.join(root, 'examples', 'quickstart'), dir, { recursive: true, filter: (src) => !/[/\\](\.backfills|output)$/.test(src) });
  return dir;
}

function backfill(args: string[], env: NodeJS.ProcessEnv) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', input: '', timeout: 180_000, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('backfill asset runs Dagster assets through the runner (raw_events and events share a run per day, as in Dagster), the command target downstream after them, with the run tags', () => {
  const ws = quickstartCopy();
  const calls = path.join(ws, 'calls.jsonl');
  const env = { PYTHONPATH: testDouble, DAGSTER_TEST_DOUBLE_CALLS: calls, DAGSTER_HOME: '' };
  const r = backfill(['asset', '--select', 'raw_events*', '--from', '2024-01-01', '--to', '2024-01-03', '--tags', '{"team": "data"}', '--noprompt', '--json', '-w', ws], env);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const doc = JSON.parse(r.stdout) as { backfillId: string; status: string; counts: { succeeded: number; total: number } };
  assert.equal(doc.status, 'COMPLETED_SUCCESS');
  assert.equal(doc.counts.total, 6, 'one raw_events+events run and one daily_counts run per day');
  const executions = fs.readFileSync(calls, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { call: string; args: Record<string, unknown> })
    .filter((c) => c.call === 'JobDefinition.execute_in_process');
  assert.equal(executions.length, 3, 'the command target does not go through Dagster');
  for (const e of executions) {
    const tags = e.args.tags as Record<string, string>;
    assert.equal(tags['team'], 'data');
    assert.equal(tags['dagster/backfill'], doc.backfillId);
    assert.match(tags['dagster/partition'] ?? '', /^2024-01-0[123]$/);
  }
  const show = JSON.parse(backfill(['show', doc.backfillId, '--json', '-w', ws], env).stdout) as { runs: { target: string; partitionKey: string; startedAt: number; endedAt: number }[] };
  assert.deepEqual([...new Set(show.runs.map((x) => x.target))].sort(), ['daily_counts', 'raw_events,events']);
  for (const child of show.runs.filter((x) => x.target === 'daily_counts')) {
    const parent = show.runs.find((x) => x.target === 'raw_events,events' && x.partitionKey === child.partitionKey)!;
    assert.ok(child.startedAt >= parent.endedAt, `daily_counts ${child.partitionKey} started before raw_events ended`);
  }
});

test('without an importable dagster the runs fail with a message naming the interpreter and how to choose another', () => {
  const ws = quickstartCopy();
  const r = backfill(['job', '-j', 'do_stuff_partitioned', '--partitions', '2021-04-01', '--noprompt', '-w', ws, '--python', 'python3'], { PYTHONPATH: '' });
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /^Backfill [a-z]{8}: Failed in /m);
  assert.match(r.stdout, /dagster/i);
  assert.match(r.stdout, /--python/);
  const missing = backfill(['job', '-j', 'do_stuff_partitioned', '--partitions', '2021-04-01', '--noprompt', '-w', ws, '--python', path.join(ws, 'no-such-python')], {});
  assert.equal(missing.code, 1, missing.stdout + missing.stderr);
  assert.match(missing.stdout, /no-such-python/);
});
