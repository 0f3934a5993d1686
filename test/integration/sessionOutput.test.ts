// The Output channel and the interpreter status bar item in a real extension host: a launch, a pause and a cancel are
// logged with their plan summary, the item shows the interpreter's Dagster (or its absence), and a missing dagster
// offers Select Python Interpreter. Named to run after quickstart.test.ts, whose first test needs an engine nothing loaded.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api, poll } from './extensionUnderTest';

function folder(): vscode.WorkspaceFolder {
  return vscode.workspace.workspaceFolders![0]!;
}

function setPythonPath(value: string | undefined): Thenable<void> {
  return vscode.workspace.getConfiguration('backfillStudio', folder().uri).update('pythonPath', value, vscode.ConfigurationTarget.WorkspaceFolder);
}

/** An interpreter that runs python3, with the stand-in dagster package importable or not. */
function wrapperInterpreter(name: string, withDagster: boolean): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-python-'));
  const file = path.join(dir, name);
  const double = path.join(vscode.extensions.getExtension('backfill-studio.backfill-studio')!.extensionPath, 'test', 'fixtures', 'dagster-test-double');
  fs.writeFileSync(file, `#!/bin/sh\n${withDagster ? `PYTHONPATH='${double}' ` : ''}exec python3 "$@"\n`, { mode: 0o755 });
  return file;
}

/** Every log file under the extension's log folder (and the window's, where some hosts put output channels). */
function logText(logUri: vscode.Uri): string {
  const texts: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (depth > 3 || !fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full, depth + 1);
      else if (entry.name.endsWith('.log')) texts.push(fs.readFileSync(full, 'utf8'));
    }
  };
  walk(logUri.fsPath, 0);
  return texts.join('\n');
}

suite('output channel and interpreter', () => {
  suiteTeardown(() => setPythonPath(undefined));

  test('the status bar item shows the interpreter\'s Dagster once definitions are found, and its absence as a warning', async function () {
    this.timeout(90_000);
    const a = await api();
    await a.session()!.definitions();
    const withDagster = wrapperInterpreter('python-with-dagster', true);
    await setPythonPath(withDagster);
    const shown = await poll('the item to show the stand-in dagster', () => {
      const l = a.pythonStatus();
      return l && /^Dagster [\d.]+\w* · Python 3\.\d+ \(python-with-dagster\)$/.test(l.text) ? l : undefined;
    }, 60_000);
    assert.equal(shown.warning, false);
    assert.match(shown.tooltip, new RegExp(`at ${withDagster.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(from the backfillStudio\\.pythonPath setting\\)`));
    await setPythonPath('definitely-not-python-xyz');
    const missing = await poll('the item to warn', () => (a.pythonStatus()?.warning ? a.pythonStatus() : undefined), 60_000);
    assert.equal(missing.text, '$(warning) No Dagster · Python (definitely-not-python-xyz)');
  });

  test('an interpreter without dagster offers Select Python Interpreter, which the button runs', async function () {
    this.timeout(90_000);
    const a = await api();
    await a.session()!.definitions();
    const window = vscode.window as { showWarningMessage: (...args: unknown[]) => Thenable<unknown> };
    const commands = vscode.commands as { executeCommand: (...args: unknown[]) => Thenable<unknown> };
    const originalWarning = window.showWarningMessage;
    const originalExecute = commands.executeCommand;
    const warnings: { message: string; items: unknown[] }[] = [];
    const executed: string[] = [];
    window.showWarningMessage = (message: unknown, ...items: unknown[]) => {
      warnings.push({ message: String(message), items });
      return Promise.resolve(items.includes('Select Python Interpreter') ? 'Select Python Interpreter' : undefined);
    };
    commands.executeCommand = (id: unknown, ...rest: unknown[]) => {
      if (id === 'backfillStudio.selectPythonInterpreter') {
        executed.push(id);
        return Promise.resolve(undefined);
      }
      return originalExecute.call(vscode.commands, id, ...rest);
    };
    try {
      const interpreter = wrapperInterpreter('python-without-dagster', false);
      await setPythonPath(interpreter);
      const warning = await poll('the missing-dagster warning', () => warnings.find((w) => w.message.includes(interpreter)), 60_000);
      assert.match(warning.message, /dagster is not importable for the Python interpreter .*python-without-dagster \(from the backfillStudio\.pythonPath setting\): Dagster assets and jobs cannot run\. Install it there/);
      assert.deepEqual(warning.items, ['Select Python Interpreter']);
      await poll('the button to run Select Python Interpreter', () => (executed.length > 0 ? true : undefined));
      assert.equal(a.pythonStatus()?.text, '$(warning) No Dagster · Python (python-without-dagster)');
    } finally {
      window.showWarningMessage = originalWarning;
      commands.executeCommand = originalExecute;
    }
  });

  test('a launch, a pause and a cancel are written to the Output channel with the plan summary', async function () {
    this.timeout(120_000);
    const a = await api();
    const session = a.session()!;
    await session.definitions();
    const plan = await session.workspace.planRequest({ targets: ['daily_counts'], selection: { kind: 'range', from: '2024-05-01', to: '2024-05-30' }, reprocess: 'all' });
    const record = await session.workspace.launch(plan);
    await vscode.commands.executeCommand('backfillStudio.pauseBackfill', record.id);
    await vscode.commands.executeCommand('backfillStudio.cancelBackfill', record.id);
    const { daemon } = await session.engine();
    assert.equal((await daemon.whenDone(record.id)).status, 'CANCELED');
    const text = await poll('the backfill\'s lines in the log file', () => {
      const t = logText(a.logUri);
      return t.includes(`backfill ${record.id} was canceled`) ? t : undefined;
    }, 30_000);
    assert.match(text, new RegExp(`\\[info\\] launched backfill ${record.id}: ${plan.runs.length} runs covering 30 partitions of daily_counts \\(2024-05-01\\.\\.\\.2024-05-30\\)`));
    assert.match(text, new RegExp(`\\[info\\] paused backfill ${record.id}: running runs finish, nothing new starts`));
    assert.match(text, new RegExp(`\\[info\\] canceling backfill ${record.id}`));
    assert.match(text, new RegExp(`\\[info\\] backfill ${record.id} was canceled: \\d+/${plan.runs.length} runs succeeded`));
  });
});
