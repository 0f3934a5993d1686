// Crash test: a writing process is SIGKILLed at 50 seeded random points; every acknowledged change must survive.
import { seededRandom } from '../seededRandom';
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BackfillRecord, RunRecord } from '../../../src/core/backfill/backfill';
import { openStateStore } from '../../../src/core/storage/openStateStore';

/*
 * This bundle is also the child: started with CRASH_STORE_FILE set, it writes in a loop and prints
 * "ack <n>" once flush() has resolved for every change up to n. The parent trusts only complete lines.
 */
const CHILD_FILE = process.env['CRASH_STORE_FILE'];
const KILLS = 50;
const SEED = 20241124;

const TARGET = 'crash_asset';

async function runChild(file: string, prefix: string): Promise<void> {
  const store = await openStateStore({ path: file, flushDelayMs: 5, owner: 'crash test child' });
  const runId = `${prefix}-run`;
  const b: BackfillRecord = { id: prefix, status: 'REQUESTED', targets: [TARGET], partitionCount: 0, origin: 'cli', createdAt: 1, endedAt: null, selection: '' };
  const r: RunRecord = { id: runId, backfillId: prefix, target: TARGET, partitionKey: '', status: 'STARTED', createdAt: 1, startedAt: 1, endedAt: null, exitCode: 0, error: null };
  store.createBackfill(b, [r]);
  await store.flush();
  process.stdout.write('ready\n');
  for (let seq = 0; ;) {
    const batch = 1 + (seq % 13);
    for (let i = 0; i < batch; i++) {
      seq++;
      store.setPartitionStatus(TARGET, `${prefix}-${seq}`, 'MATERIALIZED', runId);
    }
    store.updateRun(runId, { exitCode: seq });
    store.appendRunEvent(runId, 'ACK', seq);
    await store.flush();
    process.stdout.write(`ack ${seq}\n`);
  }
}


/** Starts a child, kills it `delayMs` after it is ready, and returns the highest sequence it acknowledged. */
async function killChildAfter(file: string, prefix: string, delayMs: number): Promise<number> {
  const child = spawn(process.execPath, [__filename], { env: { ...process.env, CRASH_STORE_FILE: file, CRASH_STORE_PREFIX: prefix }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let acked = 0;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let killTimer: NodeJS.Timeout | undefined;
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const lines = out.split('\n');
      out = lines.pop()!;
      for (const line of lines) {
        if (line === 'ready' && killTimer === undefined) killTimer = setTimeout(() => { child.kill('SIGKILL'); resolve(); }, delayMs);
        else if (line.startsWith('ack ')) acked = Number(line.slice(4));
      }
    });
    void exited.then(() => (killTimer === undefined ? reject(new Error(`child ${prefix} exited before it was ready:\n${err}`)) : resolve()));
  });
  await exited;
  return acked;
}

if (CHILD_FILE) {
  void runChild(CHILD_FILE, process.env['CRASH_STORE_PREFIX'] ?? 'c').catch((e: unknown) => {
    process.stderr.write(String(e instanceof Error ? e.stack : e));
    process.exit(1);
  });
} else {
  test(`${KILLS} SIGKILLs at seeded random points: the file always opens and holds every acknowledged change`, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'backfill-crash-test-'));
    const file = path.join(dir, 'state.sqlite');
    const random = seededRandom(SEED);
    const acks = new Map<string, number>();
    const started = Date.now();
    try {
      for (let i = 0; i < KILLS; i++) {
        const prefix = `c${i}`;
        acks.set(prefix, await killChildAfter(file, prefix, Math.floor(random() * 120)));
        const store = await openStateStore({ path: file, lock: false });
        try {
          const statuses = store.partitionStatuses(TARGET);
          for (const [p, acked] of acks) {
            for (let seq = 1; seq <= acked; seq++) assert.equal(statuses.get(`${p}-${seq}`), 'MATERIALIZED', `after kill ${i}: ${p}-${seq} was acknowledged`);
            const runId = `${p}-run`;
            assert.ok(store.getRun(runId)!.exitCode! >= acked, `after kill ${i}: run ${runId} lost an acknowledged update`);
            const events = store.runEvents(runId);
            if (acked > 0) assert.ok(events.some((e) => e.payload === acked), `after kill ${i}: event ${acked} of ${runId} was acknowledged`);
          }
          assert.equal(store.corruptFile, undefined);
        } finally {
          await store.close();
        }
      }
      const total = [...acks.values()].reduce((a, b) => a + b, 0);
      const killedBeforeAck = [...acks.values()].filter((a) => a === 0).length;
      // Printed for the report; not a threshold.
      console.log(`crash test: ${KILLS} kills, ${total} acknowledged changes checked, ${killedBeforeAck} kills before the first ack, ${Date.now() - started} ms`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}
