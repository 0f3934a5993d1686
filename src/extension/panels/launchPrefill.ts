// Turns the partitions another view hands over (a brush selection, a list, a range) into the launch form's fields.
import type { LaunchFormValues } from '../../shared/launchForm';

/**
 * The form as every launch panel opens unless prefilled: no partitions chosen (nothing can launch until the user
 * picks some) and "Missing only", the reprocess mode the palette's quick picks also offer first.
 */
export function defaultLaunchForm(target: string): LaunchFormValues {
  return {
    target, includeDownstream: false, partitionMode: 'none', rangeFrom: '', rangeTo: '', latestCount: '7', selectionText: '',
    reprocess: 'missing', concurrency: '', order: 'oldest-first', retries: '0', tagsText: '', runOn: '', title: '', description: '',
  };
}

/** What `backfillStudio.launchBackfill` accepts as `partitions`: selection text, keys, or an inclusive range. */
export type PartitionsArgument = string | readonly string[] | { from: string; to: string };

export function isPartitionsArgument(value: unknown): value is PartitionsArgument {
  if (typeof value === 'string') return true;
  if (Array.isArray(value)) return value.every((k) => typeof k === 'string');
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return typeof r.from === 'string' && typeof r.to === 'string';
}

function quoteKey(k: string): string {
  return /[",[\]]|\.\.\./.test(k) || k.trim() !== k ? JSON.stringify(k) : k;
}

/**
 * Keys become Dagster selection text with consecutive keys (in `allKeys` order) folded into `[a...b]` ranges,
 * so a brush over 10,000 hourly partitions stays one short line; keys not in `allKeys` are kept for the
 * planner to report.
 */
export function selectionTextOfKeys(keys: readonly string[], allKeys: readonly string[]): string {
  const position = new Map(allKeys.map((k, i) => [k, i]));
  const known = [...new Set(keys.filter((k) => position.has(k)))].sort((a, b) => position.get(a)! - position.get(b)!);
  const items: string[] = [];
  for (let i = 0; i < known.length; ) {
    let j = i;
    while (j + 1 < known.length && position.get(known[j + 1]!) === position.get(known[j]!)! + 1) j++;
    items.push(j - i >= 2 ? `[${quoteKey(known[i]!)}...${quoteKey(known[j]!)}]` : known.slice(i, j + 1).map(quoteKey).join(', '));
    i = j + 1;
  }
  items.push(...keys.filter((k) => !position.has(k)).map(quoteKey));
  return items.join(', ');
}

export function prefillOfPartitions(partitions: PartitionsArgument, allKeys: readonly string[]): Partial<LaunchFormValues> {
  if (typeof partitions === 'string') return { partitionMode: 'selection', selectionText: partitions };
  if (!Array.isArray(partitions)) {
    const range = partitions as { from: string; to: string };
    return { partitionMode: 'range', rangeFrom: range.from, rangeTo: range.to };
  }
  const keys = partitions as readonly string[];
  if (keys.length === 0) return {};
  return { partitionMode: 'selection', selectionText: selectionTextOfKeys(keys, allKeys) };
}
