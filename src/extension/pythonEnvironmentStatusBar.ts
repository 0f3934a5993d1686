// A status bar item for a folder with Dagster definitions: its interpreter and Dagster version; click to choose another.
import * as vscode from 'vscode';
import type { DefinitionsSnapshot } from '../core/definitions/definition';
import { COMMAND_IDS } from './commandIds';
import { pythonEnvironmentLabel, type PythonEnvironmentLabel } from './pythonEnvironmentLabel';
import type { WorkspaceSession } from './workspaceSession';
import type { WorkspaceSessions } from './workspaceSessions';

export class PythonEnvironmentStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('backfillStudio.pythonEnvironment', vscode.StatusBarAlignment.Right, 100);
  /** Sessions whose definitions include Dagster assets or jobs: only those get the item (and the check). */
  private readonly dagsterSessions = new Set<WorkspaceSession>();
  private readonly subscriptions: vscode.Disposable[];
  private shown: PythonEnvironmentLabel | undefined;

  constructor(private readonly sessions: WorkspaceSessions) {
    this.item.name = 'Backfill Studio: Python interpreter';
    this.item.command = COMMAND_IDS.selectPythonInterpreter;
    // Nothing is scanned for it: the item appears once something else has discovered Dagster definitions.
    this.subscriptions = [
      sessions.onDidChangeDefinitions(({ session, snapshot }) => this.definitionsChanged(session, snapshot)),
      sessions.onDidChangeFolders(() => this.update()),
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
    ];
  }

  /** Follows one session's interpreter for as long as the session lives. */
  follow(session: WorkspaceSession): vscode.Disposable {
    const sub = session.python.onDidChange(() => this.update());
    return { dispose: () => { sub.dispose(); this.dagsterSessions.delete(session); this.update(); } };
  }

  /** What the item shows now (undefined while hidden), for tests and other extensions. */
  get label(): PythonEnvironmentLabel | undefined {
    return this.shown;
  }

  private definitionsChanged(session: WorkspaceSession, snapshot: DefinitionsSnapshot): void {
    if (snapshot.assets.length + snapshot.jobs.length === 0) this.dagsterSessions.delete(session);
    else {
      this.dagsterSessions.add(session);
      session.python.checkDagster();
    }
    this.update();
  }

  private update(): void {
    const active = vscode.window.activeTextEditor?.document.uri;
    const fromEditor = active ? this.sessions.of(active) : undefined;
    const session = fromEditor && this.dagsterSessions.has(fromEditor) ? fromEditor : this.sessions.all.find((s) => this.dagsterSessions.has(s));
    const state = session?.python.current;
    if (!session || !state) {
      this.shown = undefined;
      this.item.hide();
      return;
    }
    const label = pythonEnvironmentLabel(state);
    this.shown = label;
    this.item.text = label.text;
    this.item.tooltip = this.sessions.several ? `${session.folder.name}: ${label.tooltip}` : label.tooltip;
    this.item.backgroundColor = label.warning ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }

  dispose(): void {
    vscode.Disposable.from(this.item, ...this.subscriptions).dispose();
  }
}
