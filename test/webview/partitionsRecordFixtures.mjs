// Records the partitions panel's view models (built by the real host code) as JSON under partitionsFixtures/.
//   node test/webview/partitionsRecordFixtures.mjs
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';

const here = path.dirname(new URL(import.meta.url).pathname);
const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'partitions-fixtures-')), 'source.cjs');
await esbuild.build({ entryPoints: [path.join(here, 'partitionsFixtureSource.ts')], outfile: out, bundle: true, platform: 'node', format: 'cjs', logLevel: 'warning' });
// Dates in the hover card are formatted in the host's zone; recording in UTC keeps the files stable.
process.env.TZ = 'UTC';
const models = createRequire(import.meta.url)(out).recordAll();
for (const [name, model] of Object.entries(models)) {
  fs.writeFileSync(path.join(here, 'partitionsFixtures', `${name}.json`), JSON.stringify(model) + '\n');
  console.log(`${name}: ${model.keys.count} keys (${model.keys.text.length} characters of bases), layout ${model.layout.kind}, ${model.statusRuns.length} status runs`);
}
fs.rmSync(path.dirname(out), { recursive: true, force: true });
