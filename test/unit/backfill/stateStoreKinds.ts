// The StateStore implementations the daemon and coordination tests run against: in memory, and sql.js on a temp file (lock, journal and merge included).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { InMemoryStateStore } from '../../harness/inMemoryStateStore';
import { openStateStore } from '../../../src/core/storage/openStateStore';
import type { StateStore } from '../../../src/core/storage/stateStore';

export interface StateStoreKind {
  name: string;
  /** A new, empty store whose clock for status and event times is `now`. */
  open(now: () => number): Promise<StateStore>;
}

let root: string | undefined;
let counter = 0;

function tempStatePath(): string {
  if (!root) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'backfill-store-kinds-'));
    root = dir;
    process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  }
  return path.join(root, `ws${++counter}`, 'state.sqlite');
}

export const STATE_STORE_KINDS: readonly StateStoreKind[] = [
  { name: 'in-memory store', open: (now) => Promise.resolve(new InMemoryStateStore(now)) },
  // A short flush delay keeps the tests quick; every write still takes the writer lock and goes through the journal.
  { name: 'sql.js store', open: (now) => openStateStore({ path: tempStatePath(), now, flushDelayMs: 2 }) },
];
