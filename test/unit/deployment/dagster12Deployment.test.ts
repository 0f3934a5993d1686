// The deployment client against the recorded Dagster 1.2 webserver: capabilities, definitions, launch, follow,
// cancel, resume, re-execute, lists, partition statuses, each sent as the real schema accepts it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { dagsterRunUrl } from '../../../src/core/deployment/dagsterGraphqlClient';
import { chooseJobPartitionSet } from '../../../src/core/deployment/deploymentDefinitions';
import { isBackfillSettled, partitionsWithoutRun, type RemoteBackfill } from '../../../src/core/deployment/remoteBackfill';
import type { DeploymentBackfills } from '../../../src/core/deployment/deploymentBackfills';
import { deploymentError, withDeployment } from './deploymentTestServer';

const DO_STUFF_SELECTOR = { partitionSetName: 'do_stuff_partitioned_partition_set', repositorySelector: { repositoryName: '__repository__', repositoryLocationName: 'defs.py' } };

/** Polls as a follower would (no sleeps: each recorded poll is the next answer) until the backfill settles. */
async function followToEnd(backfills: DeploymentBackfills, id: string, maxPolls: number): Promise<RemoteBackfill[]> {
  const seen: RemoteBackfill[] = [];
  for (let i = 0; i < maxPolls; i++) {
    const b = await backfills.getBackfill(id);
    seen.push(b);
    if (isBackfillSettled(b)) return seen;
  }
  assert.fail(`backfill ${id} did not settle in ${maxPolls} polls: ${seen.map((b) => b.status).join(', ')}`);
}

describe('Dagster 1.2 deployment (recorded)', () => {
  test('capabilities: the 1.2 schema has backfillId, four statuses, no re-execute mutation, no ranges or titles', () => withDeployment({ fixtures: '1.2', only: ['01_'] }, async (backfills) => {
    const caps = await backfills.serverCapabilities();
    assert.equal(caps.version, '1!0+dev');
    assert.equal(caps.backfillIdField, 'backfillId');
    assert.deepEqual(caps.bulkActionStatuses, ['REQUESTED', 'COMPLETED', 'FAILED', 'CANCELED']);
    assert.equal(caps.reexecutePartitionBackfill, false);
    assert.equal(caps.partitionsByAssets, false);
    assert.equal(caps.titleAndDescription, false);
    assert.equal(caps.assetBackfillData, false);
    assert.equal(caps.backfillNotFoundError, false);
    assert.deepEqual(caps.partitionStatusTypes, { time: 'TimePartitions', default: 'DefaultPartitions', multi: 'MultiPartitions' });
    assert.equal(caps.launchParams.has('tags'), true);
  }));

  test('locations, repositories and the job partition set chosen with its location named', () => withDeployment({ fixtures: '1.2', only: ['02_', '03_'] }, async (backfills) => {
    assert.deepEqual(await backfills.listCodeLocations(), [{ name: 'defs.py', loadStatus: 'LOADED', repositories: ['__repository__'] }]);
    const repositories = await backfills.listRepositories();
    assert.deepEqual(repositories.map((r) => [r.locationName, r.name, r.partitionSets.map((s) => s.name)]), [['defs.py', '__repository__', ['__ASSET_JOB_0_partition_set', '__ASSET_JOB_1_partition_set', 'do_stuff_partitioned_partition_set']]]);
    assert.deepEqual(repositories[0].assetNodes.map((a) => a.assetKey.join('/')).sort(), ['broken_events', 'events', 'raw_events', 'regions']);
    const choice = chooseJobPartitionSet(backfills.client, repositories, 'do_stuff_partitioned', 'defs.py');
    assert.deepEqual(choice.selector, DO_STUFF_SELECTOR);
    assert.match(choice.explanation, /job "do_stuff_partitioned" in location "defs.py", repository "__repository__"/);
    assert.match((await deploymentError(Promise.resolve().then(() => chooseJobPartitionSet(backfills.client, repositories, 'nightly')))).message,
      /Dagster deployment "prod" .*: no job "nightly" in any code location \("defs.py"\)/);
    assert.match((await deploymentError(Promise.resolve().then(() => chooseJobPartitionSet(backfills.client, [...repositories, { ...repositories[0], locationName: 'other.py' }], 'do_stuff_partitioned')))).message,
      /job "do_stuff_partitioned" is in several places: location "defs.py" repository "__repository__"; location "other.py"/);
  }));

  test('a job backfill is launched with the partition set selector and followed to its runs', () => withDeployment({ fixtures: '1.2', only: ['01_', '03_', '10_', '11_'] }, async (backfills, server) => {
    const launched = await backfills.launchJobBackfill({ jobName: 'do_stuff_partitioned', partitionNames: ['2026-11-01', '2026-11-02', '2026-11-03'], locationName: 'defs.py' });
    assert.equal(launched.backfillId, 'cikfincq');
    assert.equal(launched.launchedRunIds, null);
    assert.deepEqual(launched.backfillParams, { selector: DO_STUFF_SELECTOR, partitionNames: ['2026-11-01', '2026-11-02', '2026-11-03'] });
    assert.match(launched.location?.explanation ?? '', /location "defs.py"/);
    const polls = await followToEnd(backfills, 'cikfincq', 6);
    // 1.2 says COMPLETED once the runs are submitted; settled only when they have finished too.
    assert.ok(polls.some((b) => b.status === 'COMPLETED' && !isBackfillSettled(b)));
    const last = polls[polls.length - 1];
    assert.equal(last.kind, 'job');
    assert.deepEqual(last.partitionSet, { name: 'do_stuff_partitioned_partition_set', jobName: 'do_stuff_partitioned', repositoryName: '__repository__', locationName: 'defs.py' });
    assert.deepEqual(last.runs?.map((r) => [r.partitionKey, r.status]).sort(), [['2026-11-01', 'SUCCESS'], ['2026-11-02', 'SUCCESS'], ['2026-11-03', 'SUCCESS']]);
    assert.deepEqual(last.partitionStatusCounts, [{ runStatus: 'SUCCESS', count: 3 }]);
    assert.equal(dagsterRunUrl(backfills.deployment, last.runs![0].runId), `${server.url}/runs/046b2f72-b669-4650-89b0-c1c29ea97056`);
  }));

  test('an asset backfill: ranges and a title are not sent to 1.2 (names instead, title reported as not sent)', () => withDeployment({ fixtures: '1.2', only: ['01_', '20_', '21_', '96_', '97_'] }, async (backfills) => {
    const launched = await backfills.launchAssetBackfill({
      assetKeys: [['raw_events'], ['events']], partitionNames: ['2026-11-01', '2026-11-02', '2026-11-03'], title: 'November fix',
      ranges: [{ assetKey: ['raw_events'], start: '2026-11-01', end: '2026-11-03' }, { assetKey: ['events'], start: '2026-11-01', end: '2026-11-03' }],
    });
    assert.equal(launched.backfillId, 'xizjnauj');
    assert.deepEqual(launched.notSent, ['title']);
    assert.deepEqual(launched.backfillParams, { assetSelection: [{ path: ['raw_events'] }, { path: ['events'] }], partitionNames: ['2026-11-01', '2026-11-02', '2026-11-03'] });
    const polls = await followToEnd(backfills, 'xizjnauj', 5);
    const last = polls[polls.length - 1];
    assert.equal(last.kind, 'asset');
    assert.deepEqual(last.assetSelection, [['raw_events'], ['events']]);
    assert.equal(last.status, 'COMPLETED');
    assert.equal(last.assetStatuses, undefined);
  }));

  test('a failing asset backfill is COMPLETED with its runs FAILURE (1.2 has no COMPLETED_FAILED)', () => withDeployment({ fixtures: '1.2', only: ['01_', '30_', '31_', '96_', '98_'] }, async (backfills) => {
    await backfills.launchAssetBackfill({ assetKeys: [['raw_events'], ['broken_events']], partitionNames: ['2026-11-04', '2026-11-05', '2026-11-06'] });
    const polls = await followToEnd(backfills, 'mizzwwiq', 5);
    assert.deepEqual(polls[polls.length - 1].partitionStatusCounts, [{ runStatus: 'FAILURE', count: 3 }]);
  }));

  test('cancel stops a job backfill: CANCELED, runs already submitted kept', () => withDeployment({ fixtures: '1.2', only: ['01_', '03_', '40_', '41_', '42_', '43_'] }, async (backfills) => {
    const { backfillId } = await backfills.launchJobBackfill({ jobName: 'do_stuff_partitioned', partitionNames: ['2026-11-05', '2026-11-06', '2026-11-07', '2026-11-08', '2026-11-09', '2026-11-10', '2026-11-11', '2026-11-12', '2026-11-13', '2026-11-14'] });
    assert.equal((await backfills.getBackfill(backfillId)).status, 'REQUESTED');
    await backfills.cancelBackfill(backfillId);
    const polls = await followToEnd(backfills, backfillId, 4);
    const last = polls[polls.length - 1];
    assert.equal(last.status, 'CANCELED');
    assert.deepEqual(partitionsWithoutRun(last), []);
  }));

  test('cancel of an asset backfill: 1.2 cannot, and says so through a masked PythonError', () => withDeployment({ fixtures: '1.2', only: ['01_', '50_', '51_', '52_', '99_'] }, async (backfills) => {
    await backfills.launchAssetBackfill({ assetKeys: [['regions']], partitionNames: ['us', 'eu', 'apac'] });
    const e = await deploymentError(backfills.cancelBackfill('obzveuif'));
    assert.equal(e.kind, 'refused');
    assert.match(e.message, /Dagster deployment "prod" .*: Dagster could not cancel backfill "obzveuif": .*does not exist or is an asset backfill \(it cannot cancel those\)\. Nothing changed\. \(Dagster: Exception: Permission cancel_partition_backfill was never checked during the request\)/);
    assert.equal((await followToEnd(backfills, 'obzveuif', 5)).pop()?.status, 'COMPLETED');
  }));

  test('resume a FAILED job backfill: the daemon error is shown, then it runs', () => withDeployment({ fixtures: '1.2', only: ['01_', '03_', '60_', '61_', '62_', '63_'] }, async (backfills) => {
    const { backfillId } = await backfills.launchJobBackfill({ jobName: 'do_stuff_partitioned', partitionNames: ['2026-11-15', '2026-11-16', '2026-11-17'] });
    const failed = await followToEnd(backfills, backfillId, 2);
    assert.equal(failed[failed.length - 1].status, 'FAILED');
    assert.match(failed[failed.length - 1].error?.message ?? '', /PartitionExecutionError: Error occurred during the partition config and tag generation for '2026-11-15'/);
    await backfills.resumeBackfill(backfillId);
    const resumed = await followToEnd(backfills, backfillId, 6);
    assert.deepEqual(resumed[resumed.length - 1].partitionStatusCounts, [{ runStatus: 'SUCCESS', count: 3 }]);
  }));

  test('re-execute from failure on 1.2 launches the job backfill again with fromFailure (no reexecute mutation there)', () => withDeployment({
    fixtures: '1.2', only: ['01_', '31_failing_asset_backfill_poll5', '11_job_backfill_poll6'],
    exchanges: [{
      name: 'authored: relaunch of cikfincq from failure',
      request: { query: 'mutation ($p: LaunchBackfillParams!) { launchPartitionBackfill(backfillParams: $p) { __typename } }', variables: { p: { selector: DO_STUFF_SELECTOR, partitionNames: ['2026-11-01', '2026-11-02', '2026-11-03'], fromFailure: true } } },
      http_status: 200, response: { data: { launchPartitionBackfill: { __typename: 'LaunchBackfillSuccess', backfillId: 'relaunch1', launchedRunIds: null } } },
    }, {
      name: 'authored: relaunch of the failed partitions of mizzwwiq',
      request: { query: 'mutation ($p: LaunchBackfillParams!) { launchPartitionBackfill(backfillParams: $p) { __typename } }', variables: { p: { assetSelection: [{ path: ['raw_events'] }, { path: ['broken_events'] }], partitionNames: ['2026-11-04', '2026-11-05', '2026-11-06'] } } },
      http_status: 200, response: { data: { launchPartitionBackfill: { __typename: 'LaunchBackfillSuccess', backfillId: 'relaunch2', launchedRunIds: null } } },
    }],
  }, async (backfills) => {
    const job = await backfills.reexecuteBackfill('cikfincq', 'FROM_FAILURE');
    assert.deepEqual([job.method, job.backfillId, job.backfillParams.fromFailure], ['launchPartitionBackfill', 'relaunch1', true]);
    const asset = await backfills.reexecuteBackfill('mizzwwiq', 'FROM_FAILURE');
    assert.deepEqual([asset.method, asset.backfillId], ['launchPartitionBackfill', 'relaunch2']);
  }));

  test('lists: all, by status, by page', () => withDeployment({ fixtures: '1.2', only: ['01_', '91_', '92_', '94_', '95_'] }, async (backfills) => {
    const all = await backfills.listBackfills();
    assert.equal(all[0].backfillId, 'kzliyowi');
    assert.ok(all.some((b) => b.kind === 'job' && b.partitionSet?.locationName === 'defs.py'));
    assert.ok((await backfills.listBackfills({ status: 'FAILED' })).every((b) => b.status === 'FAILED'));
    const page1 = await backfills.listBackfills({ limit: 3 });
    const page2 = await backfills.listBackfills({ limit: 3, cursor: page1[2].backfillId });
    assert.equal(page2.some((b) => page1.some((a) => a.backfillId === b.backfillId)), false);
    const e = await deploymentError(backfills.listBackfills({ status: 'COMPLETED_FAILED' }));
    assert.match(e.message, /has no backfill status COMPLETED_FAILED; it has REQUESTED, COMPLETED, FAILED, CANCELED/);
  }));

  test('partition statuses: time ranges, static key lists, unknown asset', () => withDeployment({ fixtures: '1.2', only: ['01_', '96_', '98_', '99_', '99b_'] }, async (backfills) => {
    const raw = await backfills.assetPartitionStatuses(['raw_events']);
    assert.deepEqual(raw.statuses, { kind: 'time', ranges: [{ status: 'MATERIALIZED', startKey: '2026-11-01', endKey: '2026-11-06' }] });
    assert.equal(raw.partitionKeysByDimension[0].partitionKeys.length, 23);
    assert.deepEqual((await backfills.assetPartitionStatuses(['broken_events'])).stats, { numMaterialized: 0, numPartitions: 23, numFailed: 3 });
    const regions = await backfills.assetPartitionStatuses(['regions']);
    assert.equal(regions.statuses.kind, 'keys');
    const e = await deploymentError(backfills.assetPartitionStatuses(['no_such_asset']));
    assert.match(e.message, /asset "no_such_asset" is not defined on the deployment \(Dagster: Asset key \["no_such_asset"\] not found\.\)/);
  }));
});
