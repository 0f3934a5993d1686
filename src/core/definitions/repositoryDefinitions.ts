// @repository functions: the definitions their body returns (a list, or a dict of kinds), as a Definitions object does.
import type { SyntaxNode } from '@lezer/common';
import { parser } from '@lezer/python';
import type { DecoratedDefinitionContext } from './decoratedDefinitionContext';
import { guarded } from './decoratedDefinitionContext';
import type { PythonValue } from './pythonExpression';
import { describePythonValue, evaluatePythonExpression } from './pythonExpression';
import type { PythonDecorator, PythonFunction, PythonModule } from './pythonModule';
import type { DefinitionOrigin, DefinitionsObject, ListedDefinitions } from './definitionsObject';
import { callOrigin, collect, functionOrigin } from './definitionsObject';
import type { ModuleAsset, ModuleJob } from './moduleAsset';
import { assetJobFromCall } from './assetJobFromPython';
import { assetFromSpec } from './assetSpecFromPython';

/** A @repository: a Definitions object with the name Dagster's selectors use (the function's, or `name=`). */
export interface RepositoryObject extends DefinitionsObject {
  repositoryName: string;
  origin: DefinitionOrigin;
}

/** What one @repository function defines: the object, plus definitions written inline in its body. */
export interface RepositoryReading {
  repository: RepositoryObject;
  assets: ModuleAsset[];
  jobs: ModuleJob[];
}

type Call = Extract<PythonValue, { kind: 'call' }>;

/** Dict keys of the `{"jobs": {...}, "schedules": {...}}` form that hold definitions (values are named by their keys). */
const DICT_KINDS = new Set(['jobs', 'pipelines', 'schedules', 'sensors', 'partition_sets', 'assets', 'source_assets']);
/** Calls whose first argument is the list of assets they wrap. */
const WRAPPERS = new Set(['with_resources', 'AssetGroup']);

export function readRepository(ctx: DecoratedDefinitionContext, module: PythonModule, fn: PythonFunction, decorator: PythonDecorator): RepositoryReading {
  const location = ctx.module.locate(fn.defOffset);
  const nameArg = decorator.call?.kwargs.find((k) => k.name === 'name')?.value ?? decorator.call?.args[0];
  const closedName = nameArg ? ctx.module.close(nameArg) : undefined;
  const repositoryName = closedName?.kind === 'str' ? closedName.value : fn.name;
  const reading: RepositoryReading = { repository: { location, assets: [], jobs: [], repositoryName, origin: functionOrigin(ctx.path, fn.name) }, assets: [], jobs: [] };
  const body = guarded(ctx, { locals: new Map<string, PythonValue>(), returned: null }, () => bodyValues(module, fn));
  if (!body.returned) {
    ctx.diagnostics.push({ location, severity: 'warning', message: `@repository '${repositoryName}': no return statement discovery can read; every definition of the code location is listed instead` });
    reading.repository.assets = null;
    reading.repository.jobs = null;
    return reading;
  }
  const entries: ListedDefinitions[] = [];
  const problems: string[] = [];
  const inline = new Set<number>();
  const walk = (v: PythonValue, depth: number): void => {
    if (depth > 30) return void problems.push('a too deeply nested value');
    switch (v.kind) {
      case 'list': case 'tuple':
        for (const item of v.items) walk(item, depth + 1);
        return;
      case 'starred':
        return walk(v.value, depth + 1);
      case 'binary':
        if (v.op === '+') {
          walk(v.left, depth + 1);
          walk(v.right, depth + 1);
          return;
        }
        break;
      case 'dict':
        for (const e of v.entries) {
          const kind = e.key.kind === 'str' ? e.key.value : null;
          if (kind === null || !DICT_KINDS.has(kind)) problems.push(`the dict entry ${describePythonValue(e.key)}`);
          // {"jobs": {"name": job}} names each job; a list value (assets) is walked as a list.
          else if (e.value.kind === 'dict') for (const inner of e.value.entries) walk(lambdaBody(module, inner.value) ?? inner.value, depth + 1);
          else walk(e.value, depth + 1);
        }
        return;
      case 'name': {
        const local = body.locals.get(v.name);
        if (local) return walk(local, depth + 1);
        // A module variable holding a list (or a with_resources call) is walked as if written here.
        const closed = ctx.module.close(v);
        if (closed.kind !== 'name') return walk(closed, depth + 1);
        break;
      }
      case 'call': {
        const symbol = v.receiver ? null : ctx.module.scope.dagsterSymbol(v.callee);
        if (symbol !== null && WRAPPERS.has(symbol)) {
          const wrapped = v.kwargs.find((k) => k.name === 'definitions' || k.name === 'assets')?.value ?? v.args[0];
          if (wrapped) walk(wrapped, depth + 1);
          return;
        }
        break;
      }
      default:
    }
    leaf(ctx, ctx.module.close(v), entries, problems, inline, reading, fn);
  };
  walk(body.returned, 0);
  for (const p of problems) {
    ctx.diagnostics.push({ location, severity: 'warning',
      message: `@repository '${repositoryName}': ${p} is not statically resolvable; every definition of the code location is listed instead` });
  }
  reading.repository.assets = problems.length > 0 ? null : entries;
  reading.repository.jobs = problems.length > 0 ? null : entries;
  return reading;
}

/** One listed item: a definition written inline becomes the module's own; everything else is listed as Definitions lists it. */
function leaf(ctx: DecoratedDefinitionContext, v: PythonValue, entries: ListedDefinitions[], problems: string[], inline: Set<number>, reading: RepositoryReading, fn: PythonFunction): void {
  // Only calls written in the body are new definitions: module-level ones are read with the module's values.
  if (v.kind === 'call' && !v.receiver && !inline.has(v.from) && v.from > fn.defOffset && v.from < (fn.end ?? fn.defOffset)) {
    const symbol = ctx.module.scope.dagsterSymbol(v.callee);
    if (symbol === 'define_asset_job') {
      inline.add(v.from);
      const assetJob = assetJobFromCall(ctx, v as Call);
      reading.jobs.push({ origin: callOrigin(v.from), job: assetJob.job, assetJob });
    } else if (symbol === 'AssetSpec' || symbol === 'SourceAsset') {
      inline.add(v.from);
      guarded(ctx, undefined, () => { reading.assets.push({ origin: callOrigin(v.from), asset: { ...assetFromSpec(ctx, v), materializable: false }, executable: false, loadedAs: symbol === 'SourceAsset' ? 'source' : 'spec' }); });
    }
  }
  // A schedule or sensor lists its job (read as schedules are); anything else must resolve as an asset or job does.
  collect(ctx, v, 'schedules', entries, []);
  const own: ListedDefinitions[] = [];
  collect(ctx, v, 'assets', own, problems);
  for (const e of own) if (!entries.some((x) => x.kind === 'origin' && e.kind === 'origin' && x.origin === e.origin)) entries.push(e);
}

/** `lambda: job` (the dict form's lazy values) as the value it returns, or null for anything else. */
function lambdaBody(module: PythonModule, v: PythonValue): PythonValue | null {
  if (v.kind !== 'unsupported' || v.syntax !== 'LambdaExpression') return null;
  const source = module.text.slice(v.from - module.base, v.to - module.base);
  const head = /^lambda\s*:\s*/.exec(source);
  if (!head) return null;
  const text = source.slice(head[0].length);
  const statement = parser.parse(text).topNode.firstChild;
  const expression = statement?.name === 'ExpressionStatement' ? statement.firstChild : null;
  return expression ? evaluatePythonExpression(expression, text, v.from + head[0].length) : null;
}

/** The body's simple local assignments and its last top-level `return` value, as module-offset values. */
function bodyValues(module: PythonModule, fn: PythonFunction): { locals: Map<string, PythonValue>; returned: PythonValue | null } {
  const locals = new Map<string, PythonValue>();
  let returned: PythonValue | null = null;
  const start = fn.defOffset - module.base;
  const end = (fn.end ?? fn.defOffset) - module.base;
  const text = module.text.slice(start, end);
  const tree = parser.parse(text);
  let def: SyntaxNode | null = tree.topNode.firstChild;
  while (def && def.name !== 'FunctionDefinition') def = def.firstChild ?? def.nextSibling;
  const bodyNode = def?.getChild('Body');
  if (!bodyNode) return { locals, returned };
  const base = module.base + start;
  for (let s = bodyNode.firstChild; s; s = s.nextSibling) {
    if (s.name === 'AssignStatement') {
      const target = s.firstChild;
      const value = s.lastChild;
      if (target?.name === 'VariableName' && target.nextSibling?.name === 'AssignOp' && value && value !== target) {
        locals.set(text.slice(target.from, target.to), evaluatePythonExpression(value, text, base));
      }
    } else if (s.name === 'ReturnStatement') {
      const value = s.lastChild;
      if (value && value.name !== 'return') returned = evaluatePythonExpression(value, text, base);
    }
  }
  return { locals, returned };
}
