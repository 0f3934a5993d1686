// Which partitions of each selected target the backfill targets (as Dagster's backfill planning decides), and which of those it skips, with why.
import type { PartitionStatus } from './backfill';
import { BackfillPlanError, EmptyDynamicPartitionsError, type ReprocessMode, type SkipReason } from './backfillPlan';
import { dynamicPartitionsNames } from '../partitions/dynamicPartitionsNames';
import { partitionsDefinitionsEqual } from '../partitions/mappings/partitionMapping';
import { selectIndexes, type PartitionSelection } from './partitionSelection';
import type { PlanningGraph, PlanningNode } from './planningGraph';
import { protectedIndexes } from './protectedPartitions';

/** Per-key state codes: 0 not targeted, 1 runs, 2+ skipped (SKIP_CODES order). */
export const RUN = 1;
export const SKIP_CODES: readonly SkipReason[] = ['materialized', 'failed', 'in-progress', 'upstream-missing', 'upstream-skipped', 'protected'];
const code = (r: SkipReason) => 2 + SKIP_CODES.indexOf(r);
const BLOCKING = new Set([code('upstream-missing'), code('upstream-skipped')]);

export interface TargetSubsets {
  /** node → one state code per key position. */
  states: Map<PlanningNode, Uint8Array>;
  /** Selected root keys (positions in the roots' space), for display. */
  rootIndexes: number[];
  rootSpace: number;
}

export type StatusLookup = (target: string) => ReadonlyMap<string, PartitionStatus>;

/** A target's protected keys and ranges (see protectedPartitions.ts); [] when none. */
export type ProtectedLookup = (target: string) => readonly string[];

export function targetSubsets(graph: PlanningGraph, selection: PartitionSelection, reprocess: ReprocessMode, statusesOf: StatusLookup | undefined, protectedOf?: ProtectedLookup): TargetSubsets {
  const partitioned = graph.nodes.filter((n) => n.space >= 0);
  if (partitioned.length === 0) {
    const n = graph.nodes[0]!;
    throw new BackfillPlanError(`${n.name} is not partitioned, so it cannot be backfilled by partition`);
  }
  const ancestorsPartitioned = new Set<PlanningNode>();
  for (const n of graph.nodes) {
    if (n.edges.some((e) => e.parent !== n && (e.parent.space >= 0 || ancestorsPartitioned.has(e.parent)))) ancestorsPartitioned.add(n);
  }
  const roots = partitioned.filter((n) => !ancestorsPartitioned.has(n));
  const states = new Map<PlanningNode, Uint8Array>();
  const blockingNodes = new Set<PlanningNode>();
  const first = roots[0]!;
  if (selection.kind !== 'all') {
    for (const r of roots) {
      if (!partitionsDefinitionsEqual(r.partitions, first.partitions)) {
        throw new BackfillPlanError(
          `All the assets at the root of the backfill must have the same PartitionsDefinition: ${first.name} has ${first.partitions!.describe()}, ${r.name} has ${r.partitions!.describe()}`,
        );
      }
    }
  }
  const rootSpace = graph.spaces[first.space]!;
  const dynamic = rootSpace.keys.length === 0 ? dynamicPartitionsNames(first.partitions) : [];
  if (dynamic.length > 0) throw new EmptyDynamicPartitionsError(first.name, dynamic);
  const rootIndexes = selectIndexes(rootSpace, selection, first.name, first.partitions!.describe());
  if (rootIndexes.length === 0) throw new BackfillPlanError(`the selection has no partitions of ${first.name}`);
  for (const n of graph.nodes) {
    const s = new Uint8Array(n.size);
    if (n.space < 0 || selection.kind === 'all') s.fill(RUN);
    else if (roots.includes(n)) for (const i of rootIndexes) s[i] = RUN;
    else {
      for (const e of n.edges) {
        if (e.parent === n || e.parent.space < 0) continue;
        const ps = states.get(e.parent)!;
        const parentIdx: number[] = [];
        for (let i = 0; i < ps.length; i++) if (ps[i]) parentIdx.push(i);
        for (const i of e.downstreamOf(parentIdx)) s[i] = RUN;
      }
    }
    states.set(n, s);
    // Before statuses: a protected partition is reported as protected whatever its status.
    applyProtected(graph, n, s, protectedOf);
    applyStatuses(graph, n, s, reprocess, statusesOf);
    blockOnUpstream(graph, n, s, states, statusesOf, blockingNodes);
    if (hasBlocking(s) || s.includes(code('protected'))) blockingNodes.add(n);
  }
  return { states, rootIndexes, rootSpace: first.space };
}

function applyProtected(graph: PlanningGraph, n: PlanningNode, s: Uint8Array, protectedOf: ProtectedLookup | undefined): void {
  const specs = protectedOf?.(n.name) ?? [];
  if (specs.length === 0 || n.space < 0) return;
  for (const i of protectedIndexes(graph.spaces[n.space]!, specs)) if (s[i] === RUN) s[i] = code('protected');
}

/**
 * Stored statuses are sparse (only keys that ever ran), so this costs what has run, not the key count. A
 * CANCELED partition is missing in Dagster's terms: every reprocess mode runs it, as it runs a MISSING one.
 */
function applyStatuses(graph: PlanningGraph, n: PlanningNode, s: Uint8Array, reprocess: ReprocessMode, statusesOf: StatusLookup | undefined): void {
  if (!statusesOf) return;
  const space = n.space >= 0 ? graph.spaces[n.space]! : null;
  for (const [key, status] of statusesOf(n.name)) {
    const i = space ? space.indexOf(key) : key === '' ? 0 : -1;
    if (i < 0 || s[i] !== RUN) continue;
    if (status === 'IN_PROGRESS') s[i] = code('in-progress');
    else if (status === 'MATERIALIZED' && reprocess !== 'all') s[i] = code('materialized');
    else if (status === 'FAILED' && reprocess === 'missing') s[i] = code('failed');
  }
}

/**
 * A partition whose targeted parent partition is skipped for a blocking reason is skipped too. Parents outside
 * the backfill are checked only when they are command targets: their status in the store is authoritative
 * (this tool runs them); Dagster assets are materialized elsewhere too, so, as Dagster, they are not waited for.
 * A protected parent partition is treated as a parent outside the backfill: a command target's must be
 * MATERIALIZED in the store (else the child is skipped as upstream-missing); an asset's is not waited for.
 */
function blockOnUpstream(graph: PlanningGraph, n: PlanningNode, s: Uint8Array, states: Map<PlanningNode, Uint8Array>, statusesOf: StatusLookup | undefined, blockingNodes: ReadonlySet<PlanningNode>): void {
  const parents = n.edges.filter((e) => e.parent !== n && blockingNodes.has(e.parent));
  const outside = statusesOf ? n.outsideEdges.filter((e) => e.parent.definition.kind === 'command') : [];
  if (parents.length === 0 && outside.length === 0) return;
  const outsideStatus = outside.map((e) => statusesOf!(e.parent.name));
  const protectedParentStatus = new Map<PlanningNode, ReadonlyMap<string, PartitionStatus>>();
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== RUN) continue;
    for (const e of parents) {
      const ps = states.get(e.parent)!;
      e.forEachUpstream(i, i, (j) => {
        if (BLOCKING.has(ps[j]!)) s[i] = code('upstream-skipped');
        else if (ps[j] === code('protected') && s[i] === RUN && statusesOf && e.parent.definition.kind === 'command') {
          let statuses = protectedParentStatus.get(e.parent);
          if (!statuses) protectedParentStatus.set(e.parent, (statuses = statusesOf(e.parent.name)));
          if (statuses.get(graph.spaces[e.parent.space]!.keys[j]!) !== 'MATERIALIZED') s[i] = code('upstream-missing');
        }
      });
    }
    outside.forEach((e, k) => {
      const keys = e.parent.space >= 0 ? graph.spaces[e.parent.space]!.keys : [''];
      e.forEachUpstream(i, i, (j) => {
        if (s[i] === RUN && outsideStatus[k]!.get(keys[j]!) !== 'MATERIALIZED') s[i] = code('upstream-missing');
      });
    });
  }
}

function hasBlocking(s: Uint8Array): boolean {
  for (const c of s) if (BLOCKING.has(c)) return true;
  return false;
}

/** Inclusive [start, end] index ranges where `pick` holds. */
export function indexRanges(s: Uint8Array, pick: (code: number) => boolean): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = -1;
  for (let i = 0; i <= s.length; i++) {
    const on = i < s.length && pick(s[i]!);
    if (on && start < 0) start = i;
    else if (!on && start >= 0) {
      out.push([start, i - 1]);
      start = -1;
    }
  }
  return out;
}
