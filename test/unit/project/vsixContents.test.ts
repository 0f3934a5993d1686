// The packaged .vsix holds only the allow-listed files: bundles, wasm, media and the manifest.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { repoRoot } from './repoRoot';

/** Names in a zip's central directory (the .vsix is a zip); no compression library needed to list them. */
export function zipEntryNames(zip: Buffer): string[] {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('not a zip file: no end of central directory record');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`bad central directory entry at ${at}`);
    const nameLength = zip.readUInt16LE(at + 28);
    const extra = zip.readUInt16LE(at + 30);
    const comment = zip.readUInt16LE(at + 32);
    names.push(zip.toString('utf8', at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extra + comment;
  }
  return names;
}

const ALLOWED = [
  /^\[Content_Types\]\.xml$/,
  /^extension\.vsixmanifest$/,
  /^extension\/package\.json$/,
  /^extension\/(readme|changelog|license)(\.md|\.txt)?$/i,
  /^extension\/dist\/(extension|onDemand|engine|discoveryWorker|webview|cli|cliCommands|cliPartitions)\.js$/,
  /^extension\/dist\/sql-wasm\.wasm$/,
  /^extension\/dist\/runner\/backfill_[a-z_]+\.py$/,
  /^extension\/media\/[\w./-]+\.(svg|css|png)$/,
];

test('the vsix contains the bundles (the discovery worker too), the wasm and nothing outside the allow-list', () => {
  const vsix = path.join(repoRoot(), 'backfill-studio.vsix');
  assert.ok(fs.existsSync(vsix), `${vsix} is missing: run npm run package first (the test script does)`);
  const names = zipEntryNames(fs.readFileSync(vsix));
  const outside = names.filter((n) => !ALLOWED.some((re) => re.test(n)));
  assert.deepEqual(outside, []);
  for (const required of ['extension/dist/extension.js', 'extension/dist/engine.js', 'extension/dist/discoveryWorker.js', 'extension/dist/onDemand.js', 'extension/dist/webview.js', 'extension/dist/cli.js', 'extension/dist/cliCommands.js', 'extension/dist/cliPartitions.js', 'extension/dist/sql-wasm.wasm', 'extension/dist/runner/backfill_runner.py', 'extension/package.json']) {
    assert.ok(names.includes(required), `missing ${required}`);
  }
  assert.ok(!names.some((n) => /node_modules|\.map$|\.ts$|(^|\/)src\//.test(n)));
});
