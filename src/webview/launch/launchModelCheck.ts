// Structural checks of the launch panel's inbound models (from the host or from restored state).
import { findLaunchFormProblem } from '../../shared/launchForm';
import { findPartitionKeyListProblem, type PartitionKeyList } from '../../shared/partitionKeyList';
import { PARTITION_STATUS_NAMES as STATUSES } from '../../shared/protocol';

type Problem = string | null;
const DEPLOYMENT_KINDS: readonly string[] = ['oss', 'dagster-plus'];


function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

function stringsProblem(obj: Record<string, unknown>, where: string, names: readonly string[]): Problem {
  for (const n of names) if (typeof obj[n] !== 'string') return `${where}.${n} must be a string`;
  return null;
}

export function findLaunchTargetModelProblem(raw: unknown, where: string): Problem {
  if (!isRecord(raw)) return `${where} must be an object`;
  const p = stringsProblem(raw, where, ['target', 'partitionsDescription', 'policy']);
  if (p) return p;
  if (raw.kind !== 'asset' && raw.kind !== 'job' && raw.kind !== 'command') return `${where}.kind must be asset, job or command`;
  const keysProblem = findPartitionKeyListProblem(raw.keys, `${where}.keys`);
  if (keysProblem) return keysProblem;
  const keyCount = (raw.keys as PartitionKeyList).count;
  if (!Array.isArray(raw.downstream) || !raw.downstream.every((k) => typeof k === 'string')) return `${where}.downstream must be an array of strings`;
  if (!Array.isArray(raw.statusRuns)) return `${where}.statusRuns must be an array`;
  let covered = 0;
  for (const run of raw.statusRuns as unknown[]) {
    if (!Array.isArray(run) || run.length !== 2 || !STATUSES.has(run[0]) || !isCount(run[1]) || run[1] === 0) return `${where}.statusRuns must hold [status, positive length] pairs`;
    covered += run[1];
  }
  if (covered !== keyCount) return `${where}.statusRuns cover ${covered} partitions but keys has ${keyCount}`;
  if (raw.notLaunchable !== null && typeof raw.notLaunchable !== 'string') return `${where}.notLaunchable must be a string or null`;
  if (raw.dynamicPartitionsName !== null && typeof raw.dynamicPartitionsName !== 'string') return `${where}.dynamicPartitionsName must be a string or null`;
  if (typeof raw.statusSource !== 'string') return `${where}.statusSource must be a string`;
  if (!isCount(raw.defaultConcurrency) || !isCount(raw.prefillId)) return `${where}.defaultConcurrency and prefillId must be non-negative integers`;
  if (!Array.isArray(raw.deployments)) return `${where}.deployments must be an array`;
  for (const [i, d] of (raw.deployments as unknown[]).entries()) {
    if (!isRecord(d) || typeof d.name !== 'string' || d.name === '' || typeof d.url !== 'string' || !DEPLOYMENT_KINDS.includes(d.kind as string)) return `${where}.deployments[${i}] must be {name, url, kind}`;
  }
  return findLaunchFormProblem(raw.form, `${where}.form`);
}

export function findPlanPreviewProblem(raw: unknown, where: string): Problem {
  if (!isRecord(raw)) return `${where} must be an object`;
  if (!isCount(raw.requestId)) return `${where}.requestId must be a non-negative integer`;
  if (raw.ok === false) {
    if (typeof raw.message !== 'string') return `${where}.message must be a string`;
    if (!isRecord(raw.fieldErrors) || !Object.values(raw.fieldErrors).every((v) => typeof v === 'string')) return `${where}.fieldErrors must map fields to messages`;
    return null;
  }
  if (raw.ok !== true) return `${where}.ok must be a boolean`;
  if (typeof raw.planId !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(raw.planId)) return `${where}.planId must be an identifier`;
  if (!isCount(raw.runCount) || !isCount(raw.partitionCount)) return `${where}.runCount and partitionCount must be non-negative integers`;
  if (typeof raw.selection !== 'string') return `${where}.selection must be a string`;
  if (raw.launchBlockedBy !== null && typeof raw.launchBlockedBy !== 'string') return `${where}.launchBlockedBy must be a string or null`;
  if (!Array.isArray(raw.targets)) return `${where}.targets must be an array`;
  for (const [i, t] of (raw.targets as unknown[]).entries()) {
    if (!isRecord(t) || typeof t.target !== 'string' || typeof t.span !== 'string' || !isCount(t.partitions) || !isCount(t.runs)) return `${where}.targets[${i}] must be {target, partitions, runs, span}`;
  }
  if (!Array.isArray(raw.skipped)) return `${where}.skipped must be an array`;
  for (const [i, s] of (raw.skipped as unknown[]).entries()) {
    if (!isRecord(s) || typeof s.target !== 'string' || typeof s.reason !== 'string' || typeof s.ranges !== 'string' || !isCount(s.count)) return `${where}.skipped[${i}] must be {target, count, reason, ranges}`;
  }
  return raw.remote === null ? null : findRemotePlanProblem(raw.remote, `${where}.remote`);
}

function findRemotePlanProblem(raw: unknown, where: string): Problem {
  if (!isRecord(raw)) return `${where} must be an object or null`;
  const p = stringsProblem(raw, where, ['deployment', 'url']);
  if (p) return p;
  if (!DEPLOYMENT_KINDS.includes(raw.kind as string)) return `${where}.kind must be oss or dagster-plus`;
  if (!Array.isArray(raw.asked) || !raw.asked.every((a) => isRecord(a) && typeof a.label === 'string' && typeof a.value === 'string')) return `${where}.asked must hold {label, value} pairs`;
  if (!Array.isArray(raw.notSent) || !raw.notSent.every((n) => typeof n === 'string')) return `${where}.notSent must be an array of strings`;
  return null;
}
