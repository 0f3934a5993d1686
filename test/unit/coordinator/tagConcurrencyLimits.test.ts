// Dagster's tag concurrency limits: one value, every value together, or each value apart; bad limits are named.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseTagConcurrencyLimits, withinTagLimits } from '../../../src/core/coordinator/tagConcurrencyLimits';

test('a limit with a value counts only runs with that value', () => {
  const limits = [{ key: 'db', value: 'a', limit: 1 }];
  assert.equal(withinTagLimits(limits, { db: 'a' }, [{ db: 'b' }, { db: 'b' }]), true);
  assert.equal(withinTagLimits(limits, { db: 'a' }, [{ db: 'a' }]), false);
  assert.equal(withinTagLimits(limits, { db: 'b' }, [{ db: 'a' }]), true);
});

test('a limit without a value counts every run carrying the key', () => {
  const limits = [{ key: 'db', limit: 2 }];
  assert.equal(withinTagLimits(limits, { db: 'a' }, [{ db: 'b' }]), true);
  assert.equal(withinTagLimits(limits, { db: 'a' }, [{ db: 'b' }, { db: 'c' }]), false);
  assert.equal(withinTagLimits(limits, { other: 'x' }, [{ db: 'b' }, { db: 'c' }]), true);
});

test('applyLimitPerUniqueValue limits each value apart', () => {
  const limits = [{ key: 'dagster/backfill', value: { applyLimitPerUniqueValue: true }, limit: 1 }];
  assert.equal(withinTagLimits(limits, { 'dagster/backfill': 'x' }, [{ 'dagster/backfill': 'y' }]), true);
  assert.equal(withinTagLimits(limits, { 'dagster/backfill': 'x' }, [{ 'dagster/backfill': 'x' }]), false);
});

test("limits are parsed from Dagster's config shape and bad ones say where and what", () => {
  assert.deepEqual(parseTagConcurrencyLimits([{ key: 'a', limit: 1 }, { key: 'b', value: { applyLimitPerUniqueValue: true }, limit: 2 }], 'test'), [
    { key: 'a', limit: 1 },
    { key: 'b', value: { applyLimitPerUniqueValue: true }, limit: 2 },
  ]);
  assert.throws(() => parseTagConcurrencyLimits([{ key: 'a', limit: -1 }], 'backfills.yaml'), /backfills\.yaml: tag concurrency limit 1 \(a\) needs a whole-number limit/);
  assert.throws(() => parseTagConcurrencyLimits([{ key: 'a', value: 3, limit: 1 }], 'cfg'), /value must be a string or \{applyLimitPerUniqueValue: true\}/);
  assert.throws(() => parseTagConcurrencyLimits({}, 'cfg'), /must be a list/);
});
