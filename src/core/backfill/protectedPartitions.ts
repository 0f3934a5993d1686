// Protected partitions (backfills.yaml `protected:`): keys a backfill never relaunches, as Kestra's protected_partition_keys.
import { BackfillPlanError } from './backfillPlan';
import { parsePartitionSelection, type KeySpace } from './partitionSelection';

/** Target name (command target, asset key "a/b" or job name) → its protected keys and ranges, in Dagster's selection syntax. */
export type ProtectedPartitions = Readonly<Record<string, readonly string[]>>;

type ProtectedPart = { kind: 'range'; from: string; to: string } | { kind: 'list'; keys: string[] };

/** One list item: a key, a range `a...b` (brackets allowed) or several of them comma-separated; throws a BackfillPlanError saying why not. */
export function parseProtectedSpec(spec: string): ProtectedPart[] {
  if (spec.trim() === '') throw new BackfillPlanError('a protected partition must not be empty');
  const selection = parsePartitionSelection(spec);
  if (selection.kind === 'union') return selection.parts;
  if (selection.kind === 'range' || selection.kind === 'list') return [selection];
  throw new BackfillPlanError(`"${spec}" is not a partition key or range`);
}

/**
 * Positions of the protected keys that exist in `space`. A key or range end the definition does not have
 * (a future day, a deleted dynamic key) protects nothing rather than failing the plan: the list guards
 * against relaunching, and what does not exist cannot be relaunched.
 */
export function protectedIndexes(space: KeySpace, specs: readonly string[]): number[] {
  const out = new Set<number>();
  for (const spec of specs) {
    for (const part of parseProtectedSpec(spec)) {
      if (part.kind === 'list') {
        for (const key of part.keys) {
          const i = space.indexOf(key);
          if (i >= 0) out.add(i);
        }
        continue;
      }
      const a = space.indexOf(part.from);
      const b = space.indexOf(part.to);
      if (a < 0 || b < 0) continue;
      if (space.rangeIndexes) for (const i of space.rangeIndexes(part.from, part.to)) out.add(i);
      else for (let i = a; i <= b; i++) out.add(i);
    }
  }
  return [...out].sort((x, y) => x - y);
}
