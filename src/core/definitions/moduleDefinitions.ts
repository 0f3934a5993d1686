// Everything one module defines: decorated assets and jobs, AssetSpec/SourceAsset/define_asset_job values, Definitions.
import type { DefinitionDiagnostic } from './definition';
import type { DecoratedDefinitionContext } from './decoratedDefinitionContext';
import { guarded } from './decoratedDefinitionContext';
import type { PythonValue } from './pythonExpression';
import type { PythonDecorator, PythonFunction } from './pythonModule';
import type { ModuleImportOfAssets, ResolvedModule } from './resolvedModule';
import { PythonModuleNames } from './pythonModuleNames';
import { assetFromDecorator, assetKeyOf } from './assetFromDecorator';
import { multiAssetKeysOf, multiAssetsFromDecorator } from './multiAssetFromDecorator';
import { jobFromDecorator } from './jobFromDecorator';
import { jobStepsFromBody } from './jobStepsFromBody';
import { assetFromSpec } from './assetSpecFromPython';
import { assetJobFromCall } from './assetJobFromPython';
import type { DefinitionOrigin, DefinitionsObject } from './definitionsObject';
import { callOrigin, definitionsObjectFromCall, functionOrigin } from './definitionsObject';
import type { ModuleAsset, ModuleJob } from './moduleAsset';
import type { RepositoryObject } from './repositoryDefinitions';
import { readRepository } from './repositoryDefinitions';

export type { ModuleAsset, ModuleJob } from './moduleAsset';

export interface ModuleDefinitionsObject extends DefinitionsObject {
  origin: DefinitionOrigin;
  attribute: string;
}

export interface ModuleDefinitions {
  path: string;
  assets: ModuleAsset[];
  jobs: ModuleJob[];
  /** Module-scope Definitions objects, with the variable holding each (Dagster loads one per module). */
  definitionsObjects: ModuleDefinitionsObject[];
  /** @repository functions defined here: each a repository of the module's code location. */
  repositories: RepositoryObject[];
  /** Definitions imported by name (`from .assets import a`): in the module's namespace, as Dagster's `-f` load sees it. */
  imported: DefinitionOrigin[];
  /** Names imported from workspace modules: module loaders find the assets they are bound to here too. */
  imports: ModuleImportOfAssets[];
  /** A @definitions function builds the code location's Definitions at run time. */
  definitionsFunction: { line: number } | null;
  diagnostics: DefinitionDiagnostic[];
}

/** What the workspace provides while one module is read. */
export interface ModuleDefinitionsHost {
  /** Keys of the assets a function defines (any module), or null when it defines none. */
  functionKeys(path: string, name: string): string[][] | null;
  packageFiles(packageName: string): string[];
  /** False for an imported module that cannot hold definitions (it never mentions dagster and re-exports nothing). */
  mayHoldDefinitions?(moduleName: string, fromPath: string): boolean;
  /** Public module-level names of an imported module (what `from m import *` binds), or none. */
  publicNames?(moduleName: string, fromPath: string): string[];
}

const SINGLE_ASSET = new Set(['asset', 'graph_asset', 'observable_source_asset']);
const MULTI_ASSET = new Set(['multi_asset', 'graph_multi_asset']);
const DEFINING = new Set([...SINGLE_ASSET, ...MULTI_ASSET, 'job']);
const VALUE_DEFINITIONS = ['AssetSpec', 'SourceAsset', 'define_asset_job', 'Definitions', 'external_assets_from_specs'];

export function definitionDecorator(view: ResolvedModule, fn: PythonFunction): { decorator: PythonDecorator; symbol: string } | null {
  for (const decorator of fn.decorators) {
    const symbol = view.scope.dagsterSymbol(decorator.name);
    if (symbol !== null && (DEFINING.has(symbol) || symbol === 'definitions' || symbol === 'repository')) return { decorator, symbol };
  }
  return null;
}

export function definitionContext(view: ResolvedModule, host: ModuleDefinitionsHost, diagnostics: DefinitionDiagnostic[]): DecoratedDefinitionContext {
  const keysOf = (name: string) => {
    const b = view.binding(name);
    return b.kind === 'function' ? host.functionKeys(b.path, b.fn.name) : null;
  };
  return {
    path: view.path,
    module: view,
    diagnostics,
    assetKeyOfFunction: (name) => keysOf(name)?.[0] ?? null,
    assetKeysOfFunction: keysOf,
    packageFiles: (name) => host.packageFiles(name),
  };
}

/** Keys of each asset-defining function of the module, without diagnostics (for references from elsewhere). */
export function functionKeysOfModule(view: ResolvedModule, host: ModuleDefinitionsHost): Map<string, string[][]> {
  const ctx = definitionContext(view, host, []);
  const out = new Map<string, string[][]>();
  for (const fn of view.module.functions) {
    const found = definitionDecorator(view, fn);
    if (!found || found.symbol === 'job' || found.symbol === 'definitions' || found.symbol === 'repository') continue;
    out.set(fn.name, MULTI_ASSET.has(found.symbol) ? multiAssetKeysOf(ctx, fn, found.decorator) : [assetKeyOf(ctx, fn, found.decorator)]);
  }
  return out;
}

export function readModuleDefinitions(view: ResolvedModule, host: ModuleDefinitionsHost): ModuleDefinitions {
  const { path, module } = view;
  const result: ModuleDefinitions = { path, assets: [], jobs: [], definitionsObjects: [], repositories: [], imported: [], imports: view.importedFromWorkspace(), definitionsFunction: null, diagnostics: [] };
  const ctx = definitionContext(view, host, result.diagnostics);
  if (module.firstSyntaxError !== null) {
    const at = view.locate(module.firstSyntaxError);
    result.diagnostics.push({ location: at, severity: 'error',
      message: `Python syntax error at line ${at.line}, column ${at.column}; definitions in the unparsable part may be missing` });
  }
  for (const nested of [...module.nestedDecorators, ...module.nestedCalls]) {
    const symbol = view.scope.dagsterSymbol(nested.name);
    if (symbol === null || !(DEFINING.has(symbol) || VALUE_DEFINITIONS.includes(symbol))) continue;
    const what = module.nestedDecorators.some((d) => d === nested) ? `@${nested.name}` : `${nested.name}(...)`;
    result.diagnostics.push({ location: { file: path, line: nested.line, column: nested.column }, severity: 'warning',
      message: `${what} inside a function or loop (an asset factory) is not statically resolvable; the definitions it creates are not listed` });
  }
  for (const fn of module.functions) {
    const found = definitionDecorator(view, fn);
    if (!found) continue;
    const { decorator, symbol } = found;
    if (symbol === 'definitions') result.definitionsFunction = { line: view.locate(fn.defOffset).line };
    else if (symbol === 'repository') {
      const reading = guarded(ctx, null, () => readRepository(ctx, module, fn, decorator));
      if (reading) {
        result.repositories.push(reading.repository);
        result.assets.push(...reading.assets);
        result.jobs.push(...reading.jobs);
      }
    }
    else if (symbol === 'job') {
      const job = jobFromDecorator(ctx, fn, decorator);
      const steps = jobStepsFromBody(view, path, fn);
      if (steps) job.steps = steps;
      result.jobs.push({ origin: functionOrigin(path, fn.name), job, assetJob: null });
    }
    else if (MULTI_ASSET.has(symbol)) {
      for (const { asset, inputs } of multiAssetsFromDecorator(ctx, fn, decorator)) result.assets.push({ origin: functionOrigin(path, fn.name), asset, executable: true, inputs, loadedAs: 'definition', name: fn.name });
    } else {
      const inputs: (string | null)[] = [];
      const asset = assetFromDecorator(ctx, fn, decorator, inputs);
      // An observable source asset is executed (observed), never materialized.
      if (symbol === 'observable_source_asset') asset.materializable = false;
      result.assets.push({ origin: functionOrigin(path, fn.name), asset, executable: true, inputs, loadedAs: 'definition', name: fn.name });
    }
  }
  readModuleValues(view, ctx, result);
  result.imported = importedOrigins(view, host);
  result.assets.sort((a, b) => a.asset.location.line - b.asset.location.line);
  result.jobs.sort((a, b) => a.job.location.line - b.job.location.line);
  return result;
}

/** Module-level variables holding AssetSpec/SourceAsset/define_asset_job/Definitions calls (also inside lists). */
function readModuleValues(view: ResolvedModule, ctx: DecoratedDefinitionContext, result: ModuleDefinitions): void {
  const { module } = view;
  const aliases = [...VALUE_DEFINITIONS];
  for (const [local, imp] of module.imports) if (imp.symbol !== null && VALUE_DEFINITIONS.includes(imp.symbol)) aliases.push(local);
  const mentions = new RegExp(`\\b(${aliases.join('|')})\\b`);
  const seen = new Set<number>();
  /** `external`: inside external_assets_from_specs(...), whose specs become AssetsDefinitions. */
  const visit = (v: PythonValue, depth: number, external = false): void => {
    if (depth > 30) return;
    switch (v.kind) {
      case 'list': case 'tuple': case 'set':
        for (const item of v.items) visit(item, depth + 1, external);
        return;
      case 'dict':
        for (const e of v.entries) visit(e.value, depth + 1);
        return;
      case 'starred':
        visit(v.value, depth + 1, external);
        return;
      case 'binary':
        visit(v.left, depth + 1, external);
        visit(v.right, depth + 1, external);
        return;
      case 'call': {
        if (v.receiver || seen.has(v.from)) return;
        const symbol = view.scope.dagsterSymbol(v.callee);
        if (symbol === 'AssetSpec' || symbol === 'SourceAsset') {
          seen.add(v.from);
          const loadedAs = symbol === 'SourceAsset' ? 'source' : external ? 'definition' : 'spec';
          guarded(ctx, undefined, () => { result.assets.push({ origin: callOrigin(v.from), asset: { ...assetFromSpec(ctx, v), materializable: false }, executable: false, loadedAs, name: variable }); });
        } else if (symbol === 'define_asset_job') {
          seen.add(v.from);
          const assetJob = assetJobFromCall(ctx, v);
          result.jobs.push({ origin: callOrigin(v.from), job: assetJob.job, assetJob });
        } else if (symbol === 'Definitions') {
          seen.add(v.from);
          result.definitionsObjects.push({ ...definitionsObjectFromCall(ctx, v), origin: callOrigin(v.from), attribute });
          for (const a of [...v.args, ...v.kwargs.map((k) => k.value)]) visit(a, depth + 1);
        } else if (symbol !== null && /^(external_assets_from_specs|external_asset_from_spec|build_schedule_from_partitioned_job|ScheduleDefinition)$/.test(symbol)) {
          for (const a of [...v.args, ...v.kwargs.map((k) => k.value)]) visit(a, depth + 1, symbol.startsWith('external_asset'));
        }
        return;
      }
      default:
    }
  };
  let attribute = '';
  let variable = '';
  for (const name of module.variables.names()) {
    attribute = name;
    const source = module.assignmentSource(name);
    if (source === undefined || !mentions.test(source)) continue;
    const value = module.variables.get(name);
    variable = name;
    if (value) visit(value, 0);
  }
}

/** Origins of the definitions (and Definitions objects) the module imports by name into its namespace. */
function importedOrigins(view: ResolvedModule, host: ModuleDefinitionsHost): DefinitionOrigin[] {
  const out: DefinitionOrigin[] = [];
  for (const [local, imp] of view.module.imports) {
    if (imp.symbol === null || PythonModuleNames.isDagster(imp.module)) continue;
    // Resolving a name reads the module it comes from: one that cannot define anything is not read (nor depended on).
    if (host.mayHoldDefinitions && !host.mayHoldDefinitions(imp.module, view.path)) continue;
    const b = view.binding(local);
    if (b.kind === 'function' && b.path !== view.path && b.fn.decorators.length > 0) out.push(functionOrigin(b.path, b.fn.name));
    else if (b.kind === 'value' && b.path !== view.path && b.value.kind === 'call') out.push(callOrigin(b.value.from));
  }
  // `from .assets import *` puts the module's public definitions in this namespace too (local names win).
  for (const star of view.module.starImports) {
    if (PythonModuleNames.isDagster(star.module) || !host.publicNames || (host.mayHoldDefinitions && !host.mayHoldDefinitions(star.module, view.path))) continue;
    for (const name of host.publicNames(star.module, view.path)) {
      if (view.module.bindings.has(name)) continue;
      const b = view.binding(name);
      if (b.kind === 'function' && b.path !== view.path && b.fn.decorators.length > 0) out.push(functionOrigin(b.path, b.fn.name));
      else if (b.kind === 'value' && b.path !== view.path && b.value.kind === 'call') out.push(callOrigin(b.value.from));
    }
  }
  return [...new Set(out)];
}
