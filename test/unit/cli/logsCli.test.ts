// `backfill logs` prints a run's whole output from its log file (the state file keeps only a tail); `backfill prune` removes old history.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import type { BackfillRecord, RunRecord } from '../../../src/core/backfill/backfill';
import { openStateStore } from '../../../src/core/storage/openStateStore';
import { RUN_LOG_TAIL_BYTES } from '../../../src/core/storage/runLogTail';
import { repoRoot } from '../project/repoRoot';

const cli = path.join(repoRoot(), 'dist', 'cli.js');
const LINES = 3000;

/** A command target printing a first line, LINES numbered lines (far more than the stored tail) and a last line. */
function noisyWorkspace(): string {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-logs-'));
  fs.writeFileSync(path.join(ws, 'noisy.py'), [
    'import sys',
    'print("FIRST LINE of " + sys.argv[1], flush=True)',
    `for i in range(${LINES}):`,
    '    print(f"line {i:05d} " + "x" * 40, flush=(i % 100 == 0))',
    'sys.stdout.flush()',
    'print("a warning on stderr", file=sys.stderr, flush=True)',
    'print("LAST LINE", flush=True)',
    '',
  ].join('\n'));
  fs.writeFileSync(path.join(ws, 'backfills.yaml'), [
    'targets:',
    '  noisy:',
    '    partitions: StaticPartitionsDefinition(["p1", "p2"])',
    '    command: ["python3", "noisy.py", "{partition_key}"]',
    '',
  ].join('\n'));
  return ws;
}

function backfill(args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', input: '', timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function expectedOutput(partition: string): string {
  const lines = [`FIRST LINE of ${partition}`];
  for (let i = 0; i < LINES; i++) lines.push(`line ${String(i).padStart(5, '0')} ${'x'.repeat(40)}`);
  return lines.join('\n') + '\n';
}

test('backfill logs prints the whole output from the first byte, past the tail the state file keeps; --tail N the last lines; unknown ids exit 2', async () => {
  const ws = noisyWorkspace();
  const launched = backfill(['asset', '--select', 'noisy', '--partitions', 'p1', '--noprompt', '--json', '-w', ws]);
  assert.equal(launched.code, 0, launched.stderr);
  const { backfillId } = JSON.parse(launched.stdout) as { backfillId: string };
  const shown = JSON.parse(backfill(['show', backfillId, '--json', '-w', ws]).stdout) as { runs: RunRecord[] };
  const runId = shown.runs[0]!.id;

  const logs = backfill(['logs', runId, '-w', ws]);
  assert.equal(logs.code, 0, logs.stderr);
  assert.equal(logs.stderr, '');
  assert.ok(logs.stdout.startsWith(expectedOutput('p1')), logs.stdout.slice(0, 200));
  assert.match(logs.stdout, /a warning on stderr\n/);
  assert.match(logs.stdout, /\nLAST LINE\n/);
  assert.ok(Buffer.byteLength(logs.stdout) > 4 * RUN_LOG_TAIL_BYTES, 'the output is far longer than the stored tail');
  assert.equal(logs.stdout, fs.readFileSync(path.join(ws, '.backfills', 'logs', backfillId, `${runId}.log`), 'utf8'));

  // The state file holds only the tail: the first line is not in it.
  const store = await openStateStore({ path: path.join(ws, '.backfills', 'state.sqlite'), lock: false });
  const tail = store.runLog(runId);
  await store.close();
  assert.match(tail, /^\[\.\.\. \d+ bytes truncated \.\.\.\]\n/);
  assert.doesNotMatch(tail, /FIRST LINE/);

  const last = backfill(['logs', runId, '--tail', '2', '-w', ws]);
  assert.equal(last.code, 0, last.stderr);
  assert.equal(last.stdout, logs.stdout.split('\n').slice(-3).join('\n'));
  assert.match(last.stdout, /^[^\n]+\n[^\n]+\n$/);
  const json = JSON.parse(backfill(['logs', runId, '--json', '-w', ws]).stdout) as { log: string; logFile: string };
  assert.equal(json.log, logs.stdout);
  assert.equal(json.logFile, path.join(ws, '.backfills', 'logs', backfillId, `${runId}.log`));

  for (const [args, message] of [
    [['logs', 'no-such-run'], /^backfill: no run with id "no-such-run" in .*state\.sqlite/],
    [['logs'], /usage: backfill logs RUN_ID/],
    [['logs', runId, '--tail', 'many'], /--tail "many" must be a whole number of lines/],
  ] as const) {
    const r = backfill([...args, '-w', ws]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, message);
  }

  // A reader that leaves while the log streams: the CLI ends quietly.
  const child = spawn(process.execPath, [cli, 'logs', runId, '-w', ws], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  await new Promise((resolve) => child.stdout.once('data', resolve));
  child.stdout.destroy();
  assert.equal(await new Promise((resolve) => child.on('close', resolve)), 0);
  assert.equal(stderr, '');
});

test('backfill logs of a run recorded before log files were kept prints the stored tail and says so', async () => {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-logs-old-'));
  const store = await openStateStore({ path: path.join(ws, '.backfills', 'state.sqlite') });
  const b: BackfillRecord = { id: 'oldonesx', status: 'COMPLETED_SUCCESS', targets: ['t'], partitionCount: 1, origin: 'cli', createdAt: 1, endedAt: 2, selection: 'a' };
  store.createBackfill(b, [{ id: 'old-run', backfillId: b.id, target: 't', partitionKey: 'a', status: 'SUCCESS', createdAt: 1, startedAt: 1, endedAt: 2, exitCode: 0, error: null }]);
  store.appendRunLog('old-run', 'what an older build kept\n');
  await store.close();
  const r = backfill(['logs', 'old-run', '-w', ws]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'what an older build kept\n');
  assert.match(r.stderr, /run old-run has no log file \(recorded before full logs were kept, or removed by retention\)/);
});

test('backfill prune removes finished backfills past the age with their logs, never an active one; statuses stay; --dry-run changes nothing', async () => {
  const ws = noisyWorkspace();
  const launched = backfill(['asset', '--select', 'noisy', '--partitions', 'p2', '--noprompt', '--json', '-w', ws]);
  assert.equal(launched.code, 0, launched.stderr);
  const { backfillId: recent } = JSON.parse(launched.stdout) as { backfillId: string };
  const statePath = path.join(ws, '.backfills', 'state.sqlite');
  // Two old backfills: one finished 40 days ago, one still running (its owner alive as far as the file says).
  const store = await openStateStore({ path: statePath });
  const old = Date.now() - 40 * 24 * 3600 * 1000;
  const seed = (id: string, status: BackfillRecord['status']) => {
    store.createBackfill({ id, status, targets: ['noisy'], partitionCount: 1, origin: 'cli', createdAt: old, endedAt: status === 'REQUESTED' ? null : old, selection: 'p1' },
      [{ id: `${id}-run`, backfillId: id, target: 'noisy', partitionKey: 'p1', status: status === 'REQUESTED' ? 'STARTED' : 'SUCCESS', createdAt: old, startedAt: old, endedAt: null, exitCode: null, error: null }]);
    store.appendRunLog(`${id}-run`, `${id} output\n`);
  };
  seed('oldfinis', 'COMPLETED_SUCCESS');
  seed('oldlivex', 'REQUESTED');
  // p1 was materialized by the old backfill that goes: it stays materialized.
  store.setPartitionStatus('noisy', 'p1', 'MATERIALIZED', 'oldfinis-run');
  await store.close();
  for (const id of ['oldfinis', 'oldlivex']) {
    fs.mkdirSync(path.join(ws, '.backfills', 'logs', id), { recursive: true });
    fs.writeFileSync(path.join(ws, '.backfills', 'logs', id, `${id}-run.log`), `${id} output\n`.repeat(100));
  }
  const statusBefore = backfill(['status', '--select', 'noisy', '-w', ws, '--json']);
  assert.deepEqual((JSON.parse(statusBefore.stdout) as { targets: { counts: { materialized: number } }[] }).targets[0]!.counts.materialized, 2);

  const dry = backfill(['prune', '--dry-run', '-w', ws]);
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /^Would remove 1 backfill that ended more than 30 days ago[^\n]*\n  oldfinis  Success/);
  assert.match(dry.stdout, /Would free 1\.6 KB of log files .* Nothing was changed \(--dry-run\)\./);
  assert.ok(fs.existsSync(path.join(ws, '.backfills', 'logs', 'oldfinis')));

  const pruned = backfill(['prune', '-w', ws, '--json']);
  assert.equal(pruned.code, 0, pruned.stderr);
  const report = JSON.parse(pruned.stdout) as { removed: string[]; logsRemoved: string[]; logFileBytes: number; stateFileBytes: { before: number; after: number } };
  assert.deepEqual(report.removed, ['oldfinis']);
  assert.equal(report.logFileBytes, 1600);
  const list = JSON.parse(backfill(['list', '--json', '-w', ws]).stdout) as { backfills: { id: string }[] };
  assert.deepEqual(list.backfills.map((b) => b.id).sort(), [recent, 'oldlivex'].sort());
  assert.equal(fs.existsSync(path.join(ws, '.backfills', 'logs', 'oldfinis')), false);
  assert.ok(fs.existsSync(path.join(ws, '.backfills', 'logs', 'oldlivex')), 'an active backfill keeps its logs');
  assert.equal(backfill(['status', '--select', 'noisy', '-w', ws, '--json']).stdout, statusBefore.stdout, 'partition statuses are unchanged');

  const bad = backfill(['prune', '--older-than', 'soon', '-w', ws]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--older-than "soon" must be a number of days/);
  const nothing = backfill(['prune', '-w', ws]);
  assert.match(nothing.stdout, /^Nothing to prune: no finished backfill ended more than 30 days ago/);
});
