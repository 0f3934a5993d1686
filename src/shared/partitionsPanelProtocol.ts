// The partitions panel's part of the host <-> webview contract: view models, messages and their validation.
import { findPartitionKeyListProblem, type PartitionKeyList } from './partitionKeyList';
import { PARTITION_STATUS_NAMES, type PartitionStatusName } from './partitionStatusName';

/**
 * How partitions sit on the grid. Rows hold consecutive key indexes: row r holds rowStarts[r] up to (not
 * including) rowStarts[r + 1] (the last row ends at the key count), its first key at column rowOffsets[r].
 * The host does every date computation; the webview only maps indexes to cells.
 */
export interface RowsLayout {
  /** calendar: weeks x weekdays (daily); dayHour: days x hours (hourly); sequence: any other order of keys. */
  kind: 'calendar' | 'dayHour' | 'sequence';
  columns: number;
  columnLabels: string[];
  rowStarts: number[];
  rowOffsets: number[];
  /** Sparse row labels, e.g. the month beside the week it starts in: [row, label]. */
  rowLabels: [number, string][];
  /** Keys are time windows, oldest first: the panel opens scrolled to the newest. */
  timeOrdered?: boolean;
  /** Day of the month of each key (calendar): [key index, day] starts a run counting up by one per key. */
  dayRuns?: [number, number][];
  /** Key indexes where a new month begins (after the first key): the grid draws month boundaries there. */
  monthStarts?: number[];
}

/** Two dimensions of a multi-partitions definition: key index = rowIndex * columns + column, or transposed. */
export interface MatrixLayout {
  kind: 'matrix';
  rowDimension: string;
  columnDimension: string;
  rowLabels: string[];
  columnLabels: string[];
  /** false: keys run along a row (row-major); true: keys run down a column (column-major). */
  columnMajor: boolean;
  /** A dimension is a time window: the panel opens scrolled to the last key. */
  timeOrdered?: boolean;
}

/** Static (or dynamic) keys drawn as wide cells carrying their key as text, wrapped to the panel width. */
export interface LabelledLayout {
  kind: 'labelled';
}

export type PartitionsLayout = RowsLayout | MatrixLayout | LabelledLayout;

/**
 * The latest run of one partition, formatted for the hover card: [key index, run id, started, duration, error].
 * error: the failure message of a failed run (its head), else ''.
 */
export type LastRunModel = [number, string, string, string, string];

/**
 * A step's status within one run: as a partition's (MATERIALIZED meaning succeeded, CANCELED meaning its run
 * was canceled while it ran, MISSING meaning it did not run) or SKIPPED: Dagster skipped it because an
 * upstream step failed, drawn as missing, never as failed.
 */
export type StepStatusName = PartitionStatusName | 'SKIPPED';

/** Step x partition matrix of a job, as Dagster's job partitions page: one row per step. */
export interface StepMatrixModel {
  /** definition: steps from the job's body; runs: steps as the runs reported them. */
  stepSource: 'definition' | 'runs';
  /** The partition keys that have a run under the current filter, in key order (the columns). */
  keys: PartitionKeyList;
  steps: { step: string; statusRuns: [StepStatusName, number][] }[];
}

export interface BackfillChoiceModel {
  backfillId: string;
  label: string;
}

/** Everything the partitions panel shows for one target (asset, job or command target). */
export interface PartitionsPanelModel {
  target: string;
  /** asset, job or command. */
  targetKind: string;
  /** e.g. "hourly from 2024-01-01 (UTC)". */
  description: string;
  /** Every partition key in order, compactly (decodePartitionKeyList reads them). */
  keys: PartitionKeyList;
  statusRuns: [PartitionStatusName, number][];
  layout: PartitionsLayout;
  lastRuns: LastRunModel[];
  /** Jobs only; null for assets and command targets. */
  stepMatrix: StepMatrixModel | null;
  backfills: BackfillChoiceModel[];
  /** The backfill the job matrix is filtered to, or null for every run. */
  backfillFilter: string | null;
  /** Whether launching is possible here (a trusted workspace). */
  canLaunch: boolean;
  /** The dynamic partitions definition whose keys "Add partitions…" adds to, or null (not dynamic, or untrusted). */
  dynamicPartitionsName: string | null;
  /** Where the statuses come from, in words: the Dagster instance and this project's runs, or why only the latter. */
  statusSource: string;
}

/** A live change of an open panel's statuses: same keys and layout as the last model. */
export interface PartitionStatusesUpdate {
  target: string;
  statusRuns: [PartitionStatusName, number][];
  /** Last runs that changed since the previous message (replacing those of the same key index). */
  lastRuns: LastRunModel[];
  stepMatrix: StepMatrixModel | null;
}

export type PartitionsHostMessage =
  | { type: 'partitionsLoaded'; model: PartitionsPanelModel }
  | { type: 'partitionStatusesChanged'; update: PartitionStatusesUpdate }
  | { type: 'partitionsNotFound'; target: string; reason: string };

export type PartitionsWebviewMessage =
  /** Launch a backfill of from...to (both keys of target; a rectangle for multi-partitions). */
  | { type: 'launchPartitionRange'; target: string; from: string; to: string }
  | { type: 'filterPartitionsByBackfill'; target: string; backfillId: string | null };

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const STEP_STATUS_NAMES: ReadonlySet<string> = new Set([...PARTITION_STATUS_NAMES, 'SKIPPED']);
const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** Partition keys and target names: printable text of bounded length (the host checks they exist). */
const NAME_PATTERN = /^[^\u0000-\u001f\u007f]{1,256}$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/** Validates a webview -> host intent of the partitions panel; `m.type` is already one of its types. */
export function parsePartitionsWebviewMessage(m: Record<string, unknown>): Parsed<PartitionsWebviewMessage> {
  const keys = Object.keys(m).sort().join(',');
  const name = (v: unknown): v is string => typeof v === 'string' && NAME_PATTERN.test(v);
  if (m.type === 'launchPartitionRange') {
    if (keys !== 'from,target,to,type' || !name(m.target) || !name(m.from) || !name(m.to)) {
      return { ok: false, reason: 'launchPartitionRange needs target, from and to as short printable strings' };
    }
    return { ok: true, value: { type: 'launchPartitionRange', target: m.target, from: m.from, to: m.to } };
  }
  if (m.type === 'filterPartitionsByBackfill') {
    if (keys !== 'backfillId,target,type' || !name(m.target) || (m.backfillId !== null && (typeof m.backfillId !== 'string' || !ID_PATTERN.test(m.backfillId)))) {
      return { ok: false, reason: 'filterPartitionsByBackfill needs a target and a backfillId identifier or null' };
    }
    return { ok: true, value: { type: 'filterPartitionsByBackfill', target: m.target, backfillId: m.backfillId } };
  }
  return { ok: false, reason: `not a partitions panel message: ${JSON.stringify(String(m.type)).slice(0, 40)}` };
}

export const PARTITIONS_WEBVIEW_MESSAGE_TYPES: ReadonlySet<string> = new Set(['launchPartitionRange', 'filterPartitionsByBackfill']);

type Problem = string | null;

function checkStrings(value: unknown, where: string): Problem {
  if (!Array.isArray(value)) return `${where} must be an array`;
  for (let i = 0; i < value.length; i++) if (typeof value[i] !== 'string') return `${where}[${i}] must be a string`;
  return null;
}

function checkCounts(value: unknown, where: string): Problem {
  if (!Array.isArray(value)) return `${where} must be an array`;
  for (let i = 0; i < value.length; i++) if (!isCount(value[i])) return `${where}[${i}] must be a non-negative integer`;
  return null;
}

/** Status runs must be [status, positive length] pairs covering exactly `count` keys, each status one of `names`. */
export function checkStatusRuns(value: unknown, count: number, where: string, names: ReadonlySet<string> = PARTITION_STATUS_NAMES): Problem {
  if (!Array.isArray(value)) return `${where} must be an array`;
  let covered = 0;
  for (let i = 0; i < value.length; i++) {
    const run: unknown = value[i];
    if (!Array.isArray(run) || run.length !== 2 || !names.has(run[0]) || !isCount(run[1]) || run[1] === 0) {
      return `${where}[${i}] must be [status, positive length] with status one of ${[...names].join(', ')}`;
    }
    covered += run[1];
  }
  return covered === count ? null : `${where} cover ${covered} partitions but there are ${count}`;
}

function checkLayout(raw: unknown, keyCount: number, where: string): Problem {
  if (!isRecord(raw)) return `${where} must be an object`;
  if (raw.kind === 'labelled') return null;
  if (raw.kind === 'matrix') {
    const p = checkStrings(raw.rowLabels, `${where}.rowLabels`) ?? checkStrings(raw.columnLabels, `${where}.columnLabels`);
    if (p) return p;
    if (typeof raw.rowDimension !== 'string' || typeof raw.columnDimension !== 'string') return `${where} dimensions must be strings`;
    if (typeof raw.columnMajor !== 'boolean') return `${where}.columnMajor must be a boolean`;
    const cells = (raw.rowLabels as string[]).length * (raw.columnLabels as string[]).length;
    if (raw.timeOrdered !== undefined && typeof raw.timeOrdered !== 'boolean') return `${where}.timeOrdered must be a boolean`;
    return cells === keyCount ? null : `${where} has ${cells} cells but there are ${keyCount} keys`;
  }
  if (raw.kind !== 'calendar' && raw.kind !== 'dayHour' && raw.kind !== 'sequence') return `${where}.kind is not a known layout`;
  if (!isCount(raw.columns) || raw.columns === 0 || raw.columns > 1000) return `${where}.columns must be an integer from 1 to 1000`;
  const p = checkStrings(raw.columnLabels, `${where}.columnLabels`) ?? checkCounts(raw.rowStarts, `${where}.rowStarts`) ?? checkCounts(raw.rowOffsets, `${where}.rowOffsets`);
  if (p) return p;
  const starts = raw.rowStarts as number[];
  const offsets = raw.rowOffsets as number[];
  if (starts.length !== offsets.length) return `${where}.rowOffsets must have one entry per row`;
  if (keyCount > 0 && starts[0] !== 0) return `${where}.rowStarts must begin at 0`;
  for (let r = 0; r < starts.length; r++) {
    const end = r + 1 < starts.length ? starts[r + 1]! : keyCount;
    if (end <= starts[r]! || end - starts[r]! + offsets[r]! > raw.columns) return `${where} row ${r} is empty, out of order or wider than ${raw.columns} columns`;
  }
  if (!Array.isArray(raw.rowLabels)) return `${where}.rowLabels must be an array`;
  for (let i = 0; i < raw.rowLabels.length; i++) {
    const l: unknown = raw.rowLabels[i];
    if (!Array.isArray(l) || l.length !== 2 || !isCount(l[0]) || l[0] >= starts.length || typeof l[1] !== 'string') return `${where}.rowLabels[${i}] must be [row, label]`;
  }
  if (raw.timeOrdered !== undefined && typeof raw.timeOrdered !== 'boolean') return `${where}.timeOrdered must be a boolean`;
  if (raw.monthStarts !== undefined) {
    const q = checkCounts(raw.monthStarts, `${where}.monthStarts`);
    if (q) return q;
    if ((raw.monthStarts as number[]).some((m, i, all) => m >= keyCount || (i > 0 && m <= all[i - 1]!))) return `${where}.monthStarts must be increasing key indexes`;
  }
  if (raw.dayRuns !== undefined) {
    if (!Array.isArray(raw.dayRuns)) return `${where}.dayRuns must be an array`;
    for (let i = 0; i < raw.dayRuns.length; i++) {
      const d: unknown = raw.dayRuns[i];
      if (!Array.isArray(d) || d.length !== 2 || !isCount(d[0]) || d[0] >= keyCount || !isCount(d[1]) || d[1] < 1 || d[1] > 31) return `${where}.dayRuns[${i}] must be [key index, day 1-31]`;
    }
  }
  return null;
}

function checkLastRuns(value: unknown, keyCount: number, where: string): Problem {
  if (!Array.isArray(value)) return `${where} must be an array`;
  for (let i = 0; i < value.length; i++) {
    const r: unknown = value[i];
    if (!Array.isArray(r) || r.length !== 5 || !isCount(r[0]) || r[0] >= keyCount || typeof r[1] !== 'string' || typeof r[2] !== 'string' || typeof r[3] !== 'string' || typeof r[4] !== 'string') {
      return `${where}[${i}] must be [key index, run id, started, duration, error]`;
    }
  }
  return null;
}

function checkStepMatrix(raw: unknown, where: string): Problem {
  if (raw === null) return null;
  if (!isRecord(raw)) return `${where} must be an object or null`;
  if (raw.stepSource !== 'definition' && raw.stepSource !== 'runs') return `${where}.stepSource must be definition or runs`;
  const p = findPartitionKeyListProblem(raw.keys, `${where}.keys`);
  if (p) return p;
  if (!Array.isArray(raw.steps)) return `${where}.steps must be an array`;
  for (let i = 0; i < raw.steps.length; i++) {
    const s: unknown = raw.steps[i];
    if (!isRecord(s) || typeof s.step !== 'string') return `${where}.steps[${i}].step must be a string`;
    const q = checkStatusRuns(s.statusRuns, (raw.keys as PartitionKeyList).count, `${where}.steps[${i}].statusRuns`, STEP_STATUS_NAMES);
    if (q) return q;
  }
  return null;
}

/** What is wrong with `raw` as a PartitionsPanelModel (naming the field under `where`), or null. */
export function findPartitionsModelProblem(raw: unknown, where: string): Problem {
  if (!isRecord(raw)) return `${where} must be an object`;
  for (const f of ['target', 'targetKind', 'description'] as const) if (typeof raw[f] !== 'string') return `${where}.${f} must be a string`;
  const p = findPartitionKeyListProblem(raw.keys, `${where}.keys`);
  if (p) return p;
  const n = (raw.keys as PartitionKeyList).count;
  const q =
    checkStatusRuns(raw.statusRuns, n, `${where}.statusRuns`) ??
    checkLayout(raw.layout, n, `${where}.layout`) ??
    checkLastRuns(raw.lastRuns, n, `${where}.lastRuns`) ??
    checkStepMatrix(raw.stepMatrix, `${where}.stepMatrix`);
  if (q) return q;
  if (!Array.isArray(raw.backfills) || !raw.backfills.every((b: unknown) => isRecord(b) && typeof b.backfillId === 'string' && typeof b.label === 'string')) {
    return `${where}.backfills must be [{backfillId, label}]`;
  }
  if (raw.backfillFilter !== null && typeof raw.backfillFilter !== 'string') return `${where}.backfillFilter must be a string or null`;
  if (typeof raw.canLaunch !== 'boolean') return `${where}.canLaunch must be a boolean`;
  if (raw.dynamicPartitionsName !== null && typeof raw.dynamicPartitionsName !== 'string') return `${where}.dynamicPartitionsName must be a string or null`;
  if (typeof raw.statusSource !== 'string') return `${where}.statusSource must be a string`;
  return null;
}

/** Validates a host -> webview message for the partitions panel; `keyCount` is that of the model shown (for updates). */
export function parsePartitionsHostMessage(raw: unknown, shown: { target: string; keyCount: number } | null): Parsed<PartitionsHostMessage> {
  if (!isRecord(raw)) return { ok: false, reason: 'message is not an object' };
  switch (raw.type) {
    case 'partitionsLoaded': {
      const problem = findPartitionsModelProblem(raw.model, 'partitionsLoaded.model');
      return problem ? { ok: false, reason: problem } : { ok: true, value: { type: 'partitionsLoaded', model: raw.model as PartitionsPanelModel } };
    }
    case 'partitionStatusesChanged': {
      const u = raw.update;
      if (!isRecord(u) || typeof u.target !== 'string') return { ok: false, reason: 'partitionStatusesChanged.update.target must be a string' };
      if (!shown || shown.target !== u.target) return { ok: false, reason: `partitionStatusesChanged for ${JSON.stringify(u.target).slice(0, 60)}, which is not shown` };
      const problem =
        checkStatusRuns(u.statusRuns, shown.keyCount, 'partitionStatusesChanged.update.statusRuns') ??
        checkLastRuns(u.lastRuns, shown.keyCount, 'partitionStatusesChanged.update.lastRuns') ??
        checkStepMatrix(u.stepMatrix, 'partitionStatusesChanged.update.stepMatrix');
      return problem ? { ok: false, reason: problem } : { ok: true, value: { type: 'partitionStatusesChanged', update: u as unknown as PartitionStatusesUpdate } };
    }
    case 'partitionsNotFound':
      if (typeof raw.target !== 'string' || typeof raw.reason !== 'string') return { ok: false, reason: 'partitionsNotFound needs target and reason strings' };
      return { ok: true, value: { type: 'partitionsNotFound', target: raw.target, reason: raw.reason } };
    default:
      return { ok: false, reason: `unknown message type ${JSON.stringify(String(raw.type)).slice(0, 40)}` };
  }
}
