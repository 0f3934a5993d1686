// Structural check of a BackfillDetailsModel arriving from the host or from restored webview state.
import { findPartitionKeyListProblem, type PartitionKeyList } from '../../shared/partitionKeyList';
import { PARTITION_STATUS_NAMES as STATUS_NAMES, STATUS_TONES, type BackfillDetailsModel } from '../../shared/protocol';

type Problem = string | null;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

function checkFields(obj: Record<string, unknown>, where: string, strings: string[], counts: string[]): Problem {
  for (const name of strings) {
    if (typeof obj[name] !== 'string') return `${where}.${name} must be a string`;
  }
  for (const name of counts) {
    if (!isCount(obj[name])) return `${where}.${name} must be a non-negative integer`;
  }
  return null;
}

function checkArray(value: unknown, where: string, checkItem: (item: unknown, where: string) => Problem): Problem {
  if (!Array.isArray(value)) return `${where} must be an array`;
  for (let i = 0; i < value.length; i++) {
    const problem = checkItem(value[i], `${where}[${i}]`);
    if (problem) return problem;
  }
  return null;
}

function checkPartitionStrip(item: unknown, where: string): Problem {
  if (!isRecord(item)) return `${where} must be an object`;
  if (typeof item.target !== 'string') return `${where}.target must be a string`;
  const keysProblem = findPartitionKeyListProblem(item.keys, `${where}.keys`);
  if (keysProblem) return keysProblem;
  const keyCount = (item.keys as PartitionKeyList).count;
  if (!Array.isArray(item.statusRuns)) return `${where}.statusRuns must be an array`;
  let covered = 0;
  for (let i = 0; i < item.statusRuns.length; i++) {
    const run: unknown = item.statusRuns[i];
    if (!Array.isArray(run) || run.length !== 2 || !STATUS_NAMES.has(run[0]) || !isCount(run[1]) || run[1] === 0) {
      return `${where}.statusRuns[${i}] must be [status, positive length] with status one of ${[...STATUS_NAMES].join(', ')}`;
    }
    covered += run[1];
  }
  if (covered !== keyCount) {
    return `${where}.statusRuns cover ${covered} partitions but ${where}.keys has ${keyCount}`;
  }
  return null;
}

function checkTargetCounts(item: unknown, where: string): Problem {
  if (!isRecord(item)) return `${where} must be an object`;
  return checkFields(item, where, ['target'], ['targeted', 'inProgress', 'materialized', 'failed', 'canceled', 'queued', 'skipped']);
}

function checkRunRow(item: unknown, where: string): Problem {
  if (!isRecord(item)) return `${where} must be an object`;
  const problem = checkFields(item, where, ['runId', 'target', 'partitionKey', 'status', 'statusLabel', 'duration'], []);
  if (problem) return problem;
  if (!STATUS_TONES.has(item.statusTone as string)) return `${where}.statusTone must be one of ${[...STATUS_TONES].join(', ')}`;
  if (item.error !== null && typeof item.error !== 'string') return `${where}.error must be a string or null`;
  return checkNullableStrings(item, where, ['runUrl']);
}

function checkNullableStrings(obj: Record<string, unknown>, where: string, names: string[]): Problem {
  for (const name of names) {
    if (obj[name] !== null && typeof obj[name] !== 'string') return `${where}.${name} must be a string or null`;
  }
  return null;
}

function checkRemote(raw: unknown, where: string): Problem {
  if (raw === null) return null;
  if (!isRecord(raw)) return `${where} must be an object or null`;
  return checkFields(raw, where, ['deployment', 'deploymentUrl', 'dagsterBackfillId', 'checkedAt'], []) ?? checkNullableStrings(raw, where, ['followError', 'partitionsNote']);
}

function checkFailureGroup(item: unknown, where: string): Problem {
  if (!isRecord(item)) return `${where} must be an object`;
  const problem = checkFields(item, where, ['error', 'sampleRunId'], ['count']);
  if (problem) return problem;
  if (!Array.isArray(item.partitions) || !item.partitions.every((p) => typeof p === 'string')) return `${where}.partitions must be an array of strings`;
  return checkNullableStrings(item, where, ['sampleRunUrl']);
}

/** Returns what is wrong with `raw` as a BackfillDetailsModel (naming the field path under `where`), or null. */
export function findBackfillDetailsModelProblem(raw: unknown, where: string): Problem {
  if (!isRecord(raw)) return `${where} must be an object`;
  const problem =
    checkFields(raw, where, ['backfillId', 'status', 'statusLabel', 'statusDetail', 'title', 'createdAt', 'duration'], []) ??
    (STATUS_TONES.has(raw.statusTone as string) ? null : `${where}.statusTone must be one of ${[...STATUS_TONES].join(', ')}`) ??
    (isRecord(raw.progress)
      ? checkFields(raw.progress, `${where}.progress`, ['summary'], ['total', 'done', 'succeeded', 'failed', 'canceled', 'skipped', 'inProgress', 'queued'])
      : `${where}.progress must be an object`) ??
    checkArray(raw.targets, `${where}.targets`, checkTargetCounts) ??
    checkArray(raw.partitions, `${where}.partitions`, checkPartitionStrip) ??
    checkArray(raw.runs, `${where}.runs`, checkRunRow);
  if (problem) return problem;
  for (const flag of ['canCancel', 'canResume', 'canReexecute', 'canReexecuteFromFailure']) {
    if (typeof raw[flag] !== 'boolean') return `${where}.${flag} must be a boolean`;
  }
  if (raw.error !== null && typeof raw.error !== 'string') return `${where}.error must be a string or null`;
  return checkRemote(raw.remote, `${where}.remote`) ?? checkArray(raw.failureGroups, `${where}.failureGroups`, checkFailureGroup);
}

export function isBackfillDetailsModel(raw: unknown): raw is BackfillDetailsModel {
  return findBackfillDetailsModelProblem(raw, 'model') === null;
}
