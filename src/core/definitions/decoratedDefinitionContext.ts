// What reading one definition needs: the module (resolved across the workspace), and where diagnostics go.
import type { DefinitionDiagnostic } from './definition';
import { PythonEvaluationError } from './pythonExpression';
import type { DefinitionModule } from './resolvedModule';

export interface DecoratedDefinitionContext {
  path: string;
  module: DefinitionModule;
  diagnostics: DefinitionDiagnostic[];
  /** Key of the asset defined by the function a name refers to (in this module or imported), or null. */
  assetKeyOfFunction(name: string): string[] | null;
  /** Keys of every asset the function a name refers to defines (several for a multi-asset), or null. */
  assetKeysOfFunction?(name: string): string[][] | null;
  /** Files of every module in a package (for load_assets_from_package_module). */
  packageFiles?(packageName: string): string[];
}

/** Runs `read`, turning an evaluation error into a diagnostic (located in whichever file wrote the value) and the fallback. */
export function guarded<T>(ctx: DecoratedDefinitionContext, fallback: T, read: () => T, severity: 'error' | 'warning' = 'error'): T {
  try {
    return read();
  } catch (e) {
    if (!(e instanceof PythonEvaluationError)) throw e;
    ctx.diagnostics.push({ location: ctx.module.locate(e.offset), message: e.reason, severity });
    return fallback;
  }
}
