// The engine's trust gate: while mayRunCode() is false, no entry of BackfillWorkspace or of its daemon starts or
// signals a process (launch, resume, re-execute, adoption at start and on demand, cancel, pause), each refusing with
// the one explanation; the orphan's live run process and the store stay as they were. Once trusted, cancel works.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import type { BackfillRecord, RunRecord } from '../../../src/core/backfill/backfill';
import { processGroupAlive } from '../../../src/core/backfill/backfillOwnership';
import { planBackfill } from '../../../src/core/backfill/planBackfill';
import { procStartTime } from '../../../src/core/backfill/processStartTime';
import { UNTRUSTED_WORKSPACE_EXPLANATION, UntrustedWorkspaceError } from '../../../src/core/backfill/workspaceTrust';
import { openStateStore } from '../../../src/core/storage/openStateStore';
import { BackfillWorkspace } from '../../../src/core/workspace/backfillWorkspace';
import { repoRoot } from '../project/repoRoot';
import { settle } from '../coordinator/manualClock';

const wasmPath = path.join(repoRoot(), 'node_modules/sql.js/dist/sql-wasm.wasm');

test('an untrusted workspace starts and signals nothing, by any entry; trusted, the same cancel stops the orphan', { timeout: 60_000 }, async (t) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-trust-gate-'));
  const started = path.join(root, 'something-ran');
  // Any process the engine would start (the command spawner, a run, the runner's check mode) runs this "python".
  const fakePython = path.join(root, 'fake-python');
  fs.writeFileSync(fakePython, `#!/bin/sh\necho "$@" >> '${started}'\nexit 1\n`, { mode: 0o755 });
  fs.writeFileSync(path.join(root, 'backfills.yaml'), [
    'targets:',
    '  daily:',
    '    partitions: DailyPartitionsDefinition(start_date="2024-01-01")',
    `    command: ["${fakePython}", "{partition_key}"]`,
    '',
  ].join('\n'));

  // The state a dead CLI left: one run STARTED whose process (ours, recorded with its start time) still runs.
  const live = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e9)'], { detached: true, stdio: 'ignore' });
  t.after(() => {
    try {
      process.kill(-live.pid!, 'SIGKILL');
    } catch {
      // stopped by the test
    }
  });
  const now = Date.now();
  const deadOwner = { origin: 'cli', pid: spawnSync(process.execPath, ['-e', '']).pid!, host: os.hostname(), heartbeatAt: now };
  const seeding = new BackfillWorkspace({ root, origin: 'cli', adoptOrphansOnStart: false, commandSpawner: false, wasmPath });
  const plan = planBackfill(await seeding.refreshDefinitions().then((s) => s.commandTargets), { kind: 'range', from: '2024-01-01', to: '2024-01-02' }, new Date(now));
  await seeding.close();
  const statePath = path.join(root, '.backfills', 'state.sqlite');
  fs.mkdirSync(path.dirname(statePath), { recursive: true });
  const seed = await openStateStore({ path: statePath, wasmPath });
  const record: BackfillRecord = { id: 'orphancc', status: 'REQUESTED', targets: ['daily'], partitionCount: 2, origin: 'cli', createdAt: now, endedAt: null, selection: plan.selection, owner: deadOwner };
  const runs: RunRecord[] = plan.runs.map((r, i) => ({
    id: `trust-gate-${process.pid}-${i}`, backfillId: record.id, target: 'daily', partitionKey: r.partitionKey!, createdAt: now, attempt: 1, exitCode: null, error: null,
    ...(i === 0 ? { status: 'STARTED' as const, startedAt: now, endedAt: null, pid: live.pid!, pidStartTime: procStartTime(live.pid!)! } : { status: 'QUEUED' as const, startedAt: null, endedAt: null }),
  }));
  seed.createBackfill(record, runs);
  seed.savePlan(record.id, JSON.stringify({ plan, options: {} }), plan.inputsHash);
  // A finished one, for resume and re-execute.
  seed.createBackfill({ ...record, id: 'finished', status: 'CANCELED', endedAt: now, owner: null }, runs.map((r) => ({ ...r, id: `${r.id}-done`, backfillId: 'finished', status: 'CANCELED', pid: null, pidStartTime: null })));
  seed.savePlan('finished', JSON.stringify({ plan, options: {} }), plan.inputsHash);
  await seed.close();

  let trusted = false;
  // Adoption at start is on (as the CLI has it): in an untrusted workspace it must do nothing.
  const ws = new BackfillWorkspace({ root, origin: 'extension', python: fakePython, commandSpawner: true, wasmPath, mayRunCode: () => trusted });
  t.after(async () => {
    await ws.close();
    fs.rmSync(root, { recursive: true, force: true });
  });
  const { store, daemon } = await ws.engine();
  await ws.refreshDefinitions();
  const refused = /launches, cancels and pauses nothing in an untrusted workspace/;
  const attempts: [string, () => Promise<unknown>][] = [
    ['cancel', () => ws.cancel('orphancc')],
    ['pause', () => ws.pause('orphancc')],
    ['resume', () => ws.resume('orphancc')],
    ['resume a finished one', () => ws.resume('finished')],
    ['re-execute', () => ws.reexecute('finished', false)],
    ['re-execute from failure', () => ws.reexecute('finished', true)],
    ['launch', async () => ws.launch(plan)],
    ['daemon.cancelAnywhere', () => daemon.cancelAnywhere('orphancc')],
    ['daemon.pauseAnywhere', () => daemon.pauseAnywhere('orphancc')],
    ['daemon.adopt', () => daemon.adopt('orphancc')],
  ];
  for (const [what, attempt] of attempts) {
    await assert.rejects(attempt(), (e: unknown) => e instanceof UntrustedWorkspaceError && refused.test(e.message), what);
  }
  assert.deepEqual(await ws.adoptOrphans(), [], 'adopting on demand adopts nothing');
  assert.deepEqual(await daemon.adoptOrphans(), []);
  await settle();
  assert.equal(processGroupAlive(live.pid!), true, 'the orphan\'s run process was not signalled');
  assert.equal(fs.existsSync(started), false, 'no process was started');
  const stored = store.getBackfill('orphancc')!;
  assert.deepEqual([stored.status, stored.owner, stored.pausedAt ?? null], ['REQUESTED', deadOwner, null], 'nothing was written');
  assert.deepEqual(store.listRuns('orphancc').map((r) => r.status), ['STARTED', 'QUEUED']);
  assert.deepEqual(store.listBackfills().map((b) => b.id).sort(), ['finished', 'orphancc']);
  assert.equal(UNTRUSTED_WORKSPACE_EXPLANATION, new UntrustedWorkspaceError().message);

  trusted = true;
  assert.equal(await ws.cancel('orphancc'), 'orphan');
  assert.equal((await daemon.whenDone('orphancc')).status, 'CANCELED');
  assert.equal(processGroupAlive(live.pid!), false, 'trusted, the same cancel stopped it');
});
