// Following backfills on a Dagster deployment in the editor, against the fake webserver (1.2 recordings, newer authored
// exchanges): a remote record shows in the Backfills view with the deployment's name, the details panel follows it to
// its final status, Cancel and Re-execute from the commands reach the server, and nothing polls once the panels close.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BackfillRecord } from '../../src/core/backfill/backfill';
import type { RemoteLaunchPlan } from '../../src/core/deployment/remoteBackfillLaunch';
import type { BackfillNode } from '../../src/extension/backfillsTreeProvider';
import type * as OnDemand from '../../src/extension/onDemand';
import type { WorkspaceSession } from '../../src/extension/workspaceSession';
import type { BackfillDetailsModel } from '../../src/shared/protocol';
import { loadRecordedExchanges, startFakeDagsterWebserver, type FakeDagsterWebserver, type FixtureSet } from '../harness/fakeDagsterWebserver';
import { api, EXTENSION_ID, poll } from './extensionUnderTest';

/** The extension's own on-demand bundle (the module instance its commands use). */
function onDemand(): typeof OnDemand {
  return require(path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'dist', 'onDemand.js')) as typeof OnDemand;
}

/** The launch a recorded exchange made, sent again as a plan: the record is made only from the server's answer. */
function recordedPlan(set: FixtureSet, file: string): RemoteLaunchPlan {
  const exchange = loadRecordedExchanges(set, [file])[0]!;
  return { backfillParams: exchange.request.variables!.backfillParams as RemoteLaunchPlan['backfillParams'], notSent: [] };
}

/** The details panel as the extension holds it: its host receives the page's messages. */
interface DetailsPanelInternals {
  host: { receive(raw: unknown): void; latest: Map<string, unknown> };
}

/** Runs `action` while recording the error notifications the extension shows, until `expected` arrived. */
async function errorsDuring(action: () => void, expected: number): Promise<string[]> {
  const errors: string[] = [];
  const window = vscode.window as { showErrorMessage: (...args: unknown[]) => Thenable<unknown> };
  const original = window.showErrorMessage;
  window.showErrorMessage = (message: unknown) => {
    errors.push(String(message));
    return Promise.resolve(undefined);
  };
  try {
    action();
    await poll(`${expected} error(s)`, () => (errors.length >= expected ? true : undefined));
    return errors;
  } finally {
    window.showErrorMessage = original;
  }
}

/** Polls of one backfill that reached the server. */
const pollsOf = (server: FakeDagsterWebserver, backfillId: string) =>
  server.requests.filter((r) => r.operationName === 'BackfillStudioPartitionBackfill' && r.variables.backfillId === backfillId).length;

suite('Following a backfill on a Dagster deployment', () => {
  let session: WorkspaceSession;
  let server12: FakeDagsterWebserver;
  let newer: FakeDagsterWebserver;
  const launched: string[] = [];
  /** Backfills whose panels were closed, with the polls they had then: none may come after. */
  const closed: { server: () => FakeDagsterWebserver; backfillId: string; polls: number }[] = [];

  const shown = (id: string): BackfillDetailsModel | undefined => onDemand().BackfillDetailsPanel.shown(session, id);
  const shownWhen = (what: string, id: string, test: (m: BackfillDetailsModel) => boolean) =>
    poll(what, () => { const m = shown(id); return m && test(m) ? m : undefined; }, 60_000);

  async function launch(server: FakeDagsterWebserver, set: FixtureSet, file: string, record: { targets: string[]; partitionCount: number; selection: string }): Promise<BackfillRecord> {
    const b = await session.remoteBackfills.launch({ name: 'prod', url: server.url, kind: 'oss' }, recordedPlan(set, file), record);
    launched.push(b.id);
    return b;
  }

  async function treeRow(id: string): Promise<vscode.TreeItem> {
    const tree = (await api()).backfillsTree!;
    const node = await poll(`backfill ${id} in the Backfills view`, async () => (await tree.getChildren()).find((n: BackfillNode) => n.backfill?.id === id));
    return tree.getTreeItem(node);
  }

  async function closePanel(id: string, server: () => FakeDagsterWebserver, backfillId: string): Promise<void> {
    const tab = vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && t.label === `Backfill ${id}`);
    assert.ok(tab, `no tab of backfill ${id}`);
    await vscode.window.tabGroups.close(tab);
    await poll(`backfill ${id}'s panel to close`, () => (shown(id) === undefined ? true : undefined));
    closed.push({ server, backfillId, polls: pollsOf(server(), backfillId) });
  }

  suiteSetup(async () => {
    session = (await api()).session()!;
    await session.engine();
    server12 = await startFakeDagsterWebserver({ fixtures: '1.2', only: ['01_', '10_', '11_', '40_', '41_', '42_', '43_', '50_', '51_', '52_'] });
    newer = await startFakeDagsterWebserver({ fixtures: 'newer', only: ['01_', '10_', '11_', '12_', '13_'] });
  });

  suiteTeardown(async () => {
    onDemand().BackfillDetailsPanel.disposeAll();
    const { store } = await session.engine();
    // Only ended backfills are pruned: one left unsettled (its deployment gone) is ended here first.
    for (const id of launched) if (store.getBackfill(id)?.endedAt === null) store.updateBackfillStatus(id, 'CANCELED', Date.now());
    store.pruneBackfills({ remove: launched, dropLogsOf: [] });
    await store.flush();
    assert.deepEqual(launched.filter((id) => store.getBackfill(id)), [], 'later suites start from the store as it was');
    await server12?.close();
    await newer?.close();
  });

  test('a 1.2 job backfill: in the Backfills view as "on prod", followed by its details panel to its final status', async function () {
    this.timeout(90_000);
    const b = await launch(server12, '1.2', '10_', { targets: ['do_stuff_partitioned'], partitionCount: 3, selection: '2026-11-01...2026-11-03' });
    const row = await treeRow(b.id);
    assert.match(String(row.description), /^In progress · on prod · 2026-11-01\.\.\.2026-11-03 · \d+s$/);
    assert.equal(row.contextValue, 'backfill.remote.active');
    assert.match(String(row.tooltip), new RegExp(`Runs on Dagster deployment prod \\(${server12.url.replace(/[.]/g, '\\.')}\\) as backfill cikfincq`));

    await vscode.commands.executeCommand('backfillStudio.showBackfillDetails', b.id);
    const running = await shownWhen('a run in progress', b.id, (m) => m.runs.some((r) => r.status === 'STARTED'));
    assert.deepEqual([running.statusLabel, running.canCancel, running.remote?.deployment, running.remote?.dagsterBackfillId], ['In progress', true, 'prod', 'cikfincq']);
    const done = await shownWhen('the final status', b.id, (m) => m.statusLabel === 'Success');
    assert.deepEqual(done.runs.map((r) => [r.partitionKey, r.statusLabel]), [['2026-11-01', 'Success'], ['2026-11-02', 'Success'], ['2026-11-03', 'Success']]);
    assert.ok(done.runs.every((r) => r.runUrl === `${server12.url}/runs/${r.runId}`), JSON.stringify(done.runs));
    assert.equal(done.progress.summary, '3/3 runs succeeded');
    // Stored, so the view (and a reload) reads it without asking the deployment.
    const stored = (await session.engine()).store.getBackfill(b.id)!;
    assert.deepEqual([stored.status, stored.remote?.status], ['COMPLETED_SUCCESS', 'COMPLETED']);
    assert.equal((await treeRow(b.id)).contextValue, 'backfill.remote.succeeded');
    assert.equal(pollsOf(server12, 'cikfincq'), 6, 'one poll per recorded answer, none after it settled');
    await closePanel(b.id, () => server12, 'cikfincq');
  });

  test('Cancel from the command reaches the deployment (cancelPartitionBackfill), and the panel follows it to Canceled', async function () {
    this.timeout(90_000);
    const b = await launch(server12, '1.2', '40_', { targets: ['do_stuff_partitioned'], partitionCount: 10, selection: '2026-11-05...2026-11-14' });
    await vscode.commands.executeCommand('backfillStudio.showBackfillDetails', b.id);
    await shownWhen('the backfill running', b.id, (m) => m.canCancel && m.runs.length === 2);
    const route = await vscode.commands.executeCommand('backfillStudio.cancelBackfill', b.id);
    assert.equal(route, 'deployment');
    const cancels = server12.requests.filter((r) => r.operationName === 'BackfillStudioCancelPartitionBackfill');
    assert.deepEqual(cancels.map((r) => [r.variables.backfillId, r.status]), [['eltehngp', 200]]);
    const canceled = await shownWhen('Canceled', b.id, (m) => m.statusLabel === 'Canceled' && m.runs.every((r) => r.status === 'SUCCESS'));
    assert.deepEqual([canceled.canCancel, canceled.canResume, canceled.canReexecute], [false, true, true]);
    assert.equal((await session.engine()).store.getBackfill(b.id)!.status, 'CANCELED');
    await closePanel(b.id, () => server12, 'eltehngp');
  });

  test('a newer server\'s asset backfill reads Failing, then Failed; Re-execute from failure opens the new backfill, followed to Success', async function () {
    this.timeout(120_000);
    const b = await launch(newer, 'newer', '10_', { targets: ['orders', 'order_items'], partitionCount: 3, selection: '2026-11-01...2026-11-03' });
    await vscode.commands.executeCommand('backfillStudio.showBackfillDetails', b.id);
    await shownWhen('Failing', b.id, (m) => m.statusLabel === 'Failing');
    const failed = await shownWhen('Failed', b.id, (m) => m.statusLabel === 'Failed');
    assert.deepEqual(failed.targets.map((t) => [t.target, t.materialized, t.failed]), [['orders', 2, 1], ['order_items', 2, 1]]);
    assert.deepEqual([failed.canReexecute, failed.canReexecuteFromFailure, failed.canResume], [true, true, false]);
    const childId = await vscode.commands.executeCommand<string>('backfillStudio.reexecuteBackfillFromFailure', b.id);
    assert.deepEqual(newer.requests.filter((r) => r.operationName === 'BackfillStudioReexecutePartitionBackfill').map((r) => r.variables),
      [{ reexecutionParams: { parentRunId: 'nwasbkfl', strategy: 'FROM_FAILURE' } }]);
    launched.push(childId);
    const child = (await session.engine()).store.getBackfill(childId)!;
    assert.deepEqual([child.parentId, child.remote?.backfillId, child.remote?.deployment], [b.id, 'nwrexec1', 'prod']);
    // The command opened the new backfill's details, which follow it.
    const success = await shownWhen('the re-execution\'s Success', childId, (m) => m.statusLabel === 'Success');
    assert.equal(success.remote?.dagsterBackfillId, 'nwrexec1');
    await closePanel(childId, () => newer, 'nwrexec1');
    await closePanel(b.id, () => newer, 'nwasbkfl');
  });

  test('a failed look (HTTP 500, then the deployment gone) is said in the panel, which keeps what it showed', async function () {
    this.timeout(90_000);
    const flaky = await startFakeDagsterWebserver({ fixtures: '1.2', only: ['01_', '40_', '41_'] });
    try {
      const b = await launch(flaky, '1.2', '40_', { targets: ['do_stuff_partitioned'], partitionCount: 10, selection: '2026-11-05...2026-11-14' });
      await vscode.commands.executeCommand('backfillStudio.showBackfillDetails', b.id);
      await shownWhen('the backfill running', b.id, (m) => m.runs.length === 2);
      flaky.respondNext('python-error-500');
      const failedLook = await shownWhen('the failed look', b.id, (m) => m.remote?.followError !== null);
      assert.match(failedLook.remote!.followError!, /prod/);
      assert.deepEqual([failedLook.runs.length, failedLook.statusLabel, failedLook.canCancel], [2, 'In progress', true], 'what was shown stays');
      await shownWhen('the next answer clearing it', b.id, (m) => m.remote?.followError === null);
      await flaky.close();
      const gone = await shownWhen('the deployment unreachable', b.id, (m) => m.remote?.followError !== null);
      assert.match(gone.remote!.followError!, /prod/);
      assert.equal(gone.runs.length, 2);
      await closePanel(b.id, () => flaky, 'eltehngp');
    } finally {
      await flaky.close();
    }
  });

  test('a Cancel the deployment refuses (1.2 cannot cancel an asset backfill) is said, and the panel offers it again', async function () {
    this.timeout(60_000);
    const b = await launch(server12, '1.2', '50_', { targets: ['regions'], partitionCount: 3, selection: 'us, eu, apac' });
    await vscode.commands.executeCommand('backfillStudio.showBackfillDetails', b.id);
    await shownWhen('the backfill running', b.id, (m) => m.canCancel);
    const panel = (onDemand().BackfillDetailsPanel as unknown as { open: Map<string, DetailsPanelInternals> }).open.get(`${session.folder.uri.toString()}\0${b.id}`)!;
    const errors = await errorsDuring(() => panel.host.receive({ type: 'cancelBackfill', backfillId: b.id }), 1);
    assert.match(errors[0]!, /could not cancel backfill "obzveuif".*asset backfill/s);
    await poll('the panel told', () => (panel.host.latest.get('errorShown') ? true : undefined));
    assert.deepEqual(server12.requests.filter((r) => r.operationName === 'BackfillStudioCancelPartitionBackfill').map((r) => [r.variables.backfillId, r.status]).at(-1), ['obzveuif', 500]);
    assert.equal((await session.engine()).store.getBackfill(b.id)!.status, 'REQUESTED', 'nothing recorded as canceled');
    await closePanel(b.id, () => server12, 'obzveuif');
  });

  test('after the panels closed nothing is followed, and no poll reached a deployment since', async () => {
    assert.equal(onDemand().RemoteBackfillFollows.following(session), 0);
    // The earlier panels closed seconds and several tests ago: their backfills' poll counts are as they were then.
    assert.deepEqual(closed.map((c) => [c.backfillId, pollsOf(c.server(), c.backfillId)]), closed.map((c) => [c.backfillId, c.polls]));
  });
});
