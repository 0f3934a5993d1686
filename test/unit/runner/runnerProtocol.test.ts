// The runner's event lines: valid events pass, anything malformed becomes a warning log line.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineSplitter, parseRunnerLine, requestPartition } from '../../../src/core/coordinator/runnerProtocol';
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

test('a range key becomes first/last, any other key one key; error lines name the class once', () => {
  assert.deepEqual(requestPartition('2024-01-01...2024-01-31'), { first: '2024-01-01', last: '2024-01-31' });
  assert.deepEqual(requestPartition('a|b'), { key: 'a|b' });
  assert.equal(errorLine({ class: 'ValueError', message: 'ValueError: bad\nmore', stack: '' }), 'ValueError: bad');
  assert.equal(errorLine({ class: 'KeyError', message: "'x'", stack: '' }), "KeyError: 'x'");
});
