// transferableDefinitions / revivedDefinitions: a snapshot crosses structured clone in chunks and comes back equal,
// fields nobody told the transfer about included.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { DiscoveredDefinitions } from '../../../src/core/definitions/assembleDefinitions';
import { revivedDefinitions, transferableDefinitions } from '../../../src/core/definitions/transferredDefinitions';
import type { PartitionsDefinition } from '../../../src/core/partitions/partitionsDefinition';
import { StaticPartitionsDefinition } from '../../../src/core/partitions/staticPartitionsDefinition';
import { TimeWindowPartitionsDefinition } from '../../../src/core/partitions/timeWindowPartitionsDefinition';
import { InProcessDiscovery } from '../../../src/core/workspace/inProcessDiscovery';
import { NodeSourceFiles } from '../../../src/core/workspace/nodeSourceFiles';
import { repoRoot } from '../project/repoRoot';

const fixture = path.join(repoRoot(), 'test', 'fixtures', 'discovery', 'multi_package');

/** Through structured clone, as postMessage sends them, chunk by chunk. */
function crossed(d: DiscoveredDefinitions, perChunk: number, cache?: Map<string, PartitionsDefinition>): DiscoveredDefinitions {
  const { head, chunks } = transferableDefinitions(d, perChunk);
  return revivedDefinitions(structuredClone(head), chunks.map((c) => structuredClone(c)), cache);
}

test('a discovered snapshot cut into chunks of two comes back field for field, partitions as working definitions', async () => {
  const discovered = await new InProcessDiscovery(new NodeSourceFiles(fixture)).load();
  assert.ok(discovered.assets.length > 4 && discovered.diagnostics.length > 0);
  const { chunks } = transferableDefinitions(discovered, 2);
  assert.ok(chunks.length > 4, `${chunks.length} chunks`);
  const back = crossed(discovered, 2);
  assert.equal(JSON.stringify(back), JSON.stringify(discovered));
  for (const [i, a] of back.assets.entries()) {
    assert.equal(a.partitions?.constructor, discovered.assets[i]!.partitions?.constructor, a.key.join('/'));
  }
  // The index's own snapshot is not changed by the transfer.
  assert.ok(discovered.assets.some((a) => a.partitions instanceof TimeWindowPartitionsDefinition));
});

test('fields other code adds flow through, partitions definitions anywhere in them included, and shared ones stay shared', () => {
  const daily = new TimeWindowPartitionsDefinition({ cron: '0 0 * * *', start: '2024-01-01', fmt: '%Y-%m-%d' });
  const regions = new StaticPartitionsDefinition(['eu', 'us']);
  const asset = (name: string) => ({
    kind: 'asset' as const, key: [name], group: 'default', location: { file: 'a.py', line: 1 }, partitions: daily, deps: [], backfillPolicy: null,
    extra: { owners: ['team@example.com'], createdAt: new Date(0), alternatives: [regions, null] },
  });
  const discovered = { assets: [asset('a'), asset('b'), asset('c')], jobs: [], diagnostics: [], locationsSeen: 2 } as unknown as DiscoveredDefinitions;
  const back = crossed(discovered, 2) as unknown as { assets: ReturnType<typeof asset>[]; locationsSeen: number };
  assert.equal(back.locationsSeen, 2);
  assert.deepEqual(back.assets.map((a) => a.extra.owners), [['team@example.com'], ['team@example.com'], ['team@example.com']]);
  assert.ok(back.assets[2]!.extra.createdAt instanceof Date);
  assert.ok(back.assets[1]!.extra.alternatives[0] instanceof StaticPartitionsDefinition);
  assert.deepEqual(back.assets[1]!.extra.alternatives[0]!.keys(), ['eu', 'us']);
  assert.equal(back.assets[0]!.partitions, back.assets[2]!.partitions, 'one shared definition is revived once');
  assert.notEqual(back.assets[0]!.partitions, daily);
});

test('a cache of revived definitions is reused by the next snapshot and forgets what it no longer uses', () => {
  const daily = new TimeWindowPartitionsDefinition({ cron: '0 0 * * *', start: '2024-01-01', fmt: '%Y-%m-%d' });
  const weekly = new TimeWindowPartitionsDefinition({ cron: '0 0 * * 0', start: '2024-01-07', fmt: '%Y-%m-%d' });
  const of = (...parts: PartitionsDefinition[]) => ({
    assets: parts.map((p, i) => ({ kind: 'asset', key: [`a${i}`], group: 'g', location: { file: 'a.py', line: i + 1 }, partitions: p, deps: [], backfillPolicy: null })),
    jobs: [], diagnostics: [],
  }) as DiscoveredDefinitions;
  const cache = new Map<string, PartitionsDefinition>();
  const first = crossed(of(daily, weekly), 500, cache);
  assert.equal(cache.size, 2);
  const second = crossed(of(daily), 500, cache);
  assert.equal(second.assets[0]!.partitions, first.assets[0]!.partitions);
  assert.equal(cache.size, 1);
});
