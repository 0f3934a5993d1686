// The extension's view of one workspace folder: lazily discovered definitions, the lazily opened
// engine, and change events that the tree views, code lenses and panels listen to.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DefinitionsSnapshot } from '../core/definitions/definition';
import type { BackfillEngine, BackfillWorkspace } from '../core/workspace/backfillWorkspace';
import { engineModule } from './engineModule';

export class WorkspaceSession implements vscode.Disposable {
  private workspaceInstance: BackfillWorkspace | undefined;
  private readonly definitionsChanged = new vscode.EventEmitter<DefinitionsSnapshot>();
  readonly onDidChangeDefinitions = this.definitionsChanged.event;
  private readonly backfillsChanged = new vscode.EventEmitter<{ backfillId?: string }>();
  readonly onDidChangeBackfills = this.backfillsChanged.event;
  private readonly runLogged = new vscode.EventEmitter<{ runId: string }>();
  readonly onDidLogRun = this.runLogged.event;
  private refreshing: Promise<DefinitionsSnapshot> | undefined;
  private refreshTimer: NodeJS.Timeout | undefined;
  private readonly pendingPaths = new Set<string>();
  /** Whether the store holds a live backfill another process (the CLI) runs, so its changes are polled for. */
  private othersLive = false;
  private readonly disposables: vscode.Disposable[] = [this.definitionsChanged, this.backfillsChanged, this.runLogged];
  private engineStarted = false;

  constructor(
    readonly folder: vscode.WorkspaceFolder,
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** File watching starts with the engine: before anything was discovered there is nothing to keep fresh. */
  private watch(): void {
    const config = vscode.workspace.getConfiguration('backfillStudio', this.folder.uri);
    const sources = new vscode.RelativePattern(this.folder, '**/{*.py,backfills.yaml,pyproject.toml,workspace.yaml,setup.py}');
    const watcher = vscode.workspace.createFileSystemWatcher(sources);
    const schedule = (uri: vscode.Uri) => this.scheduleRefresh(uri);
    this.disposables.push(watcher, watcher.onDidChange(schedule), watcher.onDidCreate(schedule), watcher.onDidDelete(schedule));
    // The state file and anything beside it (its journal): a replace by rename may arrive as a delete, so all three events count.
    const statePattern = new vscode.RelativePattern(this.folder, `${config.get<string>('stateFolder', '.backfills')}/state.sqlite*`);
    const stateWatcher = vscode.workspace.createFileSystemWatcher(statePattern);
    const reload = () => void this.reloadState();
    this.disposables.push(stateWatcher, stateWatcher.onDidChange(reload), stateWatcher.onDidCreate(reload), stateWatcher.onDidDelete(reload));
    // File events can be coalesced or dropped under load; while another process's backfill is live, look every 2 s too.
    const poll = setInterval(() => {
      if (this.othersLive) void this.reloadState();
    }, 2000);
    this.disposables.push({ dispose: () => clearInterval(poll) });
  }

  /** The engine for this folder, loaded and built on first use (never during activation). */
  get workspace(): BackfillWorkspace {
    if (!this.workspaceInstance) {
      const config = vscode.workspace.getConfiguration('backfillStudio', this.folder.uri);
      this.workspaceInstance = new (engineModule().BackfillWorkspace)({
        root: this.folder.uri.fsPath,
        origin: 'extension',
        stateFolder: config.get<string>('stateFolder', '.backfills'),
        maxConcurrentRuns: config.get<number>('maxConcurrentRuns', 4),
        wasmPath: vscode.Uri.joinPath(this.extensionUri, 'dist', 'sql-wasm.wasm').fsPath,
        onError: (e) => this.log.error('run coordinator error', e),
        onStoreProblem: (message) => {
          this.log.warn(message);
          void vscode.window.showWarningMessage(`Backfill Studio: ${message}`);
        },
      });
      this.watch();
      this.followPythonInterpreter(this.workspaceInstance);
    }
    return this.workspaceInstance;
  }

  /** Dagster runs use the interpreter the user chose (Python extension, setting, python3), kept current as it changes. */
  private followPythonInterpreter(workspace: BackfillWorkspace): void {
    const apply = () => {
      const { resolvePythonInterpreter } = require('./resolvePythonInterpreter') as typeof import('./resolvePythonInterpreter');
      void resolvePythonInterpreter(this.folder).then(
        (p) => workspace.setPythonInterpreter(p.path),
        (e: unknown) => this.log.error('could not resolve the Python interpreter', e),
      );
    };
    apply();
    this.disposables.push(vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('backfillStudio.pythonPath', this.folder.uri) || e.affectsConfiguration('python', this.folder.uri)) apply();
    }));
  }

  /** Whether anything has needed the engine yet (activation must not). */
  get engineLoaded(): boolean {
    return this.workspaceInstance !== undefined;
  }

  /** Definitions, discovered on first request (never during activation); callers during discovery share it. */
  definitions(): Promise<DefinitionsSnapshot> {
    if (this.workspace.definitions) return Promise.resolve(this.workspace.definitions);
    return this.refreshing ?? this.refresh();
  }

  /**
   * With `changedPaths` (relative to the folder) only those files are read again (incremental discovery).
   * A refresh asked for while another runs starts after it, so it always sees the files as they are now.
   */
  refresh(changedPaths?: readonly string[]): Promise<DefinitionsSnapshot> {
    const next = (this.refreshing ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => this.workspace.refreshDefinitions(changedPaths))
      .then((s) => {
        this.log.info(`discovered ${s.assets.length} assets, ${s.jobs.length} jobs, ${s.commandTargets.length} command targets, ${s.diagnostics.length} diagnostics`);
        this.definitionsChanged.fire(s);
        return s;
      });
    this.refreshing = next;
    void next.finally(() => {
      if (this.refreshing === next) this.refreshing = undefined;
    }).catch(() => undefined);
    return next;
  }

  async engine(): Promise<BackfillEngine> {
    const engine = await this.workspace.engine();
    if (!this.engineStarted) {
      this.engineStarted = true;
      const subs = [
        engine.daemon.onDidChange((e) => this.backfillsChanged.fire({ backfillId: e.backfillId })),
        engine.daemon.onDidLog((e) => this.runLogged.fire(e)),
      ];
      this.disposables.push({ dispose: () => subs.forEach((s) => s.dispose()) });
    }
    return engine;
  }

  /** Another process (the CLI) replaced the state file: re-read it and tell the views. */
  private async reloadState(): Promise<void> {
    if (!this.engineStarted) return;
    try {
      const { store } = await this.engine();
      if (await store.reloadIfChanged()) this.backfillsChanged.fire({});
      this.othersLive = store.listBackfills().some((b) => (b.status === 'REQUESTED' || b.status === 'CANCELING') && b.origin !== 'extension');
    } catch (e) {
      this.log.error('could not reload the state store', e);
    }
  }

  private scheduleRefresh(uri?: vscode.Uri): void {
    if (uri) {
      const rel = path.relative(this.folder.uri.fsPath, uri.fsPath).split(path.sep).join('/');
      if (rel && !rel.startsWith('..')) this.pendingPaths.add(rel);
    }
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => {
      const paths = [...this.pendingPaths];
      this.pendingPaths.clear();
      void this.refresh(paths).catch((e) => this.log.error('discovery failed', e));
    }, 300);
  }

  dispose(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    vscode.Disposable.from(...this.disposables).dispose();
    void this.workspaceInstance?.close().catch((e) => this.log.error('closing the state store failed', e));
  }
}
