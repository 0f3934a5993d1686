// Code-location files read as Dagster reads them: pyproject.toml through a TOML parser, workspace.yaml entries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DefinitionDiagnostic } from '../../../src/core/definitions/definition';
import { codeLocationsFrom, tomlKeyLine } from '../../../src/core/definitions/codeLocations';

function read(path: string, text: string) {
  const diagnostics: DefinitionDiagnostic[] = [];
  const locations = codeLocationsFrom([{ path, text }], diagnostics);
  return { locations, diagnostics: diagnostics.map((d) => `${d.location.line}:${d.location.column ?? 0} ${d.severity} ${d.message}`) };
}

test('pyproject.toml: inline tables, dotted keys and multi-line strings read as TOML means them', () => {
  // The hand-written reader took `project = {...}` for nothing and the """ string's inner '[tool.dagster]' for a header.
  const inline = read('pyproject.toml', [
    '[project]',
    'name = "shop"',
    'description = """',
    '[tool.dagster]',
    'module_name = "decoy"',
    '"""',
    '',
    '[tool]',
    'dagster = { module_name = "shop.definitions", code_location_name = "shop_location" }',
    '',
  ].join('\n'));
  assert.deepEqual(inline.diagnostics, []);
  assert.deepEqual(inline.locations.map((l) => [l.name, l.modules, l.declaredIn.line]), [['shop_location', ['shop.definitions'], 9]]);

  const dotted = read('sub/pyproject.toml', '[tool]\ndagster.module_name = ["a.defs", "b.defs"]\ndagster.working_directory = "src"\n');
  assert.deepEqual(dotted.locations.map((l) => [l.name, l.root, l.modules, l.declaredIn.line]), [['a.defs', 'sub/src', ['a.defs', 'b.defs'], 2]]);
});

test('pyproject.toml: a TOML syntax error is an error on its line, and no location is read from the file', () => {
  const broken = read('pyproject.toml', '[tool.dagster]\nmodule_name = "shop.definitions"\ncode_location_name = shop\n');
  assert.equal(broken.locations.length, 0);
  assert.equal(broken.diagnostics.length, 1);
  assert.match(broken.diagnostics[0], /^3:\d+ error pyproject\.toml is not valid TOML: .+; its code locations are not read$/);
});

test('tomlKeyLine finds the key under its table, dotted under a parent table, else the header', () => {
  const text = '[project]\nname = "x"\n\n[tool.dg.project]\n# comment\nroot_module = "x"\n';
  assert.equal(tomlKeyLine(text, ['tool', 'dg', 'project'], 'root_module'), 6);
  assert.equal(tomlKeyLine(text, ['tool', 'dg', 'project'], 'defs_module'), 4);
  assert.equal(tomlKeyLine('[tool]\ndg.project.root_module = "x"\n', ['tool', 'dg', 'project'], 'root_module'), 2);
});

test('a dg project: [tool.dg] with [tool.dg.project] root_module is one location loading its definitions module and defs folder', () => {
  const { locations } = read('pyproject.toml', '[project]\nname = "my-dg-project"\n\n[tool.dg]\ndirectory_type = "project"\n\n[tool.dg.project]\nroot_module = "my_dg_project"\n');
  assert.deepEqual(locations.map((l) => [l.name, l.modules, l.defsModule, l.declaredIn.line]), [['my-dg-project', ['my_dg_project.definitions'], 'my_dg_project.defs', 8]]);
});

test('workspace.yaml python_file locations are named by the file\'s basename, as Dagster names them', () => {
  const { locations } = read('workspace.yaml', 'load_from:\n  - python_file: jobs/nightly.py\n  - python_file:\n      relative_path: other.py\n      location_name: named\n');
  assert.deepEqual(locations.map((l) => [l.name, l.files]), [['nightly.py', ['jobs/nightly.py']], ['named', ['other.py']]]);
});
