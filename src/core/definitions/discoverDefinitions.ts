// Discovery over a workspace: every .py file through parsePythonDefinitions, merged and checked for duplicate keys.
import type { AssetDefinition, DefinitionDiagnostic, JobDefinition, SourceFiles } from './definition';
import { parsePythonDefinitions } from './parsePythonDefinitions';

export { parsePythonDefinitions } from './parsePythonDefinitions';
export type { PythonDefinitions } from './parsePythonDefinitions';

export interface DiscoveredDefinitions {
  assets: AssetDefinition[];
  jobs: JobDefinition[];
  diagnostics: DefinitionDiagnostic[];
}

/** Never rejects: unreadable files and unexpected failures become diagnostics of the file concerned. */
export async function discoverDefinitions(files: SourceFiles): Promise<DiscoveredDefinitions> {
  const out: DiscoveredDefinitions = { assets: [], jobs: [], diagnostics: [] };
  let paths: string[];
  try {
    paths = [...(await files.list(['.py']))].sort();
  } catch (e) {
    out.diagnostics.push({ location: { file: '', line: 1 }, message: `Could not list Python files: ${errorText(e)}`, severity: 'error' });
    return out;
  }
  for (const path of paths) {
    try {
      const text = await files.read(path);
      if (text === undefined) continue;
      const found = parsePythonDefinitions(path, text);
      out.assets.push(...found.assets);
      out.jobs.push(...found.jobs);
      out.diagnostics.push(...found.diagnostics);
    } catch (e) {
      out.diagnostics.push({ location: { file: path, line: 1 }, message: `Could not read definitions from ${path}: ${errorText(e)}`, severity: 'error' });
    }
  }
  reportDuplicates(out.assets, (a) => a.key.join('/'), 'asset key', out.diagnostics);
  reportDuplicates(out.jobs, (j) => j.name, 'job name', out.diagnostics);
  return out;
}

function reportDuplicates<T extends AssetDefinition | JobDefinition>(defs: T[], name: (d: T) => string, what: string, diagnostics: DefinitionDiagnostic[]): void {
  const first = new Map<string, T>();
  for (const d of defs) {
    const seen = first.get(name(d));
    if (!seen) first.set(name(d), d);
    else {
      diagnostics.push({
        location: d.location,
        message: `Duplicate ${what} '${name(d)}': also defined at ${seen.location.file}:${seen.location.line}`,
        severity: 'warning',
      });
    }
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
