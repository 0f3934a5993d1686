// end_offset against Dagster's TimeWindowPartitionsDefinition (partitions/definition/time_window.py): which keys
// exist while the start is still ahead of now, and when the definition's end is already behind it.
//
// Expected values were computed with a Python transcription of Dagster's get_partition_keys,
// _get_first_partition_window, _get_last_partition_window and get_num_partitions for a UTC daily cron
// (datetime + timedelta, windows from cron_string_iterator's ticks), run under Python 3.11.
// Dagster's count comes from the first and last windows: the first window exists when
//   end_offset = 0: it ended by now;  > 0: it ends by the start of the window end_offset after the first one
//   starting at or after now;  < 0: it ends by the start of the |end_offset|-th window back from now;
// and the last window is the last key of get_partition_keys(min(now, end)), which lists from the START, counts
// end_offset windows past now from there, stops at `end`, then drops |end_offset| keys when negative.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dailyPartitionsDefinition } from '../../../src/core/partitions/timeWindowSubclasses';

const at = (iso: string) => new Date(`${iso}Z`);
const keysOf = (start: string, end: string | null, endOffset: number, now: string) => {
  const d = dailyPartitionsDefinition({ start_date: start, end_date: end, end_offset: endOffset });
  const keys = d.keys(at(now));
  assert.equal(d.count(at(now)), keys.length);
  return keys;
};
const days = (from: number, to: number, month = '2022-01') => Array.from({ length: to - from + 1 }, (_, i) => `${month}-${String(from + i).padStart(2, '0')}`);

test('a positive end_offset with the start still ahead counts its windows from the start', () => {
  // Failed before: only the first key was given, whatever the offset.
  assert.deepEqual(keysOf('2023-01-15', null, 2, '2023-01-14T12:00'), ['2023-01-15', '2023-01-16']);
  assert.deepEqual(keysOf('2023-01-15', null, 2, '2023-01-14T00:00'), ['2023-01-15', '2023-01-16']);
  assert.deepEqual(keysOf('2023-01-15', null, 3, '2023-01-13T12:00'), ['2023-01-15', '2023-01-16', '2023-01-17']);
});

test('a positive end_offset too far before the start gives no keys (Dagster has no first window)', () => {
  // Dagster's get_partition_keys alone would list ['2023-01-15'] here; its first window, count and
  // has_partition_key say none, and so do we (keys and count must agree).
  assert.deepEqual(keysOf('2023-01-15', null, 1, '2023-01-13T12:00'), []);
  assert.deepEqual(keysOf('2023-01-15', null, 1, '2023-01-14T00:00'), []);
  assert.deepEqual(keysOf('2023-01-15', null, 2, '2023-01-12T12:00'), []);
});

test('a negative end_offset drops keys from the end of a definition that has ended', () => {
  // Failed before: the end clipped after the offset, so an ended definition kept all its keys.
  assert.deepEqual(keysOf('2022-01-01', '2022-02-01', -1, '2023-06-01T00:00'), days(1, 30));
  assert.deepEqual(keysOf('2022-01-01', '2022-02-01', -2, '2022-02-05T00:00'), days(1, 29));
  assert.deepEqual(keysOf('2022-01-01', '2022-02-01', -2, '2022-01-31T12:00'), days(1, 28));
  assert.deepEqual(keysOf('2022-01-01', '2022-01-02', -1, '2023-01-01T00:00'), []);
});

test('a positive end_offset stops at the end; a window ending exactly at now exists', () => {
  assert.deepEqual(keysOf('2022-01-01', '2022-02-01', 2, '2022-01-31T12:00'), days(1, 31));
  assert.deepEqual(keysOf('2022-01-01', '2022-02-01', 0, '2022-02-01T00:00'), days(1, 31));
  assert.deepEqual(keysOf('2022-01-01', null, 0, '2022-01-03T00:00'), days(1, 2));
  assert.deepEqual(keysOf('2022-01-01', null, 0, '2022-01-02T23:59:59.999'), days(1, 1));
});
