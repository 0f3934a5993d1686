// A workspace of two folders (multiRoot/workspace/roots.code-workspace: north and south, each with a command target
// `counts` and an asset) in a real extension host: every folder is served, by its own session.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DefinitionsNode } from '../../../src/extension/definitionsTreeProvider';
import { openStateStore } from '../../../src/core/storage/openStateStore';
import { api, EXTENSION_ID, outline, poll } from '../extensionUnderTest';

const folder = (name: string) => vscode.workspace.workspaceFolders!.find((f) => f.name === name)!;
const fileOf = (name: string, rel: string) => vscode.Uri.joinPath(folder(name).uri, rel);

async function lensesOf(name: string, rel: string): Promise<vscode.CodeLens[]> {
  const uri = fileOf(name, rel);
  await vscode.workspace.openTextDocument(uri);
  return poll(`the lenses of ${name}/${rel}`, async () => {
    const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100)) ?? [];
    return lenses.some((l) => l.command?.command === 'backfillStudio.launchBackfill') ? lenses : undefined;
  });
}

const tabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => t.label));

suite('multi-root workspace', () => {
  test('activation starts a session per folder and loads no engine', async () => {
    assert.deepEqual(vscode.workspace.workspaceFolders!.map((f) => f.name), ['north', 'south']);
    const a = await api();
    assert.deepEqual(a.sessions().map((s) => s.folder.name), ['north', 'south']);
    assert.ok(a.sessions().every((s) => !s.engineLoaded), 'an engine was loaded at activation');
  });

  test('the Definitions view shows both folders\' definitions, each under its folder', async () => {
    const tree = (await api()).definitionsTree!;
    assert.deepEqual(await outline(tree), [
      'north [workspaceFolder]',
      '  Assets [assets]',
      '    north_events [definition.asset]',
      '  Command targets [commandTargets]',
      '    counts [definition.command]',
      'south [workspaceFolder]',
      '  Assets [assets]',
      '    south_events [definition.asset]',
      '  Command targets [commandTargets]',
      '    counts [definition.command]',
    ]);
    // The same target in both folders is two rows of one tree: their ids must differ.
    const ids: string[] = [];
    const collect = async (node?: DefinitionsNode) => {
      for (const child of await tree.getChildren(node)) {
        ids.push(tree.getTreeItem(child).id!);
        await collect(child);
      }
    };
    await collect();
    assert.equal(new Set(ids).size, ids.length, `duplicate ids: ${ids.join(', ')}`);
  });

  test('a definition\'s hover shows keys from the project as text, not links or images', async () => {
    const tree = (await api()).definitionsTree!;
    const find = async (label: string, node?: DefinitionsNode): Promise<DefinitionsNode | undefined> => {
      for (const child of await tree.getChildren(node)) {
        if (tree.getTreeItem(child).label === label) return child;
        const found = await find(label, child);
        if (found) return found;
      }
      return undefined;
    };
    const events = await find('north_events');
    assert.ok(events, 'north_events is not in the Definitions view');
    const tip = tree.getTreeItem(events).tooltip as vscode.MarkdownString;
    assert.ok(tip instanceof vscode.MarkdownString, 'the hover is Markdown');
    // north_events' static partition keys are "[x](command:foo)" and "![i](http://e/x.png)".
    assert.ok(tip.value.includes('\\[x\\]\\(command\\:foo\\)'), tip.value);
    assert.ok(tip.value.includes('\\!\\[i\\]\\(http\\:\\/\\/e\\/x\\.png\\)'), tip.value);
    assert.doesNotMatch(tip.value, /(?<!\\)\[x(?<!\\)\]\(|(?<!\\)!(?<!\\)\[i/);
    assert.ok(!tip.isTrusted && !tip.supportHtml, 'the hover is neither trusted nor HTML');
  });

  test('code lenses work in both folders, each naming its folder', async () => {
    for (const name of ['north', 'south']) {
      const yaml = await lensesOf(name, 'backfills.yaml');
      const launch = yaml.find((l) => l.command?.command === 'backfillStudio.launchBackfill')!.command!;
      assert.deepEqual(launch.arguments, [{ target: 'counts', folder: folder(name).uri.toString() }]);
      const py = await lensesOf(name, 'definitions.py');
      const pyLaunch = py.filter((l) => l.command?.command === 'backfillStudio.launchBackfill');
      assert.deepEqual(pyLaunch.map((l) => (l.command!.arguments![0] as { target: string }).target), [`${name}_events`]);
      const status = py.find((l) => l.command?.command === 'backfillStudio.showPartitions')!.command!;
      assert.match(status.title, name === 'north' ? /^0\/2 materialized$/ : /^0\/[\d,]+ materialized$/);
    }
  });

  test('a launch from the second folder\'s lens runs there and keeps its state under that folder', async function () {
    this.timeout(120_000);
    const lens = (await lensesOf('south', 'backfills.yaml')).find((l) => l.command?.command === 'backfillStudio.launchBackfill')!.command!;
    const args = { ...(lens.arguments![0] as object), selection: { kind: 'all' }, confirm: false };
    const id = await vscode.commands.executeCommand<string>('backfillStudio.launchBackfill', args);
    assert.match(id ?? '', /^[a-z]{8}$/, 'launch returned no backfill id');
    const south = (await api()).sessionOf(folder('south').uri)!;
    const { daemon, store } = await south.engine();
    assert.equal((await daemon.whenDone(id!)).status, 'COMPLETED_SUCCESS');
    await store.flush();
    const dir = (name: string, rel: string) => path.join(folder(name).uri.fsPath, rel);
    assert.equal(south.workspace.statePath, dir('south', '.backfills/state.sqlite'));
    // On disk, as another process would read it: south's state file holds the backfill, north's (if any) none.
    const onDisk = async (name: string) => {
      const file = dir(name, '.backfills/state.sqlite');
      if (!fs.existsSync(file)) return [];
      const wasmPath = path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'dist', 'sql-wasm.wasm');
      const stored = await openStateStore({ path: file, wasmPath });
      try {
        return stored.listBackfills().map((b) => `${b.id} ${b.status}`);
      } finally {
        await stored.close();
      }
    };
    assert.deepEqual(await onDisk('south'), [`${id} COMPLETED_SUCCESS`]);
    assert.deepEqual(await onDisk('north'), []);
    assert.deepEqual(fs.readdirSync(dir('south', 'output')).sort(), ['a.txt', 'b.txt', 'c.txt']);
    assert.ok(!fs.existsSync(dir('north', 'output')), 'a partition ran in north');
    assert.equal(fs.readFileSync(dir('south', 'output/a.txt'), 'utf8'), 'south');

    // The Backfills view lists it under south; north's engine was never needed for it.
    const tree = (await api()).backfillsTree!;
    const [northNode, southNode] = await tree.getChildren();
    assert.equal((await tree.getTreeItem(southNode!)).label, 'south');
    const listed = await poll('the backfill under south', async () => {
      const nodes = await tree.getChildren(southNode);
      return nodes.some((n) => n.backfill?.id === id) ? nodes : undefined;
    });
    assert.equal(listed.length, 1);
    assert.deepEqual(await tree.getChildren(northNode), []);

    // Its lens in south counts it; north's same-named target still counts nothing.
    const counts = async (name: string) => {
      const lenses = await lensesOf(name, 'backfills.yaml');
      return lenses.find((l) => l.command?.command === 'backfillStudio.showPartitions')!.command!.title;
    };
    await poll('south\'s lens counting the runs', async () => ((await counts('south')).startsWith('3/3 materialized') ? true : undefined));
    assert.equal(await counts('north'), '0/3 materialized');
  });

  test('commands on a node act on its folder, and panels say which folder they show', async function () {
    this.timeout(120_000);
    const tree = (await api()).definitionsTree!;
    const [northNode, southNode] = await tree.getChildren();
    const countsOf = async (node: DefinitionsNode) => {
      const [, targets] = await tree.getChildren(node);
      return (await tree.getChildren(targets))[0]!;
    };
    const southCounts = await vscode.commands.executeCommand<Record<string, number>>('backfillStudio.showPartitions', await countsOf(southNode!));
    assert.equal(southCounts?.MATERIALIZED, 3);
    const northCounts = await vscode.commands.executeCommand<Record<string, number>>('backfillStudio.showPartitions', await countsOf(northNode!));
    assert.equal(northCounts?.MATERIALIZED, 0);
    await poll('a partitions panel per folder', () => (tabs().includes('Partitions: counts · south') && tabs().includes('Partitions: counts · north') ? true : undefined));

    // A Backfills row's click names its folder; the details panel is south's and says so.
    const backfills = (await api()).backfillsTree!;
    const [, southBackfills] = await backfills.getChildren();
    const [row] = await backfills.getChildren(southBackfills);
    const click = (await backfills.getTreeItem(row!)).command!;
    assert.deepEqual(click.arguments, [{ backfillId: row!.backfill!.id, folder: folder('south').uri.toString() }]);
    assert.equal(await vscode.commands.executeCommand(click.command, ...click.arguments!), row!.backfill!.id);
    await poll('south\'s details panel', () => (tabs().includes(`Backfill ${row!.backfill!.id} · south`) ? true : undefined));

    // A bare target (the palette, a keybinding) means the active editor's folder.
    for (const name of ['north', 'south']) {
      await vscode.window.showTextDocument(fileOf(name, 'backfills.yaml'));
      const counts = await vscode.commands.executeCommand<Record<string, number>>('backfillStudio.showPartitions', { target: 'counts' });
      assert.equal(counts?.MATERIALIZED, name === 'south' ? 3 : 0, `Show Partitions with ${name}'s file active`);
    }

    // Re-execute on the node runs in south, the node's folder: a new backfill in south's store, none in north's.
    const again = await vscode.commands.executeCommand<string>('backfillStudio.reexecuteBackfill', row);
    assert.match(again ?? '', /^[a-z]{8}$/, 're-execute returned no backfill id');
    const south = await (await api()).sessionOf(folder('south').uri)!.engine();
    assert.equal((await south.daemon.whenDone(again!)).status, 'COMPLETED_SUCCESS');
    assert.equal((await (await api()).sessionOf(folder('north').uri)!.engine()).store.listBackfills().length, 0);
  });

  test('a folder removed at runtime stops being served and closes its panels; added back, it is served again', async function () {
    this.timeout(60_000);
    const removed = new Promise<void>((resolve) => {
      const sub = vscode.workspace.onDidChangeWorkspaceFolders(() => {
        sub.dispose();
        resolve();
      });
    });
    assert.ok(vscode.workspace.updateWorkspaceFolders(1, 1), 'VS Code refused to remove south');
    await removed;
    const a = await api();
    await poll('one session left', () => (a.sessions().length === 1 ? true : undefined));
    assert.equal(a.sessions()[0]!.folder.name, 'north');
    await poll('south\'s panel closed', () => (tabs().includes('Partitions: counts · south') ? undefined : true));
    // One folder left: the view looks as a one-folder workspace always did.
    const tree = a.definitionsTree!;
    assert.deepEqual((await tree.getChildren()).map((n) => tree.getTreeItem(n).label), ['Assets', 'Command targets']);

    const southUri = vscode.Uri.file(path.join(path.dirname(folder('north').uri.fsPath), 'south'));
    assert.ok(vscode.workspace.updateWorkspaceFolders(1, 0, { uri: southUri }), 'VS Code refused to add south back');
    await poll('two sessions again', () => (a.sessions().length === 2 ? true : undefined));
    assert.deepEqual((await tree.getChildren()).map((n) => tree.getTreeItem(n).label), ['north', 'south']);
    // The new session reads the state the old one wrote.
    const { store } = await a.sessionOf(southUri)!.engine();
    assert.equal(store.listBackfills().length, 2);
  });
});
