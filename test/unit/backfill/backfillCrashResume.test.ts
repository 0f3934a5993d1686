// SIGKILL of the coordinating process at random points, then adoption in a new process, until the backfill
// completes: every partition's target completes exactly once and no downstream run starts before its upstream ended.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { openStateStore } from '../../../src/core/storage/openStateStore';
import { runAsCoordinatorChild, startCoordinator, type CoordinatorProcessConfig } from './coordinatorProcess';
import { RecordingFolder, until } from './recordingTarget';

/** 20 backfills, each killed twice, then left to finish: 60 coordinating processes (about 1–3 minutes on a loaded 2-core machine). */
const ITERATIONS = 20;
const MAX_KILLS = 2;
const KEYS = ['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04'];
/**
 * Target events (start and end) of a backfill that runs each of its 8 runs once. Runs take 30 ms but those
 * of the second key 1.5 s: a kill often finds one of them running, and the next process finds it still
 * running (then it is terminated and run again) or finished (then the materialization check keeps it).
 */
const EVENTS = 2 * 2 * KEYS.length;

if (!runAsCoordinatorChild()) {
  test(`SIGKILL of the coordinator at random points (${ITERATIONS} backfills, up to ${MAX_KILLS} kills each), then adoption: each partition completes exactly once`, async (t) => {
    let kills = 0;
    let restartedRuns = 0;
    for (let iteration = 0; iteration < ITERATIONS; iteration++) {
      const folder = new RecordingFolder();
      const statePath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bf-crash-')), 'state.sqlite');
      const config: CoordinatorProcessConfig = {
        statePath, dir: folder.dir, targets: ['a', 'b'], env: { SLEEP_MS: '30', SLOW_KEY: KEYS[1]!, SLOW_MS: '1500' }, from: KEYS[0]!, to: KEYS.at(-1)!, maxConcurrent: 3, materializedCheck: true,
      };
      let done = false;
      for (let attempt = 0; !done; attempt++) {
        const p = startCoordinator(__filename, config);
        // Kill points follow progress, not wall time (the machine's load varies): one in five during start-up
        // (loading sql.js, opening the file, launching), the others once the targets logged a random number of
        // further starts and ends, plus up to 30 ms: runs in flight, start writes, completions, the final writes.
        let timer: NodeJS.Timeout | undefined;
        if (attempt < MAX_KILLS) {
          const kill = () => (timer = setTimeout(() => p.child.kill('SIGKILL'), Math.floor(Math.random() * 30)));
          if (Math.random() < 0.2) timer = setTimeout(() => p.child.kill('SIGKILL'), Math.floor(Math.random() * 1500));
          else {
            const target = folder.events().length + Math.floor(Math.random() * EVENTS);
            void until('progress', () => folder.events().length >= target || p.child.exitCode !== null).then(kill);
          }
        }
        // Only a guard against a hang (a process that never ends would stall the suite): it fails, saying why.
        const hang = setTimeout(() => p.child.kill('SIGTERM'), 60_000);
        const exit = await p.exited;
        clearTimeout(timer);
        clearTimeout(hang);
        assert.notEqual(exit.signal, 'SIGTERM', `iteration ${iteration}: the coordinator process did not end within a minute: ${JSON.stringify(p.lines)} ${p.stderr()}`);
        if (exit.signal === 'SIGKILL') {
          kills++;
          continue;
        }
        assert.equal(exit.code, 0, `coordinator process failed: ${p.stderr()}`);
        done = p.lines.some((l) => l['ended'] === 'COMPLETED_SUCCESS' || (Array.isArray(l['statuses']) && l['statuses'].every((st) => st === 'COMPLETED_SUCCESS') && l['statuses'].length === 1));
        assert.ok(done || attempt < MAX_KILLS + 2, `iteration ${iteration}: the backfill did not complete after adoption: ${JSON.stringify(p.lines)} ${p.stderr()}`);
      }
      const store = await openStateStore({ path: statePath, lock: false });
      const [backfill] = store.listBackfills();
      assert.equal(backfill!.status, 'COMPLETED_SUCCESS');
      assert.equal(backfill!.owner ?? null, null);
      assert.deepEqual(store.listRuns(backfill!.id).filter((r) => r.status !== 'SUCCESS'), []);
      await store.close();
      const completions = folder.completions();
      for (const name of ['a', 'b']) {
        for (const key of KEYS) assert.equal(completions.get(`${name} ${key}`), 1, `iteration ${iteration}: ${name} ${key} completed ${completions.get(`${name} ${key}`) ?? 0} times`);
      }
      assert.equal(completions.size, 2 * KEYS.length);
      const events = folder.events();
      for (const key of KEYS) {
        const upstreamEnd = events.findIndex((e) => e.event === 'end' && e.name === 'a' && e.key === key);
        const downstreamStart = events.findIndex((e) => e.event === 'start' && e.name === 'b' && e.key === key);
        assert.ok(upstreamEnd >= 0 && upstreamEnd < downstreamStart, `iteration ${iteration}: b ${key} started before a ${key} ended`);
      }
      const starts = new Map<string, number>();
      for (const e of events.filter((x) => x.event === 'start')) starts.set(`${e.name} ${e.key}`, (starts.get(`${e.name} ${e.key}`) ?? 0) + 1);
      restartedRuns += [...starts.values()].filter((n) => n > 1).length;
    }
    t.diagnostic(`${kills} kills over ${ITERATIONS} backfills; ${restartedRuns} runs were started again after a kill interrupted them`);
  });
}
