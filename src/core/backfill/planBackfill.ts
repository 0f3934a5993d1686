// Turns a selection into an exact plan, as Dagster's backfill planning makes it: runs in order, each with its targets, key or key range and upstream runs.
import type { Definition } from '../definitions/definition';
import { BackfillPlanError, SKIP_REASON_TEXT, type BackfillPlan, type KeyRange, type ReprocessMode, type SkippedPartitions } from './backfillPlan';
import { samePolicy } from './backfillPolicy';
import { describeSelection, type PartitionSelection } from './partitionSelection';
import { planInputsHash } from './planInputsHash';
import type { ProtectedPartitions } from './protectedPartitions';
import { buildPlanningGraph, type PlanningNode } from './planningGraph';
import { buildRuns, groupNodes, linkRunGroups } from './runGroups';
import { RUN, SKIP_CODES, indexRanges, targetSubsets, type StatusLookup } from './targetSubsets';

export { BackfillPlanError, type BackfillPlan, type PlannedRun } from './backfillPlan';
export { describeSelection, type PartitionSelection } from './partitionSelection';
export type { ProtectedPartitions } from './protectedPartitions';

export interface PlanOptions {
  reprocess?: ReprocessMode;
  /** Stored statuses per target; without it nothing is skipped for status. */
  statuses?: StatusLookup;
  /** Every definition of the workspace, to check parents outside the selection. */
  known?: readonly Definition[];
  /** backfills.yaml's top-level `protected:` map; a command target's own `protected:` list is read from its definition. */
  protectedPartitions?: ProtectedPartitions;
}


export function planBackfill(targets: readonly Definition[], selection: PartitionSelection, now: Date, options: PlanOptions = {}): BackfillPlan {
  if (targets.length === 0) throw new BackfillPlanError('select at least one target');
  const reprocess = options.reprocess ?? 'all';
  const graph = buildPlanningGraph(targets, options.known ?? [], now);
  const byName = new Map(graph.nodes.map((n) => [n.name, n.definition]));
  const protectedOf = (name: string): readonly string[] => {
    const own = byName.get(name);
    return [...(own?.kind === 'command' ? own.protected ?? [] : []), ...(options.protectedPartitions?.[name] ?? [])];
  };
  const subsets = targetSubsets(graph, selection, reprocess, options.statuses, protectedOf);
  const runSets = new Map<PlanningNode, string>();
  const counts = new Map<PlanningNode, number>();
  for (const n of graph.nodes) {
    const s = subsets.states.get(n)!;
    runSets.set(n, indexRanges(s, (c) => c === RUN).map((r) => `${r[0]}-${r[1]}`).join(','));
    counts.set(n, countOf(s));
  }

  // Dagster's "same run" test (may a parent and child share one run): assets only, since each command target is its own process.
  const coRun = (p: PlanningNode, c: PlanningNode, identityLike: boolean): boolean => {
    if (p.definition.kind !== 'asset' || c.definition.kind !== 'asset' || p.selfDependent || c.selfDependent) return false;
    if (!samePolicy(p.policy, c.policy) || p.space !== c.space || runSets.get(p) !== runSets.get(c)) return false;
    if (identityLike) return true;
    const count = counts.get(c)!;
    return c.policy !== null && (c.policy.maxPartitionsPerRun === null || c.policy.maxPartitionsPerRun >= count);
  };
  const stage = new Map<PlanningNode, number>();
  for (const n of graph.nodes) {
    let s = 0;
    for (const e of n.edges) if (e.parent !== n) s = Math.max(s, stage.get(e.parent)! + (coRun(e.parent, n, e.identityLike) ? 0 : 1));
    stage.set(n, s);
  }
  const groups = groupNodes(graph.nodes, stage, runSets);
  const keysOf = (n: PlanningNode) => (n.space >= 0 ? graph.spaces[n.space]!.keys : null);
  for (const g of groups) buildRuns(g, subsets.states.get(g.nodes[0]!)!, keysOf(g.nodes[0]!), g.nodes[0]!.space);

  const ordered = linkRunGroups(groups, subsets.states);
  const skipped: SkippedPartitions[] = [];
  let partitionCount = 0;
  for (const n of graph.nodes) {
    const s = subsets.states.get(n)!;
    partitionCount += counts.get(n)!;
    const keys = keysOf(n) ?? [''];
    if (counts.get(n) === s.length) continue;
    SKIP_CODES.forEach((reason, k) => {
      const ranges = indexRanges(s, (c) => c === 2 + k);
      if (ranges.length === 0) return;
      const keyRanges: KeyRange[] = ranges.map(([a, b]) => ({ start: keys[a]!, end: keys[b]! }));
      skipped.push({ target: n.name, reason, ranges: keyRanges, count: ranges.reduce((t, [a, b]) => t + b - a + 1, 0) });
    });
  }
  const rootKeys = graph.spaces[subsets.rootSpace]!.keys;
  return {
    targets: graph.nodes.map((n) => n.name),
    partitionKeys: subsets.rootIndexes.map((i) => rootKeys[i]!),
    partitionCount,
    runs: ordered,
    skipped,
    selection: describeSelection(selection),
    reprocess,
    keySpaces: graph.spaces.map((s) => s.keys),
    plannedAt: now.toISOString(),
    inputsHash: planInputsHash(graph, selection, reprocess, options.statuses, Object.fromEntries(graph.nodes.map((n) => [n.name, protectedOf(n.name)]))),
  };
}

export function describeSkip(s: SkippedPartitions): string {
  return `${s.target}: ${s.count} skipped, ${SKIP_REASON_TEXT[s.reason]}`;
}

function countOf(s: Uint8Array): number {
  let c = 0;
  for (const v of s) if (v === RUN) c++;
  return c;
}


