// WorkspaceDagsterInstance: one workspace's link to its Dagster instance: the status process of the current
// interpreter, Dagster's statuses and dynamic partitions keys, their polling, and the trust gate on all of it.
import { systemClock, type Clock } from '../clock';
import { DagsterStatusReader } from '../coordinator/dagsterStatusReader';
import type { Definition, DefinitionsSnapshot } from '../definitions/definition';
import { Emitter, type Disposable } from '../emitter';
import type { DynamicPartitionsStore } from '../partitions/dynamicPartitionsDefinition';
import { DagsterStatusPoller } from '../status/dagsterStatusPoller';
import { PartitionStatusCache, type DagsterStatusRefresh, type DynamicPartitionsChange, type PartitionStatusSource } from '../status/partitionStatusCache';

export interface WorkspaceDagsterInstanceOptions {
  workspaceRoot: string;
  runnerScript: string;
  runnerEnv?: NodeJS.ProcessEnv;
  clock: Clock;
  definitions(): DefinitionsSnapshot | undefined;
  /** The project's state store (opened on demand): dynamic partitions without dagster. */
  projectStore: PartitionStatusCacheProjectStore;
  /** Whether the workspace's code may run now (see BackfillWorkspaceOptions.mayRunCode). */
  mayRunCode?: () => boolean;
  onError?: (error: unknown) => void;
}

type PartitionStatusCacheProjectStore = ConstructorParameters<typeof PartitionStatusCache>[0]['projectStore'];

export class WorkspaceDagsterInstance {
  readonly cache: PartitionStatusCache;
  private reader: DagsterStatusReader | undefined;
  private poller: DagsterStatusPoller | undefined;
  private readonly refreshed = new Emitter<DagsterStatusRefresh>();
  /** Fires after every refresh of Dagster's statuses, changed or not (faces say where statuses come from). */
  readonly onDidRefresh = this.refreshed.event;

  constructor(private readonly options: WorkspaceDagsterInstanceOptions, private python: string) {
    this.cache = new PartitionStatusCache({
      workspaceRoot: options.workspaceRoot,
      reader: () => this.statusReader(),
      definitions: options.definitions,
      now: () => options.clock.now(),
      projectStore: options.projectStore,
    });
  }

  /** Dynamic partitions keys, wherever they live: definitions are bound to this at discovery. */
  get dynamicPartitions(): DynamicPartitionsStore & { setProjectStore(store: DynamicPartitionsStore): void } {
    return this.cache.dynamicPartitions;
  }

  /** A new interpreter: a missing dagster belonged to the old one, so the new one is asked afresh. */
  setPython(python: string): void {
    this.python = python;
    this.retire();
  }

  /** The status process imported the old code: the next request starts a new one. */
  retire(): void {
    const reader = this.reader;
    this.reader = undefined;
    void reader?.retire();
  }

  /** The status process client of the current interpreter, made on first use (it starts no process until asked). */
  private statusReader(): DagsterStatusReader {
    this.reader ??= new DagsterStatusReader({
      python: this.python, script: this.options.runnerScript, cwd: this.options.workspaceRoot,
      ...(this.options.runnerEnv ? { env: this.options.runnerEnv } : {}),
    });
    return this.reader;
  }

  private get mayRunCode(): boolean {
    return this.options.mayRunCode?.() !== false;
  }

  /** See BackfillWorkspace.refreshDagsterStatuses. */
  refresh(targets?: readonly string[]): Promise<DagsterStatusRefresh> {
    if (!this.mayRunCode) return Promise.resolve({ changedTargets: [] });
    const refresh = this.cache.refresh(targets);
    void refresh.then((r) => this.refreshed.fire(r), () => undefined);
    return refresh;
  }

  get source(): PartitionStatusSource {
    return this.cache.source();
  }

  sourceOf(d: Definition): PartitionStatusSource {
    return this.cache.sourceOf(d);
  }

  onDidChange(listener: (targets: string[]) => void): Disposable {
    return this.cache.onDidChange(listener);
  }

  /** Polls Dagster's statuses while a view shows them (see DagsterStatusPoller); made on first use, stopped by close(). */
  get statusPoller(): DagsterStatusPoller {
    this.poller ??= new DagsterStatusPoller({
      clock: this.options.clock.setTimer ? this.options.clock : systemClock,
      refresh: async () => (await this.refresh()).changedTargets.length > 0,
      ...(this.options.onError ? { onError: this.options.onError } : {}),
    });
    return this.poller;
  }

  /** Adds or deletes keys where the dynamic partitions live; refused where the workspace's code may not run. */
  changeDynamicPartitions(name: string, change: { add?: readonly string[]; delete?: readonly string[] }): Promise<DynamicPartitionsChange> {
    if (!this.mayRunCode) {
      const verb = change.add?.length ? 'added' : 'deleted';
      return Promise.reject(new Error(`partitions are ${verb} only in a trusted workspace: changing them runs the workspace's Python interpreter`));
    }
    return this.cache.changeDynamicPartitions(name, change);
  }

  /** The keys of the dynamic partitions `name`, read from where they live (the instance is asked first when it can be). */
  async dynamicPartitionKeys(name: string): Promise<DynamicPartitionsChange> {
    const refreshed = await this.refresh();
    const dynamic = this.cache.dynamicPartitions;
    const keys = dynamic.dynamicPartitionKeys(name);
    if (dynamic.sourceOf(name) === 'instance') return { name, keys, source: 'instance', instance: this.cache.statuses.instance };
    const source = this.cache.source();
    return { name, keys, source: 'project', reason: refreshed.error ?? (source.kind === 'project' ? source.reason : 'the Dagster instance has not answered') };
  }

  async close(): Promise<void> {
    this.poller?.stop();
    await this.reader?.retire();
  }
}
