// RunLogWriter and RunLogFiles: output appended in order from the first byte, bounded buffering with a marked gap, failures reported once.
import { after, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RunLogFiles } from '../../../src/core/storage/runLogFiles';
import { RunLogWriter } from '../../../src/core/storage/runLogWriter';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'backfill-runlog-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

test('chunks are appended in order, across writers of one run (attempts), with the folder made on first output', async () => {
  const logs = new RunLogFiles(path.join(root, 'a', 'logs'));
  const first = logs.open('abcdefgh', 'run-1');
  assert.equal(fs.existsSync(path.join(root, 'a')), false, 'nothing is created before output');
  const expected: string[] = [];
  for (let i = 0; i < 2000; i++) {
    const chunk = `line ${i} ${'é'.repeat(i % 7)}\n`;
    expected.push(chunk);
    first.write(chunk);
  }
  await first.close();
  const second = logs.open('abcdefgh', 'run-1');
  second.write('attempt 2\n');
  await second.close();
  assert.equal(fs.readFileSync(logs.pathOf('abcdefgh', 'run-1'), 'utf8'), expected.join('') + 'attempt 2\n');
  assert.equal(await logs.size('abcdefgh', 'run-1'), Buffer.byteLength(expected.join('') + 'attempt 2\n'));
  assert.equal(await logs.size('abcdefgh', 'run-2'), undefined);
});

test('past the buffer bound, output is dropped and the gap is marked where it was, not held in memory', async () => {
  const file = path.join(root, 'bounded', 'r.log');
  const w = new RunLogWriter(file, undefined, 11);
  // All in one turn: the first chunk starts the write, the buffer holds at most 11 characters meanwhile.
  w.write('12345\n');
  w.write('abcd\n');
  w.write('dropped\n');
  w.write('also dropped\n');
  await w.close();
  assert.equal(fs.readFileSync(file, 'utf8'), '12345\nabcd\n[... 21 characters of output not written: it came faster than the disk took it ...]\n');
});

test('a file that cannot be written is reported once; writing goes on without throwing', async () => {
  const blocker = path.join(root, 'not-a-folder');
  fs.writeFileSync(blocker, '');
  const errors: Error[] = [];
  const w = new RunLogWriter(path.join(blocker, 'r.log'), (e) => errors.push(e));
  w.write('one\n');
  await new Promise((resolve) => setImmediate(resolve));
  w.write('two\n');
  await w.close();
  assert.equal(errors.length, 1);
  assert.match(errors[0]!.message, /could not write the run log .*not-a-folder.*the state file keeps the run's last output/);
});

test('ids that are not the engine\'s cannot name a path outside the folder', () => {
  const logs = new RunLogFiles(path.join(root, 'ids'));
  assert.throws(() => logs.pathOf('../etc', 'r'), /backfill id "..\/etc" cannot name a log file/);
  assert.throws(() => logs.pathOf('abc', '..'), /run id/);
  assert.throws(() => logs.pathOf('abc', 'a/b'), /run id/);
  assert.equal(logs.pathOf('abcdefgh', '4aba618c-d009-44fa-a6c9-bdc6330135a6'), path.join(root, 'ids', 'abcdefgh', '4aba618c-d009-44fa-a6c9-bdc6330135a6.log'));
});
