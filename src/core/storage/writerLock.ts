// The state file's writer lock (`state.sqlite.lock`): one writing process at a time, with heartbeat and stale takeover.
/*
 * Protocol. The lock is held only while a store has changes that are not on disk yet: the first mutation
 * of a clean store takes it, and the write that leaves the store clean gives it back. So a long-lived,
 * idle extension holds nothing and a CLI started beside it can work; while one process is writing,
 * another's first mutation waits (synchronously, up to `waitMs`; a holder normally needs one flush delay
 * plus one write) and, if the holder is still busy after that, is refused with a message naming it: that
 * store is read-only until the lock frees. A holder writes the file only while it holds the lock, and
 * merges onto the newest file before writing, so no two writers interleave and no acknowledged change
 * is lost. The file holds pid, hostname, owner label, since and a heartbeat refreshed every
 * `heartbeatMs` by an unref'd timer; a lock whose pid is dead on this host, or whose heartbeat is older
 * than `staleMs`, is taken over by renaming it aside first, so two processes cannot both take it over.
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
  waitMs: number;
  heartbeatMs: number;
  staleMs: number;
}

/** Refusal of a mutation or write because another process holds the writer lock. */
export class StateStoreReadOnlyError extends Error {
  override name = 'StateStoreReadOnlyError';
  constructor(readonly file: string, readonly holder: LockHolder) {
    super(describeHolder(file, holder));
  }
}

export function describeHolder(file: string, holder: LockHolder): string {
  const where = holder.hostname === os.hostname() ? '' : ` on ${holder.hostname}`;
  const since = Number.isFinite(holder.since) ? new Date(holder.since).toISOString() : 'an unknown time';
  const who = Number.isFinite(holder.pid) ? `process ${holder.pid}` : 'another process';
  return `${file} is being written by ${who} (${holder.owner})${where} since ${since}; this store shows it read-only until that process is done (reads still work)`;
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Blocks the thread: a mutation is synchronous, so waiting for the lock cannot yield. */
function sleepSync(ms: number): void {
  try {
    Atomics.wait(sleeper, 0, 0, ms);
  } catch {
    // Hosts that forbid blocking waits on their main thread: spin for the (short) interval instead.
    const until = Date.now() + ms;
    while (Date.now() < until) { /* waiting for the other writer */ }
  }
}

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

  /** The live holder when it is not us, else undefined (free, stale or ours). */
  otherHolder(): LockHolder | undefined {
    const current = this.read();
    if (!current || (this.held && current.nonce === this.held.nonce) || this.isStale(current)) return undefined;
    return current;
  }

  /** Takes the lock, waiting up to waitMs; returns the blocking holder when it stays busy. */
  acquireSync(): LockHolder | undefined {
    const deadline = Date.now() + this.options.waitMs;
    for (;;) {
      const blocker = this.tryAcquire();
      if (!blocker) return undefined;
      // Another store of this very process cannot finish while we block its thread: do not wait for it.
      if (blocker.pid === process.pid && blocker.hostname === os.hostname()) return blocker;
      if (Date.now() >= deadline) return blocker;
      sleepSync(Math.min(10, Math.max(1, deadline - Date.now())));
    }
  }

  /** As acquireSync, but yields while waiting (used by writes, which are asynchronous anyway). */
  async acquire(): Promise<LockHolder | undefined> {
    const deadline = Date.now() + this.options.waitMs;
    for (;;) {
      const blocker = this.tryAcquire();
      if (!blocker || Date.now() >= deadline) return blocker;
      await new Promise((resolve) => setTimeout(resolve, 10));
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

  private tryAcquire(): LockHolder | undefined {
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
