// A deployment's assetPartitionStatuses as the per-key statuses lenses and the partitions panel show, over the
// workspace's own keys: time ranges, key lists, multi-partitions, keys the deployment lacks, and the words used.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DeploymentAssetPartitionStatuses } from '../../../src/core/deployment/deploymentPartitionStatuses';
import {
  deploymentPartitionStatusMap, deploymentPartitionStatuses, deploymentStatusLensTitle, deploymentStatusSourceText,
} from '../../../src/core/deployment/deploymentStatusSource';
import { dailyPartitionsDefinition } from '../../../src/core/partitions/timeWindowSubclasses';
import { MultiPartitionsDefinition } from '../../../src/core/partitions/multiPartitionsDefinition';
import { StaticPartitionsDefinition } from '../../../src/core/partitions/staticPartitionsDefinition';
import { withDeployment } from './deploymentTestServer';

const days = (from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, i) => `2026-11-${String(from + i).padStart(2, '0')}`);
const entries = (m: ReadonlyMap<string, string>): [string, string][] => [...m.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1));

describe('deployment partition statuses as per-key statuses', () => {
  test('time ranges cover every key between their ends, in the deployment\'s key order; MATERIALIZING is in progress', () => {
    const answer: DeploymentAssetPartitionStatuses = {
      assetKey: ['orders'],
      partitionKeysByDimension: [{ name: 'default', partitionKeys: days(1, 7) }],
      statuses: { kind: 'time', ranges: [
        { startKey: '2026-11-01', endKey: '2026-11-03', status: 'MATERIALIZED' },
        { startKey: '2026-11-05', endKey: '2026-11-05', status: 'MATERIALIZING' },
        { startKey: '2026-11-06', endKey: '2026-11-07', status: 'FAILED' },
      ] },
    };
    // The workspace's definition has two more days than the deployment's (its code is newer or its clock later).
    const local = dailyPartitionsDefinition({ start_date: '2026-11-01' }).keys(new Date('2026-11-10T00:00:00Z'));
    assert.deepEqual(local, days(1, 9));
    const { statuses, notOnDeployment } = deploymentPartitionStatusMap(answer, local);
    assert.deepEqual(entries(statuses), [
      ['2026-11-01', 'MATERIALIZED'], ['2026-11-02', 'MATERIALIZED'], ['2026-11-03', 'MATERIALIZED'],
      ['2026-11-05', 'IN_PROGRESS'], ['2026-11-06', 'FAILED'], ['2026-11-07', 'FAILED'],
    ]);
    assert.equal(notOnDeployment, 2);
  });

  test('only the target\'s keys are kept: a key the workspace no longer defines is not counted', () => {
    const answer: DeploymentAssetPartitionStatuses = {
      assetKey: ['orders'],
      partitionKeysByDimension: [{ name: 'default', partitionKeys: days(1, 7) }],
      statuses: { kind: 'time', ranges: [{ startKey: '2026-11-01', endKey: '2026-11-07', status: 'MATERIALIZED' }] },
    };
    const { statuses, notOnDeployment } = deploymentPartitionStatusMap(answer, days(4, 7));
    assert.deepEqual([...statuses.keys()], days(4, 7));
    assert.equal(notOnDeployment, 0);
  });

  test('static key lists: materialized, failed, materializing; unmaterialized keys have no status', () => {
    const answer: DeploymentAssetPartitionStatuses = {
      assetKey: ['regions'],
      partitionKeysByDimension: [{ name: 'default', partitionKeys: ['us', 'eu', 'apac'] }],
      statuses: { kind: 'keys', materialized: ['us'], failed: ['eu'], unmaterialized: [], materializing: ['apac'] },
    };
    const keys = new StaticPartitionsDefinition(['us', 'eu', 'apac', 'latam']).keys();
    const { statuses, notOnDeployment } = deploymentPartitionStatusMap(answer, keys);
    assert.deepEqual(entries(statuses), [['apac', 'IN_PROGRESS'], ['eu', 'FAILED'], ['us', 'MATERIALIZED']]);
    assert.equal(notOnDeployment, 1);
  });

  test('multi-partitions: each primary range crossed with its secondary statuses, keys joined in dimension-name order', () => {
    const local = new MultiPartitionsDefinition({
      date: dailyPartitionsDefinition({ start_date: '2026-11-01' }),
      region: new StaticPartitionsDefinition(['eu', 'us']),
    });
    const keys = local.keys(new Date('2026-11-04T00:00:00Z'));
    assert.equal(keys[0], '2026-11-01|eu');
    for (const primaryFirst of [true, false]) {
      // Dagster's primary dimension is the time one; the other is keyed by name, which may sort before or after it.
      const other = primaryFirst ? 'region' : 'a_region';
      const answer: DeploymentAssetPartitionStatuses = {
        assetKey: ['sales'],
        partitionKeysByDimension: [{ name: 'date', partitionKeys: days(1, 3) }, { name: other, partitionKeys: ['eu', 'us'] }],
        statuses: { kind: 'multi', primaryDimensionName: 'date', ranges: [
          { primaryDimStartKey: '2026-11-01', primaryDimEndKey: '2026-11-02', secondaryDim: { kind: 'keys', materialized: ['eu'], failed: ['us'], unmaterialized: [], materializing: [] } },
          { primaryDimStartKey: '2026-11-03', primaryDimEndKey: '2026-11-03', secondaryDim: { kind: 'keys', materialized: [], failed: [], unmaterialized: ['eu'], materializing: ['us'] } },
        ] },
      };
      const all = deploymentPartitionStatuses(answer);
      if (!primaryFirst) {
        assert.equal(all.get('eu|2026-11-01'), 'MATERIALIZED');
        continue;
      }
      const { statuses, notOnDeployment } = deploymentPartitionStatusMap(answer, keys);
      assert.deepEqual(entries(statuses), [
        ['2026-11-01|eu', 'MATERIALIZED'], ['2026-11-01|us', 'FAILED'],
        ['2026-11-02|eu', 'MATERIALIZED'], ['2026-11-02|us', 'FAILED'],
        ['2026-11-03|us', 'IN_PROGRESS'],
      ]);
      assert.equal(notOnDeployment, 0);
    }
  });

  test('the recorded 1.2 server\'s ranges (TimePartitions) and key lists (DefaultPartitions)', () => withDeployment({ fixtures: '1.2', only: ['01_', '96_', '98_', '99_'] }, async (backfills) => {
    const local = days(1, 30);
    const raw = deploymentPartitionStatusMap(await backfills.assetPartitionStatuses(['raw_events']), local);
    assert.deepEqual([...raw.statuses.entries()], days(1, 6).map((k) => [k, 'MATERIALIZED']));
    // Recorded on 2026-11-23: the deployment had 23 daily keys, the workspace here 30.
    assert.equal(raw.notOnDeployment, 7);
    const broken = deploymentPartitionStatusMap(await backfills.assetPartitionStatuses(['broken_events']), local);
    assert.deepEqual([...broken.statuses.entries()], days(4, 6).map((k) => [k, 'FAILED']));
    const regions = deploymentPartitionStatusMap(await backfills.assetPartitionStatuses(['regions']), ['us', 'eu', 'apac']);
    assert.deepEqual(entries(regions.statuses), [['apac', 'MATERIALIZED'], ['eu', 'MATERIALIZED'], ['us', 'MATERIALIZED']]);
  }));
});

describe('where the statuses come from, in words', () => {
  test('the lens names the deployment, or says why there are none', () => {
    assert.equal(deploymentStatusLensTitle({ kind: 'ready', deployment: 'prod', notOnDeployment: 0 }, '3/7 materialized'), '3/7 materialized · statuses from prod');
    assert.equal(deploymentStatusLensTitle({ kind: 'unavailable', deployment: 'prod', reason: 'unreachable', message: 'x' }, '3/7 materialized'), '$(warning) No statuses: "prod" is unreachable');
    assert.equal(deploymentStatusLensTitle({ kind: 'unavailable', deployment: 'prod', reason: 'unauthorized', message: 'x' }, ''), '$(warning) No statuses: "prod" refused access (401)');
  });

  test('the panel says the statuses are the deployment\'s, or that none are shown and why, never this machine\'s in their place', () => {
    assert.equal(deploymentStatusSourceText({ kind: 'ready', deployment: 'prod', notOnDeployment: 2 }),
      'Statuses: Dagster deployment "prod" (missing means missing there), not this machine\'s runs. 2 of these partitions are not defined on it (shown missing).');
    const text = deploymentStatusSourceText({ kind: 'unavailable', deployment: 'prod', reason: 'unreachable', message: 'Dagster deployment "prod" (http://127.0.0.1:9): connection refused: nothing listens at this address.' });
    assert.match(text, /^Statuses: none shown\. They come from Dagster deployment "prod" \(backfillStudio\.statusDeployment\), and Dagster deployment "prod" \(http:\/\/127\.0\.0\.1:9\): connection refused/);
    assert.match(text, /This machine's statuses are not shown in their place/);
  });
});
