// Following a remote backfill: polls only while a view is visible, reports each change, backs off while
// nothing changes, stops once the backfill settles, and polls again when poked (after a cancel of ours).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isBackfillSettled, type RemoteBackfill } from '../../../src/core/deployment/remoteBackfill';
import { RemoteBackfillFollower } from '../../../src/core/deployment/remoteBackfillFollower';
import { until } from '../backfill/recordingTarget';
import { ManualClock } from '../coordinator/manualClock';
import { withDeployment } from './deploymentTestServer';

/** The delay of the poller's pending timer (it is one of these), or undefined when none is pending. */
function pendingDelay(clock: ManualClock): number | undefined {
  return [0, 1000, 2000, 4000, 8000].find((d) => clock.dueWithin(d) > 0);
}

test('a 1.2 job backfill is followed while shown, fast while it changes, until it settles (its runs finished too)', () => withDeployment({ fixtures: '1.2', only: ['01_', '11_'] }, async (backfills, server) => {
  const clock = new ManualClock(new Date('2026-11-23T00:00:00Z'));
  const changes: RemoteBackfill[] = [];
  const follower = new RemoteBackfillFollower(backfills, 'cikfincq', { clock, onChange: (b) => changes.push(b), onError: (e) => assert.fail(String(e)), minDelayMs: 1000, maxDelayMs: 8000 });
  const polls = () => server.requests.filter((r) => r.operationName === 'BackfillStudioPartitionBackfill').length;
  await clock.advance(60_000);
  assert.equal(polls(), 0, 'nothing shows it: no poll');
  const view = follower.viewVisible();
  const settled = () => follower.latest !== undefined && isBackfillSettled(follower.latest);
  const delays: { delay: number; changed: boolean }[] = [];
  for (let seen = 0; ;) {
    await clock.advance(0);
    await until('the next answer', () => changes.length > seen || pendingDelay(clock) !== undefined || settled());
    if (settled()) break;
    await until('the next poll scheduled', () => pendingDelay(clock) !== undefined);
    delays.push({ delay: pendingDelay(clock)!, changed: changes.length > seen });
    seen = changes.length;
    await clock.advance(pendingDelay(clock)!);
  }
  assert.equal(polls(), 6, 'one poll per recorded answer, the sixth settled');
  assert.deepEqual(changes[changes.length - 1].runs?.map((r) => r.status), ['SUCCESS', 'SUCCESS', 'SUCCESS']);
  // After a change the next poll is 1 s away; each unchanged answer doubles it.
  delays.forEach(({ delay, changed }, i) => assert.equal(delay, changed ? 1000 : Math.min(delays[i - 1].delay * 2, 8000), JSON.stringify(delays)));
  await clock.advance(60_000);
  assert.equal(polls(), 6, 'settled: no more polls');
  view.dispose();
  follower.dispose();
}));

test('an unchanged answer doubles the delay up to the bound (the same recorded poll repeated)', () => withDeployment({ fixtures: '1.2', only: ['01_', '11_job_backfill_poll1'] }, async (backfills) => {
  const clock = new ManualClock(new Date('2026-11-23T00:00:00Z'));
  let changes = 0;
  const follower = new RemoteBackfillFollower(backfills, 'cikfincq', { clock, onChange: () => changes++, onError: (e) => assert.fail(String(e)), minDelayMs: 1000, maxDelayMs: 8000 });
  const view = follower.viewVisible();
  await clock.advance(0);
  const delays: number[] = [];
  for (let i = 0; i < 5; i++) {
    await until('the next poll scheduled', () => pendingDelay(clock) !== undefined);
    delays.push(pendingDelay(clock)!);
    await clock.advance(delays[i]);
  }
  assert.deepEqual(delays, [1000, 2000, 4000, 8000, 8000]);
  assert.equal(changes, 1);
  view.dispose();
  follower.dispose();
}));

test('hidden: no polls; visible again: a poll; poked after a cancel: a poll', () => withDeployment({ fixtures: '1.2', only: ['01_', '41_', '43_'] }, async (backfills, server) => {
  const clock = new ManualClock(new Date('2026-11-23T00:00:00Z'));
  const statuses: string[] = [];
  const follower = new RemoteBackfillFollower(backfills, 'eltehngp', { clock, onChange: (b) => statuses.push(b.status), minDelayMs: 1000 });
  const polls = () => server.requests.filter((r) => r.operationName === 'BackfillStudioPartitionBackfill' && r.status !== 0).length;
  const view = follower.viewVisible();
  await clock.advance(0);
  await until('the first poll', () => statuses.length === 1);
  view.dispose();
  await clock.advance(60_000);
  assert.equal(polls(), 1, 'hidden: no poll');
  const again = follower.viewVisible();
  await clock.advance(0);
  await until('a poll on becoming visible', () => polls() === 2);
  follower.poke();
  await clock.advance(0);
  await until('the poked poll', () => polls() === 3);
  assert.deepEqual(statuses.slice(0, 2), ['REQUESTED', 'CANCELED']);
  again.dispose();
  follower.dispose();
}));
