// The launch's safety rules without VS Code: default form, the confirmation threshold, and which plan a click may launch.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planBackfill } from '../../../src/core/backfill/planBackfill';
import { confirmAboveRunsOf, launchConfirmationText, launchNeedsConfirmation } from '../../../src/core/backfill/launchConfirmationRule';
import { planChangeReason, planIdOf } from '../../../src/core/backfill/planIdentity';
import type { CommandTarget } from '../../../src/core/definitions/definition';
import { dailyPartitionsDefinition } from '../../../src/core/partitions/timeWindowSubclasses';
import { launchOptionsFromForm } from '../../../src/extension/panels/launchOptionsFromForm';
import { LaunchFormError, planPreviewModel, planRequestOf } from '../../../src/extension/panels/launchPlanPreview';
import { defaultLaunchForm } from '../../../src/extension/panels/launchPrefill';
import { ShownPlans } from '../../../src/extension/panels/shownPlans';
import { launchForm, NO_PARTITIONS_CHOSEN } from '../../../src/shared/launchForm';
import { findProblem } from '../../../src/shared/messageSchema';
import { parseWebviewToHostMessage } from '../../../src/shared/webviewToHostMessage';

const NOW = new Date('2024-03-01T00:00:00Z');
const daily: CommandTarget = { kind: 'command', name: 'daily', location: { file: 'backfills.yaml', line: 1 }, partitions: dailyPartitionsDefinition({ start_date: '2024-01-01' }), command: ['true'], cwd: '', env: {}, deps: [], backfillPolicy: null };
type Status = 'MATERIALIZED' | 'FAILED';

function plan(from: string, to: string, done: Record<string, Status> = {}, reprocess: 'missing' | 'all' = 'missing') {
  return planBackfill([daily], { kind: 'range', from, to }, NOW, { reprocess, statuses: () => new Map(Object.entries(done)) });
}

test('the panel opens with no partitions chosen and Missing only; nothing can be planned or launched from that', () => {
  const form = defaultLaunchForm('daily');
  assert.equal(form.partitionMode, 'none');
  assert.equal(form.reprocess, 'missing');
  assert.equal(findProblem(launchForm, form, 'form'), null, 'the protocol carries the default form');
  assert.deepEqual(launchOptionsFromForm(form), { errors: { partitions: NO_PARTITIONS_CHOSEN } });
  assert.throws(() => planRequestOf(form), (e: unknown) => e instanceof LaunchFormError && e.field === 'partitions' && e.message === NO_PARTITIONS_CHOSEN);
});

test('a launch asks above the threshold (runs, not partitions); 0 asks always; a bad setting falls back to 100', () => {
  assert.equal(launchNeedsConfirmation(100, 100), false);
  assert.equal(launchNeedsConfirmation(101, 100), true);
  assert.equal(launchNeedsConfirmation(1, 0), true);
  assert.equal(launchNeedsConfirmation(0, 0), true);
  assert.equal(confirmAboveRunsOf(undefined), 100);
  assert.equal(confirmAboveRunsOf(-1), 100);
  assert.equal(confirmAboveRunsOf(2.5), 100);
  assert.equal(confirmAboveRunsOf('5'), 100);
  assert.equal(confirmAboveRunsOf(0), 0);
  assert.equal(confirmAboveRunsOf(250), 250);
  const p = plan('2024-01-01', '2024-02-29', { '2024-01-01': 'MATERIALIZED' });
  const { message, detail } = launchConfirmationText(p);
  assert.equal(message, 'Launch 59 runs over 59 partitions of daily?');
  assert.equal(detail, 'Partitions: 2024-01-01...2024-02-29\nSkipped 1 of daily: already materialized');
});

test('the plan id names the runs: a status change the plan does not depend on keeps it, one it does changes it', () => {
  const shown = plan('2024-01-10', '2024-01-20');
  // Another backfill materializing partitions outside the range: other inputs, the same runs.
  const elsewhere = plan('2024-01-10', '2024-01-20', { '2024-01-01': 'MATERIALIZED', '2024-02-01': 'FAILED' });
  assert.equal(planIdOf(elsewhere), planIdOf(shown));
  assert.equal(planChangeReason(shown, elsewhere), null);
  const inside = plan('2024-01-10', '2024-01-20', { '2024-01-12': 'MATERIALIZED' });
  assert.notEqual(planIdOf(inside), planIdOf(shown));
  assert.equal(planChangeReason(shown, inside), 'the plan is now 10 runs over 10 partitions, not the 11 runs over 11 partitions shown (partition statuses or definitions changed)');
  const shifted = plan('2024-01-11', '2024-01-21');
  assert.equal(planChangeReason(shown, shifted), 'the plan now covers other partitions than the 11 runs shown (partition statuses or definitions changed)');
  assert.notEqual(planIdOf(plan('2024-01-10', '2024-01-20', {}, 'all')), planIdOf(shown), 'the reprocess mode is part of the launch');
  assert.equal(planPreviewModel(3, shown, null).ok && (planPreviewModel(3, shown, null) as { planId: string }).planId, planIdOf(shown));
});

test('a click launches the plan it names, even after newer re-plans; a changed form or an unknown plan is refused in words', () => {
  const shownPlans = new ShownPlans();
  const form = { ...defaultLaunchForm('daily'), partitionMode: 'range' as const, rangeFrom: '2024-01-10', rangeTo: '2024-01-20' };
  const first = shownPlans.remember(1, form, plan('2024-01-10', '2024-01-20'), true);
  // Status refreshes re-plan the unchanged form while the click is on its way.
  shownPlans.remember(2, form, plan('2024-01-10', '2024-01-20', { '2024-02-01': 'MATERIALIZED' }), true);
  shownPlans.remember(3, form, plan('2024-01-10', '2024-01-20', { '2024-01-12': 'MATERIALIZED' }), true);
  const found = shownPlans.find(1, form, first.planId);
  assert.ok('shown' in found);
  assert.equal(found.shown, first);
  const changedForm = shownPlans.find(1, { ...form, retries: '2' }, first.planId);
  assert.ok('refusal' in changedForm && /^Not launched: the form changed/.test(changedForm.refusal));
  const otherPlan = shownPlans.find(1, form, 'abcdef0123456789');
  assert.ok('refusal' in otherPlan && /^Not launched: the plan shown is no longer/.test(otherPlan.refusal));
  const zeroRuns = shownPlans.remember(4, form, plan('2024-01-12', '2024-01-12', { '2024-01-12': 'MATERIALIZED' }), false);
  const blocked = shownPlans.find(4, form, zeroRuns.planId);
  assert.ok('refusal' in blocked && /cannot be launched/.test(blocked.refusal));
  for (let id = 5; id < 20; id++) shownPlans.remember(id, form, plan('2024-01-10', '2024-01-20'), true);
  assert.ok('refusal' in shownPlans.find(1, form, first.planId), 'only the last few plans are kept');
});

test('the launch message must name the plan it launches', () => {
  const form = defaultLaunchForm('daily');
  assert.deepEqual(parseWebviewToHostMessage({ type: 'launchPlan', requestId: 3, form, planId: 'abc123' }), { ok: true, value: { type: 'launchPlan', requestId: 3, form, planId: 'abc123' } });
  assert.deepEqual(parseWebviewToHostMessage({ type: 'launchPlan', requestId: 3, form }), { ok: false, reason: 'launchPlan takes exactly requestId, planId and form' });
  assert.deepEqual(parseWebviewToHostMessage({ type: 'launchPlan', requestId: 3, form, planId: '<x>' }), { ok: false, reason: 'launchPlan.planId must be an identifier' });
  assert.equal(parseWebviewToHostMessage({ type: 'previewPlan', requestId: 3, form, planId: 'abc' }).ok, false);
});
