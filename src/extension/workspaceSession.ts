// The extension's view of one workspace folder: lazily discovered definitions, the lazily opened
// engine, the adoption of backfills a closed or reloaded window left running, and change events that
// the tree views, code lenses and panels listen to.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { isOrphaned } from '../core/backfill/backfillOwnership';
import type { DefinitionsSnapshot } from '../core/definitions/definition';
import type { DagsterDeployment } from '../core/deployment/dagsterGraphqlClient';
import type { RemoteBackfills } from '../core/deployment/remoteBackfills';
import type { DynamicPartitionsChange, PartitionStatusSource } from '../core/status/partitionStatusCache';
import type { MergedPartitionStatuses } from '../core/status/mergedPartitionStatuses';
import type { BackfillEngine, BackfillWorkspace } from '../core/workspace/backfillWorkspace';
import type { WorkerDiscovery } from '../core/workspace/workerDiscovery';
import { deploymentConnections } from './deploymentConnections';
import { configuredDeployments } from './deploymentSettings';
import { DeploymentStatuses } from './deploymentStatuses';
import type { DeploymentTokens } from './deploymentTokens';
import { engineModule } from './engineModule';
import { PythonEnvironment } from './pythonEnvironment';
import { PRUNE_DELAY_MS, retentionPolicy } from './retentionSetting';
import { describeStatusSource } from './statusSourceText';
import { StatusViewVisibility } from './statusViewVisibility';

export class WorkspaceSession implements vscode.Disposable {
  private workspaceInstance: BackfillWorkspace | undefined;
  /** Discovery's worker thread: started by the first request for definitions, ended with the session. */
  private discovery: WorkerDiscovery | undefined;
  private discoveryFailureShown = false;
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

  private engineStartedFlag = false;
  private disposed = false;
  /** Views that show partition statuses report here; Dagster's statuses are polled only while one is visible. */
  readonly statusViews = new StatusViewVisibility();
  private pollingWhileVisible: { dispose(): void } | undefined;
  private readonly statusSourceChanged = new vscode.EventEmitter<PartitionStatusSource>();
  /** Fires when where statuses come from changes (the instance answered, dagster is missing, a read failed). */
  readonly onDidChangeStatusSource = this.statusSourceChanged.event;
  private lastSourceText: string | undefined;
  private readonly disposing = new vscode.EventEmitter<void>();
  /** Fires as the session ends (its folder left the workspace, the extension deactivates): its panels close with it. */
  readonly onDidDispose = this.disposing.event;

  /** The interpreter Dagster work uses here and its Dagster version, resolved when the engine is built. */
  readonly python: PythonEnvironment;
  private remoteBackfillsInstance: RemoteBackfills | undefined;
  /** Problems of backfillStudio.deployments already warned about: each is shown once, not at every read. */
  private readonly deploymentProblemsShown = new Set<string>();
  /** Statuses from the deployment backfillStudio.statusDeployment names, for the lenses and the partitions panel. */
  readonly deploymentStatuses: DeploymentStatuses;

  constructor(
    readonly folder: vscode.WorkspaceFolder,
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
    /** Dagster+ tokens (SecretStorage), for the deployments backfills run on. */
    readonly deploymentTokens: DeploymentTokens,
  ) {
    this.python = new PythonEnvironment(folder, log, (interpreterPath) => this.workspaceInstance?.setPythonInterpreter(interpreterPath));
    this.deploymentStatuses = new DeploymentStatuses(folder, log, {
      anyVisible: () => this.statusViews.anyVisible,
      deployments: () => this.deployments(),
      connect: (deployment) => this.remoteBackfills.connect(deployment),
    });
    this.disposables.push(this.python, this.deploymentStatuses,
      this.definitionsChanged.event(() => this.deploymentStatuses.invalidate()),
      this.backfillsChanged.event(() => this.deploymentStatuses.invalidate()));
  }

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
      const engine = engineModule();
      this.discovery = new engine.WorkerDiscovery({
        root: this.folder.uri.fsPath,
        workerScript: vscode.Uri.joinPath(this.extensionUri, 'dist', 'discoveryWorker.js').fsPath,
        // The workspace turns the failed request into a diagnostic; every failure is logged, and the first one of
        // the session is shown (a worker failing on every save must not pile up notifications).
        onWorkerFailure: (message) => {
          this.log.error(message);
          if (this.discoveryFailureShown) return;
          this.discoveryFailureShown = true;
          void vscode.window.showWarningMessage('Backfill Studio: discovering definitions failed (see the Backfill Studio output). The next change or refresh discovers again.');
        },
      });
      this.disposables.push(this.discovery);
      this.workspaceInstance = new engine.BackfillWorkspace({
        root: this.folder.uri.fsPath,
        discovery: this.discovery,
        origin: 'extension',
        stateFolder: config.get<string>('stateFolder', '.backfills'),
        maxConcurrentRuns: config.get<number>('maxConcurrentRuns', 4),
        // Deleting history runs no code, but a restricted window ignores the folder's values of these settings (manifest).
        pruneOnStart: { policy: retentionPolicy(config), delayMs: PRUNE_DELAY_MS },
        // The session adopts (adoptOrphans below): only in a trusted folder, and discovering only when there is an orphan.
        adoptOrphansOnStart: false,
        // Reading Dagster's statuses imports the code location: never in a restricted (untrusted) window.
        mayRunCode: () => vscode.workspace.isTrusted,
        wasmPath: vscode.Uri.joinPath(this.extensionUri, 'dist', 'sql-wasm.wasm').fsPath,
        onError: (e) => this.log.error('run coordinator error', e),
        onStoreProblem: (message) => {
          this.log.warn(message);
          void vscode.window.showWarningMessage(`Backfill Studio: ${message}`);
        },
        // Launches, pauses, cancels, failed runs and ends, from the daemon's first moment (a launch may be what starts it).
        onBackfillEvent: (e) => {
          const { level, message } = engine.describeBackfillEvent(e);
          this.log[level](message);
        },
        onStoreNotice: (message) => {
          this.log.info(message);
          void vscode.window.showInformationMessage(`Backfill Studio: ${message}`);
        },
      });
      this.watch();
      // Dagster runs use the interpreter the user chose (Python extension, setting, python3), kept current as it changes.
      this.python.start();
    }
    return this.workspaceInstance;
  }

  /** Backfills on Dagster deployments, recorded in this folder's store; built on first use (loads the engine bundle). */
  get remoteBackfills(): RemoteBackfills {
    this.remoteBackfillsInstance ??= deploymentConnections(engineModule(), {
      store: () => this.workspace.engine().then((e) => e.store),
      tokens: this.deploymentTokens,
      onDidWrite: (backfillId) => this.backfillsChanged.fire({ backfillId }),
    });
    return this.remoteBackfillsInstance;
  }

  /** The deployments configured for this folder (backfillStudio.deployments), without tokens; bad entries warned about once. */
  deployments(): DagsterDeployment[] {
    return configuredDeployments(this.folder, this.log, this.deploymentProblemsShown);
  }

  /** The worker thread that discovered the current definitions (its threadId; the host's is 0), for the tests. */
  get discoveryThreadId(): number | undefined {
    return this.discovery?.lastThreadId;
  }

  /** Whether the engine (the store, the daemon) has been opened: faces that span folders read only these. */
  get engineStarted(): boolean {
    return this.engineStartedFlag;
  }

  /** A panel's title, naming the folder when the workspace has several (the same target may be in two). */
  titled(title: string): string {
    return (vscode.workspace.workspaceFolders?.length ?? 0) > 1 ? `${title} · ${this.folder.name}` : title;
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
        this.log.info(`discovered ${s.assets.length} assets, ${s.jobs.length} jobs, ${s.commandTargets.length} command targets, ${s.diagnostics.length} diagnostics (in the discovery worker, thread ${this.discovery?.lastThreadId ?? 'none'})`);
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
    if (!this.engineStartedFlag) {
      this.engineStartedFlag = true;
      const workspace = this.workspace;
      const subs = [
        engine.daemon.onDidChange((e) => {
          this.backfillsChanged.fire({ backfillId: e.backfillId });
          // A run of ours ended or started: Dagster's view changed too, so look soon rather than at the backed-off time.
          if (e.backfillId) workspace.statusPoller.poke();
        }),
        engine.daemon.onDidLog((e) => this.runLogged.fire(e)),
        // Dagster's statuses (or dynamic keys) changed: every face that shows statuses redraws from the merged view.
        workspace.onDidChangePartitionStatuses(() => this.backfillsChanged.fire({})),
        workspace.onDidRefreshDagsterStatuses(() => this.noteStatusSource()),
      ];
      this.disposables.push({ dispose: () => subs.forEach((s) => s.dispose()) });
      this.followStatusViews();
      void this.adoptOrphans();
    }
    return engine;
  }

  /** The statuses faces show (the project's records merged with the Dagster instance's); opens the engine. */
  async partitionStatuses(): Promise<MergedPartitionStatuses> {
    return (await this.engine()).statuses;
  }

  /** Where statuses come from, in the words the panels and the Definitions view show. */
  statusSourceText(): string {
    return describeStatusSource(this.workspace.partitionStatusSource, vscode.workspace.isTrusted);
  }

  /** Adds keys to dynamic partitions where they live (the instance through the runner, else the project's store), then tells the views. */
  async addDynamicPartitions(name: string, keys: readonly string[]): Promise<DynamicPartitionsChange & { where: string }> {
    const change = await this.workspace.addDynamicPartitions(name, keys);
    this.backfillsChanged.fire({});
    return { ...change, where: change.source === 'instance' ? `Dagster instance ${change.instance ?? ''}`.trim() : `this project's store (${change.reason ?? 'no Dagster'})` };
  }

  /**
   * Polling runs while a status view is visible, and only in a trusted folder: reading Dagster's statuses imports
   * the workspace's code location in the runner.
   */
  private followStatusViews(): void {
    const poller = this.workspace.statusPoller;
    const apply = (visible: boolean) => {
      if (visible && vscode.workspace.isTrusted && !this.disposed) this.pollingWhileVisible ??= poller.viewVisible();
      else {
        this.pollingWhileVisible?.dispose();
        this.pollingWhileVisible = undefined;
      }
    };
    if (vscode.workspace.isTrusted) poller.start();
    apply(this.statusViews.anyVisible);
    this.disposables.push(
      this.statusViews.onDidChange(apply),
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        poller.start();
        apply(this.statusViews.anyVisible);
      }),
      // Back from another window (where Dagster's UI or a terminal may have run something): look now.
      vscode.window.onDidChangeWindowState((w) => {
        if (w.focused) poller.poke();
      }),
      { dispose: () => { poller.stop(); apply(false); } },
    );
  }

  /** Says once per change where statuses come from: in the Output channel, and to views through onDidChangeStatusSource. */
  private noteStatusSource(): void {
    const source = this.workspace.partitionStatusSource;
    const text = describeStatusSource(source, vscode.workspace.isTrusted);
    if (text === this.lastSourceText) return;
    this.lastSourceText = text;
    if (source.kind === 'instance' && !source.error) this.log.info(text);
    else this.log.warn(text);
    this.statusSourceChanged.fire(source);
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
    if (!this.engineStartedFlag) return;
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
    if (this.disposed) return;
    this.disposed = true;
    this.disposing.fire();
    this.disposing.dispose();
    this.statusViews.dispose();
    this.statusSourceChanged.dispose();
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    if (this.adoptionTimer) clearTimeout(this.adoptionTimer);
    vscode.Disposable.from(...this.disposables).dispose();
    void this.workspaceInstance?.close().catch((e) => this.log.error('closing the state store failed', e));
  }
}
