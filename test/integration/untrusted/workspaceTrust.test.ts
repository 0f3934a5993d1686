// Workspace trust in a real extension host with trust on and the quickstart folder not trusted (restricted mode):
// definitions are discovered and shown, every way to launch refuses with the reason and runs nothing.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { UNTRUSTED_WORKSPACE_EXPLANATION } from '../../../src/core/backfill/workspaceTrust';
import { api, lensesOf, warningsDuring, workspaceUri } from '../extensionUnderTest';

async function assertNothingLaunched(): Promise<void> {
  const { store } = await (await api()).session()!.engine();
  assert.deepEqual(store.listBackfills().map((b) => b.id), [], 'a backfill was recorded');
  // daily_counts writes output/daily_counts/<day>.json: no such folder means no run process ever started.
  await assert.rejects(Promise.resolve(vscode.workspace.fs.stat(workspaceUri('output'))), /FileNotFound|ENOENT|nonexistent/i);
}

suite('untrusted workspace', () => {
  test('the folder is open in restricted mode', () => {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  test('the Definitions view lists the quickstart\'s assets, job and command target', async () => {
    const tree = (await api()).definitionsTree!;
    const rendered: Record<string, string[]> = {};
    for (const node of await tree.getChildren()) {
      rendered[String(tree.getTreeItem(node).label)] = (await tree.getChildren(node)).map((c) => String(tree.getTreeItem(c).label));
    }
    assert.deepEqual(rendered, { Assets: ['raw_events', 'events'], Jobs: ['do_stuff_partitioned'], 'Command targets': ['daily_counts'] });
  });

  test('Launch Backfill refuses with the reason, from a lens argument and from the palette, and launches nothing', async () => {
    const fromLens = await warningsDuring(() =>
      vscode.commands.executeCommand<string | undefined>('backfillStudio.launchBackfill', {
        target: 'daily_counts',
        selection: { kind: 'range', from: '2024-01-01', to: '2024-01-03' },
        confirm: false,
      }),
    );
    assert.equal(fromLens.result, undefined);
    assert.deepEqual(fromLens.warnings, [UNTRUSTED_WORKSPACE_EXPLANATION]);
    // No argument, as from the command palette: refused before any quick pick opens.
    const fromPalette = await warningsDuring(() => vscode.commands.executeCommand<string | undefined>('backfillStudio.launchBackfill'));
    assert.equal(fromPalette.result, undefined);
    assert.equal(fromPalette.warnings.length, 1);
    assert.match(fromPalette.warnings[0]!, /untrusted workspace/);
    await assertNothingLaunched();
  });

  test('Resume and Re-execute refuse the same way', async () => {
    for (const id of ['backfillStudio.resumeBackfill', 'backfillStudio.reexecuteBackfill', 'backfillStudio.reexecuteBackfillFromFailure']) {
      const { result, warnings } = await warningsDuring(() => vscode.commands.executeCommand<string | undefined>(id, 'abcdefgh'));
      assert.equal(result, undefined, id);
      assert.deepEqual(warnings, [UNTRUSTED_WORKSPACE_EXPLANATION], id);
    }
    await assertNothingLaunched();
  });

  test('lenses offer no Launch Backfill: in its place a lens says why and opens the trust editor; status lenses stay', async () => {
    for (const [file, definitions] of [['definitions.py', 3], ['backfills.yaml', 1]] as const) {
      const lenses = await lensesOf(file);
      assert.deepEqual(lenses.filter((l) => l.command?.command === 'backfillStudio.launchBackfill'), [], file);
      const disabled = lenses.filter((l) => l.command?.command === 'workbench.trust.manage');
      assert.equal(disabled.length, definitions, file);
      for (const l of disabled) assert.equal(l.command!.title, '$(workspace-untrusted) Launch disabled: untrusted workspace');
      const status = lenses.filter((l) => l.command?.command === 'backfillStudio.showPartitions');
      assert.deepEqual(status.map((l) => l.range.start.line), disabled.map((l) => l.range.start.line), `${file}: each disabled lens sits with its status lens`);
    }
  });
  test('Dagster\'s statuses are not read and dynamic partitions not changed: both would run the workspace\'s code', async () => {
    const session = (await api()).session()!;
    await session.definitions();
    await session.engine();
    // Had the status process started, python3 (no dagster here) would have answered that it cannot import dagster.
    const refresh = await session.workspace.refreshDagsterStatuses();
    assert.deepEqual(refresh, { changedTargets: [] });
    assert.equal(session.statusSourceText(), "Statuses: this project's runs only. Dagster's statuses are not read in an untrusted workspace (reading them runs the workspace's code).");
    await assert.rejects(session.addDynamicPartitions('customers', ['acme']), /only in a trusted workspace/);
  });
});
