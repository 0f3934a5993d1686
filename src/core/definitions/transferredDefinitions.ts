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

/** A slice of one of the snapshot's lists (assets, jobs, diagnostics…): `items` go at `start` of `field`. */
export interface TransferredChunk {
  field: string;
  start: number;
  items: unknown[];
}

/**
 * Everything but partitions definitions crosses by structured clone as it is, so fields other code adds to
 * definitions (or to the snapshot) flow through untouched. Partitions definitions (class instances holding
 * timelines) are left as null, sent once each as JSON, and put back at their `sites`. The snapshot's lists are
 * cut into chunks, so a receiver can take them one message at a time: deserializing thousands of definitions in
 * one message blocks the receiving thread for tens of milliseconds.
 */
export interface TransferredHead {
  /** The snapshot's fields that are not lists. */
  fields: Record<string, unknown>;
  /** The length of each list, filled by the chunks. */
  lengths: Record<string, number>;
  chunkCount: number;
  partitions: PartitionsJson[];
  sites: Site[];
}

/** Definitions per chunk: deserializing one costs the receiver a few milliseconds. */
export const DEFINITIONS_PER_CHUNK = 500;

function isPartitionsDefinition(v: object): v is PartitionsDefinition {
  return v instanceof TimeWindowPartitionsDefinition || v instanceof StaticPartitionsDefinition
    || v instanceof MultiPartitionsDefinition || v instanceof DynamicPartitionsDefinition;
}

/** A copy of `discovered` safe to post, cut into a head and chunks; the original is not changed (the index keeps it). */
export function transferableDefinitions(discovered: DiscoveredDefinitions, perChunk = DEFINITIONS_PER_CHUNK): { head: TransferredHead; chunks: TransferredChunk[] } {
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
  const fields: Record<string, unknown> = {};
  const lengths: Record<string, number> = {};
  const chunks: TransferredChunk[] = [];
  for (const [field, value] of Object.entries(discovered)) {
    path.push(field);
    const copied = copy(value);
    path.pop();
    if (!Array.isArray(copied)) {
      fields[field] = copied;
      continue;
    }
    lengths[field] = copied.length;
    for (let start = 0; start < copied.length; start += perChunk) chunks.push({ field, start, items: copied.slice(start, start + perChunk) });
  }
  return { head: { fields, lengths, chunkCount: chunks.length, partitions, sites }, chunks };
}

/**
 * The snapshot `head` and its `chunks` describe, with partitions definitions revived. `revived` keeps definitions by
 * their JSON across snapshots, so an incremental update rebuilds only partitions it has not seen before.
 */
export function revivedDefinitions(head: TransferredHead, chunks: readonly TransferredChunk[], revived: Map<string, PartitionsDefinition> = new Map()): DiscoveredDefinitions {
  const data: Record<string, unknown> = { ...head.fields };
  for (const [field, length] of Object.entries(head.lengths)) data[field] = new Array<unknown>(length);
  for (const chunk of chunks) {
    const list = data[chunk.field] as unknown[];
    for (let i = 0; i < chunk.items.length; i++) list[chunk.start + i] = chunk.items[i];
  }
  const used = new Set<string>();
  const instances = head.partitions.map((json) => {
    const key = JSON.stringify(json);
    used.add(key);
    let found = revived.get(key);
    if (!found) revived.set(key, (found = partitionsDefinitionFromJSON(json)));
    return found;
  });
  // Only what this snapshot uses is kept, so edits to a definition do not pile up old versions.
  for (const key of revived.keys()) if (!used.has(key)) revived.delete(key);
  for (const [path, n] of head.sites) {
    let at = data as Record<string | number, unknown>;
    for (let i = 0; i < path.length - 1; i++) at = at[path[i]!] as Record<string | number, unknown>;
    at[path[path.length - 1]!] = instances[n];
  }
  return data as unknown as DiscoveredDefinitions;
}
