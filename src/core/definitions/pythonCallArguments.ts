// Binding a symbolic Python call's arguments to a signature, with Python's error cases named and located.
import type { PythonKeywordArgument, PythonValue } from './pythonExpression';
import { PythonEvaluationError } from './pythonExpression';

export type PythonCall = Extract<PythonValue, { kind: 'call' }>;

/** Arguments by parameter name; only the parameters that were passed are present. */
export type BoundArguments = Map<string, PythonValue>;

/**
 * Binds positional and keyword arguments of `call` to `params` (in signature order), as Python would, and
 * throws for extra positionals, unknown or repeated keywords, *args/**kwargs and missing required parameters.
 */
export function bindArguments(call: PythonCall, displayName: string, params: readonly string[], required: readonly string[]): BoundArguments {
  if (call.hasSplat) throw new PythonEvaluationError(call.from, `${displayName}(...) uses *args or **kwargs, which cannot be evaluated statically`);
  const bound: BoundArguments = new Map();
  call.args.forEach((arg, i) => {
    if (i >= params.length) {
      throw new PythonEvaluationError(arg.from, `${displayName} takes at most ${params.length} positional arguments (${call.args.length} given)`);
    }
    bound.set(params[i], arg);
  });
  for (const kw of call.kwargs) bindKeyword(bound, kw, displayName, params);
  const missing = required.find((p) => !bound.has(p));
  if (missing !== undefined) throw new PythonEvaluationError(call.from, `${displayName} is missing the required argument '${missing}'`);
  return bound;
}

function bindKeyword(bound: BoundArguments, kw: PythonKeywordArgument, displayName: string, params: readonly string[]): void {
  if (!params.includes(kw.name)) {
    throw new PythonEvaluationError(kw.from, `unknown keyword argument '${kw.name}' for ${displayName} (expected one of: ${params.join(', ')})`);
  }
  if (bound.has(kw.name)) throw new PythonEvaluationError(kw.from, `${displayName} got multiple values for argument '${kw.name}'`);
  bound.set(kw.name, kw.value);
}
