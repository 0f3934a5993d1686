// The --json document text equals JSON.stringify(value, null, 2) for every kind of value the CLI prints and more.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jsonDocumentText } from '../../../src/cli/jsonDocumentText';

class Window {
  constructor(readonly start: string) {}
}

const values: unknown[] = [
  { count: 3, keys: ['2024-01-01', '2024-01-02', 'quote " back \\ slash', 'line\nbreak', 'tab\t\u0001', 'lone \ud800', 'é 🙂'] },
  { count: 0, keys: [], windows: [] },
  { windows: [['a', 'b'], null, ['c', 'd']], nested: { deep: { deeper: [1, [2, [3, {}]], []] } } },
  { skipped: undefined, fn: () => 1, sym: Symbol('s'), kept: 1, nan: NaN, inf: -Infinity, neg0: -0, big: 1e21, small: 5e-7 },
  [undefined, () => 1, Symbol('s'), null, true, false],
  // eslint-disable-next-line no-sparse-arrays
  [1, , 3],
  { date: new Date(Date.UTC(2024, 0, 1)), withToJSON: { toJSON: (key: string) => ({ key, lines: ['x', 'y'] }) }, cls: new Window('a') },
  { map: new Map([[1, 2]]), set: new Set([1]), boxed: [new String('s'), new Number(2), new Boolean(false)], nullProto: Object.assign(Object.create(null), { a: [1] }) },
  { '': 'empty key', 'key "quoted"': { '\n': [] }, 2: 'numeric keys first', b: 'then insertion order' },
  Object.assign([1, 2], { extra: 'ignored' }),
  'top-level string', 42, null, true, undefined, new Date(0),
];

test('jsonDocumentText is JSON.stringify(value, null, 2), value by value', () => {
  for (const value of values) assert.equal(jsonDocumentText(value), JSON.stringify(value, null, 2), String(JSON.stringify(value)));
});

test('a getter is read once per document, as JSON.stringify reads it', () => {
  let reads = 0;
  const value = { get keys() { reads++; return ['a']; } };
  assert.equal(jsonDocumentText(value), JSON.stringify(value, null, 2));
  assert.equal(reads, 2);
});

test('a BigInt fails as JSON.stringify fails', () => {
  assert.throws(() => jsonDocumentText({ n: [1n] }), TypeError);
});
