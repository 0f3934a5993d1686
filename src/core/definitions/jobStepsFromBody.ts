// The steps of a @job (or @graph) body: the ops it invokes, named and ordered as Dagster's execution plan names them.
import type { SyntaxNode } from '@lezer/common';
import { parser } from '@lezer/python';
import type { PythonFunction } from './pythonModule';
import type { ResolvedModule } from './resolvedModule';
import { invocableNode, type InvocableNode } from './invocableNode';

/** Thrown when the body holds something discovery cannot follow: the steps are then left to the runs. */
class NotFollowable extends Error {
  override name = 'NotFollowable';
}

const MAX_GRAPH_DEPTH = 20;
/** Node modifiers that keep the invocation an op/graph invocation (`.alias` also renames it). */
const MODIFIERS = new Set(['alias', 'tag', 'with_hooks', 'with_retry_policy']);
/** Expression syntax that only reads values: nothing in it can invoke an op except the calls inside. */
const PLAIN = new Set([
  'VariableName', 'MemberExpression', 'PropertyName', 'SubscriptExpression', 'TupleExpression', 'ArrayExpression',
  'DictionaryExpression', 'SetExpression', 'ParenthesizedExpression', 'String', 'FormatString', 'Number', 'Boolean', 'None',
  'Ellipsis', 'ArgList', 'AssignOp', 'Comment', '(', ')', '[', ']', '{', '}', ',', ':', '.', '*', '**',
]);

/**
 * Step keys of the job function `fn` in Dagster's order, or undefined when its body does anything but invoke
 * ops and graphs (conditionals, loops, unknown calls, dynamic outputs). The order is the order of invocation:
 * Python evaluates an invocation's arguments (the outputs it depends on) before it, so that order is already
 * topological, with independent ops in source order.
 */
export function jobStepsFromBody(view: ResolvedModule, path: string, fn: PythonFunction): string[] | undefined {
  const steps: string[] = [];
  try {
    readBody(view, path, fn, '', steps, 0);
  } catch (e) {
    // Steps are an extra: a body too deeply nested to walk (RangeError) must not cost the job its discovery.
    if (e instanceof NotFollowable || e instanceof RangeError) return undefined;
    throw e;
  }
  return steps;
}

/** One composition body (a job's or a graph's): its invocations' names are unique within it. */
function readBody(view: ResolvedModule, path: string, fn: PythonFunction, prefix: string, steps: string[], depth: number): void {
  if (depth > MAX_GRAPH_DEPTH || fn.end === undefined) throw new NotFollowable();
  const owner = view.moduleAt(fn.defOffset);
  if (!owner) throw new NotFollowable();
  const text = owner.module.text.slice(fn.defOffset - owner.module.base, fn.end - owner.module.base);
  const tree = parser.parse(text);
  tree.iterate({ enter: (n) => { if (n.type.isError) throw new NotFollowable(); } });
  const body = tree.topNode.getChild('FunctionDefinition')?.getChild('Body');
  if (!body) throw new NotFollowable();
  const locals = new Set(fn.parameters.map((p) => p.name));
  const counts = new Map<string, number>();
  const names = new Set<string>();
  const source = (n: SyntaxNode): string => text.slice(n.from, n.to);

  const invoke = (node: InvocableNode, alias: string | null): void => {
    let name = alias;
    if (name === null) {
      const n = (counts.get(node.name) ?? 0) + 1;
      counts.set(node.name, n);
      name = n === 1 ? node.name : `${node.name}_${n}`;
    }
    // Dagster refuses a job that invokes one name twice.
    if (names.has(name)) throw new NotFollowable();
    names.add(name);
    if (node.kind === 'op') steps.push(prefix + name);
    else readBody(view, node.path, node.fn, `${prefix}${name}.`, steps, depth + 1);
  };

  /** The op or graph (and alias) an invocation's callee stands for, visiting modifier arguments on the way. */
  const pending = (callee: SyntaxNode): { node: InvocableNode; alias: string | null } => {
    if (callee.name === 'VariableName' || callee.name === 'MemberExpression') {
      const dotted = dottedName(callee, source);
      if (dotted === null || locals.has(dotted.split('.')[0]!)) throw new NotFollowable();
      const node = invocableNode(view, path, dotted);
      if (!node) throw new NotFollowable();
      return { node, alias: null };
    }
    const member = callee.name === 'CallExpression' ? callee.firstChild : null;
    const method = member?.name === 'MemberExpression' ? member.lastChild : null;
    if (!member || !method || method.name !== 'PropertyName' || !MODIFIERS.has(source(method))) throw new NotFollowable();
    const inner = pending(member.firstChild!);
    const args = callee.getChild('ArgList');
    if (args) expression(args);
    return { node: inner.node, alias: source(method) === 'alias' ? aliasOf(args, source) : inner.alias };
  };

  const expression = (n: SyntaxNode): void => {
    if (n.name === 'CallExpression') {
      const callee = n.firstChild!;
      const target = pending(callee);
      const args = n.getChild('ArgList');
      if (args) expression(args);
      invoke(target.node, target.alias);
      return;
    }
    if (!PLAIN.has(n.name)) throw new NotFollowable();
    // `a.b` as an argument reads an output (`result.out`); the object is visited, the property is a name.
    for (let c = n.firstChild; c; c = c.nextSibling) expression(c);
  };

  const assignTargets = (n: SyntaxNode): void => {
    if (n.name === 'VariableName') locals.add(source(n));
    else if (n.name === 'TupleExpression' || n.name === 'ParenthesizedExpression' || n.name === 'ArrayExpression') {
      for (let c = n.firstChild; c; c = c.nextSibling) if (!/^[()[\],]$/.test(c.name)) assignTargets(c);
    } else if (n.name !== ',') throw new NotFollowable();
  };

  for (let s = body.firstChild; s; s = s.nextSibling) {
    switch (s.name) {
      case ':': case 'Comment': case 'PassStatement':
        break;
      case 'ExpressionStatement':
        for (let c = s.firstChild; c; c = c.nextSibling) expression(c);
        break;
      case 'ReturnStatement':
        for (let c = s.firstChild; c; c = c.nextSibling) if (c.name !== 'return') expression(c);
        break;
      case 'AssignStatement': {
        const parts: SyntaxNode[] = [];
        for (let c = s.firstChild; c; c = c.nextSibling) parts.push(c);
        const value = parts[parts.length - 1]!;
        expression(value);
        for (const p of parts.slice(0, -1)) if (p.name !== 'AssignOp') assignTargets(p);
        break;
      }
      default:
        throw new NotFollowable();
    }
  }
}

function dottedName(n: SyntaxNode, source: (n: SyntaxNode) => string): string | null {
  if (n.name === 'VariableName' || n.name === 'PropertyName') return source(n);
  if (n.name !== 'MemberExpression') return null;
  const object = n.firstChild ? dottedName(n.firstChild, source) : null;
  const property = n.lastChild?.name === 'PropertyName' ? source(n.lastChild) : null;
  return object !== null && property !== null ? `${object}.${property}` : null;
}

/** `.alias("name")` / `.alias(name="name")`: a plain string literal, else not followable. */
function aliasOf(args: SyntaxNode | null, source: (n: SyntaxNode) => string): string {
  const items: SyntaxNode[] = [];
  for (let c = args?.firstChild ?? null; c; c = c.nextSibling) if (!/^[(),]$/.test(c.name) && c.name !== 'Comment') items.push(c);
  const literal = items.length === 1 ? items[0] : items.length === 3 && source(items[0]!) === 'name' && items[1]!.name === 'AssignOp' ? items[2] : undefined;
  const m = literal?.name === 'String' ? /^(['"])([A-Za-z0-9_]+)\1$/.exec(source(literal)) : null;
  if (!m) throw new NotFollowable();
  return m[2]!;
}
