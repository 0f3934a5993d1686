// Which partitions a backfill selects: a list, an inclusive range, all, the latest N, or Dagster's selection syntax.
import { BackfillPlanError } from './backfillPlan';

export type PartitionSelection =
  | { kind: 'all' }
  | { kind: 'range'; from: string; to: string }
  | { kind: 'list'; keys: string[] }
  | { kind: 'latest'; count: number }
  /** Dagster's selection text: comma-separated keys and ranges, e.g. `[2024-01-01...2024-01-05], 2024-02-01, "a,b"`. */
  | { kind: 'union'; parts: Array<{ kind: 'range'; from: string; to: string } | { kind: 'list'; keys: string[] }> };

/** The keys of one partitions definition at planning time, with O(1) lookup of a key's position. */
export interface KeySpace {
  keys: string[];
  indexOf(key: string): number;
  /**
   * Positions (ascending) of an inclusive range between two existing keys, when the range is not the slice
   * between their positions: a multi-partitions range is the rectangle of each dimension's own range.
   */
  rangeIndexes?(from: string, to: string): number[];
}

export function describeSelection(selection: PartitionSelection): string {
  switch (selection.kind) {
    case 'all':
      return 'all partitions';
    case 'latest':
      return `latest ${selection.count}`;
    case 'range':
      return `${selection.from}...${selection.to}`;
    case 'list':
      return selection.keys.map(quoteKey).join(',');
    case 'union':
      return selection.parts.map((p) => (p.kind === 'range' ? `[${p.from}...${p.to}]` : p.keys.map(quoteKey).join(','))).join(',');
  }
}

function quoteKey(k: string): string {
  return /[",[\]]|\.\.\./.test(k) || k.trim() !== k ? JSON.stringify(k) : k;
}

/**
 * Parses Dagster's partition selection text: items separated by commas; an item is a key, a range
 * `a...b` (optionally in brackets) or a double-quoted key that may hold commas (JSON string escapes).
 */
export function parsePartitionSelection(text: string): PartitionSelection {
  const parts: Array<{ kind: 'range'; from: string; to: string } | { kind: 'list'; keys: string[] }> = [];
  let keys: string[] = [];
  let i = 0;
  const fail = (why: string): never => {
    throw new BackfillPlanError(`partition selection ${JSON.stringify(text)}: ${why} at column ${i + 1}`);
  };
  while (i <= text.length) {
    while (text[i] === ' ' || text[i] === '\t') i++;
    let item: string;
    let quoted = false;
    if (text[i] === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (j >= text.length) fail('unterminated quoted key');
      try {
        item = JSON.parse(text.slice(i, j + 1)) as string;
      } catch {
        return fail('bad escape in quoted key');
      }
      quoted = true;
      i = j + 1;
    } else if (text[i] === '[') {
      const j = text.indexOf(']', i);
      if (j < 0) fail('unclosed [');
      item = text.slice(i + 1, j);
      if (!item.includes('...')) fail(`[${item}] is not a range a...b`);
      i = j + 1;
    } else {
      let j = i;
      while (j < text.length && text[j] !== ',') j++;
      item = text.slice(i, j).trim();
      i = j;
    }
    while (text[i] === ' ' || text[i] === '\t') i++;
    if (i < text.length && text[i] !== ',') fail('expected a comma');
    if (!quoted && item === '') fail('empty key');
    const dots = quoted ? -1 : item.indexOf('...');
    if (dots >= 0) {
      const from = item.slice(0, dots).trim();
      const to = item.slice(dots + 3).trim();
      if (!from || !to) fail(`range ${JSON.stringify(item)} needs a start and an end`);
      if (keys.length) parts.push({ kind: 'list', keys });
      keys = [];
      parts.push({ kind: 'range', from, to });
    } else keys.push(item);
    i++;
  }
  if (keys.length) parts.push({ kind: 'list', keys });
  if (parts.length === 1) return parts[0]!;
  return { kind: 'union', parts };
}

/** Positions (ascending, distinct) of the selected keys; unknown keys and bad ranges are errors naming `where`. */
export function selectIndexes(space: KeySpace, selection: PartitionSelection, where: string, describe: string): number[] {
  const n = space.keys.length;
  const position = (key: string): number => {
    const p = space.indexOf(key);
    if (p < 0) throw new BackfillPlanError(`${where}: partition ${JSON.stringify(key)} is not a partition of ${describe}`);
    return p;
  };
  const span = (from: string, to: string): number[] => {
    const a = position(from);
    const b = position(to);
    const inRange = space.rangeIndexes ? space.rangeIndexes(from, to) : a > b ? [] : Array.from({ length: b - a + 1 }, (_, k) => a + k);
    if (inRange.length === 0) throw new BackfillPlanError(`${where}: the range ${from}...${to} ends before it starts`);
    return inRange;
  };
  switch (selection.kind) {
    case 'all':
      return Array.from({ length: n }, (_, k) => k);
    case 'latest':
      if (!Number.isInteger(selection.count) || selection.count < 1) throw new BackfillPlanError(`latest ${selection.count}: give a whole number of partitions, at least 1`);
      return Array.from({ length: Math.min(n, selection.count) }, (_, k) => n - Math.min(n, selection.count) + k);
    case 'range':
      return span(selection.from, selection.to);
    case 'list':
      return [...new Set(selection.keys.map(position))].sort((a, b) => a - b);
    case 'union': {
      const all = selection.parts.flatMap((p) => (p.kind === 'range' ? span(p.from, p.to) : p.keys.map(position)));
      return [...new Set(all)].sort((a, b) => a - b);
    }
  }
}
