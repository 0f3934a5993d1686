// TransferredDefinitions: discovered definitions as plain data for postMessage, and their revival on the other side.
import type { DiscoveredDefinitions } from './assembleDefinitions';
import type { PartitionsDefinition, PartitionsJson } from '../partitions/partitionsDefinition';
import { partitionsDefinitionFromJSON } from '../partitions/partitionsDefinitionFromJSON';
import { DynamicPartitionsDefinition } from '../partitions/dynamicPartitionsDefinition';
import { MultiPartitionsDefinition } from '../partitions/multiPartitionsDefinition';
import { StaticPartitionsDefinition } from '../partitions/staticPartitionsDefinition';
import { TimeWindowPartitionsDefinition } from '../partitions/timeWindowPartitionsDefinition';

/** Where a partitions definition sat in a chunk: keys from the chunk's items down, and which of `partitions` it is. */
type Site = [path: (string | number)[], partitions: number];

/** A slice of one of the snapshot's lists (assets, jobs, diagnostics…): `items` go at `start` of `field`. */
export interface TransferredChunk {
  field: string;
  start: number;
  items: unknown[];
  sites: Site[];
}

/**
 * A snapshot as plain data, in a head and chunks. Everything but partitions definitions crosses by structured clone
 * as it is, so fields other code adds to definitions (or to the snapshot) flow through untouched. Partitions
 * definitions (class instances holding timelines) are left as null, sent once each as JSON, and put back at their
 * sites. The lists are cut into chunks so a receiver can take them one message at a time, reviving each chunk's
 * partitions as it comes: deserializing and reviving thousands of definitions at once blocks a thread for tens of
 * milliseconds.
 */
export interface TransferredDefinitions {
  /** The snapshot's fields that are not lists. */
  fields: Record<string, unknown>;
  /** The length of each list, filled by the chunks. */
  lengths: Record<string, number>;
  chunkCount: number;
  partitions: PartitionsJson[];
}

/** Definitions per chunk: deserializing and reviving one costs the receiver a few milliseconds. */
export const DEFINITIONS_PER_CHUNK = 200;

function isPartitionsDefinition(v: object): v is PartitionsDefinition {
  return v instanceof TimeWindowPartitionsDefinition || v instanceof StaticPartitionsDefinition
    || v instanceof MultiPartitionsDefinition || v instanceof DynamicPartitionsDefinition;
}

/** A copy of `discovered` safe to post, as a head and chunks; the original is not changed (the index keeps it). */
export function transferableDefinitions(discovered: DiscoveredDefinitions, perChunk = DEFINITIONS_PER_CHUNK): { head: TransferredDefinitions; chunks: TransferredChunk[] } {
  const partitions: PartitionsJson[] = [];
  // Definitions share instances (one DailyPartitionsDefinition for many assets): each is sent once.
  const numbered = new Map<PartitionsDefinition, number>();
  let sites: Site[] = [];
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
    if (!Array.isArray(value)) {
      // A partitions definition directly in a top-level field has nowhere to be put back: sent as JSON.
      fields[field] = value !== null && typeof value === 'object' && isPartitionsDefinition(value) ? value.toJSON() : copy(value);
      sites = [];
      continue;
    }
    lengths[field] = value.length;
    for (let start = 0; start < value.length; start += perChunk) {
      sites = [];
      const items = value.slice(start, start + perChunk).map((item, i) => {
        path.push(i);
        const copied = copy(item);
        path.pop();
        return copied;
      });
      chunks.push({ field, start, items, sites });
    }
  }
  return { head: { fields, lengths, chunkCount: chunks.length, partitions }, chunks };
}

/**
 * Puts a snapshot back together chunk by chunk (`add` as each arrives, `finish` at the end), reviving the
 * partitions definitions each chunk holds. `cache` keeps revived definitions by their JSON across snapshots, so an
 * incremental update rebuilds only partitions it has not seen before; `finish` drops what this snapshot no longer uses.
 */
export class DefinitionsRevival {
  private readonly data: Record<string, unknown>;
  private readonly instances: (PartitionsDefinition | undefined)[] = [];
  private readonly used = new Set<string>();

  constructor(private readonly head: TransferredDefinitions, private readonly cache: Map<string, PartitionsDefinition> = new Map()) {
    this.data = { ...head.fields };
    for (const [field, length] of Object.entries(head.lengths)) this.data[field] = new Array<unknown>(length);
  }

  add(chunk: TransferredChunk): void {
    for (const [path, n] of chunk.sites) {
      let at = chunk.items as unknown as Record<string | number, unknown>;
      for (let i = 0; i < path.length - 1; i++) at = at[path[i]!] as Record<string | number, unknown>;
      at[path[path.length - 1]!] = this.partitions(n);
    }
    const list = this.data[chunk.field] as unknown[];
    for (let i = 0; i < chunk.items.length; i++) list[chunk.start + i] = chunk.items[i];
  }

  finish(): DiscoveredDefinitions {
    for (const key of this.cache.keys()) if (!this.used.has(key)) this.cache.delete(key);
    return this.data as unknown as DiscoveredDefinitions;
  }

  private partitions(n: number): PartitionsDefinition {
    let found = this.instances[n];
    if (!found) {
      const json = this.head.partitions[n]!;
      const key = JSON.stringify(json);
      this.used.add(key);
      found = this.cache.get(key);
      if (!found) this.cache.set(key, (found = partitionsDefinitionFromJSON(json)));
      this.instances[n] = found;
    }
    return found;
  }
}

/** The whole snapshot at once (tests, the benchmark): DefinitionsRevival over every chunk. */
export function revivedDefinitions(head: TransferredDefinitions, chunks: readonly TransferredChunk[], cache?: Map<string, PartitionsDefinition>): DiscoveredDefinitions {
  const revival = new DefinitionsRevival(head, cache);
  for (const c of chunks) revival.add(c);
  return revival.finish();
}
