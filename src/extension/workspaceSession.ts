// The extension's view of one workspace folder: lazily discovered definitions, the lazily opened
// engine, the adoption of backfills a closed or reloaded window left running, and change events that
// the tree views, code lenses and panels listen to.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { isOrphaned } from '../core/backfill/backfillOwnership';
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
  /** Whether the store holds a live backfill another process runs (the CLI, another window, a host that is ending), so its changes are polled for. */
  private othersLive = false;
  private adoption: Promise<string[]> | undefined;
  /** Orphans an adoption left (their target is gone, their plan unreadable): not tried again until definitions change. */
  private readonly notAdoptable = new Set<string>();
  private adoptionTimer: NodeJS.Timeout | undefined;
  private readonly disposables: vscode.Disposable[] = [this.definitionsChanged, this.backfillsChanged, this.runLogged];
  private engineStarted = false;
  private disposed = false;

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
    // Adoption runs commands, so an untrusted folder only gets it once the user trusts it.
    this.disposables.push(vscode.workspace.onDidGrantWorkspaceTrust(() => void this.adoptOrphans()));
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
        // The session adopts (adoptOrphans below): only in a trusted folder, and discovering only when there is an orphan.
        adoptOrphansOnStart: false,
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
        this.notAdoptable.clear(); // a target that was missing may be back
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
      void this.adoptOrphans();
    }
    return engine;
  }

  /**
   * Closing or reloading the window mid-backfill loses nothing (the extension host, and the daemon in it, end
   * with it). Called at activation, this costs one stat: only when the state file exists does the engine start,
   * `delayMs` later so the window's own startup goes first, and adopt what a dead process left REQUESTED.
   */
  adoptOrphansSoon(delayMs: number): void {
    const stateFolder = vscode.workspace.getConfiguration('backfillStudio', this.folder.uri).get<string>('stateFolder', '.backfills');
    const statePath = path.join(this.folder.uri.fsPath, stateFolder, 'state.sqlite');
    fs.promises.stat(statePath).then(
      () => {
        if (this.disposed) return;
        this.adoptionTimer = setTimeout(() => void this.adoptOrphans(), delayMs);
      },
      () => undefined, // no state file: no backfill ever ran here, so there is nothing to adopt
    );
  }

  /**
   * Runs on here every backfill of this folder whose owning process died (see backfillOwnership.ts): what
   * succeeded is kept, interrupted runs are stopped and queued again. Definitions are discovered only when there
   * is one. Returns the adopted ids; nothing in an untrusted folder, where nothing is launched.
   */
  adoptOrphans(): Promise<string[]> {
    if (!vscode.workspace.isTrusted || this.disposed) return Promise.resolve([]);
    this.adoption ??= (async () => {
      const engine = await this.engine();
      if (await engine.store.reloadIfChanged()) this.backfillsChanged.fire({});
      const orphans = this.orphans(engine);
      if (orphans.length === 0) return [];
      await this.definitions();
      const adopted = await this.workspace.adoptOrphans();
      for (const id of orphans) if (!adopted.some((b) => b.id === id)) this.notAdoptable.add(id);
      for (const b of adopted) this.log.info(`adopted backfill ${b.id} (${b.targets.join(', ')} ${b.selection}): its process had ended; it runs on in this window`);
      if (adopted.length > 0) this.backfillsChanged.fire({});
      return adopted.map((b) => b.id);
    })()
      .catch((e: unknown) => {
        this.log.error('could not adopt the backfills a process that ended left running', e);
        return [];
      })
      .finally(() => (this.adoption = undefined));
    return this.adoption;
  }

  /**
   * Ids of the active backfills of the store with no live owner. While any backfill runs in another process, the
   * store is polled: its owner may end (a window closing while this one stays, a host still exiting after a reload).
   */
  private orphans({ store, daemon }: BackfillEngine): string[] {
    const now = this.workspace.clock.now().getTime();
    const others = store.listBackfills().filter((b) => (b.status === 'REQUESTED' || b.status === 'CANCELING') && !daemon.isActive(b.id));
    this.othersLive = others.length > 0;
    return others.filter((b) => isOrphaned(b, now) && !this.notAdoptable.has(b.id)).map((b) => b.id);
  }

  /** Another process (the CLI, another window) replaced the state file: re-read it, tell the views, adopt what it left. */
  private async reloadState(): Promise<void> {
    if (!this.engineStarted) return;
    try {
      const engine = await this.engine();
      if (await engine.store.reloadIfChanged()) this.backfillsChanged.fire({});
      if (this.orphans(engine).length > 0) void this.adoptOrphans();
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
    this.disposed = true;
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    if (this.adoptionTimer) clearTimeout(this.adoptionTimer);
    vscode.Disposable.from(...this.disposables).dispose();
    void this.workspaceInstance?.close().catch((e) => this.log.error('closing the state store failed', e));
  }
}
