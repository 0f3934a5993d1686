// Soak: two CLIs and an engine standing in for the extension host run overlapping backfills on one workspace, with seeded SIGKILLs and resumes; every partition succeeds exactly once.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import type { BackfillRecord } from '../../../src/core/backfill/backfill';
import { openStateStore } from '../../../src/core/storage/openStateStore';
import type { SqlJsStateStore } from '../../../src/core/storage/sqlJsStateStore';
import { repoRoot } from '../project/repoRoot';
import { seededRandom } from '../seededRandom';

/*
 * The CLIs are the real `backfill` bundle (dist/cli.js); the engine is a Node script that builds a
 * BackfillWorkspace from dist/engine.js, as the extension host does, launches its own backfill, adopts orphans
 * every 8 s (as the session does when its poll sees one, but slower, so that a resuming CLI, slow to start on a
 * busy machine, wins some of the races) and measures its longest event-loop block. Each backfill has its own
 * target, so "exactly once" is per (target, partition) across every backfill. Kills wait for conditions (a
 * number of successes), never for a time, so a busy machine only makes the test slower.
 */
const SEED = 20261207;
const KILLS = 4;
const TARGETS = ['soak_a', 'soak_b', 'soak_c'];
const KEYS = Array.from({ length: 24 }, (_, i) => `2024-01-${String(i + 1).padStart(2, '0')}`);

const root = repoRoot();
const cli = path.join(root, 'dist', 'cli.js');

/** Sleeps 0.1–0.4 s, then leaves a marker naming the target, key, run, attempt and pid: what "materialized" means here. */
const RUN_SCRIPT = "import os,sys,time,random; d,t,k=sys.argv[1:4]; time.sleep(0.1+0.3*random.random()); open(os.path.join(d,'~'.join([t,k,os.environ['BACKFILL_RUN_ID'],os.environ['BACKFILL_RUN_ATTEMPT'],str(os.getpid())])),'w').close()";

const ENGINE_SCRIPT = String.raw`
const { monitorEventLoopDelay } = require('perf_hooks');
const [bundle, ws] = process.argv.slice(2);
const { BackfillWorkspace } = require(bundle);
const say = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const report = (what) => (e) => process.stderr.write(what + ': ' + (e && e.name ? e.name + ': ' + e.message : String(e)) + '\n');
(async () => {
  const workspace = new BackfillWorkspace({
    root: ws, origin: 'extension', maxConcurrentRuns: 3, adoptOrphansOnStart: false, python: 'python3',
    onError: report('engine error'), onStoreProblem: (m) => process.stderr.write('store problem: ' + m + '\n'),
  });
  await workspace.refreshDefinitions();
  await workspace.engine();
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  // A drift monitor beside the histogram. On a loaded machine a timer is late mostly because the OS did not run
  // us, which the histogram counts too; a block the engine causes is its event loop busy running code: per
  // timer gap, at most the time the main thread spent on a CPU (/proc/thread-self/schedstat, in ns; other
  // threads, such as V8 compiling sql.js in the background, do not block the loop) and the loop's active time.
  const fs = require('fs');
  const { performance } = require('perf_hooks');
  const mainThreadMs = () => Number(fs.readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
  let last = Date.now();
  let lastCpu = mainThreadMs();
  let lastElu = performance.eventLoopUtilization();
  let longestGap = { wallMs: 0, activeMs: 0, cpuMs: 0 };
  let longestBlockMs = 0;
  let phase = 'launch';
  const t0 = Date.now();
  const drift = setInterval(() => {
    const now = Date.now();
    const cpu = mainThreadMs();
    const elu = performance.eventLoopUtilization(lastElu);
    const wallMs = Math.max(0, now - last - 10);
    const gap = { wallMs, activeMs: Math.round(elu.active), cpuMs: Math.round(cpu - lastCpu) };
    const block = Math.min(gap.wallMs, gap.activeMs, gap.cpuMs);
    if (wallMs > longestGap.wallMs) longestGap = gap;
    if (block > longestBlockMs) process.stderr.write('block ' + JSON.stringify({ ...gap, phase, at: now - t0 }) + '\n');
    longestBlockMs = Math.max(longestBlockMs, block);
    last = now;
    lastCpu = cpu;
    lastElu = performance.eventLoopUtilization();
  }, 10);
  const plan = await workspace.planRequest({ targets: ['soak_c'], selection: { kind: 'all' }, reprocess: 'all' }, undefined, { refreshStatuses: false });
  const record = await workspace.launch(plan, {});
  say({ launched: record.id });
  phase = 'launched';
  let stopping = false;
  const adopt = async () => {
    if (stopping) return;
    try {
      phase = 'adopting';
      const adopted = await workspace.adoptOrphans();
      phase = 'idle';
      if (adopted.length > 0) say({ adopted: adopted.map((b) => b.id) });
    } catch (e) {
      report('adoption')(e);
    }
    if (!stopping) setTimeout(adopt, 8000);
  };
  setTimeout(adopt, 8000);
  process.stdin.resume();
  process.stdin.once('end', async () => {
    stopping = true;
    delay.disable();
    clearInterval(drift);
    await workspace.close();
    say({ blockMs: longestBlockMs, histogramMaxMs: delay.max / 1e6, longestGap });
    process.exit(0);
  });
})().catch((e) => { process.stderr.write('engine crashed: ' + (e && e.stack) + '\n'); process.exit(1); });
`;

interface Proc {
  name: string;
  child: ChildProcess;
  stdout: string;
  stderr: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  killedByTest: boolean;
}

function start(name: string, args: string[], procs: Proc[]): Proc {
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const p: Proc = { name, child, stdout: '', stderr: '', exited: new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal }))), killedByTest: false };
  child.stdout!.on('data', (d: Buffer) => (p.stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (p.stderr += d.toString()));
  procs.push(p);
  return p;
}

async function until<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, procs: Proc[], guardMs = 120_000): Promise<T> {
  const deadline = Date.now() + guardMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`still waiting for ${what}\n${procs.map((p) => `--- ${p.name}\n${p.stdout}\n${p.stderr}`).join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('soak: two CLIs and an engine share one workspace through SIGKILLs and resumes; every (target, partition) succeeds exactly once, no store error, the engine never blocks long', { timeout: 240_000 }, async () => {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'backfill-soak-'));
  const markers = path.join(ws, 'markers');
  fs.mkdirSync(markers);
  const yaml = ['targets:', ...TARGETS.flatMap((t) => [
    `  ${t}:`,
    '    partitions: DailyPartitionsDefinition(start_date="2024-01-01", end_date="2024-01-25")',
    `    command: ${JSON.stringify(['python3', '-c', RUN_SCRIPT, markers, t, '{partition_key}'])}`,
  ])];
  fs.writeFileSync(path.join(ws, 'backfills.yaml'), `${yaml.join('\n')}\n`);
  const engineScript = path.join(ws, 'engine-host.js');
  fs.writeFileSync(engineScript, ENGINE_SCRIPT);
  const random = seededRandom(SEED);
  const procs: Proc[] = [];
  let store: SqlJsStateStore | undefined;
  try {
    // SOAK_PROF=<dir> writes a CPU profile of the engine there, to find what a long block was.
    const engine = start('engine', [...(process.env['SOAK_PROF'] ? ['--cpu-prof', '--cpu-prof-dir', process.env['SOAK_PROF']] : []), engineScript, path.join(root, 'dist', 'engine.js'), ws], procs);
    const engineId = await until('the engine to launch', () => /"launched":"(\w+)"/.exec(engine.stdout)?.[1], procs);
    const launchCli = (t: string) => start(`cli ${t}`, [cli, 'asset', '--select', t, '--all', '--noprompt', '--max-concurrent', '3', '-w', ws], procs);
    const clis = [launchCli('soak_a'), launchCli('soak_b')];
    const ids = await Promise.all(clis.map((c) => until(`${c.name} to launch`, () => /Launched backfill (\w+)/.exec(c.stdout)?.[1], procs)));
    store = await openStateStore({ path: path.join(ws, '.backfills', 'state.sqlite'), owner: 'soak test reader' });
    const s = store;
    const backfill = async (id: string): Promise<BackfillRecord | undefined> => {
      await s.reloadIfChanged();
      return s.getBackfill(id);
    };
    const successes = (id: string) => s.listRuns(id).filter((r) => r.status === 'SUCCESS').length;

    // Which process runs which backfill now (the engine's own, and whatever it adopts, are not killed).
    const owners = new Map<string, Proc>(ids.map((id, i) => [id, clis[i]!]));
    const events: string[] = [];
    for (let kill = 0, tries = 0; kill < KILLS && tries < 3 * KILLS; tries++) {
      // A process that runs a backfill with enough left to do that a kill lands in the middle of it.
      const candidates = [...owners].filter(([id, p]) => p.child.exitCode === null && KEYS.length - successes(id) >= 6);
      if (candidates.length === 0) break;
      const [id, victim] = candidates[Math.floor(random() * candidates.length)]!;
      const after = successes(id) + 1 + Math.floor(random() * 2);
      const ready = await until(`${after} successes of ${id} (or its end)`, async () => {
        const b = await backfill(id);
        if (b && b.status !== 'REQUESTED') return 'ended';
        return successes(id) >= after ? 'kill' : undefined;
      }, procs);
      if (ready === 'ended' || victim.child.exitCode !== null) {
        events.push(`${victim.name} finished before its kill`);
        continue;
      }
      victim.killedByTest = true;
      kill++;
      victim.child.kill('SIGKILL');
      await victim.exited;
      owners.delete(id);
      events.push(`SIGKILL ${victim.name} at ${successes(id)}/${KEYS.length} successes of ${id}`);
      // Every other orphan is resumed by a new CLI, racing the engine's adoption; the others are left to the engine.
      if (kill % 2 === 1) {
        const resumer = start(`cli resume ${id} #${kill}`, [cli, 'resume', id, '-w', ws], procs);
        // It runs the backfill from here on, or it lost to the engine and exits: only a winner is worth killing.
        const won = await until(`${resumer.name} to adopt or give up`, () => (resumer.stdout.includes('Resumed backfill') ? 'won' : resumer.child.exitCode !== null ? 'lost' : undefined), procs);
        if (won === 'won') owners.set(id, resumer);
      }
    }

    const all = [engineId, ...ids];
    await until('every backfill to end', async () => {
      for (const id of all) if ((await backfill(id))?.status === 'REQUESTED') return false;
      return true;
    }, procs);
    engine.child.stdin!.end();
    for (const p of procs) p.child.stdin!.end();
    await Promise.all(procs.map((p) => p.exited));
    await s.reloadIfChanged();

    const blockMs = Number(/"blockMs":([\d.]+)/.exec(engine.stdout)?.[1]);
    const histogramMs = Number(/"histogramMaxMs":([\d.]+)/.exec(engine.stdout)?.[1]);
    const gap = /"longestGap":(\{[^}]*\})/.exec(engine.stdout)?.[1] ?? '{}';
    const load = os.loadavg()[0]!.toFixed(1);
    const resumers = procs.filter((p) => p.name.startsWith('cli resume'));
    events.push(...resumers.map((p) => `${p.name}: ${p.stdout.includes('Resumed backfill') ? 'adopted it' : `lost to the engine (${p.stderr.trim().split('\n').pop()})`}`));
    events.push(...engine.stdout.split('\n').filter((l) => l.includes('"adopted"')).map((l) => `engine ${l}`));
    console.log(events.join('\n'));
    console.log(engine.stderr.split('\n').filter((l) => l.startsWith('block ')).slice(-3).join('\n'));
    console.log(`soak: ${procs.length} processes, ${procs.filter((p) => p.killedByTest).length} SIGKILLs; the engine's longest event-loop block ${blockMs.toFixed(1)} ms (timer lateness ${histogramMs.toFixed(1)} ms, longest gap ${gap}, load average ${load} on ${os.cpus().length} cores)`);

    for (const p of procs) {
      assert.doesNotMatch(p.stderr, /StateStore|CorruptStateFile|writer lock|could not be (applied|written)|^\s+at .*:\d+:\d+\)?$/m, `${p.name} reported a store problem or a stack trace:\n${p.stderr}`);
      if (p.killedByTest) continue;
      const { code, signal } = await p.exited;
      assert.equal(signal, null, `${p.name} died of ${signal}:\n${p.stderr}`);
      if (p === engine || clis.includes(p)) assert.equal(code, 0, `${p.name} exited ${code}:\n${p.stdout}\n${p.stderr}`);
      // A resume that lost the race to the engine's adoption says so and exits; it never fails otherwise.
      else assert.ok(code === 0 || /not orphaned|nothing to resume|adopted by|is running here/.test(p.stderr), `${p.name} exited ${code}:\n${p.stdout}\n${p.stderr}`);
    }
    for (const id of all) assert.equal(s.getBackfill(id)?.status, 'COMPLETED_SUCCESS', `backfill ${id}`);
    const markerFiles = fs.readdirSync(markers).map((f) => f.split('~'));
    for (const [i, id] of all.entries()) {
      const target = ['soak_c', 'soak_a', 'soak_b'][i]!;
      const runs = s.listRuns(id);
      assert.deepEqual(runs.map((r) => r.partitionKey).sort(), KEYS, `${id} has one run per partition`);
      const statuses = s.partitionStatuses(target);
      for (const key of KEYS) {
        const succeeded = all.flatMap((b) => s.listRuns(b)).filter((r) => r.target === target && r.partitionKey === key && r.status === 'SUCCESS');
        assert.equal(succeeded.length, 1, `${target} ${key} succeeded once`);
        assert.equal(statuses.get(key), 'MATERIALIZED', `${target} ${key}`);
        assert.ok(markerFiles.some(([t, k, runId]) => t === target && k === key && runId === succeeded[0]!.id), `${target} ${key}: the successful attempt left its marker`);
      }
    }
    assert.ok(blockMs < 100, `the engine's longest event-loop block was ${blockMs} ms`);
  } finally {
    for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    await store?.close().catch(() => undefined);
    fs.rmSync(ws, { recursive: true, force: true });
  }
});
