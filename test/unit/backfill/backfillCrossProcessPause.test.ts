// Pause and resume across processes through one sql.js state file: a pause written by another process holds
// through a SIGKILL of the owner and the adoption that follows; a resume from another process completes it.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { BackfillDaemon } from '../../../src/core/backfill/backfillDaemon';
import { processGroupAlive } from '../../../src/core/backfill/backfillOwnership';
import { systemClock } from '../../../src/core/clock';
import { CommandRunLauncher } from '../../../src/core/coordinator/commandRunLauncher';
import { RunCoordinator } from '../../../src/core/coordinator/runCoordinator';
import { openStateStore } from '../../../src/core/storage/openStateStore';
import { runAsCoordinatorChild, startCoordinator, type CoordinatorProcessConfig } from './coordinatorProcess';
import { RecordingFolder, until } from './recordingTarget';

if (!runAsCoordinatorChild()) {
  test('paused from another process, then SIGKILL of the owner: the adopting process keeps it paused; a resume from another process completes it, each partition once', async () => {
    const folder = new RecordingFolder();
    const statePath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bf-xpause-')), 'state.sqlite');
    const config: CoordinatorProcessConfig = {
      statePath, dir: folder.dir, targets: ['a'], env: { GATE: '1' }, from: '2024-01-01', to: '2024-01-04', maxConcurrent: 2, materializedCheck: false,
    };
    const first = startCoordinator(__filename, config);
    await until(`the child to launch (${first.stderr()})`, () => first.lines.some((l) => 'launched' in l) || first.child.exitCode !== null);
    const id = first.lines.find((l) => 'launched' in l)?.['launched'] as string;
    assert.ok(id, `the coordinator process failed: ${first.stderr()}`);
    await until('two runs to be running', () => folder.starts().length === 2);

    const store = await openStateStore({ path: statePath, owner: 'pause test' });
    const launcher = new CommandRunLauncher({ workspaceRoot: '/', targets: new Map(), killGraceMs: 500 });
    const daemon = new BackfillDaemon({ store, coordinator: new RunCoordinator(1), launcher, clock: systemClock, origin: 'cli', killGraceMs: 500 });
    assert.equal(await daemon.pauseAnywhere(id), 'owner');
    first.child.kill('SIGKILL');
    await first.exited;

    const second = startCoordinator(__filename, config);
    await until(`the second process to adopt (${second.stderr()})`, () => second.lines.some((l) => 'adopted' in l) || second.child.exitCode !== null);
    assert.deepEqual(second.lines[0]!['adopted'], [id], second.stderr());
    assert.deepEqual(folder.starts().map((e) => processGroupAlive(e.pid!)), [false, false], 'the interrupted runs were stopped as usual');
    await store.reloadIfChanged();
    assert.equal(daemon.isPaused(id), true, 'another process sees it paused');
    assert.equal(store.getBackfill(id)!.status, 'REQUESTED');
    assert.equal(store.getBackfill(id)!.owner!.pid, second.child.pid, 'the second process owns it');
    assert.equal(folder.starts().length, 2, 'nothing new started on adoption');

    folder.release();
    const resumed = await daemon.resume(id);
    assert.equal(resumed.pausedAt, null);
    assert.equal(daemon.isActive(id), false, 'the resume went to the owner through the store');
    const hang = setTimeout(() => second.child.kill('SIGKILL'), 60_000);
    const exit = await second.exited;
    clearTimeout(hang);
    assert.equal(exit.code, 0, `the owning process did not finish the backfill: ${second.stderr()}`);
    assert.deepEqual(second.lines.at(-1), { ended: 'COMPLETED_SUCCESS' });
    const completions = folder.completions();
    assert.deepEqual([...completions.keys()].sort(), ['a 2024-01-01', 'a 2024-01-02', 'a 2024-01-03', 'a 2024-01-04']);
    assert.ok([...completions.values()].every((n) => n === 1), `a partition completed more than once: ${JSON.stringify([...completions])}`);
    await store.reloadIfChanged();
    assert.equal(store.getBackfill(id)!.pausedAt, undefined);
    await store.close();
  });
}
