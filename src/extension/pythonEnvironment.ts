// The Python interpreter one folder's Dagster work uses and what it has (Dagster and Python versions), kept current as
// the settings change: resolved when the engine starts, checked (a trusted folder only) once Dagster definitions are found.
import * as vscode from 'vscode';
import { DAGSTER_NOT_IMPORTABLE, INTERPRETER_NOT_FOUND } from './checkDagster';
import { COMMAND_IDS, SELECT_PYTHON_INTERPRETER } from './commandIds';
import type { PythonEnvironmentState } from './pythonEnvironmentLabel';
import { SOURCE_LABEL, type PythonInterpreter } from './resolvePythonInterpreter';

export class PythonEnvironment implements vscode.Disposable {
  private state: PythonEnvironmentState | undefined;
  private checkWanted = false;
  /** The interpreter the missing-dagster warning was shown for: once each, not on every refresh. */
  private warnedFor: string | undefined;
  private readonly changed = new vscode.EventEmitter<PythonEnvironmentState>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  constructor(
    private readonly folder: vscode.WorkspaceFolder,
    private readonly log: vscode.LogOutputChannel,
    /** Gives the engine the interpreter (Dagster runs and statuses use it). */
    private readonly use: (interpreterPath: string) => void,
  ) {}

  /** Resolves now and again when the interpreter settings change (or the folder becomes trusted). */
  start(): void {
    this.resolve();
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('backfillStudio.pythonPath', this.folder.uri) || e.affectsConfiguration('python', this.folder.uri)) this.resolve(true);
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.resolve(true)),
    );
  }

  get current(): PythonEnvironmentState | undefined {
    return this.state;
  }

  /** Asked once the folder has Dagster definitions: from then on each interpreter is checked for dagster. */
  checkDagster(): void {
    if (this.checkWanted) return;
    this.checkWanted = true;
    if (this.state && this.state.dagster === undefined) void this.check(this.state.interpreter.path);
  }

  private resolve(again = false): void {
    const { resolvePythonInterpreter } = require('./resolvePythonInterpreter') as typeof import('./resolvePythonInterpreter');
    void resolvePythonInterpreter(this.folder).then((interpreter: PythonInterpreter) => {
      this.use(interpreter.path);
      const same = this.state?.interpreter.path === interpreter.path;
      if (same && !again) return;
      this.log.info(`${this.folder.name}: Dagster runs use the Python interpreter ${interpreter.path} (${SOURCE_LABEL[interpreter.source]})`);
      this.state = { interpreter: { path: interpreter.path, sourceLabel: SOURCE_LABEL[interpreter.source] } };
      this.changed.fire(this.state);
      if (this.checkWanted) void this.check(interpreter.path);
    }, (e: unknown) => this.log.error('could not resolve the Python interpreter', e));
  }

  private async check(interpreterPath: string): Promise<void> {
    const state = this.state;
    if (!state) return;
    if (!vscode.workspace.isTrusted) {
      this.update(interpreterPath, 'untrusted');
      return;
    }
    const { checkDagster } = require('./checkDagster') as typeof import('./checkDagster');
    const result = await checkDagster(interpreterPath);
    if (!this.update(interpreterPath, result)) return;
    if (result.ok) {
      this.log.info(`${this.folder.name}: dagster ${result.dagster} on Python ${result.python} at ${interpreterPath}`);
      return;
    }
    const message = `${result.reason} for the Python interpreter ${interpreterPath} (${state.interpreter.sourceLabel})`;
    this.log.warn(`${this.folder.name}: ${message}`);
    if (this.warnedFor === interpreterPath || (result.reason !== DAGSTER_NOT_IMPORTABLE && result.reason !== INTERPRETER_NOT_FOUND)) return;
    this.warnedFor = interpreterPath;
    const fix = result.reason === DAGSTER_NOT_IMPORTABLE ? `Install it there (${interpreterPath} -m pip install dagster) or choose the environment that has it.` : 'Choose an interpreter that exists.';
    void vscode.window.showWarningMessage(`Backfill Studio: ${message}: Dagster assets and jobs cannot run. ${fix}`, SELECT_PYTHON_INTERPRETER).then((picked) => {
      if (picked === SELECT_PYTHON_INTERPRETER) void vscode.commands.executeCommand(COMMAND_IDS.selectPythonInterpreter);
    });
  }

  /** Records a check's answer unless the interpreter changed meanwhile (false then). */
  private update(interpreterPath: string, dagster: NonNullable<PythonEnvironmentState['dagster']>): boolean {
    if (this.state?.interpreter.path !== interpreterPath) return false;
    this.state = { ...this.state, dagster };
    this.changed.fire(this.state);
    return true;
  }

  dispose(): void {
    vscode.Disposable.from(...this.disposables).dispose();
  }
}
