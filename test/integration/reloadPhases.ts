// The reload pass's two phases, one per extension host: the first launches a backfill and reloads the window, the
// next (started by the reload, running the same test entry) checks the backfill completes. What the first leaves
// for the second lives in BACKFILL_INTEGRATION_RELOAD_DIR, a folder outside the workspace the pass's runner creates empty.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** What the first phase saw just before it reloaded the window. */
export interface BeforeReload {
  backfillId: string;
  /** The extension host that launched the backfill (and the process that ran the first phase's tests). */
  hostPid: number;
  partitions: string[];
  /** Runs that had succeeded: they must not run again. */
  succeeded: { partition: string; runId: string; startedAt: number }[];
  /** Runs in progress, their processes held by the fixture: the new host must stop and run them again. */
  interrupted: { partition: string; runId: string; pid: number }[];
}

export interface ReloadPhase {
  number: 1 | 2;
  /** The folder under reload/ whose tests run in this phase. */
  folder: 'beforeReload' | 'afterReload';
  /** Tests that passed in the first phase, whose host the reload ended. */
  passedBefore: number;
  recordPass(): void;
  /** The mocha run of this phase ended (the first phase's only when it failed before reloading). */
  recordEnd(passed: number, failed: number): void;
}

function reloadDir(): string {
  const dir = process.env.BACKFILL_INTEGRATION_RELOAD_DIR;
  if (!dir || !fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
    throw new Error(`BACKFILL_INTEGRATION_RELOAD_DIR (${dir ?? 'unset'}) is not a folder: run the reload pass through runIntegrationTests.mjs`);
  }
  return dir;
}

const beforeReloadFile = () => path.join(reloadDir(), 'before-reload.json');
const passedFile = () => path.join(reloadDir(), 'phase-1-passed');
/** Written when a phase's run ends: the pass's runner checks the second phase ran, whatever exit code reached it. */
export const PHASE_END_FILE = 'phase-ended.json';
const recordEnd = (phase: number) => (passed: number, failed: number) =>
  fs.writeFileSync(path.join(reloadDir(), PHASE_END_FILE), JSON.stringify({ phase, passed, failed }));

/** The phase of this extension host: the second once the first recorded what it left running. */
export function reloadPhase(): ReloadPhase {
  if (!fs.existsSync(beforeReloadFile())) {
    let passed = 0;
    return { number: 1, folder: 'beforeReload', passedBefore: 0, recordPass: () => fs.writeFileSync(passedFile(), String(++passed)), recordEnd: recordEnd(1) };
  }
  const passedBefore = Number(fs.readFileSync(passedFile(), 'utf8'));
  if (!Number.isInteger(passedBefore)) throw new Error(`${passedFile()} does not hold a count of passed tests`);
  return { number: 2, folder: 'afterReload', passedBefore, recordPass: () => undefined, recordEnd: recordEnd(2) };
}

export function recordBeforeReload(state: BeforeReload): void {
  fs.writeFileSync(beforeReloadFile(), JSON.stringify(state, null, 2));
}

export function beforeReload(): BeforeReload {
  return JSON.parse(fs.readFileSync(beforeReloadFile(), 'utf8')) as BeforeReload;
}
