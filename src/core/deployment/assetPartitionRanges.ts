// A plan's partitions as key ranges per asset, for servers that take partitionsByAssets (types only: cheap to import).
import type { BackfillPlan } from '../backfill/backfillPlan';
import type { AssetDefinition } from '../definitions/definition';
import type { AssetPartitionRange } from './remoteBackfillLaunch';

/**
 * The plan's partitions as one key range per asset, when they are two or more consecutive keys of the plan's one
 * key space (not multi-dimensional); undefined otherwise, and the names are sent. Read from the plan's key space,
 * which the planner already holds: nothing is enumerated again.
 */
export function assetPartitionRanges(plan: Pick<BackfillPlan, 'keySpaces' | 'partitionKeys'>, assets: readonly Pick<AssetDefinition, 'key' | 'partitions'>[]): AssetPartitionRange[] | undefined {
  const keys = plan.partitionKeys;
  if (plan.keySpaces.length !== 1 || keys.length < 2 || assets.some((a) => a.partitions?.kind === 'multi')) return undefined;
  const space = plan.keySpaces[0]!;
  const first = space.indexOf(keys[0]!);
  if (first < 0 || keys.some((k, i) => space[first + i] !== k)) return undefined;
  return assets.map((a) => ({ assetKey: [...a.key], start: keys[0]!, end: keys[keys.length - 1]! }));
}
