// The daemon reports what happens to a backfill (for the extension's Output channel), each event worded as one log line.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BackfillDaemon } from '../../../src/core/backfill/backfillDaemon';
import { describeBackfillEvent, type BackfillEvent } from '../../../src/core/backfill/backfillEvent';
import { planBackfill } from '../../../src/core/backfill/planBackfill';
import { fixedClock } from '../../../src/core/clock';
import { RunCoordinator } from '../../../src/core/coordinator/runCoordinator';
import type { RunLauncher, RunOutcome, RunRequest } from '../../../src/core/coordinator/runLauncher';
import type { CommandTarget } from '../../../src/core/definitions/definition';
import { dailyPartitionsDefinition } from '../../../src/core/partitions/timeWindowSubclasses';
import { InMemoryStateStore } from '../../harness/inMemoryStateStore';

const NOW = new Date('2024-03-01T00:00:00Z');
const daily = dailyPartitionsDefinition({ start_date: '2024-01-01' });
const target: CommandTarget = { kind: 'command', name: 'counts', location: { file: 'backfills.yaml', line: 1 }, partitions: daily, command: ['true'], cwd: '', env: {}, deps: [], backfillPolicy: null };

/** Fails 2024-01-02; holds 2024-01-03 until released, so a pause and a cancel find the backfill running. */
class HeldLauncher implements RunLauncher {
  release!: () => void;
  private readonly held = new Promise<void>((resolve) => (this.release = resolve));
  async launch(run: RunRequest, io: { signal: AbortSignal }): Promise<RunOutcome> {
    if (run.partitionKey === '2024-01-02') return { status: 'FAILURE', exitCode: 1, error: 'exited with code 1' };
    if (run.partitionKey === '2024-01-03') {
      await Promise.race([this.held, new Promise((resolve) => io.signal.addEventListener('abort', resolve, { once: true }))]);
      if (io.signal.aborted) return { status: 'CANCELED', exitCode: null, error: 'terminated' };
    }
    return { status: 'SUCCESS', exitCode: 0, error: null };
  }
}

test('launch, a failed run, pause, resume, cancel and the end are each one event, logged with the plan summary', async () => {
  const store = new InMemoryStateStore();
  const launcher = new HeldLauncher();
  const daemon = new BackfillDaemon({ store, coordinator: new RunCoordinator(1), launcher, clock: fixedClock(NOW), origin: 'test' });
  const events: BackfillEvent[] = [];
  daemon.onEvent((e) => events.push(e));
  const plan = planBackfill([target], { kind: 'range', from: '2024-01-01', to: '2024-01-05' }, NOW);
  const record = daemon.launch(plan);
  await new Promise<void>((resolve) => {
    const sub = daemon.onDidChange(() => {
      if (store.listRuns(record.id).some((r) => r.partitionKey === '2024-01-03' && r.status === 'STARTED')) {
        sub.dispose();
        resolve();
      }
    });
  });
  assert.equal(daemon.pause(record.id), true);
  assert.equal((await daemon.resume(record.id)).id, record.id);
  assert.equal(await daemon.cancelAnywhere(record.id), 'here');
  assert.equal((await daemon.whenDone(record.id)).status, 'CANCELED');
  const lines = events.map((e) => describeBackfillEvent(e));
  assert.deepEqual(lines, [
    { level: 'info', message: `launched backfill ${record.id}: 5 runs covering 5 partitions of counts (2024-01-01...2024-01-05)` },
    { level: 'error', message: `run ${store.listRuns(record.id)[1]!.id} of backfill ${record.id} (counts 2024-01-02) failed: exited with code 1` },
    { level: 'info', message: `paused backfill ${record.id}: running runs finish, nothing new starts` },
    { level: 'info', message: `resumed backfill ${record.id}` },
    { level: 'info', message: `canceling backfill ${record.id}` },
    { level: 'info', message: `backfill ${record.id} was canceled: 1/5 runs succeeded · 1 failed · 3 canceled` },
  ]);
});

test('a retried attempt warns, a preflight failure and a failed end are errors and warnings, a re-execution names its parent', () => {
  const run = { id: 'r1', target: 'counts', partitionKey: '2024-01-02', error: 'exit 1' };
  assert.deepEqual(describeBackfillEvent({ kind: 'runFailed', backfillId: 'abcdefgh', run, attempt: 1, retrying: true }),
    { level: 'warn', message: 'run r1 of backfill abcdefgh (counts 2024-01-02): attempt 1 failed, retrying: exit 1' });
  assert.deepEqual(describeBackfillEvent({ kind: 'runFailed', backfillId: 'abcdefgh', run, attempt: 3, retrying: false }),
    { level: 'error', message: 'run r1 of backfill abcdefgh (counts 2024-01-02) failed after 3 attempts: exit 1' });
  assert.deepEqual(describeBackfillEvent({ kind: 'failedBeforeLaunch', backfillId: 'abcdefgh', error: 'The Python interpreter python3 cannot import dagster' }),
    { level: 'error', message: 'backfill abcdefgh failed before launching any run: The Python interpreter python3 cannot import dagster' });
  const backfill = { id: 'bbbbbbbb', status: 'REQUESTED' as const, targets: ['a', 'b'], partitionCount: 1, origin: 'cli', createdAt: 0, endedAt: null, selection: '' };
  assert.equal(describeBackfillEvent({ kind: 'launched', backfill, runs: 1, parentId: 'abcdefgh' }).message,
    'launched backfill bbbbbbbb, a re-execution of abcdefgh: 1 run covering 1 partition of a, b (unpartitioned)');
  assert.deepEqual(describeBackfillEvent({ kind: 'ended', backfill: { ...backfill, status: 'FAILED', error: 'the code location did not load' }, runs: [] }),
    { level: 'warn', message: 'backfill bbbbbbbb failed: 0/0 runs succeeded (the code location did not load)' });
  assert.equal(describeBackfillEvent({ kind: 'paused', backfillId: 'abcdefgh', where: 'owner' }).message,
    'paused backfill abcdefgh (asked the process that runs it, through the state file): running runs finish, nothing new starts');
});
