// Browser tests of how the partitions grid fits the editor: size, opening at the newest keys, day numbers and
// month boundaries, a visible selection, the failure in the hover card, and scroll and selection kept across reloads.
import * as assert from 'node:assert/strict';
import { cellCentre, hoverText, partitionsFixture, pixelAt, sendPartitions, statusColours } from './partitionsPage.mjs';

const partitions = { view: 'partitions' };

const grid = (panel) => panel.page.$eval('.partition-grid-scroller', (e) => ({
  ...Object.fromEntries(Object.entries(e.dataset).map(([k, v]) => [k, Number(v)])),
  scrollTop: e.scrollTop, scrollLeft: e.scrollLeft, clientWidth: e.clientWidth, clientHeight: e.clientHeight, scrollHeight: e.scrollHeight,
}));

function distance(a, b) {
  const x = a.match(/\d+/g).map(Number);
  const y = b.match(/\d+/g).map(Number);
  return Math.max(...x.map((v, i) => Math.abs(v - y[i])));
}

/** Viewport point of the gap just above cell (row, column): where a boundary between it and the cell above is drawn. */
async function gapAbove(panel, row, column) {
  const centre = await cellCentre(panel, row, column);
  const { pitchY } = await grid(panel);
  return { x: centre.x, y: Math.round(centre.y - (pitchY - 2) / 2 - 1) };
}

export const partitionsGridTests = [
  ['partitions grid: six years of hours open at the newest day, and hovering its failed hour shows the error', async (panel) => {
    await sendPartitions(panel, partitionsFixture('hourlyYears'));
    const g = await grid(panel);
    assert.ok(g.scrollTop > 0 && g.scrollTop + g.clientHeight >= g.scrollHeight - 1, `scrolled to the end: ${g.scrollTop} + ${g.clientHeight} of ${g.scrollHeight}`);
    // 2025-01-10 has one hour so far; the last row is that day, the failed 23:00 of the 9th is the row above.
    const failed = await cellCentre(panel, g.rows - 2, 23);
    assert.equal(await hoverText(panel, failed), '2025-01-09-23:00: failed · last run clicksaa_run001, Apr 1, 2024, 9:00:01 AM, 1.2s\n' +
      'dagster._core.errors.DagsterExecutionStepExecutionError: Error occurred while executing op "hourly_clicks":\nValueError: source file s3://raw/hourly_clicks/2025-01-09-23:00.csv is empty');
  }, partitions],

  ['partitions grid: a day of hours spans a wide editor and the grid takes the window height', async (panel) => {
    await panel.page.setViewportSize({ width: 1400, height: 900 });
    await sendPartitions(panel, partitionsFixture('hourlyYears'));
    const g = await grid(panel);
    const used = (g.gutter + 24 * g.pitchX) / g.clientWidth;
    assert.ok(used > 0.75, `24 hours use ${Math.round(used * 100)}% of ${g.clientWidth} px (cells ${g.pitchX} px)`);
    const bottom = await panel.page.$eval('.partition-grid-scroller', (e) => e.getBoundingClientRect().bottom);
    assert.ok(bottom > 900 - 40 && bottom <= 900, `the grid reaches the bottom of the window (${bottom} of 900)`);
  }, partitions],

  ['partitions grid: a calendar numbers its days and draws a line where a month begins', async (panel) => {
    await panel.page.setViewportSize({ width: 1000, height: 900 });
    const model = partitionsFixture('daily');
    await sendPartitions(panel, model);
    assert.deepEqual(model.layout.monthStarts, [31, 60]);
    const colours = await statusColours(panel);
    // Day numbers: the top-left corner of 2024-01-01 (row 0, Monday) has text pixels of neither the status nor the page.
    const corner = await panel.page.evaluate(() => {
      const scroller = document.querySelector('.partition-grid-scroller');
      const canvas = scroller.querySelector('canvas');
      const scale = canvas.width / canvas.getBoundingClientRect().width;
      const x = Number(scroller.dataset.gutter) + 2;
      const y = Number(scroller.dataset.header) + 1;
      const data = canvas.getContext('2d').getImageData(Math.round(x * scale), Math.round(y * scale), Math.round(12 * scale), Math.round(12 * scale)).data;
      const out = [];
      for (let k = 0; k < data.length; k += 4) out.push(`rgb(${data[k]}, ${data[k + 1]}, ${data[k + 2]})`);
      return out;
    });
    assert.ok(corner.some((p) => distance(p, colours.MATERIALIZED) > 60), 'a day number is drawn in the cell');
    // Feb 1 is a Thursday in row 4; the cell above it (Jan 25) is another month: a line in the gap. Within January, none.
    const boundary = await pixelAt(panel, await gapAbove(panel, 4, 3));
    const within = await pixelAt(panel, await gapAbove(panel, 2, 3));
    assert.notEqual(boundary, 'transparent', 'a month boundary is drawn above Feb 1');
    assert.equal(within, 'transparent', 'no line between two weeks of January');
  }, partitions],

  ['partitions grid: a drag selection outlines the cells it selects, and their status colour still shows', async (panel) => {
    await sendPartitions(panel, partitionsFixture('daily'));
    const colours = await statusColours(panel);
    const from = await cellCentre(panel, 0, 2);
    const to = await cellCentre(panel, 1, 1);
    const { pitchX, pitchY } = await grid(panel);
    // Just inside the cell's left edge (cellCentre is that far from it): where the selection's outline is drawn.
    const edge = (p) => ({ x: Math.round(p.x - Math.min(pitchX - 2, pitchY - 2) / 2 + 1), y: p.y });
    const before = await pixelAt(panel, edge(from));
    await panel.page.mouse.move(from.x, from.y);
    await panel.page.mouse.down();
    await panel.page.mouse.move(to.x, to.y, { steps: 5 });
    await panel.page.mouse.up();
    assert.equal(await panel.text('#partition-selection-text'), 'Selected 2024-01-03…2024-01-09 (7 partitions)');
    await panel.page.waitForFunction(() => new Promise((resolve) => requestAnimationFrame(() => resolve(true))));
    const after = await pixelAt(panel, edge(from));
    assert.ok(distance(before, colours.MATERIALIZED) <= 3, `unselected cell in its status colour (${before})`);
    assert.ok(distance(after, before) > 60, `a selected cell is outlined: ${before} -> ${after}`);
    assert.ok(distance(await pixelAt(panel, from), colours.MATERIALIZED) <= 3, 'the middle of a selected cell keeps its status colour');
    const outside = await pixelAt(panel, edge(await cellCentre(panel, 2, 2)));
    assert.ok(distance(outside, colours.MATERIALIZED) <= 3, `cells outside the selection are unchanged (${outside})`);
  }, partitions],

  ['partitions grid: scroll position and selection come back after the page reloads (a hidden tab shown again)', async (panel) => {
    await sendPartitions(panel, partitionsFixture('hourlyYears'));
    await panel.page.$eval('.partition-grid-scroller', (e) => { e.scrollTop = 12_000; });
    const row = Math.ceil(12_000 / (await grid(panel)).pitchY) + 3;
    const start = await cellCentre(panel, row, 3);
    const end = await cellCentre(panel, row, 6);
    await panel.page.mouse.move(start.x, start.y);
    await panel.page.mouse.down();
    await panel.page.mouse.move(end.x, end.y, { steps: 3 });
    await panel.page.mouse.up();
    const selected = await panel.text('#partition-selection-text');
    assert.match(selected, /^Selected .+ \(4 partitions\)$/);
    const { scrollTop, pitchY } = await grid(panel);
    const topRow = scrollTop / pitchY;
    await panel.page.waitForFunction((row) => JSON.parse(sessionStorage.getItem('fakeWebviewHost.state') ?? 'null')?.grid?.grid?.topRow === row, topRow);
    await panel.page.reload();
    await panel.page.waitForFunction(() => document.querySelector('.partitions-title')?.textContent === 'hourly_clicks');
    assert.equal((await grid(panel)).scrollTop, scrollTop);
    assert.equal(await panel.text('#partition-selection-text'), selected);
    // The host's snapshot after ready is the same grid: it keeps the place too.
    await sendPartitions(panel, partitionsFixture('hourlyYears'));
    assert.equal((await grid(panel)).scrollTop, scrollTop);
    assert.equal(await panel.text('#partition-selection-text'), selected);
    // Shown again in a narrower editor: smaller cells, the same rows in view.
    await panel.page.setViewportSize({ width: 600, height: 900 });
    await panel.page.reload();
    await panel.page.waitForFunction(() => document.querySelector('.partitions-title')?.textContent === 'hourly_clicks');
    const narrow = await grid(panel);
    assert.ok(narrow.pitchY < pitchY, `smaller cells at 600 px (${narrow.pitchY} < ${pitchY})`);
    assert.equal(Math.round(narrow.scrollTop / narrow.pitchY), Math.round(topRow));
  }, partitions],

  ['partitions grid: opened at the newest, the grid stays at the newest when the editor is resized or the page reloads', async (panel) => {
    const atEnd = (g) => g.scrollTop > 0 && g.scrollTop + g.clientHeight >= g.scrollHeight - 2;
    await sendPartitions(panel, partitionsFixture('hourlyYears'));
    assert.ok(atEnd(await grid(panel)));
    const wide = (await grid(panel)).pitchY;
    await panel.page.setViewportSize({ width: 560, height: 700 });
    await panel.page.waitForFunction((p) => Number(document.querySelector('.partition-grid-scroller').dataset.pitchY) < p, wide);
    await panel.page.waitForFunction(() => {
      const e = document.querySelector('.partition-grid-scroller');
      return e.scrollTop > 0 && e.scrollTop + e.clientHeight >= e.scrollHeight - 2;
    });
    await panel.page.waitForFunction(() => JSON.parse(sessionStorage.getItem('fakeWebviewHost.state') ?? 'null')?.grid?.grid?.atEnd === true, null, { timeout: 5000 }).catch(async (e) => {
      throw new Error(`${e.message}: ${JSON.stringify((await panel.savedState())?.grid)} ${JSON.stringify(await grid(panel))}`);
    });
    await panel.page.setViewportSize({ width: 1200, height: 800 });
    await panel.page.reload();
    await panel.page.waitForFunction(() => document.querySelector('.partitions-title')?.textContent === 'hourly_clicks');
    assert.ok(atEnd(await grid(panel)), `still at the newest after a reload at another width: ${JSON.stringify(await grid(panel))}`);
  }, partitions],
];
