// The walking skeleton in a real extension host: tree content, lens positions, a launched backfill of 31
// runs recorded on disk, the Backfills view and the details panel.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { openStateStore } from '../../src/core/storage/openStateStore';
import { api, EXTENSION_ID, lensesOf, poll, workspaceUri } from './extensionUnderTest';

async function lineOf(rel: string, text: string): Promise<number> {
  const doc = await vscode.workspace.openTextDocument(workspaceUri(rel));
  const index = doc.getText().split('\n').findIndex((l) => l.includes(text));
  assert.ok(index >= 0, `${text} not found in ${rel}`);
  return index;
}

suite('quickstart workspace', () => {
  test('activation is cheap: it loads no engine, scans nothing and reports its time', async () => {
    const a = await api();
    assert.ok(a.session(), 'no workspace session');
    // Nothing has asked for definitions yet (no view open, no Python editor): the engine bundle is not even loaded.
    assert.equal(a.session()!.engineLoaded, false);
    console.log(`activation: activate() took ${a.activationMs.toFixed(1)} ms`);
  });

  test('the engine of a folder that never ran a backfill creates no .backfills folder: the first write does', async () => {
    const session = (await api()).session()!;
    const { store } = await session.engine();
    assert.deepEqual(store.listBackfills(), [], 'nothing has launched in this copy of the workspace yet');
    assert.equal(fs.existsSync(path.join(session.folder.uri.fsPath, '.backfills')), false, 'the state folder was created without a write');
  });

  test('the Definitions tree lists the assets, the job and the command target with partition counts', async () => {
    const tree = (await api()).definitionsTree!;
    const groups = await tree.getChildren();
    const rendered: Record<string, string[]> = {};
    for (const g of groups) {
      const label = String(tree.getTreeItem(g).label);
      rendered[label] = (await tree.getChildren(g)).map((n) => {
        const item = tree.getTreeItem(n);
        return `${item.label} | ${item.description}`;
      });
    }
    assert.deepEqual(Object.keys(rendered), ['Assets', 'Jobs', 'Command targets']);
    assert.deepEqual(rendered['Assets']!.map((s) => s.split(' | ')[0]).sort(), ['events', 'raw_events']);
    assert.deepEqual(rendered['Jobs']!.map((s) => s.split(' | ')[0]), ['do_stuff_partitioned']);
    assert.match(rendered['Command targets']![0]!, /^daily_counts \| [\d,]+ partitions · daily/);
    assert.match(rendered['Jobs']![0]!, /^do_stuff_partitioned \| [\d,]+ partitions · daily/);
    // One code location, every asset in Dagster's default group: no level for either. Menus key on these values.
    const contextValues = await Promise.all(groups.map(async (g) => [tree.getTreeItem(g).contextValue, ...(await tree.getChildren(g)).map((c) => tree.getTreeItem(c).contextValue)]));
    assert.deepEqual(contextValues, [['assets', 'definition.asset', 'definition.asset'], ['jobs', 'definition.job'], ['commandTargets', 'definition.command']]);
  });

  test('code lenses sit above the decorators of Python definitions and on the target in backfills.yaml', async () => {
    const py = await lensesOf('definitions.py');
    const launch = py.filter((l) => l.command?.command === 'backfillStudio.launchBackfill');
    const launchLines = launch.map((l) => l.range.start.line).sort((a, b) => a - b);
    // Each definition's first decorator is the line right above its def in the quickstart.
    const expected = [await lineOf('definitions.py', 'def raw_events('), await lineOf('definitions.py', 'def events('), await lineOf('definitions.py', 'def do_stuff_partitioned():')].map((l) => l - 1).sort((a, b) => a - b);
    assert.deepEqual(launchLines, expected);
    assert.ok(launch.every((l) => l.command!.title.includes('Launch Backfill')));
    const statusTitles = py.filter((l) => l.command?.command === 'backfillStudio.showPartitions').map((l) => l.command!.title);
    assert.equal(statusTitles.length, 3);
    for (const t of statusTitles) assert.match(t, /^0\/[\d,]+ materialized$/);
    const yaml = await lensesOf('backfills.yaml');
    const yamlLaunch = yaml.filter((l) => l.command?.command === 'backfillStudio.launchBackfill');
    assert.equal(yamlLaunch.length, 1);
    assert.equal(yamlLaunch[0]!.range.start.line, await lineOf('backfills.yaml', 'daily_counts:'));
    assert.deepEqual(yamlLaunch[0]!.command!.arguments, [{ target: 'daily_counts' }]);
  });

  test('Launch Backfill runs 31 partitions through the coordinator and the store on disk records 31 successes', async function () {
    this.timeout(120_000);
    const a = await api();
    const id = await vscode.commands.executeCommand<string>('backfillStudio.launchBackfill', {
      target: 'daily_counts',
      selection: { kind: 'range', from: '2024-01-01', to: '2024-01-31' },
      confirm: false,
    });
    assert.match(id ?? '', /^[a-z]{8}$/, 'launch returned no backfill id');
    const { daemon, store } = await a.session()!.engine();
    const final = await daemon.whenDone(id!);
    assert.equal(final.status, 'COMPLETED_SUCCESS');
    await store.flush();

    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const onDisk = await openStateStore({ path: a.session()!.workspace.statePath, wasmPath: path.join(ext.extensionPath, 'dist', 'sql-wasm.wasm') });
    try {
      const runs = onDisk.listRuns(id!);
      assert.equal(runs.length, 31);
      assert.equal(runs.filter((r) => r.status === 'SUCCESS').length, 31);
      assert.equal(onDisk.getBackfill(id!)?.status, 'COMPLETED_SUCCESS');
      assert.equal(onDisk.partitionStatuses('daily_counts').get('2024-01-31'), 'MATERIALIZED');
    } finally {
      await onDisk.close();
    }
    const out = await vscode.workspace.fs.readDirectory(workspaceUri('output/daily_counts'));
    assert.equal(out.length, 31);

    const tree = a.backfillsTree!;
    const item = await poll('the backfill in the Backfills view', async () => {
      const nodes = await tree.getChildren();
      const node = nodes.find((n) => n.backfill?.id === id);
      return node ? tree.getTreeItem(node) : undefined;
    });
    assert.match(String(item.description), /^Success · 31\/31 runs · 2024-01-01\.\.\.2024-01-31 · \d+s$/);
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'pass');
    assert.match(String(item.tooltip), /^Backfill [a-z]{8}: Success \(every run succeeded\)/);
    assert.doesNotMatch(String(item.tooltip), /COMPLETED_SUCCESS/);
    assert.equal(item.contextValue, 'backfill.succeeded', 'Re-execute, not Resume nor Re-execute from Failure: nothing failed');
  });

  test('the status lens counts materialized partitions and Open Run Log shows a run\'s output', async () => {
    const lens = await poll('the status lens after the backfill', async () => {
      const found = (await lensesOf('backfills.yaml')).find((l) => l.command?.command === 'backfillStudio.showPartitions');
      return found && /^31\/[\d,]+ materialized$/.test(found.command!.title) ? found : undefined;
    });
    assert.deepEqual(lens.command!.arguments, [{ target: 'daily_counts' }]);
    const a = await api();
    const { store } = await a.session()!.engine();
    const run = store.listRuns(store.listBackfills()[0]!.id).find((r) => r.partitionKey === '2024-01-05')!;
    await vscode.commands.executeCommand('backfillStudio.openRunLog', run.id);
    const doc = await poll('the run log document', () => vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'backfill-run-log' && d.uri.path.startsWith(`/${run.id}/`)));
    assert.match(doc.getText(), /^# daily_counts · partition 2024-01-05 · Success/);
    assert.match(doc.getText(), /daily_counts 2024-01-05: \d+ events -> output\/daily_counts\/2024-01-05\.json/);
    // The whole output, from the run's log file under the state folder (the state file keeps only a tail).
    const file = path.join(a.session()!.workspace.runLogs.folder, run.backfillId, `${run.id}.log`);
    assert.equal(doc.getText().split('\n')[1], `# ${file}`);
    assert.ok(doc.getText().endsWith(fs.readFileSync(file, 'utf8')));
  });

  test('Show Backfill Details opens the details webview for that backfill', async () => {
    const a = await api();
    const { store } = await a.session()!.engine();
    const latest = store.listBackfills()[0];
    assert.ok(latest, 'no backfill to show');
    await vscode.commands.executeCommand('backfillStudio.showBackfillDetails', latest.id);
    const tab = await poll('the details tab', () =>
      vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && t.label === `Backfill ${latest.id}`),
    );
    assert.ok(tab);
  });

  test('Re-execute Backfill from the Backfills view makes a new backfill linked to its parent', async function () {
    this.timeout(120_000);
    const a = await api();
    const { daemon, store } = await a.session()!.engine();
    const parent = store.listBackfills()[0]!;
    const tree = a.backfillsTree!;
    const node = (await tree.getChildren()).find((n) => n.backfill?.id === parent.id);
    assert.ok(node, 'the parent is in the Backfills view');
    const childId = await vscode.commands.executeCommand<string>('backfillStudio.reexecuteBackfill', node);
    assert.match(childId ?? '', /^[a-z]{8}$/);
    assert.notEqual(childId, parent.id);
    const final = await daemon.whenDone(childId!);
    assert.equal(final.status, 'COMPLETED_SUCCESS');
    assert.equal(store.listRuns(childId!).length, 31);
    assert.equal(daemon.parentOf(childId!), parent.id);
  });

  test('the quickstart\'s Dagster assets run through the runner with the interpreter from the setting (here one that imports the stand-in dagster package, a test double): raw_events, then events loading it', async function () {
    this.timeout(120_000);
    const a = await api();
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const folderPath = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    // An "interpreter" that is python3 with the test double on its path, as a virtualenv's python would be.
    const wrapper = path.join(folderPath, '.python-with-dagster-test-double');
    fs.writeFileSync(wrapper, `#!/bin/sh\nPYTHONPATH=${JSON.stringify(path.join(ext.extensionPath, 'test', 'fixtures', 'dagster-test-double'))} PYTHONDONTWRITEBYTECODE=1 exec python3 "$@"\n`, { mode: 0o755 });
    const config = vscode.workspace.getConfiguration('backfillStudio', vscode.workspace.workspaceFolders![0]!.uri);
    await config.update('pythonPath', wrapper, vscode.ConfigurationTarget.WorkspaceFolder);
    try {
      await poll('the interpreter from the setting', () => (a.session()!.workspace.pythonInterpreter === wrapper ? true : undefined));
      const id = await vscode.commands.executeCommand<string>('backfillStudio.launchBackfill', {
        target: 'raw_events',
        selection: { kind: 'list', keys: ['2024-01-01', '2024-01-02'] },
        confirm: false,
      });
      assert.match(id ?? '', /^[a-z]{8}$/);
      const { daemon, store } = await a.session()!.engine();
      const final = await daemon.whenDone(id!);
      assert.equal(final.status, 'COMPLETED_SUCCESS', JSON.stringify(store.listRuns(id!).map((r) => r.error)));
      assert.equal(store.partitionStatuses('raw_events').get('2024-01-02'), 'MATERIALIZED');
      const events = store.runEvents(store.listRuns(id!)[0]!.id).map((e) => e.kind);
      assert.ok(events.includes('RUN_START') && events.includes('RUN_SUCCESS'), events.join(','));
      // Downstream: events loads raw_events of the same days through Dagster's IO manager, on the instance the first
      // backfill prepared (the stand-in, like Dagster, creates its storage check-then-create).
      const downstream = await vscode.commands.executeCommand<string>('backfillStudio.launchBackfill', {
        target: 'events',
        selection: { kind: 'list', keys: ['2024-01-01', '2024-01-02'] },
        confirm: false,
      });
      const done = await daemon.whenDone(downstream!);
      assert.equal(done.status, 'COMPLETED_SUCCESS', JSON.stringify(store.listRuns(downstream!).map((r) => r.error)));
      assert.equal(store.partitionStatuses('events').get('2024-01-01'), 'MATERIALIZED');
      const logged = store.runEvents(store.listRuns(downstream!)[0]!.id).filter((e) => e.kind === 'log').map((e) => JSON.stringify(e.payload));
      assert.ok(logged.some((l) => l.includes('processing 24 raw events')), logged.join('\n'));
    } finally {
      await config.update('pythonPath', undefined, vscode.ConfigurationTarget.WorkspaceFolder);
      fs.rmSync(wrapper, { force: true });
    }
  });
});
