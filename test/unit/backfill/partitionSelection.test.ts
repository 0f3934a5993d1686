// Selection: Dagster's partition selection syntax, latest N, downstream target suffixes and saved-plan checks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BackfillPlanError } from '../../../src/core/backfill/backfillPlan';
import { parsePartitionSelection, selectIndexes, type KeySpace } from '../../../src/core/backfill/partitionSelection';
import { planBackfill } from '../../../src/core/backfill/planBackfill';
import { assertPlanCurrent, parseSavedPlan, savedPlanText } from '../../../src/core/backfill/savedPlanFile';
import { selectTargets } from '../../../src/core/backfill/targetSelection';
import { definitionName, type AssetDefinition, type CommandTarget } from '../../../src/core/definitions/definition';
import { dailyPartitionsDefinition } from '../../../src/core/partitions/timeWindowSubclasses';

const space = (keys: string[]): KeySpace => ({ keys, indexOf: (k) => keys.indexOf(k) });

test('Dagster selection syntax: ranges with or without brackets, comma lists, quoted keys with commas', () => {
  assert.deepEqual(parsePartitionSelection('a,b'), { kind: 'list', keys: ['a', 'b'] });
  assert.deepEqual(parsePartitionSelection('[a...c]'), { kind: 'range', from: 'a', to: 'c' });
  assert.deepEqual(parsePartitionSelection('a...c'), { kind: 'range', from: 'a', to: 'c' });
  assert.deepEqual(parsePartitionSelection('[a...b], d, "x, y"'), { kind: 'union', parts: [{ kind: 'range', from: 'a', to: 'b' }, { kind: 'list', keys: ['d', 'x, y'] }] });
  const s = space(['a', 'b', 'c', 'd', 'x, y']);
  assert.deepEqual(selectIndexes(s, parsePartitionSelection('"x, y", [a...b], a'), 't', 'keys'), [0, 1, 4]);
  assert.deepEqual(selectIndexes(s, { kind: 'latest', count: 2 }, 't', 'keys'), [3, 4]);
  for (const bad of ['a,,b', '"open', '[a...b', '[ab]', 'a...']) assert.throws(() => parsePartitionSelection(bad), BackfillPlanError, bad);
  assert.throws(() => selectIndexes(s, parsePartitionSelection('c...a'), 't', 'keys'), /ends before it starts/);
  assert.throws(() => selectIndexes(s, { kind: 'latest', count: 0 }, 't', 'keys'), /at least 1/);
});

function target(name: string, deps: string[] = []): CommandTarget {
  return { kind: 'command', name, location: { file: 'backfills.yaml', line: 1 }, partitions: dailyPartitionsDefinition({ start_date: '2024-01-01' }), command: ['true'], cwd: '', env: {}, deps, backfillPolicy: null };
}

test('targets: KEY* adds everything downstream, KEY+ one level per plus', () => {
  const all = [target('a'), target('b', ['a']), target('c', ['b']), target('d')];
  const names = (items: string[]) => selectTargets(all, items, 'ws').map(definitionName);
  assert.deepEqual(names(['a']), ['a']);
  assert.deepEqual(names(['a+']), ['a', 'b']);
  assert.deepEqual(names(['a++']), ['a', 'b', 'c']);
  assert.deepEqual(names(['a*', 'd']), ['a', 'b', 'c', 'd']);
  assert.throws(() => names(['zz*']), /no asset, job or command target named "zz".*known: a, b, c, d/);
});

test('targets: a key two code locations define is an error naming both; --location chooses one; unique names need none', () => {
  const asset = (key: string, location: string, file: string, deps: string[] = []): AssetDefinition => ({
    kind: 'asset', key: [key], group: 'default', location: { file, line: 3 }, partitions: null, backfillPolicy: null,
    deps: deps.map((d) => ({ key: [d], mapping: null })), codeLocation: { name: location, root: '', entryFiles: [file] },
  });
  const all = [asset('raw', 'definitions.py', 'shared.py'), asset('raw', 'other_defs.py', 'shared.py'), asset('report', 'other_defs.py', 'b/other_defs.py', ['raw'])];
  const picked = (items: string[], location?: string) => selectTargets(all, items, 'ws', location).map((d) => `${definitionName(d)}@${d.kind === 'asset' ? d.codeLocation?.name : ''}`);
  assert.throws(() => picked(['raw']), /^BackfillPlanError: "raw" is defined 2 times: definitions\.py \(shared\.py:3\), other_defs\.py \(shared\.py:3\); choose one code location with --location NAME$/);
  assert.deepEqual(picked(['raw'], 'other_defs.py'), ['raw@other_defs.py']);
  assert.deepEqual(picked(['raw*'], 'other_defs.py'), ['raw@other_defs.py', 'report@other_defs.py']);
  // Names stored before locations mattered (backfills.yaml targets, unique keys) select as they did.
  assert.deepEqual(picked(['report']), ['report@other_defs.py']);
  assert.throws(() => picked(['raw'], 'nowhere.py'), /no code location named "nowhere\.py" \(known: definitions\.py, other_defs\.py\)/);
});

test('a saved plan launches only while its inputs are unchanged', () => {
  const now = new Date('2024-03-01T00:00:00Z');
  const request = { targets: ['a'], selection: { kind: 'latest', count: 3 } as const, reprocess: 'missing' as const };
  const statuses = new Map<string, 'MATERIALIZED'>();
  const plan = () => planBackfill([target('a')], request.selection, now, { reprocess: 'missing', statuses: () => statuses });
  const saved = parseSavedPlan(savedPlanText(request, plan()), 'p.json');
  assert.doesNotThrow(() => assertPlanCurrent(saved, plan(), 'p.json'));
  statuses.set('2024-02-29', 'MATERIALIZED');
  assert.throws(() => assertPlanCurrent(saved, plan(), 'p.json'), /p\.json is out of date/);
  assert.throws(() => parseSavedPlan('{}', 'p.json'), /not a saved plan/);
  assert.throws(() => parseSavedPlan('nope', 'p.json'), /not a saved plan/);
});
