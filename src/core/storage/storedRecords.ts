// How backfill and run records are checked and shaped for storage: optional fields (tags, owner, pausedAt, error, remote, attempt, pid, pidStartTime, retryDueAt) are omitted when empty.
import type { BackfillOwner, BackfillRecord, RemoteBackfillOrigin, RunRecord, RunUpdate } from '../backfill/backfill';

/**
 * Both stores return the same shape: an optional field that is null or absent is left out, so a record written
 * by a build that knew nothing of it (and a record that never had it) reads back exactly as it was created.
 */
export function storedBackfill(b: BackfillRecord): BackfillRecord {
  const { tags, owner, parentId, pausedAt, error, remote, ...rest } = b;
  return {
    ...structuredClone(rest),
    ...(parentId === undefined ? {} : { parentId }),
    ...(tags === undefined ? {} : { tags: { ...tags } }),
    ...(owner === undefined || owner === null ? {} : { owner: { ...owner } }),
    ...(pausedAt === undefined || pausedAt === null ? {} : { pausedAt }),
    ...(error === undefined || error === null ? {} : { error }),
    ...(remote === undefined ? {} : { remote: storedRemote(remote) }),
  };
}

/** Only the known fields, each omitted when absent, so both stores read back the same shape. */
function storedRemote(r: RemoteBackfillOrigin): RemoteBackfillOrigin {
  return {
    deployment: r.deployment, url: r.url, kind: r.kind, backfillId: r.backfillId,
    ...(r.backfillKind === undefined ? {} : { backfillKind: r.backfillKind }),
    ...(r.status === undefined ? {} : { status: r.status }),
    ...(r.checkedAt === undefined ? {} : { checkedAt: r.checkedAt }),
  };
}

export function validateRemoteOrigin(id: string, remote: RemoteBackfillOrigin | undefined): void {
  if (remote === undefined) return;
  if (remote === null || typeof remote !== 'object') throw new Error(`backfill ${id}: remote must be an object`);
  for (const field of ['deployment', 'url', 'backfillId'] as const) {
    if (typeof remote[field] !== 'string' || remote[field] === '') throw new Error(`backfill ${id}: remote.${field} must be a non-empty string`);
  }
  if (remote.kind !== 'oss' && remote.kind !== 'dagster-plus') throw new Error(`backfill ${id}: remote.kind must be "oss" or "dagster-plus", not ${JSON.stringify(remote.kind)}`);
  if (remote.backfillKind !== undefined && remote.backfillKind !== 'asset' && remote.backfillKind !== 'job') throw new Error(`backfill ${id}: remote.backfillKind must be "asset" or "job", not ${JSON.stringify(remote.backfillKind)}`);
  if (remote.status !== undefined && typeof remote.status !== 'string') throw new Error(`backfill ${id}: remote.status must be a string`);
  if (remote.checkedAt !== undefined && !Number.isSafeInteger(remote.checkedAt)) throw new Error(`backfill ${id}: remote.checkedAt must be epoch milliseconds`);
  if ('token' in remote) throw new Error(`backfill ${id}: a deployment token is never stored`);
}

export function storedRun(r: RunRecord): RunRecord {
  const { attempt, pid, pidStartTime, retryDueAt, ...rest } = r;
  return {
    ...rest,
    ...(attempt === undefined ? {} : { attempt }),
    ...(pid === undefined || pid === null ? {} : { pid }),
    ...(pidStartTime === undefined || pidStartTime === null ? {} : { pidStartTime }),
    ...(retryDueAt === undefined || retryDueAt === null ? {} : { retryDueAt }),
  };
}

/** Tags are Dagster run tags: non-empty string keys, string values. */
export function validateBackfillTags(id: string, tags: unknown): void {
  if (tags === undefined) return;
  if (tags === null || typeof tags !== 'object' || Array.isArray(tags)) throw new Error(`backfill ${id}: tags must be an object of strings`);
  for (const [k, v] of Object.entries(tags)) {
    if (k === '') throw new Error(`backfill ${id}: a tag needs a non-empty key`);
    if (typeof v !== 'string') throw new Error(`backfill ${id}: tag ${k} must be a string, not ${v === null ? 'null' : typeof v}`);
  }
}

export function validateBackfillOwner(id: string, owner: BackfillOwner | null | undefined): void {
  if (owner === null || owner === undefined) return;
  if (typeof owner.origin !== 'string' || owner.origin === '') throw new Error(`backfill ${id}: the owner needs an origin`);
  if (!Number.isSafeInteger(owner.pid) || owner.pid <= 0) throw new Error(`backfill ${id}: the owner's pid must be a positive integer, not ${String(owner.pid)}`);
  if (typeof owner.host !== 'string') throw new Error(`backfill ${id}: the owner's host must be a string`);
  if (!Number.isFinite(owner.heartbeatAt)) throw new Error(`backfill ${id}: the owner's heartbeatAt must be epoch milliseconds`);
}

export function validatePausedAt(id: string, pausedAt: number | null | undefined): void {
  if (pausedAt !== undefined && pausedAt !== null && !Number.isSafeInteger(pausedAt)) {
    throw new Error(`backfill ${id}: pausedAt must be epoch milliseconds or null, not ${String(pausedAt)}`);
  }
}

/**
 * A start time belongs to one pid: an update that sets another pid (or none) without its start time clears the old
 * one, so a record never pairs a pid with the start time of the process it had before.
 */
export function pairedPidStartTime(update: RunUpdate): RunUpdate {
  return update.pid !== undefined && update.pidStartTime === undefined ? { ...update, pidStartTime: null } : update;
}

/** attempt counts from 1; pid is a process (group) id or null while no process runs the attempt; retryDueAt is epoch milliseconds or null. */
export function validateRunFields(id: string, fields: { attempt?: number | undefined; pid?: number | null | undefined; pidStartTime?: string | null | undefined; retryDueAt?: number | null | undefined }): void {
  if (fields.attempt !== undefined && (!Number.isSafeInteger(fields.attempt) || fields.attempt < 1)) {
    throw new Error(`run ${id}: attempt must be an integer from 1, not ${String(fields.attempt)}`);
  }
  if (fields.pid !== undefined && fields.pid !== null && (!Number.isSafeInteger(fields.pid) || fields.pid === 0)) {
    throw new Error(`run ${id}: pid must be a non-zero integer, not ${String(fields.pid)}`);
  }
  if (fields.pidStartTime !== undefined && fields.pidStartTime !== null && (typeof fields.pidStartTime !== 'string' || fields.pidStartTime === '')) {
    throw new Error(`run ${id}: pidStartTime must be a non-empty string or null, not ${JSON.stringify(fields.pidStartTime)}`);
  }
  if (fields.retryDueAt !== undefined && fields.retryDueAt !== null && !Number.isSafeInteger(fields.retryDueAt)) {
    throw new Error(`run ${id}: retryDueAt must be epoch milliseconds or null, not ${String(fields.retryDueAt)}`);
  }
}
