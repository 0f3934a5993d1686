// Discovers everything a workspace offers for backfills: Dagster assets and jobs, and backfills.yaml targets.
import type { DefinitionsSnapshot, SourceFiles } from '../definitions/definition';
import { DefinitionIndex } from '../definitions/definitionIndex';
import { evaluatePartitionsExpression } from '../definitions/evaluatePartitionsExpression';
import { loadCommandTargets } from '../targets/loadCommandTargets';

export const BACKFILLS_FILE = 'backfills.yaml';

/** With `index` (kept up to date by the caller), Python discovery only re-reads what changed. */
export async function discoverWorkspace(files: SourceFiles, index?: DefinitionIndex): Promise<DefinitionsSnapshot> {
  const [python, yamlFiles] = await Promise.all([
    index ? Promise.resolve(index.snapshot()) : DefinitionIndex.load(files).then((i) => i.snapshot()),
    files.list([BACKFILLS_FILE]),
  ]);
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
