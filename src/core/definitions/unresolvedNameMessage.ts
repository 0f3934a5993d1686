// The message for a name discovery could not turn into a value: where the name leads and why it stops there.
import { describeBinding } from './pythonNameResolver';
import type { DefinitionModule } from './resolvedModule';

/** E.g. "partitions_def 'daily' is imported from module 'other_lib', which is outside the workspace". */
export function unresolvedNameMessage(module: DefinitionModule, what: string, name: string): string {
  const b = module.binding(name);
  const imported = module.imports.get(name.split('.')[0]);
  switch (b.kind) {
    case 'unresolved':
      return `${what} '${name}' cannot be resolved: ${b.reason}`;
    case 'external':
      return imported
        ? `${what} '${name}' is imported from module '${imported.module}', which is outside the workspace`
        : `${what} '${name}' is ${b.name}, outside the workspace`;
    default:
      return `${what} '${name}' is ${describeBinding(b)}, which discovery cannot evaluate`;
  }
}
