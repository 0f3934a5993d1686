// Discovery over a workspace: every Python module through the DefinitionIndex, as Dagster's code locations load them.
import type { SourceFiles } from './definition';
import { DefinitionIndex } from './definitionIndex';
import type { DiscoveredDefinitions } from './assembleDefinitions';

export { parsePythonDefinitions } from './parsePythonDefinitions';
export type { PythonDefinitions } from './parsePythonDefinitions';
export type { DiscoveredDefinitions } from './assembleDefinitions';

/** Never rejects: unreadable files and unexpected failures become diagnostics of the file concerned. */
export async function discoverDefinitions(files: SourceFiles): Promise<DiscoveredDefinitions> {
  return (await DefinitionIndex.load(files)).snapshot();
}
