// WorkspaceSessions: one WorkspaceSession per workspace folder, started and disposed as folders come and go, which
// folder a file, a command argument or the user's choice means, and the sessions' events for faces spanning folders.
import * as vscode from 'vscode';
import type { DefinitionsSnapshot } from '../core/definitions/definition';
import type { PartitionStatusSource } from '../core/status/partitionStatusCache';
import { DeploymentTokens } from './deploymentTokens';
import { WorkspaceSession } from './workspaceSession';

/** What a face starts for each session (diagnostics, visibility follows...): disposed with that session. */
export type SessionParts = (session: WorkspaceSession) => vscode.Disposable[];

interface Entry {
  session: WorkspaceSession;
  owned: vscode.Disposable[];
}

export class WorkspaceSessions implements vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  private readonly foldersChanged = new vscode.EventEmitter<void>();
  /** Fires after folders were added or removed (their sessions started or disposed). */
  readonly onDidChangeFolders = this.foldersChanged.event;
  private readonly definitionsChanged = new vscode.EventEmitter<{ session: WorkspaceSession; snapshot: DefinitionsSnapshot }>();
  readonly onDidChangeDefinitions = this.definitionsChanged.event;
  private readonly backfillsChanged = new vscode.EventEmitter<{ session: WorkspaceSession; backfillId?: string }>();
  readonly onDidChangeBackfills = this.backfillsChanged.event;
  private readonly runLogged = new vscode.EventEmitter<{ session: WorkspaceSession; runId: string }>();
  readonly onDidLogRun = this.runLogged.event;
  private readonly statusSourceChanged = new vscode.EventEmitter<{ session: WorkspaceSession; source: PartitionStatusSource }>();
  readonly onDidChangeStatusSource = this.statusSourceChanged.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  private parts: SessionParts = () => [];
  private started = false;

  private readonly deploymentTokens: DeploymentTokens;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
    secrets: vscode.SecretStorage,
  ) {
    this.deploymentTokens = new DeploymentTokens(secrets);
  }

  /**
   * Starts a session for every folder open now and for each one added later, each with `parts`. Costs no scan:
   * a session loads nothing until something asks it for definitions or backfills.
   */
  start(parts: SessionParts): void {
    if (this.started) throw new Error('WorkspaceSessions started twice');
    this.started = true;
    this.parts = parts;
    for (const folder of vscode.workspace.workspaceFolders ?? []) this.add(folder);
    this.subscriptions.push(vscode.workspace.onDidChangeWorkspaceFolders((e) => {
      for (const folder of e.removed) this.remove(folder);
      for (const folder of e.added) this.add(folder);
      this.foldersChanged.fire();
    }));
  }

  /** The sessions in the order of the workspace's folders. */
  get all(): WorkspaceSession[] {
    const ordered = (vscode.workspace.workspaceFolders ?? []).map((f) => this.entries.get(key(f.uri))?.session);
    return ordered.filter((s): s is WorkspaceSession => s !== undefined);
  }

  /** Whether faces group by folder (two or more folders); one folder looks as it always did. */
  get several(): boolean {
    return this.entries.size > 1;
  }

  /** The session of the folder holding `uri` (a file or the folder itself). */
  of(uri: vscode.Uri): WorkspaceSession | undefined {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    return folder ? this.entries.get(key(folder.uri))?.session : undefined;
  }

  /** The session of a folder named by its URI string (a code lens or a run log document carries it). */
  ofFolder(folderUri: string): WorkspaceSession | undefined {
    return this.entries.get(folderUri)?.session ?? this.of(vscode.Uri.parse(folderUri));
  }

  /**
   * The folder a command means when its argument does not say: the only one, else the active editor's, else the
   * one the user picks (undefined when they dismiss the pick).
   */
  async pick(title: string): Promise<WorkspaceSession | undefined> {
    const all = this.all;
    if (all.length === 0) throw new Error('Open a folder to use Backfill Studio.');
    if (all.length === 1) return all[0];
    const active = vscode.window.activeTextEditor?.document.uri;
    const fromEditor = active ? this.of(active) : undefined;
    if (fromEditor) return fromEditor;
    const picked = await vscode.window.showQuickPick(
      all.map((session) => ({ label: session.folder.name, description: session.folder.uri.fsPath, session })),
      { title: `${title}: choose a workspace folder` },
    );
    return picked?.session;
  }

  private add(folder: vscode.WorkspaceFolder): void {
    if (this.entries.has(key(folder.uri))) return;
    const session = new WorkspaceSession(folder, this.extensionUri, this.log, this.deploymentTokens);
    const owned: vscode.Disposable[] = [
      session.onDidChangeDefinitions((snapshot) => this.definitionsChanged.fire({ session, snapshot })),
      session.onDidChangeBackfills((e) => this.backfillsChanged.fire({ session, ...e })),
      session.onDidLogRun((e) => this.runLogged.fire({ session, runId: e.runId })),
      session.onDidChangeStatusSource((source) => this.statusSourceChanged.fire({ session, source })),
    ];
    this.entries.set(key(folder.uri), { session, owned });
    try {
      owned.push(...this.parts(session));
    } catch (e) {
      this.log.error(`could not start Backfill Studio for the folder ${folder.name}`, e);
    }
  }

  private remove(folder: vscode.WorkspaceFolder): void {
    const entry = this.entries.get(key(folder.uri));
    if (!entry) return;
    this.entries.delete(key(folder.uri));
    vscode.Disposable.from(...entry.owned).dispose();
    entry.session.dispose();
    this.log.info(`stopped serving ${folder.name}: it left the workspace`);
  }

  dispose(): void {
    for (const entry of this.entries.values()) {
      vscode.Disposable.from(...entry.owned).dispose();
      entry.session.dispose();
    }
    this.entries.clear();
    vscode.Disposable.from(...this.subscriptions, this.foldersChanged, this.definitionsChanged, this.backfillsChanged, this.runLogged, this.statusSourceChanged).dispose();
  }
}

function key(uri: vscode.Uri): string {
  return uri.toString();
}
