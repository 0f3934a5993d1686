// Runs end-to-end test files against a running workbench, counting passes and failures and keeping evidence of each failure.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchBrowser, saveScreenshot } from './browser.mjs';

const slug = (s) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

/**
 * Each file exports `tests`: an array of { name, run(page, { baseUrl, workspace, resultsDir }) }, run in order
 * on one fresh page per file (later tests may build on the state earlier ones left). A failure saves
 * <resultsDir>/<file>--<test>.failure.png and the page console. E2E_GREP keeps only tests whose
 * "<file> > <test name>" contains it (so a file's base name selects the whole file).
 */
export async function runE2eFiles(files, ctx, { summary = true } = {}) {
  const t0 = Date.now();
  const log = (msg) => console.log(`[e2e +${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}`);
  fs.mkdirSync(ctx.resultsDir, { recursive: true });
  let passed = 0;
  let failed = 0;
  const browser = await launchBrowser();
  try {
    for (const file of files) {
      const base = path.basename(file, '.e2e.mjs');
      let tests;
      try {
        ({ tests } = await import(pathToFileURL(file).href));
        if (!Array.isArray(tests) || tests.some((t) => typeof t?.name !== 'string' || typeof t?.run !== 'function')) {
          throw new Error('must export `tests`: an array of { name: string, run(page, ctx) }');
        }
      } catch (e) {
        failed++;
        console.error(`FAIL ${base}: cannot load ${file}: ${e.message}`);
        console.log(`FAILED e2e: ${base}: cannot load ${file}: ${String(e.message).split('\n')[0]}`);
        continue;
      }
      const selected = tests.filter((t) => !process.env.E2E_GREP || `${base} > ${t.name}`.includes(process.env.E2E_GREP));
      if (selected.length === 0) continue;
      const page = await browser.context.newPage();
      const consoleLines = [];
      page.on('console', (m) => consoleLines.push(`[${m.type()}] ${m.text()}`));
      for (const t of selected) {
        try {
          await t.run(page, ctx);
          passed++;
          log(`PASS ${base} > ${t.name}`);
        } catch (e) {
          failed++;
          console.error(`FAIL ${base} > ${t.name}\n${e?.stack ?? e}`);
          console.log(`FAILED e2e: ${base} > ${t.name}: ${String(e?.message ?? e).split('\n')[0].slice(0, 300)}`);
          const name = `${base}--${slug(t.name)}.failure`;
          const shot = await saveScreenshot(page, ctx.resultsDir, name).catch((err) => `(no screenshot: ${err.message})`);
          fs.writeFileSync(path.join(ctx.resultsDir, `${name}.console.log`), consoleLines.join('\n') + '\n');
          console.error(`  evidence: ${shot}`);
        }
      }
      await page.close().catch(() => {});
    }
  } finally {
    await browser.close();
  }
  if (summary) console.log(`e2e: ${passed} passed, ${failed} failed`);
  return { passed, failed };
}
