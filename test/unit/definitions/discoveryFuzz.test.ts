// Discovery never throws: 5,000 seeded mutations of the fixture files (deleted lines, truncation, random bytes).
import { seededRandom } from '../seededRandom';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parsePythonDefinitions } from '../../../src/core/definitions/parsePythonDefinitions';
import { DefinitionIndex } from '../../../src/core/definitions/definitionIndex';

const root = path.resolve(__dirname, '../../../..');

function pythonFiles(dir: string): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile() && /\.(py|toml|yaml)$/.test(e.name)) {
      const full = path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name);
      out.push({ path: path.relative(dir, full).split(path.sep).join('/'), text: fs.readFileSync(full, 'utf8') });
    }
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : 1));
}


const NOISE = ['(', ')', '[', ']', '{', '}', '"', "'", '"""', '\\', '\n', '\r', '\t', '    ', ':', '=', ',', '@', '#', '*', '**', '.', 'f"{', '\0', '\u00e9', '\ud83d\ude00', 'def ', 'import ', 'from . import *', 'dg.', 'AssetKey(', 'lambda'];

function mutate(text: string, rand: () => number): string {
  const pick = Math.floor(rand() * 5);
  if (pick === 0) return text.slice(0, Math.floor(rand() * text.length));
  const lines = text.split('\n');
  if (pick === 1) {
    for (let n = 1 + Math.floor(rand() * 3); n > 0 && lines.length > 0; n--) lines.splice(Math.floor(rand() * lines.length), 1);
    return lines.join('\n');
  }
  if (pick === 2) {
    const i = Math.floor(rand() * lines.length);
    lines.splice(i, 0, lines[Math.floor(rand() * lines.length)] ?? '');
    return lines.join('\n');
  }
  let out = text;
  for (let n = 1 + Math.floor(rand() * 4); n > 0; n--) {
    const at = Math.floor(rand() * (out.length + 1));
    const noise = rand() < 0.5 ? NOISE[Math.floor(rand() * NOISE.length)] : String.fromCharCode(Math.floor(rand() * 0x3000));
    const cut = pick === 3 ? 0 : Math.floor(rand() * 4);
    out = out.slice(0, at) + noise + out.slice(at + cut);
  }
  return out;
}

test('5,000 mutated fixture files never make discovery throw', () => {
  const sources = [
    ...pythonFiles(path.join(root, 'test/fixtures/discovery')).map((f) => ({ ...f, folder: 'fixtures' })),
    ...pythonFiles(path.join(root, 'examples/quickstart')).map((f) => ({ ...f, folder: 'quickstart' })),
  ].filter((f) => f.path.endsWith('.py'));
  const project = pythonFiles(path.join(root, 'test/fixtures/discovery/multi_package'));
  const index = new DefinitionIndex();
  index.update(project);
  const rand = seededRandom(20240601);
  const started = Date.now();
  let assets = 0;
  for (let i = 0; i < 5000; i++) {
    if (i % 2 === 0) {
      const source = sources[Math.floor(rand() * sources.length)];
      const found = parsePythonDefinitions(source.path, mutate(source.text, rand));
      assets += found.assets.length;
      for (const d of found.diagnostics) {
        assert.ok(d.location.line >= 1, `line of ${d.message}`);
        // The index turns an internal exception into this diagnostic; the fuzz must not see any.
        assert.ok(!d.message.startsWith('Discovery failed'), d.message);
      }
    } else {
      // The same mutations inside a whole project: imports now lead into broken modules.
      const file = project[Math.floor(rand() * project.length)];
      index.update([{ path: file.path, text: mutate(file.text, rand) }]);
      const snapshot = index.snapshot();
      assets += snapshot.assets.length;
      const failed = snapshot.diagnostics.find((d) => d.message.startsWith('Discovery failed'));
      assert.equal(failed, undefined, failed?.message);
      if (i % 10 === 1) index.update([{ path: file.path, text: file.text }]);
    }
  }
  assert.ok(assets > 0);
  console.log(`fuzz: 5000 mutations in ${Date.now() - started} ms`);
});
