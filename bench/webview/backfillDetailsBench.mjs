// Benchmark of the Backfill Details panel's partition strip in Chromium with 100,000 hourly partitions, before and
// after in the same run: the strip as it was (one span per partition, keys as a string[]: the old view's rebuild,
// reproduced below as the baseline) beside the panel as it is (a canvas drawing status runs, keys as a
// PartitionKeyList); and what cloning the message costs in each shape.
//   node bench/webview/backfillDetailsBench.mjs
import * as esbuild from 'esbuild';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { backfillDetailsModel, hourlyKeys } from '../../test/webview/backfillDetailsFixture.mjs';
import { startFakeWebviewHost } from '../../test/webview/fakeWebviewHost.mjs';
import { encodePartitionKeyList } from '../../test/webview/partitionKeyListCodec.mjs';
import { encodeStatusRunsForTest } from '../../test/webview/statusRuns.mjs';

const root = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const KEYS = 100_000;
const REPEATS = 9;

await esbuild.build({ absWorkingDir: root, entryPoints: ['src/webview/webviewMain.ts'], outfile: 'dist/webview.js', bundle: true,
  sourcemap: true, platform: 'browser', format: 'iife', target: 'es2022', logLevel: 'warning' });
const host = await startFakeWebviewHost();
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });

/** The fixture's backfill with one target of 100,000 hourly partitions in about 600 status runs (the runs table keeps its 31 rows). */
function bigModel() {
  const keys = hourlyKeys(KEYS);
  const statuses = keys.map((_, i) => (i % 997 === 0 ? 'FAILED' : i % 7_919 < 300 ? 'IN_PROGRESS' : i < 70_000 ? 'MATERIALIZED' : 'MISSING'));
  const model = backfillDetailsModel();
  model.partitions = [{ target: 'hourly_events', keys: encodePartitionKeyList(keys), statusRuns: encodeStatusRunsForTest(statuses) }];
  return { model, arrayKeys: keys };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** One page per scenario, so one's 100,000 nodes (and collecting them) do not slow the other's frames. */
async function measure(scenario, model, arrayKeys) {
  const page = await (await browser.newContext({ viewport: { width: 1000, height: 900 } })).newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(host.panelUrl('backfillDetails', 'dark'));
  await page.waitForFunction(() => window.__fakeWebviewHost?.posted.length > 0);
  const result = await page.evaluate(async ({ scenario, model, arrayKeys, REPEATS }) => {
    const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    const old = { ...model, partitions: model.partitions.map((p) => ({ ...p, keys: arrayKeys })) };
    // Baseline: the old PartitionStripView's rebuild, with the old grid's stylesheet rules.
    const sheet = new CSSStyleSheet();
    sheet.replaceSync('.bench-grid { display: flex; flex-wrap: wrap; gap: 1px; } .bench-grid .partition-cell { width: 6px; height: 6px; border-radius: 1px; }');
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    const words = { MATERIALIZED: 'materialized', FAILED: 'failed', IN_PROGRESS: 'in progress', MISSING: 'missing' };
    const baselineHost = document.createElement('div');
    document.body.append(baselineHost);
    function baselineRender(strip) {
      const grid = document.createElement('div');
      grid.className = 'bench-grid';
      const fragment = document.createDocumentFragment();
      let index = 0;
      for (const [status, length] of strip.statusRuns) {
        for (let end = index + length; index < end; index++) {
          const key = strip.keys[index];
          const cell = document.createElement('span');
          cell.className = 'partition-cell';
          cell.dataset.key = key;
          cell.dataset.status = status;
          cell.title = `${key}: ${words[status]}`;
          fragment.appendChild(cell);
        }
      }
      grid.replaceChildren(fragment);
      baselineHost.replaceChildren(grid);
    }
    const times = { cloneNew: [], cloneOld: [], jsonNew: [], jsonOld: [], renderNew: [], renderNewSync: [], renderOld: [], renderOldSync: [], nodesNew: 0, nodesOld: 0 };
    const time = (f) => {
      const t = performance.now();
      f();
      return performance.now() - t;
    };
    for (let i = 0; i < REPEATS + 1; i++) {
      const record = i > 0;
      // A new backfill id and target each time: a first render of the panel and its strip, as when it opens.
      const target = `hourly_events_${i}`;
      const fresh = { ...model, backfillId: `bf_${i}`, partitions: model.partitions.map((p) => ({ ...p, target })) };
      const freshOld = { ...old, backfillId: `bf_${i}`, partitions: old.partitions.map((p) => ({ ...p, target })) };
      const messageNew = { type: 'backfillDetailsLoaded', model: fresh };
      const messageOld = { type: 'backfillDetailsLoaded', model: freshOld };
      if (scenario === 'before') {
        // Before: the same strip as spans, until a frame has been produced (style, layout and paint of 100,000 nodes).
        baselineHost.replaceChildren();
        await nextFrame();
        const deliveredOld = structuredClone(freshOld.partitions[0]);
        const b0 = performance.now();
        baselineRender(deliveredOld);
        const b1 = performance.now();
        await nextFrame();
        if (record) {
          times.renderOld.push(performance.now() - b0);
          times.renderOldSync.push(b1 - b0);
        }
        times.nodesOld = baselineHost.querySelectorAll('*').length;
        continue;
      }
      const cloneOld = time(() => structuredClone(messageOld));
      const jsonOld = time(() => JSON.parse(JSON.stringify(messageOld)));
      const jsonNew = time(() => JSON.parse(JSON.stringify(messageNew)));
      let delivered;
      const cloneNew = time(() => (delivered = structuredClone(messageNew)));
      await nextFrame();
      // After: the panel's own handler (validation; it draws at the next frame), until a frame has been produced.
      const t0 = performance.now();
      window.dispatchEvent(new MessageEvent('message', { data: delivered }));
      const t1 = performance.now();
      await nextFrame();
      const t2 = performance.now();
      if (document.getElementById('backfill-id')?.textContent !== `bf_${i}`) throw new Error('the panel did not draw the model');
      if (record) {
        times.cloneNew.push(cloneNew);
        times.cloneOld.push(cloneOld);
        times.jsonNew.push(jsonNew);
        times.jsonOld.push(jsonOld);
        times.renderNew.push(t2 - t0);
        times.renderNewSync.push(t1 - t0);
      }
      times.nodesNew = document.querySelectorAll('#partitions-section *').length;
    }
    times.partitionsOnlyNew = time(() => structuredClone(model.partitions));
    times.partitionsOnlyOld = time(() => structuredClone(old.partitions));
    return times;
  }, { scenario, model, arrayKeys, REPEATS });
  await page.context().close();
  if (errors.length) throw new Error(`${scenario}: page errors ${errors.join('; ')}`);
  return result;
}

try {
  const { model, arrayKeys } = bigModel();
  const empty = await measure('empty', { ...model, partitions: [] }, []);
  const after = await measure('after', model, arrayKeys);
  const before = await measure('before', model, arrayKeys);
  const result = { ...after, renderOld: before.renderOld, renderOldSync: before.renderOldSync, nodesOld: before.nodesOld };
  const f = (x) => `${x.toFixed(2).padStart(8)} ms`;
  const row = (name, before, after) => console.log(`${name.padEnd(44)} ${f(median(before))}   ${f(median(after))}   ${(median(before) / median(after)).toFixed(1).padStart(6)}x`);
  console.log(`Backfill details strip, ${KEYS.toLocaleString('en-US')} hourly partitions, ${model.partitions[0].statusRuns.length} status runs; Chromium headless, median of ${REPEATS}`);
  console.log(`${''.padEnd(44)} before (spans,  after (canvas,   ratio`);
  console.log(`${''.padEnd(44)}  string[] keys)  PartitionKeyList)`);
  row('render, to the next frame', result.renderOld, result.renderNew);
  row('  synchronous part (spans built | validation)', result.renderOldSync, result.renderNewSync);
  row('structured clone of the details message', result.cloneOld, result.cloneNew);
  row('JSON round trip (the host -> webview hop)', result.jsonOld, result.jsonNew);
  console.log(`reference in the same run: the panel with no partitions renders in ${f(median(empty.renderNew))} to the next frame; ` +
    `100,000 partitions cost ${(median(result.renderNew) / median(empty.renderNew)).toFixed(1)}x that (before: ${(median(result.renderOld) / median(empty.renderNew)).toFixed(1)}x)`);
  console.log(`DOM nodes: before ${result.nodesOld.toLocaleString('en-US')} for the strip, after ${result.nodesNew} in the whole partitions section`);
  console.log(`one clone of the partitions alone: before ${result.partitionsOnlyOld.toFixed(2)} ms, after ${result.partitionsOnlyNew.toFixed(2)} ms`);
} finally {
  await browser.close();
  await host.close();
}
