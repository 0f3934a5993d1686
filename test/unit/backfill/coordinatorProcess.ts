// A coordinating process for crash and cross-process tests: the daemon, coordinator, command launcher and a
// sql.js state file, run in a child process (the test file itself, in child mode) that a test can SIGKILL.
import { spawn, type ChildProcess } from 'node:child_process';
import { BackfillDaemon } from '../../../src/core/backfill/backfillDaemon';
import type { LaunchOptions } from '../../../src/core/backfill/launchOptions';
import { planBackfill } from '../../../src/core/backfill/planBackfill';
import { systemClock } from '../../../src/core/clock';
import { CommandRunLauncher } from '../../../src/core/coordinator/commandRunLauncher';
import { RunCoordinator } from '../../../src/core/coordinator/runCoordinator';
import type { RunLauncher, RunRequest } from '../../../src/core/coordinator/runLauncher';
import { openStateStore } from '../../../src/core/storage/openStateStore';
import { RecordingFolder } from './recordingTarget';

export interface CoordinatorProcessConfig {
  statePath: string;
  /** The RecordingFolder's directory. */
  dir: string;
  /** Targets in dependency order: each depends on the one before; env for all of them. */
  targets: string[];
  env: Record<string, string>;
  from: string;
  to: string;
  maxConcurrent: number;
  launchOptions?: LaunchOptions;
  /** Answer "did it materialize?" from the folder's completion files (standing for Dagster's event log). */
  materializedCheck: boolean;
}

export const CHILD_ENV = 'BACKFILL_COORDINATOR_CHILD';

/** Test double of the Dagster launcher's materialization check: a completion file of the target for the key. */
class CompletionFileMaterializations implements RunLauncher {
  constructor(private readonly inner: RunLauncher, private readonly folder: RecordingFolder) {}
  launch: RunLauncher['launch'] = (run, io) => this.inner.launch(run, io);
  materialized(run: RunRequest): Promise<boolean> {
    return Promise.resolve((this.folder.completions().get(`${run.target} ${run.partitionKey}`) ?? 0) > 0);
  }
}

/**
 * The child: launches the backfill when the store has none, else adopts the orphans; prints one JSON line per
 * step ({launched} / {adopted}, then {ended: status}) and exits 0 once every backfill it runs has ended.
 */
export async function coordinatorChild(config: CoordinatorProcessConfig): Promise<void> {
  const folder = new RecordingFolder(config.dir);
  const targets = config.targets.map((name, i) => folder.target(name, config.env, i === 0 ? [] : [config.targets[i - 1]!]));
  const store = await openStateStore({ path: config.statePath, owner: `coordinator test child ${process.pid}` });
  const commands = new CommandRunLauncher({ workspaceRoot: '/', targets: new Map(targets.map((t) => [t.name, t])), killGraceMs: 500 });
  const launcher = config.materializedCheck ? new CompletionFileMaterializations(commands, folder) : commands;
  const onError = (e: unknown) => process.stderr.write(`coordinator error: ${e instanceof Error ? e.stack : String(e)}\n`);
  const coordinator = new RunCoordinator(config.maxConcurrent, onError);
  const daemon = new BackfillDaemon({ store, coordinator, launcher, clock: systemClock, origin: 'cli', pollIntervalMs: 100, killGraceMs: 500, onError });
  const say = (o: unknown) => process.stdout.write(`${JSON.stringify(o)}\n`);
  let ids: string[];
  if (store.listBackfills().length === 0) {
    const plan = planBackfill(targets, { kind: 'range', from: config.from, to: config.to }, new Date('2024-03-01T00:00:00Z'));
    ids = [daemon.launch(plan, config.launchOptions ?? {}).id];
    say({ launched: ids[0] });
  } else {
    ids = (await daemon.adoptOrphans()).map((b) => b.id);
    // A process killed after the backfill's end was written leaves nothing to adopt: say how things stand.
    say({ adopted: ids, statuses: store.listBackfills().map((b) => b.status) });
  }
  for (const id of ids) say({ ended: (await daemon.whenDone(id)).status });
  await store.close();
}

/**
 * A test file is also the child coordinator's entry point (startCoordinator runs it again with CHILD_ENV set):
 * true when this process is that child, now coordinating, and the file must register no tests.
 */
export function runAsCoordinatorChild(): boolean {
  const childConfig = process.env[CHILD_ENV];
  if (!childConfig) return false;
  coordinatorChild(JSON.parse(childConfig) as CoordinatorProcessConfig).catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(3);
  });
  return true;
}

export interface CoordinatorProcess {
  child: ChildProcess;
  /** Parsed stdout lines so far. */
  lines: Record<string, unknown>[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr: () => string;
}

/** Starts `testFile` (a bundled test that calls coordinatorChild when CHILD_ENV is set) as a coordinating process. */
export function startCoordinator(testFile: string, config: CoordinatorProcessConfig): CoordinatorProcess {
  const env: NodeJS.ProcessEnv = { ...process.env, [CHILD_ENV]: JSON.stringify(config) };
  // The child is a plain process, not a node:test worker reporting to our runner.
  delete env['NODE_TEST_CONTEXT'];
  const child = spawn(process.execPath, [testFile], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: Record<string, unknown>[] = [];
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString('utf8');
    const parts = out.split('\n');
    out = parts.pop()!;
    for (const p of parts) if (p.startsWith('{')) lines.push(JSON.parse(p) as Record<string, unknown>);
  });
  child.stderr!.on('data', (d: Buffer) => (err += d.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, lines, exited, stderr: () => err };
}
