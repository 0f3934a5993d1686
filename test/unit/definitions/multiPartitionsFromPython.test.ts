// MultiPartitionsDefinition({...}) and DynamicPartitionsDefinition(name=...) through the expression evaluator.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PartitionsExpressionError, evaluatePartitionsExpression } from '../../../src/core/definitions/evaluatePartitionsExpression';

const now = new Date('2021-05-07T00:00:00Z');

function fails(expr: string, message: RegExp, at: number | string): void {
  const column = typeof at === 'number' ? at : expr.indexOf(at) + 1;
  assert.throws(() => evaluatePartitionsExpression(expr), (e: unknown) => {
    assert.ok(e instanceof PartitionsExpressionError, String(e));
    assert.match(e.reason, message);
    assert.equal(e.column, column, `column of: ${e.reason}`);
    return true;
  });
}

test('a multi-partitions expression, positional or by keyword, with dg. prefixes', () => {
  const d = evaluatePartitionsExpression('MultiPartitionsDefinition({"date": dg.DailyPartitionsDefinition(start_date="2021-05-05"), "abc": StaticPartitionsDefinition(["a", "b"])})');
  assert.equal(d.kind, 'multi');
  assert.deepEqual(d.keys(now), ['a|2021-05-05', 'a|2021-05-06', 'b|2021-05-05', 'b|2021-05-06']);
  const byKeyword = evaluatePartitionsExpression('dagster.MultiPartitionsDefinition(partitions_defs={"x": StaticPartitionsDefinition(["1"]), "y": StaticPartitionsDefinition(["2"])})');
  assert.deepEqual(byKeyword.toJSON(), {
    kind: 'multi',
    dimensions: [{ name: 'x', partitions: { kind: 'static', keys: ['1'] } }, { name: 'y', partitions: { kind: 'static', keys: ['2'] } }],
  });
});

test('a dynamic expression and a dynamic dimension', () => {
  const d = evaluatePartitionsExpression('DynamicPartitionsDefinition(name="customers")');
  assert.deepEqual(d.toJSON(), { kind: 'dynamic', name: 'customers' });
  assert.throws(() => d.keys(now), /The instance is not available to load partitions/);
  const multi = evaluatePartitionsExpression('MultiPartitionsDefinition({"c": DynamicPartitionsDefinition(name="c"), "s": StaticPartitionsDefinition(["a"])})');
  assert.deepEqual(multi.toJSON(), {
    kind: 'multi',
    dimensions: [{ name: 'c', partitions: { kind: 'dynamic', name: 'c' } }, { name: 's', partitions: { kind: 'static', keys: ['a'] } }],
  });
});

test('Dagster\'s errors, located at the argument at fault', () => {
  fails('MultiPartitionsDefinition({"a": StaticPartitionsDefinition(["x"])})', /Your multi-partitions definition has 1 partitions definitions\./, '{');
  fails('MultiPartitionsDefinition({"a": StaticPartitionsDefinition(["x|y"]), "b": StaticPartitionsDefinition(["z"])})',
    /^Invalid character in partition key for dimension a\. A multi-partitions definition cannot contain partition keys with the following characters: \|, \[, \], ,$/, '{');
  fails('MultiPartitionsDefinition({"a": StaticPartitionsDefinition(["x"]), 1: StaticPartitionsDefinition(["z"])})', /dimension names must be strings, got the number 1/, '1:');
  fails('MultiPartitionsDefinition({"a": StaticPartitionsDefinition(["x"]), "b": DailyPartitionsDefinition()})', /missing the required argument 'start_date'/, 'DailyPartitionsDefinition');
  fails('MultiPartitionsDefinition(["a"])', /partitions_defs must be a dict/, '[');
  fails('DynamicPartitionsDefinition()', /^Must provide either partition_fn or name to DynamicPartitionsDefinition\.$/, 1);
  fails('DynamicPartitionsDefinition(get_keys, name="x")', /^Cannot provide both partition_fn and name to DynamicPartitionsDefinition\.$/, 'get_keys');
  fails('DynamicPartitionsDefinition(partition_fn=get_keys)', /cannot be evaluated statically; use DynamicPartitionsDefinition\(name="\.\.\."\)/, 'get_keys');
  fails('DynamicPartitionsDefinition(name=3)', /name must be a non-empty string, got the number 3/, '3');
});
