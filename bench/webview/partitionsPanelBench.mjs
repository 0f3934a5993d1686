// Benchmark of the Partitions panel in Chromium: rendering 100,000 hourly partitions in 5,000 status runs, and one
// live status update, each beside rendering an empty panel in the same run; and what delivering the keys costs:
// the message with its keys as a PartitionKeyList beside the same message with them as a string[] (as before).
//   node bench/webview/partitionsPanelBench.mjs      (targets: full render < 100 ms, update < 5 ms)
import * as esbuild from 'esbuild';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startFakeWebviewHost } from '../../test/webview/fakeWebviewHost.mjs';
import { partitionKeyListCodecScript } from '../../test/webview/partitionKeyListCodec.mjs';

const root = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const KEYS = 100_000;
const RUNS = 5_000;
const REPEATS = 21;

await esbuild.build({ absWorkingDir: root, entryPoints: ['src/webview/webviewMain.ts'], outfile: 'dist/webview.js', bundle: true,
  sourcemap: true, platform: 'browser', format: 'iife', target: 'es2022', logLevel: 'warning' });
const host = await startFakeWebviewHost();
const codecScript = await partitionKeyListCodecScript();
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
  // The real encoder, for building the host's messages inside the page.
  await page.evaluate(`window.partitionKeyListCodec = (() => { ${codecScript}; return partitionKeyListCodec; })()`);
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
      let encoded;
      for (let r = 0; r < 5; r++) {
        const t0 = performance.now();
        encoded = partitionKeyListCodec.encodePartitionKeyList(keys);
        encodeMs.push(performance.now() - t0);
      }
      return { target: 'hourly_events', targetKind: 'asset', description: 'hourly from 2014-01-01-00:00 (UTC)', keys: encoded, arrayKeys: keys,
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
    const encodeMs = [];
    const empty = { target: 'empty', targetKind: 'asset', description: 'static: (0 keys)', keys: partitionKeyListCodec.encodePartitionKeyList([]), statusRuns: [],
      layout: { kind: 'sequence', columns: 24, columnLabels: [], rowStarts: [], rowOffsets: [], rowLabels: [] },
      lastRuns: [], stepMatrix: null, backfills: [], backfillFilter: null, canLaunch: true };
    const send = (data) => window.dispatchEvent(new MessageEvent('message', { data }));
    const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const sync = [];
    const framed = [];
    const clone = [];
    const cloneArray = [];
    const cloneRest = [];
    const json = [];
    const jsonArray = [];
    const { arrayKeys, ...big } = hourlyModel(KEYS, RUNS, 0);
    /** VS Code sends host messages as JSON before the webview's postMessage clones them. */
    const jsonTrip = (m) => {
      const t = performance.now();
      JSON.parse(JSON.stringify(m));
      return performance.now() - t;
    };
    if (scenario === 'update') send({ type: 'partitionsLoaded', model: big });
    await nextFrame();
    for (let i = 0; i < REPEATS + 2; i++) {
      let message;
      if (scenario === 'empty') message = { type: 'partitionsLoaded', model: { ...empty, target: `empty${i}` } };
      else if (scenario === 'render') message = { type: 'partitionsLoaded', model: { ...big, target: `hourly_events${i}` } };
      else message = { type: 'partitionStatusesChanged', update: { target: 'hourly_events', statusRuns: statusRuns(KEYS, RUNS, i + 1), lastRuns: [], stepMatrix: null } };
      if (scenario === 'render') {
        // The same message with the keys as an array, as the panel received them before PartitionKeyList.
        const old = { ...message, model: { ...message.model, keys: arrayKeys } };
        const a0 = performance.now();
        structuredClone(old);
        if (i >= 2) cloneArray.push(performance.now() - a0);
        const r0 = performance.now();
        structuredClone({ ...message, model: { ...message.model, keys: null } });
        if (i >= 2) cloneRest.push(performance.now() - r0);
        if (i >= 2 && i < 7) {
          json.push(jsonTrip(message));
          jsonArray.push(jsonTrip(old));
        }
      }
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
    // The launch form looks keys up as the range fields are typed in: the last key is the farthest.
    const decoded = partitionKeyListCodec.decodePartitionKeyList(big.keys);
    const lookups = [];
    for (let i = 0; i < 11; i++) {
      const t = performance.now();
      if (decoded.indexOf(arrayKeys[KEYS - 1 - i]) !== KEYS - 1 - i) throw new Error('indexOf disagrees with the keys');
      lookups.push(performance.now() - t);
    }
    return { sync: median(sync), framed: median(framed), clone: median(clone), minSync: Math.min(...sync), minFramed: Math.min(...framed), summary,
      cloneArray: cloneArray.length ? median(cloneArray) : 0, cloneRest: cloneRest.length ? median(cloneRest) : 0, json: json.length ? median(json) : 0, jsonArray: jsonArray.length ? median(jsonArray) : 0,
      encode: median(encodeMs), indexOf: median(lookups), runs: big.keys.runs.length, bases: big.keys.text.length, joined: arrayKeys.join('').length };
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
  console.log(`                                   handler      to next frame   structured clone of the message (keys as PartitionKeyList)`);
  console.log(`empty panel render              ${f(empty.sync)}   ${f(empty.framed)}   ${f(empty.clone)}`);
  console.log(`${KEYS.toLocaleString('en-US')} hourly, ${RUNS.toLocaleString('en-US')} runs render  ${f(render.sync)}   ${f(render.framed)}   ${f(render.clone)}`);
  console.log(`one status update (${RUNS.toLocaleString('en-US')} runs)    ${f(update.sync)}   ${f(update.framed)}   ${f(update.clone)}`);
  console.log(`fastest of ${REPEATS} (less disturbed by other load): empty ${empty.minSync.toFixed(2)} / ${empty.minFramed.toFixed(2)} ms, render ${render.minSync.toFixed(2)} / ${render.minFramed.toFixed(2)} ms, update ${update.minSync.toFixed(2)} / ${update.minFramed.toFixed(2)} ms (handler / to frame)`);
  console.log(`ratio render / empty: ${(render.sync / empty.sync).toFixed(1)}x handler, ${(render.framed / empty.framed).toFixed(1)}x to frame`);
  console.log(`ratio update / empty: ${(update.sync / empty.sync).toFixed(1)}x handler, ${(update.framed / empty.framed).toFixed(1)}x to frame`);
  console.log(`targets: render < 100 ms: ${render.framed < 100 ? 'met' : 'MISSED'} (${render.framed.toFixed(1)} ms to frame); update < 5 ms: ${update.sync < 5 ? 'met' : 'MISSED'} (${update.sync.toFixed(2)} ms handler)`);
  console.log(`last summary shown: ${update.summary}`);
  console.log(`keys of ${KEYS.toLocaleString('en-US')} hourly partitions: PartitionKeyList ${render.bases.toLocaleString('en-US')} characters of bases + ${render.runs} of runs (joined keys: ${render.joined.toLocaleString('en-US')})`);
  console.log(`  structured clone of the render message: ${f(render.clone)} with PartitionKeyList, ${f(render.cloneArray)} with a string[] (${(render.cloneArray / render.clone).toFixed(0)}x); without any keys ${f(render.cloneRest)}`);
  console.log(`  JSON round trip (VS Code's host -> webview hop): ${f(render.json)} with PartitionKeyList, ${f(render.jsonArray)} with a string[] (${(render.jsonArray / render.json).toFixed(0)}x)`);
  console.log(`  encode on the host (median of 5) ${f(render.encode)}; indexOf of a key near the end (launch range fields) ${f(render.indexOf)}`);
} finally {
  await browser.close();
  await host.close();
}
