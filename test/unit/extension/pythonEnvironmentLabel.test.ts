// The interpreter status bar item's words: Dagster and Python versions and the environment's name, or why not.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { environmentName, pythonEnvironmentLabel } from '../../../src/extension/pythonEnvironmentLabel';

test('the environment is named by its venv folder, else by the interpreter', () => {
  assert.equal(environmentName('/home/me/project/.venv/bin/python'), '.venv');
  assert.equal(environmentName('C:\\work\\venv\\Scripts\\python.exe'), 'venv');
  assert.equal(environmentName('/usr/bin/python3.11'), 'python3.11');
  assert.equal(environmentName('python3'), 'python3');
});

test('the item reads Dagster and Python versions when dagster imports, and warns when it does not', () => {
  const interpreter = { path: '/p/.venv/bin/python', sourceLabel: 'from the backfillStudio.pythonPath setting' };
  assert.deepEqual(pythonEnvironmentLabel({ interpreter, dagster: { ok: true, dagster: '1.8.4', python: '3.11.9' } }), {
    text: 'Dagster 1.8.4 · Python 3.11 (.venv)',
    tooltip: 'dagster 1.8.4 on Python 3.11.9 at /p/.venv/bin/python (from the backfillStudio.pythonPath setting).\nClick to choose another interpreter (Select Python Interpreter).',
    warning: false,
  });
  const missing = pythonEnvironmentLabel({ interpreter, dagster: { ok: false, reason: 'dagster is not importable' } });
  assert.equal(missing.text, '$(warning) No Dagster · Python (.venv)');
  assert.equal(missing.warning, true);
  assert.match(missing.tooltip, /^dagster is not importable for the Python interpreter \/p\/\.venv\/bin\/python/);
  assert.equal(pythonEnvironmentLabel({ interpreter, dagster: 'untrusted' }).text, 'Python (.venv)');
  assert.match(pythonEnvironmentLabel({ interpreter, dagster: 'untrusted' }).tooltip, /not trusted/);
  assert.equal(pythonEnvironmentLabel({ interpreter }).text, '$(loading~spin) Python (.venv)');
});
