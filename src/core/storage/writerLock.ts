// The state file's writer lock (`state.sqlite.lock`): one writing process at a time, with heartbeat and stale takeover.
/*
 * Protocol. The lock is held only for the length of one write: acquire, catch up with the newest version on
 * disk (replaying our unwritten change records onto it), append or checkpoint, release. Mutations never take
 * it: they apply in memory and queue their records, so no caller ever waits for another process or is
 * refused by it. Waiting for the lock is asynchronous (acquire() polls with a growing backoff and never
 * blocks the thread), and the waiting is reported after a bound by the store, naming the holder read here.
 * A holder writes the file only while it holds the lock and merges onto the newest file first, so no two
 * writers interleave and no acknowledged change is lost. The file holds pid, hostname, owner label, since
 * and a heartbeat refreshed every `heartbeatMs` by an unref'd timer while held; a lock whose pid is dead on
 * this host, or whose heartbeat is older than `staleMs`, is taken over by renaming it aside first, so two
 * processes cannot both take it over.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';

export interface LockHolder {
  pid: number;
  hostname: string;
  owner: string;
  since: number;
  heartbeat: number;
  nonce: string;
}

export interface WriterLockOptions {
  /** Who we are, shown to the other process ("backfill CLI", "VS Code extension"). */
  owner: string;
  heartbeatMs: number;
  staleMs: number;
}

export function describeHolder(file: string, holder: LockHolder): string {
  const where = holder.hostname === os.hostname() ? '' : ` on ${holder.hostname}`;
  const since = Number.isFinite(holder.since) ? new Date(holder.since).toISOString() : 'an unknown time';
  const who = Number.isFinite(holder.pid) ? `process ${holder.pid}` : 'another process';
  return `${who} (${holder.owner})${where} has held the writer lock of ${file} since ${since}`;
}

/** Polling starts at 2 ms (a holder normally needs one fdatasync) and slows to this. */
const MAX_BACKOFF_MS = 200;

export class WriterLock {
  readonly path: string;
  private held: LockHolder | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(file: string, private readonly options: WriterLockOptions) {
    this.path = `${file}.lock`;
  }

  get holding(): boolean {
    return this.held !== undefined;
  }

  /**
   * Takes the lock, waiting asynchronously with a growing backoff for as long as another live process holds
   * it (a holder keeps it for one write; one that dies or stops beating is taken over after staleMs).
   * `waiting` hears of each busy attempt, with the holder and how long we have waited.
   */
  async acquire(waiting?: (holder: LockHolder, waitedMs: number) => void): Promise<void> {
    const started = Date.now();
    for (let delay = 2; ; delay = Math.min(MAX_BACKOFF_MS, delay * 2)) {
      const blocker = this.tryAcquire();
      if (!blocker) return;
      waiting?.(blocker, Date.now() - started);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  /** Still ours on disk? False after another process took it over (we stalled past staleMs). */
  verify(): boolean {
    if (!this.held) return false;
    const current = this.read();
    if (current?.nonce === this.held.nonce) return true;
    this.forget();
    return false;
  }

  /** Still ours, and the heartbeat written now: the last check before writing the state file. */
  refresh(): boolean {
    if (!this.verify()) return false;
    this.beat();
    return this.verify();
  }

  release(): void {
    if (!this.held) return;
    if (this.read()?.nonce === this.held.nonce) fs.rmSync(this.path, { force: true });
    this.forget();
  }

  private forget(): void {
    this.held = undefined;
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One attempt: undefined when we hold the lock now, else the live holder that has it. */
  tryAcquire(): LockHolder | undefined {
    if (this.verify()) return undefined;
    for (let attempt = 0; attempt < 3; attempt++) {
      const now = Date.now();
      const mine: LockHolder = { pid: process.pid, hostname: os.hostname(), owner: this.options.owner, since: now, heartbeat: now, nonce: randomBytes(8).toString('hex') };
      if (createExclusive(this.path, JSON.stringify(mine))) {
        this.held = mine;
        this.timer = setInterval(() => this.beat(), this.options.heartbeatMs);
        this.timer.unref();
        return undefined;
      }
      const current = this.read();
      if (!current) continue;
      if (!this.isStale(current)) return current;
      const taken = this.takeOver(current);
      if (taken) return taken;
    }
    return this.read() ?? unknownHolder(Date.now());
  }

  /** Moves a stale lock aside; when what moved is not the one judged stale, puts it back and reports it. */
  private takeOver(stale: LockHolder): LockHolder | undefined {
    const aside = `${this.path}.stale-${randomBytes(6).toString('hex')}`;
    try {
      fs.renameSync(this.path, aside);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    const moved = readHolder(aside);
    if (moved && moved.nonce !== stale.nonce && !this.isStale(moved)) {
      try {
        fs.linkSync(aside, this.path);
      } catch {
        // A third process created a lock meanwhile; it stands, and so does its claim.
      }
      fs.rmSync(aside, { force: true });
      return moved;
    }
    fs.rmSync(aside, { force: true });
    return undefined;
  }

  private beat(): void {
    if (!this.verify()) return;
    this.held!.heartbeat = Date.now();
    try {
      // Written aside and renamed over, so a crash mid-beat never leaves a half-written lock behind.
      const temp = `${this.path}.${this.held!.nonce}.beat`;
      fs.writeFileSync(temp, JSON.stringify(this.held));
      fs.renameSync(temp, this.path);
    } catch {
      // A missed beat is harmless until staleMs; the next one tries again.
    }
  }

  private isStale(holder: LockHolder): boolean {
    if (Date.now() - holder.heartbeat > this.options.staleMs) return true;
    if (holder.hostname !== os.hostname() || !Number.isFinite(holder.pid) || holder.pid === process.pid) return false;
    try {
      process.kill(holder.pid, 0);
      return false;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'ESRCH';
    }
  }

  private read(): LockHolder | undefined {
    return readHolder(this.path);
  }
}

/**
 * Creates `file` with `content` only if it does not exist, and never visible half-written: the content is
 * written to a private file first and hard-linked into place (link fails when the name exists).
 */
function createExclusive(file: string, content: string): boolean {
  const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.new`;
  fs.writeFileSync(temp, content);
  try {
    fs.linkSync(temp, file);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS') throw err;
  } finally {
    fs.rmSync(temp, { force: true });
  }
  // File systems without hard links: exclusive create, with a short window where the file is still empty.
  try {
    fs.writeFileSync(file, content, { flag: 'wx' });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

/** The lock's holder; an unparsable file (written by hand or by a future build) counts as held since its mtime. */
function readHolder(file: string): LockHolder | undefined {
  let text: string;
  let mtime: number;
  try {
    text = fs.readFileSync(file, 'utf8');
    mtime = fs.statSync(file).mtimeMs;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const h = JSON.parse(text) as Partial<LockHolder>;
    if (typeof h.pid === 'number' && typeof h.heartbeat === 'number' && typeof h.nonce === 'string') {
      return { pid: h.pid, hostname: String(h.hostname ?? ''), owner: String(h.owner ?? 'unknown'), since: Number(h.since ?? h.heartbeat), heartbeat: Math.max(h.heartbeat, mtime), nonce: h.nonce };
    }
  } catch {
    // fall through
  }
  return unknownHolder(mtime);
}

function unknownHolder(at: number): LockHolder {
  return { pid: NaN, hostname: os.hostname(), owner: 'unknown', since: at, heartbeat: at, nonce: `unknown-${at}` };
}
