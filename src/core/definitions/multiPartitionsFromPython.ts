// Evaluates MultiPartitionsDefinition({...}) and DynamicPartitionsDefinition(name=...) calls into definitions.
import type { PartitionsDefinition } from '../partitions/partitionsDefinition';
import { PartitionsError } from '../partitions/partitionsDefinition';
import { DynamicPartitionsDefinition } from '../partitions/dynamicPartitionsDefinition';
import { MultiPartitionsDefinition } from '../partitions/multiPartitionsDefinition';
import type { PythonValue } from './pythonExpression';
import { PythonEvaluationError, describePythonValue } from './pythonExpression';
import type { PythonCall } from './pythonCallArguments';
import { bindArguments } from './pythonCallArguments';

/** What the caller's evaluator provides: nested definitions and module-variable resolution (kept as a callback to avoid an import cycle). */
export interface PartitionsEvaluator {
  partitions(value: PythonValue): PartitionsDefinition;
  resolve(value: PythonValue): PythonValue;
}

/** `MultiPartitionsDefinition({"dim": <definition>, ...})` or with `partitions_defs=`. */
export function multiPartitionsFromPython(call: PythonCall, evaluator: PartitionsEvaluator): MultiPartitionsDefinition {
  const args = bindArguments(call, call.callee, ['partitions_defs'], ['partitions_defs']);
  const dict = evaluator.resolve(args.get('partitions_defs') as PythonValue);
  if (dict.kind !== 'dict') {
    throw new PythonEvaluationError(dict.from, `partitions_defs must be a dict of dimension name to partitions definition, got ${describePythonValue(dict)}`);
  }
  // A later duplicate key replaces an earlier one, as in a Python dict literal.
  const dimensions = new Map<string, PartitionsDefinition>();
  for (const entry of dict.entries) {
    const key = evaluator.resolve(entry.key);
    if (key.kind !== 'str') throw new PythonEvaluationError(key.from, `dimension names must be strings, got ${describePythonValue(key)}`);
    dimensions.set(key.value, evaluator.partitions(entry.value));
  }
  try {
    return new MultiPartitionsDefinition(dimensions);
  } catch (e) {
    if (e instanceof PartitionsError) throw new PythonEvaluationError(dict.from, e.message);
    throw e;
  }
}

/** `DynamicPartitionsDefinition(name="...")`; the deprecated `partition_fn` runs Python, so it cannot be evaluated here. */
export function dynamicPartitionsFromPython(call: PythonCall, evaluator: PartitionsEvaluator): DynamicPartitionsDefinition {
  const args = bindArguments(call, call.callee, ['partition_fn', 'name'], []);
  const given = (p: string) => {
    const v = args.get(p);
    return v !== undefined && evaluator.resolve(v).kind !== 'none' ? evaluator.resolve(v) : null;
  };
  const fn = given('partition_fn');
  const name = given('name');
  if (fn && name) throw new PythonEvaluationError(fn.from, 'Cannot provide both partition_fn and name to DynamicPartitionsDefinition.');
  if (!fn && !name) throw new PythonEvaluationError(call.from, 'Must provide either partition_fn or name to DynamicPartitionsDefinition.');
  if (fn) {
    throw new PythonEvaluationError(fn.from,
      'DynamicPartitionsDefinition(partition_fn=...) computes its keys by running Python, which cannot be evaluated statically; use DynamicPartitionsDefinition(name="...") instead');
  }
  const n = name as PythonValue;
  if (n.kind !== 'str' || n.value === '') throw new PythonEvaluationError(n.from, `name must be a non-empty string, got ${describePythonValue(n)}`);
  return new DynamicPartitionsDefinition(n.value);
}
