// RunnerProcess output: a UTF-8 character split across two chunks of the runner's stdout or stderr arrives whole.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { RunnerProcess } from '../../../src/core/coordinator/runnerProcess';
import { until } from '../backfill/recordingTarget';

// Stands in for the Python runner (RunnerProcess runs `<python> <script> <mode>`): writes "a" and the first two
// bytes of "€" (E2 82 AC) to stdout (to stderr in mode 'status'), waits until the test has seen that chunk, then
// the last byte and "b".
const SCRIPT = String.raw`
const fs = require('fs');
const [release] = [process.env.RELEASE_FILE];
const out = process.argv[3] === 'status' ? 2 : 1;
fs.writeSync(out, Buffer.from([0x61, 0xe2, 0x82]));
const wait = () => (fs.existsSync(release) ? (fs.writeSync(out, Buffer.from([0xac, 0x62, 0x0a])), process.exit(0)) : setTimeout(wait, 5));
wait();
`;

for (const stream of ['stdout', 'stderr'] as const) {
  test(`a character split across two ${stream} chunks is decoded whole`, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-runner-utf8-'));
    const script = path.join(dir, 'runner.js');
    fs.writeFileSync(script, SCRIPT);
    const release = path.join(dir, 'release');
    const received: string[] = [];
    const runner = new RunnerProcess({
      python: process.execPath, script, mode: stream === 'stderr' ? 'status' : 'run', cwd: dir,
      env: { RELEASE_FILE: release },
      onMessage: () => undefined,
      onOutput: (text) => received.push(text),
    });
    await until('the first chunk', () => received.join('').startsWith('a'));
    fs.writeFileSync(release, '');
    const exit = await runner.exited;
    assert.equal(exit.code, 0);
    assert.equal(received.join(''), 'a€b\n');
    assert.ok(received.every((t) => !t.includes('\uFFFD')), JSON.stringify(received));
    fs.rmSync(dir, { recursive: true, force: true });
  });
}
