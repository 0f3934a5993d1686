// Enforces the layering of PRODUCT.md: pure core, a webview that speaks only the shared protocol.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { repoRoot } from './repoRoot';

const src = path.join(repoRoot(), 'src');

interface ImportEdge {
  file: string;
  spec: string;
  target: string;
}

function importsOf(folder: string): ImportEdge[] {
  const dir = path.join(src, folder);
  const edges: ImportEdge[] = [];
  for (const f of fs.readdirSync(dir, { recursive: true }).map(String)) {
    if (!f.endsWith('.ts')) continue;
    const file = path.join(dir, f);
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g)) {
      const spec = (m[1] ?? m[2] ?? m[3])!;
      const target = spec.startsWith('.') ? path.relative(src, path.resolve(path.dirname(file), spec)).split(path.sep)[0]! : `pkg:${spec}`;
      edges.push({ file: path.relative(src, file), spec, target });
    }
  }
  return edges;
}

function violations(folder: string, allowed: (e: ImportEdge) => boolean): string[] {
  return importsOf(folder).filter((e) => !allowed(e)).map((e) => `${e.file} imports ${e.spec}`);
}

const NODE_BUILTIN = /^pkg:node:/;

test('src/core imports nothing outside core: no vscode, no shared, no extension', () => {
  assert.deepEqual(violations('core', (e) => e.target === 'core' || (e.target.startsWith('pkg:') && e.target !== 'pkg:vscode')), []);
});

test('src/webview imports only src/shared and the toolkit, never vscode, Node or core', () => {
  const bad = violations('webview', (e) => e.target === 'webview' || e.target === 'shared' || e.target === 'pkg:@vscode/webview-ui-toolkit');
  assert.deepEqual(bad, []);
});

test('only one webview file imports the archived toolkit', () => {
  const importers = importsOf('webview').filter((e) => e.target === 'pkg:@vscode/webview-ui-toolkit').map((e) => e.file);
  assert.equal(new Set(importers).size, 1, importers.join(', '));
});

test('src/shared imports nothing; src/cli imports core only; extension imports core and shared', () => {
  assert.deepEqual(violations('shared', (e) => e.target === 'shared'), []);
  assert.deepEqual(violations('cli', (e) => e.target === 'cli' || e.target === 'core' || (NODE_BUILTIN.test(e.target))), []);
  assert.deepEqual(violations('extension', (e) => ['extension', 'core', 'shared'].includes(e.target) || e.target.startsWith('pkg:')), []);
});

test('the rule itself catches a violation', () => {
  // Guard against a scanner that silently finds nothing: core really does import luxon and node built-ins.
  const edges = importsOf('core');
  assert.ok(edges.some((e) => e.target === 'pkg:luxon'));
  assert.ok(edges.some((e) => NODE_BUILTIN.test(e.target)));
  assert.ok(importsOf('extension').some((e) => e.target === 'pkg:vscode'));
});
