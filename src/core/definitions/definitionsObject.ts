// A Definitions(...) object: which assets and jobs it lists, as references to where they are defined.
import type { SourceLocation } from './definition';
import type { DecoratedDefinitionContext } from './decoratedDefinitionContext';
import type { PythonValue } from './pythonExpression';
import { describePythonValue } from './pythonExpression';
import { assetKeyFromPython } from './assetKeyFromPython';
import { kwarg, stringArg } from './assetFromDecorator';
import { guarded } from './decoratedDefinitionContext';

/** A definition by where it is written: "path#function" for decorated functions, "@offset" for calls. */
export type DefinitionOrigin = string;

export type ListedDefinitions =
  | { kind: 'origin'; origin: DefinitionOrigin }
  /** One load_assets_from_* call: the assets of its modules, re-keyed and re-grouped together (see loadAssetsFromModules). */
  | AssetsLoaderCall;

/** What one load_assets_from_modules / _package_module / _package_name / _current_module call asks for. */
export interface AssetsLoaderCall {
  kind: 'loader';
  /** The call's offset: entries of one call are one load. */
  call: number;
  location: SourceLocation;
  /** Workspace paths of the modules it imports (a package's every module, the package's __init__ first). */
  paths: string[];
  keyPrefix: string[];
  sourceKeyPrefix: string[];
  group: string | null;
  /** include_specs=True: module-level AssetSpecs are loaded too (else only AssetsDefinitions and SourceAssets). */
  includeSpecs: boolean;
}

export interface DefinitionsObject {
  location: SourceLocation;
  /** null when the object was built in a way discovery cannot list: every definition of the location counts. */
  assets: ListedDefinitions[] | null;
  jobs: ListedDefinitions[] | null;
}

type Call = Extract<PythonValue, { kind: 'call' }>;

export const functionOrigin = (path: string, name: string): DefinitionOrigin => `${path}#${name}`;
export const callOrigin = (offset: number): DefinitionOrigin => `@${offset}`;

const LOADERS = ['load_assets_from_modules', 'load_assets_from_package_module', 'load_assets_from_package_name', 'load_assets_from_current_module'];

export function definitionsObjectFromCall(ctx: DecoratedDefinitionContext, call: Call): DefinitionsObject {
  const arg = (name: string, position: number) => {
    const found = call.kwargs.find((k) => k.name === name)?.value ?? call.args[position];
    return found && found.kind !== 'none' ? found : undefined;
  };
  const location = ctx.module.locate(call.from);
  const read = (value: PythonValue | undefined, what: 'assets' | 'jobs' | 'schedules' | 'sensors'): ListedDefinitions[] | null => {
    if (!value) return [];
    const out: ListedDefinitions[] = [];
    const problems: string[] = [];
    collect(ctx, ctx.module.close(value), what, out, problems);
    for (const p of problems) {
      ctx.diagnostics.push({ location: ctx.module.locate(value.from), severity: 'warning',
        message: `Definitions(${what}=...): ${p} is not statically resolvable; every ${what === 'assets' ? 'asset' : 'job'} of the code location is listed instead` });
    }
    return problems.length > 0 ? null : out;
  };
  if (call.hasSplat) {
    ctx.diagnostics.push({ location, severity: 'warning', message: 'Definitions(*args/**kwargs) is not statically resolvable; every definition of the code location is listed instead' });
    return { location, assets: null, jobs: null };
  }
  const assets = read(arg('assets', 0), 'assets');
  const jobs = read(arg('jobs', 3), 'jobs');
  const scheduled = [...(read(arg('schedules', 1), 'schedules') ?? []), ...(read(arg('sensors', 2), 'sensors') ?? [])];
  return { location, assets, jobs: jobs === null ? null : [...jobs, ...scheduled] };
}

/** Adds what a closed value lists to `out`; what discovery cannot resolve is described in `problems`. */
export function collect(ctx: DecoratedDefinitionContext, v: PythonValue, what: string, out: ListedDefinitions[], problems: string[]): void {
  switch (v.kind) {
    case 'list':
    case 'tuple':
      for (const item of v.items) collect(ctx, item, what, out, problems);
      return;
    case 'starred':
      collect(ctx, v.value, what, out, problems);
      return;
    case 'binary':
      if (v.op === '+') {
        collect(ctx, v.left, what, out, problems);
        collect(ctx, v.right, what, out, problems);
        return;
      }
      break;
    case 'name': {
      const b = ctx.module.binding(v.name);
      if (b.kind === 'function') {
        const scheduleJob = b.fn.decorators.map((d) => kwarg(d, 'job')).find((j) => j !== undefined);
        if (scheduleJob && (what === 'schedules' || what === 'sensors')) collect(ctx, ctx.module.close(scheduleJob), what, out, problems);
        else out.push({ kind: 'origin', origin: functionOrigin(b.path, b.fn.name) });
        return;
      }
      problems.push(`'${v.name}' (${b.kind === 'unresolved' ? b.reason : b.kind})`);
      return;
    }
    case 'call': {
      const symbol = v.receiver ? null : ctx.module.scope.dagsterSymbol(v.callee);
      if (symbol === 'AssetSpec' || symbol === 'SourceAsset' || symbol === 'define_asset_job') {
        out.push({ kind: 'origin', origin: callOrigin(v.from) });
        return;
      }
      if (symbol === 'external_assets_from_specs' || symbol === 'external_asset_from_spec') {
        for (const a of v.args) collect(ctx, a, what, out, problems);
        return;
      }
      if (symbol === 'build_schedule_from_partitioned_job' || symbol === 'ScheduleDefinition' || symbol === 'SensorDefinition') {
        const job = v.kwargs.find((k) => k.name === 'job')?.value ?? (symbol === 'build_schedule_from_partitioned_job' ? v.args[0] : undefined);
        if (job) collect(ctx, job, what, out, problems);
        return;
      }
      if (symbol !== null && LOADERS.includes(symbol)) {
        loaderEntries(ctx, v, symbol, out, problems);
        return;
      }
      break;
    }
  }
  if (what === 'schedules' || what === 'sensors') return; // schedules without a job= add no job
  problems.push(describePythonValue(v));
}

function loaderEntries(ctx: DecoratedDefinitionContext, v: Call, symbol: string, out: ListedDefinitions[], problems: string[]): void {
  const kw = (name: string) => {
    const found = v.kwargs.find((k) => k.name === name)?.value;
    return found && found.kind !== 'none' ? found : undefined;
  };
  // (modules | package_module | package_name, group_name=None, key_prefix=None, *, ..., source_key_prefix, include_specs):
  // load_assets_from_current_module has no module argument, so its group_name and key_prefix come first.
  const offset = symbol === 'load_assets_from_current_module' ? 0 : 1;
  const prefixValue = kw('key_prefix') ?? v.args[offset + 1];
  const sourcePrefixValue = kw('source_key_prefix');
  const groupValue = kw('group_name') ?? v.args[offset];
  // What cannot be read is reported and left out: the assets are still loaded, with their own keys or groups.
  const keyPrefix = prefixValue && prefixValue.kind !== 'none' ? guarded(ctx, [], () => assetKeyFromPython(prefixValue, ctx.module, `${symbol}() key_prefix`), 'warning') : [];
  const sourceKeyPrefix = sourcePrefixValue ? guarded(ctx, [], () => assetKeyFromPython(sourcePrefixValue, ctx.module, `${symbol}() source_key_prefix`), 'warning') : [];
  const group = groupValue ? guarded(ctx, null, () => stringArg(ctx, groupValue, `${symbol}() group_name`) ?? null, 'warning') : null;
  const specsClosed = kw('include_specs') ? ctx.module.close(kw('include_specs') as PythonValue) : undefined;
  const includeSpecs = specsClosed?.kind === 'bool' && specsClosed.value;
  const names = ctx.module.binding.bind(ctx.module);
  const resolverNames = (name: string) => {
    const b = names(name);
    return b.kind === 'module' ? b : null;
  };
  const call: AssetsLoaderCall = { kind: 'loader', call: v.from, location: ctx.module.locate(v.from), paths: [], keyPrefix, sourceKeyPrefix, group, includeSpecs };
  out.push(call);
  const addModuleFiles = (files: string[]) => { for (const path of files) if (!call.paths.includes(path)) call.paths.push(path); };
  if (symbol === 'load_assets_from_current_module') {
    // The module the call is written in, which may be one the Definitions module imported the result from.
    addModuleFiles([call.location.file]);
    return;
  }
  const first = v.args[0] ?? kw('modules') ?? kw('package_module') ?? kw('package_name');
  if (!first) {
    problems.push(`${symbol}() without modules`);
    return;
  }
  const target = ctx.module.close(first);
  if (symbol === 'load_assets_from_package_name') {
    if (target.kind !== 'str') problems.push(`${symbol}(${describePythonValue(target)})`);
    else addModuleFiles(ctx.packageFiles?.(target.value) ?? []);
    return;
  }
  const items = symbol === 'load_assets_from_modules' && (target.kind === 'list' || target.kind === 'tuple') ? target.items : [target];
  for (const item of items) {
    const m = item.kind === 'name' ? resolverNames(item.name) : null;
    if (!m) {
      problems.push(`${symbol}(${describePythonValue(item)})`);
      continue;
    }
    if (symbol === 'load_assets_from_package_module') addModuleFiles(ctx.packageFiles?.(m.name) ?? (m.path ? [m.path] : []));
    else if (m.path) addModuleFiles([m.path]);
  }
}
