// The partitions panel's grid for multi-partitions definitions: a dimension × dimension matrix, with or without time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { partitionsLayout } from '../../../src/extension/panels/partitionsLayout';
import { MultiPartitionsDefinition } from '../../../src/core/partitions/multiPartitionsDefinition';
import { StaticPartitionsDefinition } from '../../../src/core/partitions/staticPartitionsDefinition';
import { dailyPartitionsDefinition } from '../../../src/core/partitions/timeWindowSubclasses';

const now = new Date('2024-01-04T00:00:00Z');

test('static × static: a matrix of the two dimensions, the longer one down the rows (no time dimension needed)', () => {
  const grid = new MultiPartitionsDefinition({ size: new StaticPartitionsDefinition(['s', 'm', 'l']), color: new StaticPartitionsDefinition(['red', 'blue']) });
  assert.deepEqual(partitionsLayout(grid, grid.keys(now)), {
    kind: 'matrix', rowDimension: 'size', columnDimension: 'color', rowLabels: ['s', 'm', 'l'], columnLabels: ['red', 'blue'], columnMajor: true,
  });
});

test('static × daily: the same matrix, dates as one dimension', () => {
  const d = new MultiPartitionsDefinition({ date: dailyPartitionsDefinition({ start_date: '2024-01-01' }), abc: new StaticPartitionsDefinition(['a', 'b']) });
  assert.deepEqual(partitionsLayout(d, d.keys(now)), {
    kind: 'matrix', rowDimension: 'date', columnDimension: 'abc', rowLabels: ['2024-01-01', '2024-01-02', '2024-01-03'], columnLabels: ['a', 'b'], columnMajor: true,
  });
});
