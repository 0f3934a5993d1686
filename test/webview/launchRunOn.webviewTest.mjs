// Browser tests of the launch panel's "Run on" choice: this machine or a configured deployment, the remote plan
// preview (what the deployment will be asked for), the fields that only apply here hidden there, and launching on it.
import * as assert from 'node:assert/strict';
import { DEPLOYMENTS, launchForm, launchTargetModel, planPreview, remotePlanPreview } from './launchFixture.mjs';
import { loaded, nextPreviewRequest } from './launchPage.mjs';

const launchView = { view: 'launch' };
const visible = (panel, selector) => panel.page.isVisible(selector);

export const launchRunOnTests = [
  ['launch run on: a deployment is previewed as what it will be asked for, local-only fields hide, and Launch sends it', async (panel) => {
    await loaded(panel, launchTargetModel({ deployments: DEPLOYMENTS }));
    assert.deepEqual(await panel.page.$$eval('#run-on option', (o) => o.map((x) => [x.value, x.textContent])), [
      ['', 'This machine'], ['prod', 'prod (Dagster+ · https://acme.dagster.cloud/prod)'], ['staging', 'staging (Dagster · http://127.0.0.1:3000)'],
    ]);
    assert.equal(await visible(panel, '#concurrency'), true);
    assert.equal(await visible(panel, '#remote-title'), false);
    const before = (await panel.posted()).length;
    await panel.page.selectOption('#run-on', 'prod');
    const request = await nextPreviewRequest(panel, before, { runOn: 'prod' });
    assert.deepEqual(request.form, launchForm({ runOn: 'prod' }));
    // Dagster's daemon decides concurrency, order and retries, and its launch has no reprocess mode: not shown, said why.
    for (const hidden of ['#concurrency', '#run-order', '#retries', '#reprocess-missing']) assert.equal(await visible(panel, hidden), false, hidden);
    assert.match(await panel.text('#run-on-note'), /^prod gets every selected partition: Dagster's launch has no reprocess mode/);
    assert.equal(await visible(panel, '#remote-title'), true);
    assert.equal(await visible(panel, '#tags'), true);
    await panel.send({ type: 'planPreviewed', preview: remotePlanPreview(request.requestId) });
    await panel.page.waitForFunction(() => document.getElementById('launch-button')?.textContent === 'Launch on prod (3 partitions)');
    assert.equal(await panel.text('#plan-headline'), 'On prod: 3 partitions · 2024-01-01...2024-01-03');
    assert.deepEqual(await panel.page.$$eval('#plan-remote > *', (e) => e.map((x) => x.textContent)), [
      'Assets', 'raw_events, events',
      'Where', 'each asset by its key, in whichever code location of the deployment defines it',
      'Partitions', '2024-01-01, 2024-01-02, 2024-01-03 (3 by name)',
      'Tags', 'team=data',
    ]);
    assert.equal(await panel.text('#plan-not-sent'), 'Not sent: title (this Dagster version has no backfill titles)');
    assert.equal(await visible(panel, '#plan-targets'), false);
    assert.equal(await panel.text('#launch-hint'), 'Asks prod for the backfill shown. Enter in a field does not launch.');
    await panel.page.click('#launch-button');
    await panel.page.waitForFunction(() => window.__fakeWebviewHost.posted.some((m) => m.type === 'launchPlan'));
    const launched = (await panel.posted()).find((m) => m.type === 'launchPlan');
    assert.deepEqual(launched, { type: 'launchPlan', requestId: request.requestId, form: request.form, planId: 'rprod3' });
    // The deployment's refusal is shown in the panel, and the button is back for another try.
    await panel.send({ type: 'launchSettled', launched: false, message: 'Not launched: Dagster deployment "prod" (https://acme.dagster.cloud/prod): the Dagster+ user token was not accepted (HTTP 401).' });
    await panel.page.waitForFunction(() => !document.querySelector('.error-banner').hidden);
    assert.match(await panel.text('.error-banner-text'), /the Dagster\+ user token was not accepted/);
    assert.equal(await panel.page.isEnabled('#launch-button'), true);
    assert.equal(JSON.stringify(await panel.savedState()).includes('"runOn":"prod"'), true);
  }, launchView],

  ['launch run on: title and description are sent with the form; back on this machine the local plan returns', async (panel) => {
    await loaded(panel, launchTargetModel({ deployments: DEPLOYMENTS, form: launchForm({ runOn: 'staging' }) }), (id) => remotePlanPreview(id, { deployment: 'staging', planId: 'rstaging' }));
    assert.equal(await panel.page.inputValue('#run-on'), 'staging');
    assert.equal(await panel.text('#plan-headline'), 'On staging: 3 partitions · 2024-01-01...2024-01-03');
    let before = (await panel.posted()).length;
    await panel.page.fill('#remote-title', 'Orders November');
    await panel.page.fill('#remote-description', 'after the upstream fix');
    const titled = await nextPreviewRequest(panel, before, { title: 'Orders November', description: 'after the upstream fix' });
    assert.equal(titled.form.runOn, 'staging');
    before = (await panel.posted()).length;
    await panel.page.selectOption('#run-on', '');
    const local = await nextPreviewRequest(panel, before, { runOn: '' });
    await panel.send({ type: 'planPreviewed', preview: planPreview(local.requestId, { runCount: 12 }) });
    await panel.page.waitForFunction(() => document.getElementById('launch-button')?.textContent === 'Launch 12 runs');
    assert.equal(await visible(panel, '#plan-remote'), false);
    assert.equal(await visible(panel, '#plan-not-sent'), false);
    assert.equal(await visible(panel, '#plan-targets'), true);
    assert.equal(await visible(panel, '#concurrency'), true);
    assert.equal(await visible(panel, '#remote-title'), false);
  }, launchView],

  ['launch run on: with no deployment configured only this machine is offered; a deployment since removed stays listed with the host\'s error', async (panel) => {
    await loaded(panel, launchTargetModel({ form: launchForm({ runOn: 'old' }) }), (id) => ({ ok: false, requestId: id, fieldErrors: { runOn: 'No deployment "old" in backfillStudio.deployments.' }, message: 'No plan: fix the field marked above.' }));
    assert.deepEqual(await panel.page.$$eval('#run-on option', (o) => o.map((x) => x.textContent)), ['This machine', 'old (not configured)']);
    assert.equal(await panel.text('#run-on-error'), 'No deployment "old" in backfillStudio.deployments.');
    assert.equal(await panel.page.getAttribute('#run-on', 'aria-invalid'), 'true');
    assert.equal(await panel.page.isEnabled('#launch-button'), false);
    await panel.page.selectOption('#run-on', '');
    const before = (await panel.posted()).length;
    await panel.send({ type: 'launchTargetLoaded', model: launchTargetModel({ prefillId: 1 }) });
    await nextPreviewRequest(panel, before, { runOn: '' });
    assert.deepEqual(await panel.page.$$eval('#run-on option', (o) => o.map((x) => x.textContent)), ['This machine']);
    assert.equal(await panel.page.isDisabled('#run-on'), true);
  }, launchView],

  ['launch run on: a remote preview that breaks the protocol is refused', async (panel) => {
    const request = await loaded(panel, launchTargetModel({ deployments: DEPLOYMENTS }));
    const bad = remotePlanPreview(request.requestId);
    bad.remote.asked = [{ label: 'Assets', value: 3 }];
    await panel.send({ type: 'planPreviewed', preview: bad });
    await panel.send({ type: 'planPreviewed', preview: { ...remotePlanPreview(request.requestId), remote: { ...remotePlanPreview(request.requestId).remote, kind: 'k8s' } } });
    // Neither was taken: the local plan the panel loaded with is still shown.
    assert.equal(await panel.text('#launch-button'), 'Launch 40 runs');
    assert.equal(await visible(panel, '#plan-remote'), false);
  }, launchView],
];
