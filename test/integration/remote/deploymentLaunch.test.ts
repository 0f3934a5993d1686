// A Dagster deployment added with its command and launched on from the Launch panel's host path: against the fake
// 1.2-era webserver (recorded exchanges), the request it got, the remote record made, and the Dagster+ token kept in
// SecretStorage only (not settings.json, not the state file). Leaves the workspace as it found it; it sits in remote/
// so it runs after quickstart.test (files run in path order), which must be the first to start the engine.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LaunchPanel } from '../../../src/extension/panels/launchPanel';
import type { WorkspaceSession } from '../../../src/extension/workspaceSession';
import type { LaunchFormValues } from '../../../src/shared/launchForm';
import type { PlanPreviewModel } from '../../../src/shared/launchPanelModel';
import type { HostToWebviewMessage } from '../../../src/shared/protocol';
import { loadRecordedExchanges, startFakeDagsterWebserver, type FakeDagsterWebserver } from '../../harness/fakeDagsterWebserver';
import { api, EXTENSION_ID, poll, warningsDuring, workspaceUri } from '../extensionUnderTest';

const TOKEN = 'dagster-plus-user-token-b19';
const NOT_SET = { runOn: '', title: '', description: '' };

function form(target: string, over: Partial<LaunchFormValues>): LaunchFormValues {
  return {
    target, includeDownstream: false, partitionMode: 'range', rangeFrom: '2026-11-01', rangeTo: '2026-11-03', latestCount: '7', selectionText: '',
    reprocess: 'missing', concurrency: '', order: 'oldest-first', retries: '0', tagsText: '', ...NOT_SET, ...over,
  };
}

/** The extension's own LaunchPanel class (its on-demand bundle, as required by the extension: one module instance). */
function launchPanelClass(): typeof LaunchPanel {
  const dist = path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'dist', 'onDemand.js');
  return (require(dist) as { LaunchPanel: typeof LaunchPanel }).LaunchPanel;
}

function previewOf(answers: HostToWebviewMessage[]): PlanPreviewModel {
  const preview = answers.filter((m): m is Extract<HostToWebviewMessage, { type: 'planPreviewed' }> => m.type === 'planPreviewed').at(-1);
  assert.ok(preview, `no preview among ${JSON.stringify(answers)}`);
  return preview.preview;
}

function settledOf(answers: HostToWebviewMessage[]): { launched: boolean; message: string } {
  const settled = answers.find((m): m is Extract<HostToWebviewMessage, { type: 'launchSettled' }> => m.type === 'launchSettled');
  assert.ok(settled, `no launchSettled among ${JSON.stringify(answers)}`);
  return settled;
}

suite('Launch on a Dagster deployment', () => {
  let server: FakeDagsterWebserver;
  let session: WorkspaceSession;
  let log: vscode.LogOutputChannel;
  let launchedId: string | undefined;
  let requestId = 1_000_000;

  suiteSetup(async () => {
    server = await startFakeDagsterWebserver({ fixtures: '1.2', requireToken: TOKEN });
    session = (await api()).session()!;
    await session.definitions();
    log = vscode.window.createOutputChannel('deploymentLaunch test', { log: true });
  });

  suiteTeardown(async () => {
    const store = (await session.engine()).store;
    if (launchedId) {
      await session.deploymentTokens.store(session.deployments()[0]!, TOKEN);
      // Settled through the recorded polls, then removed: later suites start from an empty store.
      await poll('the remote backfill to settle', async () => {
        const { record } = await session.remoteBackfills.refresh(launchedId!);
        return record.endedAt !== null ? true : undefined;
      });
      store.pruneBackfills({ remove: [launchedId], dropLogsOf: [] });
      await store.flush();
    }
    await vscode.workspace.getConfiguration('backfillStudio').update('deployments', undefined, vscode.ConfigurationTarget.Workspace);
    launchPanelClass().disposeAll();
    // The launch opened the backfill's details, which follow it: closed here, so nothing of this suite polls on.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    log.dispose();
    await server.close();
  });

  test('Add Dagster Deployment writes the workspace setting; the Dagster+ token goes to SecretStorage only', async () => {
    const added = await vscode.commands.executeCommand('backfillStudio.addDeployment', { name: 'fake', url: server.url, kind: 'dagster-plus', token: TOKEN });
    assert.deepEqual(added, { name: 'fake', url: server.url, kind: 'dagster-plus' });
    assert.deepEqual(vscode.workspace.getConfiguration('backfillStudio').inspect('deployments')?.workspaceValue, [{ name: 'fake', url: server.url, kind: 'dagster-plus' }]);
    assert.deepEqual(session.deployments(), [{ name: 'fake', url: server.url, kind: 'dagster-plus' }]);
    assert.equal(await session.deploymentTokens.tokenFor(session.deployments()[0]!), TOKEN);
    const settings = fs.readFileSync(workspaceUri('.vscode/settings.json').fsPath, 'utf8');
    assert.ok(settings.includes(server.url) && !settings.includes(TOKEN), settings);
  });

  test('a job backfill launched from the Launch panel: what the deployment was asked, and the remote record', async () => {
    const Panel = launchPanelClass();
    const extensionUri = vscode.extensions.getExtension(EXTENSION_ID)!.extensionUri;
    // Opened with nothing chosen, its page asks for no plan: only the messages below reach the host.
    const panel = Panel.show(session, 'do_stuff_partitioned', undefined, extensionUri, log);
    const f = form('do_stuff_partitioned', { runOn: 'fake', reprocess: 'all', title: 'November re-run' });
    const id = ++requestId;
    const preview = previewOf(await panel.handle({ type: 'previewPlan', requestId: id, form: f }));
    assert.ok(preview.ok && preview.remote, JSON.stringify(preview));
    assert.equal(preview.partitionCount, 3);
    assert.deepEqual(Object.fromEntries(preview.remote.asked.map((a) => [a.label, a.value])), {
      Job: 'do_stuff_partitioned',
      // The workspace's location is named after its file; the deployment's (dagster dev -f defs.py) is defs.py.
      Where: 'job "do_stuff_partitioned" in location "defs.py", repository "__repository__", partition set "do_stuff_partitioned_partition_set" (the workspace has it in "definitions.py"; the deployment has it only here)',
      Partitions: '2026-11-01, 2026-11-02, 2026-11-03 (3 by name)',
    });
    // Dagster 1.2 has no backfill titles: the preview says so rather than dropping it silently.
    assert.deepEqual(preview.remote.notSent, ['title (this Dagster version has no backfill titles)']);
    const before = server.requests.length;
    const settled = settledOf(await panel.handle({ type: 'launchPlan', requestId: id, form: f, planId: preview.planId }));
    assert.equal(settled.launched, true, settled.message);
    const launches = server.requests.slice(before).filter((r) => r.operationName === 'BackfillStudioLaunchPartitionBackfill');
    assert.equal(launches.length, 1);
    const recorded = loadRecordedExchanges('1.2', ['10_job_backfill_launch'])[0]!;
    assert.deepEqual(launches[0]!.variables, recorded.request.variables);
    assert.equal(launches[0]!.token, TOKEN);
    assert.equal(launches[0]!.status, 200);
    const store = (await session.engine()).store;
    const record = store.listBackfills().find((b) => b.remote?.backfillId === 'cikfincq');
    assert.ok(record, 'no remote record');
    launchedId = record.id;
    assert.match(settled.message, new RegExp(`^Launched backfill ${record.id} on fake \\(Dagster backfill cikfincq\\)`));
    assert.deepEqual({ ...record.remote, checkedAt: 0 }, { deployment: 'fake', url: server.url, kind: 'dagster-plus', backfillId: 'cikfincq', backfillKind: 'job', status: 'REQUESTED', checkedAt: 0 });
    assert.deepEqual([record.targets, record.partitionCount, record.origin, record.tags], [['do_stuff_partitioned'], 3, 'extension', undefined]);
    // The token is nowhere on disk: not in the state file or its journal (the launch flushed the record to one of
    // them: the server's id is there), not in the settings.
    const state = Buffer.concat(['state.sqlite', 'state.sqlite.journal'].map((f) => workspaceUri(`.backfills/${f}`).fsPath).filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)));
    assert.equal(state.includes(Buffer.from('cikfincq')), true, 'the record is not in the state file');
    assert.equal(state.includes(Buffer.from(TOKEN)), false);
  });

  test('what a deployment cannot take is refused in the preview, and its errors are shown; nothing is recorded', async () => {
    const Panel = launchPanelClass();
    const extensionUri = vscode.extensions.getExtension(EXTENSION_ID)!.extensionUri;
    const panel = Panel.show(session, 'raw_events', undefined, extensionUri, log);
    const store = (await session.engine()).store;
    const count = store.listBackfills().length;
    // raw_events' downstream includes daily_counts, a command of backfills.yaml: it runs here only.
    const withCommand = previewOf(await panel.handle({ type: 'previewPlan', requestId: ++requestId, form: form('raw_events', { runOn: 'fake', includeDownstream: true }) }));
    assert.ok(!withCommand.ok);
    assert.match(withCommand.fieldErrors.runOn ?? '', /^daily_counts is a command target of backfills\.yaml: it runs on this machine only/);
    // Without its token the deployment answers 401, said in the panel with what to do.
    await vscode.commands.executeCommand('backfillStudio.manageDeploymentToken', { name: 'fake', action: 'forget' });
    const noToken = previewOf(await panel.handle({ type: 'previewPlan', requestId: ++requestId, form: form('raw_events', { runOn: 'fake' }) }));
    assert.ok(!noToken.ok);
    assert.match(noToken.message, /^No plan: Dagster deployment "fake" \(http:\/\/127\.0\.0\.1:\d+\): Dagster\+ asks for a user token \(HTTP 401\)/);
    assert.equal(server.requests.at(-1)!.token, undefined);
    // A deployment removed from the settings is named beside Run on.
    const unknown = previewOf(await panel.handle({ type: 'previewPlan', requestId: ++requestId, form: form('raw_events', { runOn: 'gone' }) }));
    assert.ok(!unknown.ok);
    assert.match(unknown.fieldErrors.runOn ?? '', /^No deployment "gone" in backfillStudio\.deployments/);
    assert.equal(store.listBackfills().length, count);
    await vscode.commands.executeCommand('backfillStudio.manageDeploymentToken', { name: 'fake', action: 'replace', token: TOKEN });
    assert.equal(await session.deploymentTokens.tokenFor(session.deployments()[0]!), TOKEN);
  });

  test('above the confirmation threshold a launch on a deployment asks with the partition count; dismissed, nothing is sent', async () => {
    const config = vscode.workspace.getConfiguration('backfillStudio');
    await config.update('launch.confirmAboveRuns', 2, vscode.ConfigurationTarget.Workspace);
    try {
      const panel = launchPanelClass().show(session, 'do_stuff_partitioned', undefined, vscode.extensions.getExtension(EXTENSION_ID)!.extensionUri, log);
      const f = form('do_stuff_partitioned', { runOn: 'fake', rangeFrom: '2026-11-05', rangeTo: '2026-11-07' });
      const id = ++requestId;
      const preview = previewOf(await panel.handle({ type: 'previewPlan', requestId: id, form: f }));
      assert.ok(preview.ok);
      const before = server.requests.length;
      const count = (await session.engine()).store.listBackfills().length;
      // The stand-in dialog answers as a user who dismissed it.
      const { result, warnings } = await warningsDuring(() => panel.handle({ type: 'launchPlan', requestId: id, form: f, planId: preview.planId }), 1);
      assert.deepEqual(warnings, ['Launch a backfill of 3 partitions of do_stuff_partitioned on fake?']);
      assert.deepEqual(settledOf(result), { type: 'launchSettled', launched: false, message: 'Not launched: the backfill of 3 partitions on fake was not confirmed.' });
      assert.equal(server.requests.slice(before).some((r) => r.operationName === 'BackfillStudioLaunchPartitionBackfill'), false);
      assert.equal((await session.engine()).store.listBackfills().length, count);
    } finally {
      await config.update('launch.confirmAboveRuns', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });
});
