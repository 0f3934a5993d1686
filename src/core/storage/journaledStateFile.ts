// One consistent version on disk: the snapshot (state.sqlite) plus the journal records that follow it, and setting a damaged journal aside.
import * as fs from 'node:fs/promises';
import type { SqlJsStatic } from 'sql.js';
import type { StateDatabase } from './stateDatabase';
import { StateStoreError, openStateDatabase, readStateFile } from './stateFile';
import type { CorruptStateFile } from './stateFile';
import { parseJournal, readJournal } from './stateJournal';
import { applyMutation } from './storeMutation';
import type { StoreMutation } from './storeMutation';
import { sameSignature, statSignature } from './writeFileAtomic';
import type { FileSignature } from './writeFileAtomic';

/** Where we are in the journal that belongs to our snapshot. */
export interface JournalPosition {
  ino: number;
  /** Just after the last intact record we applied: the next append goes here. */
  end: number;
  /** The size last seen on disk; more than `end` means a torn tail (or an append in progress). */
  size: number;
  /** Flushes recorded since the header; a checkpoint is due on close when there are any. */
  records: number;
  /** When we first saw or created it, for the age limit. */
  since: number;
}

export interface JournaledVersion {
  state: StateDatabase;
  signature: FileSignature;
  /** Null when there is no journal for this snapshot (none, or one left by an earlier snapshot). */
  journal: JournalPosition | null;
  /** The journal on disk that was ignored because it belongs to an earlier snapshot (its records are in this one). */
  ignored: { ino: number; size: number } | undefined;
  /** A damaged record in the middle: the records before it were applied; the journal must be set aside. */
  damage: string | undefined;
  /** Intact journal records that did not apply onto the snapshot (left out of this version). */
  problems: ReplayProblem[];
}

export function journalPath(file: string): string {
  return `${file}.journal`;
}

/** A change record that could not be applied where it was replayed, and why. */
export interface ReplayProblem {
  mutation: StoreMutation;
  error: Error;
}

/**
 * Applies records one by one; one that does not apply (its row is gone in this version, a claim lost to
 * another process, a bad value) changes nothing and is returned, for the caller to report or drop.
 */
export function replay(state: StateDatabase, mutations: readonly StoreMutation[]): ReplayProblem[] {
  const problems: ReplayProblem[] = [];
  for (const mutation of mutations) {
    try {
      applyMutation(state, mutation);
    } catch (err) {
      problems.push({ mutation, error: err instanceof Error ? err : new Error(String(err)) });
    }
  }
  return problems;
}

/** "updateRun of run 1f0c…: no run with id 1f0c…", for a warning that names what was not applied. */
export function describeReplayProblem(p: ReplayProblem): string {
  return `${p.mutation.op}${mutationSubject(p.mutation)}: ${p.error.message}`;
}

function mutationSubject(m: StoreMutation): string {
  if ('id' in m) return ` of ${m.op.includes('Run') ? 'run' : 'backfill'} ${m.id}`;
  if ('backfill' in m) return ` of backfill ${m.backfill.id}`;
  if ('target' in m) return ` of ${m.target}${m.runId ? ` (run ${m.runId})` : ''}`;
  if ('runId' in m) return ` of run ${m.runId}`;
  if ('backfillId' in m) return ` of backfill ${m.backfillId}`;
  if ('name' in m) return ` of ${m.name}`;
  return '';
}

/**
 * Applies the journal at `journalFile` onto `state` (just opened from a snapshot) when it belongs to that
 * snapshot. A journal from a newer build throws; a damaged middle record is reported in `damage`, records
 * that do not apply in `problems`.
 */
export async function replayJournal(journalFile: string, state: StateDatabase, now: number): Promise<Omit<JournaledVersion, 'state' | 'signature'>> {
  const read = await readJournal(journalFile);
  if (!read) return { journal: null, ignored: undefined, damage: undefined, problems: [] };
  const parsed = parseJournal(journalFile, read.bytes, 0);
  if (parsed.snapshot !== state.snapshotId()) {
    // Not ours: a checkpoint absorbed it (or it was never started); damage is only worth reporting in ours.
    if (parsed.snapshot === undefined && parsed.damage) return { journal: null, ignored: undefined, damage: parsed.damage, problems: [] };
    return { journal: null, ignored: { ino: read.ino, size: read.size }, damage: undefined, problems: [] };
  }
  const problems = parsed.batches.flatMap((batch) => replay(state, batch));
  return {
    journal: { ino: read.ino, end: parsed.validEnd, size: read.size, records: parsed.batches.length, since: now },
    ignored: undefined,
    damage: parsed.damage,
    problems,
  };
}

/**
 * Reads the snapshot and its journal as one version: when another process checkpoints between the two
 * reads (the snapshot changed under us), it reads again, so it never pairs a snapshot with the wrong journal.
 */
export async function readJournaledVersion(sql: SqlJsStatic, file: string, now: number): Promise<JournaledVersion | null> {
  for (let attempt = 0; ; attempt++) {
    const snapshot = await readStateFile(file);
    if (!snapshot) return null;
    const { state } = openStateDatabase(sql, file, snapshot.bytes);
    let rest: Omit<JournaledVersion, 'state' | 'signature'>;
    try {
      rest = await replayJournal(journalPath(file), state, now);
    } catch (err) {
      state.close();
      throw err;
    }
    const after = await statSignature(file);
    if (sameSignature(after, snapshot.signature) || attempt >= 5) return { state, signature: snapshot.signature, ...rest };
    state.close();
  }
}

/** `<journal>.corrupt-<timestamp>`: kept for inspection, never deleted; the snapshot is untouched. */
export async function moveAsideJournal(journalFile: string, reason: string, at: Date): Promise<CorruptStateFile> {
  const base = `${journalFile}.corrupt-${at.toISOString().replace(/[:.]/g, '-')}`;
  let movedTo = base;
  for (let n = 1; await fs.stat(movedTo).then(() => true, () => false); n++) movedTo = `${base}-${n}`;
  try {
    await fs.rename(journalFile, movedTo);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { file: journalFile, movedTo, reason };
    throw new StateStoreError(`${journalFile} is damaged (${reason}) and could not be moved aside to ${movedTo}: ${(err as Error).message}`);
  }
  return { file: journalFile, movedTo, reason };
}
