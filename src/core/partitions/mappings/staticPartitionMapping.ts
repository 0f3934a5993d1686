// StaticPartitionMapping: an explicit correspondence from upstream static keys to downstream static keys.
import type { PartitionsDefinition } from '../partitionsDefinition';
import type { PartitionMapping, UpstreamPartitionsResult } from './partitionMapping';
import { PartitionMappingError, inDefinitionOrder } from './partitionMapping';

const BOTH_STATIC = 'StaticPartitionMapping can only be defined between two StaticPartitionsDefinitions';

export class StaticPartitionMapping implements PartitionMapping {
  readonly kind = 'StaticPartitionMapping' as const;
  /** Downstream keys by upstream key; a single key in the Python source becomes a one-element list. */
  readonly downstreamKeysByUpstreamKey: ReadonlyMap<string, readonly string[]>;
  private readonly upstreamKeysByDownstreamKey = new Map<string, string[]>();

  constructor(downstreamKeysByUpstreamKey: ReadonlyMap<string, string | readonly string[]>) {
    const forward = new Map<string, string[]>();
    for (const [up, downs] of downstreamKeysByUpstreamKey) {
      const list = typeof downs === 'string' ? [downs] : [...new Set(downs)];
      forward.set(up, list);
      for (const down of list) {
        const ups = this.upstreamKeysByDownstreamKey.get(down) ?? [];
        ups.push(up);
        this.upstreamKeysByDownstreamKey.set(down, ups);
      }
    }
    this.downstreamKeysByUpstreamKey = forward;
  }

  get description(): string {
    return `Maps upstream partitions to their downstream dependencies according to the following mapping: \n${this.pythonDict()}`;
  }

  toString(): string {
    return `StaticPartitionMapping(${this.pythonDict()})`;
  }

  private pythonDict(): string {
    const q = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
    return `{${[...this.downstreamKeysByUpstreamKey].map(([k, v]) => `${q(k)}: [${v.map(q).join(', ')}]`).join(', ')}}`;
  }

  validate(upstream: PartitionsDefinition, downstream: PartitionsDefinition | null): void {
    if (upstream.kind !== 'static') throw new PartitionMappingError('Upstream partitions definition must be a StaticPartitionsDefinition');
    if (downstream === null || downstream.kind !== 'static') throw new PartitionMappingError('Downstream partitions definition must be a StaticPartitionsDefinition');
    this.checkUpstream(upstream);
    this.checkDownstream(downstream);
  }

  private checkUpstream(upstream: PartitionsDefinition): void {
    if (upstream.kind !== 'static') throw new PartitionMappingError(BOTH_STATIC);
    const extra = [...this.downstreamKeysByUpstreamKey.keys()].filter((k) => !upstream.hasKey(k, new Date(0)));
    if (extra.length > 0) throw new PartitionMappingError(`mapping source partitions not in the upstream partitions definition: ${pythonSet(extra)}`);
  }

  private checkDownstream(downstream: PartitionsDefinition): void {
    if (downstream.kind !== 'static') throw new PartitionMappingError(BOTH_STATIC);
    const extra = [...this.upstreamKeysByDownstreamKey.keys()].filter((k) => !downstream.hasKey(k, new Date(0)));
    if (extra.length > 0) throw new PartitionMappingError(`mapping target partitions not in the downstream partitions definition: ${pythonSet(extra)}`);
  }

  upstreamPartitions(downstreamKeys: readonly string[] | null, _downstream: PartitionsDefinition | null, upstream: PartitionsDefinition, now: Date): UpstreamPartitionsResult {
    this.checkUpstream(upstream);
    if (downstreamKeys === null) return { keys: [], requiredButNonexistent: [] };
    return { keys: inDefinitionOrder(upstream, downstreamKeys.flatMap((k) => this.upstreamKeysByDownstreamKey.get(k) ?? []), now), requiredButNonexistent: [] };
  }

  downstreamPartitions(upstreamKeys: readonly string[], _upstream: PartitionsDefinition, downstream: PartitionsDefinition, now: Date): string[] {
    this.checkDownstream(downstream);
    return inDefinitionOrder(downstream, upstreamKeys.flatMap((k) => this.downstreamKeysByUpstreamKey.get(k) ?? []), now);
  }
}

function pythonSet(keys: readonly string[]): string {
  return `{${keys.map((k) => `'${k.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`).join(', ')}}`;
}
