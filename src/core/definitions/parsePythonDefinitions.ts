// Static discovery of @asset and @job definitions in one Python file (no Python needed).
import type { AssetDefinition, DefinitionDiagnostic, JobDefinition } from './definition';
import type { DecoratedDefinitionContext } from './decoratedDefinitionContext';
import { PythonModule } from './pythonModule';
import { assetFromDecorator, assetKeyOf } from './assetFromDecorator';
import { jobFromDecorator } from './jobFromDecorator';

export interface PythonDefinitions {
  assets: AssetDefinition[];
  jobs: JobDefinition[];
  diagnostics: DefinitionDiagnostic[];
}

/** Files that never mention dagster cannot define anything; checking the text first skips parsing them. */
export function mentionsDagster(text: string): boolean {
  return /\bdagster\b/.test(text);
}

/**
 * Assets and jobs of one module. `path` is the workspace-relative path used in locations. Never throws:
 * what cannot be read becomes a diagnostic, and a file with syntax errors still yields what parses.
 */
export function parsePythonDefinitions(path: string, text: string): PythonDefinitions {
  const result: PythonDefinitions = { assets: [], jobs: [], diagnostics: [] };
  if (!mentionsDagster(text)) return result;
  try {
    readDefinitions(path, text, result);
  } catch (e) {
    result.diagnostics.push({
      location: { file: path, line: 1 },
      message: `Discovery failed on this file: ${e instanceof Error ? e.message : String(e)}`,
      severity: 'error',
    });
  }
  result.diagnostics.sort((a, b) => a.location.line - b.location.line || (a.location.column ?? 0) - (b.location.column ?? 0));
  return result;
}

function readDefinitions(path: string, text: string, result: PythonDefinitions): void {
  const module = new PythonModule(text);
  if (module.firstSyntaxError !== null) {
    const { line, column } = module.position(module.firstSyntaxError);
    result.diagnostics.push({
      location: { file: path, line, column },
      message: `Python syntax error at line ${line}, column ${column}; definitions in the unparsable part may be missing`,
      severity: 'error',
    });
  }
  const ctx: DecoratedDefinitionContext = { path, module, diagnostics: result.diagnostics, assetKeyOfFunction: () => null };
  const assetDecorators = module.functions.flatMap((fn) => fn.decorators.filter((d) => module.scope.dagsterSymbol(d.name) === 'asset').map((d) => ({ fn, d })));
  const keyByFunction = new Map<string, string[]>();
  for (const { fn, d } of assetDecorators) {
    keyByFunction.set(fn.name, assetKeyOf({ ...ctx, diagnostics: [] }, fn, d));
  }
  ctx.assetKeyOfFunction = (name) => keyByFunction.get(name) ?? null;
  for (const { fn, d } of assetDecorators) result.assets.push(assetFromDecorator(ctx, fn, d));
  for (const fn of module.functions) {
    const job = fn.decorators.find((d) => module.scope.dagsterSymbol(d.name) === 'job');
    if (job) result.jobs.push(jobFromDecorator(ctx, fn, job));
  }
}
