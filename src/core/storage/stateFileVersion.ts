// The version of the state file a store's memory is based on: catching up with other processes' writes, journal appends and checkpoints.
import { randomBytes } from 'node:crypto';
import type { SqlJsStatic } from 'sql.js';
import { describeReplayProblem, journalPath, moveAsideJournal, readJournaledVersion, replay, type JournalPosition, type ReplayProblem } from './journaledStateFile';
import type { StateDatabase } from './stateDatabase';
import type { CorruptStateFile } from './stateFile';
import { JournalAppender, JournalChangedError, journalBatch, journalHeader, parseJournal, readJournal } from './stateJournal';
import { OwnerClaimConflict, type StoreMutation } from './storeMutation';
import { sameSignature, statSignatureSync, writeFileAtomic, type FileSignature } from './writeFileAtomic';

/*
 * On disk: the snapshot `state.sqlite` (a whole SQLite image, replaced atomically) and the journal
 * `state.sqlite.journal` (see stateJournal.ts). A write appends the pending change records as one
 * checksummed line and fdatasyncs it: cost proportional to the changes, not the database. A checkpoint
 * (export, atomic replace, a fresh journal naming the new snapshot) runs when the journal passes a size or
 * an age, when one write is big, and on close. Another process's appends are replayed as they come, its
 * checkpoints reloaded whole; our own unwritten records are replayed on top of whatever we load.
 */

export interface StateFileVersionOptions {
  now: () => number;
  writeFile: (filePath: string, data: Uint8Array) => Promise<FileSignature>;
  appender: Pick<JournalAppender, 'append' | 'close'>;
  journalMaxBytes: number;
  journalMaxAgeMs: number;
  /** Something found on disk that the user should hear of once (damage, records that did not apply). */
  warn: (message: string) => void;
  onCorruptFile?: (info: CorruptStateFile) => void;
}

export class StateFileVersion {
  /** Set when the next write must be a checkpoint (created, migrated, recovered, damage found). */
  checkpointDue = false;
  /** A damaged record found in the middle of our journal by a reload: the next checkpoint sets the journal aside. */
  private journalDamage: string | undefined;
  /** The snapshot id our journal position refers to (the snapshot on disk we are based on). */
  private snapshotId: string;
  private readonly journalFile: string;

  constructor(
    private readonly sql: SqlJsStatic,
    private readonly file: string,
    /** The database in memory: this version plus the store's unwritten records. */
    public state: StateDatabase,
    /** The version of the snapshot our memory is based on (last read or written); null before the first write. */
    private signature: FileSignature | null,
    private journal: JournalPosition | null,
    /** A journal on disk known to belong to an earlier snapshot, so its presence is no news. */
    private ignoredJournal: { ino: number; size: number } | undefined,
    private readonly options: StateFileVersionOptions,
  ) {
    this.journalFile = journalPath(file);
    this.snapshotId = state.snapshotId();
  }

  /** Records appended since the last checkpoint: a checkpoint on close makes the next open cheaper. */
  get journalHasRecords(): boolean {
    return (this.journal?.records ?? 0) > 0;
  }

  /**
   * Brings memory to the newest version on disk, keeping `pending` (records applied in memory, not yet
   * written) on top; true when it changed. A pending record that does not apply onto the newer version is
   * removed from `pending` and reported, unless it is a claim another process won (the claimant reads that).
   */
  async catchUp(pending: StoreMutation[]): Promise<boolean> {
    const snapshot = statSignatureSync(this.file);
    // Gone (deleted by hand): the next write recreates it from memory.
    if (snapshot === null) return false;
    if (!sameSignature(snapshot, this.signature)) return this.reload(pending);
    const onDisk = statSignatureSync(this.journalFile);
    if (!this.journal) {
      if (onDisk === null || (this.ignoredJournal && onDisk.ino === this.ignoredJournal.ino && onDisk.size === this.ignoredJournal.size)) return false;
      return this.reload(pending);
    }
    if (onDisk === null || onDisk.ino !== this.journal.ino || onDisk.size < this.journal.end) return this.reload(pending);
    if (onDisk.size === this.journal.size) return false;
    const tail = await readJournal(this.journalFile, this.journal.end);
    if (!tail || tail.ino !== this.journal.ino) return this.reload(pending);
    const parsed = parseJournal(this.journalFile, tail.bytes, this.journal.end);
    this.journal.size = tail.size;
    // Only a torn tail (or an append still being written): nothing to apply yet.
    if (parsed.batches.length === 0 && !parsed.damage) return false;
    // Their records go under ours: with records of our own in memory, that order needs the version reloaded.
    if (parsed.damage || pending.length > 0) return this.reload(pending);
    this.reportProblems(parsed.batches.flatMap((batch) => replay(this.state, batch)), 'written by another process');
    this.journal.end = parsed.validEnd;
    this.journal.records += parsed.batches.length;
    return true;
  }

  /**
   * Appends `batch` to the journal, or checkpoints when one is due, the journal is full or there is nothing to
   * append. False, having written nothing, when the files changed since catchUp: another process wrote, so it
   * took the lock over from us (we stalled past its staleness bound); the caller catches up and tries again.
   */
  async write(batch: readonly StoreMutation[]): Promise<boolean> {
    if (!this.unchangedOnDisk()) return false;
    const line = batch.length > 0 ? journalBatch(batch) : undefined;
    // No snapshot on disk yet (or deleted by hand): a journal must name a snapshot, so the first write is one.
    if (this.checkpointDue || this.signature === null || !line || this.journalFull(line.length)) await this.checkpoint();
    else if (!(await this.append(line))) return false;
    return true;
  }

  private unchangedOnDisk(): boolean {
    const snapshot = statSignatureSync(this.file);
    if (snapshot !== null && !sameSignature(snapshot, this.signature)) return false;
    const journal = statSignatureSync(this.journalFile);
    if (!this.journal) return journal === null || (this.ignoredJournal !== undefined && journal.ino === this.ignoredJournal.ino && journal.size === this.ignoredJournal.size);
    return journal !== null && journal.ino === this.journal.ino && journal.size === this.journal.size;
  }

  /** Export, atomic replace under a new snapshot id, then a fresh journal naming it. */
  private async checkpoint(): Promise<void> {
    const id = randomBytes(8).toString('hex');
    this.state.setSnapshotId(id);
    this.signature = await this.options.writeFile(this.file, this.state.export());
    this.snapshotId = id;
    this.checkpointDue = false;
    // From here the old journal is absorbed: its header names the snapshot just replaced.
    await this.options.appender.close();
    this.journal = null;
    if (this.journalDamage) {
      const moved = await moveAsideJournal(this.journalFile, this.journalDamage, new Date(this.options.now()));
      this.journalDamage = undefined;
      this.options.onCorruptFile?.(moved);
    }
    try {
      await this.startJournal();
    } catch (err) {
      // Nothing is lost: the snapshot holds everything; the next append starts the journal again.
      this.options.warn(`could not start a new journal for ${this.file} (the snapshot holds everything): ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  async close(): Promise<void> {
    await this.options.appender.close();
    this.state.close();
  }

  private journalFull(batchBytes: number): boolean {
    if (!this.journal) return false;
    return this.journal.end + batchBytes > this.options.journalMaxBytes || (this.journal.records > 0 && Date.now() - this.journal.since > this.options.journalMaxAgeMs);
  }

  /** False, having written nothing, when the journal changed since we read it (see JournalAppender). */
  private async append(line: Buffer): Promise<boolean> {
    if (!this.journal) await this.startJournal();
    const j = this.journal!;
    try {
      await this.options.appender.append(this.journalFile, j.ino, line, j.end, j.size);
    } catch (err) {
      if (err instanceof JournalChangedError) return false;
      throw err;
    }
    j.end += line.length;
    j.size = j.end;
    j.records++;
    return true;
  }

  private async startJournal(): Promise<void> {
    const header = journalHeader(this.snapshotId);
    const signature = await writeFileAtomic(this.journalFile, header);
    this.journal = { ino: signature.ino, end: header.length, size: header.length, records: 0, since: Date.now() };
    this.ignoredJournal = undefined;
  }

  /** Loads the newest snapshot and journal and replays `pending` onto them; false when the file is gone. */
  private async reload(pending: StoreMutation[]): Promise<boolean> {
    const version = await readJournaledVersion(this.sql, this.file, Date.now());
    if (!version) return false;
    this.reportProblems(version.problems, 'in the journal');
    // Read after the await: records queued meanwhile were applied to the old memory and belong on top too.
    const dropped = replay(version.state, pending);
    if (dropped.length > 0) {
      const gone = new Set(dropped.map((p) => p.mutation));
      pending.splice(0, pending.length, ...pending.filter((m) => !gone.has(m)));
      this.reportProblems(dropped, 'made here, on top of the version another process wrote, and are dropped');
    }
    this.state.close();
    this.state = version.state;
    this.signature = version.signature;
    this.snapshotId = version.state.snapshotId();
    await this.options.appender.close();
    this.journal = version.journal;
    this.ignoredJournal = version.ignored;
    if (version.damage) {
      // The intact records before the damage are applied; a checkpoint (under the lock) sets the journal aside.
      this.options.warn(`${version.damage}; the records before it were applied and the journal will be set aside at the next write`);
      this.journalDamage = version.damage;
      this.checkpointDue = true;
    }
    return true;
  }

  private reportProblems(problems: readonly ReplayProblem[], where: string): void {
    const reported = problems.filter((p) => !(p.error instanceof OwnerClaimConflict));
    if (reported.length === 0) return;
    const shown = reported.slice(0, 5).map(describeReplayProblem).join('; ');
    const more = reported.length > 5 ? ` and ${reported.length - 5} more` : '';
    this.options.warn(`${reported.length} change${reported.length === 1 ? '' : 's'} to ${this.file} could not be applied (${where}): ${shown}${more}`);
  }
}
