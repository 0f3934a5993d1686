// Partition statuses read from a Dagster deployment (assetPartitionStatuses) as the per-key statuses the code lenses
// and the partitions panel show, over the target's own keys, and the words that say where they come from.
import type { PartitionStatus } from '../backfill/backfill';
import type { DagsterDeploymentErrorKind } from './dagsterGraphqlClient';
import { unknownPartitionKeys, type DeploymentAssetPartitionStatuses, type PartitionRangeStatus, type PartitionStatuses1D } from './deploymentPartitionStatuses';

const STATUS_OF: Record<PartitionRangeStatus, PartitionStatus> = { MATERIALIZED: 'MATERIALIZED', FAILED: 'FAILED', MATERIALIZING: 'IN_PROGRESS' };
const MULTI_KEY_DELIMITER = '|';

export interface DeploymentPartitionStatusMap {
  /** The target's keys that have a status on the deployment; absent keys are missing there. */
  statuses: Map<string, PartitionStatus>;
  /** How many of the target's keys the deployment's definition does not have (not deployed yet, another start date). */
  notOnDeployment: number;
}

/** Every key with a status in one dimension, in the deployment's key order (`keys`: that dimension's keys). */
function oneDimension(s: PartitionStatuses1D, keys: readonly string[], position: ReadonlyMap<string, number>): Map<string, PartitionStatus> {
  const out = new Map<string, PartitionStatus>();
  if (s.kind === 'keys') {
    // A key listed twice (a server mid-update) reads as its most recent state: in progress over failed over materialized.
    for (const k of s.materialized) out.set(k, 'MATERIALIZED');
    for (const k of s.failed) out.set(k, 'FAILED');
    for (const k of s.materializing) out.set(k, 'IN_PROGRESS');
    return out;
  }
  for (const range of s.ranges) {
    const start = position.get(range.startKey);
    const end = position.get(range.endKey);
    // A range whose ends the deployment's own key list lacks cannot be placed; Dagster sends none such.
    if (start === undefined || end === undefined) continue;
    for (let i = start; i <= end; i++) out.set(keys[i]!, STATUS_OF[range.status]);
  }
  return out;
}

function positions(keys: readonly string[]): Map<string, number> {
  return new Map(keys.map((k, i) => [k, i]));
}

/** Every key with a status on the deployment, multi-partition keys joined in dimension-name order as Dagster does. */
export function deploymentPartitionStatuses(answer: DeploymentAssetPartitionStatuses): Map<string, PartitionStatus> {
  const dims = answer.partitionKeysByDimension;
  const s = answer.statuses;
  if (s.kind !== 'multi') {
    const keys = dims[0]?.partitionKeys ?? [];
    return oneDimension(s, keys, positions(keys));
  }
  const primary = dims.find((d) => d.name === s.primaryDimensionName);
  const secondary = dims.find((d) => d.name !== s.primaryDimensionName);
  const out = new Map<string, PartitionStatus>();
  if (!primary || !secondary) return out;
  const primaryPosition = positions(primary.partitionKeys);
  const secondaryPosition = positions(secondary.partitionKeys);
  const primaryFirst = primary.name < secondary.name;
  for (const range of s.ranges) {
    const start = primaryPosition.get(range.primaryDimStartKey);
    const end = primaryPosition.get(range.primaryDimEndKey);
    if (start === undefined || end === undefined) continue;
    const inner = oneDimension(range.secondaryDim, secondary.partitionKeys, secondaryPosition);
    for (let i = start; i <= end; i++) {
      const p = primary.partitionKeys[i]!;
      for (const [k, status] of inner) out.set(primaryFirst ? `${p}${MULTI_KEY_DELIMITER}${k}` : `${k}${MULTI_KEY_DELIMITER}${p}`, status);
    }
  }
  return out;
}

/** The deployment's statuses of the target's `keys` (as this workspace defines them), and how many it lacks. */
export function deploymentPartitionStatusMap(answer: DeploymentAssetPartitionStatuses, keys: readonly string[]): DeploymentPartitionStatusMap {
  const all = deploymentPartitionStatuses(answer);
  const statuses = new Map<string, PartitionStatus>();
  for (const k of keys) {
    const status = all.get(k);
    if (status !== undefined) statuses.set(k, status);
  }
  return { statuses, notOnDeployment: unknownPartitionKeys(answer, keys).length };
}

/** Where a face's statuses stand when a deployment is chosen for them. */
export type DeploymentStatusState =
  | { kind: 'ready'; deployment: string; notOnDeployment: number }
  | { kind: 'loading'; deployment: string }
  | { kind: 'unavailable'; deployment: string; reason: DeploymentStatusProblem; message: string };

/** Why no statuses: the deployment's error kind, or a reason of the tool's own. */
export type DeploymentStatusProblem = DagsterDeploymentErrorKind | 'not-configured' | 'untrusted' | 'not-an-asset';

/** A few words for a lens (its tooltip carries the whole message). */
export function deploymentProblemWords(reason: DeploymentStatusProblem, deployment: string): string {
  const d = `"${deployment}"`;
  switch (reason) {
    case 'unreachable': return `${d} is unreachable`;
    case 'timeout': return `${d} did not answer`;
    case 'unauthorized': return `${d} refused access (401)`;
    case 'forbidden': return `${d} refused access (403)`;
    case 'not-found': return `not on ${d}`;
    case 'not-configured': return `no deployment ${d} configured`;
    case 'untrusted': return 'not read in an untrusted workspace';
    case 'not-an-asset': return `${d} keeps statuses per asset only`;
    default: return `${d} could not be read`;
  }
}

/** The code lens's status title: the counts and where they come from, or why there are none. */
export function deploymentStatusLensTitle(state: DeploymentStatusState, counts: string): string {
  if (state.kind === 'loading') return `$(sync~spin) statuses from ${state.deployment}…`;
  if (state.kind === 'unavailable') return `$(warning) No statuses: ${deploymentProblemWords(state.reason, state.deployment)}`;
  return `${counts} · statuses from ${state.deployment}`;
}

/** The partitions panel's source line. */
export function deploymentStatusSourceText(state: DeploymentStatusState): string {
  const where = `Dagster deployment "${state.deployment}"`;
  if (state.kind === 'loading') return `Statuses: ${where}, being read…`;
  if (state.kind === 'unavailable') {
    return `Statuses: none shown. They come from ${where} (backfillStudio.statusDeployment), and ${lowerFirst(state.message)} This machine's statuses are not shown in their place; clear backfillStudio.statusDeployment to see them.`;
  }
  const lacking = state.notOnDeployment > 0 ? ` ${n(state.notOnDeployment)} of these partitions are not defined on it (shown missing).` : '';
  return `Statuses: ${where} (missing means missing there), not this machine's runs.${lacking}`;
}

const n = (x: number): string => x.toLocaleString('en-US');

function lowerFirst(text: string): string {
  const t = text.trim();
  const sentence = /[.!?]$/.test(t) ? t : `${t}.`;
  return /^Dagster\b/.test(sentence) ? sentence : `${sentence.charAt(0).toLowerCase()}${sentence.slice(1)}`;
}
