// Every directive Python's strptime reads, both ways: keys written from window starts and read back to windows.
//
// Vectors computed with Python 3.11 in the C locale (as Dagster runs), by these rules:
//   keys: [t.strftime(fmt) for t in the definition's first ticks] (aware UTC datetimes, so %z is +0000, %Z UTC);
//   has:  Dagster's has_partition_key: datetime.strptime(key, fmt) (then fmt + '%z'), the first tick at or after
//         it, inside the listed windows, formatting back to the key;
//   strptime rows: datetime.strptime(text, fmt).isoformat(), or None where it raises ValueError.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TimeWindowPartitionsDefinition } from '../../../src/core/partitions/timeWindowPartitionsDefinition';
import { strptime } from '../../../src/core/partitions/strptime';
import { dailyPartitionsDefinition, hourlyPartitionsDefinition } from '../../../src/core/partitions/timeWindowSubclasses';

const CRONS = { daily: '0 0 * * *', hourly: '0 * * * *', weekly: '0 0 * * 0', monthly: '0 0 1 * *' } as const;

/** [schedule, fmt, first window start (UTC), keys, has_partition_key of each key] */
const KEY_VECTORS: [keyof typeof CRONS, string, string, string[], boolean[]][] = [
  ['daily', '%a %d %b %Y', '2024-02-26T00:00', ['Mon 26 Feb 2024', 'Tue 27 Feb 2024', 'Wed 28 Feb 2024', 'Thu 29 Feb 2024', 'Fri 01 Mar 2024', 'Sat 02 Mar 2024'], [true, true, true, true, true, true]],
  ['daily', '%A, %B %d, %Y', '2023-12-30T00:00', ['Saturday, December 30, 2023', 'Sunday, December 31, 2023', 'Monday, January 01, 2024', 'Tuesday, January 02, 2024'], [true, true, true, true]],
  ['daily', '%Y-%j', '2024-12-29T00:00', ['2024-364', '2024-365', '2024-366', '2025-001', '2025-002'], [true, true, true, true, true]],
  ['daily', '%x', '2024-12-30T00:00', ['12/30/24', '12/31/24', '01/01/25'], [true, true, true]],
  // %y reads 69-99 as 19xx: the 2069 key reads back as 1969.
  ['daily', '%y%m%d', '2068-12-31T00:00', ['681231', '690101'], [true, false]],
  ['daily', '%Y %U %w', '2023-12-30T00:00', ['2023 52 6', '2023 53 0', '2024 00 1', '2024 00 2'], [true, true, true, true]],
  ['daily', '%Y/%W/%a', '2023-12-30T00:00', ['2023/52/Sat', '2023/52/Sun', '2024/01/Mon', '2024/01/Tue'], [true, true, true, true]],
  ['daily', '%G-W%V-%u', '2020-12-26T00:00', ['2020-W52-6', '2020-W52-7', '2020-W53-1', '2020-W53-2', '2020-W53-3', '2020-W53-4', '2020-W53-5', '2020-W53-6', '2020-W53-7', '2021-W01-1'], [true, true, true, true, true, true, true, true, true, true]],
  ['hourly', '%Y-%m-%d %I%p', '2024-03-01T10:00', ['2024-03-01 10AM', '2024-03-01 11AM', '2024-03-01 12PM', '2024-03-01 01PM'], [true, true, true, true]],
  ['hourly', '%c', '2024-03-09T23:00', ['Sat Mar  9 23:00:00 2024', 'Sun Mar 10 00:00:00 2024'], [true, true]],
  ['hourly', '%Y-%m-%dT%X.%f%Z', '2024-03-09T23:00', ['2024-03-09T23:00:00.000000UTC', '2024-03-10T00:00:00.000000UTC'], [true, true]],
  ['hourly', '%Y-%m-%d %H%%', '2024-03-09T23:00', ['2024-03-09 23%', '2024-03-10 00%'], [true, true]],
  ['weekly', '%Y-W%W-%w', '2024-12-22T00:00', ['2024-W51-0', '2024-W52-0', '2025-W00-0'], [true, true, true]],
  // Without a weekday Python ignores %U: a key reads as January 1st, whose next Sunday is rarely the key's.
  ['weekly', '%Y-W%U', '2024-12-22T00:00', ['2024-W51', '2024-W52', '2025-W01'], [false, false, true]],
  ['monthly', '%B %Y', '2024-11-01T00:00', ['November 2024', 'December 2024', 'January 2025'], [true, true, true]],
  ['monthly', '%b-%y', '2024-11-01T00:00', ['Nov-24', 'Dec-24', 'Jan-25'], [true, true, true]],
];

for (const [schedule, fmt, start, keys, has] of KEY_VECTORS) {
  test(`${schedule} keys in fmt '${fmt}' are Python's, and read back as Dagster reads them`, () => {
    const d = new TimeWindowPartitionsDefinition({ cron: CRONS[schedule], fmt, start: new Date(`${start}Z`) });
    // "now": the end of the last listed window, computed without reading keys back (some do not read back).
    const now = new Date(d.windows(new Date('2100-01-01T00:00:00Z'), keys.length - 1, keys.length)[0]!.end);
    assert.deepEqual(d.keys(now), keys);
    assert.deepEqual(keys.map((k) => d.hasKey(k, now)), has);
    keys.forEach((k, i) => {
      assert.equal(d.keyAtIndex(i, now), k);
      assert.equal(d.indexOfKey(k, now), has[i] ? i : -1);
    });
  });
}

/** [text, fmt, datetime.strptime(text, fmt).isoformat() or null] */
const PARSE_VECTORS: [string, string, string | null][] = [
  ['Mon 26 feb 2024', '%a %d %b %Y', '2024-02-26T00:00:00'],
  ['2024-60', '%Y-%j', '2024-02-29T00:00:00'],
  ['2024-366', '%Y-%j', '2024-12-31T00:00:00'],
  ['2023-366', '%Y-%j', '2024-01-01T00:00:00'],
  ['12am', '%I%p', '1900-01-01T00:00:00'],
  ['12PM', '%I%p', '1900-01-01T12:00:00'],
  ['2024 00 0', '%Y %U %w', '2023-12-31T00:00:00'],
  ['2024 00 1', '%Y %U %w', '2024-01-01T00:00:00'],
  ['2021-W53-5', '%G-W%V-%u', '2022-01-07T00:00:00'],
  ['2024-01-01 1:2:3', '%Y-%m-%d %H:%M:%S', '2024-01-01T01:02:03'],
  ['2024-01-01T00:00:00+05:30', '%Y-%m-%dT%H:%M:%S%z', '2024-01-01T00:00:00+05:30'],
  ['2024-01-01T00:00:00+0530', '%Y-%m-%dT%H:%M:%S%z', '2024-01-01T00:00:00+05:30'],
  ['2024-01-01T00:00:00Z', '%Y-%m-%dT%H:%M:%S%z', '2024-01-01T00:00:00+00:00'],
  ['2024-01-01T00:00:00z', '%Y-%m-%dT%H:%M:%S%z', null],
  ['02-29', '%m-%d', null],
  ['02-28', '%m-%d', '1900-02-28T00:00:00'],
  ['2024-01-01 12:00:00.5', '%Y-%m-%d %H:%M:%S.%f', '2024-01-01T12:00:00.500000'],
  ['2024-01-01   x', '%Y-%m-%d x', '2024-01-01T00:00:00'],
  ['24', '%H', null],
  ['Sat Mar  9 23:00:00 2024', '%c', '2024-03-09T23:00:00'],
  ['Sat Mar 9 23:00:00 2024', '%c', '2024-03-09T23:00:00'],
  ['03/09/24', '%x', '2024-03-09T00:00:00'],
  ['1999 52 sunday', '%Y %W %A', '2000-01-02T00:00:00'],
];

function isoformat(p: NonNullable<ReturnType<typeof strptime>>): string {
  const f = p.fields;
  const two = (n: number) => String(n).padStart(2, '0');
  let s = `${String(f.year).padStart(4, '0')}-${two(f.month)}-${two(f.day)}T${two(f.hour)}:${two(f.minute)}:${two(f.second)}`;
  if (p.microsecond !== 0) s += `.${String(p.microsecond).padStart(6, '0')}`;
  if (p.offsetMinutes !== null) {
    const abs = Math.abs(p.offsetMinutes);
    s += `${p.offsetMinutes < 0 ? '-' : '+'}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
  }
  return s;
}

test('strptime reads as Python does: names in any case, %j, weeks, ISO weeks, 12-hour clock, %f, %z, defaults', () => {
  for (const [text, fmt, expected] of PARSE_VECTORS) {
    const p = strptime(text, fmt);
    assert.equal(p === null ? null : isoformat(p), expected, `strptime(${JSON.stringify(text)}, ${JSON.stringify(fmt)})`);
  }
});

test('formats Python cannot read are refused with its reason, on the fmt parameter', () => {
  const refused = (fmt: string, reason: RegExp) => assert.throws(
    () => new TimeWindowPartitionsDefinition({ cron: '0 0 * * *', fmt, start: new Date('2024-01-01T00:00:00Z') }),
    (e: Error & { parameter?: string }) => reason.test(e.message) && e.parameter === 'fmt');
  refused('%Y-%m-%e', /'e' is a bad directive in format '%Y-%m-%e'/);
  refused('%Y-%m-%-d', /'-' is a bad directive in format '%Y-%m-%-d'/);
  refused('%F', /'F' is a bad directive/);
  refused('%Y-%m-%d%', /stray % in format '%Y-%m-%d%'/);
  refused('%Y %Y', /redefinition of group name 'Y'/);
  refused('%G-%V', /ISO year directive '%G' must be used with the ISO week directive '%V' and a weekday directive/);
  refused('%Y-%V-%u', /ISO week directive '%V' is incompatible with the year directive '%Y'/);
  refused('%G-%j', /Day of the year directive '%j' is not compatible with ISO year directive '%G'/);
  assert.throws(() => dailyPartitionsDefinition({ start_date: '2024-01-01 UTC', fmt: '%Y-%m-%d %Z', timezone: 'America/New_York' }),
    /%Z writes the zone's abbreviation/);
});

test('a fmt without a year parses as 1900, as Python: the definition starts there and its keys repeat yearly', () => {
  const d = dailyPartitionsDefinition({ start_date: '12-30', fmt: '%m-%d' });
  assert.equal((d.toJSON() as { start: string }).start, '1900-12-30T00:00:00+00:00');
  const now = new Date('1901-01-03T00:00:00Z');
  assert.deepEqual(d.keys(now), ['12-30', '12-31', '01-01', '01-02']);
  // A key reads back as 1900: 01-01 is 1900-01-01, before the start.
  assert.equal(d.hasKey('12-31', now), true);
  assert.equal(d.hasKey('01-01', now), false);
});

test('hourly keys with a 12-hour clock across a DST change keep the offset suffix for the repeated hour', () => {
  // Python: datetime(2024, 11, 3, 1, fold=1, tzinfo=ZoneInfo('America/Los_Angeles')).strftime('%Y-%m-%d %I%p%z')
  // is '2024-11-03 01AM-0800'; the first 01AM has no suffix (dst_safe_strftime).
  const d = hourlyPartitionsDefinition({ start_date: '2024-11-03 12AM', end_date: '2024-11-03 03AM', fmt: '%Y-%m-%d %I%p', timezone: 'America/Los_Angeles' });
  assert.deepEqual(d.keys(new Date('2025-01-01T00:00:00Z')), ['2024-11-03 12AM', '2024-11-03 01AM', '2024-11-03 01AM-0800', '2024-11-03 02AM']);
});
