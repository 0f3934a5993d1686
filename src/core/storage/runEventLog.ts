// Run events and saved plans as the state store holds them: record shapes, the per-run bound and payload encoding.

/** Per-run event budget: older events are dropped and counted in a truncation marker, as run logs keep a tail. */
export const RUN_EVENTS_PER_RUN = 1000;

/** The kind of the marker that stands first in runEvents() when older events were dropped. */
export const EVENTS_TRUNCATED_KIND = 'EVENTS_TRUNCATED';

export interface RunEvent {
  /** 1, 2, 3… per run in append order; dropped events leave their numbers unused. */
  seq: number;
  /** Epoch milliseconds. */
  at: number;
  kind: string;
  payload: unknown;
}

export interface SavedPlan {
  planJson: string;
  inputsHash: string;
  createdAt: number;
}

/** JSON text of a payload; refuses what JSON cannot carry so a stored event always reads back as it was given. */
export function encodeEventPayload(runId: string, kind: string, payload: unknown): string {
  if (kind === '') throw new Error(`run ${runId}: an event needs a non-empty kind`);
  let text: string | undefined;
  try {
    text = JSON.stringify(payload === undefined ? null : payload);
  } catch (err) {
    throw new Error(`run ${runId}: the payload of event ${kind} is not JSON-serialisable (${err instanceof Error ? err.message : String(err)})`);
  }
  if (text === undefined) throw new Error(`run ${runId}: the payload of event ${kind} is not JSON-serialisable (a ${typeof payload})`);
  return text;
}

/** The kept events, behind a marker (seq 0) saying how many older ones were dropped. */
export function withTruncationMarker(kept: RunEvent[], lastSeq: number): RunEvent[] {
  const dropped = lastSeq - kept.length;
  if (dropped <= 0 || kept.length === 0) return kept;
  return [{ seq: 0, at: kept[0]!.at, kind: EVENTS_TRUNCATED_KIND, payload: { dropped } }, ...kept];
}

export function validatePlan(backfillId: string, planJson: string, inputsHash: string): void {
  if (backfillId === '') throw new Error('a saved plan needs a backfill id');
  if (inputsHash === '') throw new Error(`the plan of backfill ${backfillId} needs an inputs hash`);
  try {
    JSON.parse(planJson);
  } catch (err) {
    throw new Error(`the plan of backfill ${backfillId} is not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
}
