// Builds the partitions panel's view models with the real host code (definitions, store, layout), for recording.
import type { RunRecord, RunStatus, PartitionStatus } from '../../src/core/backfill/backfill';
import type { AssetDefinition, Definition, JobDefinition } from '../../src/core/definitions/definition';
import { MultiPartitionsDefinition } from '../../src/core/partitions/multiPartitionsDefinition';
import { StaticPartitionsDefinition } from '../../src/core/partitions/staticPartitionsDefinition';
import { DynamicPartitionsDefinition } from '../../src/core/partitions/dynamicPartitionsDefinition';
import { dailyPartitionsDefinition, hourlyPartitionsDefinition } from '../../src/core/partitions/timeWindowSubclasses';
import type { PartitionsDefinition } from '../../src/core/partitions/partitionsDefinition';
import { InMemoryStateStore } from '../harness/inMemoryStateStore';
import { partitionsGeometry, partitionsPanelModel } from '../../src/extension/panels/partitionsPanelModel';
import type { PartitionsPanelModel } from '../../src/shared/partitionsPanelProtocol';

const T0 = Date.UTC(2024, 3, 1, 9, 0, 0);

function asset(name: string, partitions: PartitionsDefinition): AssetDefinition {
  return { kind: 'asset', key: [name], group: 'default', location: { file: 'defs.py', line: 1 }, partitions, deps: [], backfillPolicy: null };
}

/** A failure as the runner records one: Dagster's step error, then the user's exception on the last line. */
function failure(target: string, key: string): string {
  return `dagster._core.errors.DagsterExecutionStepExecutionError: Error occurred while executing op "${target}":\n` +
    `ValueError: source file s3://raw/${target}/${key}.csv is empty`;
}

interface RunSpec { key: string; status: RunStatus; steps?: [string, 'STEP_START' | 'STEP_SUCCESS' | 'STEP_FAILURE' | 'STEP_SKIPPED'][] }

function record(store: InMemoryStateStore, target: string, backfillId: string, runs: RunSpec[]): void {
  const records: RunRecord[] = runs.map((r, i) => ({
    id: `${backfillId}_run${String(i).padStart(3, '0')}`, backfillId, target, partitionKey: r.key, status: r.status,
    createdAt: T0 + i * 1000, startedAt: r.status === 'QUEUED' ? null : T0 + i * 1000, endedAt: r.status === 'SUCCESS' || r.status === 'FAILURE' || r.status === 'CANCELED' ? T0 + i * 1000 + 1200 : null,
    exitCode: null, error: r.status === 'FAILURE' ? failure(target, r.key) : r.status === 'CANCELED' ? 'canceled' : null,
  }));
  store.createBackfill({ id: backfillId, status: 'COMPLETED_FAILED', targets: [target], partitionCount: runs.length, origin: 'extension',
    createdAt: T0, endedAt: T0 + 60_000, selection: `${runs[0]!.key}...${runs[runs.length - 1]!.key}` }, records);
  runs.forEach((r, i) => {
    const status: PartitionStatus = r.status === 'SUCCESS' ? 'MATERIALIZED' : r.status === 'FAILURE' ? 'FAILED' : r.status === 'CANCELED' ? 'CANCELED' : r.status === 'QUEUED' ? 'MISSING' : 'IN_PROGRESS';
    store.setPartitionStatus(target, r.key, status, records[i]!.id);
    for (const [step, kind] of r.steps ?? []) store.appendRunEvent(records[i]!.id, kind, { step_key: step });
  });
}

const FROM_INSTANCE = "Statuses: Dagster instance /home/analyst/dagster_home and this project's runs.";

function model(d: Definition, now: Date, store: InMemoryStateStore, backfillFilter: string | null = null): PartitionsPanelModel {
  return partitionsPanelModel({ definition: d, geometry: partitionsGeometry(d, now), store, statuses: store, backfillFilter, canLaunch: true, now: T0 + 120_000, statusSource: FROM_INSTANCE });
}

export function recordAll(): Record<string, PartitionsPanelModel> {
  const store = new InMemoryStateStore(() => T0);
  const daily = asset('daily_counts', dailyPartitionsDefinition({ start_date: '2024-01-01' }));
  const dailyRuns: RunSpec[] = [];
  for (let d = 1; d <= 31; d++) dailyRuns.push({ key: `2024-01-${String(d).padStart(2, '0')}`, status: d === 15 ? 'FAILURE' : d >= 30 ? 'STARTED' : 'SUCCESS' });
  record(store, 'daily_counts', 'dailyaaa', dailyRuns);

  const hourly = asset('hourly_events', hourlyPartitionsDefinition({ start_date: '2024-03-08-00:00', timezone: 'America/New_York' }));
  const hourlyRuns: RunSpec[] = [];
  for (let h = 0; h < 30; h++) hourlyRuns.push({ key: `2024-03-08-${String(h % 24).padStart(2, '0')}:00`.replace('2024-03-08', h >= 24 ? '2024-03-09' : '2024-03-08'), status: h === 5 ? 'FAILURE' : 'SUCCESS' });
  record(store, 'hourly_events', 'hourlyaa', hourlyRuns);

  // Six years of hours: the panel must open at the newest day, not at 2019.
  const hourlyYears = asset('hourly_clicks', hourlyPartitionsDefinition({ start_date: '2019-01-01-00:00' }));
  record(store, 'hourly_clicks', 'clicksaa', [
    { key: '2025-01-09-22:00', status: 'SUCCESS' }, { key: '2025-01-09-23:00', status: 'FAILURE' }, { key: '2025-01-10-00:00', status: 'SUCCESS' },
  ]);

  const multi = asset('regional_sales', new MultiPartitionsDefinition({
    date: dailyPartitionsDefinition({ start_date: '2024-01-01' }),
    region: new StaticPartitionsDefinition(['apac', 'eu', 'us']),
  }));
  record(store, 'regional_sales', 'multiaaa', [
    { key: '2024-01-02|eu', status: 'SUCCESS' }, { key: '2024-01-02|us', status: 'SUCCESS' }, { key: '2024-01-03|us', status: 'FAILURE' },
  ]);

  const hostile = '<script>alert(1)</script>';
  const stat = asset('by_customer', new StaticPartitionsDefinition(['acme', 'globex', 'initech', hostile, 'umbrella', 'wayne_enterprises_long_name']));
  record(store, 'by_customer', 'staticaa', [{ key: 'acme', status: 'SUCCESS' }, { key: hostile, status: 'FAILURE' }]);

  const job: JobDefinition = { kind: 'job', name: 'etl_job', location: { file: 'defs.py', line: 9 }, partitions: dailyPartitionsDefinition({ start_date: '2024-01-01' }) };
  const ok: RunSpec['steps'] = [['extract', 'STEP_START'], ['extract', 'STEP_SUCCESS'], ['transform', 'STEP_START'], ['transform', 'STEP_SUCCESS'], ['load', 'STEP_START'], ['load', 'STEP_SUCCESS']];
  record(store, 'etl_job', 'jobaaaaa', [
    { key: '2024-01-01', status: 'SUCCESS', steps: ok },
    { key: '2024-01-02', status: 'FAILURE', steps: [['extract', 'STEP_START'], ['extract', 'STEP_SUCCESS'], ['transform', 'STEP_START'], ['transform', 'STEP_FAILURE']] },
    { key: '2024-01-03', status: 'STARTED', steps: [['extract', 'STEP_START'], ['extract', 'STEP_SUCCESS'], ['transform', 'STEP_START']] },
  ]);
  record(store, 'etl_job', 'jobbbbbb', [{ key: '2024-01-05', status: 'SUCCESS', steps: ok }]);

  // A canceled backfill: two runs were terminated (one mid-step), the rest never started; a failed run's later steps were skipped.
  const canceled = asset('canceled_counts', dailyPartitionsDefinition({ start_date: '2024-01-01' }));
  const canceledRuns: RunSpec[] = [];
  for (let d = 1; d <= 14; d++) canceledRuns.push({ key: `2024-01-${String(d).padStart(2, '0')}`, status: d === 3 ? 'FAILURE' : d >= 8 && d <= 12 ? 'CANCELED' : 'SUCCESS' });
  record(store, 'canceled_counts', 'cancelaa', canceledRuns);
  const canceledJob: JobDefinition = { ...job, name: 'etl_canceled', steps: ['extract', 'transform', 'load'] };
  record(store, 'etl_canceled', 'cancelbb', [
    { key: '2024-01-01', status: 'SUCCESS', steps: ok },
    { key: '2024-01-02', status: 'FAILURE', steps: [['extract', 'STEP_START'], ['extract', 'STEP_FAILURE'], ['transform', 'STEP_SKIPPED'], ['load', 'STEP_SKIPPED']] },
    { key: '2024-01-03', status: 'CANCELED', steps: [['extract', 'STEP_START'], ['extract', 'STEP_SUCCESS'], ['transform', 'STEP_START']] },
  ]);

  return {
    daily: model(daily, new Date('2024-04-01T00:00:00Z'), store),
    hourly: model(hourly, new Date('2024-03-12T04:00:00Z'), store),
    hourlyYears: model(hourlyYears, new Date('2025-01-10T12:00:00Z'), store),
    multi: model(multi, new Date('2024-01-15T00:00:00Z'), store),
    static: model(stat, new Date(T0), store),
    job: model(job, new Date('2024-01-11T00:00:00Z'), store),
    jobFiltered: model(job, new Date('2024-01-11T00:00:00Z'), store, 'jobbbbbb'),
    canceled: model(canceled, new Date('2024-02-01T00:00:00Z'), store),
    jobCanceled: model(canceledJob, new Date('2024-01-11T00:00:00Z'), store),
    // A dynamic asset whose definition has no keys on the instance yet: the panel says how to add the first ones.
    dynamicEmpty: model(asset('per_customer', new DynamicPartitionsDefinition('customers', { dynamicPartitionKeys: () => [] })), new Date(T0), store),
  };
}
