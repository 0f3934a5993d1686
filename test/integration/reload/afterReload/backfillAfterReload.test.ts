// Reload pass, the extension host the reload started: nothing here asks the extension for its engine until it has
// adopted the backfill by itself; then the held partitions are released and the backfill must complete, each
// partition's output written once. What is asserted of the two runs the reload interrupted: each started twice
// (the first process was terminated by the adoption while held, before it wrote anything) and completed once.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { processAlive } from '../../../../src/core/backfill/backfillOwnership';
import { openStateStore } from '../../../../src/core/storage/openStateStore';
import type { StateStore } from '../../../../src/core/storage/stateStore';
import { api, EXTENSION_ID, poll } from '../../extensionUnderTest';
import { beforeReload } from '../../reloadPhases';
import { outputFile, recordedEvents, release, TARGET } from '../reloadFixture';

/** The state file as another process sees it: read from disk, never through the extension's engine. */
async function onDisk(): Promise<StateStore> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
  const folder = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
  return openStateStore({ path: path.join(folder, '.backfills', 'state.sqlite'), wasmPath: path.join(ext.extensionPath, 'dist', 'sql-wasm.wasm') });
}

suite('a backfill across a window reload: after', () => {
  const before = beforeReload();
  let store: StateStore;

  suiteSetup(async () => {
    store = await onDisk();
  });
  suiteTeardown(async () => {
    // After a failure too: the fixture's held processes must not outlive the run.
    release('all');
    await store?.close();
  });

  test('the reload started a new extension host and the one that launched the backfill ended', async function () {
    this.timeout(60_000);
    assert.notEqual(process.pid, before.hostPid, 'the tests run in the extension host that launched the backfill');
    await poll(`the old extension host (pid ${before.hostPid}) to end`, () => (processAlive(before.hostPid) ? undefined : true), 50_000);
  });

  test('the extension adopts the backfill by itself: interrupted runs stopped and queued again, succeeded ones kept', async function () {
    this.timeout(60_000);
    const adopted = await poll('the backfill owned by this extension host with its interrupted runs queued again', async () => {
      await store.reloadIfChanged();
      const record = store.getBackfill(before.backfillId);
      const requeued = before.interrupted.every((i) => store.runEvents(i.runId).some((e) => e.kind === 'RUN_REQUEUED'));
      return record?.owner?.pid === process.pid && requeued ? record : undefined;
    }, 50_000);
    assert.equal(adopted.owner!.origin, 'extension');
    assert.equal((await api()).session()!.engineLoaded, true);
    const events = recordedEvents();
    for (const i of before.interrupted) {
      // Who stopped the held process, as the signal it got says: this host's adoption, not the host that ended.
      const terminations = events.filter((e) => e.event === 'terminated' && e.pid === i.pid);
      const who = (pid: number) => (pid === process.pid ? 'this extension host' : pid === before.hostPid ? `the extension host the reload ended (${pid})` : `process ${pid}`);
      assert.deepEqual(terminations.map((e) => who(e.sender!)), ['this extension host'], `the held run of ${i.partition} (pid ${i.pid}) was terminated by: ${terminations.map((e) => who(e.sender!)).join(', ') || 'nobody (no SIGTERM recorded)'}; it recorded: ${events.filter((e) => e.pid === i.pid).map((e) => e.event).join(', ')}`);
      const requeue = store.runEvents(i.runId).filter((e) => e.kind === 'RUN_REQUEUED');
      assert.equal(requeue.length, 1, `run of ${i.partition} requeued ${requeue.length} times`);
      // The held process of the old host was still running: the adoption terminated its process group.
      assert.deepEqual((requeue[0]!.payload as { terminatedProcessGroups: number[] }).terminatedProcessGroups, [i.pid], i.partition);
      assert.equal(processAlive(i.pid), false, `the interrupted run's process ${i.pid} (${i.partition}) still runs`);
    }
    for (const s of before.succeeded) {
      const run = store.getRun(s.runId)!;
      assert.equal(run.status, 'SUCCESS', s.partition);
      assert.equal(run.startedAt, s.startedAt, `the succeeded run of ${s.partition} started again`);
    }
  });

  test('released, the backfill completes: one SUCCESS run and one output per partition, each completed once', async function () {
    this.timeout(120_000);
    release('all');
    const final = await poll('the backfill to end', async () => {
      await store.reloadIfChanged();
      const record = store.getBackfill(before.backfillId);
      return record && record.status !== 'REQUESTED' && record.status !== 'CANCELING' ? record : undefined;
    }, 110_000);
    assert.equal(final.status, 'COMPLETED_SUCCESS');
    const runs = store.listRuns(before.backfillId);
    assert.deepEqual(runs.map((r) => [r.partitionKey, r.status]), before.partitions.map((p) => [p, 'SUCCESS']));
    // A run interrupted by the reload keeps its identity (and its attempt: the interruption was no failure of its own).
    for (const i of before.interrupted) assert.equal(runs.find((r) => r.id === i.runId)?.attempt, 1, i.partition);
    for (const p of before.partitions) {
      assert.ok(fs.existsSync(outputFile(p)), `no output for ${p}`);
      assert.equal(store.partitionStatuses(TARGET).get(p), 'MATERIALIZED', p);
    }
    const events = recordedEvents();
    const count = (event: string, p: string) => events.filter((e) => e.event === event && e.partition === p).length;
    const interrupted = new Set(before.interrupted.map((i) => i.partition));
    assert.deepEqual(
      before.partitions.map((p) => [p, count('start', p), count('done', p)]),
      before.partitions.map((p) => [p, interrupted.has(p) ? 2 : 1, 1]),
      'per partition: [key, process starts, completions]',
    );
    console.log(`reload: backfill ${before.backfillId} completed after the reload; ${interrupted.size} interrupted runs started twice, each of ${before.partitions.length} partitions completed once`);
  });
});
