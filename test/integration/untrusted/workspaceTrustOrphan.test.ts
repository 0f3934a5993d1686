// An untrusted workspace whose state file holds a running backfill of a dead process: every action (the commands,
// the details panel's buttons, adoption on a state change and after the activation delay, the engine's own entries)
// leaves the backfill's live run process alone and starts no process, and the commands say why, as Launch does.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BackfillRecord, RunRecord } from '../../../src/core/backfill/backfill';
import { runPartitionLabel } from '../../../src/core/backfill/backfillPlan';
import { processGroupAlive } from '../../../src/core/backfill/backfillOwnership';
import { planBackfill } from '../../../src/core/backfill/planBackfill';
import { procStartTime } from '../../../src/core/backfill/processStartTime';
import { UNTRUSTED_WORKSPACE_EXPLANATION } from '../../../src/core/backfill/workspaceTrust';
import { openStateStore } from '../../../src/core/storage/openStateStore';
import type { BackfillDetailsModel } from '../../../src/shared/protocol';
import { api, EXTENSION_ID, poll, warningsDuring, workspaceUri } from '../extensionUnderTest';

const ORPHAN = 'orphandd';
const FINISHED = 'finished';

/** The details panel as the extension holds it (dist/onDemand.js is one module for the extension and this test). */
interface DetailsPanelInternals {
  host: { receive(raw: unknown): void; latest: Map<string, { model?: BackfillDetailsModel }> };
  update(): Promise<void>;
}
function detailsPanel(id: string): DetailsPanelInternals | undefined {
  const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
  const onDemand = require(path.join(ext.extensionPath, 'dist', 'onDemand.js')) as { BackfillDetailsPanel: { open: Map<string, DetailsPanelInternals> } };
  // Keyed by folder and backfill id (panelId in backfillDetailsPanel.ts).
  return onDemand.BackfillDetailsPanel.open.get(`${vscode.workspace.workspaceFolders![0]!.uri.toString()}\0${id}`);
}

suite('untrusted workspace with a running backfill of a dead process', () => {
  let live: ChildProcess;
  let pythonCalls: string;
  let deadOwner: NonNullable<BackfillRecord['owner']>;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-untrusted-orphan-'));

  suiteSetup(async function () {
    this.timeout(120_000);
    const a = await api();
    const session = a.session()!;
    // Any process the engine would start with the interpreter (a Dagster run, the runner's check of what
    // materialized, the status reader, the command spawner) runs this "python", which leaves a file behind.
    pythonCalls = path.join(scratch, 'python-calls');
    const fakePython = path.join(scratch, 'python');
    fs.writeFileSync(fakePython, `#!/bin/sh\necho "$@" >> '${pythonCalls}'\nexit 1\n`, { mode: 0o755 });
    // A user setting: the folder's own value of this restricted setting is ignored while the folder is untrusted.
    await vscode.workspace.getConfiguration('backfillStudio').update('pythonPath', fakePython, vscode.ConfigurationTarget.Global);
    await poll('the interpreter setting to apply', () => (session.workspace.pythonInterpreter === fakePython ? true : undefined));

    // The run's process, as the dead CLI started it: its own group, the run id marker, its start time recorded.
    const runId = `untrusted-orphan-run-${process.pid}`;
    live = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e9)'], {
      detached: true, stdio: 'ignore', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', BACKFILL_ID: ORPHAN, BACKFILL_RUN_ID: runId },
    });
    await poll('the run process to start', () => (live.pid !== undefined && procStartTime(live.pid) !== null ? true : undefined));

    // The state file a CLI that died mid-backfill leaves, written by another store as that CLI would have.
    await session.definitions();
    const now = Date.now();
    deadOwner = { origin: 'cli', pid: spawnSync(process.execPath, ['-e', ''], { env: { ELECTRON_RUN_AS_NODE: '1' } }).pid!, host: os.hostname(), heartbeatAt: now };
    const plan = planBackfill(session.workspace.findTargets(['raw_events']), { kind: 'range', from: '2024-01-01', to: '2024-01-02' }, new Date(now));
    const runs: RunRecord[] = plan.runs.map((r, i) => ({
      id: i === 0 ? runId : `${runId}-${i}`, backfillId: ORPHAN, target: r.targets.join(','), partitionKey: runPartitionLabel(r), createdAt: now, attempt: 1, exitCode: null, error: null,
      ...(i === 0 ? { status: 'STARTED' as const, startedAt: now, endedAt: null, pid: live.pid!, pidStartTime: procStartTime(live.pid!)! } : { status: 'QUEUED' as const, startedAt: null, endedAt: null }),
    }));
    const record: BackfillRecord = { id: ORPHAN, status: 'REQUESTED', targets: plan.targets, partitionCount: plan.partitionCount, origin: 'cli', createdAt: now, endedAt: null, selection: plan.selection, owner: deadOwner };
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const cli = await openStateStore({ path: session.workspace.statePath, wasmPath: path.join(ext.extensionPath, 'dist', 'sql-wasm.wasm'), owner: 'test standing in for a CLI' });
    cli.createBackfill(record, runs);
    cli.savePlan(ORPHAN, JSON.stringify({ plan, options: {} }), plan.inputsHash);
    cli.createBackfill({ ...record, id: FINISHED, status: 'CANCELED', endedAt: now, owner: null }, runs.map((r) => ({ ...r, id: `${r.id}-done`, backfillId: FINISHED, status: 'CANCELED', pid: null, pidStartTime: null })));
    cli.savePlan(FINISHED, JSON.stringify({ plan, options: {} }), plan.inputsHash);
    await cli.close();
    // The window follows the file (its watcher, or the next look): the orphan is in the Backfills view.
    const tree = a.backfillsTree!;
    const { store } = await session.engine();
    await poll('the seeded backfills in the Backfills view', async () => {
      await store.reloadIfChanged();
      const ids = (await tree.getChildren()).flatMap((n) => (n.backfill ? [n.backfill.id] : []));
      return ids.includes(ORPHAN) && ids.includes(FINISHED) ? true : undefined;
    });
  });

  suiteTeardown(async () => {
    await vscode.workspace.getConfiguration('backfillStudio').update('pythonPath', undefined, vscode.ConfigurationTarget.Global);
    try {
      process.kill(-live.pid!, 'SIGKILL');
    } catch {
      // gone already (a failure the tests report)
    }
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  async function assertUntouched(): Promise<void> {
    assert.equal(processGroupAlive(live.pid!), true, 'the run process of the orphan was signalled');
    assert.equal(fs.existsSync(pythonCalls), false, `a process was started with the interpreter: ${fs.existsSync(pythonCalls) ? fs.readFileSync(pythonCalls, 'utf8') : ''}`);
    await assert.rejects(Promise.resolve(vscode.workspace.fs.stat(workspaceUri('output'))), /FileNotFound|ENOENT|nonexistent/i, 'a command run started');
    const { store } = await (await api()).session()!.engine();
    await store.reloadIfChanged();
    const stored = store.getBackfill(ORPHAN)!;
    assert.deepEqual([stored.status, stored.owner, stored.pausedAt ?? null], ['REQUESTED', deadOwner, null], 'the orphan was changed');
    assert.deepEqual(store.listRuns(ORPHAN).map((r) => [r.status, r.pid ?? null]), [['STARTED', live.pid], ['QUEUED', null]]);
    assert.equal(store.getBackfill(FINISHED)!.status, 'CANCELED');
    assert.deepEqual(store.listBackfills().map((b) => b.id).sort(), [FINISHED, ORPHAN], 'a backfill was launched');
  }

  test('Cancel, Pause, Resume and Re-execute refuse with Launch\'s explanation', async () => {
    const commands = ['cancelBackfill', 'pauseBackfill', 'resumeBackfill', 'reexecuteBackfill', 'reexecuteBackfillFromFailure', 'launchBackfill'];
    for (const c of commands) {
      const arg = c === 'launchBackfill' ? { target: 'raw_events', selection: { kind: 'range', from: '2024-01-01', to: '2024-01-02' }, confirm: false } : c.startsWith('reexecute') ? FINISHED : ORPHAN;
      const { result, warnings } = await warningsDuring(() => vscode.commands.executeCommand(`backfillStudio.${c}`, arg), 1);
      assert.equal(result, undefined, c);
      assert.deepEqual(warnings, [UNTRUSTED_WORKSPACE_EXPLANATION], c);
    }
    // From the palette (no argument): refused before any quick pick opens.
    for (const c of ['cancelBackfill', 'pauseBackfill']) {
      assert.deepEqual((await warningsDuring(() => vscode.commands.executeCommand(`backfillStudio.${c}`), 1)).warnings, [UNTRUSTED_WORKSPACE_EXPLANATION], c);
    }
    await assertUntouched();
  });

  test('the details panel offers none of those buttons, and a pressed one is refused the same way', async () => {
    for (const id of [ORPHAN, FINISHED]) {
      await vscode.commands.executeCommand('backfillStudio.showBackfillDetails', id);
      const panel = await poll('the details panel', () => detailsPanel(id));
      await panel.update();
      const model = panel.host.latest.get('backfillDetailsLoaded')!.model!;
      assert.deepEqual([model.status, model.canCancel, model.canResume, model.canReexecute, model.canReexecuteFromFailure], [id === ORPHAN ? 'REQUESTED' : 'CANCELED', false, false, false, false], id);
    }
    // A page that still shows the buttons (or a forged message) reaches the same commands, which refuse.
    const presses = [
      [ORPHAN, { type: 'cancelBackfill', backfillId: ORPHAN }],
      [FINISHED, { type: 'resumeBackfill', backfillId: FINISHED }],
      [FINISHED, { type: 'reexecuteBackfill', backfillId: FINISHED, fromFailure: false }],
      [FINISHED, { type: 'reexecuteBackfill', backfillId: FINISHED, fromFailure: true }],
    ] as const;
    for (const [id, message] of presses) {
      const { warnings } = await warningsDuring(async () => detailsPanel(id)!.host.receive(message), 1);
      assert.deepEqual(warnings, [UNTRUSTED_WORKSPACE_EXPLANATION], JSON.stringify(message));
    }
    await assertUntouched();
  });

  test('adoption (on a state change, after the activation delay, on demand) and the engine\'s own entries do nothing', async () => {
    const session = (await api()).session()!;
    // The timer activation arms calls adoptOrphans(): counted here to know it fired and finished.
    const adoptions: Promise<string[]>[] = [];
    const original = session.adoptOrphans.bind(session);
    session.adoptOrphans = () => {
      const p = original();
      adoptions.push(p);
      return p;
    };
    try {
      session.adoptOrphansSoon(0);
      await poll('the delayed adoption to run', () => (adoptions.length > 0 ? true : undefined));
      assert.deepEqual(await adoptions[0], []);
      assert.deepEqual(await original(), []);
    } finally {
      delete (session as { adoptOrphans?: unknown }).adoptOrphans;
    }
    assert.deepEqual(await session.workspace.adoptOrphans(), []);
    const { daemon } = await session.engine();
    const refusal = (e: unknown) => (e as Error).name === 'UntrustedWorkspaceError' && (e as Error).message === UNTRUSTED_WORKSPACE_EXPLANATION;
    await assert.rejects(session.workspace.cancel(ORPHAN), refusal);
    await assert.rejects(session.workspace.pause(ORPHAN), refusal);
    await assert.rejects(session.workspace.resume(ORPHAN), refusal);
    await assert.rejects(daemon.adopt(ORPHAN), refusal);
    await assert.rejects(daemon.cancelAnywhere(ORPHAN), refusal);
    // Dagster's statuses are not polled either: the status reader would run the interpreter.
    assert.deepEqual(await session.workspace.refreshDagsterStatuses(), { changedTargets: [] });
    await assertUntouched();
  });
});
