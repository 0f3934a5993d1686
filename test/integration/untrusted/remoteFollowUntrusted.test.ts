// An untrusted workspace whose state file holds a backfill on a Dagster deployment: it is shown (the stored status,
// the deployment's name) but its URL, which the state file names, is sent nothing, and no action is offered.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BackfillRecord } from '../../../src/core/backfill/backfill';
import type { BackfillNode } from '../../../src/extension/backfillsTreeProvider';
import type * as OnDemand from '../../../src/extension/onDemand';
import { startFakeDagsterWebserver, type FakeDagsterWebserver } from '../../harness/fakeDagsterWebserver';
import { api, EXTENSION_ID, poll } from '../extensionUnderTest';

function onDemand(): typeof OnDemand {
  return require(path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'dist', 'onDemand.js')) as typeof OnDemand;
}

suite('untrusted workspace with a backfill on a Dagster deployment', () => {
  let server: FakeDagsterWebserver;
  const id = 'remoteut';

  suiteSetup(async () => {
    server = await startFakeDagsterWebserver({ fixtures: '1.2', only: ['01_', '41_'] });
    const { store } = await (await api()).session()!.engine();
    const record: BackfillRecord = {
      id, status: 'REQUESTED', targets: ['do_stuff_partitioned'], partitionCount: 10, origin: 'extension', createdAt: Date.now(), endedAt: null,
      selection: '2026-11-05...2026-11-14', remote: { deployment: 'prod', url: server.url, kind: 'oss', backfillId: 'eltehngp', status: 'REQUESTED' },
    };
    store.createBackfill(record, []);
    await store.flush();
  });

  suiteTeardown(async () => {
    const a = await api();
    a.backfillsTree!.setVisible(false);
    onDemand().BackfillDetailsPanel.disposeAll();
    const { store } = await a.session()!.engine();
    // Only ended backfills are pruned; later suites start from an empty store.
    store.updateBackfillStatus(id, 'CANCELED', Date.now());
    store.pruneBackfills({ remove: [id], dropLogsOf: [] });
    await store.flush();
    assert.equal(store.getBackfill(id), undefined);
    await server.close();
  });

  test('the Backfills view and the details panel show it as stored, follow nothing and offer no action', async function () {
    this.timeout(60_000);
    assert.equal(vscode.workspace.isTrusted, false);
    const a = await api();
    const session = a.session()!;
    a.backfillsTree!.setVisible(true);
    const node = await poll('the remote row', async () => (await a.backfillsTree!.getChildren()).find((n: BackfillNode) => n.backfill?.id === id));
    const row = await a.backfillsTree!.getTreeItem(node);
    assert.match(String(row.description), /^In progress · on prod · /);
    await vscode.commands.executeCommand('backfillStudio.showBackfillDetails', id);
    const model = await poll('the details', () => onDemand().BackfillDetailsPanel.shown(session, id));
    assert.match(model.remote!.followError!, /untrusted workspace/);
    assert.deepEqual([model.statusLabel, model.canCancel, model.canResume, model.canReexecute, model.canReexecuteFromFailure], ['In progress', false, false, false, false]);
    assert.equal(onDemand().RemoteBackfillFollows.following(session), 0);
    assert.deepEqual(server.requests, [], 'nothing was sent to the URL the state file names');
  });
});
