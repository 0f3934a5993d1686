// The pure parts of the deployment client: partition keys checked per dimension, when a remote backfill is
// settled, and a job that is deployed but not partitioned.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DagsterGraphqlClient } from '../../../src/core/deployment/dagsterGraphqlClient';
import { chooseJobPartitionSet } from '../../../src/core/deployment/deploymentDefinitions';
import { unknownPartitionKeys, type DeploymentAssetPartitionStatuses } from '../../../src/core/deployment/deploymentPartitionStatuses';
import { isBackfillSettled, type RemoteBackfill } from '../../../src/core/deployment/remoteBackfill';

const statuses = (dims: string[][]): DeploymentAssetPartitionStatuses => ({
  assetKey: ['a'], partitionKeysByDimension: dims.map((keys, i) => ({ name: `d${i}`, partitionKeys: keys })), statuses: { kind: 'time', ranges: [] },
});

test('partition keys: one dimension by membership, several by each part in dimension order, none for unpartitioned', () => {
  assert.deepEqual(unknownPartitionKeys(statuses([['a', 'b']]), ['a', 'c']), ['c']);
  assert.deepEqual(unknownPartitionKeys(statuses([['2026-11-01'], ['eu', 'us']]), ['2026-11-01|us', '2026-11-01|apac', '2026-11-01', 'us|2026-11-01']), ['2026-11-01|apac', '2026-11-01', 'us|2026-11-01']);
  assert.deepEqual(unknownPartitionKeys(statuses([]), ['anything']), []);
});

test('settled: a terminal status with every known run finished', () => {
  const base = { status: 'COMPLETED', runs: [] } as unknown as RemoteBackfill;
  assert.equal(isBackfillSettled(base), true);
  assert.equal(isBackfillSettled({ ...base, runs: [{ runId: 'r', status: 'STARTED', jobName: 'j' }] }), false);
  assert.equal(isBackfillSettled({ ...base, status: 'CANCELING' }), false);
  assert.equal(isBackfillSettled({ ...base, status: 'FAILING' }), false);
  assert.equal(isBackfillSettled({ ...base, status: 'COMPLETED_FAILED', runs: [{ runId: 'r', status: 'FAILURE', jobName: 'j' }] }), true);
});

test('a deployed job without a partition set is named as not partitioned there', () => {
  const client = new DagsterGraphqlClient({ name: 'prod', url: 'http://127.0.0.1:1', kind: 'oss' });
  assert.throws(() => chooseJobPartitionSet(client, [{ name: '__repository__', locationName: 'defs.py', jobs: [{ name: 'nightly', isAssetJob: false }], partitionSets: [], assetNodes: [] }], 'nightly'),
    /Dagster deployment "prod" \(http:\/\/127\.0\.0\.1:1\): job "nightly" is in location "defs\.py" but has no partition set there: the deployed job is not partitioned\./);
});
