// Tests for the bounded run-log tail: limits in bytes, whole lines and whole UTF-8 characters.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { appendToLogTail, formatRunLog } from '../../../src/core/storage/runLogTail';

test('below the limit the text is kept as is', () => {
  const log = appendToLogTail({ tail: 'a\n', truncatedBytes: 0 }, 'b\n', 10);
  assert.deepEqual(log, { tail: 'a\nb\n', truncatedBytes: 0 });
  assert.equal(formatRunLog(log), 'a\nb\n');
});

test('over the limit the oldest bytes are dropped and counted, starting at a line when possible', () => {
  const log = appendToLogTail({ tail: '', truncatedBytes: 5 }, 'first line\nsecond\nthird\n', 16);
  assert.deepEqual(log, { tail: 'second\nthird\n', truncatedBytes: 5 + 11 });
  assert.equal(formatRunLog(log), '[... 16 bytes truncated ...]\nsecond\nthird\n');
});

test('a cut never splits a multi-byte character', () => {
  const log = appendToLogTail({ tail: '', truncatedBytes: 0 }, 'ééééé', 5);
  assert.equal(log.tail, 'éé');
  assert.equal(log.truncatedBytes, 6);
});
