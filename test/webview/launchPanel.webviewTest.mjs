// Browser tests of the launch panel: rendering, live preview requests, inline validation, safe defaults, Enter never
// launching, a click during a re-plan launching the plan shown, drag-select on the strip, state across reloads and
// hostile messages.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { defaultForm, launchForm, launchTargetModel, planPreview } from './launchFixture.mjs';
import { loaded, nextPreviewRequest } from './launchPage.mjs';

const resultsDir = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../test-results/webview');
const launchView = { view: 'launch' };

export const launchPanelTests = [
  ['launch: renders the target summary and strip, and asks for a preview of the form', async (panel) => {
    assert.deepEqual(await panel.posted(), [{ type: 'ready' }]);
    const request = await loaded(panel);
    assert.deepEqual(request.form, launchForm());
    assert.equal(await panel.text('.launch-title'), 'Launch a backfill of daily_counts');
    assert.equal(await panel.text('.launch-facts'), 'Command target · 60 partitions · daily from 2024-01-01');
    assert.match(await panel.text('.launch-policy'), /one run per partition \(set in code/);
    assert.equal(await panel.text('#plan-headline'), '40 runs over 40 partitions · all partitions');
    assert.deepEqual(await panel.page.$$eval('#plan-targets tbody td', (c) => c.map((x) => x.textContent)), ['daily_counts', '40', '40', '2024-01-21...2024-02-29']);
    assert.equal(await panel.text('#plan-skipped'), 'daily_counts: 20 skipped, already materialized (2024-01-01...2024-01-20)');
    assert.equal(await panel.text('#launch-button'), 'Launch 40 runs');
    assert.equal(await panel.page.isEnabled('#launch-button'), true);
    // The strip is drawn with the theme's status colours: a materialized pixel on the left, missing (faded, as in
    // the details panel, so a canceled partition's unfaded grey reads apart from it) on the right.
    const pixels = await panel.page.$eval('#status-strip', (c) => {
      const ctx = c.getContext('2d');
      return [[...ctx.getImageData(2, 14, 1, 1).data], [...ctx.getImageData(c.width - 10, 14, 1, 1).data]];
    });
    assert.deepEqual(pixels[0], [46, 164, 79, 255]);
    assert.ok([139, 148, 158].every((v, i) => Math.abs(v - pixels[1][i]) <= 3) && pixels[1][3] === 115, `missing drawn as ${pixels[1]}`);
    assert.deepEqual(await panel.cspViolations(), []);
  }, launchView],

  ['launch: validation as you type shows errors next to the fields, locally and from the host', async (panel) => {
    await loaded(panel);
    await panel.page.fill('#tags', 'team');
    await panel.page.waitForFunction(() => document.getElementById('tags-error')?.textContent !== '');
    assert.equal(await panel.text('#tags-error'), 'tag "team" needs the form key=value');
    assert.equal(await panel.page.getAttribute('#tags', 'aria-invalid'), 'true');
    assert.equal(await panel.page.isEnabled('#launch-button'), false);
    await panel.page.fill('#tags', 'team=analytics, reason=late data');
    await panel.page.waitForFunction(() => document.getElementById('tags-error')?.textContent === '');
    await panel.page.fill('#concurrency', '0');
    assert.equal(await panel.text('#concurrency-error'), 'concurrency: a whole number from 1 to 64');
    await panel.page.fill('#concurrency', '8');
    // Selection syntax and unknown keys are the host's to judge (Dagster's parser, the real keys).
    const before = (await panel.posted()).length;
    await panel.page.check('#partition-mode-selection');
    await panel.page.fill('#selection-text', '[2024-01-01...2024-01-05');
    const request = await nextPreviewRequest(panel, before, { selectionText: '[2024-01-01...2024-01-05' });
    assert.equal(request.form.concurrency, '8');
    assert.equal(request.form.tagsText, 'team=analytics, reason=late data');
    await panel.send({ type: 'planPreviewed', preview: { ok: false, requestId: request.requestId, fieldErrors: { selectionText: 'unclosed [ at column 1' }, message: 'No plan: fix the field marked above.' } });
    await panel.page.waitForFunction(() => document.getElementById('selection-text-error')?.textContent === 'unclosed [ at column 1');
    assert.equal(await panel.text('#plan-headline'), 'No plan');
    assert.equal(await panel.page.isEnabled('#launch-button'), false);
  }, launchView],

  ['launch: an answer to an older preview request is ignored', async (panel) => {
    const first = await loaded(panel);
    const before = (await panel.posted()).length;
    await panel.page.fill('#retries', '2');
    const second = await nextPreviewRequest(panel, before);
    await panel.send({ type: 'planPreviewed', preview: planPreview(first.requestId, { runCount: 3 }) });
    await panel.send({ type: 'planPreviewed', preview: planPreview(second.requestId, { runCount: 12 }) });
    await panel.page.waitForFunction(() => document.getElementById('launch-button')?.textContent === 'Launch 12 runs');
    assert.equal(await panel.text('#plan-headline'), '12 runs over 12 partitions · all partitions');
  }, launchView],

  ['launch: zero runs are previewed with why, and Launch stays disabled', async (panel) => {
    await loaded(panel, launchTargetModel(), (id) => planPreview(id, { runCount: 0, launchBlockedBy: 'Nothing to run: every selected partition is skipped (see below).' }));
    assert.equal(await panel.text('#plan-headline'), '0 runs over 0 partitions · all partitions');
    assert.equal(await panel.text('#plan-blocked'), 'Nothing to run: every selected partition is skipped (see below).');
    assert.equal(await panel.page.isEnabled('#launch-button'), false);
    await panel.page.press('#tags', 'Enter');
    assert.equal((await panel.posted()).some((m) => m.type === 'launchPlan'), false);
  }, launchView],

  ['launch: opens with nothing chosen: no plan asked for, Launch disabled and saying why, focus on Range, Missing only', async (panel) => {
    await panel.send({ type: 'launchTargetLoaded', model: launchTargetModel({ form: defaultForm() }) });
    await panel.page.waitForSelector('#launch-form:not([hidden])');
    assert.equal(await panel.page.evaluate(() => document.activeElement?.id), 'partition-mode-range');
    assert.deepEqual(await panel.page.$$eval('input[name="partition-mode"]:checked', (i) => i.map((x) => x.id)), []);
    assert.equal(await panel.page.isChecked('#reprocess-missing'), true);
    await panel.page.waitForFunction(() => document.getElementById('plan-headline')?.textContent === 'No plan yet');
    assert.equal(await panel.text('#plan-blocked'), 'Choose partitions above to see the plan.');
    assert.equal(await panel.page.isEnabled('#launch-button'), false);
    assert.equal(await panel.text('#launch-hint'), 'Choose partitions first: nothing is selected.');
    assert.equal(await panel.text('#partitions-error'), '', 'the starting state is not shown as an error');
    await panel.page.keyboard.press('Enter');
    await panel.page.press('#tags', 'Enter');
    assert.deepEqual((await panel.posted()).map((m) => m.type), ['ready'], 'nothing is planned or launched before partitions are chosen');
    // Space chooses the focused mode; only then is a plan asked for.
    await panel.page.focus('#partition-mode-range');
    await panel.page.keyboard.press('Space');
    await panel.page.keyboard.press('Tab');
    await panel.page.keyboard.type('2024-01-21');
    await panel.page.keyboard.press('Tab');
    await panel.page.keyboard.type('2024-01-31');
    const request = await nextPreviewRequest(panel, 0, { rangeTo: '2024-01-31' });
    assert.deepEqual([request.form.partitionMode, request.form.reprocess], ['range', 'missing']);
  }, launchView],

  ['launch: Enter in any field, radio or checkbox never launches; a click on Launch launches the plan shown', async (panel) => {
    const request = await loaded(panel, launchTargetModel({ form: defaultForm({ partitionMode: 'range', rangeFrom: '2024-01-21', rangeTo: '2024-01-31' }) }), (id) => planPreview(id, { runCount: 11 }));
    assert.equal(await panel.text('#launch-button'), 'Launch 11 runs');
    assert.equal(await panel.text('#launch-hint'), 'Launches the plan shown. Enter in a field does not launch.');
    for (const id of ['range-from', 'range-to', 'partition-mode-range', 'reprocess-missing', 'concurrency', 'retries', 'tags']) {
      await panel.page.focus(`#${id}`);
      await panel.page.keyboard.press('Enter');
    }
    await panel.page.focus('#include-downstream');
    await panel.page.keyboard.press('Enter');
    // A launch would be posted synchronously on the key press; a round trip through the page settles any in flight.
    await panel.page.evaluate(() => new Promise((r) => setTimeout(r, 0)));
    assert.equal((await panel.posted()).some((m) => m.type === 'launchPlan'), false, 'Enter launched');
    assert.equal(await panel.text('#launch-button'), 'Launch 11 runs');
    await panel.page.click('#launch-button');
    await panel.page.waitForFunction(() => window.__fakeWebviewHost.posted.some((m) => m.type === 'launchPlan'));
    const launched = (await panel.posted()).find((m) => m.type === 'launchPlan');
    assert.deepEqual(launched, { type: 'launchPlan', requestId: request.requestId, form: request.form, planId: 'plan11' });
    assert.equal(await panel.text('#launch-button'), 'Launching…');
    await panel.send({ type: 'launchSettled', launched: false, message: 'Not launched: the launch of 11 runs was not confirmed.' });
    await panel.page.waitForSelector('.error-banner:not([hidden])');
    assert.equal(await panel.text('.error-banner-text'), 'Not launched: the launch of 11 runs was not confirmed.');
    assert.equal(await panel.text('#launch-button'), 'Launch 11 runs');
  }, launchView],

  ['launch: a click during a status refresh launches the plan shown, and the re-plan does not undo it', async (panel) => {
    const model = launchTargetModel({ form: defaultForm({ partitionMode: 'latest', latestCount: '5' }) });
    const first = await loaded(panel, model, (id) => planPreview(id, { runCount: 5 }));
    const before = (await panel.posted()).length;
    // A status refresh: the same target snapshot again, which re-plans the unchanged form.
    await panel.send({ type: 'launchTargetLoaded', model });
    const replan = await nextPreviewRequest(panel, before);
    assert.ok(replan.requestId > first.requestId);
    assert.equal(await panel.page.isEnabled('#launch-button'), true, 'Launch stays enabled while the unchanged form is re-planned');
    await panel.page.click('#launch-button');
    await panel.page.waitForFunction(() => window.__fakeWebviewHost.posted.some((m) => m.type === 'launchPlan'));
    const launched = (await panel.posted()).filter((m) => m.type === 'launchPlan');
    assert.deepEqual(launched, [{ type: 'launchPlan', requestId: first.requestId, form: first.form, planId: 'plan5' }]);
    // The re-plan's answer and another refresh arrive while the host launches: the panel keeps waiting for launchSettled.
    await panel.send({ type: 'planPreviewed', preview: planPreview(replan.requestId, { runCount: 5 }) });
    await panel.send({ type: 'launchTargetLoaded', model });
    await panel.page.waitForFunction(() => document.getElementById('plan-status')?.textContent === 'Planning…');
    assert.equal(await panel.text('#launch-button'), 'Launching…');
    await panel.send({ type: 'launchSettled', launched: true, message: 'Launched backfill abcdefgh: 5 runs.' });
    await panel.page.waitForSelector('#launch-notice:not([hidden])');
    assert.equal(await panel.text('#launch-notice'), 'Launched backfill abcdefgh: 5 runs.');
    assert.equal((await panel.posted()).filter((m) => m.type === 'launchPlan').length, 1);
  }, launchView],

  ['launch: while the form differs from the plan shown, Launch is disabled and says it is planning', async (panel) => {
    await loaded(panel, launchTargetModel({ form: defaultForm({ partitionMode: 'latest', latestCount: '5' }) }), (id) => planPreview(id, { runCount: 5 }));
    await panel.page.fill('#latest-count', '9');
    assert.equal(await panel.page.isEnabled('#launch-button'), false);
    assert.equal(await panel.text('#launch-button'), 'Launch');
    assert.equal(await panel.text('#launch-hint'), 'Planning the form as it stands…');
  }, launchView],

  ['launch: dragging across the status strip selects that range', async (panel) => {
    await loaded(panel);
    const box = await panel.page.locator('#status-strip').boundingBox();
    const before = (await panel.posted()).length;
    await panel.page.mouse.move(box.x + box.width * (10.5 / 60), box.y + 10);
    await panel.page.mouse.down();
    await panel.page.mouse.move(box.x + box.width * (20.5 / 60), box.y + 10, { steps: 5 });
    await panel.page.mouse.up();
    assert.equal(await panel.page.isChecked('#partition-mode-range'), true);
    assert.equal(await panel.page.inputValue('#range-from'), '2024-01-11');
    assert.equal(await panel.page.inputValue('#range-to'), '2024-01-21');
    assert.equal(await panel.text('#status-strip-readout'), '2024-01-11...2024-01-21 (11 partitions)');
    const request = await nextPreviewRequest(panel, before);
    assert.deepEqual([request.form.rangeFrom, request.form.rangeTo], ['2024-01-11', '2024-01-21']);
  }, launchView],

  ['launch: a prefill from the host fills the form; typing survives a reload and a status refresh', async (panel) => {
    await loaded(panel, launchTargetModel({ form: launchForm({ partitionMode: 'selection', selectionText: '[2024-01-03...2024-01-09], 2024-02-01' }), prefillId: 1 }));
    assert.equal(await panel.page.inputValue('#selection-text'), '[2024-01-03...2024-01-09], 2024-02-01');
    await panel.page.fill('#tags', 'owner=me');
    await panel.page.waitForFunction(() => JSON.parse(sessionStorage.getItem('fakeWebviewHost.state'))?.form?.tagsText === 'owner=me');
    const lastBeforeReload = (await panel.posted()).filter((m) => m.type === 'previewPlan').at(-1).requestId;
    await panel.page.reload();
    await panel.page.waitForFunction(() => window.__fakeWebviewHost?.posted.length > 0);
    // As the host does after a reload: the last snapshot again (an old preview), then a fresh one is asked for.
    await panel.send({ type: 'launchTargetLoaded', model: launchTargetModel({ form: launchForm({ partitionMode: 'selection', selectionText: '[2024-01-03...2024-01-09], 2024-02-01' }), prefillId: 1 }) });
    await panel.send({ type: 'planPreviewed', preview: planPreview(lastBeforeReload, { runCount: 99 }) });
    await panel.page.waitForSelector('#launch-form:not([hidden])');
    assert.equal(await panel.page.inputValue('#tags'), 'owner=me');
    const afterReload = await nextPreviewRequest(panel, 0, { tagsText: 'owner=me' });
    assert.ok(afterReload.requestId > lastBeforeReload, `request ids restart after a reload: ${afterReload.requestId} <= ${lastBeforeReload}`);
    await panel.send({ type: 'planPreviewed', preview: planPreview(afterReload.requestId, { runCount: 8 }) });
    await panel.page.waitForFunction(() => document.getElementById('plan-headline')?.textContent.startsWith('8 runs'));
    // A new prefill (say, a brush selection in the partitions panel) replaces the form.
    await panel.send({ type: 'launchTargetLoaded', model: launchTargetModel({ form: launchForm({ partitionMode: 'range', rangeFrom: '2024-02-01', rangeTo: '2024-02-05' }), prefillId: 2 }) });
    await panel.page.waitForFunction(() => document.getElementById('range-from')?.value === '2024-02-01');
    assert.equal(await panel.page.inputValue('#tags'), '');
  }, launchView],

  ['launch: hostile or malformed messages are dropped and change nothing', async (panel) => {
    await loaded(panel);
    const bad = launchTargetModel();
    bad.statusRuns[0][1] += 5;
    bad.target = 'should_not_show';
    for (const m of [
      { type: 'launchTargetLoaded', model: bad },
      { type: 'launchTargetLoaded', model: { ...launchTargetModel(), form: { ...launchForm(), partitionMode: 'everything' } } },
      { type: 'launchTargetLoaded', model: { ...launchTargetModel(), target: 'keys_as_an_array', keys: ['2024-01-01', '2024-01-02'] } },
      { type: 'launchTargetLoaded', model: { ...launchTargetModel(), target: 'keys_miscounted', keys: { ...launchTargetModel().keys, count: 59 } } },
      { type: 'launchTargetLoaded', model: { ...launchTargetModel(), target: 'keys_bad_runs', keys: { ...launchTargetModel().keys, runs: '10.8.2.1.31,10.8.2.1.29,' } } },
      { type: 'planPreviewed', preview: { ok: true, requestId: -1 } },
      { type: 'planPreviewed', preview: '<img src=x onerror=alert(1)>' },
      { type: 'launchMissiles' },
      null,
    ]) await panel.send(m);
    await panel.page.waitForTimeout(50);
    assert.equal(await panel.text('.launch-title'), 'Launch a backfill of daily_counts');
    assert.equal(await panel.text('#plan-headline'), '40 runs over 40 partitions · all partitions');
    assert.deepEqual(await panel.cspViolations(), []);
    panel.pageErrors.length = 0;
  }, launchView],

  ['launch: screenshots in dark and light themes (test-results/webview/launch-*.png)', async (panel) => {
    await loaded(panel);
    await panel.page.fill('#tags', 'team');
    await panel.page.waitForFunction(() => document.getElementById('tags-error')?.textContent !== '');
    await panel.page.screenshot({ path: path.join(resultsDir, 'launch-dark.png'), fullPage: true });
  }, launchView],

  ['launch: screenshot in the light theme', async (panel) => {
    await loaded(panel);
    await panel.page.screenshot({ path: path.join(resultsDir, 'launch-light.png'), fullPage: true });
    assert.deepEqual(await panel.cspViolations(), []);
  }, { view: 'launch', theme: 'light' }],

  ['launch: screenshot in a high-contrast theme: borders, not fills, and the focus outline', async (panel) => {
    await loaded(panel);
    await panel.page.focus('#tags');
    assert.equal(await panel.page.$eval('.launch-button', (b) => getComputedStyle(b).borderTopColor), 'rgb(111, 195, 223)');
    assert.equal(await panel.page.$eval('#tags', (e) => getComputedStyle(e).outlineColor), 'rgb(243, 133, 24)');
    await panel.page.screenshot({ path: path.join(resultsDir, 'launch-high-contrast.png'), fullPage: true });
  }, { view: 'launch', theme: 'high-contrast' }],
];
