// Every change to the state store as a plain data record, and the one function that applies a record to a database.
import type { BackfillOwner, BackfillRecord, BackfillStatus, PartitionStatus, RemoteBackfillOrigin, RunRecord, RunUpdate } from '../backfill/backfill';
import type { StateDatabase } from './stateDatabase';
import type { BackfillPrune } from './stateStore';

/*
 * Records, not closures: the same record is applied in memory at once, appended to the journal as JSON,
 * replayed from the journal at open, and replayed onto a newer version written by another process. Every
 * input the change depends on (the clock included) is captured in the record, so each replay gives the
 * same rows. Records are JSON-safe: undefined fields drop out, which every apply treats as "not given".
 */
export type StoreMutation =
  | { op: 'createBackfill'; backfill: BackfillRecord; runs: RunRecord[] }
  | { op: 'updateBackfillStatus'; id: string; status: BackfillStatus; endedAt: number | null }
  | { op: 'setBackfillOwner'; id: string; owner: BackfillOwner | null; expected?: BackfillOwner | null }
  | { op: 'setBackfillPaused'; id: string; pausedAt: number | null }
  | { op: 'setBackfillError'; id: string; error: string | null }
  | { op: 'setBackfillRemote'; id: string; remote: RemoteBackfillOrigin }
  | { op: 'updateRun'; id: string; update: RunUpdate }
  | { op: 'appendRunLog'; runId: string; text: string }
  | { op: 'setPartitionStatuses'; target: string; keys: string[]; status: PartitionStatus; runId: string | null; at: number }
  | { op: 'savePlan'; backfillId: string; planJson: string; inputsHash: string; at: number }
  | { op: 'appendRunEvent'; runId: string; kind: string; payload: unknown; at: number }
  | { op: 'addDynamicPartitions'; name: string; keys: string[] }
  | { op: 'deleteDynamicPartition'; name: string; key: string }
  | ({ op: 'pruneBackfills' } & BackfillPrune);

/** Applies one record; throws (changing nothing) when it refers to an unknown id or carries bad values. */
export function applyMutation(state: StateDatabase, m: StoreMutation): void {
  switch (m.op) {
    case 'createBackfill': return state.createBackfill(m.backfill, m.runs);
    case 'updateBackfillStatus': return state.updateBackfillStatus(m.id, m.status, m.endedAt);
    case 'setBackfillOwner':
      if (m.expected !== undefined) checkOwner(m.id, state.getBackfill(m.id)?.owner, m.expected);
      return state.setBackfillOwner(m.id, m.owner);
    case 'setBackfillPaused': return state.setBackfillPaused(m.id, m.pausedAt);
    case 'setBackfillError': return state.setBackfillError(m.id, m.error);
    case 'setBackfillRemote': return state.setBackfillRemote(m.id, m.remote);
    case 'updateRun': return state.updateRun(m.id, m.update);
    case 'appendRunLog': return state.appendRunLog(m.runId, m.text);
    case 'setPartitionStatuses': return state.setPartitionStatuses(m.target, m.keys, m.status, m.runId, m.at);
    case 'savePlan': return state.savePlan(m.backfillId, m.planJson, m.inputsHash, m.at);
    case 'appendRunEvent': return state.appendRunEvent(m.runId, m.kind, m.payload, m.at);
    case 'addDynamicPartitions': return state.addDynamicPartitions(m.name, m.keys);
    case 'deleteDynamicPartition': return state.deleteDynamicPartition(m.name, m.key);
    case 'pruneBackfills': return state.pruneBackfills({ remove: m.remove, dropLogsOf: m.dropLogsOf });
    default: {
      const unknown: never = m;
      throw new Error(`unknown state store change ${JSON.stringify((unknown as { op?: unknown }).op)}`);
    }
  }
}

/** True for a value that has the shape of a record (journal lines are checksummed, so this guards against other builds). */
export function isStoreMutation(value: unknown): value is StoreMutation {
  return typeof value === 'object' && value !== null && typeof (value as { op?: unknown }).op === 'string';
}

/** A claim (setBackfillOwner with `expected`) found another owner than the one it was made against. */
export class OwnerClaimConflict extends Error {
  override name = 'OwnerClaimConflict';
}

/** Compare-and-set of an owner: replayed onto another process's version, a claim someone else made first does not apply. */
export function checkOwner(id: string, current: BackfillOwner | null | undefined, expected: BackfillOwner | null): void {
  const same = (a: BackfillOwner | null | undefined, b: BackfillOwner | null) =>
    (a ?? null) === b || (a != null && b !== null && a.pid === b.pid && a.host === b.host && a.origin === b.origin && a.heartbeatAt === b.heartbeatAt);
  if (!same(current, expected)) throw new OwnerClaimConflict(`backfill ${id} has changed owner since it was read (now ${current ? `process ${current.pid} on ${current.host}` : 'none'})`);
}
