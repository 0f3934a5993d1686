// Static discovery of the definitions of one Python file on its own (imports of other modules stay unresolved).
import type { AssetDefinition, DefinitionDiagnostic, JobDefinition } from './definition';
import { DefinitionIndex } from './definitionIndex';

export interface PythonDefinitions {
  assets: AssetDefinition[];
  jobs: JobDefinition[];
  diagnostics: DefinitionDiagnostic[];
}

/**
 * Assets and jobs of one module. `path` is the workspace-relative path used in locations. Never throws:
 * what cannot be read becomes a diagnostic, and a file with syntax errors still yields what parses.
 */
export function parsePythonDefinitions(path: string, text: string): PythonDefinitions {
  const index = new DefinitionIndex();
  index.update([{ path, text }]);
  return index.snapshot();
}
