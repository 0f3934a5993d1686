// One workspace's backfill engine: its definitions, its state store and the daemon that runs backfills.
// The CLI and the extension both go through this class, so they share behaviour and the state file.
import * as path from 'node:path';
import type { BackfillRecord } from '../backfill/backfill';
import { BackfillDaemon, type CancelRoute, type PauseRoute } from '../backfill/backfillDaemon';
import type { LaunchOptions } from '../backfill/launchOptions';
import { BackfillPlanError, planBackfill, type BackfillPlan } from '../backfill/planBackfill';
import type { PlanRequest } from '../backfill/savedPlanFile';
import { selectTargets } from '../backfill/targetSelection';
import { systemClock, type Clock } from '../clock';
import { CommandRunLauncher } from '../coordinator/commandRunLauncher';
import { DagsterRunLauncher } from '../coordinator/dagsterRunLauncher';
import { TargetRunLauncher } from '../coordinator/targetRunLauncher';
import { RunCoordinator } from '../coordinator/runCoordinator';
import { definitionName, type CommandTarget, type Definition, type DefinitionsSnapshot, type SourceFiles } from '../definitions/definition';
import { openStateStore } from '../storage/openStateStore';
import { RunLogFiles } from '../storage/runLogFiles';
import { pruneBackfills, type PruneReport, type RetentionPolicy } from '../backfill/backfillRetention';
import type { StateStore } from '../storage/stateStore';
import type { DiscoveredDefinitions } from '../definitions/assembleDefinitions';
import type { DefinitionsDiscovery } from '../definitions/definitionsDiscovery';
import type { Disposable } from '../emitter';
import { dynamicPartitionsNames } from '../partitions/dynamicPartitionsNames';
import type { DagsterStatusPoller } from '../status/dagsterStatusPoller';
import { MergedPartitionStatuses } from '../status/mergedPartitionStatuses';
import type { DagsterStatusRefresh, DynamicPartitionsChange, PartitionStatusSource } from '../status/partitionStatusCache';
import { WorkspaceDefinitionLookup } from './workspaceDefinitionLookup';
import { discoverWorkspace } from './discoverWorkspace';
import { InProcessDiscovery } from './inProcessDiscovery';
import { bindDynamicPartitions } from './bindDynamicPartitions';
import { NodeSourceFiles } from './nodeSourceFiles';
import { WorkspaceDagsterInstance } from './workspaceDagsterInstance';
import { assertLocalBackfill } from '../deployment/localBackfillGuard';
import type { BackfillWorkspaceOptions } from './backfillWorkspaceOptions';

export type { BackfillWorkspaceOptions } from './backfillWorkspaceOptions';

export interface BackfillEngine {
  store: StateStore;
  daemon: BackfillDaemon;
  coordinator: RunCoordinator;
  /** The statuses every face shows: the store's records merged with the Dagster instance's (docs/instance-statuses.md). */
  statuses: MergedPartitionStatuses;
}

export class BackfillWorkspace {
  readonly root: string;
  readonly clock: Clock;
  private readonly files: SourceFiles;
  private readonly commandTargets = new Map<string, CommandTarget>();
  private snapshot: DefinitionsSnapshot | undefined;
  private readonly discovery: DefinitionsDiscovery;
  private enginePromise: Promise<BackfillEngine> | undefined;
  private adoptionStarted = false;
  private dagster: DagsterRunLauncher | undefined;
  private python: string;
  private readonly commandLauncher: CommandRunLauncher;
  /** Dagster's statuses and dynamic partitions keys, read through the status process of the current interpreter. */
  private readonly instance: WorkspaceDagsterInstance;
  private merged: MergedPartitionStatuses | undefined;
  /** Full run logs beside the state file, written by the daemon of whichever face runs the backfill. */
  readonly runLogs: RunLogFiles;
  private pruneTimer: NodeJS.Timeout | undefined;
  private pruning: Promise<unknown> | undefined;

  constructor(private readonly options: BackfillWorkspaceOptions) {
    this.root = path.resolve(options.root);
    this.lookup = new WorkspaceDefinitionLookup(() => this.snapshot, this.root);
    this.clock = options.clock ?? systemClock;
    this.files = options.files ?? new NodeSourceFiles(this.root);
    // In-process discovery is the CLI's: its thread has nothing else to do meanwhile, so reads may block it.
    this.discovery = options.discovery ?? new InProcessDiscovery(options.files ?? new NodeSourceFiles(this.root, { blockingReads: true }));
    this.python = options.python ?? 'python3';
    this.runLogs = new RunLogFiles(path.join(path.dirname(this.statePath), 'logs'), (e) => this.options.onStoreProblem?.(e.message));
    const workspace = this;
    const useSpawner = options.commandSpawner !== false && process.platform !== 'win32';
    this.commandLauncher = new CommandRunLauncher({
      workspaceRoot: this.root,
      targets: this.commandTargets,
      // The interpreter is read when the spawner starts, so a later choice of interpreter applies to the next one.
      ...(useSpawner ? { spawner: { get python() { return workspace.python; }, script: path.join(path.dirname(this.runnerScript), 'backfill_command_spawner.py') } } : {}),
    });
    this.instance = new WorkspaceDagsterInstance({
      workspaceRoot: this.root,
      runnerScript: this.runnerScript,
      clock: this.clock,
      definitions: () => this.snapshot,
      projectStore: async () => (await this.engine()).store,
      ...(options.runnerEnv ? { runnerEnv: options.runnerEnv } : {}),
      ...(options.mayRunCode ? { mayRunCode: options.mayRunCode } : {}),
      ...(options.onError ? { onError: options.onError } : {}),
    }, this.python);
  }

  get pythonInterpreter(): string {
    return this.python;
  }

  /** The interpreter Dagster runs use from now on; warm workers of the previous one are retired. */
  setPythonInterpreter(python: string): void {
    if (python === this.python) return;
    this.python = python;
    const old = this.dagster;
    this.dagster = undefined;
    void old?.retireAll();
    this.instance.setPython(python);
  }

  /** Definitions by name in the latest snapshot, for launchers (per run), plans and faces. */
  private readonly lookup: WorkspaceDefinitionLookup;

  /** Targets by selection items, as a backfill selects them: a name two code locations define needs `location`. */
  selectTargets(items: readonly string[], location?: string): Definition[] {
    return this.lookup.select(items, location);
  }

  /** Built on first use and again after the interpreter changes, so the running engine's router always has the current one. */
  private dagsterLauncher(): DagsterRunLauncher {
    this.dagster ??= new DagsterRunLauncher({
      workspaceRoot: this.root,
      python: this.python,
      runnerScript: this.runnerScript,
      definition: this.lookup.named,
      maxWorkers: this.options.maxConcurrentRuns ?? 4,
      ...(this.options.runnerEnv ? { env: this.options.runnerEnv } : {}),
    });
    return this.dagster;
  }

  /** runner/ is copied beside the bundles (dist/engine.js, dist/cliCommands.js) by esbuild.mjs. */
  private get runnerScript(): string {
    return this.options.runnerScript ?? path.join(__dirname, 'runner', 'backfill_runner.py');
  }

  get statePath(): string {
    return path.join(this.root, this.options.stateFolder ?? '.backfills', 'state.sqlite');
  }

  /** The last discovered definitions, or undefined before the first refresh. */
  get definitions(): DefinitionsSnapshot | undefined {
    return this.snapshot;
  }

  /**
   * Discovers again. With `changedPaths` (workspace-relative), only those files are re-read and only the
   * definitions that depend on them are re-resolved; without, the whole workspace is read afresh.
   */
  async refreshDefinitions(changedPaths?: readonly string[]): Promise<DefinitionsSnapshot> {
    let python: DiscoveredDefinitions;
    try {
      python = changedPaths ? await this.discovery.update(changedPaths) : await this.discovery.load();
    } catch (e) {
      // Discovery itself failed (a crashed worker): the last definitions stay usable, and the failure is shown.
      const message = `Discovery failed, so these are the definitions found before: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}. The next refresh discovers again.`;
      python = { assets: this.snapshot?.assets ?? [], jobs: this.snapshot?.jobs ?? [], diagnostics: [{ location: { file: '', line: 1 }, severity: 'error', message }] };
    }
    // Warm workers hold the old code imported: the next Dagster runs must start from the new files.
    if (!changedPaths || changedPaths.some((p) => p.endsWith('.py'))) {
      void this.dagster?.retireAll();
      this.instance.retire();
    }
    const discovered = await discoverWorkspace(this.files, python);
    // Dynamic partitions read their keys from the instance once it answers, else from the project's store: bound
    // here, before anything asks a definition for keys (the store is attached when the engine opens).
    const snapshot = bindDynamicPartitions(discovered, this.instance.dynamicPartitions);
    this.snapshot = snapshot;
    this.commandTargets.clear();
    for (const t of snapshot.commandTargets) this.commandTargets.set(t.name, t);
    return snapshot;
  }

  /** Opens the state store and starts the engine on first use (loading sql.js is not free). */
  engine(): Promise<BackfillEngine> {
    this.enginePromise ??= (async () => {
      const problem = this.options.onStoreProblem ?? (() => undefined);
      const store = await openStateStore({
        path: this.statePath,
        owner: this.options.origin === 'cli' ? 'backfill CLI' : 'VS Code extension',
        onCorruptFile: (c) => problem(`The state file ${c.file} could not be read (${c.reason}); it was moved aside to ${c.movedTo} and a new one was started.`),
        onWriteError: (e) => problem(`Could not write the state file ${this.statePath}: ${e.message}. Changes are kept in memory and the write is retried.`),
        onWarning: problem,
        onWritable: (message) => this.options.onStoreNotice?.(message),
        ...(this.options.wasmPath ? { wasmPath: this.options.wasmPath } : {}),
      });
      this.instance.dynamicPartitions.setProjectStore(store);
      this.merged = new MergedPartitionStatuses(store, this.instance.cache.statuses);
      const coordinator = new RunCoordinator(this.options.maxConcurrentRuns ?? 4, this.options.onError, this.options.tagConcurrencyLimits ?? []);
      const dagster = this.dagsterLauncher.bind(this);
      const launcher = new TargetRunLauncher({
        definition: this.lookup.named,
        command: this.commandLauncher,
        // A forwarding launcher: the Dagster launcher behind it is replaced when the interpreter changes.
        dagster: { launch: (run, io) => dagster().launch(run, io), materialized: (run) => dagster().materialized(run), preflight: (runs) => dagster().preflight(runs) },
      });
      const onError = this.options.onError;
      const { mayRunCode } = this.options;
      const daemon = new BackfillDaemon({ store, coordinator, launcher, clock: this.clock, origin: this.options.origin, runLogs: this.runLogs, ...(onError ? { onError } : {}), ...(mayRunCode ? { mayRunCode } : {}) });
      // The daemon lives as long as this workspace: the subscription ends with it.
      if (this.options.onBackfillEvent) daemon.onEvent(this.options.onBackfillEvent);
      return { store, daemon, coordinator, statuses: this.merged };
    })();
    const retention = this.options.pruneOnStart;
    if (retention && this.pruneTimer === undefined && this.pruning === undefined) {
      // Off the start path: the engine serves first; the prune reads the log folder and rewrites the file.
      this.pruneTimer = setTimeout(() => {
        this.pruning = this.prune(retention.policy).catch((e: unknown) => this.options.onError?.(e));
      }, retention.delayMs);
      this.pruneTimer.unref();
    }
    const started = this.enginePromise;
    if (this.options.adoptOrphansOnStart !== false && !this.adoptionStarted) {
      this.adoptionStarted = true;
      void started.then(() => this.adoptOrphans()).catch((e: unknown) => this.options.onError?.(e));
    }
    // A store that could not open (say, a damaged file the user then repairs) is tried again next time.
    this.enginePromise.catch(() => (this.enginePromise = undefined));
    return this.enginePromise;
  }

  /** Targets by name, from `location` when given (see WorkspaceDefinitionLookup.find). */
  findTargets(names: readonly string[], location?: string): Definition[] {
    return this.lookup.find(names, location);
  }

  /**
   * The exact plan of a request against the merged partition statuses (the project's records and, when the
   * interpreter can import dagster, the instance's, refreshed first unless `refreshStatuses` is false): targets may
   * carry Dagster's `*` / `+` downstream suffixes; `now` (default: the clock) fixes which time partitions exist, so
   * a saved plan can be re-checked.
   */
  async planRequest(request: PlanRequest, now: Date = this.clock.now(), options: { refreshStatuses?: boolean } = {}): Promise<BackfillPlan> {
    if (!this.snapshot) throw new Error('definitions have not been discovered yet');
    const { statuses } = await this.engine();
    if (options.refreshStatuses !== false) {
      const before = this.snapshot;
      const selected = selectTargets([...before.commandTargets, ...before.assets, ...before.jobs], request.targets, this.root, request.location);
      // Dynamic keys come from one place for every definition (the instance when it answers), so they refresh everything.
      const dynamic = selected.some((d) => dynamicPartitionsNames(d.partitions).length > 0);
      await this.refreshDagsterStatuses(dynamic ? undefined : selected.map(definitionName));
    }
    // Read after the awaits: the snapshot the definitions are bound in, and the dynamic keys just read.
    const s = this.snapshot;
    const all: Definition[] = [...s.commandTargets, ...s.assets, ...s.jobs];
    const targets = selectTargets(all, request.targets, this.root, request.location);
    if (request.location !== undefined) this.lookup.choose(targets, request.location);
    return planBackfill(targets, request.selection, now, {
      reprocess: request.reprocess, statuses: (t) => statuses.partitionStatuses(t), known: all, protectedPartitions: s.protectedPartitions,
    });
  }

  /**
   * Reads the Dagster instance's statuses of every partitioned asset (of the code locations of `targets`, all
   * without) and the keys of every dynamic partitions definition. Never throws: a failure is the result's `error`
   * (the last good statuses are kept), a missing dagster its `dagsterMissing` (the project's records alone).
   */
  refreshDagsterStatuses(targets?: readonly string[]): Promise<DagsterStatusRefresh> {
    return this.instance.refresh(targets);
  }

  /** Fires after every refresh of Dagster's statuses, changed or not (faces say where statuses come from). */
  onDidRefreshDagsterStatuses(listener: (refresh: DagsterStatusRefresh) => void): Disposable {
    return this.instance.onDidRefresh(listener);
  }

  /** The merged statuses faces show, once the engine is open (undefined before: engine() opens it). */
  get partitionStatuses(): MergedPartitionStatuses | undefined {
    return this.merged;
  }

  /** Where the statuses come from now, and when not from Dagster, why ("statuses not shown because …"). */
  get partitionStatusSource(): PartitionStatusSource {
    return this.instance.source;
  }

  /** The same for one target (an asset, job or command target name): command targets and jobs read the project's records. */
  partitionStatusSourceOf(target: string): PartitionStatusSource {
    return this.instance.sourceOf(this.findTargets([target])[0]!);
  }

  /** Fires the targets whose Dagster statuses or dynamic partitions keys changed (the store's own changes come through the daemon). */
  onDidChangePartitionStatuses(listener: (targets: string[]) => void): Disposable {
    return this.instance.onDidChange(listener);
  }

  /** Polls Dagster's statuses while a view shows them (see DagsterStatusPoller); stopped by close(). */
  get statusPoller(): DagsterStatusPoller {
    return this.instance.statusPoller;
  }

  /**
   * Adds keys to the dynamic partitions `name` where they live: on the Dagster instance (the runner's
   * add_dynamic_partitions) when the interpreter can import dagster, else in the project's state store.
   * Throws a PartitionsError for invalid keys and a DagsterStatusError naming the instance when it refuses.
   */
  addDynamicPartitions(name: string, keys: readonly string[]): Promise<DynamicPartitionsChange> {
    return this.instance.changeDynamicPartitions(name, { add: keys });
  }

  /** Deletes keys of the dynamic partitions `name` where they live (see addDynamicPartitions); unknown keys are ignored. */
  deleteDynamicPartitions(name: string, keys: readonly string[]): Promise<DynamicPartitionsChange> {
    return this.instance.changeDynamicPartitions(name, { delete: keys });
  }

  /** The keys of the dynamic partitions `name`, read from where they live (the instance is asked first when it can be). */
  async dynamicPartitionKeys(name: string): Promise<DynamicPartitionsChange> {
    await this.engine();
    return this.instance.dynamicPartitionKeys(name);
  }

  /** Throws when the plan names a target that is not (or no longer) defined, or an asset Dagster cannot materialize. */
  assertLaunchable(plan: Pick<BackfillPlan, 'targets'>): void {
    const external = this.findTargets(plan.targets).filter((d) => d.kind === 'asset' && d.materializable === false).map(definitionName);
    if (external.length > 0) {
      throw new BackfillPlanError(`${external.join(', ')} ${external.length === 1 ? 'is an asset' : 'are assets'} Dagster declares or observes but cannot materialize (SourceAsset, AssetSpec, external or observable source asset); backfill the assets downstream of ${external.length === 1 ? 'it' : 'them'} instead`);
    }
  }

  /** Launches a plan with its options (tags, priority, order, retries, failure limit, run timeout), saved with it for resume and re-execute. */
  async launch(plan: BackfillPlan, options: LaunchOptions = {}): Promise<BackfillRecord> {
    this.assertLaunchable(plan);
    const { daemon } = await this.engine();
    return daemon.launch(plan, options);
  }

  /**
   * Adopts every backfill whose owning process died (see backfillOwnership.ts) and runs it on here; returns
   * the adopted ones. Definitions are discovered first, since the launcher needs the targets.
   */
  async adoptOrphans(): Promise<BackfillRecord[]> {
    const { daemon } = await this.engine();
    if (!this.snapshot) await this.refreshDefinitions();
    return daemon.adoptOrphans((b) => {
      try {
        this.assertLaunchable(b);
        return true;
      } catch {
        return false;
      }
    });
  }

  /**
   * Cancels a backfill wherever it runs: here; in another live process (CANCELING is written to the store
   * and its daemon acts on it within about a second); or, when its process died, here by adopting it.
   */
  async cancel(backfillId: string): Promise<CancelRoute> {
    const { daemon } = await this.engine();
    return daemon.cancelAnywhere(backfillId);
  }

  /**
   * Queued runs wait, running ones finish, wherever the backfill runs (here, in another process through the
   * store, or stored for whoever adopts an orphan); resolves once the pause is on disk. resume() continues it.
   */
  async pause(backfillId: string): Promise<PauseRoute> {
    const { daemon } = await this.engine();
    return daemon.pauseAnywhere(backfillId);
  }

  /** Continues a paused backfill, adopts one whose process died, or continues a CANCELED or FAILED one: what was never launched runs now. */
  async resume(backfillId: string): Promise<BackfillRecord> {
    const { daemon, store } = await this.engine();
    const stored = store.getBackfill(backfillId);
    if (stored) assertLocalBackfill(stored, 'resume');
    if (stored) this.assertLaunchable(stored);
    if (!this.snapshot) await this.refreshDefinitions();
    return daemon.resume(backfillId);
  }

  /** A new backfill, linked to a finished one, running all of its runs again or (fromFailure) those that did not succeed. */
  async reexecute(backfillId: string, fromFailure: boolean, options?: LaunchOptions): Promise<BackfillRecord> {
    const { daemon, store } = await this.engine();
    const stored = store.getBackfill(backfillId);
    if (stored) assertLocalBackfill(stored, 're-execute');
    if (stored) this.assertLaunchable(stored);
    return daemon.reexecute(backfillId, { fromFailure }, options);
  }

  /**
   * Removes finished backfills past `policy`'s age and the logs and events of the oldest past its size budget
   * (see backfillRetention.ts); with `dryRun`, only reports what it would remove.
   */
  async prune(policy: RetentionPolicy, dryRun = false): Promise<PruneReport> {
    const { store } = await this.engine();
    return pruneBackfills(store, this.runLogs, policy, this.clock.now().getTime(), dryRun);
  }

  async close(): Promise<void> {
    if (this.pruneTimer) clearTimeout(this.pruneTimer);
    await this.pruning;
    await Promise.all([this.dagster?.retireAll(), this.instance.close()]);
    this.commandLauncher.close();
    if (this.enginePromise) {
      const { store } = await this.enginePromise;
      await store.close();
    }
  }
}
