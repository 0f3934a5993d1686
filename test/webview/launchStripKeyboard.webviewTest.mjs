// Browser tests of the launch panel's status strip from the keyboard alone: tabbing into it, moving its cursor,
// extending a range with Shift, applying it with Enter or Space, Escape, and tabbing on to Launch.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { launchTargetModel, planPreview } from './launchFixture.mjs';
import { loaded, nextPreviewRequest } from './launchPage.mjs';
import { encodePartitionKeyList } from './partitionKeyListCodec.mjs';
import { encodeStatusRunsForTest } from './statusRuns.mjs';

const resultsDir = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../test-results/webview');
const launchView = { view: 'launch' };

const focusedId = (panel) => panel.page.evaluate(() => document.activeElement?.id ?? '');
const strip = (panel) => panel.page.$eval('#status-strip', (c) => ({
  label: c.getAttribute('aria-label'), role: c.getAttribute('role'), now: c.getAttribute('aria-valuenow'), text: c.getAttribute('aria-valuetext'),
  readout: document.getElementById('status-strip-readout').textContent,
}));

async function press(panel, ...keys) {
  for (const k of keys) await panel.page.keyboard.press(k);
}

/** Screenshots the strip with a margin, so the focus ring outside the canvas is in the picture. */
async function stripShot(panel, file) {
  const box = await panel.page.locator('.status-strip').boundingBox();
  await panel.page.screenshot({ path: path.join(resultsDir, file), clip: { x: box.x - 8, y: box.y - 8, width: box.width + 16, height: box.height + 16 } });
}

/** The strip's pixel at (x, y) as "r,g,b"; a negative x counts from the right edge. */
const pixel = (panel, x, y) => panel.page.$eval('#status-strip', (c, [x, y]) => c.getContext('2d').getImageData(x < 0 ? c.width + x : x, y, 1, 1).data.slice(0, 3).join(','), [x, y]);

export const launchStripKeyboardTests = [
  ['launch strip: Tab reaches the strip, arrows move its cursor, Shift extends, Escape clears, Enter applies, Tab goes on to Launch', async (panel) => {
    await loaded(panel);
    assert.equal(await focusedId(panel), 'partition-mode-all');
    await press(panel, 'Tab');
    assert.equal(await focusedId(panel), 'status-strip', 'with "All" chosen, the strip follows the partition modes');
    // Focus is visible: the theme's focus border around the strip, and the cursor drawn in the same colour.
    const ring = await panel.page.$eval('#status-strip', (c) => [getComputedStyle(c).outlineStyle, getComputedStyle(c).outlineColor]);
    assert.deepEqual(ring, ['solid', 'rgb(0, 120, 212)']);
    let s = await strip(panel);
    assert.equal(s.role, 'slider');
    assert.equal(s.label, 'Partition strip, 60 partitions: 20 materialized, 1 failed, 39 missing. Selected 2024-01-01...2024-02-29 (60 partitions). ' +
      'Left and Right move, Shift extends a range, Page Up and Page Down jump a tenth, Enter applies, Escape clears.');
    assert.deepEqual([s.now, s.text], ['0', '2024-01-01: materialized']);
    assert.equal(await pixel(panel, 8, 1), '0,120,212', 'the cursor notch above the first partition');

    await press(panel, 'End');
    assert.deepEqual([(await strip(panel)).now, (await strip(panel)).readout], ['59', '2024-02-29: missing']);
    await press(panel, 'Home', 'PageDown', 'ArrowRight', 'ArrowRight', 'ArrowRight', 'ArrowRight', 'ArrowLeft', 'ArrowRight');
    assert.equal((await strip(panel)).text, '2024-01-11: materialized', 'Page Down jumps six of 60, then four steps right');
    const before = (await panel.posted()).length;
    for (let i = 0; i < 10; i++) await press(panel, 'Shift+ArrowRight');
    s = await strip(panel);
    assert.equal(s.readout, '2024-01-11...2024-01-21 (11 partitions) · Enter applies, Escape clears');
    assert.match(s.label, /\. Extending 2024-01-11\.\.\.2024-01-21 \(11 partitions\)\. /);
    assert.equal(await panel.page.isChecked('#partition-mode-all'), true, 'a range is not applied before Enter');
    await press(panel, 'Escape');
    s = await strip(panel);
    assert.equal(s.readout, '2024-01-21: failed');
    assert.match(s.label, /\. Selected 2024-01-01\.\.\.2024-02-29 \(60 partitions\)\. /);

    await press(panel, 'Shift+PageDown', 'Shift+ArrowLeft', 'Shift+ArrowLeft');
    assert.equal((await strip(panel)).readout, '2024-01-21...2024-01-25 (5 partitions) · Enter applies, Escape clears');
    await press(panel, 'Enter');
    // Exactly what a drag does: Range is chosen, its fields filled, and the preview asked for again.
    assert.equal(await panel.page.isChecked('#partition-mode-range'), true);
    assert.deepEqual([await panel.page.inputValue('#range-from'), await panel.page.inputValue('#range-to')], ['2024-01-21', '2024-01-25']);
    const request = await nextPreviewRequest(panel, before, { rangeTo: '2024-01-25' });
    assert.deepEqual([request.form.partitionMode, request.form.rangeFrom], ['range', '2024-01-21']);
    assert.equal(await focusedId(panel), 'status-strip', 'the strip keeps the focus');
    s = await strip(panel);
    assert.equal(s.readout, '2024-01-21...2024-01-25 (5 partitions)');
    assert.match(s.label, /\. Selected 2024-01-21\.\.\.2024-01-25 \(5 partitions\)\. /);
    await panel.send({ type: 'planPreviewed', preview: planPreview(request.requestId, { runCount: 5 }) });
    await panel.page.waitForFunction(() => document.getElementById('launch-button')?.textContent === 'Launch 5 runs');

    // Shift+Tab goes back to the range just filled; Tab comes back and goes on through the options to Launch.
    await press(panel, 'Shift+Tab');
    assert.equal(await focusedId(panel), 'range-to');
    await press(panel, 'Tab');
    assert.equal(await focusedId(panel), 'status-strip');
    const order = [];
    for (let i = 0; i < 10 && (await focusedId(panel)) !== 'launch-button'; i++) {
      await press(panel, 'Tab');
      order.push(await focusedId(panel));
    }
    assert.deepEqual(order, ['reprocess-failed-and-missing', 'concurrency', 'run-order', 'retries', 'tags', 'launch-button']);
    await press(panel, 'Enter');
    await panel.page.waitForFunction(() => window.__fakeWebviewHost.posted.some((m) => m.type === 'launchPlan'));
    const launched = (await panel.posted()).find((m) => m.type === 'launchPlan');
    assert.deepEqual([launched.requestId, launched.form.rangeFrom, launched.form.rangeTo], [request.requestId, '2024-01-21', '2024-01-25']);
  }, launchView],

  ['launch strip: Space applies the one key under the cursor; keys with quotes, commas and newlines arrive exactly', async (panel) => {
    const keys = ['plain', 'with space', '"quoted", with comma', 'line\nbreak', 'ünïcödé 🦆', '<b>bold</b>', 'shard-009', 'shard-010', 'shard-011'];
    const model = { ...launchTargetModel(), partitionsDescription: 'static', keys: encodePartitionKeyList(keys),
      statusRuns: encodeStatusRunsForTest(keys.map((_, i) => (i % 3 === 0 ? 'MATERIALIZED' : 'MISSING'))) };
    await loaded(panel, model);
    assert.equal(await panel.text('.launch-facts'), 'Command target · 9 partitions · static');
    await panel.page.focus('#partition-mode-all');
    await press(panel, 'Tab', 'ArrowRight', 'ArrowRight');
    assert.equal((await strip(panel)).text, '"quoted", with comma: missing');
    const before = (await panel.posted()).length;
    await press(panel, ' ');
    assert.deepEqual([await panel.page.inputValue('#range-from'), await panel.page.inputValue('#range-to')], ['"quoted", with comma', '"quoted", with comma']);
    await nextPreviewRequest(panel, before, { rangeTo: '"quoted", with comma' });
    assert.equal(await panel.page.evaluate(() => window.scrollY), 0, 'Space did not scroll the page');
    await press(panel, 'ArrowRight', 'Shift+ArrowRight', 'Shift+ArrowRight', 'Shift+End');
    assert.equal((await strip(panel)).readout, 'line\nbreak...shard-011 (6 partitions) · Enter applies, Escape clears');
    await press(panel, 'Enter');
    // An input element drops newlines from its value, so the range field shows the key without one: the host then
    // says the key is unknown. The selection-text mode quotes such keys; the strip hands over what the field can hold.
    assert.deepEqual([await panel.page.inputValue('#range-from'), await panel.page.inputValue('#range-to')], ['linebreak', 'shard-011']);
    // Keys the page does not handle reach the page: Ctrl+Home is not the strip's.
    await press(panel, 'Control+Home');
    assert.equal((await strip(panel)).now, '8');
    assert.deepEqual(await panel.cspViolations(), []);
  }, launchView],

  ['launch strip: screenshots of the focused strip with its cursor and a pending range (test-results/webview/launch-strip-*.png)', async (panel) => {
    await loaded(panel);
    await panel.page.focus('#partition-mode-all');
    await press(panel, 'Tab', 'PageDown', 'PageDown', 'PageDown');
    for (let i = 0; i < 8; i++) await press(panel, 'Shift+ArrowRight');
    await stripShot(panel, 'launch-strip-focus-dark.png');
    await panel.page.screenshot({ path: path.join(resultsDir, 'launch-strip-focus-page.png'), fullPage: true });
  }, launchView],

  ['launch strip: the focused strip in a high-contrast theme', async (panel) => {
    await loaded(panel);
    await panel.page.focus('#partition-mode-all');
    await press(panel, 'Tab', 'End');
    assert.equal(await panel.page.$eval('#status-strip', (c) => getComputedStyle(c).outlineColor), 'rgb(243, 133, 24)');
    assert.equal(await pixel(panel, -8, 1), '243,133,24', 'the cursor notch above the last partition, in the theme focus colour');
    await press(panel, 'Shift+PageUp');
    assert.notEqual(await pixel(panel, -8, 1), '243,133,24', 'the notch moved with the cursor');
    await stripShot(panel, 'launch-strip-focus-high-contrast.png');
  }, { view: 'launch', theme: 'high-contrast' }],
];
