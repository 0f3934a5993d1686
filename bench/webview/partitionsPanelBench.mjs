// Benchmark of the Partitions panel in Chromium: rendering 100,000 hourly partitions in 5,000 status runs, and one
// live status update, each beside rendering an empty panel in the same run.
//   node bench/webview/partitionsPanelBench.mjs      (targets: full render < 100 ms, update < 5 ms)
import * as esbuild from 'esbuild';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startFakeWebviewHost } from '../../test/webview/fakeWebviewHost.mjs';

const root = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const KEYS = 100_000;
const RUNS = 5_000;
const REPEATS = 21;

await esbuild.build({ absWorkingDir: root, entryPoints: ['src/webview/main.ts'], outfile: 'dist/webview.js', bundle: true,
  sourcemap: true, platform: 'browser', format: 'iife', target: 'es2022', logLevel: 'warning' });
const host = await startFakeWebviewHost();
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });

/**
 * Builds the models inside the page (what VS Code's postMessage would have delivered) and times the panel's own
 * message handler, synchronously (validation, status bytes, strip and visible cells drawn), and until the next
 * frame has been produced.
 */
async function measure(scenario) {
  const page = await (await browser.newContext({ viewport: { width: 1200, height: 900 } })).newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(host.panelUrl('partitions', 'dark'));
  await page.waitForFunction(() => window.__fakeWebviewHost?.posted.length > 0);
  const result = await page.evaluate(async ({ scenario, KEYS, RUNS, REPEATS }) => {
    const statuses = ['MATERIALIZED', 'FAILED', 'IN_PROGRESS', 'MISSING'];
    const pad = (n) => String(n).padStart(2, '0');
    function hourlyModel(n, runs, seed) {
      const keys = new Array(n);
      const rowStarts = [];
      const rowLabels = [];
      const start = Date.UTC(2014, 0, 1);
      for (let i = 0; i < n; i++) {
        const d = new Date(start + i * 3_600_000);
        const day = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
        keys[i] = `${day}-${pad(d.getUTCHours())}:00`;
        if (i % 24 === 0) {
          rowStarts.push(i);
          rowLabels.push([rowStarts.length - 1, day]);
        }
      }
      return { target: 'hourly_events', targetKind: 'asset', description: 'hourly from 2014-01-01-00:00 (UTC)', keys,
        statusRuns: statusRuns(n, runs, seed), layout: { kind: 'dayHour', columns: 24, columnLabels: Array.from({ length: 24 }, (_, h) => pad(h)),
          rowStarts, rowOffsets: rowStarts.map(() => 0), rowLabels }, lastRuns: [], stepMatrix: null, backfills: [], backfillFilter: null, canLaunch: true };
    }
    function statusRuns(n, runs, seed) {
      const out = [];
      let left = n;
      for (let r = 0; r < runs; r++) {
        const length = r === runs - 1 ? left : Math.max(1, Math.round(((n / runs) * (1 + Math.sin(r * 7.3 + seed))) / 1.0001));
        const l = Math.min(length, left - (runs - 1 - r));
        out.push([statuses[(r + seed) % 4], l]);
        left -= l;
      }
      return out;
    }
    const empty = { target: 'empty', targetKind: 'asset', description: 'static: (0 keys)', keys: [], statusRuns: [],
      layout: { kind: 'sequence', columns: 24, columnLabels: [], rowStarts: [], rowOffsets: [], rowLabels: [] },
      lastRuns: [], stepMatrix: null, backfills: [], backfillFilter: null, canLaunch: true };
    const send = (data) => window.dispatchEvent(new MessageEvent('message', { data }));
    const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const sync = [];
    const framed = [];
    const clone = [];
    const big = hourlyModel(KEYS, RUNS, 0);
    if (scenario === 'update') send({ type: 'partitionsLoaded', model: big });
    await nextFrame();
    for (let i = 0; i < REPEATS + 2; i++) {
      let message;
      if (scenario === 'empty') message = { type: 'partitionsLoaded', model: { ...empty, target: `empty${i}` } };
      else if (scenario === 'render') message = { type: 'partitionsLoaded', model: { ...big, target: `hourly_events${i}` } };
      else message = { type: 'partitionStatusesChanged', update: { target: 'hourly_events', statusRuns: statusRuns(KEYS, RUNS, i + 1), lastRuns: [], stepMatrix: null } };
      const c0 = performance.now();
      const delivered = structuredClone(message);
      const c1 = performance.now();
      send(delivered);
      const t1 = performance.now();
      await nextFrame();
      const t2 = performance.now();
      if (i >= 2) {
        clone.push(c1 - c0);
        sync.push(t1 - c1);
        framed.push(t2 - c1);
      }
    }
    const summary = document.querySelector('.partitions-summary')?.textContent ?? '';
    return { sync: median(sync), framed: median(framed), clone: median(clone), minSync: Math.min(...sync), minFramed: Math.min(...framed), summary };
  }, { scenario, KEYS, RUNS, REPEATS });
  await page.context().close();
  if (errors.length) throw new Error(`${scenario}: page errors ${errors.join('; ')}`);
  return result;
}

try {
  const empty = await measure('empty');
  const render = await measure('render');
  const update = await measure('update');
  const f = (x) => `${x.toFixed(2).padStart(8)} ms`;
  console.log(`Partitions panel, Chromium headless, median of ${REPEATS}`);
  console.log(`                                   handler      to next frame   structured clone of the message`);
  console.log(`empty panel render              ${f(empty.sync)}   ${f(empty.framed)}   ${f(empty.clone)}`);
  console.log(`${KEYS.toLocaleString('en-US')} hourly, ${RUNS.toLocaleString('en-US')} runs render  ${f(render.sync)}   ${f(render.framed)}   ${f(render.clone)}`);
  console.log(`one status update (${RUNS.toLocaleString('en-US')} runs)    ${f(update.sync)}   ${f(update.framed)}   ${f(update.clone)}`);
  console.log(`fastest of ${REPEATS} (less disturbed by other load): empty ${empty.minSync.toFixed(2)} / ${empty.minFramed.toFixed(2)} ms, render ${render.minSync.toFixed(2)} / ${render.minFramed.toFixed(2)} ms, update ${update.minSync.toFixed(2)} / ${update.minFramed.toFixed(2)} ms (handler / to frame)`);
  console.log(`ratio render / empty: ${(render.sync / empty.sync).toFixed(1)}x handler, ${(render.framed / empty.framed).toFixed(1)}x to frame`);
  console.log(`ratio update / empty: ${(update.sync / empty.sync).toFixed(1)}x handler, ${(update.framed / empty.framed).toFixed(1)}x to frame`);
  console.log(`targets: render < 100 ms: ${render.framed < 100 ? 'met' : 'MISSED'} (${render.framed.toFixed(1)} ms to frame); update < 5 ms: ${update.sync < 5 ? 'met' : 'MISSED'} (${update.sync.toFixed(2)} ms handler)`);
  console.log(`last summary shown: ${update.summary}`);
} finally {
  await browser.close();
  await host.close();
}
