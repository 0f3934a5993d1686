// Reload pass, first extension host: launches a backfill of daily_counts, lets two partitions succeed while two more
// are held in progress, records that, and reloads the window (which ends this host and this mocha run with it).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, poll } from '../../extensionUnderTest';
import { recordBeforeReload } from '../../reloadPhases';
import { recordedEvents, release, TARGET } from '../reloadFixture';

const PARTITIONS = ['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05', '2024-01-06'];

suite('a backfill across a window reload: before', () => {
  // Reached only when this phase failed (a reload ends the host first): the held processes must not outlive the run.
  suiteTeardown(() => release('all'));

  test('a backfill of 6 partitions runs with 2 succeeded, 2 in progress and 2 queued', async function () {
    this.timeout(90_000);
    const a = await api();
    // Oldest first, two at a time (maxConcurrentRuns in the fixture's settings): the first two succeed, the next two wait.
    release(PARTITIONS[0]!);
    release(PARTITIONS[1]!);
    const id = await vscode.commands.executeCommand<string>('backfillStudio.launchBackfill', {
      target: TARGET,
      selection: { kind: 'range', from: PARTITIONS[0], to: PARTITIONS.at(-1) },
      confirm: false,
    });
    assert.match(id ?? '', /^[a-z]{8}$/, 'launch returned no backfill id');
    const { store } = await a.session()!.engine();
    const runs = await poll('2 runs succeeded and 2 held in progress', () => {
      const now = store.listRuns(id!);
      const held = new Set(recordedEvents().filter((e) => e.event === 'waiting').map((e) => e.partition));
      const started = now.filter((r) => r.status === 'STARTED');
      const ready = now.filter((r) => r.status === 'SUCCESS').length === 2 && started.length === 2 && started.every((r) => held.has(r.partitionKey) && r.pid);
      return ready ? now : undefined;
    }, 75_000);
    assert.deepEqual(runs.map((r) => r.partitionKey), PARTITIONS);
    assert.deepEqual(runs.map((r) => r.status), ['SUCCESS', 'SUCCESS', 'STARTED', 'STARTED', 'QUEUED', 'QUEUED']);
    // What the next host finds is the file, so it must hold this moment.
    await store.flush();
    recordBeforeReload({
      backfillId: id!,
      hostPid: process.pid,
      partitions: PARTITIONS,
      succeeded: runs.filter((r) => r.status === 'SUCCESS').map((r) => ({ partition: r.partitionKey, runId: r.id, startedAt: r.startedAt! })),
      interrupted: runs.filter((r) => r.status === 'STARTED').map((r) => ({ partition: r.partitionKey, runId: r.id, pid: r.pid! })),
    });
  });

  test('Developer: Reload Window ends this extension host', async function () {
    this.timeout(60_000);
    await vscode.commands.executeCommand('workbench.action.reloadWindow');
    // The next host runs the afterReload tests; reaching the end of this wait means the window never reloaded.
    await new Promise((r) => setTimeout(r, 55_000));
    assert.fail('the window did not reload within 55 s');
  });
});
