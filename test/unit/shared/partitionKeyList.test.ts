// PartitionKeyList: every key list round-trips exactly (hostile static keys, DST hourly keys), time windows
// encode compactly, and malformed lists are rejected with a reason naming the field.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dailyPartitionsDefinition, hourlyPartitionsDefinition } from '../../../src/core/partitions/timeWindowSubclasses';
import { findProblem } from '../../../src/shared/messageSchema';
import { decodePartitionKeyList, encodePartitionKeyList, type PartitionKeyList } from '../../../src/shared/partitionKeyList';
import { partitionKeyList } from '../../../src/shared/partitionKeyListSchema';

/** Encodes, ships as VS Code does (JSON) and as postMessage does (structured clone), validates, decodes, compares. */
function assertRoundTrip(keys: readonly string[]): PartitionKeyList {
  const list = encodePartitionKeyList(keys);
  for (const shipped of [JSON.parse(JSON.stringify(list)) as PartitionKeyList, structuredClone(list)]) {
    assert.equal(findProblem(partitionKeyList, shipped, 'keys'), null);
    const decoded = decodePartitionKeyList(shipped);
    assert.equal(decoded.length, keys.length);
    const back = Array.from({ length: decoded.length }, (_, i) => decoded.at(i));
    assert.deepEqual(back, keys);
    const first = new Map<string, number>();
    keys.forEach((k, i) => first.has(k) || first.set(k, i));
    // Every key of a short list; a spread sample of a long one (each lookup walks the runs).
    const stride = keys.length > 2000 ? 97 : 1;
    for (let i = 0; i < keys.length; i += stride) assert.equal(decoded.indexOf(keys[i]!), first.get(keys[i]!), `indexOf ${JSON.stringify(keys[i])} (at ${i})`);
    assert.equal(decoded.indexOf('not one of the keys'), -1);
    assert.equal(decoded.at(keys.length), undefined);
    assert.equal(decoded.at(-1), undefined);
    assert.equal(decoded.at(0.5), undefined);
  }
  return list;
}

const HOSTILE = [
  '', 'plain', 'with space', ' leading and trailing ', '"double" and \'single\' quotes', 'a,b,c', 'line\nbreak', 'cr\r\nlf', 'tab\there',
  '\u0000nul', 'ünïcödé', '日本語', '🦆 duck', '\ud800 lone surrogate', 'emoji👩‍👩‍👧 family', '<script>alert(1)</script>', '$(rm -rf /)', '`x`',
  '16.11.2.1.24*2', '5,6,7', '*', '.', '..', '...', '[2024-01-01...2024-01-02]', '\\', '\\,', 'a|b', 'x'.repeat(300),
];

test('hostile static keys round-trip exactly, in any order and with duplicates', () => {
  assertRoundTrip(HOSTILE);
  assertRoundTrip([...HOSTILE].reverse());
  assertRoundTrip([...HOSTILE, ...HOSTILE]);
  assertRoundTrip([]);
  assertRoundTrip(['']);
  assertRoundTrip(['', '', '']);
});

test('numbered keys: counting fields keep their width, and a width change, a carry or a long number starts a new run', () => {
  const list = assertRoundTrip(['file-007', 'file-008', 'file-009', 'file-010', 'file-011', 'file-099', 'file-100']);
  assert.equal(list.runs, '8.5.3.1.5,8.5.3.1.2');
  assertRoundTrip(['8', '9', '10', '11', '12']);
  assertRoundTrip(['a9b', 'a10b', 'a11b']);
  assertRoundTrip(['x1y1', 'x1y2', 'x2y1', 'x2y2', 'x2y3']);
  assertRoundTrip(['0', '5', '10', '15', '20', '25']);
  assertRoundTrip(['999999999999998', '999999999999999']);
  assertRoundTrip(['1234567890123456', '1234567890123457', '1234567890123458']);
  assertRoundTrip(['v1', 'v1', 'v2', 'v0', 'v-1', 'v1.5', 'v2.5']);
  assertRoundTrip(['٣', '٤', '1', '2', '１', '２']);
});

test('time windows round-trip exactly, DST days included, and take a fraction of their joined length', () => {
  const now = new Date('2025-06-01T00:00:00Z');
  const hourly = hourlyPartitionsDefinition({ start_date: '2023-01-01-00:00', timezone: 'America/New_York' }).keys(now);
  assert.ok(hourly.some((k) => /-0[45]00$/.test(k)), 'the fall-back hour carries its offset');
  const h = assertRoundTrip(hourly);
  assert.ok(h.text.length * 20 < hourly.join('').length, `hourly: ${h.text.length} characters of bases for ${hourly.length} keys`);
  const daily = dailyPartitionsDefinition({ start_date: '1990-01-01' }).keys(now);
  const d = assertRoundTrip(daily);
  assert.ok(d.text.length * 20 < daily.join('').length, `daily: ${d.text.length} characters of bases for ${daily.length} keys`);
  assertRoundTrip(hourlyPartitionsDefinition({ start_date: '2024030800', timezone: 'Europe/London', fmt: '%Y%m%d%H' }).keys(new Date('2024-11-01T00:00:00Z')));
});

test('random keys over a digit-heavy alphabet round-trip exactly', () => {
  let seed = 7;
  const random = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const alphabet = ['0', '1', '9', '-', ',', '.', '*', 'a', '\n', 'é', '\ud83e'];
  for (let round = 0; round < 200; round++) {
    const keys: string[] = [];
    let counter = random(1000);
    for (let i = random(40); i > 0; i--) {
      if (random(3) > 0) keys.push(`k${String((counter += 1 + random(2))).padStart(4, '0')}`);
      else keys.push(Array.from({ length: random(6) }, () => alphabet[random(alphabet.length)]).join(''));
    }
    assertRoundTrip(keys);
  }
});

test('malformed lists are rejected with a reason naming the field', () => {
  const good = encodePartitionKeyList(['2024-01-01', '2024-01-02', '2024-01-03', 'x', 'yy']);
  assert.equal(good.runs, '10.8.2.1.3,1,2');
  const bad: [unknown, RegExp][] = [
    [null, /^m\.keys must be an object/],
    [['2024-01-01'], /^m\.keys must be an object/],
    [{ count: 5, runs: good.runs }, /exactly count, runs and text/],
    [{ ...good, extra: 1 }, /exactly count, runs and text/],
    [{ ...good, count: -1 }, /m\.keys\.count must be a non-negative integer/],
    [{ ...good, count: 2.5 }, /count must be a non-negative integer/],
    [{ ...good, count: 4 }, /more than count \(4\) keys/],
    [{ ...good, count: 6 }, /holds 5 keys but count is 6/],
    [{ ...good, runs: 5 }, /^m\.keys\.runs must be a string$/],
    [{ ...good, text: null }, /^m\.keys\.text must be a string$/],
    [{ ...good, text: `${good.text}z` }, /1 characters no run accounts for/],
    [{ ...good, text: good.text.slice(1) }, /run 0 has a non-digit in its field/],
    [{ ...good, text: good.text.slice(0, -1) }, /run past the end of text/],
    [{ ...good, runs: `${good.runs},` }, /group 3/],
    [{ ...good, runs: '10.8.2.1.3,1,2;' }, /unexpected ";"/],
    [{ ...good, runs: '10.8.2.1,1,2' }, /a shape is L or L\.S\.W\.D\.N/],
    [{ ...good, runs: '10.8.2.1.3.4,1,2' }, /unexpected "\."/],
    [{ ...good, runs: '10.8.2.0.3,1,2' }, /a step of at least 1/],
    [{ ...good, runs: '10.8.3.1.3,1,2' }, /field inside the key/],
    [{ ...good, runs: '10.7.2.1.3,1,2' }, /non-digit in its field/],
    [{ ...good, runs: '10.8.2.50.3,1,2' }, /counts past 2 digits/],
    [{ ...good, runs: '10.8.2.1.3*0,1,2' }, /repeat at least 1/],
    [{ ...good, runs: '1234567890123456,1,2' }, /1 to 15 digits/],
    [{ ...good, runs: 'ten,1,2' }, /1 to 15 digits/],
    [{ count: 1, runs: '', text: '' }, /holds 0 keys but count is 1/],
  ];
  for (const [raw, reason] of bad) {
    const problem = findProblem(partitionKeyList, raw, 'm.keys');
    assert.match(problem ?? 'accepted', reason, JSON.stringify(raw));
  }
  assert.throws(() => decodePartitionKeyList({ ...good, count: 9 }), /count is 9/);
});

test('a mutated list is either rejected or decodes to exactly its count of strings', () => {
  const list = encodePartitionKeyList(hourlyPartitionsDefinition({ start_date: '2024-03-08-00:00', timezone: 'America/New_York' }).keys(new Date('2024-03-12T00:00:00Z')));
  const marks = '0123456789.,*x';
  for (let p = 0; p < list.runs.length; p++) {
    for (const c of marks) {
      const runs = list.runs.slice(0, p) + c + list.runs.slice(p + 1);
      const mutated = { ...list, runs };
      if (findProblem(partitionKeyList, mutated, 'keys') !== null) continue;
      const keys = decodePartitionKeyList(mutated);
      for (let i = 0; i < keys.length; i++) assert.equal(typeof keys.at(i), 'string', `${runs} at ${i}`);
    }
  }
});
