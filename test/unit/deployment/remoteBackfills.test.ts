// RemoteBackfills against the fake Dagster webserver (recorded 1.2 and authored newer exchanges): a launch is recorded
// only after the server's success, refreshes map Dagster's statuses, cancel/resume/re-execute reach the server, and the
// token never reaches the state file.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { backfillStatusLabel } from '../../../src/core/backfill/backfillStatusLabel';
import type { DagsterDeployment } from '../../../src/core/deployment/dagsterGraphqlClient';
import { localBackfillStatus, recordBulkActionStatus, RemoteBackfills } from '../../../src/core/deployment/remoteBackfills';
import type { RemoteBackfill } from '../../../src/core/deployment/remoteBackfill';
import { InMemoryStateStore } from '../../harness/inMemoryStateStore';
import { openStateStore } from '../../../src/core/storage/openStateStore';
import type { StateStore } from '../../../src/core/storage/stateStore';
import { closedLoopbackPort, loadRecordedExchanges, startFakeDagsterWebserver, type FakeDagsterWebserver, type FakeDagsterWebserverOptions } from '../../harness/fakeDagsterWebserver';
import { deploymentError } from './deploymentTestServer';

const NOW = Date.UTC(2026, 11, 7, 12);

async function withRemote(
  options: FakeDagsterWebserverOptions & { token?: string; timeoutMs?: number; store?: StateStore },
  body: (remote: RemoteBackfills, store: StateStore, deployment: DagsterDeployment, server: FakeDagsterWebserver) => Promise<void>,
): Promise<void> {
  const server = await startFakeDagsterWebserver(options);
  const store = options.store ?? new InMemoryStateStore(() => NOW);
  try {
    const remote = new RemoteBackfills({
      store: async () => store, token: async () => options.token, origin: 'cli', now: () => NOW,
      ...(options.timeoutMs ? { clientOptions: { timeoutMs: options.timeoutMs } } : {}),
    });
    await body(remote, store, { name: 'prod', url: server.url, kind: 'oss' }, server);
    assert.deepEqual(server.requests.filter((r) => r.status === 400).map((r) => r.query), [], 'a request the schema rejects');
    assert.deepEqual(server.requests.flatMap((r) => r.unmatched), [], 'a request no exchange answers');
  } finally {
    await server.close();
  }
}

const labelOf = (r: Parameters<typeof recordBulkActionStatus>[0]): string => backfillStatusLabel(recordBulkActionStatus(r)).label;

describe('RemoteBackfills on the recorded Dagster 1.2 webserver', () => {
  test('a job backfill is recorded after the launch succeeds and follows the server to COMPLETED with its runs ended', () => withRemote({ fixtures: '1.2', only: ['01_', '03_', '10_', '11_'] }, async (remote, store, deployment, server) => {
    const plan = await remote.planJob(deployment, { jobName: 'do_stuff_partitioned', partitionNames: ['2026-11-01', '2026-11-02', '2026-11-03'], locationName: 'defs.py' });
    assert.deepEqual(store.listBackfills(), [], 'planning records nothing');
    const record = await remote.launch(deployment, plan, { targets: ['do_stuff_partitioned'], partitionCount: 3, selection: '2026-11-01...2026-11-03' });
    assert.match(record.id, /^[a-z]{8}$/);
    assert.deepEqual(store.getBackfill(record.id)?.remote, { deployment: 'prod', url: server.url, kind: 'oss', backfillId: 'cikfincq', backfillKind: 'job', status: 'REQUESTED', checkedAt: NOW });
    assert.deepEqual([store.getBackfill(record.id)?.status, store.getBackfill(record.id)?.origin, store.listRuns(record.id)], ['REQUESTED', 'cli', []]);
    const seen: string[] = [];
    for (let i = 0; i < 6; i++) {
      const { record: r, remote: b } = await remote.refresh(record.id);
      seen.push(`${b.status}/${r.status}/${labelOf(r)}`);
    }
    // Poll 5: COMPLETED (runs submitted) while the runs still run: in progress here, not Success.
    assert.deepEqual(seen.slice(3), ['REQUESTED/REQUESTED/In progress', 'COMPLETED/REQUESTED/In progress', 'COMPLETED/COMPLETED_SUCCESS/Success']);
    const stored = store.getBackfill(record.id)!;
    assert.equal(stored.remote?.status, 'COMPLETED');
    assert.ok(stored.endedAt !== null && stored.endedAt < NOW, 'ended when its last run ended, by the server');
    const launch = server.requests.find((r) => r.operationName === 'BackfillStudioLaunchPartitionBackfill');
    assert.deepEqual(launch?.variables, { backfillParams: { selector: { partitionSetName: 'do_stuff_partitioned_partition_set', repositorySelector: { repositoryName: '__repository__', repositoryLocationName: 'defs.py' } }, partitionNames: ['2026-11-01', '2026-11-02', '2026-11-03'] } });
  }));

  test('a 1.2 asset backfill COMPLETED with failed runs reads Failed (COMPLETED_FAILED)', () => withRemote({ fixtures: '1.2', only: ['01_', '30_', '31_', '96_', '98_'] }, async (remote, store, deployment) => {
    const plan = await remote.planAsset(deployment, { assetKeys: [['raw_events'], ['broken_events']], partitionNames: ['2026-11-04', '2026-11-05', '2026-11-06'] });
    const record = await remote.launch(deployment, plan, { targets: ['raw_events', 'broken_events'], partitionCount: 3, selection: '2026-11-04...2026-11-06' });
    let last = record;
    for (let i = 0; i < 5; i++) last = (await remote.refresh(record.id)).record;
    assert.deepEqual([last.remote?.status, last.status, labelOf(last)], ['COMPLETED', 'COMPLETED_FAILED', 'Failed']);
    assert.equal(store.getBackfill(record.id)?.status, 'COMPLETED_FAILED');
  }));

  test('cancel reaches cancelPartitionBackfill and the record reads what the server says after it', () => withRemote({ fixtures: '1.2', only: ['01_', '03_', '40_', '41_', '42_', '43_'] }, async (remote, store, deployment, server) => {
    const names = (loadRecordedExchanges('1.2', ['40_'])[0].request.variables!.backfillParams as { partitionNames: string[] }).partitionNames;
    const record = await remote.launch(deployment, await remote.planJob(deployment, { jobName: 'do_stuff_partitioned', partitionNames: names }), { targets: ['do_stuff_partitioned'], partitionCount: names.length, selection: 'some' });
    assert.equal((await remote.refresh(record.id)).record.status, 'REQUESTED');
    const canceled = await remote.cancel(record.id);
    // 1.2 says CANCELED at once while two runs still run: canceling here until they end.
    assert.deepEqual([canceled.remote?.status, canceled.status], ['CANCELED', 'CANCELING']);
    const cancel = server.requests.find((r) => r.operationName === 'BackfillStudioCancelPartitionBackfill');
    assert.deepEqual(cancel?.variables, { backfillId: 'eltehngp' });
    let last = canceled;
    for (let i = 0; i < 3; i++) last = (await remote.refresh(record.id)).record;
    assert.deepEqual([last.status, labelOf(last)], ['CANCELED', 'Canceled']);
    await assert.rejects(remote.cancel(record.id), /backfill \w+ already ended on deployment prod \(CANCELED\); there is nothing to cancel/);
    assert.equal(server.requests.filter((r) => r.operationName === 'BackfillStudioCancelPartitionBackfill').length, 1);
    assert.equal(store.listBackfills().length, 1);
  }));

  test('a FAILED backfill keeps its error; resume reaches resumePartitionBackfill and clears it', () => withRemote({ fixtures: '1.2', only: ['01_', '03_', '60_', '61_', '62_', '63_'] }, async (remote, store, deployment, server) => {
    const record = await remote.launch(deployment, await remote.planJob(deployment, { jobName: 'do_stuff_partitioned', partitionNames: ['2026-11-15', '2026-11-16', '2026-11-17'] }), { targets: ['do_stuff_partitioned'], partitionCount: 3, selection: 's' });
    await remote.refresh(record.id);
    const failed = (await remote.refresh(record.id)).record;
    assert.equal(failed.status, 'FAILED');
    assert.match(store.getBackfill(record.id)?.error ?? '', /PartitionExecutionError/);
    const resumed = await remote.resume(record.id);
    assert.deepEqual(server.requests.find((r) => r.operationName === 'BackfillStudioResumePartitionBackfill')?.variables, { backfillId: 'xneacech' });
    assert.deepEqual([resumed.status, resumed.endedAt, resumed.error], ['REQUESTED', null, undefined]);
    assert.equal(store.getBackfill(record.id)?.error, undefined);
  }));
});

describe('RemoteBackfills on a newer Dagster webserver', () => {
  test('FAILING reads Failing while in progress, COMPLETED_FAILED Failed; re-execute from failure makes a linked record', () => withRemote({ fixtures: 'newer', only: ['01_', '10_', '11_', '12_', '13_', '96_', '98_'] }, async (remote, store, deployment, server) => {
    const plan = await remote.planAsset(deployment, {
      assetKeys: [['orders'], ['order_items']], partitionNames: ['2026-11-01', '2026-11-02', '2026-11-03'],
      ranges: [{ assetKey: ['orders'], start: '2026-11-01', end: '2026-11-03' }, { assetKey: ['order_items'], start: '2026-11-01', end: '2026-11-03' }],
      tags: { team: 'data' }, title: 'Orders November', description: 'Re-run after the upstream fix',
    });
    const record = await remote.launch(deployment, plan, { targets: ['orders', 'order_items'], partitionCount: 3, selection: '2026-11-01...2026-11-03', tags: { team: 'data' } });
    assert.deepEqual(store.getBackfill(record.id)?.tags, { team: 'data' });
    await assert.rejects(remote.reexecute(record.id, 'FROM_FAILURE'), /Cannot re-execute backfill \w+ because it is still in progress on deployment prod/);
    const failing = (await remote.refresh(record.id)).record;
    assert.deepEqual([failing.remote?.status, failing.status, labelOf(failing)], ['FAILING', 'REQUESTED', 'Failing']);
    const again = await remote.reexecute(record.id, 'FROM_FAILURE');
    assert.equal(store.getBackfill(record.id)?.status, 'COMPLETED_FAILED');
    assert.deepEqual([again.parentId, again.remote?.backfillId, again.targets, again.status], [record.id, 'nwrexec1', ['orders', 'order_items'], 'REQUESTED']);
    assert.deepEqual(server.requests.find((r) => r.operationName === 'BackfillStudioReexecutePartitionBackfill')?.variables, { reexecutionParams: { parentRunId: 'nwasbkfl', strategy: 'FROM_FAILURE' } });
    const rerun = await remote.refresh(again.id);
    assert.deepEqual([rerun.record.status, labelOf(rerun.record)], ['COMPLETED_SUCCESS', 'Success']);
    assert.equal(store.listBackfills().length, 2);
  }));

  test('cancel through CANCELING to CANCELED, then resume', () => withRemote({ fixtures: 'newer', only: ['01_', '03_', '3'] }, async (remote, _store, deployment, server) => {
    const record = await remote.launch(deployment, await remote.planJob(deployment, { jobName: 'orders_job', partitionNames: ['2026-11-10', '2026-11-11', '2026-11-12', '2026-11-13', '2026-11-14'] }), { targets: ['orders_job'], partitionCount: 5, selection: 's' });
    assert.equal((await remote.refresh(record.id)).record.status, 'REQUESTED');
    const canceling = await remote.cancel(record.id);
    assert.deepEqual([canceling.remote?.status, canceling.status, labelOf(canceling)], ['CANCELING', 'CANCELING', 'Canceling']);
    assert.equal((await remote.refresh(record.id)).record.status, 'CANCELED');
    const resumed = await remote.resume(record.id);
    assert.deepEqual([resumed.remote?.status, resumed.status, resumed.endedAt], ['REQUESTED', 'REQUESTED', null]);
    assert.deepEqual(server.requests.map((r) => r.operationName).filter((n) => /Cancel|Resume/.test(n ?? '')), ['BackfillStudioCancelPartitionBackfill', 'BackfillStudioResumePartitionBackfill']);
  }));

  test('an UnauthorizedError launch records nothing', () => withRemote({ fixtures: 'newer', only: ['01_', '71_', '97_'] }, async (remote, store, deployment) => {
    const plan = await remote.planAsset(deployment, { assetKeys: [['regions']], partitionNames: ['us'] });
    const refused = await deploymentError(remote.launch(deployment, plan, { targets: ['regions'], partitionCount: 1, selection: 'us' }));
    assert.equal(refused.kind, 'refused');
    assert.deepEqual(store.listBackfills(), []);
  }));

  test('a timeout, a 401, a 500 PythonError and a closed port record nothing', async () => {
    await withRemote({ fixtures: 'newer', only: ['01_', '20_', '03_'], timeoutMs: 300 }, async (remote, store, deployment, server) => {
      const plan = await remote.planJob(deployment, { jobName: 'orders_job', partitionNames: ['2026-11-01', '2026-11-02'], tags: { team: 'data' }, title: 'Orders job backfill' });
      server.respondNext('hang');
      assert.equal((await deploymentError(remote.launch(deployment, plan, { targets: ['orders_job'], partitionCount: 2, selection: 's' }))).kind, 'timeout');
      server.respondNext('python-error-500');
      assert.equal((await deploymentError(remote.launch(deployment, plan, { targets: ['orders_job'], partitionCount: 2, selection: 's' }))).kind, 'python-error');
      assert.deepEqual(store.listBackfills(), []);
    });
    await withRemote({ fixtures: 'newer', only: ['01_'], requireToken: 'right' , token: 'wrong' }, async (remote, store, deployment) => {
      const error = await deploymentError(remote.planAsset(deployment, { assetKeys: [['orders']], partitionNames: ['2026-11-01'] }));
      assert.deepEqual([error.kind, store.listBackfills()], ['unauthorized', []]);
    });
    const store = new InMemoryStateStore();
    const remote = new RemoteBackfills({ store: async () => store, token: async () => undefined, origin: 'extension' });
    const closed: DagsterDeployment = { name: 'gone', url: `http://127.0.0.1:${await closedLoopbackPort()}`, kind: 'oss' };
    const error = await deploymentError(remote.launch(closed, { backfillParams: { assetSelection: [{ path: ['a'] }], partitionNames: ['x'] }, notSent: [] }, { targets: ['a'], partitionCount: 1, selection: 'x' }));
    assert.deepEqual([error.kind, error.deployment, store.listBackfills()], ['unreachable', 'gone', []]);
  });

  test('the token is sent as Dagster-Cloud-Api-Token and never reaches the state file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-remote-token-'));
    const token = 'user:token-Zq8x7Yv6Wu5T';
    const store = await openStateStore({ path: path.join(dir, 'state.sqlite'), owner: 'token test' });
    try {
      await withRemote({ fixtures: 'newer', only: ['01_', '03_', '20_', '21_'], requireToken: token, token, store }, async (remote, _s, deployment, server) => {
        const cloud = { ...deployment, kind: 'dagster-plus' as const };
        const record = await remote.launch(cloud, await remote.planJob(cloud, { jobName: 'orders_job', partitionNames: ['2026-11-01', '2026-11-02'], tags: { team: 'data' }, title: 'Orders job backfill' }), { targets: ['orders_job'], partitionCount: 2, selection: 's' });
        await remote.refresh(record.id);
        assert.deepEqual([...new Set(server.requests.map((r) => r.token))], [token]);
        assert.equal(JSON.stringify(store.getBackfill(record.id)).includes(token), false);
      });
      await store.flush();
    } finally {
      await store.close();
    }
    const files = fs.readdirSync(dir);
    assert.ok(files.length > 0);
    for (const f of files) assert.equal(fs.readFileSync(path.join(dir, f)).includes(token), false, `${f} holds the token`);
  });
});

describe('localBackfillStatus', () => {
  const b = (status: RemoteBackfill['status'], runs: string[] = [], extra: Partial<RemoteBackfill> = {}): RemoteBackfill => ({
    backfillId: 'x', status, kind: 'job', timestamp: 0, partitionNames: null, numPartitions: null, numCancelable: 0, fromFailure: false,
    assetSelection: [], tags: {}, partitionStatusCounts: [], hasCancelPermission: true, hasResumePermission: true,
    runs: runs.map((s, i) => ({ runId: `r${i}`, status: s as 'SUCCESS', jobName: 'j' })), ...extra,
  });
  test('maps every BulkActionStatus, judging a 1.2 COMPLETED by its runs', () => {
    assert.deepEqual([
      b('REQUESTED'), b('FAILING', ['FAILURE', 'STARTED']), b('CANCELING'), b('CANCELED', ['STARTED']), b('CANCELED', ['SUCCESS']),
      b('FAILED'), b('COMPLETED', ['STARTED']), b('COMPLETED', ['SUCCESS']), b('COMPLETED', ['SUCCESS', 'FAILURE']),
      b('COMPLETED', [], { partitionStatuses: [{ partitionName: 'p' }] }), b('COMPLETED_SUCCESS'), b('COMPLETED_FAILED'),
    ].map(localBackfillStatus), [
      'REQUESTED', 'REQUESTED', 'CANCELING', 'CANCELING', 'CANCELED', 'FAILED', 'REQUESTED', 'COMPLETED_SUCCESS', 'COMPLETED_FAILED',
      'COMPLETED_FAILED', 'COMPLETED_SUCCESS', 'COMPLETED_FAILED',
    ]);
  });
});
