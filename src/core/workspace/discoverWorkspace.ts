// Discovers everything a workspace offers for backfills: Dagster assets and jobs, and backfills.yaml targets.
import { discoverDefinitions } from '../definitions/discoverDefinitions';
import type { DefinitionsSnapshot, SourceFiles } from '../definitions/definition';
import { evaluatePartitionsExpression } from '../definitions/evaluatePartitionsExpression';
import { loadCommandTargets } from '../targets/loadCommandTargets';

export const BACKFILLS_FILE = 'backfills.yaml';

export async function discoverWorkspace(files: SourceFiles): Promise<DefinitionsSnapshot> {
  const [python, yamlFiles] = await Promise.all([discoverDefinitions(files), files.list([BACKFILLS_FILE])]);
  const snapshot: DefinitionsSnapshot = { assets: python.assets, jobs: python.jobs, commandTargets: [], diagnostics: [...python.diagnostics] };
  for (const file of yamlFiles.filter((f) => f === BACKFILLS_FILE || f.endsWith(`/${BACKFILLS_FILE}`))) {
    const text = await files.read(file);
    if (text === undefined) continue;
    const loaded = loadCommandTargets(file, text, evaluatePartitionsExpression);
    snapshot.commandTargets.push(...loaded.targets);
    snapshot.diagnostics.push(...loaded.diagnostics);
  }
  return snapshot;
}
