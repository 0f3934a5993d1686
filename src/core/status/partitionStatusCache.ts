// The workspace's copy of what its Dagster instance knows (Dagster's partition status cache, seen from here): asks
// the status reader for every partitioned asset of each code location and every dynamic partitions definition's
// keys, applies the answers, one refresh at a time; and changes dynamic partitions where their keys live.
import { DagsterStatusError, type DagsterStatusReader } from '../coordinator/dagsterStatusReader';
import { definitionName, type Definition, type DefinitionCodeLocation, type DefinitionsSnapshot } from '../definitions/definition';
import { Emitter } from '../emitter';
import { validateDynamicPartitionKeys, type DynamicPartitionsStore } from '../partitions/dynamicPartitionsDefinition';
import { partitionKeyIndexOfList } from '../partitions/partitionKeyIndex';
import { dynamicPartitionsNames } from '../partitions/dynamicPartitionsNames';
import type { PartitionKeyIndex, PartitionsDefinition } from '../partitions/partitionsDefinition';
import { InstanceDynamicPartitions, type DynamicPartitionsSource } from './instanceDynamicPartitions';
import { InstancePartitionStatuses } from './instancePartitionStatuses';
import { instanceWhere, statusFailureMessage } from './statusFailureMessage';

export interface PartitionStatusCacheOptions {
  workspaceRoot: string;
  /** The status reader of the current interpreter (a new one after the interpreter changes). */
  reader(): DagsterStatusReader;
  definitions(): DefinitionsSnapshot | undefined;
  /** Which partitions exist (the workspace clock). */
  now(): Date;
  /** The store's clock, which `asOf` must be comparable with (default Date.now). */
  wallNow?(): number;
  /** The project's state store (opened on demand): dynamic partitions without dagster. */
  projectStore(): Promise<DynamicPartitionsStore & { addDynamicPartitions(name: string, keys: readonly string[]): void; deleteDynamicPartition(name: string, key: string): void }>;
}

/** What one refresh did: the targets whose statuses or keys changed, and why it could not read (all) statuses. */
export interface DagsterStatusRefresh {
  changedTargets: string[];
  /** A failed request, naming the instance and the fix; the last good statuses are kept. */
  error?: string;
  /** The runner's message when the interpreter cannot import dagster: statuses are the project's records alone. */
  dagsterMissing?: string;
  /** The instance answered from (its DAGSTER_HOME). */
  instance?: string;
  /** Ranges of Dagster's answer whose keys the definitions here do not have (left out). */
  dropped?: string[];
}

/** Where the statuses faces show come from, and why not from Dagster when not. */
export type PartitionStatusSource =
  | { kind: 'instance'; instance: string | null; asOf: number; error?: string }
  | { kind: 'project'; reason: string; dagsterMissing?: true };

export interface DynamicPartitionsChange {
  name: string;
  /** The keys after the change, in insertion order. */
  keys: string[];
  source: DynamicPartitionsSource;
  instance?: string | null;
  /** Why the project's store (no dagster). */
  reason?: string;
}

interface LocationRequest {
  key: string;
  location: DefinitionCodeLocation;
  assets: string[];
}

export class PartitionStatusCache {
  readonly statuses = new InstancePartitionStatuses();
  readonly dynamicPartitions = new InstanceDynamicPartitions();
  private readonly changed = new Emitter<string[]>();
  /** Fires the targets whose statuses or dynamic keys changed. */
  readonly onDidChange = this.changed.event;
  private running: Promise<DagsterStatusRefresh> | undefined;
  private queued: { promise: Promise<DagsterStatusRefresh>; targets: Set<string> | undefined } | undefined;
  /** Key indexes by definition (its JSON: equal definitions of many assets share one) and what their keys depend on. */
  private indexes = new Map<string, { signature: string; index: PartitionKeyIndex }>();

  constructor(private readonly options: PartitionStatusCacheOptions) {}

  /** Refreshes the code locations of `targets` (all without); a call during a refresh is served by one refresh right after it. */
  refresh(targets?: readonly string[]): Promise<DagsterStatusRefresh> {
    if (!this.running) return this.run(targets);
    if (this.queued) {
      if (!targets) this.queued.targets = undefined;
      else for (const t of targets) this.queued.targets?.add(t);
      return this.queued.promise;
    }
    const queued: { promise: Promise<DagsterStatusRefresh>; targets: Set<string> | undefined } = { promise: undefined!, targets: targets ? new Set(targets) : undefined };
    queued.promise = this.running.then(() => {
      this.queued = undefined;
      return this.run(queued.targets ? [...queued.targets] : undefined);
    });
    this.queued = queued;
    return queued.promise;
  }

  source(): PartitionStatusSource {
    const s = this.options.definitions();
    if (!s || !hasDagsterDefinitions(s)) return { kind: 'project', reason: 'the workspace has no Dagster assets or jobs' };
    const missing = this.options.reader().dagsterMissing;
    if (missing !== undefined) return { kind: 'project', reason: missing, dagsterMissing: true };
    const asOf = this.statuses.lastAnswerAt;
    const error = this.statuses.lastError;
    if (asOf === undefined) return { kind: 'project', reason: error ?? 'the Dagster instance has not been read yet' };
    return { kind: 'instance', instance: this.statuses.instance, asOf, ...(error ? { error } : {}) };
  }

  /** Where one definition's statuses come from: Dagster's are read for partitioned assets only. */
  sourceOf(d: Definition): PartitionStatusSource {
    const name = definitionName(d);
    if (d.kind === 'command') return { kind: 'project', reason: `${name} is a command target: the project's runs are its only records` };
    if (d.kind === 'job') return { kind: 'project', reason: `${name} is a job: Dagster keeps partition statuses per asset` };
    if (!d.partitions) return { kind: 'project', reason: `${name} is not partitioned: Dagster's statuses are read for partitioned assets` };
    const overall = this.source();
    if (overall.kind === 'project' || this.statuses.get(name)) return overall;
    const error = this.statuses.assetError(name);
    return { kind: 'project', reason: error ? `the Dagster instance could not give its statuses: ${error}` : `the Dagster instance has not answered for ${name} yet` };
  }

  /** Adds and deletes keys where dynamic partitions live: the instance when dagster is importable, else the project's store. */
  async changeDynamicPartitions(name: string, change: { add?: readonly string[]; delete?: readonly string[] }): Promise<DynamicPartitionsChange> {
    validateDynamicPartitionKeys(name, change.add ?? []);
    validateDynamicPartitionKeys(name, change.delete ?? []);
    const s = this.options.definitions();
    const reader = this.options.reader();
    if (!s || !hasDagsterDefinitions(s)) return this.changeInProject(name, change, 'the workspace has no Dagster assets or jobs');
    if (reader.dagsterMissing !== undefined) return this.changeInProject(name, change, reader.dagsterMissing);
    try {
      const answer = await reader.dynamicPartitions({
        workspaceRoot: this.options.workspaceRoot, name, ...(change.add?.length ? { add: [...change.add] } : {}), ...(change.delete?.length ? { delete: [...change.delete] } : {}),
      });
      this.fire(this.usersOf(this.dynamicPartitions.useInstance({ [name]: answer.keys })));
      return { name, keys: answer.keys, source: 'instance', instance: answer.instance };
    } catch (e) {
      if (!(e instanceof DagsterStatusError)) throw e;
      if (e.failure === 'dagster-missing') {
        this.toProject();
        return this.changeInProject(name, change, e.message);
      }
      const verb = change.add?.length ? (change.delete?.length ? 'change' : 'add') : change.delete?.length ? 'delete' : 'read';
      throw new DagsterStatusError(`Could not ${verb} the dynamic partitions "${name}" on ${instanceWhere(e.instance ?? this.statuses.instance)}: ${e.message}. Nothing was changed.`, e.failure, e.instance);
    }
  }

  private async changeInProject(name: string, change: { add?: readonly string[]; delete?: readonly string[] }, reason: string): Promise<DynamicPartitionsChange> {
    const store = await this.options.projectStore();
    if (change.add?.length) store.addDynamicPartitions(name, change.add);
    for (const key of change.delete ?? []) store.deleteDynamicPartition(name, key);
    this.dynamicPartitions.projectChanged();
    this.fire(this.usersOf([name]));
    return { name, keys: store.dynamicPartitionKeys(name), source: 'project', reason };
  }

  private run(targets: readonly string[] | undefined): Promise<DagsterStatusRefresh> {
    const running = this.refreshNow(targets).finally(() => {
      if (this.running === running) this.running = undefined;
    });
    this.running = running;
    return running;
  }

  private async refreshNow(targets: readonly string[] | undefined): Promise<DagsterStatusRefresh> {
    const s = this.options.definitions();
    if (!s) return { changedTargets: [] };
    const requests = locationRequests(s, targets);
    if (requests.length === 0) return { changedTargets: [] };
    const reader = this.options.reader();
    if (reader.dagsterMissing !== undefined) return { changedTargets: this.fire(this.toProject()), dagsterMissing: reader.dagsterMissing };
    const names = [...new Set(allDefinitions(s).flatMap((d) => dynamicPartitionsNames(d.partitions)))];
    const changed = new Set<string>();
    const dropped: string[] = [];
    const used = new Map<string, { signature: string; index: PartitionKeyIndex }>();
    const assets = new Map(s.assets.map((a) => [definitionName(a), a]));
    for (const r of requests) {
      const asOf = (this.options.wallNow ?? Date.now)();
      let answer;
      try {
        answer = await reader.status({ workspaceRoot: this.options.workspaceRoot, location: r.location, assets: r.assets, dynamicPartitions: names, cursor: this.statuses.cursor(r.key, r.assets) });
      } catch (e) {
        if (e instanceof DagsterStatusError && e.failure === 'dagster-missing') {
          for (const t of this.toProject()) changed.add(t);
          return { changedTargets: this.fire([...changed]), dagsterMissing: e.message };
        }
        const error = statusFailureMessage(e, r.location, this.statuses.instance, this.statuses.size > 0);
        this.statuses.fail(error, asOf);
        return { changedTargets: this.fire([...changed]), error, ...(this.statuses.instance ? { instance: this.statuses.instance } : {}) };
      }
      for (const t of this.usersOf(this.dynamicPartitions.useInstance(answer.dynamicPartitions))) changed.add(t);
      const applied = this.statuses.apply(r.key, r.assets, answer, asOf, (asset) => this.keyIndex(assets.get(asset)?.partitions ?? null, used));
      for (const t of applied.changedAssets) changed.add(t);
      dropped.push(...applied.dropped);
    }
    // Only the definitions still in use keep their index.
    this.indexes = used;
    const instance = this.statuses.instance;
    return { changedTargets: this.fire([...changed]), ...(instance ? { instance } : {}), ...(dropped.length ? { dropped } : {}) };
  }

  /** dagster is gone: the project's records and keys alone; returns the targets that changed. */
  private toProject(): string[] {
    const changed = new Set(this.statuses.clear());
    if (this.dynamicPartitions.useProject()) for (const t of this.usersOf(null)) changed.add(t);
    return [...changed];
  }

  private fire(targets: string[]): string[] {
    if (targets.length > 0) this.changed.fire(targets);
    return targets;
  }

  /** Targets whose partitions use one of `names` (any dynamic ones with null). */
  private usersOf(names: readonly string[] | null): string[] {
    if (names !== null && names.length === 0) return [];
    const s = this.options.definitions();
    if (!s) return [];
    return allDefinitions(s).filter((d) => dynamicPartitionsNames(d.partitions).some((n) => names === null || names.includes(n))).map(definitionName);
  }

  /**
   * The asset's key index now: the same object while its keys are the same (so held statuses need not move), and
   * a listed one (a key array and a map), since the merged view turns every held position into its key.
   */
  private keyIndex(partitions: PartitionsDefinition | null, used: Map<string, { signature: string; index: PartitionKeyIndex }>): PartitionKeyIndex | undefined {
    if (!partitions) return undefined;
    const now = this.options.now();
    try {
      const key = JSON.stringify(partitions.toJSON());
      const signature = `${partitions.count(now)}:${this.dynamicPartitions.generation}`;
      let held = used.get(key) ?? this.indexes.get(key);
      if (!held || held.signature !== signature) held = { signature, index: partitionKeyIndexOfList(partitions.keys(now), partitions.describe()) };
      used.set(key, held);
      return held.index;
    } catch {
      return undefined;
    }
  }
}

function allDefinitions(s: DefinitionsSnapshot): Definition[] {
  return [...s.assets, ...s.jobs, ...s.commandTargets];
}

function hasDagsterDefinitions(s: DefinitionsSnapshot): boolean {
  return [...s.assets, ...s.jobs].some((d) => d.codeLocation !== undefined);
}

/** One request per code location holding a Dagster definition of `targets` (every location without): all its partitioned assets. */
function locationRequests(s: DefinitionsSnapshot, targets: readonly string[] | undefined): LocationRequest[] {
  const wanted = targets ? new Set(targets.map((t) => t.replace(/[*+]+$/, ''))) : undefined;
  const byKey = new Map<string, LocationRequest>();
  for (const d of [...s.assets, ...s.jobs]) {
    if (!d.codeLocation || (wanted && !wanted.has(definitionName(d)))) continue;
    const key = JSON.stringify(d.codeLocation);
    if (!byKey.has(key)) byKey.set(key, { key, location: d.codeLocation, assets: [] });
  }
  for (const a of s.assets) {
    if (a.partitions && a.codeLocation) byKey.get(JSON.stringify(a.codeLocation))?.assets.push(definitionName(a));
  }
  return [...byKey.values()];
}
