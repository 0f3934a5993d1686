// Stable sort of definitions by file then line, done per file: one map look-up per run of same-file items, not per comparison.
import type { SourceLocation } from './definition';

/** The same order as a stable `sort` comparing file (code units), then line; `items` is left as it was. */
export function sortByLocation<T extends { location: SourceLocation }>(items: readonly T[]): T[] {
  const buckets = new Map<string, T[]>();
  let file: string | undefined;
  let bucket: T[] = [];
  for (const item of items) {
    const f = item.location.file;
    if (f !== file) {
      file = f;
      const existing = buckets.get(f);
      if (existing) bucket = existing;
      else {
        bucket = [];
        buckets.set(f, bucket);
      }
    }
    bucket.push(item);
  }
  const out: T[] = [];
  for (const f of [...buckets.keys()].sort()) {
    const list = buckets.get(f) as T[];
    if (!linesAscending(list)) list.sort((a, b) => a.location.line - b.location.line);
    for (const item of list) out.push(item);
  }
  return out;
}

function linesAscending(list: readonly { location: SourceLocation }[]): boolean {
  for (let i = 1; i < list.length; i++) if (list[i - 1].location.line > list[i].location.line) return false;
  return true;
}
