// Dagster's validate_partition_mappings at load: each dependency's mapping (explicit or inferred) must relate the two definitions.
import type { DefinitionDiagnostic } from './definition';
import type { ModuleAsset } from './moduleDefinitions';
import { evaluatePartitionMappingExpression } from './evaluatePartitionMappingExpression';
import { inferPartitionMapping } from '../partitions/mappings/inferPartitionMapping';
import type { PartitionMapping } from '../partitions/mappings/partitionMapping';

/**
 * Dagster refuses to load a code location where a mapping cannot relate an asset to a partitioned parent
 * (base_asset_graph.py: "Invalid partition mapping from <child> to <parent>", raised from the mapping's
 * validate_partition_mapping). AssetSpecs are not checked, on either side, as Dagster skips external assets.
 * The error is reported on the mapping as written, or on the asset when the mapping is the inferred default.
 */
export function reportPartitionMappingProblems(scopeAssets: readonly ModuleAsset[], diagnostics: DefinitionDiagnostic[]): void {
  const executable = new Map<string, ModuleAsset['asset']>();
  for (const a of scopeAssets) if (a.executable && !executable.has(a.asset.key.join('/'))) executable.set(a.asset.key.join('/'), a.asset);
  const evaluated = new Map<string, PartitionMapping | null>();
  for (const child of executable.values()) {
    for (const dep of child.deps) {
      const parent = executable.get(dep.key.join('/'));
      if (!parent || parent.partitions === null) continue;
      let explicit: PartitionMapping | null = null;
      if (dep.mapping !== null) {
        if (!evaluated.has(dep.mapping)) {
          try {
            evaluated.set(dep.mapping, evaluatePartitionMappingExpression(dep.mapping));
          } catch {
            // A mapping that cannot be read is reported where it is read (planning); nothing to validate here.
            evaluated.set(dep.mapping, null);
          }
        }
        explicit = evaluated.get(dep.mapping)!;
        if (explicit === null) continue;
      }
      try {
        inferPartitionMapping(explicit, child.partitions, parent.partitions).validate(parent.partitions, child.partitions);
      } catch (e) {
        diagnostics.push({
          location: dep.mappingLocation ?? child.location, severity: 'error',
          message: `Invalid partition mapping from ${child.key.join('/')} to ${parent.key.join('/')}: ${(e as Error).message}`,
        });
      }
    }
  }
}
