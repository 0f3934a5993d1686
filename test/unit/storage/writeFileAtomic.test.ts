// Tests for the atomic file replace and the file signatures the state store compares.
import { after, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { sameSignature, statSignature, writeFileAtomic } from '../../../src/core/storage/writeFileAtomic';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'backfill-atomic-test-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('replaces the content, leaves no temp file, and returns the signature of what it wrote', async () => {
  const file = path.join(dir, 'state.sqlite');
  fs.writeFileSync(file, 'old');
  const first = await writeFileAtomic(file, Buffer.from('new content'));
  assert.equal(fs.readFileSync(file, 'utf8'), 'new content');
  assert.deepEqual(fs.readdirSync(dir), ['state.sqlite']);
  assert.ok(sameSignature(first, await statSignature(file)));
  const second = await writeFileAtomic(file, Buffer.from('new content'));
  assert.ok(!sameSignature(first, second), 'a replace with equal size is still a different version');
});

test('a failed write rejects and leaves the old file and no temp file behind', async () => {
  const file = path.join(dir, 'missing-folder', 'state.sqlite');
  await assert.rejects(writeFileAtomic(file, Buffer.from('x')), /ENOENT/);
  assert.equal(await statSignature(file), null);
});
