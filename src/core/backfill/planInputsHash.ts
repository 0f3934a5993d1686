// The hash a saved plan is checked against before launch: definitions, mappings, policies and the statuses consulted.
import { createHash } from 'node:crypto';
import type { ReprocessMode } from './backfillPlan';
import type { PartitionSelection } from './partitionSelection';
import type { PlanningGraph } from './planningGraph';
import type { StatusLookup } from './targetSubsets';

/** Source locations are left out on purpose: moving a definition in its file does not change what a plan does. */
export function planInputsHash(graph: PlanningGraph, selection: PartitionSelection, reprocess: ReprocessMode, statusesOf: StatusLookup | undefined, protectedSpecs: Record<string, readonly string[]> = {}): string {
  const h = createHash('sha256');
  h.update(JSON.stringify({ selection, reprocess }));
  // Protecting or unprotecting a partition changes what the plan runs.
  const protectedUsed = Object.entries(protectedSpecs).filter(([, specs]) => specs.length > 0);
  if (protectedUsed.length > 0) h.update(JSON.stringify({ protected: protectedUsed }));
  const consulted = new Set<string>();
  for (const n of graph.nodes) {
    const { location: _location, ...definition } = n.definition;
    h.update(JSON.stringify({ ...definition, partitions: n.partitions?.toJSON() ?? null }));
    consulted.add(n.name);
    for (const e of n.outsideEdges) {
      if (e.parent.definition.kind !== 'command') continue;
      const { location: _l, ...parent } = e.parent.definition;
      h.update(JSON.stringify({ outside: { ...parent, partitions: e.parent.partitions?.toJSON() ?? null } }));
      consulted.add(e.parent.name);
    }
  }
  if (statusesOf) {
    for (const name of [...consulted].sort()) {
      const entries = [...statusesOf(name)].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      h.update(JSON.stringify([name, entries]));
    }
  }
  return h.digest('hex');
}
