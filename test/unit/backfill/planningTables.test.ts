// Planning tables over asset graphs, against Dagster's backfill planning: co-runs, daily→weekly, hourly→daily, offsets, multi-partitions, policies.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { keysOfRun, type BackfillPlan } from '../../../src/core/backfill/backfillPlan';
import { planBackfill } from '../../../src/core/backfill/planBackfill';
import type { AssetDefinition } from '../../../src/core/definitions/definition';
import { MultiPartitionsDefinition } from '../../../src/core/partitions/multiPartitionsDefinition';
import type { PartitionsDefinition } from '../../../src/core/partitions/partitionsDefinition';
import { StaticPartitionsDefinition } from '../../../src/core/partitions/staticPartitionsDefinition';
import { dailyPartitionsDefinition, hourlyPartitionsDefinition, weeklyPartitionsDefinition } from '../../../src/core/partitions/timeWindowSubclasses';

const NOW = new Date('2024-03-01T00:00:00Z');
const daily = dailyPartitionsDefinition({ start_date: '2024-01-01' });

function asset(name: string, partitions: PartitionsDefinition | null, deps: Array<string | [string, string]> = [], backfillPolicy: string | null = null): AssetDefinition {
  return {
    kind: 'asset', key: [name], group: 'default', location: { file: 'defs.py', line: 1 }, partitions, backfillPolicy,
    deps: deps.map((d) => (typeof d === 'string' ? { key: [d], mapping: null } : { key: [d[0]], mapping: d[1] })),
  };
}

/** "targets@partition<upstream indexes" per run: the table form the rows below compare. */
function rows(plan: BackfillPlan): string[] {
  return plan.runs.map((r) => `${r.targets.join('+')}@${r.range ? `${r.range.start}...${r.range.end}` : r.partitionKey ?? '-'}<${r.upstream.join(',')}`);
}

test('B1: identity daily A → B, no policy: one run per key holding both assets', () => {
  const plan = planBackfill([asset('a', daily), asset('b', daily, ['a'])], { kind: 'range', from: '2024-01-01', to: '2024-01-03' }, NOW);
  assert.deepEqual(rows(plan), ['a+b@2024-01-01<', 'a+b@2024-01-02<', 'a+b@2024-01-03<']);
  assert.equal(plan.partitionCount, 6);
});

test('B2: daily → weekly: each week waits for its targeted days only', () => {
  const weekly = weeklyPartitionsDefinition({ start_date: '2024-01-07' });
  const plan = planBackfill([asset('a', daily), asset('b', weekly, ['a'])], { kind: 'range', from: '2024-01-07', to: '2024-01-15' }, NOW);
  const r = rows(plan);
  const index = (label: string) => r.findIndex((x) => x.startsWith(label));
  const days = ['07', '08', '09', '10', '11', '12', '13'].map((d) => index(`a@2024-01-${d}<`));
  assert.equal(r[index('b@2024-01-07')], `b@2024-01-07<${days.join(',')}`);
  assert.equal(r[index('b@2024-01-14')], `b@2024-01-14<${index('a@2024-01-14')},${index('a@2024-01-15')}`);
  assert.equal(plan.runs.length, 9 + 2);
});

test('hourly → daily: the day waits for its 24 hours', () => {
  const hourly = hourlyPartitionsDefinition({ start_date: '2024-01-01-00:00' });
  const plan = planBackfill([asset('h', hourly), asset('d', daily, ['h'])], { kind: 'range', from: '2024-01-01-00:00', to: '2024-01-01-23:00' }, NOW);
  assert.equal(plan.runs.length, 25);
  assert.deepEqual(plan.runs[24]!.upstream, Array.from({ length: 24 }, (_, i) => i));
  assert.equal(plan.runs[24]!.partitionKey, '2024-01-01');
});

test('TimeWindowPartitionMapping(start_offset=-1): a day waits for its day and the day before, when targeted', () => {
  const plan = planBackfill(
    [asset('a', daily), asset('b', daily, [['a', 'TimeWindowPartitionMapping(start_offset=-1)']])],
    { kind: 'range', from: '2024-01-02', to: '2024-01-03' }, NOW,
  );
  assert.deepEqual(rows(plan), ['a@2024-01-02<', 'b@2024-01-02<0', 'a@2024-01-03<', 'b@2024-01-03<0,2', 'b@2024-01-04<2']);
  assert.throws(
    () => planBackfill([asset('a', daily), asset('b', daily, [['a', 'TimeWindowPartitionMapping(start_offset=-1)']])], { kind: 'list', keys: ['2024-01-01'] }, NOW),
    /depends on invalid partition keys in upstream asset a/,
  );
});

test('a self-dependent asset runs its days one after another', () => {
  const plan = planBackfill(
    [asset('s', daily, [['s', 'TimeWindowPartitionMapping(start_offset=-1, end_offset=-1, allow_nonexistent_upstream_partitions=True)']])],
    { kind: 'range', from: '2024-01-01', to: '2024-01-03' }, NOW,
  );
  assert.deepEqual(rows(plan), ['s@2024-01-01<', 's@2024-01-02<0', 's@2024-01-03<1']);
});

test('static × daily multi-partitions feed a daily asset through MultiToSingleDimensionPartitionMapping', () => {
  const multi = new MultiPartitionsDefinition({ color: new StaticPartitionsDefinition(['blue', 'red']), date: daily });
  const plan = planBackfill([asset('m', multi), asset('d', daily, ['m'])], { kind: 'list', keys: ['blue|2024-01-01', 'red|2024-01-01', 'red|2024-01-02'] }, NOW);
  const r = rows(plan);
  const i = (label: string) => r.findIndex((x) => x.startsWith(label));
  assert.equal(r[i('d@2024-01-01')], `d@2024-01-01<${[i('m@blue|2024-01-01'), i('m@red|2024-01-01')].sort((x, y) => x - y).join(',')}`);
  assert.equal(r[i('d@2024-01-02')], `d@2024-01-02<${i('m@red|2024-01-02')}`);
  assert.equal(plan.runs.length, 5);
});

test('static × static multi-partitions: a range is the rectangle between its two keys, as Dagster\'s get_partition_keys_in_range', () => {
  const grid = new MultiPartitionsDefinition({ size: new StaticPartitionsDefinition(['s', 'm', 'l']), color: new StaticPartitionsDefinition(['red', 'blue']) });
  // Keys in product order (color < size): red|s, red|m, red|l, blue|s, blue|m, blue|l. A linear slice from red|m
  // to blue|m would hold red|l and blue|s; the rectangle holds sizes m..m of colors red..blue.
  const plan = planBackfill([asset('g', grid)], { kind: 'range', from: 'red|m', to: 'blue|m' }, NOW);
  assert.deepEqual(rows(plan), ['g@red|m<', 'g@blue|m<']);
  const union = planBackfill([asset('g', grid)], { kind: 'union', parts: [{ kind: 'range', from: 'red|s', to: 'blue|s' }, { kind: 'list', keys: ['red|l'] }] }, NOW);
  assert.deepEqual(rows(union), ['g@red|s<', 'g@red|l<', 'g@blue|s<']);
  assert.throws(() => planBackfill([asset('g', grid)], { kind: 'range', from: 'red|l', to: 'blue|s' }, NOW), /the range red\|l\.\.\.blue\|s ends before it starts/);
  assert.throws(() => planBackfill([asset('g', grid)], { kind: 'range', from: 'red|xl', to: 'blue|s' }, NOW), /partition "red\|xl" is not a partition of/);
});

test('B3/B4: single_run makes one range run; multi_run(n) chunks it (100 keys: n=10 → 10 runs, n=11 → 10 runs)', () => {
  const sel = { kind: 'latest', count: 100 } as const;
  const single = planBackfill([asset('a', daily, [], 'BackfillPolicy.single_run()')], sel, NOW);
  assert.deepEqual(rows(single), ['a@2024-01-01...2024-02-29<']); // latest 100 of the 60 that exist
  assert.equal(keysOfRun(single, single.runs[0]!).length, 60);
  const wide = dailyPartitionsDefinition({ start_date: '2023-01-01' });
  assert.equal(planBackfill([asset('a', wide, [], 'BackfillPolicy.multi_run(10)')], sel, NOW).runs.length, 10);
  const eleven = planBackfill([asset('a', wide, [], 'BackfillPolicy.multi_run(max_partitions_per_run=11)')], sel, NOW);
  assert.deepEqual(eleven.runs.map((r) => r.endIndex - r.startIndex + 1), [11, 11, 11, 11, 11, 11, 11, 11, 11, 1]);
});

test('mixed policies: different policies never share a run; equal single_run policies with an offset share one range run', () => {
  const mixed = planBackfill(
    [asset('a', daily, [], 'BackfillPolicy.single_run()'), asset('b', daily, ['a'], 'BackfillPolicy.multi_run(2)')],
    { kind: 'range', from: '2024-01-01', to: '2024-01-05' }, NOW,
  );
  assert.deepEqual(rows(mixed), ['a@2024-01-01...2024-01-05<', 'b@2024-01-01...2024-01-02<0', 'b@2024-01-03...2024-01-04<0', 'b@2024-01-05...2024-01-05<0']);
  const shared = planBackfill(
    [asset('a', daily, [], 'BackfillPolicy.single_run()'), asset('b', daily, [['a', 'TimeWindowPartitionMapping(start_offset=-1, allow_nonexistent_upstream_partitions=True)']], 'BackfillPolicy.single_run()')],
    { kind: 'all' }, NOW,
  );
  assert.deepEqual(rows(shared), ['a+b@2024-01-01...2024-02-29<']);
});

test('an unpartitioned child of partitioned parents runs once, after all of them', () => {
  const plan = planBackfill([asset('a', daily), asset('summary', null, ['a'])], { kind: 'range', from: '2024-01-01', to: '2024-01-03' }, NOW);
  assert.deepEqual(rows(plan), ['a@2024-01-01<', 'a@2024-01-02<', 'a@2024-01-03<', 'summary@-<0,1,2']);
});

test('B6: partitioned roots with different definitions are refused with Dagster’s message', () => {
  const colors = new StaticPartitionsDefinition(['blue', 'red']);
  assert.throws(() => planBackfill([asset('a', daily), asset('c', colors)], { kind: 'list', keys: ['2024-01-01'] }, NOW), /All the assets at the root of the backfill must have the same PartitionsDefinition/);
});

test('reprocess modes skip by stored status, with reasons, and blocked children are skipped too', () => {
  const statuses = new Map([
    ['a', new Map([['2024-01-01', 'MATERIALIZED'], ['2024-01-02', 'FAILED'], ['2024-01-03', 'IN_PROGRESS'], ['2024-01-05', 'CANCELED']] as const)],
  ]);
  const statusesOf = (t: string) => statuses.get(t) ?? new Map();
  const sel = { kind: 'range', from: '2024-01-01', to: '2024-01-05' } as const;
  const targets = [asset('a', daily)];
  const count = (mode: 'all' | 'missing' | 'failed-and-missing') => planBackfill(targets, sel, NOW, { reprocess: mode, statuses: statusesOf });
  assert.deepEqual(rows(count('all')), ['a@2024-01-01<', 'a@2024-01-02<', 'a@2024-01-04<', 'a@2024-01-05<']);
  // A canceled partition is missing in Dagster's terms: both "missing" selections run it again.
  assert.deepEqual(rows(count('failed-and-missing')), ['a@2024-01-02<', 'a@2024-01-04<', 'a@2024-01-05<']);
  const missing = count('missing');
  assert.deepEqual(rows(missing), ['a@2024-01-04<', 'a@2024-01-05<']);
  assert.deepEqual(missing.skipped.map((s) => [s.reason, s.count]), [['materialized', 1], ['failed', 1], ['in-progress', 1]]);
  assert.notEqual(count('all').inputsHash, planBackfill(targets, sel, NOW, { reprocess: 'all' }).inputsHash);
});

test('a command target whose parent outside the backfill is missing is skipped, and so are its children', () => {
  const cmd = (name: string, deps: string[] = []) => ({
    kind: 'command' as const, name, location: { file: 'backfills.yaml', line: 1 }, partitions: daily, command: ['true'], cwd: '', env: {}, deps, backfillPolicy: null,
  });
  const raw = cmd('raw');
  const statuses = new Map([['raw', new Map([['2024-01-01', 'MATERIALIZED' as const]])]]);
  const plan = planBackfill([cmd('clean', ['raw']), cmd('report', ['clean'])], { kind: 'range', from: '2024-01-01', to: '2024-01-02' }, NOW, {
    statuses: (t) => statuses.get(t) ?? new Map(), known: [raw, cmd('clean', ['raw']), cmd('report', ['clean'])],
  });
  assert.deepEqual(rows(plan), ['clean@2024-01-01<', 'report@2024-01-01<0']);
  assert.deepEqual(plan.skipped.map((s) => `${s.target} ${s.reason} ${s.ranges[0]!.start}`), ['clean upstream-missing 2024-01-02', 'report upstream-skipped 2024-01-02']);
  // Dagster assets are materialized outside this tool too, so a parent asset outside the backfill is never waited for.
  const assetPlan = planBackfill([asset('b', daily, ['a'])], { kind: 'range', from: '2024-01-01', to: '2024-01-02' }, NOW, { statuses: () => new Map(), known: [asset('a', daily)] });
  assert.equal(assetPlan.runs.length, 2);
});

test('protected partitions are skipped as protected; a command target child waits as for a parent outside the backfill', () => {
  const cmd = (name: string, deps: string[] = [], protectedKeys?: string[]) => ({
    kind: 'command' as const, name, location: { file: 'backfills.yaml', line: 1 }, partitions: daily, command: ['true'], cwd: '', env: {}, deps, backfillPolicy: null,
    ...(protectedKeys ? { protected: protectedKeys } : {}),
  });
  // raw's 01-02 is protected and materialized, 01-03...01-04 protected and never materialized.
  const raw = cmd('raw', [], ['2024-01-02', '2024-01-03...2024-01-04', '2030-01-01']);
  const statuses = new Map([['raw', new Map([['2024-01-02', 'MATERIALIZED' as const], ['2024-01-03', 'FAILED' as const]])]]);
  const targets = [raw, cmd('clean', ['raw'])];
  const sel = { kind: 'range', from: '2024-01-01', to: '2024-01-05' } as const;
  const plan = planBackfill(targets, sel, NOW, { statuses: (t) => statuses.get(t) ?? new Map(), known: targets });
  assert.deepEqual(rows(plan), ['raw@2024-01-01<', 'clean@2024-01-01<0', 'clean@2024-01-02<', 'raw@2024-01-05<', 'clean@2024-01-05<3']);
  assert.deepEqual(plan.skipped.map((s) => `${s.target} ${s.reason} ${s.ranges.map((r) => `${r.start}..${r.end}`).join(',')} ${s.count}`), [
    'raw protected 2024-01-02..2024-01-04 3',
    'clean upstream-missing 2024-01-03..2024-01-04 2',
  ]);
  // Without stored statuses nothing can be checked, as for parents outside the backfill: children run.
  assert.equal(planBackfill(targets, sel, NOW).runs.length, 2 + 5);
  // Assets and jobs get theirs from the top-level map; an asset child is not held back (Dagster does not wait).
  const assets = [asset('a', daily), asset('b', daily, ['a'])];
  const assetPlan = planBackfill(assets, sel, NOW, { statuses: () => new Map(), protectedPartitions: { a: ['[2024-01-02...2024-01-03]'] } });
  assert.deepEqual(assetPlan.skipped.map((s) => [s.target, s.reason, s.count]), [['a', 'protected', 2]]);
  assert.equal(assetPlan.runs.filter((r) => r.targets.includes('b')).length, 5);
  // Protecting a partition changes what the plan does, so a saved plan's inputs hash changes with it.
  assert.notEqual(assetPlan.inputsHash, planBackfill(assets, sel, NOW, { statuses: () => new Map() }).inputsHash);
  assert.throws(() => planBackfill(assets, sel, NOW, { protectedPartitions: { a: ['[2024-01-02'] } }), /unclosed \[/);
});
