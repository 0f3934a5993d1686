// Builds PartitionMappings from evaluated Python: TimeWindowPartitionMapping(...), dg.AllPartitionMapping(), ...
import type { PartitionMapping } from '../partitions/mappings/partitionMapping';
import { PartitionMappingError } from '../partitions/mappings/partitionMapping';
import { AllPartitionMapping } from '../partitions/mappings/allPartitionMapping';
import { IdentityPartitionMapping } from '../partitions/mappings/identityPartitionMapping';
import { LastPartitionMapping } from '../partitions/mappings/lastPartitionMapping';
import { MultiPartitionMapping } from '../partitions/mappings/multiPartitionMapping';
import type { DimensionPartitionMapping } from '../partitions/mappings/multiPartitionMapping';
import { MultiToSingleDimensionPartitionMapping } from '../partitions/mappings/multiToSingleDimensionPartitionMapping';
import { SpecificPartitionsPartitionMapping } from '../partitions/mappings/specificPartitionsPartitionMapping';
import { StaticPartitionMapping } from '../partitions/mappings/staticPartitionMapping';
import { TimeWindowPartitionMapping } from '../partitions/mappings/timeWindowPartitionMapping';
import type { PythonValue } from './pythonExpression';
import { PythonEvaluationError, describePythonValue } from './pythonExpression';
import type { BoundArguments, PythonCall } from './pythonCallArguments';
import { bindArguments } from './pythonCallArguments';
import type { PythonNameScope } from './partitionsFromPython';
import { resolve } from './partitionsFromPython';

export const PARTITION_MAPPINGS = [
  'IdentityPartitionMapping', 'TimeWindowPartitionMapping', 'AllPartitionMapping', 'LastPartitionMapping', 'StaticPartitionMapping',
  'SpecificPartitionsPartitionMapping', 'MultiToSingleDimensionPartitionMapping', 'MultiPartitionMapping',
];

/** Evaluates `value` (a mapping constructor call, or a variable naming one) as a partition mapping. */
export function partitionMappingFromPython(value: PythonValue, scope: PythonNameScope): PartitionMapping {
  const call = callOf(value, scope, 'a partition mapping such as TimeWindowPartitionMapping(start_offset=-1)');
  const symbol = scope.dagsterSymbol(call.callee);
  const args = (params: string[], required: string[] = []) => bindArguments(call, call.callee, params, required);
  try {
    switch (symbol) {
      case 'IdentityPartitionMapping': args([]); return new IdentityPartitionMapping();
      case 'AllPartitionMapping': args([]); return new AllPartitionMapping();
      case 'LastPartitionMapping': args([]); return new LastPartitionMapping();
      case 'TimeWindowPartitionMapping': {
        const a = args(['start_offset', 'end_offset', 'allow_nonexistent_upstream_partitions']);
        return new TimeWindowPartitionMapping({
          startOffset: int(a, 'start_offset', scope), endOffset: int(a, 'end_offset', scope),
          allowNonexistentUpstreamPartitions: bool(a, 'allow_nonexistent_upstream_partitions', scope),
        });
      }
      case 'StaticPartitionMapping': {
        const name = 'downstream_partition_keys_by_upstream_partition_key';
        const dict = dictEntries(args([name], [name]).get(name)!, name, scope);
        return new StaticPartitionMapping(new Map(dict.map(([k, v]) => [str(k, `a key of ${name}`, scope), keyOrKeys(v, scope)])));
      }
      case 'SpecificPartitionsPartitionMapping':
        return new SpecificPartitionsPartitionMapping(stringItems(args(['partition_keys'], ['partition_keys']).get('partition_keys')!, 'partition_keys', scope));
      case 'MultiToSingleDimensionPartitionMapping': {
        const raw = args(['partition_dimension_name']).get('partition_dimension_name');
        const v = raw ? resolve(raw, scope) : null;
        return new MultiToSingleDimensionPartitionMapping(v === null || v.kind === 'none' ? null : str(v, 'partition_dimension_name', scope));
      }
      case 'MultiPartitionMapping': {
        const name = 'downstream_mappings_by_upstream_dimension';
        const dict = dictEntries(args([name], [name]).get(name)!, name, scope);
        return new MultiPartitionMapping(new Map(dict.map(([k, v]) => [str(k, `a key of ${name}`, scope), dimensionMapping(v, scope)])));
      }
      default:
        throw new PythonEvaluationError(call.from, `unknown partition mapping '${call.callee}' (expected one of: ${PARTITION_MAPPINGS.join(', ')})`);
    }
  } catch (e) {
    if (e instanceof PartitionMappingError) throw new PythonEvaluationError(call.from, e.message);
    throw e;
  }
}

function dimensionMapping(value: PythonValue, scope: PythonNameScope): DimensionPartitionMapping {
  const call = callOf(value, scope, 'DimensionPartitionMapping(dimension_name=..., partition_mapping=...)');
  if (scope.dagsterSymbol(call.callee) !== 'DimensionPartitionMapping') {
    throw new PythonEvaluationError(call.from, `expected DimensionPartitionMapping(dimension_name=..., partition_mapping=...), got a call of ${call.callee}`);
  }
  const a = bindArguments(call, call.callee, ['dimension_name', 'partition_mapping'], ['dimension_name', 'partition_mapping']);
  return { dimensionName: str(a.get('dimension_name')!, 'dimension_name', scope), partitionMapping: partitionMappingFromPython(a.get('partition_mapping')!, scope) };
}

function callOf(value: PythonValue, scope: PythonNameScope, expected: string): PythonCall {
  const v = resolve(value, scope);
  if (v.kind === 'call') return v;
  const what = v.kind === 'name' ? `'${v.name}', which is not defined in this module` : describePythonValue(v);
  throw new PythonEvaluationError(v.from, `expected ${expected}, got ${what}`);
}

function int(args: BoundArguments, name: string, scope: PythonNameScope): number {
  const raw = args.get(name);
  if (!raw) return 0;
  const v = resolve(raw, scope);
  if (v.kind !== 'int') throw new PythonEvaluationError(v.from, `${name} must be an integer, got ${describePythonValue(v)}`);
  return v.value;
}

function bool(args: BoundArguments, name: string, scope: PythonNameScope): boolean {
  const raw = args.get(name);
  if (!raw) return false;
  const v = resolve(raw, scope);
  if (v.kind !== 'bool') throw new PythonEvaluationError(v.from, `${name} must be True or False, got ${describePythonValue(v)}`);
  return v.value;
}

function str(raw: PythonValue, name: string, scope: PythonNameScope): string {
  const v = resolve(raw, scope);
  if (v.kind !== 'str') throw new PythonEvaluationError(v.from, `${name} must be a string, got ${describePythonValue(v)}`);
  return v.value;
}

function stringItems(raw: PythonValue, name: string, scope: PythonNameScope): string[] {
  const v = resolve(raw, scope);
  if (v.kind !== 'list' && v.kind !== 'tuple') throw new PythonEvaluationError(v.from, `${name} must be a list of strings, got ${describePythonValue(v)}`);
  return v.items.map((item) => str(item, `each of ${name}`, scope));
}

/** A dict value of StaticPartitionMapping: one key, or a list/tuple of keys. */
function keyOrKeys(raw: PythonValue, scope: PythonNameScope): string | string[] {
  const v = resolve(raw, scope);
  return v.kind === 'str' ? v.value : stringItems(v, 'each downstream value', scope);
}

function dictEntries(raw: PythonValue, name: string, scope: PythonNameScope): [PythonValue, PythonValue][] {
  const v = resolve(raw, scope);
  if (v.kind !== 'dict') throw new PythonEvaluationError(v.from, `${name} must be a dict, got ${describePythonValue(v)}`);
  return v.entries.map((e) => [e.key, e.value]);
}
