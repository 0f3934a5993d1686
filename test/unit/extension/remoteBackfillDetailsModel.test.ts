// A backfill on a Dagster deployment in the details panel's model: from the recorded (1.2) and authored (newer) answers,
// its status word, per-partition or per-asset counts, runs linking to the Dagster UI, the deployment, and the actions offered.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { BackfillRecord } from '../../../src/core/backfill/backfill';
import { remoteBackfillFromGraphql, type RemoteBackfill } from '../../../src/core/deployment/remoteBackfill';
import { recordBulkActionStatus } from '../../../src/core/deployment/remoteBackfills';
import { isDeploymentRunPage, remoteBackfillDetailsModel as detailsModel } from '../../../src/extension/panels/remoteBackfillDetailsModel';
import { decodePartitionKeyList } from '../../../src/shared/partitionKeyList';
import { repoRoot } from '../project/repoRoot';

function answer(set: '1.2' | 'newer', file: string): RemoteBackfill {
  const recorded = JSON.parse(fs.readFileSync(path.join(repoRoot(), 'test/fixtures/dagster-graphql', set, file), 'utf8'));
  return remoteBackfillFromGraphql(recorded.response.data.partitionBackfillOrError, set === '1.2' ? 'backfillId' : 'id');
}

const URL_BASE = 'http://127.0.0.1:3999';
function record(backfillId: string, status: BackfillRecord['status'], dagsterStatus: string, targets: string[]): BackfillRecord {
  return {
    id: 'qwertyui', status, targets, partitionCount: 3, origin: 'extension', createdAt: Date.UTC(2026, 10, 23), endedAt: null, selection: '2026-11-01...2026-11-03',
    remote: { deployment: 'prod', url: `${URL_BASE}/`, kind: 'oss', backfillId, status: dagsterStatus, checkedAt: Date.UTC(2026, 10, 23, 9, 30, 5) },
  };
}

/** As the panel builds it: the status word from the stored record. */
const remoteBackfillDetailsModel = (b: BackfillRecord, ...rest: Parameters<typeof detailsModel> extends [unknown, unknown, ...infer R] ? R : never) => detailsModel(b, recordBulkActionStatus(b), ...rest);
const keysOf = (m: ReturnType<typeof remoteBackfillDetailsModel>, i = 0): string[] => {
  const keys = decodePartitionKeyList(m.partitions[i]!.keys);
  return Array.from({ length: keys.length }, (_, k) => keys.at(k)!);
};
const statusesOf = (m: ReturnType<typeof remoteBackfillDetailsModel>, i = 0) => m.partitions[i]!.statusRuns.flatMap(([s, n]) => Array<string>(n).fill(s));

test('a 1.2 job backfill in progress: one row for its job, a status per partition, runs linking to the Dagster UI, Cancel offered', () => {
  const remote = answer('1.2', '11_job_backfill_poll3.json');
  const m = remoteBackfillDetailsModel(record('cikfincq', 'REQUESTED', 'REQUESTED', ['do_stuff_partitioned']), remote, { checkedAt: Date.UTC(2026, 10, 23, 9, 31, 0) }, Date.UTC(2026, 10, 23, 10));
  assert.deepEqual([m.statusLabel, m.statusTone], ['In progress', 'inProgress']);
  assert.deepEqual(m.targets, [{ target: 'do_stuff_partitioned', targeted: 3, inProgress: 2, materialized: 0, failed: 0, canceled: 0, queued: 1, skipped: 0 }]);
  assert.deepEqual(keysOf(m), ['2026-11-01', '2026-11-02', '2026-11-03']);
  assert.deepEqual(statusesOf(m), ['IN_PROGRESS', 'IN_PROGRESS', 'MISSING']);
  assert.equal(m.progress.summary, '0/3 runs succeeded · 2 running · 1 queued');
  assert.deepEqual(m.runs.map((r) => [r.partitionKey, r.statusLabel, r.runUrl]), [
    ['2026-11-01', 'In progress', `${URL_BASE}/runs/5fcd212b-390a-4245-bac7-6679ba908775`],
    ['2026-11-02', 'In progress', `${URL_BASE}/runs/300540c8-8a18-42c2-adee-3c9ab33e2bba`],
  ]);
  assert.deepEqual(m.remote, { deployment: 'prod', deploymentUrl: `${URL_BASE}/`, dagsterBackfillId: 'cikfincq', checkedAt: '09:31:00', followError: null, partitionsNote: null });
  assert.deepEqual([m.canCancel, m.canResume, m.canReexecute, m.canReexecuteFromFailure], [true, false, false, false]);
});

test("1.2's COMPLETED reads as its runs ended (the stored local status), not as a success the runs may not have had", () => {
  const final = answer('1.2', '11_job_backfill_poll6_final.json');
  const done = remoteBackfillDetailsModel(record('cikfincq', 'COMPLETED_SUCCESS', 'COMPLETED', ['do_stuff_partitioned']), final, {}, Date.UTC(2026, 10, 23, 10));
  assert.deepEqual([done.statusLabel, done.targets[0]!.materialized, done.progress.summary], ['Success', 3, '3/3 runs succeeded']);
  assert.deepEqual([done.canCancel, done.canResume, done.canReexecute, done.canReexecuteFromFailure], [false, false, true, false]);
  // Runs submitted (COMPLETED) but still running: the stored status says so, and nothing is offered until they end.
  const submitted: RemoteBackfill = { ...final, runs: final.runs!.map((r, i) => (i === 0 ? { ...r, status: 'STARTED' } : r)) };
  const running = remoteBackfillDetailsModel(record('cikfincq', 'REQUESTED', 'COMPLETED', ['do_stuff_partitioned']), submitted, {}, Date.UTC(2026, 10, 23, 10));
  assert.deepEqual([running.statusLabel, running.canReexecute], ['In progress', false]);
});

test("a newer server's asset backfill: FAILING reads Failing; counts per asset from assetBackfillData; failed runs point at their page", () => {
  const failing = remoteBackfillDetailsModel(record('nwasbkfl', 'REQUESTED', 'FAILING', ['orders', 'order_items']), answer('newer', '11_asset_backfill_poll2.json'), {}, 0);
  assert.deepEqual([failing.statusLabel, failing.statusTone, failing.canCancel, failing.canReexecute], ['Failing', 'failed', false, false]);
  const final = remoteBackfillDetailsModel(record('nwasbkfl', 'COMPLETED_FAILED', 'COMPLETED_FAILED', ['orders', 'order_items']), answer('newer', '11_asset_backfill_poll3_final.json'), {}, 0);
  assert.equal(final.statusLabel, 'Failed');
  assert.deepEqual(final.targets.map((t) => [t.target, t.targeted, t.materialized, t.failed, t.queued]), [['orders', 3, 2, 1, 0], ['order_items', 3, 2, 1, 0]]);
  assert.equal(final.progress.summary, '4/6 materialized · 2 failed');
  // Launched by ranges: Dagster names no partitions one by one, and the panel says so instead of drawing strips.
  assert.deepEqual(final.partitions, []);
  assert.match(final.remote!.partitionsNote!, /prod reports this backfill's partitions as counts per asset/);
  assert.deepEqual(final.failureGroups.map((g) => [g.count, g.partitions, g.sampleRunUrl]), [[1, ['2026-11-02'], `${URL_BASE}/runs/a1000000-0000-4000-8000-000000000002`]]);
  assert.deepEqual(final.runs.map((r) => r.target), ['orders, order_items', 'orders, order_items', 'orders, order_items']);
  // Dagster has no resume for asset backfills.
  assert.deepEqual([final.canCancel, final.canResume, final.canReexecute, final.canReexecuteFromFailure], [false, false, true, true]);
});

test('a failed look at the deployment is said beside what it said last, which stays; untrusted: no action', () => {
  const remote = answer('1.2', '11_job_backfill_poll3.json');
  const m = remoteBackfillDetailsModel(record('cikfincq', 'REQUESTED', 'REQUESTED', ['do_stuff_partitioned']), remote,
    { checkedAt: Date.UTC(2026, 10, 23, 9, 31, 0), error: 'Dagster deployment "prod" did not answer within 30 s.' }, 0, { untrusted: true });
  assert.equal(m.remote!.followError, 'Dagster deployment "prod" did not answer within 30 s.');
  assert.equal(m.runs.length, 2);
  assert.deepEqual([m.canCancel, m.canResume, m.canReexecute, m.canReexecuteFromFailure], [false, false, false, false]);
});

test('before its first answer: the stored status, and that nothing was read yet', () => {
  const m = remoteBackfillDetailsModel(record('eltehngp', 'CANCELED', 'CANCELED', ['do_stuff_partitioned']), undefined, {}, 0);
  assert.deepEqual([m.statusLabel, m.progress.summary, m.remote!.partitionsNote, m.remote!.checkedAt], ['Canceled', 'Not read from prod yet', 'Not read from prod yet.', '09:30:05']);
  assert.deepEqual([m.canResume, m.canReexecute], [true, true], 'a canceled job backfill: Resume and Re-execute');
});

test("only run pages of the backfill's own deployment may be opened from the panel", () => {
  const origin = { url: 'https://acme.dagster.cloud/prod/' };
  assert.equal(isDeploymentRunPage(origin, 'https://acme.dagster.cloud/prod/runs/a1000000-0000-4000-8000-000000000002'), true);
  for (const url of [
    'https://acme.dagster.cloud/staging/runs/a1000000', 'https://evil.example/prod/runs/a1', 'http://acme.dagster.cloud/prod/runs/a1',
    'https://acme.dagster.cloud/prod/runs/a1/../../settings', 'https://acme.dagster.cloud/prod/runs/a1?x=1', 'https://user@acme.dagster.cloud/prod/runs/a1',
    'javascript:alert(1)', 'file:///etc/passwd', 'not a url',
  ]) assert.equal(isDeploymentRunPage(origin, url), false, url);
});

test("a run's duration from Dagster's fractional seconds reads in whole milliseconds or tenths of seconds", () => {
  const remote = answer('1.2', '11_job_backfill_poll6_final.json');
  const runs = remote.runs!.map((r, i) => ({ ...r, startTime: 1_700_000_000.1234, endTime: 1_700_000_000.1234 + [0.2517211, 12.34567, 75.5][i % 3]! }));
  const m = remoteBackfillDetailsModel(record('cikfincq', 'COMPLETED_SUCCESS', 'COMPLETED', ['do_stuff_partitioned']), { ...remote, runs }, { checkedAt: Date.UTC(2026, 10, 23, 9, 31, 0) }, Date.UTC(2026, 10, 23, 10));
  assert.equal(runs.length, 3);
  assert.deepEqual(m.runs.map((r) => r.duration).sort(), ['12.3s', '1m 16s', '252ms']);
});
