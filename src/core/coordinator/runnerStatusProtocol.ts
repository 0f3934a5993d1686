// The runner's status mode on the wire (docs/instance-statuses.md): the status and dynamic partitions requests,
// and the checks of their answer events, which parseRunnerLine applies like every other event's.
import type { DefinitionCodeLocation } from '../definitions/definition';
import { isRunnerError, type RunnerError } from './runnerError';

/** A partition status as Dagster's status cache knows it; MISSING only appears in a delta (a key that went back). */
export type InstancePartitionStatus = 'MATERIALIZED' | 'FAILED' | 'IN_PROGRESS';
export type InstanceStatusListName = InstancePartitionStatus | 'MISSING';

/** Inclusive [firstKey, lastKey] in the order of the asset's partitions definition as Dagster loads it. */
export type InstanceKeyRange = [string, string];

export type InstanceStatusLists = Partial<Record<InstanceStatusListName, InstanceKeyRange[]>>;

/** One asset of a status answer: its statuses (full, or the keys that changed), not partitioned, or why it could not be read. */
export type AssetStatusEntry =
  | { asset: string; statuses: InstanceStatusLists; full?: boolean }
  | { asset: string; partitioned: false }
  | { asset: string; error: string };

export interface StatusRequest {
  requestId: string;
  op: 'status';
  workspaceRoot: string;
  location: DefinitionCodeLocation;
  /** Asset keys "a/b". */
  assets: string[];
  /** Names of dynamic partitions definitions whose keys to read. */
  dynamicPartitions: string[];
  /** The cursor of the last answer for this location; null asks for full statuses. */
  cursor: string | null;
}

export interface DynamicPartitionsRequest {
  requestId: string;
  op: 'dynamic_partitions';
  workspaceRoot: string;
  name: string;
  add?: string[];
  delete?: string[];
}

/** Which step of a status request failed as a whole. */
export type StatusFailurePhase = 'instance' | 'location' | 'status';

export type StatusResultEvent =
  | {
      event: 'status_result'; full: boolean; cursor: string | null; instance: string | null;
      assets: AssetStatusEntry[]; dynamicPartitions: Record<string, string[]>;
    }
  | { event: 'status_result'; error: RunnerError; instance: string | null; phase: StatusFailurePhase };

export type DynamicPartitionsResultEvent =
  | { event: 'dynamic_partitions_result'; name: string; keys: string[]; instance: string | null }
  | { event: 'dynamic_partitions_result'; name?: string; error: RunnerError; instance?: string | null };

export type RunnerStatusEvent = StatusResultEvent | DynamicPartitionsResultEvent;

const str = (v: unknown): v is string => typeof v === 'string';
const optStr = (v: unknown) => v === undefined || v === null || typeof v === 'string';
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every(str);
const LISTS: ReadonlySet<string> = new Set(['MATERIALIZED', 'FAILED', 'IN_PROGRESS', 'MISSING']);
const PHASES: ReadonlySet<unknown> = new Set(['instance', 'location', 'status']);

const isRange = (v: unknown) => Array.isArray(v) && v.length === 2 && str(v[0]) && str(v[1]);
const isStatusLists = (v: unknown) => isObject(v) && Object.entries(v).every(([k, list]) => LISTS.has(k) && Array.isArray(list) && list.every(isRange));

function isAssetEntry(v: unknown): boolean {
  if (!isObject(v) || !str(v.asset)) return false;
  if (v.statuses !== undefined) return isStatusLists(v.statuses) && (v.full === undefined || typeof v.full === 'boolean');
  if (v.partitioned !== undefined) return v.partitioned === false;
  return str(v.error);
}

function isStatusResult(o: Record<string, unknown>): boolean {
  if (o.error !== undefined) return isRunnerError(o.error) && optStr(o.instance) && PHASES.has(o.phase);
  return typeof o.full === 'boolean' && optStr(o.cursor) && optStr(o.instance) && Array.isArray(o.assets) && o.assets.every(isAssetEntry)
    && isObject(o.dynamicPartitions) && Object.values(o.dynamicPartitions).every(strings);
}

function isDynamicPartitionsResult(o: Record<string, unknown>): boolean {
  if (o.error !== undefined) return isRunnerError(o.error) && optStr(o.name) && optStr(o.instance);
  return str(o.name) && strings(o.keys) && optStr(o.instance);
}

/** Field checks of the status mode's events, joined to runnerProtocol's table. */
export const STATUS_EVENT_CHECKS: Record<RunnerStatusEvent['event'], (o: Record<string, unknown>) => boolean> = {
  status_result: isStatusResult,
  dynamic_partitions_result: isDynamicPartitionsResult,
};
