// Cancel from another process through one sql.js state file: a live owner is asked through the store and
// cancels within its poll; a dead owner's backfill is adopted and ended CANCELED, its processes terminated.
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
import { runAsCoordinatorChild, startCoordinator } from './coordinatorProcess';
import { RecordingFolder, until } from './recordingTarget';

if (!runAsCoordinatorChild()) {
  /** A child coordinating a gated backfill (two runs in flight), and this process's own engine on the same file. */
  async function setUp() {
    const folder = new RecordingFolder();
    const statePath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bf-xcancel-')), 'state.sqlite');
    const p = startCoordinator(__filename, {
      statePath, dir: folder.dir, targets: ['a'], env: { GATE: '1' }, from: '2024-01-01', to: '2024-01-04', maxConcurrent: 2, materializedCheck: false,
    });
    await until(`the child to launch (${p.stderr()})`, () => p.lines.some((l) => 'launched' in l) || p.child.exitCode !== null);
    assert.ok(p.lines.some((l) => 'launched' in l), `the coordinator process failed: ${p.stderr()}`);
    const id = p.lines.find((l) => 'launched' in l)!['launched'] as string;
    await until('two runs to be running', () => folder.starts().length === 2);
    const store = await openStateStore({ path: statePath, owner: 'cancel test' });
    const launcher = new CommandRunLauncher({ workspaceRoot: '/', targets: new Map(), killGraceMs: 500 });
    const daemon = new BackfillDaemon({ store, coordinator: new RunCoordinator(1), launcher, clock: systemClock, origin: 'cli', killGraceMs: 500 });
    return { folder, p, id, store, daemon };
  }

  test('cancel of a backfill run by another live process goes through the store, and that process carries it out', async () => {
    const s = await setUp();
    assert.equal(await s.daemon.cancelAnywhere(s.id), 'owner');
    const hang = setTimeout(() => s.p.child.kill('SIGKILL'), 60_000);
    const exit = await s.p.exited;
    clearTimeout(hang);
    assert.equal(exit.code, 0, `the owning process did not end by itself: ${s.p.stderr()}`);
    assert.deepEqual(s.p.lines.at(-1), { ended: 'CANCELED' });
    await s.store.reloadIfChanged();
    assert.equal(s.store.getBackfill(s.id)!.status, 'CANCELED');
    assert.deepEqual(s.store.listRuns(s.id).map((r) => r.status), ['CANCELED', 'CANCELED', 'CANCELED', 'CANCELED']);
    assert.deepEqual(s.folder.starts().map((e) => processGroupAlive(e.pid!)), [false, false]);
    assert.equal(s.folder.starts().length, 2);
    await s.store.close();
  });

  test('cancel of a backfill whose process was killed terminates its runs and ends it CANCELED', async () => {
    const s = await setUp();
    s.p.child.kill('SIGKILL');
    await s.p.exited;
    await s.store.reloadIfChanged();
    assert.deepEqual(s.folder.starts().map((e) => processGroupAlive(e.pid!)), [true, true], 'the runs outlive their coordinator');
    assert.equal(await s.daemon.cancelAnywhere(s.id), 'orphan');
    assert.equal((await s.daemon.whenDone(s.id)).status, 'CANCELED');
    assert.deepEqual(s.folder.starts().map((e) => processGroupAlive(e.pid!)), [false, false]);
    assert.equal(s.folder.starts().length, 2, 'nothing new started');
    await s.store.close();
  });
}
