// The Dagster runner's wire protocol: the JSON request sent to src/runner/backfill_runner.py and the JSON-line
// events it writes on file descriptor 3. Every line is validated; a malformed one becomes a log line.
import type { DefinitionCodeLocation } from '../definitions/definition';
import { isRunnerError as isError, type RunnerError } from './runnerError';
import { STATUS_EVENT_CHECKS, type RunnerStatusEvent } from './runnerStatusProtocol';

/** Exit code of the runner when the interpreter cannot import dagster (see backfill_runner.py). */
export const MISSING_DAGSTER_EXIT_CODE = 3;

export type { RunnerError } from './runnerError';

/** A step's status as Dagster records it (StepEventStatus). */
export type DagsterStepStatus = 'SUCCESS' | 'FAILURE' | 'SKIPPED' | 'IN_PROGRESS';

export type RunnerEvent =
  | { event: 'dagster_loaded'; version: string; python: string }
  | { event: 'dagster_missing'; python: string; pythonVersion: string; message: string }
  | { event: 'worker_ready'; pid: number }
  | { event: 'location_loaded'; name: string; source: string; seconds: number }
  | { event: 'api'; path: string; detail?: string }
  | { event: 'run_started'; dagsterRunId: string }
  | { event: 'step_started' | 'step_succeeded'; step: string }
  | { event: 'step_failed'; step: string; error: RunnerError | null }
  | { event: 'step_skipped'; step: string }
  | { event: 'step_stats'; steps: { step: string; status: DagsterStepStatus }[] }
  | { event: 'preflight_finished'; ok: boolean; dagsterVersion: string; phase?: string; error?: RunnerError }
  | { event: 'asset_materialized'; asset: string; partition: string | null; step?: string }
  /** `malformed`: the kind of a well-known event that failed its checks, so a waiting request can be answered at once. */
  | { event: 'log'; level: string; message: string; step?: string | null; malformed?: string }
  | { event: 'run_finished'; status: 'SUCCESS' | 'FAILURE' | 'CANCELED'; dagsterRunId?: string | null; error: RunnerError | null; phase?: string }
  | { event: 'check_result'; materialized: boolean; runId?: string; timestamp?: number; runStatus?: string | null }
  | RunnerStatusEvent;

/** An event plus the runner's request id it belongs to (worker mode), when it names one. */
export type RunnerMessage = RunnerEvent & { run?: string };

/** Opens the instance and loads the code location once, resolving each job, before a backfill launches its runs. */
export interface PreflightRequest {
  requestId: string;
  preflight: true;
  workspaceRoot: string;
  location: DefinitionCodeLocation;
  jobs: { kind: 'asset' | 'job'; targets: string[] }[];
}

export interface RunnerRequest {
  requestId: string;
  workspaceRoot: string;
  location: DefinitionCodeLocation;
  kind: 'asset' | 'job';
  targets: string[];
  /** A range run of dynamic partitions also lists its keys: the instance may lack some, and its order may differ from ours. */
  partition: { key: string } | { first: string; last: string; keys?: string[] };
  tags: Record<string, string>;
  /** The Dagster run id to use. */
  runId: string;
}

/** "a...b" is a range run's key; anything else is one key. */
export function requestPartition(partitionKey: string, rangeKeys?: (first: string, last: string) => string[] | undefined): RunnerRequest['partition'] {
  const bounds = partitionKey.split('...');
  if (bounds.length !== 2) return { key: partitionKey };
  const [first, last] = [bounds[0]!, bounds[1]!];
  const keys = rangeKeys?.(first, last);
  return keys ? { first, last, keys } : { first, last };
}

const str = (v: unknown): v is string => typeof v === 'string';
const optStr = (v: unknown) => v === undefined || v === null || typeof v === 'string';

const STEP_STATUSES: ReadonlySet<unknown> = new Set(['SUCCESS', 'FAILURE', 'SKIPPED', 'IN_PROGRESS']);
const isStepStat = (v: unknown) => typeof v === 'object' && v !== null && str((v as Record<string, unknown>).step) && STEP_STATUSES.has((v as Record<string, unknown>).status);

/** Field checks per event kind: what a consumer relies on. */
const VALID: Record<RunnerEvent['event'], (o: Record<string, unknown>) => boolean> = {
  dagster_loaded: (o) => str(o.version) && str(o.python),
  dagster_missing: (o) => str(o.python) && str(o.pythonVersion) && str(o.message),
  worker_ready: (o) => typeof o.pid === 'number',
  location_loaded: (o) => str(o.name) && str(o.source) && typeof o.seconds === 'number',
  api: (o) => str(o.path) && (o.detail === undefined || str(o.detail)),
  run_started: (o) => str(o.dagsterRunId),
  step_started: (o) => str(o.step),
  step_succeeded: (o) => str(o.step),
  step_failed: (o) => str(o.step) && (o.error === null || isError(o.error)),
  step_skipped: (o) => str(o.step),
  step_stats: (o) => Array.isArray(o.steps) && o.steps.every(isStepStat),
  preflight_finished: (o) => typeof o.ok === 'boolean' && str(o.dagsterVersion) && optStr(o.phase) && (o.error === undefined || isError(o.error)),
  asset_materialized: (o) => str(o.asset) && optStr(o.partition),
  log: (o) => str(o.level) && str(o.message) && optStr(o.step),
  run_finished: (o) => (o.status === 'SUCCESS' || o.status === 'FAILURE' || o.status === 'CANCELED') && (o.error === null || isError(o.error)) && optStr(o.dagsterRunId),
  check_result: (o) => typeof o.materialized === 'boolean' && optStr(o.runStatus),
  ...STATUS_EVENT_CHECKS,
};

/**
 * One line of the event channel. Anything that is not a known, well-formed event (bad JSON, unknown kind,
 * missing fields) comes back as a WARNING log event quoting the line, so a runner bug never crashes a run.
 */
export function parseRunnerLine(line: string): RunnerMessage {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return { event: 'log', level: 'WARNING', message: `runner: unreadable event line: ${line}` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { event: 'log', level: 'WARNING', message: `runner: event is not an object: ${line}` };
  }
  const o = parsed as Record<string, unknown>;
  const check = str(o.event) ? VALID[o.event as RunnerEvent['event']] : undefined;
  if (!check) return { event: 'log', level: 'WARNING', message: `runner: unknown event: ${line}` };
  if (!check(o) || !optStr(o.run)) return { event: 'log', level: 'WARNING', message: `runner: malformed ${o.event} event: ${line}`, malformed: String(o.event) };
  return o as unknown as RunnerMessage;
}

/** The longest event line kept whole (characters): a runner bug or a huge payload must not grow memory without end. */
export const MAX_EVENT_LINE_LENGTH = 1024 * 1024;

/** What a line cut at the bound becomes: a warning with its head, as a malformed line is (it cannot be read). */
export function cutLineMessage(head: string, droppedCharacters: number): RunnerMessage {
  return { event: 'log', level: 'WARNING', message: `runner: an event line longer than ${head.length} characters was cut (${droppedCharacters} more dropped) and not read; it began: ${head.slice(0, 200)}` };
}

/**
 * Splits a stream's chunks into complete lines, holding back a partial last line. A line longer than `maxLength`
 * keeps its head; the rest is dropped as it arrives (counted), and the line is handed over with `cut` when it ends.
 */
export class LineSplitter {
  private pending = '';
  private dropped = 0;

  constructor(
    private readonly onLine: (line: string, cut?: { droppedCharacters: number }) => void,
    private readonly maxLength = MAX_EVENT_LINE_LENGTH,
  ) {}

  push(chunk: string): void {
    let start = 0;
    for (;;) {
      const end = chunk.indexOf('\n', start);
      this.append(end < 0 ? chunk.slice(start) : chunk.slice(start, end));
      if (end < 0) return;
      this.emit();
      start = end + 1;
    }
  }

  end(): void {
    this.emit();
  }

  private append(piece: string): void {
    const room = this.maxLength - this.pending.length;
    if (piece.length <= room) {
      this.pending += piece;
      return;
    }
    this.pending += piece.slice(0, room);
    this.dropped += piece.length - room;
  }

  private emit(): void {
    const [line, dropped] = [this.pending, this.dropped];
    this.pending = '';
    this.dropped = 0;
    if (dropped > 0) this.onLine(line, { droppedCharacters: dropped });
    else if (line.trim()) this.onLine(line);
  }
}
