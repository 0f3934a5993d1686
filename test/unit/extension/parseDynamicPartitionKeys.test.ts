// How typed dynamic partition keys are read: commas or new lines, blanks trimmed, each key once, in the order typed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDynamicPartitionKeys } from '../../../src/extension/panels/parseDynamicPartitionKeys';

test('keys are split on commas and new lines, trimmed, de-duplicated in order', () => {
  assert.deepEqual(parseDynamicPartitionKeys(' acme, globex\ninitech ,acme,, '), ['acme', 'globex', 'initech']);
  assert.deepEqual(parseDynamicPartitionKeys('  '), []);
  // Dagster validates the keys themselves (invalid substrings): they are passed on as typed.
  assert.deepEqual(parseDynamicPartitionKeys('a|b'), ['a|b']);
});
