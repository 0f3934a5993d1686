// Evaluates a one-line Dagster partition mapping expression (CLI --mapping) into a PartitionMapping.
import type { PartitionMapping } from '../partitions/mappings/partitionMapping';
import { PartitionsExpressionError, pythonValueOfExpression } from './evaluatePartitionsExpression';
import { PythonEvaluationError } from './pythonExpression';
import { defaultNameScope } from './partitionsFromPython';
import { partitionMappingFromPython } from './partitionMappingFromPython';

/** E.g. `TimeWindowPartitionMapping(start_offset=-1)`; throws PartitionsExpressionError naming the column at fault. */
export function evaluatePartitionMappingExpression(expr: string): PartitionMapping {
  const value = pythonValueOfExpression(expr, 'TimeWindowPartitionMapping(start_offset=-1)');
  try {
    return partitionMappingFromPython(value, defaultNameScope);
  } catch (e) {
    if (e instanceof PythonEvaluationError) throw new PartitionsExpressionError(e.reason, e.offset + 1);
    throw e;
  }
}
