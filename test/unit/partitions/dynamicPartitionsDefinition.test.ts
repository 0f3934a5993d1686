// DynamicPartitionsDefinition: keys from an injected store in insertion order, Dagster's error without one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DYNAMIC_PARTITIONS_UNAVAILABLE_MESSAGE, DynamicPartitionsDefinition, DynamicPartitionsUnavailableError, validateDynamicPartitionKeys,
} from '../../../src/core/partitions/dynamicPartitionsDefinition';
import type { DynamicPartitionsStore } from '../../../src/core/partitions/dynamicPartitionsDefinition';
import { partitionKeyIndex } from '../../../src/core/partitions/partitionKeyIndex';

const now = new Date('2024-01-01T00:00:00Z');

/** A store whose keys can change between queries, as the state store's do. */
function memoryStore(initial: Record<string, string[]>): DynamicPartitionsStore & { keys: Record<string, string[]> } {
  const keys = initial;
  return { keys, dynamicPartitionKeys: (name) => [...(keys[name] ?? [])] };
}

test('without a store every key query fails with Dagster\'s message', () => {
  const d = new DynamicPartitionsDefinition('customers');
  assert.equal(d.hasStore, false);
  for (const query of [() => d.keys(), () => d.count(), () => d.hasKey('a'), () => d.keysInRange('a', 'b'), () => partitionKeyIndex(d, now)]) {
    assert.throws(query, (e: unknown) => e instanceof DynamicPartitionsUnavailableError && e.message === DYNAMIC_PARTITIONS_UNAVAILABLE_MESSAGE);
  }
  assert.match(DYNAMIC_PARTITIONS_UNAVAILABLE_MESSAGE, /^The instance is not available to load partitions\./);
  // What needs no keys still works: JSON, description, time window.
  assert.deepEqual(d.toJSON(), { kind: 'dynamic', name: 'customers' });
  assert.equal(d.describe(), 'Dynamic partitions: "customers"');
  assert.equal(d.timeWindow(), null);
});

test('keys come from the store by name, in insertion order, and follow its changes', () => {
  const store = memoryStore({ customers: ['zeta', 'alpha', 'mid'], other: ['x'] });
  const d = new DynamicPartitionsDefinition('customers').withStore(store);
  assert.deepEqual(d.keys(), ['zeta', 'alpha', 'mid']);
  assert.equal(d.count(), 3);
  assert.equal(d.hasKey('alpha'), true);
  assert.equal(d.hasKey('x'), false);
  store.keys.customers!.push('new');
  assert.deepEqual(d.keys(), ['zeta', 'alpha', 'mid', 'new']);
  assert.deepEqual(new DynamicPartitionsDefinition('never-added').withStore(store).keys(), []);
});

test('ranges follow Dagster\'s generic rule: inclusive slice, start after end is empty, unknown ends fail', () => {
  const d = new DynamicPartitionsDefinition('c').withStore(memoryStore({ c: ['a', 'b', 'c', 'd'] }));
  assert.deepEqual(d.keysInRange('b', 'd'), ['b', 'c', 'd']);
  assert.deepEqual(d.keysInRange('c', 'c'), ['c']);
  assert.deepEqual(d.keysInRange('d', 'b'), []);
  assert.throws(() => d.keysInRange('a', 'q'), { message: "Partition range a to q is not a valid range. Nonexistent partition keys: ['q']" });
  assert.throws(() => d.keysInRange('p', 'q'), /Nonexistent partition keys: \['p', 'q'\]/);
  const idx = d.keyIndex();
  assert.equal(idx.count, 4);
  assert.equal(idx.keyAt(2), 'c');
  assert.equal(idx.indexOf('d'), 3);
  assert.equal(idx.indexOf('z'), -1);
});

test('a name is required; added keys are validated as Dagster validates them', () => {
  assert.throws(() => new DynamicPartitionsDefinition(''), { message: 'Must provide either partition_fn or name to DynamicPartitionsDefinition.' });
  assert.throws(() => validateDynamicPartitionKeys('c', 'abc' as unknown as string[]), { message: 'partition_keys must be a sequence of strings' });
  assert.throws(() => validateDynamicPartitionKeys('c', ['ok', 7 as unknown as string]), /sequence of strings \(key 2 is number\)/);
  assert.throws(() => validateDynamicPartitionKeys('c', ['a...b']), /\['\.\.\.'\] are invalid substrings in a partition key/);
  assert.throws(() => validateDynamicPartitionKeys('c', ['tab\there']), /\['\\t'\] are invalid substrings/);
  validateDynamicPartitionKeys('c', ['a|b', 'with, comma', '']);
});
