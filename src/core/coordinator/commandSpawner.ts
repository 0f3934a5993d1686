// The command spawner process (runner/backfill_command_spawner.py): starts command runs by posix_spawn on the coordinator's behalf.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as readline from 'node:readline';
import { signalProcessGroup } from './signalProcessGroup';

/** What a started command reports; the same shape whether Node or the spawner started it. */
export interface CommandProcessEvents {
  onPid(pid: number): void;
  /** Output as it arrives, with the stream it came from. */
  onOutput(text: string, stream: 'stdout' | 'stderr'): void;
  onSpawnError(message: string): void;
  /** The spawner died with the run still going: the run's group was sent SIGTERM and nobody will see its exit. */
  onLost(reason: string): void;
  onClose(code: number | null, signal: string | null): void;
}

export interface CommandSpawn {
  program: string;
  args: string[];
  cwd: string;
  /** Added to the base environment the spawner was given. */
  env: Record<string, string>;
}

type SpawnerMessage =
  | { ready: true; pid: number }
  | { id: number; pid: number }
  | { id: number; out: string }
  | { id: number; err: string }
  | { id: number; error: string; errno: string }
  | { id: number; exit: number | null; signal: string | null };

/**
 * One long-lived Python process that spawns runs. Node's spawn forks the whole parent, which after thousands
 * of runs (or inside an extension host) costs several milliseconds a run; posix_spawn from a 10 MB process
 * does not. Until the spawner says it is ready, and after it dies, `ready` is false and callers spawn directly.
 */
export class CommandSpawner {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly running = new Map<number, { events: CommandProcessEvents; pid?: number }>();
  private nextId = 1;
  private state: 'starting' | 'ready' | 'gone' = 'starting';
  private readonly started: Promise<boolean>;
  private markReady: (ok: boolean) => void = () => undefined;

  /** @param baseEnv every run's environment before its own additions (process.env when the launcher runs). */
  constructor(python: string, script: string, baseEnv: NodeJS.ProcessEnv, private readonly onDeath?: (reason: string) => void) {
    this.child = spawn(python, [script], { stdio: ['pipe', 'pipe', 'pipe'], shell: false, env: baseEnv });
    let stderr = '';
    this.child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString('utf8')).slice(-2000)));
    // Sent before anything else: pyenv shims and venv activation change the spawner's own environment.
    this.child.stdin.write(JSON.stringify({ op: 'env', env: baseEnv }) + '\n');
    this.child.stdin.on('error', () => undefined);
    this.started = new Promise((resolve) => (this.markReady = resolve));
    readline.createInterface({ input: this.child.stdout }).on('line', (line) => this.receive(line));
    this.child.on('error', () => this.die('it could not be started'));
    this.child.on('exit', (code, signal) => this.die(`it exited (${signal ?? `code ${code}`})${stderr ? `: ${stderr.trim()}` : ''}`));
  }

  get ready(): boolean {
    return this.state === 'ready';
  }

  /** Resolves true once the spawner takes runs, false if it never will. */
  whenReady(): Promise<boolean> {
    return this.started;
  }

  start(request: CommandSpawn, events: CommandProcessEvents): void {
    if (this.state !== 'ready') throw new Error('the command spawner is not running');
    const id = this.nextId++;
    this.running.set(id, { events });
    if (this.running.size === 1) this.busy();
    this.child.stdin.write(JSON.stringify({ op: 'spawn', id, argv: [request.program, ...request.args], cwd: request.cwd, env: request.env }) + '\n');
  }

  /** Takes no more runs; the spawner exits once those it started have ended. */
  close(): void {
    if (this.state === 'gone') return;
    this.child.stdin.end();
  }

  private receive(line: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      parsed = undefined;
    }
    // A scalar (42, "x", null) or an array is no message: reported, never thrown from the stream's callback.
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return this.protocolError(line);
    const m = parsed as SpawnerMessage;
    if ('ready' in m) {
      if (this.state === 'starting') this.state = 'ready';
      // Starting, it keeps the process alive (someone awaits it); ready and idle, it must not.
      if (this.running.size === 0) this.idle();
      this.markReady(true);
      return;
    }
    const run = this.running.get(m.id);
    if (!run) return;
    const events = run.events;
    if ('out' in m) events.onOutput(m.out, 'stdout');
    else if ('err' in m) events.onOutput(m.err, 'stderr');
    else if ('error' in m) {
      this.end(m.id);
      events.onSpawnError(m.error);
    } else if ('exit' in m) {
      this.end(m.id);
      events.onClose(m.exit, m.signal);
    } else if ('pid' in m) {
      run.pid = m.pid;
      events.onPid(m.pid);
    }
  }

  /** Said in the log of every run it is starting or watching: those are where a user looks for what went wrong. */
  private protocolError(line: string): void {
    const text = `backfill: the command spawner sent a line that is not a message, ignored: ${line.length > 200 ? `${line.slice(0, 200)}…` : line}\n`;
    for (const { events } of this.running.values()) events.onOutput(text, 'stderr');
  }

  private end(id: number): void {
    this.running.delete(id);
    if (this.running.size === 0) this.idle();
  }

  /**
   * The runs it had started are no longer watched by anyone: they are terminated (their groups get SIGTERM)
   * and reported as failed, so the retry policy, not chance, decides what happens to them.
   */
  private die(reason: string): void {
    if (this.state === 'gone') return;
    this.state = 'gone';
    this.markReady(false);
    const lost = [...this.running.values()];
    this.running.clear();
    for (const { events, pid } of lost) {
      if (pid !== undefined) signalProcessGroup(pid, 'SIGTERM');
      events.onLost(`the command spawner stopped while the run was going (${reason}); the run was terminated`);
    }
    this.onDeath?.(reason);
  }

  // Idle, the spawner must not keep a CLI process alive; busy, it must.
  private idle(): void {
    this.child.unref();
    for (const s of [this.child.stdin, this.child.stdout, this.child.stderr]) (s as unknown as { unref?: () => void }).unref?.();
  }

  private busy(): void {
    this.child.ref();
    for (const s of [this.child.stdin, this.child.stdout, this.child.stderr]) (s as unknown as { ref?: () => void }).ref?.();
  }
}
