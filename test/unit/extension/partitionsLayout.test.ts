// The partitions panel's grid: multi-partitions as a dimension × dimension matrix, with or without time; days and months of time windows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { partitionsLayout } from '../../../src/extension/panels/partitionsLayout';
import { MultiPartitionsDefinition } from '../../../src/core/partitions/multiPartitionsDefinition';
import { StaticPartitionsDefinition } from '../../../src/core/partitions/staticPartitionsDefinition';
import { dailyPartitionsDefinition, hourlyPartitionsDefinition } from '../../../src/core/partitions/timeWindowSubclasses';

const now = new Date('2024-01-04T00:00:00Z');

test('static × static: a matrix of the two dimensions, the longer one down the rows (no time dimension needed)', () => {
  const grid = new MultiPartitionsDefinition({ size: new StaticPartitionsDefinition(['s', 'm', 'l']), color: new StaticPartitionsDefinition(['red', 'blue']) });
  assert.deepEqual(partitionsLayout(grid, grid.keys(now)), {
    kind: 'matrix', timeOrdered: false, rowDimension: 'size', columnDimension: 'color', rowLabels: ['s', 'm', 'l'], columnLabels: ['red', 'blue'], columnMajor: true,
  });
});

test('static × daily: the same matrix, dates as one dimension', () => {
  const d = new MultiPartitionsDefinition({ date: dailyPartitionsDefinition({ start_date: '2024-01-01' }), abc: new StaticPartitionsDefinition(['a', 'b']) });
  assert.deepEqual(partitionsLayout(d, d.keys(now)), {
    kind: 'matrix', timeOrdered: true, rowDimension: 'date', columnDimension: 'abc', rowLabels: ['2024-01-01', '2024-01-02', '2024-01-03'], columnLabels: ['a', 'b'], columnMajor: true,
  });
});

test('daily: a calendar that opens at the newest key, numbers its days and marks where each month begins', () => {
  const d = dailyPartitionsDefinition({ start_date: '2024-01-30' });
  const keys = d.keys(new Date('2024-03-03T00:00:00Z'));
  const layout = partitionsLayout(d, keys);
  assert.equal(layout.kind, 'calendar');
  if (layout.kind !== 'calendar') return;
  assert.equal(layout.timeOrdered, true);
  // Jan 30 → day 30; Feb 1 is index 2; Mar 1 index 31 (2024 is a leap year).
  assert.deepEqual(layout.dayRuns, [[0, 30], [2, 1], [31, 1]]);
  assert.deepEqual(layout.monthStarts, [2, 31]);
});

test('hourly: days × hours, months marked at their first hour, no day numbers (rows are labelled with dates)', () => {
  const d = hourlyPartitionsDefinition({ start_date: '2024-01-31-22:00' });
  const keys = d.keys(new Date('2024-02-01T03:00:00Z'));
  const layout = partitionsLayout(d, keys);
  assert.equal(layout.kind, 'dayHour');
  if (layout.kind !== 'dayHour') return;
  assert.deepEqual(keys.slice(0, 3), ['2024-01-31-22:00', '2024-01-31-23:00', '2024-02-01-00:00']);
  assert.deepEqual(layout.monthStarts, [2]);
  assert.equal(layout.dayRuns, undefined);
  assert.equal(layout.timeOrdered, true);
});
