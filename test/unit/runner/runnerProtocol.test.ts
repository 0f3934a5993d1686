// The runner's event lines: valid events pass, anything malformed becomes a warning log line.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cutLineMessage, LineSplitter, MAX_EVENT_LINE_LENGTH, parseRunnerLine, requestPartition } from '../../../src/core/coordinator/runnerProtocol';
import { errorLine } from '../../../src/core/coordinator/runnerRunSession';

test('well-formed events are returned as they are, with the request id', () => {
  const line = '{"event":"asset_materialized","run":"r1","asset":"a/b","partition":"2024-01-01","step":"a__b"}';
  assert.deepEqual(parseRunnerLine(line), { event: 'asset_materialized', run: 'r1', asset: 'a/b', partition: '2024-01-01', step: 'a__b' });
  const finished = '{"event":"run_finished","status":"FAILURE","dagsterRunId":null,"error":{"class":"ValueError","message":"x","stack":"s"}}';
  assert.equal(parseRunnerLine(finished).event, 'run_finished');
  assert.deepEqual(parseRunnerLine('{"event":"asset_materialized","asset":"a","partition":null}'), { event: 'asset_materialized', asset: 'a', partition: null });
});

test('malformed lines become warning log lines quoting them', () => {
  for (const [line, why] of [
    ['not json', /unreadable event line: not json/],
    ['[1,2]', /not an object/],
    ['{"event":"explode"}', /unknown event/],
    ['{"no":"event"}', /unknown event/],
    ['{"event":"run_finished","status":"MAYBE","error":null}', /malformed run_finished event/],
    ['{"event":"run_finished","status":"FAILURE","error":{"class":"E"}}', /malformed run_finished event/],
    ['{"event":"step_started"}', /malformed step_started event/],
    ['{"event":"log","level":"INFO","message":"m","run":7}', /malformed log event/],
  ] as const) {
    const parsed = parseRunnerLine(line);
    assert.equal(parsed.event, 'log', line);
    assert.match((parsed as { message: string }).message, why);
    assert.equal((parsed as { level: string }).level, 'WARNING');
  }
});

test('lines split across chunks are joined; a partial last line waits for the end', () => {
  const lines: string[] = [];
  const splitter = new LineSplitter((l) => lines.push(l));
  splitter.push('{"a":');
  splitter.push('1}\n{"b"');
  assert.deepEqual(lines, ['{"a":1}']);
  splitter.push(':2}\n\n{"c":3}');
  splitter.end();
  assert.deepEqual(lines, ['{"a":1}', '{"b":2}', '{"c":3}']);
});

test('a line longer than the bound keeps its head, drops the rest as it arrives and says how much was cut', () => {
  const lines: [string, number | undefined][] = [];
  const splitter = new LineSplitter((l, cut) => lines.push([l, cut?.droppedCharacters]), 10);
  splitter.push('abcdef');
  splitter.push('ghijklmnop');
  splitter.push('qrs\nshort\n0123456789');
  splitter.push('\n');
  splitter.push('x'.repeat(25));
  splitter.end();
  assert.deepEqual(lines, [['abcdefghij', 9], ['short', undefined], ['0123456789', undefined], ['xxxxxxxxxx', 15]]);
  const message = cutLineMessage('{"event":"log"', 123);
  assert.equal(message.event, 'log');
  assert.match((message as { message: string }).message, /^runner: an event line longer than 14 characters was cut \(123 more dropped\) and not read; it began: \{"event":"log"$/);
});

test('the default bound is 1 MiB a line: a 3 MiB line in 64 KiB chunks comes out as its first MiB', () => {
  const lines: [number, number | undefined][] = [];
  const splitter = new LineSplitter((l, cut) => lines.push([l.length, cut?.droppedCharacters]));
  const chunk = 'y'.repeat(64 * 1024);
  for (let i = 0; i < 48; i++) splitter.push(chunk);
  splitter.push('\n{"event":"next"}\n');
  assert.deepEqual(lines, [[MAX_EVENT_LINE_LENGTH, 2 * MAX_EVENT_LINE_LENGTH], ['{"event":"next"}'.length, undefined]]);
});

test('a range key becomes first/last, any other key one key; error lines name the class once', () => {
  assert.deepEqual(requestPartition('2024-01-01...2024-01-31'), { first: '2024-01-01', last: '2024-01-31' });
  assert.deepEqual(requestPartition('a|b'), { key: 'a|b' });
  assert.equal(errorLine({ class: 'ValueError', message: 'ValueError: bad\nmore', stack: '' }), 'ValueError: bad');
  assert.equal(errorLine({ class: 'KeyError', message: "'x'", stack: '' }), "KeyError: 'x'");
});

test('status mode: status_result and dynamic_partitions_result pass when they keep the contract, else become warnings naming the kind', () => {
  const ok = [
    { event: 'status_result', run: 's1', full: true, cursor: '1042', instance: '/home/me/dagster_home',
      assets: [
        { asset: 'raw_events', statuses: { MATERIALIZED: [['2024-01-01', '2024-03-31']], FAILED: [['2024-04-02', '2024-04-02']], IN_PROGRESS: [], MISSING: [] } },
        { asset: 'unpartitioned_thing', partitioned: false },
        { asset: 'nope', error: 'asset nope is not in code location defs' },
        { asset: 'x', statuses: {}, full: true },
      ],
      dynamicPartitions: { customers: ['acme', 'globex'] } },
    { event: 'status_result', run: 's2', full: false, cursor: null, instance: null, assets: [], dynamicPartitions: {} },
    { event: 'status_result', run: 's3', error: { class: 'DagsterInvalidConfigError', message: 'bad yaml', stack: 's' }, instance: '/h', phase: 'instance' },
    { event: 'dynamic_partitions_result', run: 'd1', name: 'customers', keys: ['acme'], instance: '/h' },
    { event: 'dynamic_partitions_result', run: 'd2', name: 'customers', error: { class: 'CheckError', message: 'bad key', stack: 's' } },
  ];
  for (const event of ok) assert.deepEqual(parseRunnerLine(JSON.stringify(event)), event);
  const bad = [
    { event: 'status_result', run: 's1', full: 'yes', cursor: null, instance: null, assets: [], dynamicPartitions: {} },
    { event: 'status_result', run: 's1', full: true, cursor: 7, instance: null, assets: [], dynamicPartitions: {} },
    { event: 'status_result', run: 's1', full: true, cursor: null, instance: null, assets: [{ asset: 'a', statuses: { DONE: [] } }], dynamicPartitions: {} },
    { event: 'status_result', run: 's1', full: true, cursor: null, instance: null, assets: [{ asset: 'a', statuses: { FAILED: [['x']] } }], dynamicPartitions: {} },
    { event: 'status_result', run: 's1', full: true, cursor: null, instance: null, assets: [{ asset: 'a', partitioned: true }], dynamicPartitions: {} },
    { event: 'status_result', run: 's1', full: true, cursor: null, instance: null, assets: [], dynamicPartitions: { c: 'acme' } },
    { event: 'status_result', run: 's1', error: { class: 'E', message: 'm', stack: 's' }, instance: null, phase: 'elsewhere' },
    { event: 'dynamic_partitions_result', run: 'd1', name: 'customers', keys: [1] },
    { event: 'dynamic_partitions_result', run: 'd1', keys: [] },
  ];
  for (const event of bad) {
    const parsed = parseRunnerLine(JSON.stringify(event));
    assert.equal(parsed.event, 'log', JSON.stringify(event));
    assert.match((parsed as { message: string }).message, new RegExp(`malformed ${event.event} event`));
    assert.equal((parsed as { malformed?: string }).malformed, event.event);
  }
});
