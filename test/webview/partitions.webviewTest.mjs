// Browser tests of the Partitions panel against the fake webview host, from view models recorded with the host code.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { decodePartitionKeyList } from './partitionKeyListCodec.mjs';
import { cellCentre, hoverText, partitionsFixture, pixelAt, sendPartitions, statusColours } from './partitionsPage.mjs';

const resultsDir = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../test-results/webview');
const partitions = { view: 'partitions' };

/** Colours compared per channel with a little slack: canvas blending of translucent theme colours rounds. */
function assertColour(actual, expected, what) {
  const a = actual.match(/\d+/g)?.map(Number) ?? [];
  const e = expected.match(/\d+/g)?.map(Number) ?? [];
  assert.ok(a.length === 3 && a.every((v, i) => Math.abs(v - e[i]) <= 3), `${what}: drew ${actual}, expected ${expected}`);
}

async function assertCell(panel, colours, [row, column], status, key, grid = 0) {
  const point = await cellCentre(panel, row, column, grid);
  assertColour(await pixelAt(panel, point, grid), colours[status], `cell (${row}, ${column}) ${key}`);
  if (key !== null) assert.match(await hoverText(panel, point), new RegExp(`^${key.replace(/[|()[\]]/g, '\\$&')}`));
}

export const partitionsTests = [
  ['partitions: posts ready once and shows a loading message before any model', async (panel) => {
    assert.deepEqual(await panel.posted(), [{ type: 'ready' }]);
    assert.equal(await panel.text('.partitions-message'), 'Loading partitions…');
  }, partitions],

  ['partitions: a daily asset is a calendar of weeks x weekdays with months labelled, drawn in the status colours', async (panel) => {
    const model = partitionsFixture('daily');
    await sendPartitions(panel, model);
    assert.equal(await panel.text('.partitions-summary'), '91 partitions: 28 materialized, 2 in progress, 1 failed, 60 missing');
    assert.ok(await panel.page.evaluate(() => document.querySelectorAll('*').length) < 150, 'a few nodes, not one per partition');
    const grid = await panel.page.$eval('.partition-grid-scroller', (e) => ({ ...e.dataset }));
    assert.equal(grid.columns, '7');
    assert.equal(grid.rows, '13');
    const colours = await statusColours(panel);
    // 2024-01-01 is a Monday: row 0 column 0. The 15th is a Monday two weeks on; the 30th and 31st are running.
    await assertCell(panel, colours, [0, 0], 'MATERIALIZED', '2024-01-01: materialized · last run dailyaaa_run000, Apr 1, 2024, 9:00:00 AM, 1.2s');
    await assertCell(panel, colours, [2, 0], 'FAILED', '2024-01-15: failed');
    await assertCell(panel, colours, [4, 1], 'IN_PROGRESS', '2024-01-30: in progress');
    await assertCell(panel, colours, [12, 6], 'MISSING', '2024-03-31: missing · no run yet');
    assert.deepEqual(model.layout.rowLabels, [[0, 'Jan 2024'], [4, 'Feb 2024'], [8, 'Mar 2024']]);
    assert.deepEqual(await panel.cspViolations(), []);
    await panel.page.screenshot({ path: path.join(resultsDir, 'partitions-daily.png') });
  }, partitions],

  ['partitions: the calendar grows its cells with the panel width, and hover still finds each key', async (panel) => {
    const pitch = () => panel.page.$eval('.partition-grid-scroller', (e) => [Number(e.dataset.pitchX), Number(e.dataset.pitchY)]);
    await panel.page.setViewportSize({ width: 320, height: 900 });
    await sendPartitions(panel, partitionsFixture('daily'));
    const [narrowX, narrowY] = await pitch();
    await panel.page.setViewportSize({ width: 1000, height: 900 });
    await panel.page.waitForFunction((x) => Number(document.querySelector('.partition-grid-scroller').dataset.pitchX) > x, narrowX);
    const [wideX, wideY] = await pitch();
    assert.ok(wideX > narrowX && wideY >= narrowY, `cells grow: ${narrowX}x${narrowY} -> ${wideX}x${wideY}`);
    const used = await panel.page.$eval('.partition-grid-scroller', (e) => (Number(e.dataset.gutter) + 7 * Number(e.dataset.pitchX)) / e.clientWidth);
    assert.ok(used > 0.5, `the week spans most of the panel (${used})`);
    const colours = await statusColours(panel);
    await assertCell(panel, colours, [2, 0], 'FAILED', '2024-01-15: failed');
    await assertCell(panel, colours, [12, 6], 'MISSING', '2024-03-31: missing');
    // Near the right edge of a wide cell: with 14 px cells this point would be two columns further on.
    const edge = await panel.page.evaluate(() => {
      const s = document.querySelector('.partition-grid-scroller');
      const box = s.querySelector('canvas').getBoundingClientRect();
      const d = s.dataset;
      const left = box.left + Number(d.gutter) + 2 * Number(d.pitchX);
      return { x: left + Number(d.pitchX) - 5, gap: left + Number(d.pitchX) - 1, y: box.top + Number(d.header) + 2 * Number(d.pitchY) + 3 };
    });
    assert.match(await hoverText(panel, edge), /^2024-01-17: materialized/);
    assert.equal(await hoverText(panel, { x: edge.gap, y: edge.y }), null, 'the gap between cells is no key');
    // Narrow again: the cells shrink back and the first column is still the 1st.
    await panel.page.setViewportSize({ width: 320, height: 900 });
    await panel.page.waitForFunction((x) => Number(document.querySelector('.partition-grid-scroller').dataset.pitchX) === x, narrowX);
    await assertCell(panel, colours, [0, 0], 'MATERIALIZED', '2024-01-01: materialized');
    await panel.page.setViewportSize({ width: 1000, height: 900 });
    await panel.page.waitForFunction((x) => Number(document.querySelector('.partition-grid-scroller').dataset.pitchX) === x, wideX);
    await panel.page.screenshot({ path: path.join(resultsDir, 'partitions-daily-wide.png') });
  }, partitions],

  ['partitions: an hourly asset is days x hours, and the daylight-saving day skips 02:00', async (panel) => {
    await sendPartitions(panel, partitionsFixture('hourly'));
    const colours = await statusColours(panel);
    await assertCell(panel, colours, [0, 5], 'FAILED', '2024-03-08-05:00: failed');
    await assertCell(panel, colours, [1, 5], 'MATERIALIZED', '2024-03-09-05:00');
    await assertCell(panel, colours, [2, 1], 'MISSING', '2024-03-10-01:00');
    await assertCell(panel, colours, [3, 3], 'MISSING', '2024-03-10-03:00');
    assert.equal(await hoverText(panel, await cellCentre(panel, 2, 2)), null, '02:00 does not exist in New York on 2024-03-10');
    assert.equal(await pixelAt(panel, await cellCentre(panel, 2, 2)), 'transparent');
  }, partitions],

  ['partitions: a multi-partitioned asset is a dates x regions matrix; a brush selects a rectangle and launches it', async (panel) => {
    await sendPartitions(panel, partitionsFixture('multi'));
    const colours = await statusColours(panel);
    await assertCell(panel, colours, [1, 1], 'MATERIALIZED', '2024-01-02\\|eu: materialized');
    await assertCell(panel, colours, [2, 2], 'FAILED', '2024-01-03\\|us: failed');
    await assertCell(panel, colours, [0, 0], 'MISSING', '2024-01-01\\|apac');
    const from = await cellCentre(panel, 1, 1);
    const to = await cellCentre(panel, 3, 2);
    await panel.page.mouse.move(from.x, from.y);
    await panel.page.mouse.down();
    await panel.page.mouse.move(to.x, to.y, { steps: 4 });
    await panel.page.mouse.up();
    assert.equal(await panel.text('#partition-selection-text'), 'Selected 2024-01-02|eu…2024-01-04|us (6 partitions)');
    await panel.page.click('#launch-selection');
    assert.deepEqual((await panel.posted()).at(-1), { type: 'launchPartitionRange', target: 'regional_sales', from: '2024-01-02|eu', to: '2024-01-04|us' });
  }, partitions],

  ['partitions: static keys are labelled cells, and a <script>-like key is only text', async (panel) => {
    await panel.page.on('dialog', () => { throw new Error('a dialog opened: a key ran as script'); });
    const model = partitionsFixture('static');
    const hostile = '<script>alert(1)</script>';
    assert.ok(decodePartitionKeyList(model.keys).indexOf(hostile) >= 0);
    await sendPartitions(panel, model);
    const colours = await statusColours(panel);
    // Labelled cells show their status as a bar at their left edge.
    const acme = await cellCentre(panel, 0, 0);
    assertColour(await pixelAt(panel, { x: acme.x - 9, y: acme.y }), colours.MATERIALIZED, 'acme');
    assert.equal(await hoverText(panel, acme), 'acme: materialized · last run staticaa_run000, Apr 1, 2024, 9:00:00 AM, 1.2s');
    const bad = await cellCentre(panel, 0, 3);
    assertColour(await pixelAt(panel, { x: bad.x - 9, y: bad.y }), colours.FAILED, 'the hostile key');
    const text = await hoverText(panel, await cellCentre(panel, 0, 3));
    assert.equal(text.startsWith(`${hostile}: failed`), true);
    assert.equal(await panel.page.locator('script').count(), 2, 'no script element was added');
    assert.equal(await panel.page.locator('.partitions-description').innerText(), `asset · ${model.description}`);
    await panel.page.screenshot({ path: path.join(resultsDir, 'partitions-static.png') });
  }, partitions],

  ['partitions: a job shows its step x partition matrix and filters it to one backfill', async (panel) => {
    await sendPartitions(panel, partitionsFixture('job'));
    const colours = await statusColours(panel);
    assert.equal(await panel.text('.step-matrix-note'), '3 steps (as the runs reported them) × 4 partitions with a run');
    // Rows extract, transform, load; columns 2024-01-01, -02, -03, -05.
    await assertCell(panel, colours, [0, 3], 'MATERIALIZED', null, 1);
    await assertCell(panel, colours, [1, 1], 'FAILED', null, 1);
    await assertCell(panel, colours, [1, 2], 'IN_PROGRESS', null, 1);
    await assertCell(panel, colours, [2, 1], 'MISSING', null, 1);
    assert.equal(await hoverText(panel, await cellCentre(panel, 1, 1, 1)), 'transform · 2024-01-02: failed');
    await panel.page.selectOption('#step-matrix-filter', 'jobbbbbb');
    assert.deepEqual((await panel.posted()).at(-1), { type: 'filterPartitionsByBackfill', target: 'etl_job', backfillId: 'jobbbbbb' });
    await panel.send({ type: 'partitionsLoaded', model: partitionsFixture('jobFiltered') });
    await panel.page.waitForFunction(() => document.querySelector('.step-matrix-note').textContent.endsWith('× 1 partition with a run'));
    assert.equal(await panel.page.$eval('#step-matrix-filter', (s) => s.value), 'jobbbbbb');
    await panel.page.screenshot({ path: path.join(resultsDir, 'partitions-job.png') });
  }, partitions],

  ['partitions: canceled partitions have a neutral colour of their own, never red, in the legend, summary and hover (partitions-canceled.png)', async (panel) => {
    await sendPartitions(panel, partitionsFixture('canceled'));
    assert.equal(await panel.text('.partitions-summary'), '31 partitions: 8 materialized, 1 failed, 5 canceled, 17 missing');
    const legend = await panel.page.$$eval('.partition-legend-item', (items) => items.map((i) => [i.textContent, i.querySelector('.partition-swatch').dataset.status]));
    assert.deepEqual(legend, [['materialized', 'MATERIALIZED'], ['in progress', 'IN_PROGRESS'], ['failed', 'FAILED'], ['canceled', 'CANCELED'], ['missing', 'MISSING']]);
    const colours = await statusColours(panel);
    assert.equal(new Set(Object.values(colours)).size, 5, `five distinct status colours: ${JSON.stringify(colours)}`);
    const swatch = await panel.page.$eval('.partition-swatch[data-status="CANCELED"]', (s) => getComputedStyle(s).backgroundColor);
    assertColour(swatch, colours.CANCELED, 'the legend swatch of canceled');
    // 2024-01-01 is a Monday: the 3rd failed; the 8th to the 12th (row 1) were canceled.
    await assertCell(panel, colours, [0, 2], 'FAILED', '2024-01-03: failed');
    await assertCell(panel, colours, [1, 0], 'CANCELED', '2024-01-08: canceled · last run cancelaa_run007');
    await assertCell(panel, colours, [1, 4], 'CANCELED', '2024-01-12: canceled');
    await assertCell(panel, colours, [1, 5], 'MATERIALIZED', '2024-01-13: materialized');
    await panel.page.screenshot({ path: path.join(resultsDir, 'partitions-canceled.png') });
  }, partitions],

  ['partitions: the job matrix shows a skipped step as not run and a step its canceled run stopped as canceled, neither as failed', async (panel) => {
    await sendPartitions(panel, partitionsFixture('jobCanceled'));
    const colours = await statusColours(panel);
    assert.equal(await panel.text('.step-matrix-note'), "3 steps (from the job's body) × 3 partitions with a run");
    // Rows extract, transform, load; columns 2024-01-01, -02 (extract failed), -03 (canceled during transform).
    await assertCell(panel, colours, [0, 1], 'FAILED', null, 1);
    await assertCell(panel, colours, [1, 1], 'MISSING', null, 1);
    await assertCell(panel, colours, [1, 2], 'CANCELED', null, 1);
    await assertCell(panel, colours, [2, 2], 'MISSING', null, 1);
    assert.equal(await hoverText(panel, await cellCentre(panel, 1, 1, 1)), 'transform · 2024-01-02: skipped (an upstream step failed)');
    assert.equal(await hoverText(panel, await cellCentre(panel, 2, 1, 1)), 'load · 2024-01-02: skipped (an upstream step failed)');
    assert.equal(await hoverText(panel, await cellCentre(panel, 1, 2, 1)), 'transform · 2024-01-03: canceled');
    assert.equal(await hoverText(panel, await cellCentre(panel, 2, 2, 1)), 'load · 2024-01-03: did not run');
    await panel.page.locator('#step-matrix').screenshot({ path: path.join(resultsDir, 'partitions-job-canceled.png') });
  }, partitions],

  ['partitions: arrow keys move a focus cursor, Shift extends the selection, Enter opens the run log', async (panel) => {
    await sendPartitions(panel, partitionsFixture('daily'));
    await panel.page.focus('.partition-grid-scroller');
    await panel.page.keyboard.press('ArrowRight');
    assert.match(await panel.text('#partition-announcer'), /^2024-01-01: materialized/);
    await panel.page.keyboard.press('ArrowRight');
    await panel.page.keyboard.press('ArrowDown');
    assert.match(await panel.text('#partition-announcer'), /^2024-01-09: materialized · last run dailyaaa_run008/);
    await panel.page.keyboard.press('Enter');
    assert.deepEqual((await panel.posted()).at(-1), { type: 'openRunLog', runId: 'dailyaaa_run008' });
    await panel.page.keyboard.press('Shift+ArrowRight');
    await panel.page.keyboard.press('Shift+ArrowRight');
    assert.equal(await panel.text('#partition-selection-text'), 'Selected 2024-01-09…2024-01-11 (3 partitions)');
    await panel.page.keyboard.press('Escape');
    assert.match(await panel.text('#partition-selection-text'), /^Drag across cells/);
    assert.equal(await panel.page.locator('#launch-selection').isVisible(), false);
    await panel.page.keyboard.press('End');
    assert.match(await panel.text('#partition-announcer'), /^2024-03-31: missing · no run yet/);
    await panel.page.keyboard.press('Enter');
    assert.equal(await panel.text('#partition-announcer'), '2024-03-31 has no run yet');
  }, partitions],

  ['partitions: dragging across the calendar selects a key range and Launch posts it', async (panel) => {
    await sendPartitions(panel, partitionsFixture('daily'));
    const from = await cellCentre(panel, 0, 2);
    const to = await cellCentre(panel, 1, 1);
    await panel.page.mouse.move(from.x, from.y);
    await panel.page.mouse.down();
    await panel.page.mouse.move(to.x, to.y, { steps: 5 });
    await panel.page.mouse.up();
    assert.equal(await panel.text('#partition-selection-text'), 'Selected 2024-01-03…2024-01-09 (7 partitions)');
    await panel.page.click('#launch-selection');
    assert.deepEqual((await panel.posted()).at(-1), { type: 'launchPartitionRange', target: 'daily_counts', from: '2024-01-03', to: '2024-01-09' });
  }, partitions],

  ['partitions: a live status update redraws cells and counts without rebuilding the page', async (panel) => {
    const model = partitionsFixture('daily');
    await sendPartitions(panel, model);
    const colours = await statusColours(panel);
    await panel.page.evaluate(() => { window.__grid = document.querySelector('.partition-grid-scroller canvas'); });
    const statusRuns = [['MATERIALIZED', 31], ['FAILED', 1], ['MISSING', 59]];
    await panel.send({ type: 'partitionStatusesChanged', update: { target: 'daily_counts', statusRuns, lastRuns: [[31, 'run_new', 'Apr 2, 2024', '3.0s', 'KeyError: region']], stepMatrix: null } });
    await panel.page.waitForFunction(() => document.querySelector('.partitions-summary').textContent === '91 partitions: 31 materialized, 1 failed, 59 missing');
    await assertCell(panel, colours, [4, 1], 'MATERIALIZED', '2024-01-30: materialized');
    await assertCell(panel, colours, [4, 3], 'FAILED', '2024-02-01: failed · last run run_new, Apr 2, 2024, 3.0s');
    assert.equal(await hoverText(panel, await cellCentre(panel, 4, 3)), '2024-02-01: failed · last run run_new, Apr 2, 2024, 3.0s\nKeyError: region');
    assert.equal(await panel.page.evaluate(() => window.__grid === document.querySelector('.partition-grid-scroller canvas')), true);
    // The saved state follows the update, so a reload draws what was last shown.
    await panel.page.waitForFunction(() => JSON.parse(sessionStorage.getItem('fakeWebviewHost.state') ?? 'null')?.model?.statusRuns?.[0]?.[1] === 31);
  }, partitions],

  ['partitions: a reload draws the saved model at once and says ready again', async (panel) => {
    await sendPartitions(panel, partitionsFixture('hourly'));
    await panel.page.waitForFunction(() => JSON.parse(sessionStorage.getItem('fakeWebviewHost.state') ?? 'null')?.view === 'partitions');
    await panel.page.reload();
    await panel.page.waitForFunction(() => document.querySelector('.partitions-title')?.textContent === 'hourly_events');
    assert.deepEqual(await panel.posted(), [{ type: 'ready' }]);
  }, partitions],

  ['partitions: malformed and unknown messages are dropped and the page keeps working', async (panel) => {
    const model = partitionsFixture('daily');
    await sendPartitions(panel, model);
    const broken = [
      null, 'partitionsLoaded', { type: 'nope' }, { type: 'partitionsLoaded' },
      { type: 'partitionsLoaded', model: { ...model, keys: [1, 2, 3] } },
      { type: 'partitionsLoaded', model: { ...model, keys: model.keys.runs.split(',').map(Number) } },
      { type: 'partitionsLoaded', model: { ...model, keys: { ...model.keys, count: 90 } } },
      { type: 'partitionsLoaded', model: { ...model, keys: { ...model.keys, text: model.keys.text.slice(1) } } },
      { type: 'partitionsLoaded', model: { ...model, keys: { ...model.keys, runs: model.keys.runs.replace('.1.', '.0.') } } },
      { type: 'partitionsLoaded', model: { ...model, keys: { ...model.keys, extra: true } } },
      { type: 'partitionsLoaded', model: { ...model, statusRuns: [['MATERIALIZED', 5]] } },
      { type: 'partitionsLoaded', model: { ...model, statusRuns: [['EVIL', 91]] } },
      { type: 'partitionsLoaded', model: { ...model, layout: { ...model.layout, rowStarts: [0, 50, 7] } } },
      { type: 'partitionsLoaded', model: { ...model, layout: { ...model.layout, columns: 1e9 } } },
      { type: 'partitionsLoaded', model: { ...model, layout: { kind: 'matrix', rowLabels: ['a'], columnLabels: ['b'], rowDimension: 'x', columnDimension: 'y', columnMajor: false } } },
      { type: 'partitionsLoaded', model: { ...model, lastRuns: [[5000, 'r', '', '']] } },
      { type: 'partitionStatusesChanged', update: { target: 'other', statusRuns: [['MISSING', 91]], lastRuns: [], stepMatrix: null } },
      { type: 'partitionStatusesChanged', update: { target: 'daily_counts', statusRuns: [['MISSING', 90]], lastRuns: [], stepMatrix: null } },
      { type: 'partitionStatusesChanged', update: { target: 'daily_counts', statusRuns: [['MISSING', 91]], lastRuns: [], stepMatrix: { stepSource: 'x' } } },
    ];
    for (const m of broken) await panel.send(m);
    await panel.send({ type: 'partitionsLoaded', model: { ...model, target: 'after_the_noise' } });
    await panel.page.waitForFunction(() => document.querySelector('.partitions-title')?.textContent === 'after_the_noise');
    assert.equal(await panel.text('.partitions-summary'), '91 partitions: 28 materialized, 2 in progress, 1 failed, 60 missing');
    assert.deepEqual(await panel.posted(), [{ type: 'ready' }]);
    await panel.send({ type: 'partitionsNotFound', target: 'after_the_noise', reason: 'after_the_noise is no longer defined in this workspace.' });
    await panel.page.waitForFunction(() => document.querySelector('.partitions-message')?.textContent === 'after_the_noise is no longer defined in this workspace.');
  }, partitions],
  ['partitions: a dynamic asset with no keys says how to add the first ones, and Add partitions… asks the host', async (panel) => {
    await sendPartitions(panel, partitionsFixture('dynamicEmpty'));
    assert.equal(await panel.text('.partitions-summary'), '0 partitions: no partitions');
    assert.equal(await panel.text('.partitions-empty'), '"customers" has no partitions yet. Add partitions… adds keys to it on the Dagster instance; then select them here and launch.');
    assert.equal(await panel.text('.partitions-source'), "Statuses: Dagster instance /home/analyst/dagster_home and this project's runs.");
    await panel.page.locator('#add-dynamic-partitions').click();
    // The keys are typed into the host's input box, never taken from the page.
    assert.deepEqual(await panel.posted(), [{ type: 'ready' }, { type: 'addDynamicPartitions', target: 'per_customer' }]);
    await panel.page.screenshot({ path: path.join(resultsDir, 'partitions-dynamic-empty.png') });
    // Not dynamic: no button, no hint.
    await sendPartitions(panel, partitionsFixture('daily'));
    assert.equal(await panel.page.locator('#add-dynamic-partitions').isVisible(), false);
    assert.equal(await panel.page.locator('.partitions-empty').isVisible(), false);
  }, partitions],
];
