// What reading one decorated definition needs: the module, the file path, and where diagnostics go.
import type { DefinitionDiagnostic } from './definition';
import { PythonEvaluationError } from './pythonExpression';
import type { PythonModule } from './pythonModule';

export interface DecoratedDefinitionContext {
  path: string;
  module: PythonModule;
  diagnostics: DefinitionDiagnostic[];
  /** Key of the @asset function with this name in the module, or null. */
  assetKeyOfFunction(name: string): string[] | null;
}

/** Runs `read`, turning an evaluation error into a diagnostic and the fallback value. */
export function guarded<T>(ctx: DecoratedDefinitionContext, fallback: T, read: () => T, severity: 'error' | 'warning' = 'error'): T {
  try {
    return read();
  } catch (e) {
    if (!(e instanceof PythonEvaluationError)) throw e;
    const { line, column } = ctx.module.position(e.offset);
    ctx.diagnostics.push({ location: { file: ctx.path, line, column }, message: e.reason, severity });
    return fallback;
  }
}

