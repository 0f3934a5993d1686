// Lens placement: the first decorator line of a definition, across multi-line decorators and stacked ones.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decoratorStartLine } from '../../../src/extension/decoratorStartLine';

const at = (text: string) => {
  const lines = text.split('\n');
  return (i: number) => lines[i] ?? '';
};

test('single and stacked decorators', () => {
  const src = ['x = 1', '', '@asset(partitions_def=daily)', 'def a():', '    pass', '', '@other', '@job(config=cfg)  # comment (', 'def b():'].join('\n');
  assert.equal(decoratorStartLine(at(src), 3), 2);
  assert.equal(decoratorStartLine(at(src), 8), 6);
});

test('a decorator whose arguments span lines', () => {
  const src = ['daily = X()', '@asset(', '    partitions_def=daily,', '    deps=[AssetKey("raw")],', ')', 'def events():', '    pass'].join('\n');
  assert.equal(decoratorStartLine(at(src), 5), 1);
});

test('no decorator, or a blank line between, leaves the def line', () => {
  assert.equal(decoratorStartLine(at('x = (\n 1)\ndef f():\n pass'), 2), 2);
  assert.equal(decoratorStartLine(at('def f():\n pass'), 0), 0);
});
