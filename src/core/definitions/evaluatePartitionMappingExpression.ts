// Evaluates a one-line Dagster partition mapping expression (CLI --mapping) into a PartitionMapping.
import type { PartitionMapping } from '../partitions/mappings/partitionMapping';
import { evaluateOneLineExpression } from './evaluatePartitionsExpression';
import { partitionMappingFromPython } from './partitionMappingFromPython';

/** E.g. `TimeWindowPartitionMapping(start_offset=-1)`; throws PartitionsExpressionError naming the column at fault. */
export function evaluatePartitionMappingExpression(expr: string): PartitionMapping {
  return evaluateOneLineExpression(expr, 'TimeWindowPartitionMapping(start_offset=-1)', partitionMappingFromPython);
}
