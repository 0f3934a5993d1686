// The Definitions view's grouping and menus, the Backfills filter and the Problems view, in a real extension host
// (runs after quickstart.test, which launched a backfill).
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api, EXTENSION_ID, lensesOf, outline, poll } from './extensionUnderTest';

suite('views and diagnostics', () => {
  test('the Definitions view shows status counts once partitions have run', async () => {
    const tree = (await api()).definitionsTree!;
    const section = (await tree.getChildren()).find((n) => tree.getTreeItem(n).contextValue === 'commandTargets')!;
    const [target] = await tree.getChildren(section);
    // Earlier suites backfilled daily_counts (quickstart.test: all of January 2024); the row counts what the store holds.
    const { store } = await (await api()).session()!.engine();
    const statuses = [...store.partitionStatuses('daily_counts').values()];
    const materialized = statuses.filter((s) => s === 'MATERIALIZED').length;
    // The shared-state suite cancels a run part-way: its partition is canceled, not failed.
    const failed = statuses.filter((s) => s === 'FAILED').length;
    const canceled = statuses.filter((s) => s === 'CANCELED').length;
    assert.ok(materialized >= 31, `only ${materialized} materialized`);
    assert.match(String(tree.getTreeItem(target!).description),
      new RegExp(`^${materialized}/[\\d,]+ materialized${failed ? ` · ${failed} failed` : ''}${canceled ? ` · ${canceled} canceled` : ''} · daily`));
  });

  test('with two code locations the Definitions view groups assets by code location, then asset group', async function () {
    this.timeout(60_000);
    const folder = vscode.workspace.workspaceFolders![0]!.uri;
    const fixture = path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'test', 'fixtures', 'discovery', 'two_locations');
    const copied = ['sales', 'marketing'].map((d) => vscode.Uri.joinPath(folder, d));
    for (const [i, d] of ['sales', 'marketing'].entries()) await vscode.workspace.fs.copy(vscode.Uri.file(path.join(fixture, d)), copied[i]!);
    try {
      await vscode.commands.executeCommand('backfillStudio.refreshDefinitions');
      const tree = (await api()).definitionsTree!;
      // Declared code locations load only their own modules, so the quickstart's root definitions.py drops out.
      assert.deepEqual(await outline(tree), [
        'marketing [codeLocation]',
        '  Assets [assets]',
        '    campaigns [definition.asset]',
        '  Jobs [jobs]',
        '    campaign_job [definition.job]',
        'sales [codeLocation]',
        '  marts [assetGroup]',
        '    orders_by_day [definition.asset]',
        '    revenue_by_day [definition.asset]',
        '  raw [assetGroup]',
        '    raw_orders [definition.asset]',
        'Command targets [commandTargets]',
        '  daily_counts [definition.command]',
      ]);
      const sales = (await tree.getChildren()).find((n) => tree.getTreeItem(n).label === 'sales')!;
      assert.equal(tree.getTreeItem(sales).description, '3 assets');
      const marts = (await tree.getChildren(sales))[0]!;
      assert.equal(tree.getTreeItem(marts).description, '2');
      const [ordersByDay] = await tree.getChildren(marts);
      assert.equal(tree.getTreeItem(ordersByDay!).id, 'asset:sales:orders_by_day');

      // The context menu's Launch Backfill and Show Partitions take the node itself.
      const counts = await vscode.commands.executeCommand<Record<string, number>>('backfillStudio.showPartitions', ordersByDay);
      assert.equal(counts?.FAILED, 0);
      assert.ok((counts?.MISSING ?? 0) > 1000, `orders_by_day is daily since 2024-01-01: ${JSON.stringify(counts)}`);
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      await vscode.commands.executeCommand('backfillStudio.goToDefinition', ordersByDay);
      const editor = await poll('the editor on orders_by_day', () => {
        const e = vscode.window.activeTextEditor;
        return e?.document.uri.path.endsWith('sales/sales_pipeline/definitions.py') ? e : undefined;
      });
      assert.match(editor.document.lineAt(editor.selection.active.line).text, /^def orders_by_day\(/);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      for (const uri of copied) await vscode.workspace.fs.delete(uri, { recursive: true });
      await vscode.commands.executeCommand('backfillStudio.refreshDefinitions');
    }
    const tree = (await api()).definitionsTree!;
    assert.deepEqual((await tree.getChildren()).map((n) => tree.getTreeItem(n).label), ['Assets', 'Jobs', 'Command targets']);
  });

  test('a key two code locations define is shown with its location in the tree and the lens, and each opens its own launch panel', async function () {
    this.timeout(90_000);
    const folder = vscode.workspace.workspaceFolders![0]!.uri;
    const locations = [
      { name: 'north', partitions: 'DailyPartitionsDefinition(start_date="2024-01-01")' },
      { name: 'south', partitions: 'StaticPartitionsDefinition(["eu", "us"])' },
    ];
    const written: vscode.Uri[] = [];
    const write = async (rel: string, text: string) => vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, rel), new TextEncoder().encode(text));
    for (const l of locations) {
      written.push(vscode.Uri.joinPath(folder, l.name));
      await write(`${l.name}/pyproject.toml`, `[tool.dagster]\nmodule_name = "${l.name}_pipeline.definitions"\ncode_location_name = "${l.name}"\n`);
      await write(`${l.name}/${l.name}_pipeline/__init__.py`, '');
      await write(`${l.name}/${l.name}_pipeline/definitions.py`, [
        'from dagster import DailyPartitionsDefinition, Definitions, StaticPartitionsDefinition, asset',
        '',
        '',
        `@asset(partitions_def=${l.partitions})`,
        'def orders():',
        '    return 1',
        '',
        '',
        'defs = Definitions(assets=[orders])',
        '',
      ].join('\n'));
    }
    try {
      await vscode.commands.executeCommand('backfillStudio.refreshDefinitions');
      const tree = (await api()).definitionsTree!;
      const ordersIn = async (location: string) => {
        const node = (await tree.getChildren()).find((n) => tree.getTreeItem(n).label === location)!;
        const [assets] = await tree.getChildren(node);
        return (await tree.getChildren(assets)).find((n) => tree.getTreeItem(n).label === 'orders')!;
      };
      const north = await ordersIn('north');
      const south = await ordersIn('south');
      assert.match(String(tree.getTreeItem(north).description), /^north · /);
      assert.match(String(tree.getTreeItem(south).description), /^south · /);
      // Show Partitions of each node counts that location's definition: daily since 2024 vs two static keys.
      const southCounts = await vscode.commands.executeCommand<Record<string, number>>('backfillStudio.showPartitions', south);
      assert.equal(Object.values(southCounts ?? {}).reduce((a, b) => a + b, 0), 2, JSON.stringify(southCounts));
      const tabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => t.label));
      await poll('the partitions panel of south\'s orders', () => (tabs().includes('Partitions: orders (south)') ? true : undefined));

      const lenses = await poll('the south lenses', async () => {
        const all = await lensesOf('south/south_pipeline/definitions.py');
        return all.some((l) => l.command?.title.includes('Launch Backfill')) ? all : undefined;
      });
      const launch = lenses.find((l) => l.command?.title.includes('Launch Backfill'))!.command!;
      assert.equal(launch.title, '$(play) Launch Backfill (south)');
      assert.deepEqual(launch.arguments, [{ target: 'orders', location: 'south' }]);
      await vscode.commands.executeCommand(launch.command, ...(launch.arguments ?? []));
      await poll('the launch panel of south\'s orders', () => (tabs().includes('Launch orders (south)') ? true : undefined));
      assert.ok(!tabs().includes('Launch orders'), `a launch panel without a location opened: ${tabs().join(', ')}`);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      for (const uri of written) await vscode.workspace.fs.delete(uri, { recursive: true });
      await vscode.commands.executeCommand('backfillStudio.refreshDefinitions');
    }
  });

  test('Filter Backfills by Status keeps only backfills with that status', async () => {
    const tree = (await api()).backfillsTree!;
    const all = await tree.getChildren();
    assert.ok(all.length >= 1, 'quickstart.test launched a backfill');
    assert.equal(await vscode.commands.executeCommand('backfillStudio.filterBackfills', 'Failed'), 'Failed');
    assert.deepEqual(await tree.getChildren(), []);
    await vscode.commands.executeCommand('backfillStudio.filterBackfills', 'Success');
    const succeeded = await tree.getChildren();
    assert.ok(succeeded.length >= 1 && succeeded.every((n) => n.backfill?.status === 'COMPLETED_SUCCESS'));
    await vscode.commands.executeCommand('backfillStudio.filterBackfills', 'All backfills');
    assert.equal((await tree.getChildren()).length, all.length);
  });

  test('a discovery problem appears in the Problems view on its line and clears when fixed', async function () {
    this.timeout(60_000);
    const uri = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, 'broken_assets.py');
    const bad = ['from dagster import asset, DailyPartitionsDefinition', '', '', '@asset(partitions_def=DailyPartitionsDefinition(start_date="2024-13-45"))', 'def broken():', '    pass', ''].join('\n');
    await vscode.workspace.fs.writeFile(uri, Buffer.from(bad));
    try {
      await vscode.commands.executeCommand('backfillStudio.refreshDefinitions');
      const diags = await poll('a diagnostic on broken_assets.py', () => {
        const d = vscode.languages.getDiagnostics(uri);
        return d.length > 0 ? d : undefined;
      });
      assert.equal(diags[0]!.source, 'Backfill Studio');
      assert.ok(diags.some((d) => d.range.start.line === 3 || d.range.start.line === 4), `lines: ${diags.map((d) => d.range.start.line)}`);
      assert.match(diags.map((d) => d.message).join('\n'), /2024-13-45/);
      await vscode.workspace.fs.writeFile(uri, Buffer.from(bad.replace('2024-13-45', '2024-01-01')));
      await vscode.commands.executeCommand('backfillStudio.refreshDefinitions');
      // The date error clears; what remains is discovery's true remark that the quickstart's Definitions does not list the asset.
      const after = await poll('the date error to clear', () => {
        const d = vscode.languages.getDiagnostics(uri);
        return d.some((x) => /2024-13-45/.test(x.message)) ? undefined : d;
      });
      assert.deepEqual(after.map((d) => d.message), ["asset 'broken' is not listed in Definitions (definitions.py:49), so Dagster does not load it"]);
    } finally {
      await vscode.workspace.fs.delete(uri);
      await vscode.commands.executeCommand('backfillStudio.refreshDefinitions');
    }
  });
});
