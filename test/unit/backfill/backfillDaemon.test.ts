// Failure semantics, range runs, resume and re-execute of the BackfillDaemon over an in-memory store.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BackfillDaemon } from '../../../src/core/backfill/backfillDaemon';
import { planBackfill } from '../../../src/core/backfill/planBackfill';
import { fixedClock } from '../../../src/core/clock';
import { RunCoordinator } from '../../../src/core/coordinator/runCoordinator';
import type { RunLauncher, RunOutcome, RunRequest } from '../../../src/core/coordinator/runLauncher';
import type { CommandTarget } from '../../../src/core/definitions/definition';
import { dailyPartitionsDefinition } from '../../../src/core/partitions/timeWindowSubclasses';
import { STATE_STORE_KINDS } from './stateStoreKinds';

for (const kind of STATE_STORE_KINDS) describe(kind.name, () => {
  const NOW = new Date('2024-03-01T00:00:00Z');
  const daily = dailyPartitionsDefinition({ start_date: '2024-01-01' });

  function target(name: string, deps: string[] = [], backfillPolicy: string | null = null): CommandTarget {
    return { kind: 'command', name, location: { file: 'backfills.yaml', line: 1 }, partitions: daily, command: ['true'], cwd: '', env: {}, deps, backfillPolicy };
  }

  /** Fails the runs named "target@partition" in `failing`; records every launch. */
  class ScriptedLauncher implements RunLauncher {
    readonly launched: string[] = [];
    constructor(public failing: Set<string>) {}
    launch(run: RunRequest): Promise<RunOutcome> {
      const id = `${run.target}@${run.partitionKey}`;
      this.launched.push(id);
      return Promise.resolve(this.failing.has(id) ? { status: 'FAILURE', exitCode: 1, error: 'exited with code 1' } : { status: 'SUCCESS', exitCode: 0, error: null });
    }
  }

  async function engine(failing: string[]) {
    const store = await kind.open(() => NOW.getTime());
    const launcher = new ScriptedLauncher(new Set(failing));
    const daemon = new BackfillDaemon({ store, coordinator: new RunCoordinator(1), launcher, clock: fixedClock(NOW), origin: 'test' });
    return { store, launcher, daemon };
  }

  const chain = () => planBackfill([target('a'), target('b', ['a']), target('c', ['b'])], { kind: 'range', from: '2024-01-01', to: '2024-01-03' }, NOW);

  test('B5: a failed run marks its partition FAILED and its downstream failed-upstream, never launched; others continue', async () => {
    const { store, launcher, daemon } = await engine(['a@2024-01-02']);
    const record = daemon.launch(chain());
    const final = await daemon.whenDone(record.id);
    assert.equal(final.status, 'COMPLETED_FAILED');
    assert.ok(!launcher.launched.includes('b@2024-01-02') && !launcher.launched.includes('c@2024-01-02'));
    assert.equal(launcher.launched.length, 7);
    assert.equal(store.partitionStatuses('a').get('2024-01-02'), 'FAILED');
    assert.equal(store.partitionStatuses('b').get('2024-01-02'), undefined);
    const blocked = store.listRuns(record.id).filter((r) => r.status === 'CANCELED');
    assert.deepEqual(blocked.map((r) => `${r.target}@${r.partitionKey}`).sort(), ['b@2024-01-02', 'c@2024-01-02']);
    assert.ok(blocked.every((r) => /failed upstream: a 2024-01-02/.test(r.error ?? '')));
    assert.equal(store.runEvents(blocked[0]!.id)[0]!.kind, 'UPSTREAM_FAILED');
    assert.ok(store.getPlan(record.id), 'the plan is saved at launch');
  });

  test('a range run sets the status of every key it covers', async () => {
    const { store, daemon } = await engine(['r@2024-01-04...2024-01-06']);
    const plan = planBackfill([target('r', [], 'BackfillPolicy.multi_run(3)')], { kind: 'range', from: '2024-01-01', to: '2024-01-06' }, NOW);
    const record = daemon.launch(plan);
    await daemon.whenDone(record.id);
    const s = store.partitionStatuses('r');
    assert.deepEqual(['01', '02', '03', '04', '05', '06'].map((d) => s.get(`2024-01-${d}`)), ['MATERIALIZED', 'MATERIALIZED', 'MATERIALIZED', 'FAILED', 'FAILED', 'FAILED']);
  });

  test('re-execute from failure makes a new backfill linked to its parent, holding only what did not succeed', async () => {
    const { store, launcher, daemon } = await engine(['a@2024-01-02']);
    const first = daemon.launch(chain());
    await daemon.whenDone(first.id);
    launcher.failing.clear();
    launcher.launched.length = 0;
    const again = daemon.reexecute(first.id, { fromFailure: true });
    assert.equal(again.parentId, first.id);
    assert.equal(daemon.parentOf(again.id), first.id);
    assert.equal((await daemon.whenDone(again.id)).status, 'COMPLETED_SUCCESS');
    assert.deepEqual(launcher.launched, ['a@2024-01-02', 'b@2024-01-02', 'c@2024-01-02']);
    assert.equal(store.partitionStatuses('c').get('2024-01-02'), 'MATERIALIZED');
    assert.throws(() => daemon.reexecute(again.id, { fromFailure: true }), /no missing materializations/);
    const all = daemon.reexecute(again.id, { fromFailure: false });
    assert.equal(store.listRuns(all.id).length, 3);
    await daemon.whenDone(all.id);
  });

  test('resume continues what a canceled backfill never launched, and refuses completed backfills', async () => {
    const { store, launcher, daemon } = await engine([]);
    const record = daemon.launch(chain());
    daemon.cancel(record.id);
    const canceled = await daemon.whenDone(record.id);
    assert.equal(canceled.status, 'CANCELED');
    const launchedBefore = launcher.launched.length;
    assert.ok(launchedBefore < 9);
    await daemon.resume(record.id);
    const final = await daemon.whenDone(record.id);
    assert.equal(final.status, 'COMPLETED_SUCCESS');
    assert.equal(launcher.launched.length, 9, 'every run launched exactly once over both attempts');
    assert.equal(new Set(launcher.launched).size, 9);
    assert.ok(store.listRuns(record.id).every((r) => r.status === 'SUCCESS'));
    await assert.rejects(daemon.resume(record.id), /completed/);
  });
});
