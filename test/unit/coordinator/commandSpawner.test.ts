// The command spawner's protocol: a line that is not a message object (a bare JSON scalar, an array, text) is
// reported in the logs of the runs going on and ignored; it never throws out of the stream's callback.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { CommandSpawner, type CommandProcessEvents } from '../../../src/core/coordinator/commandSpawner';

// Stands in for backfill_command_spawner.py (run as `<python> <script>`): ready at once; for a spawn request it
// answers with stray lines first, then the run's pid, output and exit as the real one does.
const SCRIPT = String.raw`
const say = (o) => process.stdout.write((typeof o === 'string' ? o : JSON.stringify(o)) + '\n');
say({ ready: true, pid: process.pid });
require('readline').createInterface({ input: process.stdin }).on('line', (line) => {
  const m = JSON.parse(line);
  if (m.op !== 'spawn') return;
  for (const stray of ['42', '"x"', 'null', '[1,2]', 'true', 'not json']) say(stray);
  say({ id: m.id, pid: process.pid });
  say({ id: m.id, out: 'hello\n' });
  say({ id: m.id, exit: 0, signal: null });
});
`;

test('bare JSON scalars and other non-messages from the spawner are reported in the run\'s log, not thrown', { timeout: 30_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-spawner-protocol-'));
  const script = path.join(dir, 'spawner.js');
  fs.writeFileSync(script, SCRIPT);
  const spawner = new CommandSpawner(process.execPath, script, process.env);
  try {
    assert.equal(await spawner.whenReady(), true);
    const output: [string, string][] = [];
    const closed = await new Promise<number | null>((resolve, reject) => {
      const events: CommandProcessEvents = {
        onPid: () => undefined,
        onOutput: (text, stream) => output.push([stream, text]),
        onSpawnError: (message) => reject(new Error(message)),
        onLost: (reason) => reject(new Error(reason)),
        onClose: (code) => resolve(code),
      };
      spawner.start({ program: 'unused', args: [], cwd: dir, env: {} }, events);
    });
    assert.equal(closed, 0);
    assert.deepEqual(output, [
      ...['42', '"x"', 'null', '[1,2]', 'true', 'not json'].map((l) => ['stderr', `backfill: the command spawner sent a line that is not a message, ignored: ${l}\n`]),
      ['stdout', 'hello\n'],
    ]);
    assert.equal(spawner.ready, true, 'the spawner goes on taking runs');
  } finally {
    spawner.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
