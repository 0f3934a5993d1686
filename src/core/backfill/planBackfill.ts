// Turns a selection (targets + partitions) into an exact plan: the runs, in order, with their upstream runs.
import { definitionName, type Definition } from '../definitions/definition';
import { PartitionsError, type PartitionsDefinition } from '../partitions/partitionsDefinition';

export type PartitionSelection =
  | { kind: 'all' }
  | { kind: 'range'; from: string; to: string }
  | { kind: 'list'; keys: string[] };

export interface PlannedRun {
  target: string;
  partitionKey: string;
  /** Indexes into BackfillPlan.runs that must succeed before this run starts. */
  upstream: number[];
}

export interface BackfillPlan {
  targets: string[];
  partitionKeys: string[];
  runs: PlannedRun[];
  /** Human form of the selection, e.g. "2024-01-01...2024-01-31". */
  selection: string;
}

/** Bad selections: the message says what is wrong in the user's terms. */
export class BackfillPlanError extends Error {
  override name = 'BackfillPlanError';
}

export function describeSelection(selection: PartitionSelection): string {
  switch (selection.kind) {
    case 'all':
      return 'all partitions';
    case 'range':
      return `${selection.from}...${selection.to}`;
    case 'list':
      return selection.keys.join(',');
  }
}

function selectKeys(partitions: PartitionsDefinition, selection: PartitionSelection, now: Date, where: string): string[] {
  switch (selection.kind) {
    case 'all':
      return partitions.keys(now);
    case 'range':
      try {
        return partitions.keysInRange(selection.from, selection.to, now);
      } catch (e) {
        if (e instanceof PartitionsError) throw new BackfillPlanError(`${where}: ${e.message}`);
        throw e;
      }
    case 'list': {
      const seen = new Set<string>();
      for (const key of selection.keys) {
        if (!partitions.hasKey(key, now)) {
          throw new BackfillPlanError(`${where}: partition ${JSON.stringify(key)} is not a partition of ${partitions.describe()}`);
        }
        seen.add(key);
      }
      // Keep the definition's order, as Dagster does, whatever order the user typed.
      return partitions.keys(now).filter((k) => seen.has(k));
    }
  }
}

function dependencyNames(d: Definition): string[] {
  if (d.kind === 'asset') return d.deps.map((dep) => dep.key.join('/'));
  if (d.kind === 'command') return d.deps;
  return [];
}

/**
 * One run per (target, partition), partition-major so early partitions finish first; a target's run of a
 * partition waits for the runs of the same partition of its selected upstream targets (identity mapping:
 * the skeleton requires every selected target to share one partitions definition, like Dagster's roots).
 */
export function planBackfill(targets: readonly Definition[], selection: PartitionSelection, now: Date): BackfillPlan {
  if (targets.length === 0) throw new BackfillPlanError('select at least one target');
  const first = targets[0]!;
  const firstPartitions = first.partitions;
  for (const t of targets) {
    if (!t.partitions) throw new BackfillPlanError(`${definitionName(t)} is not partitioned, so it cannot be backfilled by partition`);
    if (JSON.stringify(t.partitions.toJSON()) !== JSON.stringify(firstPartitions!.toJSON())) {
      throw new BackfillPlanError(
        `All the assets at the root of the backfill must have the same PartitionsDefinition: ${definitionName(first)} has ${firstPartitions!.describe()}, ${definitionName(t)} has ${t.partitions.describe()}`,
      );
    }
  }
  const keys = selectKeys(firstPartitions!, selection, now, definitionName(first));
  if (keys.length === 0) throw new BackfillPlanError(`the selection ${describeSelection(selection)} has no partitions at ${now.toISOString()}`);

  const ordered = topologicalOrder(targets);
  const names = ordered.map(definitionName);
  const runs: PlannedRun[] = [];
  for (const key of keys) {
    const indexOfTarget = new Map<string, number>();
    for (const d of ordered) {
      const upstream = dependencyNames(d).flatMap((dep) => (indexOfTarget.has(dep) ? [indexOfTarget.get(dep)!] : []));
      indexOfTarget.set(definitionName(d), runs.length);
      runs.push({ target: definitionName(d), partitionKey: key, upstream });
    }
  }
  return { targets: names, partitionKeys: keys, runs, selection: describeSelection(selection) };
}

function topologicalOrder(targets: readonly Definition[]): Definition[] {
  const byName = new Map(targets.map((t) => [definitionName(t), t]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const out: Definition[] = [];
  const visit = (d: Definition) => {
    const name = definitionName(d);
    if (done.has(name)) return;
    if (visiting.has(name)) throw new BackfillPlanError(`the selected targets depend on each other in a cycle through ${name}`);
    visiting.add(name);
    for (const dep of dependencyNames(d)) {
      const up = byName.get(dep);
      if (up) visit(up);
    }
    visiting.delete(name);
    done.add(name);
    out.push(d);
  };
  targets.forEach(visit);
  return out;
}
