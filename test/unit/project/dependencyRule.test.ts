// Enforces the layering ARCHITECTURE.md states: a core that imports only the libraries listed there, a webview that
// speaks only the shared protocol, a CLI on core alone.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { repoRoot } from './repoRoot';

const src = path.join(repoRoot(), 'src');

const NODE_BUILTIN = /^pkg:node:/;

interface ImportEdge {
  file: string;
  spec: string;
  target: string;
}

/** Every import of the .ts files under `folder` of `root`: from-imports, side-effect imports, import() and require(). */
function importsOf(folder: string, root = src): ImportEdge[] {
  const dir = path.join(root, folder);
  const edges: ImportEdge[] = [];
  for (const f of fs.readdirSync(dir, { recursive: true }).map(String)) {
    if (!f.endsWith('.ts')) continue;
    const file = path.join(dir, f);
    const text = fs.readFileSync(file, 'utf8');
    const pattern = /(?:import|export)\s[^'";]*?from\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/gm;
    for (const m of text.matchAll(pattern)) {
      const spec = (m[1] ?? m[2] ?? m[3] ?? m[4])!;
      const target = spec.startsWith('.') ? path.relative(root, path.resolve(path.dirname(file), spec)).split(path.sep)[0]! : `pkg:${spec}`;
      edges.push({ file: path.relative(root, file), spec, target });
    }
  }
  return edges;
}

/** The libraries ARCHITECTURE.md's layer table allows a layer: "core only (Node built-ins, a, b, ...)", "shared only (a)". */
function librariesInArchitecture(layer: 'core' | 'shared'): string[] {
  const text = fs.readFileSync(path.join(repoRoot(), 'ARCHITECTURE.md'), 'utf8');
  const row = new RegExp(`^\\| \`src/${layer}/\` \\|.*\\| ${layer} only \\((?:Node built-ins, )?([^)]+)\\) \\|$`, 'm').exec(text);
  assert.ok(row, `ARCHITECTURE.md has the src/${layer} row with "${layer} only (...)"`);
  return row[1]!.split(',').map((s) => s.trim());
}

/** A package spec's package name: "@scope/name/sub" -> "@scope/name", "name/sub" -> "name". */
function packageName(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

function coreViolations(root = src, libraries = librariesInArchitecture('core')): string[] {
  return violations('core', (e) => e.target === 'core' || NODE_BUILTIN.test(e.target) || libraries.includes(packageName(e.spec)), root);
}

function violations(folder: string, allowed: (e: ImportEdge) => boolean, root = src): string[] {
  return importsOf(folder, root).filter((e) => !allowed(e)).map((e) => `${e.file} imports ${e.spec}`);
}

test('src/core imports only core, Node built-ins and the libraries ARCHITECTURE.md lists for it', () => {
  assert.deepEqual(coreViolations(), []);
});

test('src/webview imports only src/shared and the toolkit, never vscode, Node or core', () => {
  const bad = violations('webview', (e) => e.target === 'webview' || e.target === 'shared' || e.target === 'pkg:@vscode/webview-ui-toolkit');
  assert.deepEqual(bad, []);
});

test('only one webview file imports the archived toolkit', () => {
  const importers = importsOf('webview').filter((e) => e.target === 'pkg:@vscode/webview-ui-toolkit').map((e) => e.file);
  assert.equal(new Set(importers).size, 1, importers.join(', '));
});

function sharedViolations(root = src, libraries = librariesInArchitecture('shared')): string[] {
  return violations('shared', (e) => e.target === 'shared' || libraries.includes(packageName(e.spec)), root);
}

test('src/shared imports only the libraries ARCHITECTURE.md lists for it; src/cli imports core only; extension imports core and shared', () => {
  assert.deepEqual(sharedViolations(), []);
  assert.deepEqual(violations('cli', (e) => e.target === 'cli' || e.target === 'core' || (NODE_BUILTIN.test(e.target))), []);
  assert.deepEqual(violations('extension', (e) => ['extension', 'core', 'shared'].includes(e.target) || e.target.startsWith('pkg:')), []);
});

test('the core rule catches each kind of violation: vscode, an unlisted library, shared, a side-effect import', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dependency-rule-'));
  fs.mkdirSync(path.join(root, 'core', 'partitions'), { recursive: true });
  fs.mkdirSync(path.join(root, 'shared'));
  fs.writeFileSync(path.join(root, 'core', 'partitions', 'fine.ts'), "import { DateTime } from 'luxon';\nimport * as fs from 'node:fs';\nimport type { X } from '../other';\n");
  fs.writeFileSync(path.join(root, 'core', 'bad.ts'), [
    "import * as vscode from 'vscode';",
    "import { z } from 'zod/v4';",
    "import type { Message } from '../shared/protocol';",
    "import 'reflect-metadata';",
    "const lazy = require('left-pad');",
  ].join('\n'));
  assert.deepEqual(coreViolations(root, ['luxon']), [
    'core/bad.ts imports vscode',
    'core/bad.ts imports zod/v4',
    'core/bad.ts imports ../shared/protocol',
    'core/bad.ts imports reflect-metadata',
    'core/bad.ts imports left-pad',
  ]);
  fs.rmSync(root, { recursive: true, force: true });
});

test('the shared rule catches a library ARCHITECTURE.md does not list for it, and Node or core', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dependency-rule-'));
  fs.mkdirSync(path.join(root, 'shared'));
  fs.writeFileSync(path.join(root, 'shared', 'bad.ts'), ["import * as v from 'valibot';", "import { z } from 'zod';", "import * as fs from 'node:fs';", "import type { X } from '../core/x';"].join('\n'));
  assert.deepEqual(sharedViolations(root, ['valibot']), ['shared/bad.ts imports zod', 'shared/bad.ts imports node:fs', 'shared/bad.ts imports ../core/x']);
  fs.rmSync(root, { recursive: true, force: true });
});

/** Groups of files that import one another in a circle (type-only imports count: they tie the files' meaning together). */
function importCycles(root = src): string[][] {
  const graph = new Map<string, string[]>();
  for (const folder of fs.readdirSync(root)) {
    if (!fs.statSync(path.join(root, folder)).isDirectory()) continue;
    for (const e of importsOf(folder, root)) {
      if (!e.spec.startsWith('.')) continue;
      const target = path.relative(root, path.resolve(path.dirname(path.join(root, e.file)), e.spec));
      const file = [`${target}.ts`, path.join(target, 'index.ts')].find((f) => fs.existsSync(path.join(root, f)));
      if (file) graph.set(e.file, [...(graph.get(e.file) ?? []), file]);
    }
  }
  // Tarjan's strongly connected components: every component of more than one file is a cycle.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); }
      else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do { w = stack.pop()!; component.push(w); } while (w !== v);
      if (component.length > 1) cycles.push(component.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return cycles;
}

test('no two files of src share a name: each says by its name which side it is on (a host panel, a webview page)', () => {
  const byName = new Map<string, string[]>();
  for (const f of fs.readdirSync(src, { recursive: true }).map(String).filter((f) => f.endsWith('.ts'))) {
    byName.set(path.basename(f), [...(byName.get(path.basename(f)) ?? []), f]);
  }
  assert.deepEqual([...byName.values()].filter((paths) => paths.length > 1), []);
});

test('no files of src import one another in a circle', () => {
  assert.deepEqual(importCycles(), []);
});

test('the cycle check finds a circle, a type-only one included', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'import-cycles-'));
  fs.mkdirSync(path.join(root, 'core'));
  fs.writeFileSync(path.join(root, 'core', 'a.ts'), "import { b } from './b';\nexport const a = b;\n");
  fs.writeFileSync(path.join(root, 'core', 'b.ts'), "import type { C } from './c';\nexport const b: C = 1;\n");
  fs.writeFileSync(path.join(root, 'core', 'c.ts'), "import type { a } from './a';\nexport type C = typeof a;\n");
  fs.writeFileSync(path.join(root, 'core', 'd.ts'), "import { a } from './a';\nexport const d = a;\n");
  assert.deepEqual(importCycles(root), [['core/a.ts', 'core/b.ts', 'core/c.ts']]);
  fs.rmSync(root, { recursive: true, force: true });
});

test('the rule itself catches a violation', () => {
  // Guard against a scanner that silently finds nothing: core really does import luxon and node built-ins.
  const edges = importsOf('core');
  assert.ok(edges.some((e) => e.target === 'pkg:luxon'));
  assert.ok(edges.some((e) => NODE_BUILTIN.test(e.target)));
  assert.ok(importsOf('extension').some((e) => e.target === 'pkg:vscode'));
});
