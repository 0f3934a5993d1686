// The poller on a manual clock: only while a view is visible, backing off ×2 to 30 s while nothing changes, fast
// again after a change or a poke, never two refreshes at once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DagsterStatusPoller } from '../../../src/core/status/dagsterStatusPoller';
import { ManualClock } from '../coordinator/manualClock';

function setup() {
  const clock = new ManualClock(new Date('2024-01-01T00:00:00Z'));
  const calls: number[] = [];
  let changed = false;
  let gate: Promise<void> | undefined;
  let running = 0;
  let maxRunning = 0;
  const poller = new DagsterStatusPoller({
    clock,
    refresh: async () => {
      calls.push(clock.now().getTime() - Date.UTC(2024, 0, 1));
      running++;
      maxRunning = Math.max(maxRunning, running);
      if (gate) await gate;
      running--;
      return changed;
    },
  });
  return {
    clock, poller, calls,
    setChanged: (c: boolean) => (changed = c),
    hold: () => { let release!: () => void; gate = new Promise((r) => (release = r)); return () => { gate = undefined; release(); }; },
    maxRunning: () => maxRunning,
  };
}

test('nothing is polled until started with a visible view; hiding the last view stops it', async () => {
  const s = setup();
  await s.clock.advance(60_000);
  const view = s.poller.viewVisible();
  await s.clock.advance(60_000);
  assert.deepEqual(s.calls, [], 'not started');
  s.poller.start();
  await s.clock.advance(0);
  assert.equal(s.calls.length, 1, 'started with a visible view: at once');
  view.dispose();
  view.dispose();
  assert.equal(s.poller.visibleViews, 0);
  const before = s.calls.length;
  await s.clock.advance(300_000);
  assert.equal(s.calls.length, before, 'no visible view: no polling');
  const again = s.poller.viewVisible();
  await s.clock.advance(0);
  assert.equal(s.calls.length, before + 1, 'a view becoming visible refreshes at once');
  s.poller.stop();
  await s.clock.advance(300_000);
  assert.equal(s.calls.length, before + 1, 'stopped');
  again.dispose();
});

test('backs off 1, 2, 4, 8, 16, 30, 30 s while nothing changes; a change or a poke makes it fast again', async () => {
  const s = setup();
  s.poller.viewVisible();
  s.poller.start();
  await s.clock.advance(0);
  await s.clock.advance(100_000);
  const gaps = (calls: number[]) => calls.slice(1).map((t, i) => t - calls[i]!);
  assert.deepEqual(gaps(s.calls).slice(0, 7), [1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
  s.setChanged(true);
  await s.clock.advance(30_000);
  const n = s.calls.length;
  s.setChanged(false);
  await s.clock.advance(1000 + 2000 + 4000);
  assert.deepEqual(gaps(s.calls.slice(n - 1)), [1000, 2000, 4000], 'fast after the change, then backing off');
  const before = s.calls.length;
  s.poller.poke();
  await s.clock.advance(0);
  assert.equal(s.calls.length, before + 1, 'a poke refreshes at once');
  await s.clock.advance(1000);
  assert.equal(s.calls.length, before + 2, 'and polls fast again');
});

test('never two refreshes at once: a poke during a refresh is one refresh right after it', async () => {
  const s = setup();
  const release = s.hold();
  s.poller.viewVisible();
  s.poller.start();
  await s.clock.advance(0);
  assert.equal(s.calls.length, 1);
  s.poller.poke();
  s.poller.poke();
  await s.clock.advance(120_000);
  assert.equal(s.calls.length, 1, 'the first has not settled');
  release();
  for (let i = 0; i < 20 && s.calls.length < 2; i++) await s.clock.advance(0);
  assert.equal(s.calls.length, 2, 'the pokes become one refresh right after');
  assert.equal(s.maxRunning(), 1);
});

test('a failing refresh is reported and polling goes on, backing off', async () => {
  const clock = new ManualClock(new Date(0));
  const errors: unknown[] = [];
  let calls = 0;
  const poller = new DagsterStatusPoller({ clock, refresh: () => { calls++; return Promise.reject(new Error('instance gone')); }, onError: (e) => errors.push(e) });
  poller.viewVisible();
  poller.start();
  await clock.advance(0);
  await clock.advance(3000);
  assert.equal(calls, 3);
  assert.equal(errors.length, 3);
  assert.equal(poller.currentDelayMs, 8000);
});
