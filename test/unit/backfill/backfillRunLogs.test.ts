// The daemon writes each run's whole output to its log file: every attempt in order, complete before the run is reported done.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { BackfillDaemon } from '../../../src/core/backfill/backfillDaemon';
import { planBackfill } from '../../../src/core/backfill/planBackfill';
import { systemClock } from '../../../src/core/clock';
import { RunCoordinator } from '../../../src/core/coordinator/runCoordinator';
import type { RunIo, RunLauncher, RunOutcome, RunRequest } from '../../../src/core/coordinator/runLauncher';
import type { CommandTarget } from '../../../src/core/definitions/definition';
import { StaticPartitionsDefinition } from '../../../src/core/partitions/staticPartitionsDefinition';
import { InMemoryStateStore } from '../../harness/inMemoryStateStore';
import { RunLogFiles } from '../../../src/core/storage/runLogFiles';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'backfill-daemon-logs-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

/** Prints 2,000 numbered lines per attempt in many chunks; the first attempt fails. */
class ChattyLauncher implements RunLauncher {
  async launch(run: RunRequest, io: RunIo): Promise<RunOutcome> {
    for (let i = 0; i < 2000; i++) {
      io.onLog(`attempt ${run.attempt} line ${i}\n`);
      if (i % 500 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    return run.attempt === 1 ? { status: 'FAILURE', exitCode: 1, error: 'exited with code 1' } : { status: 'SUCCESS', exitCode: 0, error: null };
  }
}

test('a retried run\'s file holds both attempts in full, the second below a separator, by the time the backfill is done', async () => {
  const store = new InMemoryStateStore();
  const logs = new RunLogFiles(path.join(root, 'logs'));
  const daemon = new BackfillDaemon({ store, coordinator: new RunCoordinator(2), launcher: new ChattyLauncher(), clock: systemClock, origin: 'test', runLogs: logs });
  const target: CommandTarget = { kind: 'command', name: 't', location: { file: 'backfills.yaml', line: 1 }, partitions: new StaticPartitionsDefinition(['a']), command: ['true'], cwd: '', env: {}, deps: [], backfillPolicy: null };
  const record = daemon.launch(planBackfill([target], { kind: 'all' }, new Date()), { maxRetries: 1, retryDelaySeconds: 0.01 });
  const final = await daemon.whenDone(record.id);
  assert.equal(final.status, 'COMPLETED_SUCCESS');
  const run = store.listRuns(record.id)[0]!;
  const text = fs.readFileSync(logs.pathOf(record.id, run.id), 'utf8');
  const lines = text.split('\n');
  assert.equal(lines[0], 'attempt 1 line 0');
  assert.equal(lines[1999], 'attempt 1 line 1999');
  assert.equal(lines[2], 'attempt 1 line 2');
  assert.equal(lines[2000], '', 'a blank line before the separator');
  assert.match(lines[2001]!, /^--- attempt 2 started \d{4}-\d\d-\d\dT[\d:.]+Z ---$/);
  assert.equal(lines[2002], 'attempt 2 line 0');
  assert.equal(lines.filter((l) => l.startsWith('attempt 2 line')).length, 2000);
  assert.ok(text.endsWith('attempt 2 line 1999\n'));
  assert.doesNotMatch(store.runLog(run.id), /attempt 1 line 0\n/, 'the store keeps only a tail');
});
