// The deployment client against a newer (1.9-era) Dagster webserver: what it detects, ranges and titles sent,
// the newer statuses and per-asset counts followed, cancel through CANCELING, reexecutePartitionBackfill, errors.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isBackfillSettled, partitionsWithoutRun, type RemoteBackfill } from '../../../src/core/deployment/remoteBackfill';
import type { DeploymentBackfills } from '../../../src/core/deployment/deploymentBackfills';
import { deploymentError, withDeployment } from './deploymentTestServer';

async function pollStatuses(backfills: DeploymentBackfills, id: string, polls: number): Promise<RemoteBackfill[]> {
  const seen: RemoteBackfill[] = [];
  for (let i = 0; i < polls; i++) seen.push(await backfills.getBackfill(id));
  return seen;
}

describe('newer Dagster deployment (authored)', () => {
  test('capabilities: id, eight statuses, reexecutePartitionBackfill, ranges, titles, asset data, BackfillNotFoundError', () => withDeployment({ fixtures: 'newer', only: ['01_'] }, async (backfills) => {
    const caps = await backfills.serverCapabilities();
    assert.equal(caps.version, '1.9.3');
    assert.equal(caps.backfillIdField, 'id');
    assert.deepEqual([...caps.bulkActionStatuses].sort(), ['CANCELED', 'CANCELING', 'COMPLETED', 'COMPLETED_FAILED', 'COMPLETED_SUCCESS', 'FAILED', 'FAILING', 'REQUESTED']);
    assert.deepEqual([caps.reexecutePartitionBackfill, caps.partitionsByAssets, caps.titleAndDescription, caps.assetBackfillData, caps.backfillNotFoundError, caps.materializing], [true, true, true, true, true, true]);
    assert.deepEqual(caps.partitionStatusTypes, { time: 'TimePartitionStatuses', default: 'DefaultPartitionStatuses', multi: 'MultiPartitionStatuses' });
  }));

  test('locations with a load error; a job in two locations is ambiguous until the location is given', () => withDeployment({ fixtures: 'newer', only: ['01_', '02_', '03_'] }, async (backfills) => {
    const locations = await backfills.listCodeLocations();
    assert.deepEqual(locations.map((l) => [l.name, l.repositories, l.loadError ?? null]), [['analytics', ['__repository__'], null], ['marketing', ['__repository__'], null], ['ingest', [], "ModuleNotFoundError: No module named 'ingest_defs'"]]);
    const ambiguous = await deploymentError(backfills.planJobBackfill({ jobName: 'daily_rollup', partitionNames: ['2026-11-01'] }));
    assert.equal(ambiguous.kind, 'ambiguous');
    assert.match(ambiguous.message, /job "daily_rollup" is in several places: location "analytics" repository "__repository__"; location "marketing" repository "__repository__"\. Choose the location to launch in\./);
    const plan = await backfills.planJobBackfill({ jobName: 'daily_rollup', partitionNames: ['2026-11-01'], locationName: 'marketing' });
    assert.deepEqual(plan.backfillParams.selector, { partitionSetName: 'daily_rollup_partition_set', repositorySelector: { repositoryName: '__repository__', repositoryLocationName: 'marketing' } });
    const moved = await backfills.planJobBackfill({ jobName: 'orders_job', partitionNames: ['2026-11-01'], locationName: 'orders.py' });
    assert.match(moved.location?.explanation ?? '', /job "orders_job" in location "analytics", repository "__repository__", partition set "orders_job_partition_set" \(the workspace has it in "orders\.py"; the deployment has it only here\)/);
  }));

  test('asset backfill by ranges with tags, title and description; FAILING then COMPLETED_FAILED with per-asset counts; re-executed from failure', () => withDeployment({ fixtures: 'newer', only: ['01_', '10_', '11_', '12_', '13_', '96_', '98_'] }, async (backfills, server) => {
    const launched = await backfills.launchAssetBackfill({
      assetKeys: [['orders'], ['order_items']], partitionNames: ['2026-11-01', '2026-11-02', '2026-11-03'],
      ranges: [{ assetKey: ['orders'], start: '2026-11-01', end: '2026-11-03' }, { assetKey: ['order_items'], start: '2026-11-01', end: '2026-11-03' }],
      tags: { team: 'data' }, title: 'Orders November', description: 'Re-run after the upstream fix',
    });
    assert.equal(launched.backfillId, 'nwasbkfl');
    assert.deepEqual(launched.notSent, []);
    assert.equal('partitionNames' in launched.backfillParams, false);
    const [first, failing, done] = await pollStatuses(backfills, 'nwasbkfl', 3);
    assert.deepEqual([first.status, failing.status, done.status], ['REQUESTED', 'FAILING', 'COMPLETED_FAILED']);
    assert.equal(isBackfillSettled(failing), false);
    assert.equal(isBackfillSettled(done), true);
    assert.deepEqual([done.kind, done.title, done.description, done.tags], ['asset', 'Orders November', 'Re-run after the upstream fix', { team: 'data' }]);
    assert.deepEqual(done.assetStatuses, [
      { kind: 'partitioned', assetKey: ['orders'], targeted: 3, inProgress: 0, materialized: 2, failed: 1 },
      { kind: 'partitioned', assetKey: ['order_items'], targeted: 3, inProgress: 0, materialized: 2, failed: 1 },
    ]);
    assert.deepEqual(done.runs?.map((r) => [r.partitionKey, r.status]), [['2026-11-01', 'SUCCESS'], ['2026-11-02', 'FAILURE'], ['2026-11-03', 'SUCCESS']]);
    const again = await backfills.reexecuteBackfill('nwasbkfl', 'FROM_FAILURE');
    assert.deepEqual([again.method, again.backfillId], ['reexecutePartitionBackfill', 'nwrexec1']);
    const rerun = await backfills.getBackfill('nwrexec1');
    assert.deepEqual([rerun.status, rerun.fromFailure], ['COMPLETED_SUCCESS', true]);
    // The launch carried the ranges as Dagster's PartitionsByAssetSelector, not names.
    const launch = server.requests.find((r) => r.operationName === 'BackfillStudioLaunchPartitionBackfill');
    assert.deepEqual((launch?.variables.backfillParams as { partitionsByAssets: unknown[] }).partitionsByAssets[0], { assetKey: { path: ['orders'] }, partitions: { range: { start: '2026-11-01', end: '2026-11-03' } } });
  }));

  test('job backfill with tags and a title, REQUESTED then COMPLETED_SUCCESS', () => withDeployment({ fixtures: 'newer', only: ['01_', '03_', '20_', '21_'] }, async (backfills) => {
    const launched = await backfills.launchJobBackfill({ jobName: 'orders_job', partitionNames: ['2026-11-01', '2026-11-02'], tags: { team: 'data' }, title: 'Orders job backfill' });
    assert.equal(launched.backfillId, 'nwjobbkf');
    const [running, done] = await pollStatuses(backfills, 'nwjobbkf', 2);
    assert.deepEqual(running.runs?.map((r) => r.status), ['STARTED', 'QUEUED']);
    assert.equal(done.status, 'COMPLETED_SUCCESS');
    assert.deepEqual(done.partitionStatusCounts, [{ runStatus: 'SUCCESS', count: 2 }]);
    assert.deepEqual(partitionsWithoutRun(done), []);
  }));

  test('cancel goes through CANCELING to CANCELED; resume asks again', () => withDeployment({ fixtures: 'newer', only: ['01_', '03_', '3'] }, async (backfills) => {
    const { backfillId } = await backfills.launchJobBackfill({ jobName: 'orders_job', partitionNames: ['2026-11-10', '2026-11-11', '2026-11-12', '2026-11-13', '2026-11-14'] });
    assert.equal((await backfills.getBackfill(backfillId)).status, 'REQUESTED');
    await backfills.cancelBackfill(backfillId);
    const [canceling, canceled] = await pollStatuses(backfills, backfillId, 2);
    assert.deepEqual([canceling.status, isBackfillSettled(canceling), canceled.status, isBackfillSettled(canceled)], ['CANCELING', false, 'CANCELED', true]);
    assert.deepEqual(canceled.runs?.map((r) => r.status), ['CANCELED']);
    await backfills.resumeBackfill(backfillId);
    assert.equal((await backfills.getBackfill(backfillId)).status, 'REQUESTED');
  }));

  test('errors: BackfillNotFoundError, UnauthorizedError on launch (nothing launched)', () => withDeployment({ fixtures: 'newer', only: ['01_', '70_', '71_', '97_'] }, async (backfills) => {
    const missing = await deploymentError(backfills.getBackfill('nosuchid'));
    assert.equal(missing.kind, 'not-found');
    assert.match(missing.message, /no backfill with id "nosuchid"/);
    const refused = await deploymentError(backfills.launchAssetBackfill({ assetKeys: [['regions']], partitionNames: ['us'] }));
    assert.equal(refused.kind, 'refused');
    assert.match(refused.message, /not allowed to launch the backfill: Authorization failed: Viewer role may not launch_partition_backfill in location analytics .*Nothing was launched\./);
  }));

  test('per-partition statuses are asked for job backfills only: an unseen id is read, then read again as a job backfill', () => withDeployment({ fixtures: 'newer', only: ['01_', '21_', '11_asset_backfill_poll3'] }, async (backfills, server) => {
    const job = await backfills.getBackfill('nwjobbkf');
    assert.deepEqual(job.partitionStatuses?.map((p) => p.runStatus), ['SUCCESS', 'SUCCESS']);
    const asset = await backfills.getBackfill('nwasbkfl');
    assert.equal(asset.partitionStatuses, undefined);
    assert.deepEqual(server.requests.filter((r) => r.operationName === 'BackfillStudioPartitionBackfill').map((r) => [r.variables.backfillId, r.variables.jobBackfill]),
      [['nwjobbkf', false], ['nwjobbkf', true], ['nwasbkfl', false]]);
    assert.match(server.requests[server.requests.length - 1].query, /partitionStatuses @include\(if: \$jobBackfill\)/);
  }));

  test('lists, with a newer status as filter', () => withDeployment({ fixtures: 'newer', only: ['01_', '90_', '91_'] }, async (backfills) => {
    const all = await backfills.listBackfills({ limit: 10 });
    assert.deepEqual(all.map((b) => [b.backfillId, b.status, b.kind]), [['nwcancel', 'CANCELED', 'job'], ['nwjobbkf', 'COMPLETED_SUCCESS', 'job'], ['nwasbkfl', 'COMPLETED_FAILED', 'asset']]);
    assert.deepEqual((await backfills.listBackfills({ status: 'COMPLETED_FAILED' })).map((b) => b.title), ['Orders November']);
  }));

  test('partition statuses: time ranges with MATERIALIZING, static keys', () => withDeployment({ fixtures: 'newer', only: ['01_', '96_', '97_'] }, async (backfills) => {
    const orders = await backfills.assetPartitionStatuses(['orders']);
    assert.deepEqual(orders.statuses, { kind: 'time', ranges: [{ status: 'MATERIALIZED', startKey: '2026-11-01', endKey: '2026-11-03' }, { status: 'MATERIALIZING', startKey: '2026-11-05', endKey: '2026-11-05' }] });
    assert.equal(orders.stats?.numMaterializing, 0);
    assert.deepEqual((await backfills.assetPartitionStatuses(['regions'])).statuses, { kind: 'keys', materialized: ['us'], failed: ['eu'], unmaterialized: [], materializing: ['apac'] });
  }));
});

describe('partition keys checked against the deployment', () => {
  test('a range end the deployment does not have is refused before launch', () => withDeployment({ fixtures: 'newer', only: ['01_', '96_'] }, async (backfills, server) => {
    const e = await deploymentError(backfills.launchAssetBackfill({ assetKeys: [['orders']], partitionNames: [], ranges: [{ assetKey: ['orders'], start: '2026-11-01', end: '2026-12-31' }] }));
    assert.match(e.message, /asset "orders" has no partition "2026-12-31" on the deployment \(its partitions: 2026-11-01 … 2026-11-07 \(7\)\)/);
    assert.equal(server.requests.some((r) => r.operationName === 'BackfillStudioLaunchPartitionBackfill'), false);
  }));
});
