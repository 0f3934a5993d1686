// Runs of a plan by group, as Dagster groups them: which targets share runs, one run per key or per key range, and upstream links.
import { BackfillPlanError, type PlannedRun } from './backfillPlan';
import type { PlanningNode } from './planningGraph';
import { RUN, indexRanges } from './targetSubsets';

export interface RunGroup {
  nodes: PlanningNode[];
  targets: string[];
  stage: number;
  /** Position of each key in the group's run list (-1: not run by this group). */
  runOfKey: Int32Array;
  runs: PlannedRun[];
}

/** Links every run to the runs of its parent partitions, through the mappings, and returns all runs in order. */
export function linkRunGroups(groups: RunGroup[], states: ReadonlyMap<PlanningNode, Uint8Array>): PlannedRun[] {
  const groupOf = new Map<PlanningNode, RunGroup>();
  groups.forEach((g) => g.nodes.forEach((n) => groupOf.set(n, g)));
  // Stage-major numbering is topological: every edge between groups goes to a higher stage.
  groups.sort((a, b) => a.stage - b.stage);
  const firstRun = new Map<RunGroup, number>();
  let total = 0;
  for (const g of groups) {
    firstRun.set(g, total);
    total += g.runs.length;
  }
  const stamp = new Int32Array(total).fill(-1);
  const span = new Int32Array(2);
  for (const g of groups) {
    const base = firstRun.get(g)!;
    // Parents in one group share their runnable keys, so edges with equal spans to one group give equal runs.
    const seen = new Set<string>();
    const edges = g.nodes.flatMap((n) => n.edges).filter((e) => {
      const pg = groupOf.get(e.parent)!;
      if (pg === g && e.identityLike) return false;
      if (e.spanKey === null) return true;
      const key = `${firstRun.get(pg)}|${e.spanKey}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    g.runs.forEach((run, k) => {
      const self = base + k;
      const up: number[] = [];
      for (const e of edges) {
        const pg = groupOf.get(e.parent)!;
        const ps = states.get(e.parent)!;
        const pbase = firstRun.get(pg)!;
        const runOfKey = pg.runOfKey;
        const s0 = Math.max(run.startIndex, 0);
        const e0 = Math.max(run.endIndex, 0);
        if (e.spanOf(s0, e0, span)) {
          for (let j = span[0]!; j <= span[1]!; j++) {
            if (ps[j] !== RUN) continue;
            const u = pbase + runOfKey[j]!;
            if (u !== self && stamp[u] !== self) {
              stamp[u] = self;
              up.push(u);
            }
          }
        } else {
          e.forEachUpstream(s0, e0, (j) => {
            if (ps[j] !== RUN) return;
            const u = pbase + runOfKey[j]!;
            if (u !== self && stamp[u] !== self) {
              stamp[u] = self;
              up.push(u);
            }
          });
        }
      }
      if (up.some((u) => u > self)) {
        throw new BackfillPlanError(`${g.targets.join(', ')} ${runLabel(run)} depends on a later partition of itself; Dagster cannot order such a backfill either`);
      }
      run.upstream = up;
    });
  }
  return orderRuns(groups);
}

/** Assets with the same stage, partitions, policy and key set share runs (as in Dagster); command targets never do. */
export function groupNodes(nodes: PlanningNode[], stage: Map<PlanningNode, number>, runSets: Map<PlanningNode, string>): RunGroup[] {
  const byKey = new Map<string, RunGroup>();
  const groups: RunGroup[] = [];
  for (const n of nodes) {
    const key = n.definition.kind === 'asset' && !n.selfDependent
      ? JSON.stringify([stage.get(n), n.space, n.policy, runSets.get(n)])
      : `own:${n.name}`;
    let g = byKey.get(key);
    if (!g) {
      g = { nodes: [], targets: [], stage: stage.get(n)!, runOfKey: new Int32Array(n.size).fill(-1), runs: [] };
      byKey.set(key, g);
      groups.push(g);
    }
    g.nodes.push(n);
    g.targets.push(n.name);
  }
  return groups;
}

/** One run per key without a policy; contiguous ranges, cut into chunks of max_partitions_per_run, with one. */
export function buildRuns(g: RunGroup, states: Uint8Array, keys: string[] | null, space: number): void {
  const policy = g.nodes[0]!.policy;
  const add = (a: number, b: number) => {
    const run: PlannedRun = keys
      ? { targets: g.targets, partitionKey: a === b && policy === null ? keys[a]! : null, range: policy === null ? null : { start: keys[a]!, end: keys[b]! }, keySpace: space, startIndex: a, endIndex: b, upstream: [] }
      : { targets: g.targets, partitionKey: null, range: null, keySpace: -1, startIndex: -1, endIndex: -1, upstream: [] };
    for (let i = Math.max(a, 0); i <= Math.max(b, 0); i++) g.runOfKey[i] = g.runs.length;
    g.runs.push(run);
  };
  if (!keys) {
    if (states[0] === RUN) add(-1, -1);
    return;
  }
  for (const [a, b] of indexRanges(states, (c) => c === RUN)) {
    if (policy === null) for (let i = a; i <= b; i++) add(i, i);
    else {
      const step = policy.maxPartitionsPerRun ?? b - a + 1;
      for (let s = a; s <= b; s += step) add(s, Math.min(b, s + step - 1));
    }
  }
}

function runLabel(run: PlannedRun): string {
  return run.range ? `${run.range.start}...${run.range.end}` : run.partitionKey ?? '(unpartitioned)';
}

/**
 * Partition-major order, so early partitions finish first as a user watching expects: by the latest key
 * position among the run and its upstream runs, then stage, then own position. Upstream runs always sort
 * first: their position is no later and their stage lower (or, within a group, their position earlier).
 * Runs come in stage-major order with upstream indexes in that numbering; they leave renumbered.
 */
function orderRuns(groups: RunGroup[]): PlannedRun[] {
  const runs: PlannedRun[] = [];
  const stages: number[] = [];
  const own: number[] = [];
  for (const g of groups) {
    for (const r of g.runs) {
      runs.push(r);
      stages.push(g.stage);
      own.push(r.keySpace < 0 ? 2 : r.startIndex / g.runOfKey.length);
    }
  }
  const ready = new Float64Array(runs.length);
  runs.forEach((r, i) => {
    let m = own[i]!;
    for (const u of r.upstream) if (ready[u]! > m) m = ready[u]!;
    ready[i] = m;
  });
  const order = Array.from({ length: runs.length }, (_, i) => i);
  order.sort((a, b) => ready[a]! - ready[b]! || stages[a]! - stages[b]! || own[a]! - own[b]! || a - b);
  const position = new Int32Array(runs.length);
  order.forEach((old, i) => (position[old] = i));
  return order.map((old) => {
    const r = runs[old]!;
    r.upstream = r.upstream.map((u) => position[u]!).sort((a, b) => a - b);
    return r;
  });
}
