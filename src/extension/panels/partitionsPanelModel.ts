// Builds the partitions panel's view model of one target from its definition and the state store.
import { isPausedBackfill, type RunRecord } from '../../core/backfill/backfill';
import { backfillStatusLabel } from '../../core/backfill/backfillStatusLabel';
import { definitionName, type Definition } from '../../core/definitions/definition';
import type { StateStore } from '../../core/storage/stateStore';
import type { MergedPartitionStatuses } from '../../core/status/mergedPartitionStatuses';
import { dynamicPartitionsNames } from '../../core/partitions/dynamicPartitionsNames';
import { encodePartitionKeyList, type PartitionKeyList } from '../../shared/partitionKeyList';
import type { BackfillChoiceModel, LastRunModel, PartitionsLayout, PartitionsPanelModel, PartitionStatusesUpdate } from '../../shared/partitionsPanelProtocol';
import { encodeStatusRuns, type PartitionStatusName } from '../../shared/protocol';
import { partitionsLayout } from './partitionsLayout';
import { stepMatrixModel } from './partitionsStepMatrix';

/** The keys and their layout, which only change when the definition or the set of existing partitions does. */
export interface PartitionsGeometry {
  keys: string[];
  /** The keys as the webview receives them, encoded once per geometry (models compare it by identity). */
  encodedKeys: PartitionKeyList;
  indexOf: Map<string, number>;
  layout: PartitionsLayout;
}

export function partitionsGeometry(d: Definition, now: Date, previous?: PartitionsGeometry): PartitionsGeometry {
  const keys = d.partitions!.keys(now);
  // Laying out 100,000 time windows takes a while; reuse it while the keys are the same.
  if (previous && previous.keys.length === keys.length && previous.keys[0] === keys[0] && previous.keys[keys.length - 1] === keys[keys.length - 1]) return previous;
  return { keys, encodedKeys: encodePartitionKeyList(keys), indexOf: new Map(keys.map((k, i) => [k, i])), layout: partitionsLayout(d.partitions!, keys) };
}

export function formatDuration(start: number | null, end: number | null, now: number): string {
  if (start === null) return '';
  const ms = (end ?? now) - start;
  if (ms < 1000) return `${ms}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  return `${Math.floor(ms / 60_000)}m ${Math.round((ms % 60_000) / 1000)}s`;
}

function formatWhen(run: RunRecord): string {
  return new Date(run.startedAt ?? run.createdAt).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'medium' });
}

/** Longest failure message a hover card carries: enough for the exception line, not a whole traceback. */
const FAILURE_HEAD = 600;

/** A failed (or canceled) run's error as the hover card shows it: the last non-empty lines, where Python puts the exception. */
export function failureHead(run: Pick<RunRecord, 'status' | 'error'>): string {
  if (run.status !== 'FAILURE' && run.status !== 'CANCELED') return '';
  const error = run.error?.trim() ?? '';
  if (error.length <= FAILURE_HEAD) return error;
  return `…${error.slice(error.length - FAILURE_HEAD + 1)}`;
}

/** Backfills of this target, newest first, and the latest run of each partition (optionally within one backfill). */
function runsOfTarget(store: StateStore, target: string): { backfills: BackfillChoiceModel[]; runs: RunRecord[] } {
  const backfills: BackfillChoiceModel[] = [];
  const runs: RunRecord[] = [];
  for (const b of store.listBackfills()) {
    if (!b.targets.includes(target)) continue;
    backfills.push({ backfillId: b.id, label: `${b.id} · ${b.selection} · ${backfillStatusLabel(b.status, isPausedBackfill(b)).label}` });
    for (const r of store.listRuns(b.id)) if (r.target === target) runs.push(r);
  }
  return { backfills, runs };
}

/** The newest run per key index (by creation time); a run over a range is not per partition and is skipped. */
export function latestRunByIndex(runs: readonly RunRecord[], indexOf: ReadonlyMap<string, number>): Map<number, RunRecord> {
  const latest = new Map<number, RunRecord>();
  for (const r of runs) {
    const i = indexOf.get(r.partitionKey);
    if (i === undefined) continue;
    const seen = latest.get(i);
    if (!seen || seen.createdAt <= r.createdAt) latest.set(i, r);
  }
  return latest;
}

export interface PartitionsModelInput {
  definition: Definition;
  geometry: PartitionsGeometry;
  store: StateStore;
  /** The merged statuses (the project's records and the Dagster instance's). */
  statuses: Pick<MergedPartitionStatuses, 'partitionStatuses'>;
  backfillFilter: string | null;
  canLaunch: boolean;
  now: number;
  /** Where the statuses come from, in words. */
  statusSource: string;
}

export function partitionsPanelModel(input: PartitionsModelInput): PartitionsPanelModel {
  const { definition: d, geometry, store, now } = input;
  const target = definitionName(d);
  const statuses = input.statuses.partitionStatuses(target);
  const statusList: PartitionStatusName[] = geometry.keys.map((k) => statuses.get(k) ?? 'MISSING');
  const { backfills, runs } = runsOfTarget(store, target);
  const backfillFilter = input.backfillFilter !== null && backfills.some((b) => b.backfillId === input.backfillFilter) ? input.backfillFilter : null;
  const latest = latestRunByIndex(runs, geometry.indexOf);
  const lastRuns: LastRunModel[] = [...latest.entries()].sort((a, b) => a[0] - b[0])
    .map(([i, r]) => [i, r.id, formatWhen(r), formatDuration(r.startedAt, r.endedAt, now), failureHead(r)]);
  const filtered = backfillFilter === null ? runs : runs.filter((r) => r.backfillId === backfillFilter);
  return {
    target,
    targetKind: d.kind,
    description: d.partitions!.describe(),
    keys: geometry.encodedKeys,
    statusRuns: encodeStatusRuns(statusList),
    layout: geometry.layout,
    lastRuns,
    // Steps discovery found in the job's body are rows before any run; without them, rows come from the runs.
    stepMatrix: d.kind === 'job' ? stepMatrixModel(d.steps ?? [], latestRunByIndex(filtered, geometry.indexOf), geometry.keys, (id) => store.runEvents(id)) : null,
    backfills,
    backfillFilter,
    canLaunch: input.canLaunch,
    // Adding keys runs the workspace's interpreter: offered where launching is.
    dynamicPartitionsName: input.canLaunch ? (dynamicPartitionsNames(d.partitions)[0] ?? null) : null,
    statusSource: input.statusSource,
  };
}

/** What changed between two models of the same keys, or null when the webview needs the whole model again. */
export function partitionStatusesUpdate(before: PartitionsPanelModel, after: PartitionsPanelModel): PartitionStatusesUpdate | null {
  if (before.keys !== after.keys || before.layout !== after.layout || before.backfillFilter !== after.backfillFilter || before.canLaunch !== after.canLaunch || before.statusSource !== after.statusSource || before.dynamicPartitionsName !== after.dynamicPartitionsName) return null;
  // A new backfill or a changed status in the filter's labels: rare, so the whole model goes again.
  if (before.backfills.map((b) => b.label).join('\n') !== after.backfills.map((b) => b.label).join('\n')) return null;
  const old = new Map(before.lastRuns.map((r) => [r[0], r]));
  const lastRuns = after.lastRuns.filter((r) => {
    const o = old.get(r[0]);
    return !o || o[1] !== r[1] || o[2] !== r[2] || o[3] !== r[3] || o[4] !== r[4];
  });
  return { target: after.target, statusRuns: after.statusRuns, lastRuns, stepMatrix: after.stepMatrix };
}
