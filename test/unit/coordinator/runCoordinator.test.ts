// The coordinator never runs more than its limit, keeps FIFO order and cancels one group only.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RunCoordinator } from '../../../src/core/coordinator/runCoordinator';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

test('at most maxConcurrent runs execute at once, in FIFO order', async () => {
  const c = new RunCoordinator(2);
  const started: number[] = [];
  let running = 0;
  let peak = 0;
  const gates = Array.from({ length: 6 }, deferred);
  gates.forEach((g, i) =>
    c.enqueue('b', async () => {
      started.push(i);
      running++;
      peak = Math.max(peak, running);
      await g.promise;
      running--;
    }),
  );
  assert.equal(c.runningCount, 2);
  assert.equal(c.queuedCount, 4);
  for (const g of gates) {
    g.resolve();
    await new Promise((r) => setImmediate(r));
  }
  await c.onIdle();
  assert.equal(peak, 2);
  assert.deepEqual(started, [0, 1, 2, 3, 4, 5]);
});

test('cancelGroup drops queued runs of that group and aborts its running ones', async () => {
  const c = new RunCoordinator(1);
  const aborted: string[] = [];
  const ran: string[] = [];
  const run = (name: string) => (signal: AbortSignal) =>
    new Promise<void>((resolve) => {
      ran.push(name);
      if (signal.aborted) {
        aborted.push(name);
        return resolve();
      }
      signal.addEventListener('abort', () => {
        aborted.push(name);
        resolve();
      });
      setTimeout(resolve, 50);
    });
  c.enqueue('a', run('a1'));
  c.enqueue('a', run('a2'));
  c.enqueue('b', run('b1'));
  assert.equal(c.cancelGroup('a'), 1);
  await c.onIdle();
  assert.deepEqual(aborted, ['a1']);
  assert.deepEqual(ran, ['a1', 'b1']);
});

test('a run that throws is reported and does not stop the queue', async () => {
  const errors: unknown[] = [];
  const c = new RunCoordinator(1, (e) => errors.push(e));
  let after = false;
  c.enqueue('g', async () => {
    throw new Error('boom');
  });
  c.enqueue('g', async () => {
    after = true;
  });
  await c.onIdle();
  assert.equal(after, true);
  assert.equal((errors[0] as Error).message, 'boom');
});

test('a limit below 1 is refused', () => {
  assert.throws(() => new RunCoordinator(0), /at least 1/);
});
