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
stream.on('test:fail', (e) => { if (e.details?.type !== 'suite') failed++; });
stream.compose(spec).pipe(process.stdout);
stream.on('end', () => {
  console.log(`unit: ${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
});
