// Discovers everything a workspace offers for backfills: Dagster assets and jobs, and backfills.yaml targets.
import type { DiscoveredDefinitions } from '../definitions/assembleDefinitions';
import type { DefinitionsSnapshot, SourceFiles } from '../definitions/definition';
import { DefinitionIndex } from '../definitions/definitionIndex';
import { evaluatePartitionsExpression } from '../definitions/evaluatePartitionsExpression';
import { loadCommandTargets } from '../targets/loadCommandTargets';

export const BACKFILLS_FILE = 'backfills.yaml';

/** With `python` (discovered by the caller, see DefinitionsDiscovery), only backfills.yaml is read here. */
export async function discoverWorkspace(files: SourceFiles, python?: DiscoveredDefinitions): Promise<DefinitionsSnapshot> {
  const [discovered, yamlFiles] = await Promise.all([
    python ? Promise.resolve(python) : DefinitionIndex.load(files).then((i) => i.snapshot()),
    files.list([BACKFILLS_FILE]),
  ]);
  python = discovered;
  const snapshot: DefinitionsSnapshot = { assets: python.assets, jobs: python.jobs, commandTargets: [], diagnostics: [...python.diagnostics] };
  for (const file of yamlFiles.filter((f) => f === BACKFILLS_FILE || f.endsWith(`/${BACKFILLS_FILE}`))) {
    const text = await files.read(file);
    if (text === undefined) continue;
    const loaded = loadCommandTargets(file, text, evaluatePartitionsExpression);
    snapshot.commandTargets.push(...loaded.targets);
    snapshot.diagnostics.push(...loaded.diagnostics);
    for (const [name, specs] of Object.entries(loaded.protectedPartitions)) {
      snapshot.protectedPartitions = { ...snapshot.protectedPartitions, [name]: [...(snapshot.protectedPartitions?.[name] ?? []), ...specs] };
    }
  }
  return snapshot;
}
