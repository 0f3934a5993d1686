// The Python interpreter in a real extension host: Select Python Interpreter stores the setting, checks dagster, and the resolution order holds.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { resolvePythonInterpreter } from '../../src/extension/resolvePythonInterpreter';
import type { InterpreterCheckResult } from '../../src/extension/selectPythonInterpreterCommand';
import { api } from './extensionUnderTest';

function folder(): vscode.WorkspaceFolder {
  return vscode.workspace.workspaceFolders![0]!;
}

function storedPythonPath(): string | undefined {
  return vscode.workspace.getConfiguration('backfillStudio', folder().uri).inspect<string>('pythonPath')?.workspaceFolderValue;
}

async function select(pathArg: string): Promise<InterpreterCheckResult> {
  await api();
  const result = await vscode.commands.executeCommand<InterpreterCheckResult | undefined>('backfillStudio.selectPythonInterpreter', pathArg);
  assert.ok(result, 'the command returned no result');
  return result;
}

suite('python interpreter', () => {
  suiteTeardown(async () => {
    // Other suites share this workspace: leave its settings as they were.
    await vscode.workspace.getConfiguration('backfillStudio', folder().uri).update('pythonPath', undefined, vscode.ConfigurationTarget.WorkspaceFolder);
  });

  test('the Python extension is absent in the test host, so nothing but our setting and the default can answer', () => {
    assert.equal(vscode.extensions.getExtension('ms-python.python'), undefined);
  });

  test('a missing interpreter is stored in the folder setting and reported as not found', async () => {
    const result = await select('definitely-not-python-xyz');
    assert.equal(storedPythonPath(), 'definitely-not-python-xyz');
    assert.deepEqual(result, { ok: false, reason: 'interpreter not found', interpreter: { path: 'definitely-not-python-xyz', source: 'setting' } });
  });

  test('python3 without dagster is reported as not importable and the resolution comes from the setting', async function () {
    this.timeout(30_000);
    const result = await select('python3');
    assert.equal(storedPythonPath(), 'python3');
    // dagster is not installed on the machines that run this suite; if it ever is, the check must say so instead.
    assert.equal(result.ok, false, `dagster turned out importable: ${JSON.stringify(result)}`);
    assert.equal(result.ok === false && result.reason, 'dagster is not importable');
    assert.deepEqual(await resolvePythonInterpreter(folder()), { path: 'python3', source: 'setting' });
  });

  test('with the setting removed the resolution falls back to the default python3', async () => {
    await vscode.workspace.getConfiguration('backfillStudio', folder().uri).update('pythonPath', undefined, vscode.ConfigurationTarget.WorkspaceFolder);
    assert.equal(storedPythonPath(), undefined);
    assert.deepEqual(await resolvePythonInterpreter(folder()), { path: 'python3', source: 'default' });
  });

  test('a relative path in the setting is taken from the workspace folder', async () => {
    await vscode.workspace.getConfiguration('backfillStudio', folder().uri).update('pythonPath', '.venv/bin/python', vscode.ConfigurationTarget.WorkspaceFolder);
    const resolved = await resolvePythonInterpreter(folder());
    assert.deepEqual(resolved, { path: vscode.Uri.joinPath(folder().uri, '.venv/bin/python').fsPath, source: 'setting' });
  });
});
