// Runs the bundled node:test unit tests (out/test/unit/**/*.test.js) and ends with "N passed, N failed".
import { run } from 'node:test';
import { spec } from 'node:test/reporters';
import * as fs from 'node:fs';
import * as path from 'node:path';

const dir = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'out', 'test', 'unit');
const only = process.argv.slice(2);
const files = fs.readdirSync(dir, { recursive: true })
  .filter((f) => f.endsWith('.test.js'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .map((f) => path.join(dir, f));
let passed = 0;
let failed = 0;
const stream = run({ files, concurrency: 2 });
stream.on('test:pass', (e) => { if (e.details?.type !== 'suite' && !e.skip && !e.todo) passed++; });
/** Failed tests, named again after the summary so a log's tail says which (the spec output above has the detail). */
const failures = [];
stream.on('test:fail', (e) => {
  if (e.details?.type === 'suite') return;
  failed++;
  const cause = e.details?.error?.cause ?? e.details?.error;
  const message = String(cause?.message ?? cause ?? '').split('\n')[0].slice(0, 300);
  failures.push(`FAILED unit: ${e.name} (${path.relative(dir, e.file ?? '')}:${e.line ?? '?'}): ${message}`);
});
stream.compose(spec).pipe(process.stdout);
stream.on('end', () => {
  for (const line of failures) console.log(line);
  console.log(`unit: ${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
});
