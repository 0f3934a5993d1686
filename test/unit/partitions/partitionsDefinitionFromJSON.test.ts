// partitionsDefinitionFromJSON: every kind survives toJSON() and back with the same keys, windows and JSON.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PartitionsDefinition } from '../../../src/core/partitions/partitionsDefinition';
import { partitionsDefinitionFromJSON } from '../../../src/core/partitions/partitionsDefinitionFromJSON';
import { DynamicPartitionsDefinition } from '../../../src/core/partitions/dynamicPartitionsDefinition';
import { MultiPartitionsDefinition } from '../../../src/core/partitions/multiPartitionsDefinition';
import { StaticPartitionsDefinition } from '../../../src/core/partitions/staticPartitionsDefinition';
import { TimeWindowPartitionsDefinition } from '../../../src/core/partitions/timeWindowPartitionsDefinition';
import { dailyPartitionsDefinition, hourlyPartitionsDefinition, monthlyPartitionsDefinition, weeklyPartitionsDefinition } from '../../../src/core/partitions/timeWindowSubclasses';
import { withDynamicPartitionsStore } from '../../../src/core/partitions/withDynamicPartitionsStore';

const now = new Date('2024-11-04T12:34:00Z');
const store = { dynamicPartitionKeys: (name: string) => (name === 'customers' ? ['acme', 'globex', 'initech'] : []) };

const definitions: Record<string, () => PartitionsDefinition> = {
  'daily': () => dailyPartitionsDefinition({ start_date: '2024-01-01' }),
  'daily with end, end_offset and hour offset': () => dailyPartitionsDefinition({ start_date: '2023-12-01', end_date: '2024-03-01', end_offset: 2, hour_offset: 6 }),
  'hourly in a DST time zone across the spring change': () => hourlyPartitionsDefinition({ start_date: '2024-03-09-00:00', timezone: 'America/New_York' }),
  'weekly with a custom fmt': () => weeklyPartitionsDefinition({ start_date: '2023/10/01', fmt: '%Y/%m/%d', day_offset: 1 }),
  'monthly, negative end_offset': () => monthlyPartitionsDefinition({ start_date: '2022-01-01', end_offset: -1, timezone: 'Europe/Berlin' }),
  'cron with cron and datetime exclusions': () => new TimeWindowPartitionsDefinition({
    cron: '0 0 * * *', start: '2024-01-01', fmt: '%Y-%m-%d', timezone: 'Asia/Kolkata',
    exclusions: ['0 0 * * 6', new Date(Date.UTC(2024, 0, 10))],
  }),
  'fmt with a time zone offset': () => new TimeWindowPartitionsDefinition({ cron: '30 */6 * * *', start: '2024-03-01T00:30:00+0100', fmt: '%Y-%m-%dT%H:%M:%S%z', timezone: 'Europe/Paris' }),
  // A wall-clock start would come back as the first 01:30 (and a key early): the JSON's instant must be kept.
  'starting at the second 01:30 of a fall-back night': () => new TimeWindowPartitionsDefinition({ cron: '30 * * * *', start: '2024-11-03-01:30-0600', fmt: '%Y-%m-%d-%H:%M', timezone: 'America/Chicago' }),
  'static': () => new StaticPartitionsDefinition(['us', 'eu', 'apac', 'a b', 'ü']),
  'dynamic': () => new DynamicPartitionsDefinition('customers'),
  'multi time × static': () => new MultiPartitionsDefinition({ date: dailyPartitionsDefinition({ start_date: '2024-02-20' }), region: new StaticPartitionsDefinition(['eu', 'us']) }),
  'multi static × dynamic': () => new MultiPartitionsDefinition({ customer: new DynamicPartitionsDefinition('customers'), color: new StaticPartitionsDefinition(['red', 'blue']) }),
};

/** A key's window, or what asking for it throws (a multi definition without a time dimension refuses). */
function windowOf(d: PartitionsDefinition, key: string): unknown {
  try {
    return d.timeWindow(key);
  } catch (e) {
    return `throws ${(e as Error).message}`;
  }
}

for (const [name, make] of Object.entries(definitions)) {
  test(`${name}: the revived definition has the same keys, windows, description and JSON`, () => {
    const original = make();
    const json = original.toJSON();
    // Through structured clone, as the snapshot crosses from the discovery worker.
    const revived = partitionsDefinitionFromJSON(structuredClone(json));
    assert.equal(revived.kind, original.kind);
    assert.deepEqual(revived.toJSON(), json);
    assert.equal(revived.describe(), original.describe());
    const bound = withDynamicPartitionsStore(original, store);
    const boundRevived = withDynamicPartitionsStore(revived, store);
    const keys = bound.keys(now);
    assert.ok(keys.length > 0, 'the definition has keys at `now`');
    assert.deepEqual(boundRevived.keys(now), keys);
    assert.equal(boundRevived.count(now), bound.count(now));
    for (const key of keys) assert.deepEqual(windowOf(boundRevived, key), windowOf(bound, key), key);
  });
}

test('an unknown kind is refused by name', () => {
  assert.throws(() => partitionsDefinitionFromJSON({ kind: 'lunar' } as never), /Unknown partitions kind in JSON: "lunar"/);
});
