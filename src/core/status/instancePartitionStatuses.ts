// The last good partition statuses the user's Dagster instance answered, per asset: one status code per key
// position of the asset's partitions definition (a byte, not an object per key), with the time they were asked for.
import type { AssetStatusEntry, InstancePartitionStatus, InstanceStatusListName } from '../coordinator/runnerStatusProtocol';
import type { PartitionKeyIndex } from '../partitions/partitionsDefinition';

/** Code 0 is "no status" (missing); the others index this list. */
export const STATUS_OF_CODE: readonly (InstancePartitionStatus | undefined)[] = [undefined, 'MATERIALIZED', 'FAILED', 'IN_PROGRESS'];
const CODE: Readonly<Record<InstanceStatusListName, number>> = { MISSING: 0, MATERIALIZED: 1, FAILED: 2, IN_PROGRESS: 3 };
/** A delta's MISSING first; FAILED and IN_PROGRESS after MATERIALIZED, as they take precedence in Dagster. */
const APPLY_ORDER: readonly InstanceStatusListName[] = ['MISSING', 'MATERIALIZED', 'IN_PROGRESS', 'FAILED'];

export interface AssetInstanceStatuses {
  /** The key order `codes` follows: the asset's definition as it was when the answer came. */
  readonly index: PartitionKeyIndex;
  readonly codes: Uint8Array;
  /** Epoch ms at which the request that confirmed these statuses was sent. */
  readonly asOf: number;
}

/** What an answer came to: assets whose statuses changed, ranges left out, and whether the next answer must be full. */
export interface InstanceStatusesApplied {
  changedAssets: string[];
  /** One line per asset whose answer named keys its partitions definition does not have (those ranges were dropped). */
  dropped: string[];
  /** A delta came for an asset held nothing for: the cursor was forgotten, so the next request asks for everything. */
  needsFull: boolean;
}

/** A status answer as applied (see runnerStatusProtocol's status_result). */
export interface InstanceStatusAnswer {
  full: boolean;
  cursor: string | null;
  instance: string | null;
  assets: AssetStatusEntry[];
}

let lastGeneration = 0;

export class InstancePartitionStatuses {
  private readonly assets = new Map<string, AssetInstanceStatuses & { generation: number }>();
  private readonly errors = new Map<string, string>();
  /** Per code location: the cursor of its last answer and the asset set it was for. */
  private readonly cursors = new Map<string, { cursor: string | null; assets: string }>();
  private lastInstance: string | null = null;
  private failure: { message: string; at: number } | undefined;
  private answeredAt: number | undefined;

  /** The cursor to send for `location` asking for `assets`: null (everything) when the asset set is not the last one's. */
  cursor(location: string, assets: readonly string[]): string | null {
    const last = this.cursors.get(location);
    return last && last.assets === assetSetKey(assets) ? last.cursor : null;
  }

  /**
   * Applies an answer to a request sent at `asOf` for `requested` assets of `location`. Full entries replace an
   * asset's statuses, delta entries patch them; requested assets a delta leaves out are unchanged as of `asOf`.
   * `indexOf` gives each asset's current key index (undefined: not partitioned here, its entry is ignored).
   */
  apply(location: string, requested: readonly string[], answer: InstanceStatusAnswer, asOf: number, indexOf: (asset: string) => PartitionKeyIndex | undefined): InstanceStatusesApplied {
    const result: InstanceStatusesApplied = { changedAssets: [], dropped: [], needsFull: false };
    const listed = new Set<string>();
    for (const entry of answer.assets) {
      listed.add(entry.asset);
      if (this.applyEntry(entry, answer.full, asOf, indexOf(entry.asset), result)) result.changedAssets.push(entry.asset);
    }
    if (!answer.full) {
      for (const asset of requested) {
        const held = this.assets.get(asset);
        if (!listed.has(asset) && held) this.assets.set(asset, { ...held, asOf, generation: ++lastGeneration });
      }
    }
    this.cursors.set(location, { cursor: result.needsFull ? null : answer.cursor, assets: assetSetKey(requested) });
    this.lastInstance = answer.instance;
    this.failure = undefined;
    this.answeredAt = asOf;
    return result;
  }

  /** Lets go of every status (dagster is no longer importable: the project's records alone speak); returns the assets held. */
  clear(): string[] {
    const held = [...this.assets.keys()];
    this.assets.clear();
    this.errors.clear();
    this.cursors.clear();
    this.failure = undefined;
    this.answeredAt = undefined;
    return held;
  }

  /** A request that failed as a whole: the statuses stay as they were (the last good ones). */
  fail(message: string, at: number): void {
    this.failure = { message, at };
  }

  get(asset: string): AssetInstanceStatuses | undefined {
    return this.assets.get(asset);
  }

  /** Changes whenever the asset's statuses or their `asOf` change; 0 while none are held. */
  generation(asset: string): number {
    return this.assets.get(asset)?.generation ?? 0;
  }

  /** Why the instance could not give this asset's statuses in the last answer that named it. */
  assetError(asset: string): string | undefined {
    return this.errors.get(asset);
  }

  get lastError(): string | undefined {
    return this.failure?.message;
  }

  /** The instance the last answer came from (its DAGSTER_HOME), null before one or when the runner did not say. */
  get instance(): string | null {
    return this.lastInstance;
  }

  /** When the last good answer's request was sent; undefined before the first. */
  get lastAnswerAt(): number | undefined {
    return this.answeredAt;
  }

  get size(): number {
    return this.assets.size;
  }

  private applyEntry(entry: AssetStatusEntry, answerFull: boolean, asOf: number, index: PartitionKeyIndex | undefined, result: InstanceStatusesApplied): boolean {
    const asset = entry.asset;
    if ('error' in entry) {
      this.errors.set(asset, entry.error);
      return false;
    }
    this.errors.delete(asset);
    const held = this.assets.get(asset);
    if ('partitioned' in entry || !index) {
      // Dagster (or discovery) says it has no partitions: the project's records alone speak for it.
      this.assets.delete(asset);
      return held !== undefined;
    }
    const before = held ? aligned(held, index) : undefined;
    const full = answerFull || entry.full === true;
    if (!full && !before) {
      result.needsFull = true;
      return false;
    }
    const codes = full ? new Uint8Array(index.count) : before!.slice();
    const unknown: string[] = [];
    for (const list of APPLY_ORDER) {
      for (const [first, last] of entry.statuses[list] ?? []) {
        const a = index.indexOf(first);
        const b = index.indexOf(last);
        if (a < 0 || b < 0 || a > b) unknown.push(first === last ? first : `${first}...${last}`);
        else codes.fill(CODE[list], a, b + 1);
      }
    }
    if (unknown.length > 0) {
      const shown = unknown.slice(0, 5).join(', ') + (unknown.length > 5 ? `, … (${unknown.length} in all)` : '');
      result.dropped.push(`${asset}: Dagster named partitions its definition here does not have, left out: ${shown}`);
    }
    const changed = !before || !sameCodes(before, codes);
    this.assets.set(asset, { index, codes, asOf, generation: ++lastGeneration });
    return changed;
  }
}

function assetSetKey(assets: readonly string[]): string {
  return [...assets].sort().join('\n');
}

/** The held codes in `index`'s order: the same array when the index is the one they were held in, else moved key by key. */
function aligned(held: AssetInstanceStatuses, index: PartitionKeyIndex): Uint8Array {
  if (held.index === index) return held.codes;
  const codes = new Uint8Array(index.count);
  held.codes.forEach((code, i) => {
    if (code === 0) return;
    const j = index.indexOf(held.index.keyAt(i));
    if (j >= 0) codes[j] = code;
  });
  return codes;
}

function sameCodes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
