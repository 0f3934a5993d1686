// The DynamicPartitionsStore the workspace binds its definitions to: the Dagster instance's keys once the instance
// has answered (the source of truth when dagster is importable), else the keys kept in the project's state store.
import { DynamicPartitionsUnavailableError, type DynamicPartitionsStore } from '../partitions/dynamicPartitionsDefinition';

export type DynamicPartitionsSource = 'instance' | 'project';

export class InstanceDynamicPartitions implements DynamicPartitionsStore {
  private readonly instanceKeys = new Map<string, readonly string[]>();
  private project: DynamicPartitionsStore | undefined;
  private from: DynamicPartitionsSource = 'project';
  private changes = 0;

  /** Where keys are read from now. */
  get source(): DynamicPartitionsSource {
    return this.from;
  }

  /** Grows whenever the keys may have changed (key indexes built from them compare it). */
  get generation(): number {
    return this.changes;
  }

  /** Where the keys of `name` are read from now (the project's store for a name the instance was not asked about). */
  sourceOf(name: string): DynamicPartitionsSource {
    return this.from === 'instance' && this.instanceKeys.has(name) ? 'instance' : 'project';
  }

  /** The project's state store, once it is open: the keys without dagster, and of names the instance was not asked about. */
  setProjectStore(store: DynamicPartitionsStore): void {
    this.project = store;
    this.changes++;
  }

  /** The project's store changed its keys (an add or delete without dagster). */
  projectChanged(): void {
    this.changes++;
  }

  /** The instance's keys per name from an answer; returns the names whose keys changed (or all, when the source changed). */
  useInstance(keysByName: Readonly<Record<string, readonly string[]>>): string[] {
    const changed = new Set<string>();
    if (this.from !== 'instance') {
      this.from = 'instance';
      this.changes++;
      for (const name of this.instanceKeys.keys()) changed.add(name);
    }
    for (const [name, keys] of Object.entries(keysByName)) {
      const held = this.instanceKeys.get(name);
      if (held && held.length === keys.length && held.every((k, i) => k === keys[i])) continue;
      this.instanceKeys.set(name, [...keys]);
      changed.add(name);
    }
    if (changed.size > 0) this.changes++;
    return [...changed];
  }

  /** dagster is not importable: the project's keys, from now until the instance answers again. */
  useProject(): boolean {
    if (this.from === 'project') return false;
    this.from = 'project';
    this.instanceKeys.clear();
    this.changes++;
    return true;
  }

  /** The keys the project's store holds for `name`, whatever the source (a CLI message says where they would go). */
  projectKeys(name: string): string[] | undefined {
    return this.project?.dynamicPartitionKeys(name);
  }

  dynamicPartitionKeys(name: string): string[] {
    const fromInstance = this.from === 'instance' ? this.instanceKeys.get(name) : undefined;
    if (fromInstance) return [...fromInstance];
    if (!this.project) throw new DynamicPartitionsUnavailableError(name);
    return this.project.dynamicPartitionKeys(name);
  }
}
