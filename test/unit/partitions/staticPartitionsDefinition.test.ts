// StaticPartitionsDefinition: order, ranges and Dagster's key validation errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StaticPartitionsDefinition } from '../../../src/core/partitions/staticPartitionsDefinition';

test('keys keep definition order and ranges are inclusive slices', () => {
  const d = new StaticPartitionsDefinition(['c', 'a', 'b,x|y']);
  assert.deepEqual(d.keys(), ['c', 'a', 'b,x|y']);
  assert.equal(d.count(), 3);
  assert.equal(d.hasKey('a'), true);
  assert.equal(d.hasKey('z'), false);
  assert.deepEqual(d.keysInRange('c', 'a'), ['c', 'a']);
  assert.deepEqual(d.keysInRange('a', 'a'), ['a']);
  assert.equal(d.timeWindow(), null);
  assert.deepEqual(d.toJSON(), { kind: 'static', keys: ['c', 'a', 'b,x|y'] });
});

test('nonexistent range endpoints use Dagster wording', () => {
  const d = new StaticPartitionsDefinition(['a', 'b']);
  assert.throws(() => d.keysInRange('a', 'q'), { message: "Partition range a to q is not a valid range. Nonexistent partition keys: ['q']" });
  assert.throws(() => d.keysInRange('b', 'a'), /comes before its start/);
});

test('invalid substrings and duplicates', () => {
  assert.throws(() => new StaticPartitionsDefinition(['ok', 'a...b']), /\['\.\.\.'\] are invalid substrings in a partition key \(key 2: 'a\.\.\.b'\)/);
  assert.throws(() => new StaticPartitionsDefinition(['a\nb']), /\['\\n'\] are invalid substrings/);
  assert.throws(() => new StaticPartitionsDefinition(['a', 'b', 'a']), { message: "Partition keys must be unique. Duplicate instances of partition keys: ['a']" });
});
