// evaluatePartitionMappingExpression: every built-in mapping from its Python constructor, and located errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluatePartitionMappingExpression } from '../../../../src/core/definitions/evaluatePartitionMappingExpression';
import { PartitionsExpressionError } from '../../../../src/core/definitions/evaluatePartitionsExpression';
import { TimeWindowPartitionMapping } from '../../../../src/core/partitions/mappings/timeWindowPartitionMapping';
import { MultiPartitionMapping } from '../../../../src/core/partitions/mappings/multiPartitionMapping';

const text = (expr: string) => evaluatePartitionMappingExpression(expr).toString();

test('constructors with keyword and positional arguments and dg./dagster. prefixes', () => {
  const tw = evaluatePartitionMappingExpression('TimeWindowPartitionMapping(start_offset=-1, allow_nonexistent_upstream_partitions=True)');
  assert.ok(tw instanceof TimeWindowPartitionMapping);
  assert.deepEqual([tw.startOffset, tw.endOffset, tw.allowNonexistentUpstreamPartitions], [-1, 0, true]);
  assert.equal(text('dg.TimeWindowPartitionMapping(-1, -1)'), 'TimeWindowPartitionMapping(start_offset=-1, end_offset=-1)');
  assert.equal(text('dg.AllPartitionMapping()'), 'AllPartitionMapping()');
  assert.equal(text('dagster.IdentityPartitionMapping()'), 'IdentityPartitionMapping()');
  assert.equal(text('LastPartitionMapping()'), 'LastPartitionMapping()');
  assert.equal(text('StaticPartitionMapping({"a": ["x"], "b": "y"})'), "StaticPartitionMapping({'a': ['x'], 'b': ['y']})");
  assert.equal(text('SpecificPartitionsPartitionMapping(["a", "b"])'), "SpecificPartitionsPartitionMapping(['a', 'b'])");
  assert.equal(text('MultiToSingleDimensionPartitionMapping(partition_dimension_name="date")'), "MultiToSingleDimensionPartitionMapping(partition_dimension_name='date')");
  const multi = evaluatePartitionMappingExpression(
    'MultiPartitionMapping({"abc": DimensionPartitionMapping(dimension_name="abc", partition_mapping=IdentityPartitionMapping()), ' +
    '"daily": dg.DimensionPartitionMapping("weekly", TimeWindowPartitionMapping())})');
  assert.ok(multi instanceof MultiPartitionMapping);
  assert.deepEqual([...multi.downstreamMappingsByUpstreamDimension].map(([up, m]) => [up, m.dimensionName, m.partitionMapping.kind]),
    [['abc', 'abc', 'IdentityPartitionMapping'], ['daily', 'weekly', 'TimeWindowPartitionMapping']]);
});

/** `at` is the text the error must point at (its first occurrence), or a column number. */
function fails(expr: string, pattern: RegExp, at: string | number): void {
  const column = typeof at === 'number' ? at : expr.indexOf(at) + 1;
  assert.throws(() => evaluatePartitionMappingExpression(expr), (e: unknown) => {
    assert.ok(e instanceof PartitionsExpressionError, `expected PartitionsExpressionError, got ${String(e)}`);
    assert.match(e.message, pattern);
    assert.equal(e.column, column, e.message);
    return true;
  });
}

test('unknown mappings, unknown or bad arguments, and syntax errors say what and where', () => {
  fails('TimeWindowMapping(start_offset=-1)', /unknown partition mapping 'TimeWindowMapping' \(expected one of: IdentityPartitionMapping, /, 'TimeWindowMapping');
  fails('TimeWindowPartitionMapping(start=-1)', /unknown keyword argument 'start' for TimeWindowPartitionMapping \(expected one of: start_offset, end_offset, allow_nonexistent_upstream_partitions\)/, 'start=');
  fails('TimeWindowPartitionMapping(start_offset="-1")', /start_offset must be an integer, got the string "-1"/, '"-1"');
  fails('TimeWindowPartitionMapping(allow_nonexistent_upstream_partitions=1)', /must be True or False/, '1)');
  fails('AllPartitionMapping(1)', /AllPartitionMapping takes at most 0 positional arguments/, '1');
  fails('StaticPartitionMapping(["a"])', /downstream_partition_keys_by_upstream_partition_key must be a dict, got a list/, '["a"]');
  fails('StaticPartitionMapping({"a": 1})', /each downstream value must be a list of strings, got the number 1/, '1}');
  fails('MultiPartitionMapping({"a": IdentityPartitionMapping()})', /expected DimensionPartitionMapping\(dimension_name=\.\.\., partition_mapping=\.\.\.\), got a call of IdentityPartitionMapping/, 'IdentityPartitionMapping');
  fails('SpecificPartitionsPartitionMapping()', /missing the required argument 'partition_keys'/, 'SpecificPartitionsPartitionMapping');
  fails('daily_mapping', /expected a partition mapping such as TimeWindowPartitionMapping\(start_offset=-1\), got 'daily_mapping'/, 'daily_mapping');
  fails('TimeWindowPartitionMapping(start_offset=', /Python syntax error/, 40);
});
