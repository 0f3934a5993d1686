// One workspace's backfill engine: its definitions, its state store and the daemon that runs backfills.
// The CLI and the extension both go through this class, so they share behaviour and the state file.
import * as path from 'node:path';
import type { BackfillRecord } from '../backfill/backfill';
import { BackfillDaemon } from '../backfill/backfillDaemon';
import { BackfillPlanError, planBackfill, type BackfillPlan, type PartitionSelection } from '../backfill/planBackfill';
import { systemClock, type Clock } from '../clock';
import { CommandRunLauncher } from '../coordinator/commandRunLauncher';
import { RunCoordinator } from '../coordinator/runCoordinator';
import { definitionName, type CommandTarget, type Definition, type DefinitionsSnapshot, type SourceFiles } from '../definitions/definition';
import { openStateStore } from '../storage/sqlJsStateStore';
import type { StateStore } from '../storage/stateStore';
import { DefinitionIndex } from '../definitions/definitionIndex';
import { discoverWorkspace } from './discoverWorkspace';
import { NodeSourceFiles } from './nodeSourceFiles';

export interface BackfillWorkspaceOptions {
  root: string;
  /** Relative to root; default ".backfills". */
  stateFolder?: string;
  maxConcurrentRuns?: number;
  origin: string;
  clock?: Clock;
  /** Where sql-wasm.wasm is; default: beside the bundle. */
  wasmPath?: string;
  files?: SourceFiles;
  onError?: (error: unknown) => void;
}

export interface BackfillEngine {
  store: StateStore;
  daemon: BackfillDaemon;
  coordinator: RunCoordinator;
}

export class BackfillWorkspace {
  readonly root: string;
  readonly clock: Clock;
  private readonly files: SourceFiles;
  private readonly commandTargets = new Map<string, CommandTarget>();
  private snapshot: DefinitionsSnapshot | undefined;
  private index: DefinitionIndex | undefined;
  private enginePromise: Promise<BackfillEngine> | undefined;

  constructor(private readonly options: BackfillWorkspaceOptions) {
    this.root = path.resolve(options.root);
    this.clock = options.clock ?? systemClock;
    this.files = options.files ?? new NodeSourceFiles(this.root);
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
    if (this.index && changedPaths) {
      const changes = await Promise.all(changedPaths.map(async (p) => ({ path: p, text: await this.files.read(p) })));
      this.index.update(changes);
    } else this.index = await DefinitionIndex.load(this.files);
    const snapshot = await discoverWorkspace(this.files, this.index);
    this.snapshot = snapshot;
    this.commandTargets.clear();
    for (const t of snapshot.commandTargets) this.commandTargets.set(t.name, t);
    return snapshot;
  }

  /** Opens the state store and starts the engine on first use (loading sql.js is not free). */
  engine(): Promise<BackfillEngine> {
    this.enginePromise ??= (async () => {
      const store = await openStateStore({ path: this.statePath, ...(this.options.wasmPath ? { wasmPath: this.options.wasmPath } : {}) });
      const coordinator = new RunCoordinator(this.options.maxConcurrentRuns ?? 4, this.options.onError);
      const launcher = new CommandRunLauncher({ workspaceRoot: this.root, targets: this.commandTargets });
      const daemon = new BackfillDaemon({ store, coordinator, launcher, clock: this.clock, origin: this.options.origin });
      return { store, daemon, coordinator };
    })();
    // A store that could not open (say, a damaged file the user then repairs) is tried again next time.
    this.enginePromise.catch(() => (this.enginePromise = undefined));
    return this.enginePromise;
  }

  /** Targets by name (asset key "a/b", job or command target name); unknown names are an error listing the known ones. */
  findTargets(names: readonly string[]): Definition[] {
    const s = this.snapshot;
    if (!s) throw new Error('definitions have not been discovered yet');
    const all: Definition[] = [...s.commandTargets, ...s.assets, ...s.jobs];
    return names.map((name) => {
      const found = all.find((d) => definitionName(d) === name);
      if (!found) {
        const known = all.map(definitionName).join(', ') || 'none';
        throw new BackfillPlanError(`no asset, job or command target named ${JSON.stringify(name)} in ${this.root} (known: ${known})`);
      }
      return found;
    });
  }

  plan(names: readonly string[], selection: PartitionSelection): BackfillPlan {
    return planBackfill(this.findTargets(names), selection, this.clock.now());
  }

  /** Throws when the plan has targets no launcher here can run: only command targets until the Dagster launcher exists. */
  assertLaunchable(plan: BackfillPlan): void {
    const dagsterTargets = this.findTargets(plan.targets).filter((d) => d.kind !== 'command');
    if (dagsterTargets.length > 0) {
      throw new BackfillPlanError(
        `${dagsterTargets.map(definitionName).join(', ')} ${dagsterTargets.length === 1 ? 'is a Dagster definition' : 'are Dagster definitions'}; this version runs command targets from backfills.yaml only (running Dagster assets and jobs needs the Python runner, not yet included)`,
      );
    }
  }

  async launch(plan: BackfillPlan): Promise<BackfillRecord> {
    this.assertLaunchable(plan);
    const { daemon } = await this.engine();
    return daemon.launch(plan);
  }

  async close(): Promise<void> {
    if (this.enginePromise) {
      const { store } = await this.enginePromise;
      await store.close();
    }
  }
}
