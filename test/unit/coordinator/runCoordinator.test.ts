// The coordinator never runs more than its limits, orders by priority then FIFO, pauses and cancels one group only.
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

test('a limit below 1 is refused (-1 is no limit)', () => {
  assert.throws(() => new RunCoordinator(0), /at least 1/);
  assert.doesNotThrow(() => new RunCoordinator(-1));
});

/** Enqueues named runs that stay running until released; records start order. */
function harness(c: RunCoordinator) {
  const started: string[] = [];
  const gates = new Map<string, () => void>();
  const add = (group: string, name: string, tags: Record<string, string> = {}) =>
    c.enqueue(group, () => new Promise<void>((resolve) => {
      started.push(name);
      gates.set(name, resolve);
    }), { tags });
  const release = async (name: string) => {
    gates.get(name)!();
    for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
  };
  return { started, add, release };
}

test('higher dagster/priority leaves the queue first, FIFO within a priority', async () => {
  const c = new RunCoordinator(1);
  const h = harness(c);
  h.add('a', 'first');
  h.add('a', 'low1', { 'dagster/priority': '-1' });
  h.add('a', 'mid1');
  h.add('b', 'high1', { 'dagster/priority': '5' });
  h.add('a', 'mid2', { 'dagster/priority': '0' });
  h.add('b', 'high2', { 'dagster/priority': '5' });
  await new Promise((r) => setImmediate(r));
  for (const name of ['first', 'high1', 'high2', 'mid1', 'mid2']) await h.release(name);
  await h.release('low1');
  await c.onIdle();
  assert.deepEqual(h.started, ['first', 'high1', 'high2', 'mid1', 'mid2', 'low1']);
});

test('a tag limit blocks only the runs it matches; later runs pass them', async () => {
  const c = new RunCoordinator(3, undefined, [{ key: 'db', value: 'warehouse', limit: 1 }]);
  const h = harness(c);
  h.add('g', 'w1', { db: 'warehouse' });
  h.add('g', 'w2', { db: 'warehouse' });
  h.add('g', 'other', { db: 'lake' });
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(h.started, ['w1', 'other']);
  assert.equal(c.runningCount, 2);
  await h.release('w1');
  assert.deepEqual(h.started, ['w1', 'other', 'w2']);
});

test('paused groups keep their queued runs; running ones go on; resume starts them', async () => {
  const c = new RunCoordinator(1);
  const h = harness(c);
  h.add('a', 'a1');
  h.add('a', 'a2');
  h.add('b', 'b1');
  c.pauseGroup('a');
  await new Promise((r) => setImmediate(r));
  await h.release('a1');
  assert.deepEqual(h.started, ['a1', 'b1'], 'a2 waits while its group is paused');
  await h.release('b1');
  assert.equal(c.queuedCount, 1);
  assert.equal(c.runningCount, 0);
  c.resumeGroup('a');
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(h.started, ['a1', 'b1', 'a2']);
  await h.release('a2');
  await c.onIdle();
});
