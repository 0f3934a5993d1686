// The local daemon refuses to cancel, pause, resume, re-execute or adopt a backfill that runs on a Dagster deployment,
// naming the deployment, and changes nothing in the store.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BackfillRecord } from '../../../src/core/backfill/backfill';
import { BackfillDaemon } from '../../../src/core/backfill/backfillDaemon';
import { fixedClock } from '../../../src/core/clock';
import { RunCoordinator } from '../../../src/core/coordinator/runCoordinator';
import type { RunLauncher } from '../../../src/core/coordinator/runLauncher';
import { InMemoryStateStore } from '../../harness/inMemoryStateStore';

const NOW = Date.UTC(2026, 11, 7, 12);

test('cancel, pause, resume, re-execute and adopt of a remote backfill are refused, naming the deployment', async () => {
  const store = new InMemoryStateStore(() => NOW);
  const launcher: RunLauncher = { launch: () => Promise.reject(new Error('nothing may launch')) };
  const daemon = new BackfillDaemon({ store, coordinator: new RunCoordinator(1), launcher, clock: fixedClock(new Date(NOW)), origin: 'test' });
  const remote = { deployment: 'prod', url: 'http://127.0.0.1:3999', kind: 'oss' as const, backfillId: 'srvbkfll', status: 'REQUESTED', checkedAt: NOW };
  const running: BackfillRecord = { id: 'remotebf', status: 'REQUESTED', targets: ['orders'], partitionCount: 2, origin: 'cli', createdAt: NOW, endedAt: null, selection: 's', remote };
  const failed: BackfillRecord = { ...running, id: 'remotefl', status: 'FAILED', endedAt: NOW, remote: { ...remote, backfillId: 'srvfaild', status: 'FAILED' } };
  store.createBackfill(running, []);
  store.createBackfill(failed, []);
  const where = (id: string, server: string): RegExp => new RegExp(`backfill ${id} runs on deployment prod \\(http://127\\.0\\.0\\.1:3999\\) as its backfill ${server}, not on this machine`);
  await assert.rejects(daemon.cancelAnywhere('remotebf'), { name: 'BackfillPlanError', message: new RegExp(`${where('remotebf', 'srvbkfll').source}: cancel it there \\(backfill cancel remotebf sends it to the deployment\\)`) });
  await assert.rejects(daemon.pauseAnywhere('remotebf'), { message: new RegExp(`${where('remotebf', 'srvbkfll').source}: Dagster has no pause`) });
  await assert.rejects(daemon.resume('remotefl'), { message: new RegExp(`${where('remotefl', 'srvfaild').source}: resume it there`) });
  assert.throws(() => daemon.reexecute('remotefl', { fromFailure: true }), { message: new RegExp(`${where('remotefl', 'srvfaild').source}: re-execute it there \\(backfill reexecute remotefl`) });
  await assert.rejects(daemon.adopt('remotebf'), { message: /cannot be adopted here/ });
  assert.deepEqual(await daemon.adoptOrphans(), []);
  assert.deepEqual(store.listBackfills().map((b) => [b.id, b.status, b.pausedAt ?? null, b.owner ?? null]).sort(), [['remotebf', 'REQUESTED', null, null], ['remotefl', 'FAILED', null, null]]);
  assert.equal(store.listBackfills().length, 2, 'a re-execution was not recorded');
});
