// The CLI's faces of a canceled backfill: show and list (text and --json), the progress line and the closing summary count canceled and skipped runs apart from failed ones.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { countRuns, type BackfillRecord, type RunRecord } from '../../../src/core/backfill/backfill';
import { openStateStore } from '../../../src/core/storage/openStateStore';
import { renderProgress, renderSummary } from '../../../src/cli/progressReport';
import { repoRoot } from '../project/repoRoot';

const cli = path.join(repoRoot(), 'dist', 'cli.js');

function backfill(args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', input: '', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const record: BackfillRecord = { id: 'cancelaa', status: 'CANCELED', targets: ['t'], partitionCount: 5, origin: 'cli', createdAt: 0, endedAt: 5000, selection: 'k1...k5' };
const base = { backfillId: 'cancelaa', target: 't', createdAt: 0, startedAt: 1, endedAt: 2, exitCode: null, error: null };
const runs: RunRecord[] = [
  { ...base, id: 'r1', partitionKey: 'k1', status: 'SUCCESS', exitCode: 0 },
  { ...base, id: 'r2', partitionKey: 'k2', status: 'FAILURE', exitCode: 1, error: 'boom' },
  { ...base, id: 'r3', partitionKey: 'k3', status: 'CANCELED', error: 'canceled' },
  { ...base, id: 'r4', partitionKey: 'k4', status: 'CANCELED', startedAt: null, error: 'canceled before launch' },
  { ...base, id: 'r5', partitionKey: 'k5', status: 'CANCELED', startedAt: null, error: 'failed upstream: u k5 did not succeed; not launched' },
];

test('show and list count canceled and skipped runs apart from failed ones, in text and in --json', async () => {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-cmd-cancel-'));
  const store = await openStateStore({ path: path.join(ws, '.backfills', 'state.sqlite') });
  store.createBackfill(record, runs);
  await store.close();
  const counts = { total: 5, queued: 0, inProgress: 0, succeeded: 1, failed: 1, canceled: 2, skipped: 1 };

  const shown = backfill(['show', 'cancelaa', '-w', ws]);
  assert.equal(shown.code, 0, shown.stderr);
  assert.match(shown.stdout, /^Runs: 5 total, 1 succeeded, 1 failed, 0 running, 0 queued, 2 canceled, 1 skipped \(upstream failed\)$/m);
  assert.deepEqual(shown.stdout.split('\n').filter((l) => l.startsWith('  ')), ['  Failed t k2: boom  (backfill logs r2)', '  2 canceled runs: backfill resume cancelaa runs them again']);
  assert.deepEqual((JSON.parse(backfill(['show', 'cancelaa', '--json', '-w', ws]).stdout) as { counts: unknown }).counts, counts);

  const listed = backfill(['list', '-w', ws]).stdout.split('\n');
  assert.match(listed[0]!, /^id\s+status\s+targets\s+partitions\s+runs\s+succeeded\s+failed\s+canceled\s+skipped\s+created\s+duration$/);
  assert.match(listed[1]!, /^cancelaa\s+Canceled\s+t\s+5\s+5\s+1\s+1\s+2\s+1\s/);
  const json = JSON.parse(backfill(['list', '--json', '-w', ws]).stdout) as { backfills: { id: string; status: string; counts: unknown }[] };
  assert.deepEqual(json.backfills.map((b) => [b.id, b.status, b.counts]), [['cancelaa', 'CANCELED', counts]]);
});

test('the progress line and the closing summary name canceled and skipped runs, and say resume runs the canceled ones', () => {
  assert.equal(renderProgress(countRuns(runs), 0), 'runs 5/5 done · 1 failed · 2 canceled · 1 skipped (upstream failed) · 0 running · 0.0 runs/s · ETA ?');
  assert.equal(renderProgress(countRuns(runs.slice(0, 2)), 0), 'runs 2/2 done · 1 failed · 0 running · 0.0 runs/s · ETA ?');
  assert.deepEqual(renderSummary(record, runs, 5000), [
    'Backfill cancelaa: Canceled in 5.0s',
    '',
    'target  runs  succeeded  failed  canceled  skipped',
    't          5          1       1         2        1',
    '',
    'Skipped: 1 run never launched because an upstream run failed.',
    '',
    'Canceled: 2 runs; backfill resume cancelaa runs them again.',
    '',
    'Failed partitions:',
    '  t k2: boom',
  ]);
});
