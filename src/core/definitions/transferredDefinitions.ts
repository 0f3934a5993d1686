// TransferredDefinitions: discovered definitions as plain data for postMessage, and their revival on the other side.
import type { DiscoveredDefinitions } from './assembleDefinitions';
import type { PartitionsDefinition, PartitionsJson } from '../partitions/partitionsDefinition';
import { partitionsDefinitionFromJSON } from '../partitions/partitionsDefinitionFromJSON';
import { DynamicPartitionsDefinition } from '../partitions/dynamicPartitionsDefinition';
import { MultiPartitionsDefinition } from '../partitions/multiPartitionsDefinition';
import { StaticPartitionsDefinition } from '../partitions/staticPartitionsDefinition';
import { TimeWindowPartitionsDefinition } from '../partitions/timeWindowPartitionsDefinition';

/** Where a partitions definition sat: keys from the snapshot's root down, and which of `partitions` it is. */
type Site = [path: (string | number)[], partitions: number];

/**
 * Everything but partitions definitions crosses by structured clone as it is, so fields other code adds to
 * definitions flow through untouched. Partitions definitions (class instances holding timelines) are left as
 * null in `data`, sent once each as JSON, and put back at their `sites`.
 */
export interface TransferredDefinitions {
  data: DiscoveredDefinitions;
  partitions: PartitionsJson[];
  sites: Site[];
}

function isPartitionsDefinition(v: object): v is PartitionsDefinition {
  return v instanceof TimeWindowPartitionsDefinition || v instanceof StaticPartitionsDefinition
    || v instanceof MultiPartitionsDefinition || v instanceof DynamicPartitionsDefinition;
}

/** A copy of `discovered` safe to post; the original is not changed (the index keeps it as its last snapshot). */
export function transferableDefinitions(discovered: DiscoveredDefinitions): TransferredDefinitions {
  const partitions: PartitionsJson[] = [];
  const sites: Site[] = [];
  // Definitions share instances (one DailyPartitionsDefinition for many assets): each is sent once.
  const numbered = new Map<PartitionsDefinition, number>();
  const path: (string | number)[] = [];
  const copy = (v: unknown): unknown => {
    if (v === null || typeof v !== 'object') return v;
    if (isPartitionsDefinition(v)) {
      let n = numbered.get(v);
      if (n === undefined) numbered.set(v, (n = partitions.push(v.toJSON()) - 1));
      sites.push([[...path], n]);
      return null;
    }
    if (Array.isArray(v)) {
      return v.map((item, i) => {
        path.push(i);
        try {
          return copy(item);
        } finally {
          path.pop();
        }
      });
    }
    // Only plain objects are walked; anything else (Date, Map) is left to structured clone.
    if (Object.getPrototypeOf(v) !== Object.prototype) return v;
    const out: Record<string, unknown> = {};
    for (const [k, item] of Object.entries(v)) {
      path.push(k);
      out[k] = copy(item);
      path.pop();
    }
    return out;
  };
  return { data: copy(discovered) as DiscoveredDefinitions, partitions, sites };
}

/**
 * Puts partitions definitions back into `t.data` (which it changes and returns). `revived` keeps definitions by
 * their JSON across snapshots, so an incremental update rebuilds only partitions it has not seen before.
 */
export function revivedDefinitions(t: TransferredDefinitions, revived: Map<string, PartitionsDefinition> = new Map()): DiscoveredDefinitions {
  const used = new Set<string>();
  const instances = t.partitions.map((json) => {
    const key = JSON.stringify(json);
    used.add(key);
    let found = revived.get(key);
    if (!found) revived.set(key, (found = partitionsDefinitionFromJSON(json)));
    return found;
  });
  // Only what this snapshot uses is kept, so edits to a definition do not pile up old versions.
  for (const key of revived.keys()) if (!used.has(key)) revived.delete(key);
  for (const [path, n] of t.sites) {
    let at: Record<string | number, unknown> = t.data as unknown as Record<string, unknown>;
    for (let i = 0; i < path.length - 1; i++) at = at[path[i]!] as Record<string | number, unknown>;
    at[path[path.length - 1]!] = instances[n];
  }
  return t.data;
}
