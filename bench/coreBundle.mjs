// Bundles named exports of src/core into one CommonJS file in `dir` and loads it, so a bench runs the current
// source without a build step (CommonJS, because sql.js's loader uses require()).
import { build } from 'esbuild';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');

/** `exports` maps an export name to its module under src/core (e.g. { openStateStore: 'storage/openStateStore' }). */
export async function loadCoreExports(dir, exports) {
  const entry = join(dir, 'entry.ts');
  writeFileSync(entry, Object.entries(exports).map(([name, from]) => `export { ${name} } from ${JSON.stringify(join(root, 'src/core', from))};`).join('\n'));
  const outfile = join(dir, 'bundle.cjs');
  await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', outfile, logLevel: 'warning', nodePaths: [join(root, 'node_modules')] });
  return createRequire(import.meta.url)(outfile);
}
